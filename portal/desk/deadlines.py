"""The portal's own reminders, 48 and 24 hours before a deadline: the sign-on deadline of a
statement open for signatures (to its drafters and its signatories) and the round's submission
deadline (to the drafters of every statement not yet submitted).

Run every few minutes by `portal worker` (an RQ periodic job) or `portal send-reminders` from
cron. Never twice: each occasion is claimed by a row in sent_reminders whose (statement, key) is
unique, inserted in the same transaction as the e-mails it sends. A second run finds the row;
a concurrent one waits on the unique index and then fails its insert, sending nothing.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import url_for
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..core.template_helpers import zoned
from ..extensions import db
from ..mail import queue_message
from ..models import (
    ReminderKind,
    Round,
    SentReminder,
    Signature,
    Statement,
    StatementState,
    utcnow,
)
from ..signons.links import manage_token
from ..signons.listing import Standing, listing
from ..statements.recipients import drafter_emails

log = logging.getLogger(__name__)
# Checked from the closest: a job that was down during the 48-hour window sends only the 24-hour
# reminder, never both at once.
WINDOWS = (("24h", timedelta(hours=24)), ("48h", timedelta(hours=48)))
HORIZON = WINDOWS[-1][1]
NOT_SUBMITTED = (StatementState.DRAFT, StatementState.SIGNING, StatementState.CHANGES_REQUESTED)
WHAT = {
    ReminderKind.SIGNON_DEADLINE: _l("sign-on"),
    ReminderKind.SUBMISSION_DEADLINE: _l("submission"),
}


@dataclass(frozen=True)
class Occasion:
    statement_id: int
    kind: ReminderKind
    deadline: datetime
    window: str

    @property
    def key(self) -> str:
        when = self.deadline.astimezone(UTC).isoformat(timespec="seconds")
        return f"{self.kind.value}:{self.window}:{when}"

    @property
    def hours(self) -> int:
        return int(dict(WINDOWS)[self.window].total_seconds() // 3600)


def window(deadline: datetime, now: datetime) -> str | None:
    """Which reminder is due for `deadline` at `now`, if any."""
    left = deadline - now
    if left <= timedelta(0):
        return None
    for name, span in WINDOWS:
        if left <= span:
            return name
    return None


def _effective_signon(statement_deadline, round_deadline):
    return round_deadline if statement_deadline is None else min(statement_deadline, round_deadline)


def due_occasions(now: datetime | None = None) -> list[Occasion]:
    """Every reminder due now and not sent yet, in three queries."""
    now = now or utcnow()
    soon = now + HORIZON
    found = []
    signing = db.session.execute(
        select(Statement.id, Statement.signon_deadline, Round.signon_deadline)
        .join(Round, Round.id == Statement.round_id)
        .where(
            Statement.state == StatementState.SIGNING,
            or_(
                and_(Round.signon_deadline > now, Round.signon_deadline <= soon),
                and_(Statement.signon_deadline > now, Statement.signon_deadline <= soon),
            ),
        )
    ).all()
    for statement_id, own, round_deadline in signing:
        deadline = _effective_signon(own, round_deadline)
        found.append((statement_id, ReminderKind.SIGNON_DEADLINE, deadline))
    submitting = db.session.execute(
        select(Statement.id, Round.submission_deadline)
        .join(Round, Round.id == Statement.round_id)
        .where(
            Statement.state.in_(NOT_SUBMITTED),
            Round.submission_deadline > now,
            Round.submission_deadline <= soon,
        )
    ).all()
    for statement_id, deadline in submitting:
        found.append((statement_id, ReminderKind.SUBMISSION_DEADLINE, deadline))
    occasions = [
        Occasion(statement_id, kind, deadline, name)
        for statement_id, kind, deadline in found
        if (name := window(deadline, now)) is not None
    ]
    if not occasions:
        return []
    sent = set(
        db.session.execute(
            select(SentReminder.statement_id, SentReminder.key).where(
                SentReminder.statement_id.in_({o.statement_id for o in occasions})
            )
        ).all()
    )
    return [o for o in occasions if (o.statement_id, o.key) not in sent]


def _still_due(statement: Statement, occasion: Occasion, now: datetime) -> bool:
    """The statement may have moved on between the listing and now."""
    if occasion.kind == ReminderKind.SIGNON_DEADLINE:
        deadline = statement.effective_signon_deadline
        state_ok = statement.state == StatementState.SIGNING
    else:
        deadline = statement.round.submission_deadline
        state_ok = statement.state in NOT_SUBMITTED
    return state_ok and deadline == occasion.deadline and window(deadline, now) == occasion.window


def _claim(occasion: Occasion) -> SentReminder | None:
    try:
        with db.session.begin_nested():
            claim = SentReminder(
                statement_id=occasion.statement_id,
                kind=occasion.kind,
                key=occasion.key,
                deadline_at=occasion.deadline,
            )
            db.session.add(claim)
            db.session.flush()
    except IntegrityError:
        return None  # sent already, or being sent by another worker right now
    return claim


def _signatories(statement: Statement) -> list[tuple[str, Signature, bool]]:
    """(address, signature, on an earlier text) for each live signature with a contact: the
    standing comes from the one rule of who is listed (portal/signons/listing.py)."""
    signed = listing(statement)
    return [
        (s.notify_email, s, signed.standing_of(s) == Standing.EARLIER_TEXT)
        for s in signed.signatures
        if s.is_live and s.notify_email
    ]


def send_occasion(occasion: Occasion, now: datetime | None = None) -> int:
    """Claim one occasion and queue its e-mails; 0 when it is no longer due or already claimed."""
    now = now or utcnow()
    statement = db.session.get(Statement, occasion.statement_id)
    if statement is None or not _still_due(statement, occasion, now):
        return 0
    claim = _claim(occasion)
    if claim is None:
        return 0
    tz = statement.round.timezone
    common = {
        "statement": statement,
        "what": WHAT[occasion.kind],
        "signon": occasion.kind == ReminderKind.SIGNON_DEADLINE,
        "hours": occasion.hours,
        # Lazy: written in each recipient's language (portal/mail.py).
        "deadline": LazyString(zoned, occasion.deadline, tz),
    }
    subject = _l(
        "%(hours)s hours to the %(what)s deadline: %(title)s",
        hours=occasion.hours,
        what=common["what"],
        title=statement.title,
    )
    page = url_for("statements.show", statement_id=statement.id, _external=True)
    seen = set()
    for email in drafter_emails(statement):
        seen.add(email.lower())
        queue_message(email, "deadline_reminder", subject, lead=True, link=page, **common)
    if occasion.kind == ReminderKind.SIGNON_DEADLINE:
        for email, signature, earlier in _signatories(statement):
            if email.lower() in seen:
                continue
            seen.add(email.lower())
            link = url_for("signons.manage", token=manage_token(signature), _external=True)
            queue_message(
                email,
                "deadline_reminder",
                subject,
                lead=False,
                signature=signature,
                earlier=earlier,
                link=link,
                **common,
            )
    claim.recipients = len(seen)
    audit.record(
        "statement.deadline_reminder",
        statement,
        organization=statement.lead_organization,
        deadline=occasion.kind.value,
        window=occasion.window,
        recipients=len(seen),
    )
    db.session.flush()
    return len(seen)


@dataclass
class RunResult:
    occasions: int = 0
    emails: int = 0


def send_due_reminders(now: datetime | None = None) -> RunResult:
    """Send every due reminder, committing each occasion on its own so one failure costs one."""
    now = now or utcnow()
    result = RunResult()
    for occasion in due_occasions(now):
        try:
            sent = send_occasion(occasion, now)
            db.session.commit()
        except Exception:  # noqa: BLE001 — logged; the next run tries this occasion again
            db.session.rollback()
            log.exception(
                "reminder %s for statement %s failed", occasion.key, occasion.statement_id
            )
            continue
        if sent:
            result.occasions += 1
            result.emails += sent
    return result
