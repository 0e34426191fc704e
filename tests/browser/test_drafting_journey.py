"""Drafting in the browser: start a statement with the live preview, invite a co-drafting
organization, its admin accepts, a co-drafter edits (the preview follows without a reload, and
unsaved text survives a reload), then the history shows the word diff."""

from playwright.sync_api import expect
from sqlalchemy import select

from portal.extensions import db
from portal.models import MemberRole, Revision, Statement

FIRST_TEXT = """## On vision

Civil society is connected across networks[^1] and regions.

[^1]: See the New York Declaration.
"""


def test_drafting_journey(page, sign_in, people, make_org, make_user, make_round):
    round_ = make_round(areas=("Irregular – Regular", "Migrant – Refugee"))
    lead = people["member"]
    co_org = make_org(name="Red Mesoamericana", slug="remedim", country="MX")
    co_admin = make_user(org=co_org, role=MemberRole.ADMIN, name="Ana López")

    # The lead organization's member starts a statement from the round page.
    sign_in(lead)
    page.goto(f"/rounds/{round_.slug}")
    page.get_by_role("link", name="Start a statement").click()
    page.get_by_label("Programme area").select_option(label="Migrant – Refugee")
    page.get_by_label("Title").fill("Statement on mixed migration")
    page.get_by_label("Text", exact=True).fill(FIRST_TEXT)
    preview = page.locator("[data-preview]")
    expect(preview.locator("h2")).to_have_text("On vision")  # rendered by the server, live
    expect(preview.locator("sup.footnote-ref")).to_have_count(1)
    expect(page.locator("[data-words]")).not_to_have_text("0")
    page.get_by_role("button", name="Create the statement").click()
    expect(page.get_by_role("heading", name="Statement on mixed migration")).to_be_visible()

    # It invites a co-drafting organization.
    page.get_by_label("Organization to invite").select_option(label="Red Mesoamericana")
    page.get_by_role("button", name="Invite to co-draft").click()
    expect(page.get_by_text("is invited")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    # The invited organization's admin accepts from "My statements".
    sign_in(co_admin)
    page.get_by_role("link", name="My statements").click()
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("now co-drafts this statement")).to_be_visible()

    # Co-drafting: the preview follows the typing without a page reload.
    page.get_by_role("link", name="Edit", exact=True).click()
    body = page.get_by_label("Text", exact=True)
    page.evaluate("window.__sameDocument = true")
    body.fill(FIRST_TEXT.replace("and regions.", "and regions.\n\n### Mixed flows\n\nNeeds first."))
    expect(preview.locator("h3")).to_have_text("Mixed flows")
    assert page.evaluate("window.__sameDocument") is True

    # Unsaved text survives a reload: the browser offers it back.
    page.reload()
    expect(page.get_by_role("button", name="Restore my unsaved text")).to_be_visible()
    page.get_by_role("button", name="Restore my unsaved text").click()
    expect(body).to_have_value(
        FIRST_TEXT.replace("and regions.", "and regions.\n\n### Mixed flows\n\nNeeds first.")
    )

    page.get_by_label("What changed").fill("Mixed flows section")
    page.get_by_role("button", name="Save as a new revision").click()
    expect(page.get_by_text("Saved as revision 2.")).to_be_visible()

    # The history shows both revisions and the word diff between them.
    page.get_by_role("link", name="History").click()
    expect(page.get_by_role("cell", name="Mixed flows section")).to_be_visible()
    page.get_by_role("button", name="Compare the selected revisions").click()
    expect(page.locator(".diff ins").first).to_contain_text("Mixed flows")

    statement = db.session.scalar(select(Statement))
    revisions = db.session.scalars(select(Revision).order_by(Revision.number)).all()
    assert [r.author_id for r in revisions] == [lead.id, co_admin.id]
    assert statement.drafters[0].organization_id == co_org.id
