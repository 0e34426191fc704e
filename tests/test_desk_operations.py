"""The desk without HTTP: who still owes a statement an answer, the lead's reminder (previewed,
once a day, audited, refused without writing), and the counts the desk and badges show."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.desk import queries, reminders
from portal.desk.signatures import awaiting_counts, earlier_signatures, unconfirmed_signons
from portal.desk.signon_list import funnels, open_for_signature
from portal.errors import OperationError
from portal.extensions import db
from portal.models import (
    AuditEvent,
    MemberRole,
    Membership,
    MembershipState,
    OutboxMessage,
    OutboxStatus,
    SentReminder,
    SignatureState,
    StatementState,
    VerificationStatus,
    utcnow,
)
from portal.statements import operations as statements
from tests import desk_support as support
from tests.helpers.rows import count_rows

new_text = support.new_text


def test_awaiting_counts_each_kind_of_unfinished_sign_on(chased):
    statement = chased["statement"]
    counts = awaiting_counts([statement.id])[statement.id]
    assert (counts.pending, counts.earlier, counts.unconfirmed) == (
        2,
        1,
        2,
    )  # Gamma and the confirmed Zeta
    assert counts.to_remind == 3
    assert [s.id for s in earlier_signatures(statement.id)] == [chased["alpha"].id]
    emails = sorted(s.email for s in unconfirmed_signons(statement.id))
    assert emails == ["delta@example.org", "epsilon@example.org"]


def test_reconfirmed_signature_is_no_longer_awaited(chased, crew):
    from portal.signons import operations as signons

    statement = chased["statement"]
    signons.reconfirm(None, chased["alpha"])
    db.session.commit()
    assert awaiting_counts([statement.id])[statement.id].earlier == 0


def test_lead_reminder_goes_once_with_the_note_and_is_audited(chased, crew):
    statement, drafter = chased["statement"], crew["drafter"]
    plan = reminders.reminder_plan(statement)
    previewed = reminders.preview(plan, "We close on Friday.")
    assert [count for count, _subject, _body in previewed] == [1, 2]
    assert all("We close on Friday." in body for _count, _subject, body in previewed)

    sent = reminders.send_lead_reminder(drafter, statement, "We close on Friday.")
    db.session.commit()
    assert sent == 3
    mails = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind.like("reminder_%"))
    ).all()
    assert sorted(m.recipient for m in mails) == sorted(
        [chased["alpha"].contact_email, "delta@example.org", "epsilon@example.org"]
    )
    assert {m.subject for m in mails} == {f"Reminder: {statement.title}"}
    earlier_mail = next(m for m in mails if m.kind == "reminder_earlier_text")
    assert "/signatures/manage/" in earlier_mail.body and "We close on Friday." in earlier_mail.body
    assert previewed[0][2] == earlier_mail.body  # the preview is the message
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "statement.remind")
    ).one()
    assert event.actor_id == drafter.id and event.details["recipients"] == 3
    assert event.details["earlier"] == [chased["alpha"].id]
    claim = db.session.scalars(select(SentReminder)).one()
    assert claim.recipients == 3 and claim.sent_by_id == drafter.id


def test_second_reminder_within_a_day_is_refused_and_writes_nothing(chased, crew):
    statement, drafter = chased["statement"], crew["drafter"]
    reminders.send_lead_reminder(drafter, statement)
    db.session.commit()
    before = (count_rows(OutboxMessage), count_rows(AuditEvent), count_rows(SentReminder))
    with pytest.raises(OperationError, match="the next can go from"):
        reminders.send_lead_reminder(drafter, statement)
    db.session.rollback()
    assert (count_rows(OutboxMessage), count_rows(AuditEvent), count_rows(SentReminder)) == before
    # A day later it may go again.
    later = utcnow() + timedelta(days=1, minutes=1)
    assert reminders.send_lead_reminder(drafter, statement, now=later) == 3
    db.session.commit()
    assert count_rows(SentReminder) == 2


def test_same_day_claim_is_the_lock(chased, crew, monkeypatch):
    """Two leads at the same moment both read "no reminder yet": the day's row lets one through."""
    statement, drafter = chased["statement"], crew["drafter"]
    now = utcnow()
    db.session.add(
        SentReminder(statement_id=statement.id, kind="lead", key=f"lead:{now.date().isoformat()}")
    )
    db.session.flush()
    monkeypatch.setattr(reminders, "last_lead_reminder", lambda statement: None)
    with pytest.raises(OperationError, match="already went out today"):
        reminders.send_lead_reminder(drafter, statement, now=now)
    assert count_rows(OutboxMessage, OutboxMessage.kind.like("reminder_%")) == 0
    db.session.rollback()


@pytest.mark.parametrize(
    ("who", "message"),
    [("outsider", "Only members of the lead organization"), ("coordinator", "Only members")],
)
def test_only_the_lead_reminds(chased, crew, who, message):
    assert not chased["statement"].can_remind(crew[who])
    with pytest.raises(OperationError, match=message):
        reminders.send_lead_reminder(crew[who], chased["statement"])
    db.session.rollback()
    assert count_rows(OutboxMessage, OutboxMessage.kind.like("reminder_%")) == 0


