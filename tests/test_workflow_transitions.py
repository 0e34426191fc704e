"""The transition table: every state × action, permissions, messages, audit, edit lock."""

import pytest
from sqlalchemy import func, select

from portal.errors import OperationError
from portal.extensions import db
from portal.models import AuditEvent, OutboxMessage, Review, StatementState, Submission
from portal.statements import operations, workflow
from tests.helpers.audit import assert_audited

S = StatementState
LEGAL = {
    (S.DRAFT, "open_signing"): S.SIGNING,
    (S.SIGNING, "submit"): S.SUBMITTED,
    (S.SUBMITTED, "request_changes"): S.CHANGES_REQUESTED,
    (S.CHANGES_REQUESTED, "resume"): S.SIGNING,
    (S.SUBMITTED, "approve"): S.APPROVED,
    (S.SUBMITTED, "reject"): S.REJECTED,
    (S.DRAFT, "withdraw"): S.WITHDRAWN,
    (S.SIGNING, "withdraw"): S.WITHDRAWN,
    (S.SUBMITTED, "withdraw"): S.WITHDRAWN,
    (S.CHANGES_REQUESTED, "withdraw"): S.WITHDRAWN,
}
COORDINATOR_ACTIONS = {"request_changes", "approve", "reject"}


def _counts():
    return (
        db.session.scalar(select(func.count(AuditEvent.id))),
        db.session.scalar(select(func.count(OutboxMessage.id))),
        db.session.scalar(select(func.count(Submission.id))),
        db.session.scalar(select(func.count(Review.id))),
    )


def _actor(crew, action):
    return crew["coordinator"] if action in COORDINATOR_ACTIONS else crew["drafter"]


@pytest.mark.parametrize("action", workflow.ACTIONS)
@pytest.mark.parametrize("state", list(S))
def test_every_state_and_action(crew, make_statement, state, action):
    statement = make_statement(state)
    before = _counts()
    user = _actor(crew, action)
    target = LEGAL.get((state, action))
    if target is None:
        with pytest.raises(OperationError):
            workflow.apply(statement, action, user, message="A reason.")
        db.session.rollback()
        assert db.session.get(type(statement), statement.id).state == state
        assert _counts() == before
        assert not statement.can_transition(action, user)
        return
    assert statement.can_transition(action, user)
    workflow.apply(statement, action, user, message="A reason.")
    db.session.commit()
    assert statement.state == target
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event == assert_audited(
        f"statement.{action}", actor=user, subject=statement, organization=crew["lead"]
    )
    assert event.details["from"] == state and event.details["to"] == target
    assert _counts()[0] == before[0] + 1


@pytest.mark.parametrize("action", workflow.ACTIONS)
def test_wrong_person_is_refused(crew, make_statement, action):
    source = next(s for (s, a) in LEGAL if a == action)
    statement = make_statement(source)
    wrong = crew["drafter"] if action in COORDINATOR_ACTIONS else crew["outsider"]
    before = _counts()
    with pytest.raises(OperationError, match="Only"):
        workflow.apply(statement, action, wrong, message="A reason.")
    db.session.rollback()
    assert statement.state == source
    assert _counts() == before


@pytest.mark.parametrize("action", ["request_changes", "reject"])
def test_decisions_against_need_a_message(crew, make_statement, action):
    statement = make_statement(S.SUBMITTED)
    with pytest.raises(OperationError) as error:
        workflow.apply(statement, action, crew["coordinator"], message="   ")
    assert error.value.field == "message"
    db.session.rollback()
    assert statement.state == S.SUBMITTED


def test_submission_records_the_locked_revision_and_edits_are_refused(crew, make_statement):
    statement = make_statement(S.SIGNING)
    submission = workflow.apply(statement, "submit", crew["drafter"])
    db.session.commit()
    assert submission.number == 1
    assert submission.revision_id == statement.current_revision_id
    with pytest.raises(OperationError, match="locked"):
        operations.save_revision(
            crew["drafter"],
            statement,
            base_revision_id=statement.current_revision_id,
            title="Changed",
            body="Changed text.",
        )


def test_resubmission_after_changes_counts_up(crew, make_statement):
    statement = make_statement(S.CHANGES_REQUESTED)
    operations.save_revision(
        crew["drafter"],
        statement,
        base_revision_id=statement.current_revision_id,
        title=statement.title,
        body=statement.current_revision.body + "\nOne more sentence.\n",
    )
    workflow.apply(statement, "resume", crew["drafter"])
    second = workflow.apply(statement, "submit", crew["drafter"])
    db.session.commit()
    assert second.number == 2
    assert second.revision.number == 2
    review = workflow.apply(statement, "approve", crew["coordinator"])
    assert review.submission_id == second.id and review.revision.number == 2


def test_decisions_are_mailed_to_drafters_and_signatories(crew, make_statement, sign):
    statement = make_statement(S.SIGNING)
    sign(statement, "Signing Friends")
    workflow.apply(statement, "submit", crew["drafter"])
    workflow.apply(statement, "approve", crew["coordinator"], message="Well done.")
    db.session.commit()
    approved = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "statement_approved")
    ).all()
    # The drafters get the coordinator's message; each signer gets a message true for it.
    assert [m.recipient for m in approved] == [crew["drafter"].email]
    assert "Well done." in approved[0].body
    told = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "signature_statement_approved")
    ).one()
    assert told.recipient == "contact@" + statement_org_slug(statement) + ".example.org"
    assert "is on its signatory list" in told.body and "Well done." not in told.body
    submitted = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "statement_submitted")
    ).all()
    # The lead's drafter submitted, so they are not told; the coordinator and signatory are.
    assert crew["coordinator"].email in {m.recipient for m in submitted}
    assert crew["drafter"].email not in {m.recipient for m in submitted}


def statement_org_slug(statement):
    from portal.models import Signature

    signature = db.session.scalars(
        select(Signature).where(Signature.statement_id == statement.id)
    ).one()
    return signature.organization.slug


def test_approval_freezes_signatories_of_the_approved_text(crew, make_statement, sign):
    statement = make_statement(S.SIGNING)
    first = statement.current_revision
    sign(statement, "Early Bird", revision=first)
    sign(statement, "Still Pending", state="pending")
    operations.save_revision(
        crew["drafter"],
        statement,
        base_revision_id=first.id,
        title=statement.title,
        body=first.body + "\nA new ask.\n",
    )
    db.session.commit()
    sign(statement, "Zeta Union", country="FR")
    sign(statement, "Alpha Aid", country="BR")
    workflow.apply(statement, "submit", crew["drafter"])
    review = workflow.apply(statement, "approve", crew["coordinator"])
    db.session.commit()
    assert [row["name"] for row in review.signatories] == ["Alpha Aid", "Zeta Union"]
    assert review.left_out == 1


def test_withdraw_records_the_state_it_left(crew, make_statement):
    statement = make_statement(S.SUBMITTED)
    workflow.apply(statement, "withdraw", crew["drafter"])
    assert statement.withdrawn_from == S.SUBMITTED
    assert not statement.is_private


def test_unknown_action(crew, make_statement):
    statement = make_statement(S.DRAFT)
    with pytest.raises(OperationError, match="Unknown"):
        workflow.apply(statement, "publish", crew["drafter"])
