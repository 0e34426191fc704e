"""The deadline reminders: 48 and 24 hours before a sign-on or submission deadline, to the
drafters and the signatories, each exactly once — run twice, run by two workers at the same
moment (PostgreSQL), run by `portal send-reminders` and by RQ's real worker."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.desk import deadlines, jobs
from portal.extensions import db
from portal.models import (
    AuditEvent,
    OutboxMessage,
    ReminderKind,
    SentReminder,
    SignatureState,
    StatementState,
    utcnow,
)


def _reminders() -> list[OutboxMessage]:
    return db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.kind == "deadline_reminder")
        .order_by(OutboxMessage.id)
    ).all()


@pytest.fixture
def closing(crew, make_statement, sign):
    """A statement open for signatures whose sign-on closes in 40 hours (submission in 5 days),
    with a signatory; `now` is when the test looks."""
    now = utcnow()
    round_ = crew["round"]
    round_.signon_deadline = now + timedelta(hours=40)
    round_.submission_deadline = now + timedelta(days=5)
    db.session.commit()
    statement = make_statement(StatementState.SIGNING)
    signature = sign(statement, "Alpha Aid", country="BR", state=SignatureState.PENDING)
    return {"statement": statement, "signature": signature, "now": now}


def test_48_then_24_hours_before_sign_on_closes_each_once(closing, crew):
    now = closing["now"]
    first = deadlines.send_due_reminders(now)
    assert (first.occasions, first.emails) == (1, 2)
    mails = _reminders()
    assert sorted(m.recipient for m in mails) == sorted(
        [crew["drafter"].email, closing["signature"].contact_email]
    )
    assert all(m.subject.startswith("48 hours to the sign-on deadline") for m in mails)
    to_signatory = next(m for m in mails if m.recipient != crew["drafter"].email)
    assert (
        "/signatures/manage/" in to_signatory.body and "Alpha Aid has signed" in to_signatory.body
    )

    again = deadlines.send_due_reminders(now + timedelta(minutes=15))
    assert (again.occasions, again.emails) == (0, 0)
    assert len(_reminders()) == 2

    later = now + timedelta(hours=17)  # 23 hours left
    assert deadlines.send_due_reminders(later).emails == 2
    assert deadlines.send_due_reminders(later).emails == 0
    assert [m.subject[:8] for m in _reminders()] == ["48 hours"] * 2 + ["24 hours"] * 2
    keys = db.session.scalars(select(SentReminder.key).order_by(SentReminder.id)).all()
    assert [k.split(":")[:2] for k in keys] == [
        ["signon_deadline", "48h"],
        ["signon_deadline", "24h"],
    ]
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "statement.deadline_reminder")
    ).all()
    assert [e.details["window"] for e in events] == ["48h", "24h"]


def test_signatories_on_an_earlier_text_are_asked_to_re_confirm(closing, crew):
    from tests.desk_support import new_text

    new_text(closing["statement"], crew["drafter"])
    deadlines.send_due_reminders(closing["now"])
    mail = next(m for m in _reminders() if m.recipient == closing["signature"].contact_email)
    assert "Alpha Aid signed an earlier text. Re-confirm" in mail.body


def test_a_late_first_run_sends_only_the_24_hour_reminder(closing):
    late = closing["now"] + timedelta(hours=30)  # 10 hours left: the 48-hour window was missed
    assert deadlines.send_due_reminders(late).occasions == 1
    assert {m.subject[:8] for m in _reminders()} == {"24 hours"}
    assert deadlines.send_due_reminders(late).occasions == 0


def test_nothing_after_the_deadline_or_once_sign_on_closed(closing, crew):
    assert deadlines.send_due_reminders(closing["now"] + timedelta(hours=41)).occasions == 0
    statement = closing["statement"]
    from portal.statements import workflow

    workflow.apply(statement, "submit", crew["drafter"])
    db.session.commit()
    assert deadlines.send_due_reminders(closing["now"]).occasions == 0
    assert _reminders() == []


def test_a_moved_deadline_is_a_new_occasion(closing, crew):
    now = closing["now"]
    deadlines.send_due_reminders(now)
    crew["round"].signon_deadline = now + timedelta(hours=44)
    db.session.commit()
    assert deadlines.send_due_reminders(now).occasions == 1
    assert len(_reminders()) == 4


def test_submission_deadline_reminds_the_drafters_of_unsubmitted_statements(crew, make_statement):
    now = utcnow()
    round_ = crew["round"]
    round_.submission_deadline = now + timedelta(hours=20)
    round_.signon_deadline = now + timedelta(hours=20)
    db.session.commit()
    draft = make_statement(StatementState.DRAFT, title="Still a draft")
    make_statement(StatementState.SUBMITTED, title="Already in")
    deadlines.send_due_reminders(now)
    claims = db.session.scalars(select(SentReminder)).all()
    assert [(c.statement_id, c.kind) for c in claims] == [
        (draft.id, ReminderKind.SUBMISSION_DEADLINE)
    ]
    mails = _reminders()
    assert [m.recipient for m in mails] == [crew["drafter"].email]
    assert "Submit the statement to the round before then" in mails[0].body


def test_send_reminders_command(app, closing):
    from portal.desk.cli import send_reminders_command

    runner = app.test_cli_runner()
    result = runner.invoke(send_reminders_command)
    assert result.exit_code == 0, result.output
    assert "Sent 2 e-mails for 1 deadline reminders." in result.output
    result = runner.invoke(send_reminders_command)
    assert "Sent 0 e-mails for 0 deadline reminders." in result.output


@pytest.mark.postgres
def test_two_workers_at_the_same_moment_send_once(app, closing, monkeypatch):
    """Both list the occasion as due before either claims it; the unique claim decides."""
    listed = threading.Barrier(2, timeout=30)
    real = deadlines.due_occasions

    def due_then_wait(now=None):
        found = real(now)
        listed.wait()
        return found

    monkeypatch.setattr(deadlines, "due_occasions", due_then_wait)
    results, errors = [], []

    def worker():
        try:
            with app.app_context():
                results.append(deadlines.send_due_reminders(closing["now"]))
                db.session.remove()
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(r.emails for r in results) == [0, 2]
    db.session.expire_all()
    assert len(_reminders()) == 2
    assert db.session.scalar(select(func.count(SentReminder.id))) == 1


# -- RQ: the periodic job run by `portal worker` ----------------------------------------------


@pytest.fixture
def rq_connection(redis_queue):
    """The Redis queue of the export tests (a queue named for this test, a burst worker); at
    the end, the reminder cron job's keys go too."""
    from rq.cron import get_cron_job_ids
    from rq.cron_job_registry import get_registry_key

    yield redis_queue
    connection = redis_queue.connection
    name = f"portal.reminders.{redis_queue.token}"
    ids = get_cron_job_ids(name, connection)
    keys = [
        key
        for key in connection.scan_iter(match="rq:*", count=1000)
        if any(mark in key.decode() for mark in ids)
    ]
    if keys:
        connection.delete(*keys)
    connection.zrem(get_registry_key(), name)


