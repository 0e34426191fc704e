"""Pages at the scale of a real round (issue 15): the statement and signatories pages read the
list as rows (summary.py) and agree with listing.py; approvals keep their list's count and hash
through every change; queries stay constant from 10 to 1,500 signatures and from 10 to 200
statements; public pages and files answer 304 to a browser that has them."""

import pytest
from sqlalchemy import func, select

from portal.exports import list_corrections as corrections
from portal.extensions import db
from portal.models import (
    Review,
    Revision,
    Signature,
    SignatureState,
    Statement,
    StatementState,
    Submission,
)
from portal.models.reviews import list_hash
from portal.signons import summary, transitions
from portal.signons.listing import Counts, listing, published_rows
from portal.signons.queries import breakdown
from portal.statements import operations, workflow
from portal.text import text_hash
from tests.query_count import count_queries
from tests.review_support import BODY
from tests.scale_support import bulk_signatures as _bulk_signatures

S = SignatureState


def _mixed(statement, sign) -> None:
    """Sign-ons in every standing: listed, pending, unnamed, withdrawn."""
    sign(statement, "Alpha Aid", country="FR")
    sign(statement, "Beta Union", country="MX", state=S.PENDING)
    sign(statement, "Gamma Trust", country="PH").publish = False
    sign(statement, "Delta Network", country="KE")
    sign(statement, "Epsilon Rights", country="IN", state=S.WITHDRAWN)
    db.session.commit()


def _assert_agrees(statement) -> None:
    full = listing(statement)
    light = summary.summary(statement)
    assert light.counts == full.counts
    assert light.entries == full.entries
    kinds = summary.organization_kinds(statement)
    assert summary.breakdown(light.entries, kinds) == breakdown(full.listed_signatures)
    for signature in full.signatures:
        assert light.standing_of(signature) == full.standing_of(signature), signature


def test_summary_agrees_with_listing_before_and_after_approval(crew, make_statement, sign):
    statement = make_statement(StatementState.SIGNING)
    _mixed(statement, sign)
    # A substantive change leaves every sign-on so far on an earlier text, then one re-signs.
    operations.save_revision(
        crew["drafter"],
        statement,
        base_revision_id=statement.current_revision_id,
        title=statement.title,
        body=BODY + "\nA new paragraph.\n",
        note="",
        substantive=True,
    )
    db.session.commit()
    sign(statement, "Zeta Coalition", country="BR")
    sign(statement, "Eta Forum", country="FR", state=S.PENDING)
    sign(statement, "Theta Trust", country="PH").publish = False
    db.session.commit()
    _assert_agrees(statement)
    assert summary.summary(statement).counts == Counts(listed=1, earlier=4, pending=1, unnamed=1)

    workflow.apply(statement, "submit", crew["drafter"])
    workflow.apply(statement, "approve", crew["coordinator"])
    db.session.commit()
    _assert_agrees(statement)


def _review(statement) -> Review:
    return db.session.scalar(
        select(Review).where(Review.statement_id == statement.id, Review.decision == "approve")
    )


def test_count_and_hash_follow_every_change_of_the_list(crew, make_statement, sign):
    statement = make_statement(StatementState.SIGNING)
    listed = [sign(statement, f"Org {i}", country="KE") for i in range(3)]
    pending = sign(statement, "Pending Org", state=S.PENDING)
    withdrawn = sign(statement, "Leaving Org")
    db.session.commit()

    transitions.apply(pending, "approve", crew["coordinator"])
    transitions.apply(withdrawn, "withdraw", None)  # through the e-mailed link
    db.session.commit()
    assert summary.summary(statement, entries=False).counts.listed == 4

    workflow.apply(statement, "submit", crew["drafter"])
    workflow.apply(statement, "approve", crew["coordinator"])
    db.session.commit()
    review = _review(statement)
    assert review.signatory_count == 4 == len(published_rows(review))
    assert review.list_hash == list_hash(published_rows(review))
    before = review.list_hash

    corrections.correct_published_list(
        crew["coordinator"], statement, [listed[0].id], "Asked to be taken off."
    )
    db.session.commit()
    db.session.expire_all()
    review = _review(statement)
    assert review.signatory_count == 3 == len(published_rows(review))
    assert review.list_hash == list_hash(published_rows(review)) != before
    assert summary.summary(statement, entries=False).counts.listed == 3


def test_statement_page_puts_a_long_list_a_click_away(crew, make_statement, client, login):
    statement = make_statement(StatementState.SIGNING)
    _bulk_signatures(statement, summary.PANEL_LIMIT + 20)
    login(crew["coordinator"])
    page = client.get(f"/statements/{statement.id}").get_data(as_text=True)
    listed = summary.summary(statement, entries=False).counts.listed
    assert listed > summary.PANEL_LIMIT
    assert f"Signed by {listed} organizations" in page
    assert "Bulk Org 00000" not in page  # the names are on the signatories page
    signatories = client.get(f"/statements/{statement.id}/signatures").get_data(as_text=True)
    assert "Bulk Org 00000" in signatories and "Bulk Org 00119" in signatories


