"""A lead's reminder to the organizations that still owe the statement an answer: those on an
earlier text (re-confirm or withdraw) and those that asked on the public page but never followed
the e-mailed link. Previewed before it goes, sent through the outbox, at most once a day, audited.

Sign-ons pending the coordinators are not reminded: there is nothing for them to do.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..core.i18n import format_number
from ..core.template_helpers import zoned
from ..errors import OperationError
from ..extensions import db
from ..mail import queue_message
from ..models import (
    PublicSignOn,
    ReminderKind,
    SentReminder,
    Signature,
    Statement,
    StatementState,
    utcnow,
)
from ..signons.links import manage_token
from ..signons.transitions import deadline_text
from .queries import UNDER_WAY
from .signatures import earlier_signatures, unconfirmed_signons

LEAD_EVERY = timedelta(days=1)
NOTE_MAX = 1000


def can_remind(statement: Statement, user) -> bool:
    return statement.state in UNDER_WAY and statement.is_lead_member(user)


@dataclass
class Mail:
    recipient: str
    kind: str  # the template in templates/email/
    context: dict


@dataclass
class ReminderPlan:
    statement: Statement
    earlier: list[Signature]
    unconfirmed: list[PublicSignOn]
    last: SentReminder | None

    @property
    def count(self) -> int:
        return len(self.mails(""))

    def next_allowed(self) -> datetime | None:
        return self.last.created_at + LEAD_EVERY if self.last else None

    def mails(self, note: str) -> list["Mail"]:
        """One e-mail per address: re-confirmation first, then the unconfirmed requests."""
        statement, mails, seen = self.statement, [], set()
        common = {"statement": statement, "note": note, "deadline": deadline_text(statement)}
        for signature in self.earlier:
            email = signature.notify_email
            if email and email.lower() not in seen:
                seen.add(email.lower())
                link = url_for("signons.manage", token=manage_token(signature), _external=True)
                mails.append(
                    Mail(
                        email,
                        "reminder_earlier_text",
                        {**common, "signature": signature, "link": link},
                    )
                )
        public = url_for("signons.public_form", public_token=statement.public_token, _external=True)
        for signon in self.unconfirmed:
            if signon.email.lower() not in seen:
                seen.add(signon.email.lower())
                mails.append(
                    Mail(
                        signon.email,
                        "reminder_unconfirmed",
                        {**common, "signon": signon, "link": public},
                    )
                )
        return mails


def subject(statement: Statement):
    """Lazy: written in each recipient's language (portal/mail.py)."""
    return _l("Reminder: %(title)s", title=statement.title)


def last_lead_reminder(statement: Statement) -> SentReminder | None:
    return db.session.scalar(
        select(SentReminder)
        .where(SentReminder.statement_id == statement.id, SentReminder.kind == ReminderKind.LEAD)
        .order_by(SentReminder.created_at.desc(), SentReminder.id.desc())
        .limit(1)
    )


def reminder_plan(statement: Statement) -> ReminderPlan:
    """Whom a reminder would reach now. New public sign-ons wait only while signing is open."""
    unconfirmed = (
        unconfirmed_signons(statement.id) if statement.state == StatementState.SIGNING else []
    )
    return ReminderPlan(
        statement, earlier_signatures(statement.id), unconfirmed, last_lead_reminder(statement)
    )


def check_reminder(user, plan: ReminderPlan, now: datetime | None = None) -> None:
    """Refuse, with the reason, a reminder that may not go now."""
    statement, now = plan.statement, now or utcnow()
    if not statement.is_lead_member(user):
        raise OperationError(_("Only members of the lead organization can send reminders."))
    _require_under_way(statement)
    last, following = plan.last, plan.next_allowed()
    if last is not None and following is not None and now < following:
        tz = statement.round.timezone
        raise OperationError(
            _(
                "A reminder went out on %(zoned)s; the next can go from %(zoned2)s.",
                zoned=zoned(last.created_at, tz),
                zoned2=zoned(following, tz),
            )
        )
    if not plan.count:
        raise OperationError(_("No organization is waiting to confirm or re-confirm: no reminder."))


def preview(plan: ReminderPlan, note: str) -> list[tuple[int, str, str]]:
    """(how many get it, subject, body) for each kind of message, as it will be sent."""
    shown: dict[str, tuple[int, str, str]] = {}
    for mail in plan.mails(note):
        if mail.kind in shown:
            count, title, body = shown[mail.kind]
            shown[mail.kind] = (count + 1, title, body)
        else:
            body = render_template(f"email/{mail.kind}.txt", **mail.context)
            shown[mail.kind] = (1, subject(plan.statement), body)
    return list(shown.values())


def clean_note(note: str | None) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise OperationError(
            _("Keep the note under %(max)s characters.", max=format_number(NOTE_MAX)), "note"
        )
    return note


def send_lead_reminder(user, statement: Statement, note: str = "", now=None) -> int:
    """Queue the reminder for everyone in the plan; return how many e-mails went out."""
    now = now or utcnow()
    note = clean_note(note)
    plan = reminder_plan(statement)
    check_reminder(user, plan, now)
    try:
        # The day's row is the lock: a second click, or a second lead at the same moment,
        # fails here and sends nothing.
        with db.session.begin_nested():
            claim = SentReminder(
                statement_id=statement.id,
                kind=ReminderKind.LEAD,
                key=f"lead:{now.date().isoformat()}",
                sent_by_id=user.id,
            )
            db.session.add(claim)
            db.session.flush()
    except IntegrityError:
        raise OperationError(_("A reminder for this statement already went out today.")) from None
    mails = plan.mails(note)
    for mail in mails:
        queue_message(mail.recipient, mail.kind, subject(statement), **mail.context)
    claim.recipients = len(mails)
    audit.record(
        "statement.remind",
        statement,
        organization=statement.lead_organization,
        actor=user,
        recipients=len(mails),
        earlier=[s.id for s in plan.earlier],
        unconfirmed=[s.id for s in plan.unconfirmed],
        note=bool(note),
    )
    db.session.flush()
    return len(mails)


def _require_under_way(statement) -> None:
    """Reminders ask for a signature: only while the statement takes them."""
    if statement.state not in UNDER_WAY:
        label = StatementState(statement.state).label.lower()
        raise OperationError(
            _("The statement is %(label)s; signatures can no longer be reminded.", label=label)
        )
    if utcnow() >= statement.effective_signon_deadline:
        raise OperationError(
            _(
                "The sign-on deadline passed on %(deadline_text)s; signatures can no "
                "longer be reminded.",
                deadline_text=deadline_text(statement),
            )
        )
