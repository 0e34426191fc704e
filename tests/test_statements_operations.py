"""Drafting operations without HTTP: who may do what, in which state, before which deadline."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.errors import OperationError
from portal.extensions import db
from portal.models import (
    AuditEvent,
    Comment,
    DrafterState,
    OutboxMessage,
    Revision,
    StatementState,
    VerificationStatus,
    utcnow,
)
from portal.statements import operations
from portal.text import text_hash
from tests.helpers.audit import assert_audited

from .statements_support import BODY, make_draft


def _actions(statement_id=None):
    query = select(AuditEvent.action).order_by(AuditEvent.id)
    return list(db.session.scalars(query))


def _revision_count(statement):
    return db.session.scalar(
        select(func.count(Revision.id)).where(Revision.statement_id == statement.id)
    )


# -- create -------------------------------------------------------------------------------------


def test_create_makes_a_draft_led_by_the_organization(people, make_round):
    round_ = make_round()
    statement = make_draft(people["member"], people["org"], round_, title="  Our   statement ")
    assert statement.state == StatementState.DRAFT
    assert statement.lead_organization == people["org"]
    assert statement.title == "Our statement"
    revision = statement.current_revision
    assert revision.number == 1
    assert revision.author == people["member"]
    assert revision.text_hash == text_hash("Our statement", BODY)
    assert revision.word_count > 10
    assert len(statement.public_token) >= 32
    assert_audited(
        "statement.create", actor=people["member"], subject=statement, organization=people["org"]
    )


def test_public_tokens_differ(people, make_round):
    round_ = make_round()
    one = make_draft(people["member"], people["org"], round_)
    two = make_draft(people["member"], people["org"], round_)
    assert one.public_token != two.public_token


@pytest.mark.parametrize(
    "case, field",
    [
        ("not_member", "lead"),
        ("unverified", "lead"),
        ("closed", None),
        ("upcoming", None),
        ("other_area", "area"),
        ("empty_title", "title"),
        ("empty_body", "body"),
        ("bad_language", "language"),
    ],
)
def test_create_refused(case, field, people, make_round, make_org, make_user):
    round_ = make_round(phase={"closed": "closed", "upcoming": "upcoming"}.get(case, "open"))
    org = people["org"]
    user = people["member"]
    kwargs = dict(area=round_.areas[0], organization=org, title="T", body="Text.")
    if case == "not_member":
        user = people["outsider"]
    elif case == "unverified":
        org = make_org(status=VerificationStatus.PENDING)
        user = make_user(org=org)
        kwargs["organization"] = org
    elif case == "other_area":
        kwargs["area"] = make_round().areas[0]
    elif case == "empty_title":
        kwargs["title"] = "   "
    elif case == "empty_body":
        kwargs["body"] = "\n\n"
    elif case == "bad_language":
        kwargs["language"] = "English!"
    with pytest.raises(OperationError) as error:
        operations.create_statement(user, round_, **kwargs)
    assert error.value.field == field
    db.session.rollback()
    assert db.session.scalar(select(func.count(Revision.id))) == 0
    assert _actions() == []


def test_closed_round_message_names_the_deadline(people, make_round):
    round_ = make_round(phase="closed")
    with pytest.raises(OperationError, match=r"submission deadline passed on .*America/New_York"):
        operations.create_statement(
            people["member"],
            round_,
            area=round_.areas[0],
            organization=people["org"],
            title="T",
            body="x",
        )


# -- co-drafters --------------------------------------------------------------------------------


def test_invite_accept_makes_members_drafters(drafting):
    d = drafting
    assert d.drafter.state == DrafterState.ACCEPTED
    assert d.statement.is_drafter(d.co_member)
    assert d.statement.can_edit(d.co_member)
    assert not d.statement.can_invite(d.co_member)  # only the lead invites
    statement = d.statement
    assert_audited(
        "statement.invite", actor=d.lead_member, subject=statement, organization=d.lead_org
    )
    assert_audited("statement.accept", actor=d.co_admin, subject=statement, organization=d.co_org)
    recipients = set(db.session.scalars(select(OutboxMessage.recipient)))
    assert d.co_admin.email in recipients  # invitation
    assert d.lead_member.email in recipients  # the inviter hears the answer


def test_decline_and_reinvite(app, drafting):
    d = drafting
    with app.test_request_context():
        drafter = operations.invite_drafter(d.lead_member, d.statement, d.other_org)
        assert d.statement.can_view(d.other_member)  # the invited admin reads before deciding
        operations.respond_to_invitation(d.other_member, drafter, accept=False)
        assert drafter.state == DrafterState.DECLINED
        assert not d.statement.can_view(d.other_member)
        with pytest.raises(OperationError, match="already declined"):
            operations.respond_to_invitation(d.other_member, drafter, accept=True)
        again = operations.invite_drafter(d.lead_member, d.statement, d.other_org)
    assert again.id == drafter.id and again.state == DrafterState.INVITED
    assert_audited(
        "statement.decline", actor=d.other_member, subject=d.statement, organization=d.other_org
    )


def test_invite_refusals(app, drafting, make_org):
    d = drafting
    with app.test_request_context():
        with pytest.raises(OperationError, match="already co-drafts"):
            operations.invite_drafter(d.lead_member, d.statement, d.co_org)
        with pytest.raises(OperationError, match="lead organization drafts"):
            operations.invite_drafter(d.lead_member, d.statement, d.lead_org)
        with pytest.raises(OperationError, match="Only members of the lead"):
            operations.invite_drafter(d.co_member, d.statement, d.other_org)
        pending = make_org(status=VerificationStatus.PENDING)
        with pytest.raises(OperationError, match="verified"):
            operations.invite_drafter(d.lead_member, d.statement, pending)
        drafter = operations.invite_drafter(d.lead_member, d.statement, d.other_org)
        with pytest.raises(OperationError, match="admins"):
            operations.respond_to_invitation(d.co_admin, drafter, accept=True)


# -- revisions ----------------------------------------------------------------------------------


def _save(d, user, body, base=None, **kwargs):
    return operations.save_revision(
        user,
        d.statement,
        base_revision_id=base if base is not None else d.statement.current_revision_id,
        title=kwargs.pop("title", d.statement.title),
        body=body,
        **kwargs,
    )


def test_save_adds_a_revision_and_records_it(drafting):
    d = drafting
    revision = _save(d, d.co_member, BODY + "\nOne more line.\n", note="Added a line")
    db.session.commit()
    assert revision.number == 2
    assert d.statement.current_revision == revision
    assert revision.organization_id == d.co_org.id
    assert revision.note == "Added a line"
    # The co-drafter saved it, for its own organization, not the lead's.
    assert_audited("statement.save", actor=d.co_member, subject=d.statement, organization=d.co_org)


def test_save_over_a_newer_revision_is_a_conflict(drafting):
    d = drafting
    base = d.statement.current_revision_id
    _save(d, d.co_member, BODY + "\nTheirs.\n", base=base)
    db.session.commit()
    with pytest.raises(operations.EditConflict) as conflict:
        _save(d, d.lead_member, BODY + "\nMine.\n", base=base)
    assert conflict.value.base_revision_id == base
    db.session.rollback()
    assert _revision_count(d.statement) == 2
    assert "Theirs" in d.statement.current_revision.body


@pytest.mark.commits  # another transaction, on its own connection, moves the pointer
def test_conflict_detected_even_with_a_stale_statement_object(drafting):
    """The in-memory statement still points at the base; the database knows better."""
    d = drafting
    base = d.statement.current_revision
    # Another transaction moved the pointer behind this session's back.
    newer = Revision(
        statement_id=d.statement.id,
        number=2,
        title="T",
        body="Other text\n",
        text_hash=text_hash("T", "Other text\n"),
    )
    with db.engine.begin() as connection:
        from portal.models import Statement

        result = connection.execute(Revision.__table__.insert().values(**_row(newer)))
        connection.execute(
            Statement.__table__.update()
            .where(Statement.id == d.statement.id)
            .values(current_revision_id=result.inserted_primary_key[0])
        )
    assert d.statement.current_revision_id == base.id  # stale in this session
    with pytest.raises(operations.EditConflict):
        _save(d, d.lead_member, BODY + "\nMine.\n", base=base.id)
    db.session.rollback()
    assert _revision_count(d.statement) == 2


def _row(revision):
    return {
        "statement_id": revision.statement_id,
        "number": revision.number,
        "title": revision.title,
        "body": revision.body,
        "text_hash": revision.text_hash,
        "created_at": utcnow(),
        "substantive": True,
        "word_count": 2,
    }


def test_save_refuses_unchanged_text(drafting):
    d = drafting
    with pytest.raises(OperationError, match="Nothing changed"):
        _save(d, d.lead_member, BODY.replace("\n", "  \r\n"))


@pytest.mark.parametrize(
    "state", [StatementState.SUBMITTED, StatementState.APPROVED, StatementState.REJECTED]
)
def test_locked_states_refuse_edits(drafting, state):
    d = drafting
    d.statement.state = state
    db.session.commit()
    assert not d.statement.can_edit(d.lead_member)
    with pytest.raises(OperationError, match="locked"):
        _save(d, d.lead_member, BODY + "x")


def test_no_edits_after_the_deadline_until_extended(drafting):
    d = drafting
    d.round.submission_deadline = utcnow() - timedelta(minutes=1)
    db.session.commit()
    with pytest.raises(OperationError, match="deadline passed"):
        _save(d, d.lead_member, BODY + "late")
    db.session.rollback()
    d.round.submission_deadline = utcnow() + timedelta(days=1)  # a coordinator extends it
    db.session.commit()
    assert _save(d, d.lead_member, BODY + "late").number == 2


def test_outsiders_and_coordinators_cannot_edit(drafting):
    d = drafting
    for user in (d.other_member, d.coordinator, d.outsider):
        with pytest.raises(OperationError, match="Only members of the drafting"):
            _save(d, user, BODY + "x")


def test_revisions_are_immutable(drafting):
    revision = drafting.statement.current_revision
    revision.body = "changed"
    with pytest.raises(ValueError, match="immutable"):
        db.session.flush()
    db.session.rollback()


def test_restore_makes_a_new_revision(drafting):
    d = drafting
    first = d.statement.current_revision
    _save(d, d.lead_member, "Completely different.\n")
    db.session.commit()
    restored = operations.restore_revision(d.co_member, d.statement, first)
    db.session.commit()
    assert restored.number == 3
    assert restored.body == first.body and restored.text_hash == first.text_hash
    assert restored.restored_from == 1
    assert restored.note == "Restored revision 1"
    assert_audited(
        "statement.restore", actor=d.co_member, subject=d.statement, organization=d.co_org
    )
    with pytest.raises(OperationError, match="same as the current"):
        operations.restore_revision(d.co_member, d.statement, first)


def test_revision_created_signal(drafting):
    received = []

    def listener(statement, revision, substantive):
        received.append((statement.id, revision.number, substantive))

    operations.revision_created.connect(listener)
    try:
        _save(drafting, drafting.lead_member, BODY + "typo", substantive=False)
    finally:
        operations.revision_created.disconnect(listener)
    assert received == [(drafting.statement.id, 2, False)]


# -- comments -----------------------------------------------------------------------------------


def test_comments_quotes_replies_and_resolution(drafting):
    d = drafting
    top = operations.add_comment(
        d.co_member, d.statement, body="Too vague?", quote="connected   across networks"
    )
    reply = operations.add_comment(d.lead_member, d.statement, body="Agreed.", parent=top)
    deeper = operations.add_comment(d.coordinator, d.statement, body="Me too.", parent=reply)
    db.session.commit()
    assert reply.parent_id == top.id and deeper.parent_id == top.id  # one level deep
    assert top.organization_id == d.co_org.id and deeper.organization_id is None
    assert top.revision_id == d.statement.current_revision_id
    operations.set_comment_resolved(d.lead_member, top, resolved=True)
    assert top.resolved and top.resolved_by_id == d.lead_member.id
    with pytest.raises(OperationError, match="already resolved"):
        operations.set_comment_resolved(d.lead_member, top, resolved=True)
    operations.set_comment_resolved(d.co_member, top, resolved=False)
    assert not top.resolved
    actions = _actions()
    assert actions.count("comment.create") == 3
    assert "comment.resolve" in actions and "comment.reopen" in actions


def test_comment_refusals(drafting):
    d = drafting
    with pytest.raises(OperationError, match="cannot comment"):
        operations.add_comment(d.other_member, d.statement, body="Hi")
    with pytest.raises(OperationError, match="Write a comment"):
        operations.add_comment(d.co_member, d.statement, body="  ")
    with pytest.raises(OperationError, match="not in the current text") as error:
        operations.add_comment(d.co_member, d.statement, body="x", quote="words never written")
    assert error.value.field == "quote"
    db.session.rollback()
    assert db.session.scalar(select(func.count(Comment.id))) == 0