@pytest.mark.parametrize("state", [StatementState.SIGNING, StatementState.APPROVED])
def test_statement_pages_queries_constant_from_10_to_1500_signatures(
    crew, make_statement, client, login, state
):
    statement = make_statement(StatementState.SIGNING)
    _bulk_signatures(statement, 10)
    if state == StatementState.APPROVED:
        workflow.apply(statement, "submit", crew["drafter"])
        workflow.apply(statement, "approve", crew["coordinator"])
        db.session.commit()
    login(crew["coordinator"])
    urls = [f"/statements/{statement.id}", f"/statements/{statement.id}/signatures"]
    for url in urls:
        client.get(url)  # warm the session and the templates
    small = [count_queries(client, url, fresh=True) for url in urls]
    if state == StatementState.APPROVED:
        # After approval the list changes by corrections only: grow the frozen list itself.
        _bulk_signatures(statement, 1490, start=10)
        review = _review(statement)
        rows = list(published_rows(review))
        extra = db.session.scalars(
            select(Signature).where(Signature.statement_id == statement.id).offset(10)
        ).all()
        review.signatories = rows + [
            {"organization_id": s.organization_id, "name": s.organization.name, "country": "KE"}
            for s in extra
        ]
        db.session.commit()
    else:
        _bulk_signatures(statement, 1490, start=10)
    large = [count_queries(client, url, fresh=True) for url in urls]
    # A short list costs the statement page one query more (the list itself, shown inline).
    assert large[0] <= small[0] and large[1] == small[1], (small, large)
    assert summary.summary(statement, entries=False).counts.listed > 1200


def _bulk_statements(crew, n: int, start: int = 0) -> None:
    """n approved statements with a frozen list of 30, inserted as rows (approving through the
    workflow lays out each official PDF)."""
    round_, lead = crew["round"], crew["lead"]
    for i in range(start, start + n):
        statement = Statement(
            round=round_, area=round_.areas[0], lead_organization=lead, state="approved"
        )
        db.session.add(statement)
        db.session.flush()
        title = f"Bulk statement {i:03d}"
        revision = Revision(
            statement_id=statement.id,
            number=1,
            title=title,
            body=BODY,
            text_hash=text_hash(title, BODY),
            word_count=30,
        )
        db.session.add(revision)
        db.session.flush()
        statement.current_revision = revision
        submission = Submission(
            statement=statement, number=1, revision=revision, text_hash=revision.text_hash
        )
        rows = [{"name": f"Signer {j}", "country": "KE"} for j in range(30)]
        db.session.add_all(
            [
                submission,
                Review(
                    statement=statement,
                    submission=submission,
                    revision=revision,
                    decision="approve",
                    signatories=rows,
                ),
            ]
        )
    db.session.commit()


def test_round_pages_queries_constant_from_10_to_200_statements(
    crew, client, login, make_user, app
):
    slug = crew["round"].slug
    urls = [f"/rounds/{slug}", f"/rounds/{slug}/compendium", "/api/v1/statements?round=" + slug]
    _bulk_statements(crew, 10)
    visitor = app.test_client()
    login(crew["coordinator"])
    for url in urls:
        client.get(url)
    visitor.get(urls[0])

    def counted():
        # Rendered in full (no kept pieces), then from the kept pieces: both constant.
        rendered = [count_queries(client, url, fresh=True) for url in urls]
        rendered.append(count_queries(visitor, urls[0], fresh=True))
        for who in (client, visitor):
            who.get(urls[0])
        kept = [
            count_queries(client, urls[0], fresh=True, kept=True),
            count_queries(visitor, urls[0], kept=True),
        ]
        return rendered, kept

    small = counted()
    _bulk_statements(crew, 190, start=10)
    large = counted()
    assert small == large, (small, large)
    assert large[1][0] < large[0][0]  # the kept pieces spare the lists' queries
    page = visitor.get(urls[0]).get_data(as_text=True)
    assert page.count("Bulk statement") >= 200 and "<td>30</td>" in page
    total = db.session.scalar(select(func.count(Review.id)))
    assert total == 200


# -- conditional GET -------------------------------------------------------------------------


def test_published_page_answers_304_until_its_list_changes(crew, make_statement, sign, app):
    statement = make_statement(StatementState.SIGNING)
    first = sign(statement, "Alpha Aid")
    sign(statement, "Beta Union")
    workflow.apply(statement, "submit", crew["drafter"])
    workflow.apply(statement, "approve", crew["coordinator"])
    db.session.commit()
    visitor = app.test_client()
    url = f"/published/{statement.id}"
    response = visitor.get(url)
    tag = response.headers["ETag"]
    assert response.status_code == 200 and tag
    assert "private" in response.headers["Cache-Control"]
    again = visitor.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == tag

    corrections.correct_published_list(
        crew["coordinator"], statement, [first.id], "Asked to be taken off."
    )
    db.session.commit()
    changed = visitor.get(url, headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["ETag"] != tag
    assert "Alpha Aid" not in changed.get_data(as_text=True).split("Signed by")[1]


def test_round_page_304_for_visitors_only(crew, make_statement, app, client, login):
    make_statement(StatementState.APPROVED, title="First approved")
    url = f"/rounds/{crew['round'].slug}"
    visitor = app.test_client()
    tag = visitor.get(url).headers["ETag"]
    assert visitor.get(url, headers={"If-None-Match": tag}).status_code == 304
    # Another visitor's session (another CSRF token) does not share the tag.
    assert app.test_client().get(url, headers={"If-None-Match": tag}).status_code == 200

    make_statement(StatementState.APPROVED, title="Second approved")
    response = visitor.get(url, headers={"If-None-Match": tag})
    assert response.status_code == 200 and "Second approved" in response.get_data(as_text=True)

    login(crew["coordinator"])
    signed_in = client.get(url)
    assert "ETag" not in signed_in.headers
    assert "private" in signed_in.headers["Cache-Control"]


def test_signed_in_pages_are_private(crew, client, login):
    login(crew["drafter"])
    response = client.get("/statements/mine")
    assert response.status_code == 200
    assert "private" in response.headers["Cache-Control"]


def test_official_pdf_answers_304(approved, app):
    statement = approved
    visitor = app.test_client()
    url = f"/published/{statement.id}.pdf"
    response = visitor.get(url)
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    tag = response.headers["ETag"]
    assert visitor.get(url, headers={"If-None-Match": tag}).status_code == 304
