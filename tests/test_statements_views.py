"""The drafting pages over HTTP: the access matrix, forms, the conflict page, preview, PDF."""

import re

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, Comment, Revision, Statement, StatementState
from portal.statements import operations
from tests.helpers.clients import signed_in
from tests.helpers.forms import edit_form

from .query_count import QueryCounter
from .statements_support import BODY

ROLES = ["lead_member", "co_member", "coordinator", "other_member", "outsider", "anonymous"]


def _user(d, role):
    return None if role == "anonymous" else getattr(d, role)


GET_ROUTES = {
    "show": "/statements/{id}",
    "history": "/statements/{id}/history",
    "revision": "/statements/{id}/revisions/1",
    "diff": "/statements/{id}/diff?from=1&to=1",
    "edit": "/statements/{id}/edit",
}
# role → expected status for every GET route above, on a draft
DRAFT_MATRIX = {
    "lead_member": dict(show=200, history=200, revision=200, diff=200, edit=200),
    "co_member": dict(show=200, history=200, revision=200, diff=200, edit=200),
    "coordinator": dict(show=200, history=200, revision=200, diff=200, edit=403),
    "other_member": dict(show=404, history=404, revision=404, diff=404, edit=404),
    "outsider": dict(show=404, history=404, revision=404, diff=404, edit=404),
    "anonymous": dict(show=302, history=302, revision=302, diff=302, edit=302),
}


@pytest.mark.parametrize("role", ROLES)
def test_draft_access_matrix(app, drafting, role):
    client = signed_in(app, _user(drafting, role))
    sid = drafting.statement.id
    got = {name: client.get(url.format(id=sid)).status_code for name, url in GET_ROUTES.items()}
    assert got == DRAFT_MATRIX[role]
    posts = {
        "preview": client.post(f"/statements/{sid}/preview", data={"body": "x"}).status_code,
        "comment": client.post(f"/statements/{sid}/comments", data={"body": "x"}).status_code,
        "restore": client.post(f"/statements/{sid}/revisions/1/restore").status_code,
    }
    expected = {
        "lead_member": dict(preview=200, comment=302, restore=302),
        "co_member": dict(preview=200, comment=302, restore=302),
        "coordinator": dict(preview=403, comment=302, restore=403),
        "other_member": dict(preview=404, comment=404, restore=404),
        "outsider": dict(preview=404, comment=404, restore=404),
        "anonymous": dict(preview=302, comment=302, restore=302),
    }[role]
    assert posts == expected


@pytest.mark.parametrize("role", ["other_member", "outsider", "anonymous"])
def test_draft_pdf_of_another_organization_is_hidden(app, drafting, role):
    client = signed_in(app, _user(drafting, role))
    response = client.get(f"/statements/{drafting.statement.id}/draft.pdf")
    assert response.status_code == (302 if role == "anonymous" else 404)


def test_signing_statement_is_visible_to_registered_users_not_editable(app, drafting):
    drafting.statement.state = StatementState.SIGNING
    db.session.commit()
    client = signed_in(app, drafting.other_member)
    sid = drafting.statement.id
    assert client.get(f"/statements/{sid}").status_code == 200
    assert client.get(f"/statements/{sid}/history").status_code == 200
    assert client.get(f"/statements/{sid}/edit").status_code == 403
    page = client.get(f"/statements/{sid}").get_data(as_text=True)
    assert "Comments" not in page  # comments stay among the drafters and coordinators


def test_draft_pdf_is_watermarked(app, drafting):
    client = signed_in(app, drafting.co_member)
    response = client.get(f"/statements/{drafting.statement.id}/draft.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    from io import BytesIO

    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.data)).pages)
    assert "DRAFT" in text and "revision 1" in text


def test_create_through_the_form(app, people, make_round):
    round_ = make_round(areas=("Vision", "Labour"))
    client = signed_in(app, people["member"])
    url = f"/rounds/{round_.slug}/statements/new"
    page = client.get(url)
    assert page.status_code == 200 and "Start a statement" in page.get_data(as_text=True)
    preview = re.search(
        r"data-preview aria-live=\"polite\">(.*?)</div>", page.get_data(as_text=True), re.S
    )
    assert "None" not in preview.group(1) and "The preview shows here" in preview.group(1)
    data = {
        "lead": people["org"].id,
        "area": round_.areas[1].id,
        "language": "en",
        "title": "",
        "body": BODY,
    }
    bad = client.post(url, data=data)
    assert bad.status_code == 400
    assert "This field is required" in bad.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Statement.id))) == 0
    response = client.post(url, data={**data, "title": "Decent work"})
    assert response.status_code == 302
    statement = db.session.scalar(select(Statement))
    assert response.headers["Location"].endswith(f"/statements/{statement.id}")
    assert statement.area_id == round_.areas[1].id
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Decent work" in page and '<h2 id="on-vision">' in page or "<h2" in page


