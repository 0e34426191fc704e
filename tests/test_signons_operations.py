"""Sign-on operations without HTTP: signing, the public form, withdrawal, earlier texts, review."""

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.errors import OperationError
from portal.extensions import db
from portal.models import (
    AuditEvent,
    Organization,
    OutboxMessage,
    PublicSignOn,
    Signature,
    SignatureState,
    StatementState,
    VerificationStatus,
    utcnow,
)
from portal.signons import decisions, links, listing, operations, public
from portal.signons.public import hash_token
from tests import signons_support as support
from tests.helpers.audit import assert_audited
from tests.helpers.rows import count_rows

BODY, save_text = support.BODY, support.save_text


def _actions():
    return [a for (a,) in db.session.execute(select(AuditEvent.action).order_by(AuditEvent.id))]


def _sign(cast, statement, who="signatory", org="signer_org"):
    signature = operations.sign(cast[who], statement, cast[org], statement.current_revision_id)
    db.session.commit()
    return signature


def test_sign_records_the_revision_its_hash_and_the_signer(cast, statement_in):
    statement = statement_in()
    signature = _sign(cast, statement)
    assert signature.state == SignatureState.PENDING
    assert signature.revision_id == statement.current_revision_id
    assert signature.text_hash == statement.current_revision.text_hash
    assert signature.signer == cast["signatory"]
    assert signature.name_key == "reseau migrants and droits"
    assert_audited(
        "signature.sign",
        actor=cast["signatory"],
        subject=signature,
        organization=cast["signer_org"],
    )
    mail = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "signature_received")
    ).one()
    assert mail.recipient == cast["signatory"].email


def test_auto_approve_only_verified_organizations(cast, statement_in, make_org, make_user):
    cast["round"].auto_approve_verified = True
    db.session.commit()
    statement = statement_in()
    assert _sign(cast, statement).state == SignatureState.APPROVED
    unverified = make_org(name="New Group", status=VerificationStatus.PENDING)
    person = make_user(org=unverified, role="signatory")
    signature = operations.sign(person, statement, unverified, statement.current_revision_id)
    assert signature.state == SignatureState.PENDING


@pytest.mark.parametrize(
    "state, message",
    [
        (StatementState.DRAFT, "still a draft"),
        (StatementState.WITHDRAWN, "withdrawn"),
        (StatementState.SUBMITTED, "sign-on is closed"),
        (StatementState.APPROVED, "sign-on is closed"),
        (StatementState.REJECTED, "sign-on is closed"),
        (StatementState.CHANGES_REQUESTED, "sign-on is closed"),
    ],
)
def test_sign_refused_outside_signing(cast, statement_in, state, message):
    statement = statement_in(state)
    with pytest.raises(OperationError, match=message):
        operations.sign(
            cast["signatory"], statement, cast["signer_org"], statement.current_revision_id
        )
    db.session.rollback()
    assert count_rows(Signature) == 0


def test_sign_refused_after_the_deadline(cast, statement_in):
    statement = statement_in()
    statement.signon_deadline = utcnow() - timedelta(seconds=1)
    db.session.commit()
    with pytest.raises(OperationError, match="deadline passed"):
        operations.sign(
            cast["signatory"], statement, cast["signer_org"], statement.current_revision_id
        )
    assert count_rows(Signature) == 0


def test_only_signatories_sign_and_only_the_current_text(cast, statement_in):
    statement = statement_in()
    with pytest.raises(OperationError, match="signatory role"):
        operations.sign(
            cast["member"], statement, cast["signer_org"], statement.current_revision_id
        )
    with pytest.raises(OperationError, match="text changed") as error:
        operations.sign(cast["signatory"], statement, cast["signer_org"], 999_999)
    assert error.value.field == "revision_id"
    assert count_rows(Signature) == 0


def test_second_signature_answers_already_signed(cast, statement_in):
    statement = statement_in()
    _sign(cast, statement)
    with pytest.raises(operations.AlreadySigned, match="already signed"):
        operations.sign(
            cast["signatory"], statement, cast["signer_org"], statement.current_revision_id
        )
    db.session.rollback()
    assert count_rows(Signature) == 1


def test_database_enforces_one_live_signature(cast, statement_in):
    """Even a direct insert, skipping the application's check, cannot add a second live row."""
    statement = statement_in()
    first = _sign(cast, statement)
    twin = Signature(
        statement_id=statement.id,
        organization_id=first.organization_id,
        revision_id=first.revision_id,
        text_hash=first.text_hash,
        state=SignatureState.APPROVED,
    )
    db.session.add(twin)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    # A withdrawn signature is history, not live: signing again is allowed.
    operations.withdraw(cast["signatory"], db.session.get(Signature, first.id))
    db.session.commit()
    again = _sign(cast, statement)
    assert again.id != first.id
    assert count_rows(Signature, Signature.statement_id == statement.id) == 2


