"""One truth about who signed (issue 10, findings 3, 4, 6, 7, 8, 9), the signature transition
table, and manage links bound to the signature's state and the sign-on deadline. Each test names
the finding it would have caught."""

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from portal.errors import OperationError
from portal.exports import list_corrections
from portal.exports.artifacts import file_path
from portal.exports.official import official_pdf
from portal.exports.prepared import build_exports
from portal.extensions import db
from portal.models import (
    Artifact,
    AuditEvent,
    ListCorrection,
    OutboxMessage,
    Signature,
    SignatureState,
    utcnow,
)
from portal.signons import decisions, importing, links, listing, operations
from portal.statements import workflow
from tests import signons_support as support
from tests.helpers.audit import assert_audited
from tests.pdf_helpers import signatory_entries
from tests.query_count import count_queries
from tests.signons_support import sign_publicly

BODY, save_text = support.BODY, support.save_text


def approve(cast, *signatures):
    for signature in signatures:
        decisions.approve(cast["coordinator"], signature)
    db.session.commit()


def approve_statement(app, cast, statement):
    with app.test_request_context():
        workflow.apply(statement, "submit", cast["drafter"])
        review_ = workflow.apply(statement, "approve", cast["coordinator"], message="For drafters.")
    db.session.commit()
    return review_


def public_csv(client, statement) -> list[list[str]]:
    body = client.get(f"/s/{statement.public_token}/signatories.csv").get_data(as_text=True)
    # Name and place; the accreditation columns after them: test_accreditation_exports.py.
    return [row[:2] for row in list(csv.reader(io.StringIO(body)))[1:]]


def mails(kind) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
        )
    )


# -- finding 3: the public CSV agrees with the page and the PDF ---------------------------------


def test_public_csv_leaves_out_a_signature_of_an_earlier_text(as_, cast, statement_in):
    statement = statement_in()
    early = sign_publicly(statement, "Early Aid")
    approve(cast, early)
    save_text(cast, statement, BODY + "\nA new demand.\n")
    late = sign_publicly(statement, "Later Union", country="FR")
    approve(cast, late)
    client = as_("anonymous")
    assert public_csv(client, statement) == [["Later Union", "France"]]
    page = as_("coordinator").get(f"/statements/{statement.id}").get_data(as_text=True)
    assert "Signed by 1 organization" in page and "Early Aid <span" not in page


def test_public_csv_keeps_the_published_list_when_a_rejection_is_refused(
    app, as_, cast, statement_in
):
    statement = statement_in()
    first, second = sign_publicly(statement, "Alpha Aid"), sign_publicly(statement, "Beta")
    approve(cast, first, second)
    approve_statement(app, cast, statement)
    with pytest.raises(OperationError, match="correcting the published list"):
        decisions.reject(cast["coordinator"], second, "Found out it is not an organization.")
    db.session.rollback()
    assert second.state == SignatureState.APPROVED
    queue = as_("coordinator").get(f"/rounds/{statement.round.slug}/signons?state=approved")
    page = queue.get_data(as_text=True)
    assert "Published: correct the list" in page and "Reason for rejecting" not in page
    assert public_csv(as_("anonymous"), statement) == [["Alpha Aid", "Kenya"], ["Beta", "Kenya"]]


# -- finding 4: after approval the list is frozen; correcting it is an explicit act -------------


def test_correcting_the_published_list(app, as_, cast, statement_in):
    statement = statement_in()
    keep, gone = sign_publicly(statement, "Alpha Aid"), sign_publicly(statement, "Beta Net")
    approve(cast, keep, gone)
    approve_statement(app, cast, statement)
    before = official_pdf(statement)
    db.session.commit()
    with pytest.raises(OperationError, match="reason"):
        list_corrections.correct_published_list(cast["coordinator"], statement, [gone.id], "no")
    with pytest.raises(OperationError, match="Only coordinators"):
        list_corrections.correct_published_list(
            cast["drafter"], statement, [gone.id], "Asked to go."
        )
    with pytest.raises(OperationError, match="at least one"):
        list_corrections.correct_published_list(cast["coordinator"], statement, [], "Asked to go.")
    db.session.rollback()
    assert db.session.scalar(select(func.count(ListCorrection.id))) == 0

    client = as_("coordinator")
    page = client.get(f"/published/{statement.id}/correct-list")
    assert page.status_code == 200 and "Beta Net" in page.get_data(as_text=True)
    refused = client.post(f"/published/{statement.id}/correct-list", data={"remove": gone.id})
    assert refused.status_code == 400 and "Give a reason" in refused.get_data(as_text=True)
    response = client.post(
        f"/published/{statement.id}/correct-list",
        data={"remove": gone.id, "reason": "The organization asked to be taken off."},
    )
    assert response.status_code == 302
    correction = db.session.scalars(select(ListCorrection)).one()
    assert correction.version == 2 and correction.previous_artifact_id == before.id
    db.session.refresh(gone)
    assert gone.state == SignatureState.REJECTED
    coordinator = cast["coordinator"]
    assert_audited(
        "statement.signatories_corrected",
        actor=coordinator,
        subject=statement,
        organization=cast["lead"],
        version=2,
    )
    assert_audited(
        "signature.remove", actor=coordinator, subject=gone, organization=gone.organization
    )
    assert [m.recipient for m in mails("signature_removed")] == ["beta@example.org"]
    # Every output follows the corrected list; the earlier PDF is kept and served.
    assert public_csv(as_("anonymous"), statement) == [["Alpha Aid", "Kenya"]]
    published = client.get(f"/published/{statement.id}").get_data(as_text=True)
    assert "Beta Net" not in published and "The organization asked" in published
    round_page = client.get(f"/rounds/{statement.round.slug}").get_data(as_text=True)
    assert "<td>Lead Coalition</td>\n            <td>1</td>" in round_page
    now = client.get(f"/published/{statement.id}.pdf").data
    assert [t for _p, t in signatory_entries(now)] == ["Alpha Aid (Kenya)"]
    assert file_path(db.session.get(Artifact, before.id)).is_file()
    earlier = client.get(f"/published/{statement.id}/list-1.pdf").data
    assert [t for _p, t in signatory_entries(earlier)] == ["Alpha Aid (Kenya)", "Beta Net (Kenya)"]