def test_create_refused_when_the_round_is_closed(app, people, make_round):
    round_ = make_round(phase="closed")
    client = signed_in(app, people["member"])
    page = client.get(f"/rounds/{round_.slug}/statements/new").get_data(as_text=True)
    assert "deadline passed" in page
    data = {"lead": people["org"].id, "area": round_.areas[0].id, "title": "T", "body": "x"}
    response = client.post(f"/rounds/{round_.slug}/statements/new", data=data)
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Statement.id))) == 0


def test_someone_elses_organization_cannot_be_chosen_as_lead(app, drafting):
    client = signed_in(app, drafting.outsider)
    round_ = drafting.round
    data = {"lead": drafting.lead_org.id, "area": round_.areas[0].id, "title": "T", "body": "x"}
    response = client.post(f"/rounds/{round_.slug}/statements/new", data=data)
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Statement.id))) == 1


def test_edit_saves_a_revision(app, drafting):
    client = signed_in(app, drafting.co_member)
    sid = drafting.statement.id
    page = client.get(f"/statements/{sid}/edit").get_data(as_text=True)
    assert 'name="base_revision_id"' in page and "data-preview-url" in page
    data = edit_form(drafting.statement, BODY + "\nMore.\n", note="More")
    response = client.post(f"/statements/{sid}/edit", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    assert drafting.statement.current_revision.number == 2
    assert drafting.statement.current_revision.note == "More"


def test_preview_button_renders_without_saving(app, drafting):
    client = signed_in(app, drafting.lead_member)
    sid = drafting.statement.id
    data = edit_form(drafting.statement, "## New heading\n\nText[^1]\n\n[^1]: A note.\n")
    data["action"] = "preview"
    response = client.post(f"/statements/{sid}/edit", data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "New heading</h2>" in page and "footnote-ref" in page
    assert db.session.scalar(select(func.count(Revision.id))) == 1


def test_conflict_page_keeps_the_text_and_shows_the_other_change(app, drafting):
    sid = drafting.statement.id
    base = drafting.statement.current_revision_id
    theirs = signed_in(app, drafting.co_member)
    mine = signed_in(app, drafting.lead_member)
    first = theirs.post(
        f"/statements/{sid}/edit",
        data=edit_form(drafting.statement, BODY.replace("regions", "continents"), base),
    )
    assert first.status_code == 302
    my_text = BODY + "\nMy careful paragraph.\n"
    response = mine.post(
        f"/statements/{sid}/edit", data=edit_form(drafting.statement, my_text, base)
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "My careful paragraph." in page  # their own text, kept in the form
    assert "<del>regions.</del>" in page and "<ins>continents.</ins>" in page
    db.session.expire_all()
    current = drafting.statement.current_revision
    assert current.number == 2 and "continents" in current.body
    assert f'name="base_revision_id" value="{current.id}"' in page  # next save goes on top


def test_live_preview_endpoint(app, drafting):
    client = signed_in(app, drafting.lead_member)
    sid = drafting.statement.id
    response = client.post(
        f"/statements/{sid}/preview", data={"body": "Hello[^1]\n\n[^1]: <b>x</b> note\n"}
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "footnote" in html and "<b>" not in html
    plain = client.post(f"/statements/{sid}/preview", data={"body": "Hello[^1]\n\n[^1]: A note\n"})
    assert plain.headers["X-Word-Count"] == "3" and plain.headers["X-Page-Estimate"] == "1"
    assert (
        client.post(f"/statements/{sid}/preview", data={"body": "x"}, csrf=False).status_code == 400
    )


def test_history_revision_and_diff_pages(app, drafting):
    d = drafting
    operations.save_revision(
        d.co_member,
        d.statement,
        base_revision_id=d.statement.current_revision_id,
        title="A sharper title",
        body=BODY.replace("[^1]: See", "[^1]: Read"),
        note="Footnote wording",
    )
    db.session.commit()
    client = signed_in(app, d.lead_member)
    sid = d.statement.id
    history = client.get(f"/statements/{sid}/history").get_data(as_text=True)
    assert "Footnote wording" in history and "First draft" in history
    diff = client.get(f"/statements/{sid}/diff?from=1&to=2").get_data(as_text=True)
    assert "<del>See</del>" in diff and "<ins>Read</ins>" in diff
    assert "<del>joint statement</del> <ins>sharper title</ins>" in diff
    old = client.get(f"/statements/{sid}/revisions/1").get_data(as_text=True)
    assert "Restore this revision" in old
    assert client.get(f"/statements/{sid}/revisions/9").status_code == 404
    assert client.get(f"/statements/{sid}/diff?from=1&to=9").status_code == 404


def test_restore_over_http(app, drafting):
    d = drafting
    operations.save_revision(
        d.lead_member, d.statement, base_revision_id=d.statement.current_revision_id,
        title=d.statement.title, body="Short.\n",
    )  # fmt: skip
    db.session.commit()
    client = signed_in(app, d.co_member)
    response = client.post(f"/statements/{d.statement.id}/revisions/1/restore")
    assert response.status_code == 302
    db.session.expire_all()
    assert d.statement.current_revision.number == 3
    assert d.statement.current_revision.body == BODY
    assert client.get(f"/statements/{d.statement.id}/revisions/1/restore").status_code == 405


def test_invite_and_accept_over_http(app, drafting):
    d = drafting
    sid = d.statement.id
    lead = signed_in(app, d.lead_member)
    page = lead.get(f"/statements/{sid}").get_data(as_text=True)
    assert "Invite to co-draft" in page and d.other_org.name in page
    response = lead.post(f"/statements/{sid}/drafters", data={"organization": d.other_org.id})
    assert response.status_code == 302
    invited = signed_in(app, d.other_member)
    page = invited.get(f"/statements/{sid}").get_data(as_text=True)
    assert "Accept for Unrelated Union" in page
    assert "Accept" in invited.get("/statements/mine").get_data(as_text=True)
    drafter = d.statement.drafter_for(d.other_org.id)
    # A member of the co-drafting organization cannot answer for another organization.
    assert (
        signed_in(app, d.co_member)
        .post(f"/statements/{sid}/drafters/{drafter.id}/accept")
        .status_code
        == 403
    )
    response = invited.post(f"/statements/{sid}/drafters/{drafter.id}/accept")
    assert response.status_code == 302
    assert invited.get(f"/statements/{sid}/edit").status_code == 200


def test_comments_over_http(app, drafting):
    d = drafting
    sid = d.statement.id
    client = signed_in(app, d.co_member)
    bad = client.post(f"/statements/{sid}/comments", data={"body": "x", "quote": "not there"})
    assert bad.status_code == 400
    assert "not in the current text" in bad.get_data(as_text=True)
    response = client.post(
        f"/statements/{sid}/comments", data={"body": "Say more?", "quote": "Fair recruitment."}
    )
    assert response.status_code == 302
    top = db.session.scalar(select(Comment))
    reply = signed_in(app, d.coordinator).post(
        f"/statements/{sid}/comments", data={"body": "Agreed", "parent_id": top.id}
    )
    assert reply.status_code == 302
    assert client.post(f"/statements/{sid}/comments/{top.id}/resolve").status_code == 302
    page = client.get(f"/statements/{sid}").get_data(as_text=True)
    assert "Fair recruitment." in page and "Agreed" in page and "Reopen" in page
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"comment.create", "comment.resolve"} <= actions


def test_round_page_lists_visible_statements(app, drafting):
    from flask import render_template_string
    from flask_login import login_user

    from portal.statements.queries import round_statements

    include = '{% include "statements/_round_list.html" %}'

    def render(user):
        # The view passes what the page loads (rounds/queries.round_page).
        listed = round_statements(drafting.round, user)
        return render_template_string(include, round=drafting.round, listed=listed)

    with app.test_request_context():
        login_user(drafting.lead_member)
        html = render(drafting.lead_member)
        assert "A joint statement" in html and "Start a statement" in html
    with app.test_request_context():
        login_user(drafting.other_member)
        assert "A joint statement" not in render(drafting.other_member)


def _grow(d, count):
    """Add `count` revisions and `count` comments (with replies) to the draft."""
    for n in range(count):
        operations.save_revision(
            d.lead_member, d.statement, base_revision_id=d.statement.current_revision_id,
            title=d.statement.title, body=BODY + f"\nChange {n}.\n", note=f"change {n}",
        )  # fmt: skip
        parent = operations.add_comment(d.co_member, d.statement, body=f"Comment {n}")
        operations.add_comment(d.lead_member, d.statement, body=f"Reply {n}", parent=parent)
        if n % 2:
            operations.set_comment_resolved(d.lead_member, parent, resolved=True)
    db.session.commit()


def _queries(app, client, url):
    counter = QueryCounter()
    client.get(url)  # warm up the session and the templates
    with counter:
        response = client.get(url)
    assert response.status_code == 200
    return counter.count


def test_query_counts_do_not_grow_with_revisions_and_comments(app, drafting, make_org, make_user):
    d = drafting
    client = signed_in(app, d.lead_member)
    _grow(d, 2)  # 3 revisions
    sid = d.statement.id
    small = {
        page: _queries(app, client, f"/statements/{sid}{suffix}")
        for page, suffix in (("show", ""), ("history", "/history"))
    }
    _grow(d, 297)  # 300 revisions, 300 threads
    assert db.session.scalar(select(func.count(Revision.id))) == 300
    large = {
        page: _queries(app, client, f"/statements/{sid}{suffix}")
        for page, suffix in (("show", ""), ("history", "/history"))
    }
    assert small == large, (small, large)


def test_writing_guide_page(client):
    response = client.get("/help/writing")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Writing a statement" in page and "<table>" in page