def test_withdraw_until_the_deadline(cast, statement_in):
    statement = statement_in()
    signature = _sign(cast, statement)
    with pytest.raises(OperationError, match="Only signatories"):
        operations.withdraw(cast["member"], signature)
    statement.signon_deadline = utcnow() - timedelta(minutes=1)
    db.session.commit()
    with pytest.raises(OperationError, match="deadline passed"):
        operations.withdraw(cast["signatory"], signature)
    db.session.rollback()
    statement.signon_deadline = None
    db.session.commit()
    operations.withdraw(cast["signatory"], signature)
    db.session.commit()
    assert signature.state == SignatureState.WITHDRAWN and signature.withdrawn_at is not None
    with pytest.raises(OperationError, match="already withdrawn"):
        operations.withdraw(cast["signatory"], signature)
    assert_audited(
        "signature.withdraw",
        actor=cast["signatory"],
        subject=signature,
        organization=cast["signer_org"],
    )


def test_substantive_revision_flags_earlier_text_and_mails_a_diff_link(app, cast, statement_in):
    statement = statement_in()
    signature = _sign(cast, statement)
    save_text(cast, statement, BODY + "\nA small fix.\n", substantive=False)
    assert not _earlier(signature)
    assert count_rows(OutboxMessage, OutboxMessage.kind == "signature_earlier_text") == 0
    with app.test_request_context():
        save_text(cast, statement, BODY + "\nA new demand.\n")
    assert _earlier(signature)
    mail = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "signature_earlier_text")
    ).one()
    assert mail.recipient == cast["signatory"].email
    assert "/signatures/manage/" in mail.body
    assert "signature.earlier_text" in _actions()
    operations.reconfirm(cast["signatory"], signature)
    db.session.commit()
    assert not _earlier(signature)
    assert signature.reconfirmed_revision_id == statement.current_revision_id
    with pytest.raises(OperationError, match="already backs"):
        operations.reconfirm(cast["signatory"], signature)


def _earlier(signature) -> bool:
    latest = listing.latest_substantive_number(signature.statement_id)
    return listing.standing(signature, latest) == listing.Standing.EARLIER_TEXT


def test_manage_token_round_trip(cast, statement_in):
    signature = _sign(cast, statement_in())
    token = links.manage_token(signature)
    assert links.signature_from_token(token) == signature
    assert links.signature_from_token(token + "x") is None


# -- the public form ----------------------------------------------------------------------------

PUBLIC = dict(
    name="Asociación Migrantes Unidos",
    country="MX",
    kind="migrant_led",
    website="https://www.migrantes-unidos.org/",
    contact_name="Lucía Pérez",
    email="Lucia@Migrantes-Unidos.org",
    publish=True,
)


def _request(statement, **changes):
    return support.ask_publicly(statement, **{**PUBLIC, **changes})


def test_public_signon_waits_for_the_link_then_reaches_the_coordinator(app, cast, statement_in):
    statement = statement_in()
    with app.test_request_context():
        signon, token = _request(statement)
    db.session.commit()
    assert signon.token_hash == hash_token(token) and token not in signon.token_hash
    assert count_rows(Signature) == 0
    mail = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "signon_confirm")
    ).one()
    assert mail.recipient == "lucia@migrantes-unidos.org"
    assert f"/s/{statement.public_token}/confirm/{token}" in mail.body
    signature = public.confirm_signon(statement, token)
    db.session.commit()
    assert signature.state == SignatureState.PENDING and signature.signer is None
    # No account behind a public sign-on: nobody is named as the actor.
    assert_audited("signature.sign", actor=None, subject=signature, source="public")
    organization = signature.organization
    assert organization.status == VerificationStatus.PENDING
    assert (organization.name, organization.country) == ("Asociación Migrantes Unidos", "MX")
    assert signature.domain == "migrantes-unidos.org"
    with pytest.raises(OperationError, match="already used"):
        public.confirm_signon(statement, token)


def test_expired_and_unknown_links(cast, statement_in):
    statement = statement_in()
    signon, token = _request(statement)
    signon.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    with pytest.raises(OperationError, match="expired"):
        public.confirm_signon(statement, token)
    with pytest.raises(OperationError, match="not valid"):
        public.confirm_signon(statement, "nonsense")
    assert count_rows(Signature) == 0