def test_a_list_is_corrected_only_once_published(cast, statement_in):
    statement = statement_in()
    signature = sign_publicly(statement, "Alpha Aid")
    with pytest.raises(OperationError, match="approved statement"):
        list_corrections.correct_published_list(
            cast["coordinator"], statement, [signature.id], "Why?!"
        )


# -- finding 6: a merged duplicate offers nothing more ------------------------------------------


def test_a_merged_duplicate_offers_no_merge_or_keep_apart(as_, cast, statement_in):
    statement = statement_in()
    kept = sign_publicly(statement, "Migrant Voices", email="a@example.org")
    duplicate = sign_publicly(statement, "MIGRANT voices!", email="b@example.org")
    decisions.merge(cast["coordinator"], duplicate, kept)
    db.session.commit()
    client = as_("coordinator")
    page = client.get(f"/rounds/{statement.round.slug}/signons?state=").get_data(as_text=True)
    assert "Merged into sign-on" in page and "Merge into" not in page and "Keep apart" not in page
    response = client.post(
        f"/rounds/{statement.round.slug}/signons/{duplicate.id}/keep-apart", follow_redirects=True
    )
    assert response.status_code == 200 and "no longer flagged" in response.get_data(as_text=True)


# -- finding 7: signers get a message true for them ---------------------------------------------


def test_approval_tells_each_signer_whether_it_is_listed(app, cast, statement_in):
    statement = statement_in()
    listed = sign_publicly(statement, "Listed Aid")
    pending = sign_publicly(statement, "Pending Union")
    approve(cast, listed)
    approve_statement(app, cast, statement)
    assert "For drafters." in mails("statement_approved")[0].body
    told = {m.recipient: m.body for m in mails("signature_statement_approved")}
    assert set(told) == {"listed@example.org", "pending@example.org"}
    assert "Listed Aid is on its signatory list" in told["listed@example.org"]
    assert (
        "Pending Union is not on its signatory list: the coordinators had not approved"
        in (told["pending@example.org"])
    )
    for body in told.values():
        assert f"/published/{statement.id}" in body and "For drafters." not in body
    assert pending.state == SignatureState.PENDING


# -- finding 8: the statement page says what the counts say -------------------------------------


def test_page_after_a_substantive_change_and_a_reconfirmation(as_, cast, statement_in):
    statement = statement_in()
    signature = operations.sign(
        cast["signatory"], statement, cast["signer_org"], statement.current_revision_id
    )
    db.session.commit()
    approve(cast, signature)
    save_text(cast, statement, BODY + "\nA new demand.\n")
    client = as_("signatory")
    page = client.get(f"/statements/{statement.id}").get_data(as_text=True)
    assert "Signed by" not in page and "No organization is listed yet" in page
    assert "<strong>0</strong> listed" in page and "<strong>1</strong> on an earlier text" in page
    operations.reconfirm(cast["signatory"], signature)
    db.session.commit()
    page = client.get(f"/statements/{statement.id}").get_data(as_text=True)
    assert "Signed by 1 organization" in page and "<strong>1</strong> listed" in page
    assert "re-confirmed revision 2 (first signed revision 1)" in page


# -- finding 9: the exports print who is listed, nothing internal -------------------------------