def test_nothing_to_remind_and_long_note_are_refused(crew, make_statement):
    statement = make_statement(StatementState.SIGNING)
    with pytest.raises(OperationError, match="No organization is waiting"):
        reminders.send_lead_reminder(crew["drafter"], statement)
    with pytest.raises(OperationError) as refused:
        reminders.send_lead_reminder(crew["drafter"], statement, "x" * 1001)
    assert refused.value.field == "note"
    db.session.rollback()
    assert (
        count_rows(SentReminder) == 0
        and count_rows(AuditEvent, AuditEvent.action == "statement.remind") == 0
    )


@pytest.mark.parametrize("state", [StatementState.DRAFT, StatementState.APPROVED])
def test_no_reminder_outside_sign_on(crew, make_statement, state):
    statement = make_statement(state)
    assert not statement.can_remind(crew["drafter"])


# -- the desk's counts -----------------------------------------------------------------------


def test_coordinator_desk_counts_per_round(chased, crew, make_org, make_round, sign):
    statement = chased["statement"]
    pending_org = make_org(name="Unverified Circle", status=VerificationStatus.PENDING)
    from portal.signons import operations as signons

    signature = signons.new_signature(
        statement, pending_org, statement.current_revision, state=SignatureState.PENDING
    )
    signons.insert_signature(signature)
    # A near-duplicate of Gamma Group (same folded name and country).
    sign(statement, "GAMMA group", country="PH", state=SignatureState.PENDING)
    db.session.add(
        OutboxMessage(
            recipient="x@example.org", subject="s", body="b", kind="k", status=OutboxStatus.FAILED
        )
    )
    make_round(phase="closed")  # not on the desk
    db.session.commit()

    desk = queries.coordinator_desk()
    assert [w.round.id for w in desk.rounds] == [crew["round"].id]
    work = desk.rounds[0]
    # Gamma, its twin, the unverified circle, and Zeta (confirmed on the public page).
    assert work.signons_pending == 4
    assert work.possible_duplicates == 2
    assert work.organizations_to_verify == 2  # the circle and Zeta, created unverified
    assert work.submitted == 0
    assert desk.organizations_to_verify == 2 and desk.failed_emails == 1


def test_deadlines_in_the_next_72_hours(crew, make_statement):
    round_ = crew["round"]
    now = utcnow()
    round_.signon_deadline = now + timedelta(hours=30)
    db.session.commit()
    statement = make_statement(StatementState.SIGNING)
    statement.signon_deadline = now + timedelta(hours=10)
    db.session.commit()
    work = queries.coordinator_desk(now).rounds[0]
    assert [label for label, _when in work.deadlines] == ["Sign-on deadline"]
    assert work.statements_closing == 1


def test_member_desk_for_an_organization_admin_and_lead(chased, crew, make_user, make_org):
    lead, drafter = crew["lead"], crew["drafter"]
    db.session.add(
        Membership(
            user=make_user(),
            organization=lead,
            role=MemberRole.MEMBER,
            state=MembershipState.REQUESTED,
        )
    )
    other = make_org(name="Other Lead")
    other_admin = make_user(org=other, role=MemberRole.ADMIN)
    draft = statements.create_statement(
        other_admin,
        crew["round"],
        area=crew["round"].areas[0],
        organization=other,
        title="T",
        body="Body text here.",
    )
    statements.invite_drafter(other_admin, draft, lead)
    db.session.commit()

    desk = queries.member_desk(drafter)
    assert [(r.slug, r.count) for r in desk.join_requests] == [(lead.slug, 1)]
    assert desk.invitations == 1
    assert [item.statement_id for item in desk.led] == [chased["statement"].id]
    assert desk.led[0].awaiting.to_remind == 3
    assert desk.earlier == []  # the lead's own organization signed nothing

    badges = queries.badges(drafter)
    assert (badges.desk, badges.verify, badges.outbox) == (2, 0, 0)


def test_signatory_sees_its_signature_on_an_earlier_text(crew, make_statement, make_user, make_org):
    from portal.signons import operations as signons

    statement = make_statement(StatementState.SIGNING)
    org = make_org(name="Signing Org")
    signer = make_user(org=org, role=MemberRole.SIGNATORY)
    signons.sign(signer, statement, org, statement.current_revision_id)
    db.session.commit()
    assert queries.member_desk(signer).earlier == []
    new_text(statement, crew["drafter"])
    earlier = queries.member_desk(signer).earlier
    assert [(e.statement_id, e.organization) for e in earlier] == [(statement.id, "Signing Org")]
    assert queries.badges(signer).desk == 1


# -- the public sign-on list -------------------------------------------------------------------


def test_funnel_opened_confirmed_approved(chased, crew):
    statement = chased["statement"]
    funnel = funnels([statement.id])[statement.id]
    # Alpha, Beta, Gamma and the confirmed Zeta signed; Delta and Epsilon only asked.
    assert (funnel.opened, funnel.confirmed, funnel.approved) == (6, 4, 2)
    listed = open_for_signature(crew["round"], crew["drafter"])
    assert [(i.statement.id, i.funnel == funnel) for i in listed] == [(statement.id, True)]
    assert open_for_signature(crew["round"], crew["outsider"])[0].funnel is None