def test_filling_the_form_again_replaces_the_unconfirmed_link(cast, statement_in):
    statement = statement_in()
    _first, old = _request(statement)
    _second, new = _request(statement)
    db.session.commit()
    assert count_rows(PublicSignOn) == 1
    with pytest.raises(OperationError, match="not valid"):
        public.confirm_signon(statement, old)
    assert public.confirm_signon(statement, new).state == SignatureState.PENDING


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"country": "XX"}, "country", "country"),
        ({"country": ""}, "country", "country"),
        ({"name": "   "}, "name", "Enter your organization"),
        ({"name": "N" * 201}, "name", "too long"),
        ({"email": "not-an-address"}, "email", "valid e-mail"),
        ({"contact_name": ""}, "contact_name", "contact"),
        ({"kind": "cartel"}, "kind", "kind"),
        ({"publish": False}, "publish", "tick the box"),
    ],
)
def test_public_bad_input_writes_nothing(cast, statement_in, changes, field, message):
    statement = statement_in()
    with pytest.raises(OperationError, match=message) as error:
        _request(statement, **changes)
    assert error.value.field == field
    db.session.rollback()
    assert count_rows(PublicSignOn) == 0 and count_rows(OutboxMessage) == 0


@pytest.mark.parametrize("state", [StatementState.DRAFT, StatementState.WITHDRAWN])
def test_public_form_refused_for_draft_and_withdrawn(cast, statement_in, state):
    statement = statement_in(state)
    with pytest.raises(OperationError):
        _request(statement)
    assert count_rows(PublicSignOn) == 0


def test_confirming_after_the_deadline_is_refused(cast, statement_in):
    statement = statement_in()
    _signon, token = _request(statement)
    statement.signon_deadline = utcnow() - timedelta(seconds=1)
    db.session.commit()
    with pytest.raises(OperationError):
        public.confirm_signon(statement, token)
    db.session.rollback()
    assert count_rows(Signature) == 0 and count_rows(Organization) == 3


# -- the coordinator ----------------------------------------------------------------------------


def test_bulk_approve_is_set_based_and_audited(cast, statement_in):
    statement = statement_in()
    first = _sign(cast, statement)
    second = _sign(cast, statement, "other_signatory", "other_org")
    count = decisions.approve_many(cast["coordinator"], cast["round"], [first.id, second.id, 12345])
    db.session.commit()
    assert count == 2
    assert {first.state, second.state} == {SignatureState.APPROVED}
    assert first.decided_by_id == cast["coordinator"].id
    assert _actions().count("signature.approve") == 2
    for signature, organization in ((first, "signer_org"), (second, "other_org")):
        assert_audited(
            "signature.approve",
            actor=cast["coordinator"],
            subject=signature,
            organization=cast[organization],
        )
    # Already approved: skipped, not an error.
    assert decisions.approve_many(cast["coordinator"], cast["round"], [first.id]) == 0
    with pytest.raises(OperationError):
        decisions.approve_many(cast["signatory"], cast["round"], [first.id])


def test_reject_needs_a_reason_and_mails_it(cast, statement_in):
    statement = statement_in()
    signature = _sign(cast, statement)
    with pytest.raises(OperationError, match="reason") as error:
        decisions.reject(cast["coordinator"], signature, "no")
    assert error.value.field == "reason"
    decisions.reject(cast["coordinator"], signature, "We could not confirm this organization.")
    db.session.commit()
    assert signature.state == SignatureState.REJECTED
    assert_audited(
        "signature.reject",
        actor=cast["coordinator"],
        subject=signature,
        organization=cast["signer_org"],
    )
    mail = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "signature_rejected")
    ).one()
    assert "could not confirm" in mail.body and mail.recipient == cast["signatory"].email


def test_sign_many_checks_each_pair_as_sign_does_and_writes_nothing_on_a_refusal(
    cast, statement_in
):
    statement = statement_in()
    revision = statement.current_revision_id
    pairs = [(cast["signatory"], cast["signer_org"]), (cast["member"], cast["other_org"])]
    with pytest.raises(OperationError, match="signatory role"):
        operations.sign_many(statement, pairs, revision)
    assert count_rows(Signature) == 0
    with pytest.raises(operations.AlreadySigned):
        operations.sign_many(
            statement,
            [(cast["signatory"], cast["signer_org"]), (cast["signatory"], cast["signer_org"])],
            revision,
        )
    assert count_rows(Signature) == 0

    signed = operations.sign_many(
        statement,
        [(cast["signatory"], cast["signer_org"]), (cast["other_signatory"], cast["other_org"])],
        revision,
    )
    db.session.commit()
    assert [s.organization for s in signed] == [cast["signer_org"], cast["other_org"]]
    assert all(s.revision_id == revision and s.signer is not None for s in signed)
    assert _actions().count("signature.sign") == 2
    with pytest.raises(operations.AlreadySigned):
        operations.sign_many(statement, [(cast["signatory"], cast["signer_org"])], revision)