def test_html_export_has_no_internal_note(app, as_, cast, statement_in):
    statement = statement_in()
    early = sign_publicly(statement, "Early Aid")
    approve(cast, early)
    save_text(cast, statement, BODY + "\nA new demand.\n")
    approve(cast, sign_publicly(statement, "Later Union"))
    review_ = approve_statement(app, cast, statement)
    build_exports(review_.id)  # what the approval operation does (exports/prepared.py)
    db.session.commit()
    page = as_("anonymous").get(f"/published/{statement.id}.html").get_data(as_text=True)
    assert "Later Union" in page and "Early Aid" not in page
    assert "earlier text" not in page and "not listed" not in page
    published = as_("anonymous").get(f"/published/{statement.id}").get_data(as_text=True)
    assert "earlier text" not in published


# -- the transition table -----------------------------------------------------------------------


def test_automatic_approval_is_recorded_with_the_system_as_actor(cast, statement_in):
    cast["round"].auto_approve_verified = True
    statement = statement_in()
    signature = operations.sign(
        cast["signatory"], statement, cast["signer_org"], statement.current_revision_id
    )
    db.session.commit()
    assert signature.state == SignatureState.APPROVED and signature.decided_by is None
    events = {
        e.action: e
        for e in db.session.scalars(select(AuditEvent).where(AuditEvent.object_id == signature.id))
    }
    assert events["signature.sign"].actor_id == cast["signatory"].id
    approval = events["signature.approve"]
    assert approval.actor_id is None and approval.details["actor"] == "system"


def test_decisions_after_publication_are_refused_single_and_bulk(app, cast, statement_in):
    statement = statement_in()
    late = sign_publicly(statement, "Late Aid")
    approve_statement(app, cast, statement)
    with pytest.raises(OperationError, match="published"):
        decisions.approve(cast["coordinator"], late)
    db.session.rollback()
    assert decisions.approve_many(cast["coordinator"], statement.round, [late.id]) == 0
    db.session.commit()
    db.session.refresh(late)
    assert late.state == SignatureState.PENDING
    assert listing.signatory_list(statement) == []


def test_import_approves_through_the_transition(cast, statement_in):
    statement = statement_in()
    importing.commit_import(cast["coordinator"], statement, "organization,country\nImported,KE\n")
    db.session.commit()
    signature = db.session.scalars(select(Signature)).one()
    assert signature.state == SignatureState.APPROVED
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "signature.approve")
    ).one()
    assert event.actor_id == cast["coordinator"].id and event.details["via"] == "import"


# -- manage links: bound to the state and the deadline ------------------------------------------


def test_a_manage_link_stops_working_once_the_sign_on_is_decided(app, as_, cast, statement_in):
    statement = statement_in()
    signature = sign_publicly(statement, "Link Holders")
    old = links.manage_token(signature)
    client = as_("anonymous")
    assert client.get(f"/signatures/manage/{old}").status_code == 200
    with app.test_request_context():
        decisions.approve(cast["coordinator"], signature)
    db.session.commit()
    gone = client.get(f"/signatures/manage/{old}")
    assert gone.status_code == 410 and "now approved" in gone.get_data(as_text=True)
    # The approval e-mail carries a link for the approved signature, which works.
    fresh = mails("signature_approved")[0].body.split("/signatures/manage/")[1].split()[0]
    assert client.get(f"/signatures/manage/{fresh}").status_code == 200
    response = client.post(f"/signatures/manage/{fresh}", data={"action": "withdraw"})
    assert response.status_code == 302
    db.session.refresh(signature)
    assert signature.state == SignatureState.WITHDRAWN
    assert client.post(f"/signatures/manage/{fresh}", data={"action": "withdraw"}).status_code == (
        410
    )
    assert client.get(f"/signatures/manage/{fresh}x").status_code == 404


def test_a_manage_link_expires_with_the_sign_on_deadline(as_, cast, statement_in):
    statement = statement_in()
    signature = sign_publicly(statement, "Late Readers")
    token = links.manage_token(signature)
    statement.signon_deadline = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = as_("anonymous").get(f"/signatures/manage/{token}")
    assert response.status_code == 410 and "expired" in response.get_data(as_text=True)


# -- the rule costs a fixed number of queries ---------------------------------------------------


def test_statement_and_signatories_pages_query_count_is_constant(as_, cast, statement_in):
    statement = statement_in()
    client = as_("coordinator")
    urls = [f"/statements/{statement.id}", f"/statements/{statement.id}/signatures"]

    def add(n, start):
        support.bulk_signatures(statement, n, start=start)
        db.session.execute(update(Signature).where(Signature.id % 2 == 0).values(state="approved"))
        db.session.commit()

    add(10, 0)
    small = [count_queries(client, url) for url in urls]
    add(190, 10)
    assert [count_queries(client, url) for url in urls] == small
    assert "Signed by 100 organizations" in client.get(urls[1]).get_data(as_text=True)