@pytest.mark.commits  # the worker opens its own connection
def test_worker_runs_the_periodic_reminder_job_and_never_sends_twice(closing, rq_connection):
    from rq import Queue
    from rq.job import Job

    connection, token = rq_connection.connection, rq_connection.token
    jobs.start_for_worker(burst=True)  # what `portal worker --burst` does before working
    queue = Queue(token, connection=connection)
    assert queue.count == 1
    job = Job.fetch(queue.job_ids[0], connection=connection)
    assert job.func_name == "portal.desk.jobs.run_reminders"
    rq_connection.work()
    assert job.get_status(refresh=True) == "finished"
    assert job.return_value() == {"occasions": 1, "emails": 2}
    assert len(_reminders()) == 2

    # The next tick (another worker, or the interval) queues it again: it sends nothing.
    jobs.start_for_worker(burst=True)
    rq_connection.work()
    assert len(_reminders()) == 2


def test_clock_thread_queues_the_job_on_its_interval(app, rq_connection, monkeypatch):
    from rq import Queue

    connection, token = rq_connection.connection, rq_connection.token
    monkeypatch.setattr(jobs, "INTERVAL", 1)
    clock = jobs.start_clock(connection, token)
    try:
        queue = Queue(token, connection=connection)
        deadline = utcnow() + timedelta(seconds=10)
        while queue.count < 2 and utcnow() < deadline:
            threading.Event().wait(0.2)
        assert queue.count >= 2  # queued at once, then again a second later
    finally:
        clock.stop.set()
        clock.join(timeout=10)
    assert not clock.is_alive()
