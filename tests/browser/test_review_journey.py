"""The review journey in a real browser: the lead submits, the coordinator requests changes,
the lead edits, reopens and resubmits, the coordinator sees the diff and approves, and the
statement is published on the round page with its PDF."""

import re

from playwright.sync_api import expect

from portal.extensions import db
from portal.models import StatementState


def test_submit_request_changes_resubmit_approve_publish(
    page, sign_in, crew, make_statement, sign, live_server
):
    statement = make_statement(StatementState.SIGNING)
    sign(statement, "Alpha Aid", country="BR")
    page.on("dialog", lambda dialog: dialog.accept())  # "Submit this text?"

    sign_in(crew["drafter"])
    page.goto(f"/statements/{statement.id}")
    page.get_by_role("button", name="Submit to the round").click()
    expect(page.get_by_text("Submitted revision 1 for review.")).to_be_visible()
    expect(page.get_by_text("locked while a coordinator reviews it")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(crew["coordinator"])
    page.goto(f"/rounds/{crew['round'].slug}/review")
    page.get_by_role("link", name="Joint statement").click()
    page.get_by_label(re.compile("^Request changes")).check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#message-error")).to_contain_text("Tell the drafters why")
    page.get_by_label(re.compile("^Request changes")).check()
    page.get_by_label("Message to the drafters").fill("Please name the ILO conventions.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Changes requested: Joint statement.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(crew["drafter"])
    page.goto(f"/statements/{statement.id}")
    expect(page.get_by_text("Please name the ILO conventions.")).to_be_visible()
    page.goto(f"/statements/{statement.id}/edit")
    body = page.get_by_label("Text", exact=True)
    body.fill(body.input_value().replace("for all.", "for all, under ILO Convention 189."))
    page.get_by_role("button", name=re.compile("^Save")).first.click()
    page.goto(f"/statements/{statement.id}")
    page.get_by_role("button", name="Reopen for signatures").click()
    page.get_by_role("button", name="Submit to the round").click()
    expect(page.get_by_text("Submitted revision 2 for review.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    # Alpha Aid signed revision 1; an organization signs the resubmitted text.
    db.session.expire_all()
    sign(db.session.get(type(statement), statement.id), "Beta Union", country="FR")

    sign_in(crew["coordinator"])
    page.goto(f"/review/statements/{statement.id}")
    expect(
        page.get_by_role("heading", name=re.compile("Changes since submission 1"))
    ).to_be_visible()
    expect(page.locator(".diff ins").first).to_contain_text("ILO")
    page.get_by_label(re.compile("^Approve")).check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Approved: Joint statement.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    # Publication: a visitor sees it on the round page and downloads the PDF.
    page.goto(f"/rounds/{crew['round'].slug}")
    published = page.locator("#published")
    expect(published).to_contain_text("Joint statement")
    expect(published).to_contain_text("Lead Coalition")
    published.get_by_role("link", name="Joint statement", exact=True).click()
    expect(page.get_by_role("heading", name="Signed by 1 organization")).to_be_visible()
    expect(page.locator("#signatories")).to_contain_text("Beta Union (France)")
    expect(page.locator("#signatories")).not_to_contain_text("Alpha Aid")
    # Who is not listed, and why, is for the coordinator's pages, not the published one.
    expect(page.get_by_text("earlier text")).to_have_count(0)
    expect(page.get_by_text("ILO Convention 189")).to_be_visible()
    response = page.request.get(f"{live_server.url}/published/{statement.id}.pdf")
    assert response.ok and response.body().startswith(b"%PDF")
    db.session.expire_all()
    assert db.session.get(type(statement), statement.id).state == StatementState.APPROVED
