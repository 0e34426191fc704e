"""The statement's states: one transition table, one `apply` that every state change goes through.

    draft → signing → submitted → approved
    submitted → changes_requested → signing
    submitted → rejected
    draft | signing | submitted | changes_requested → withdrawn

`apply(statement, action, user, message=..., **kw)` checks that the action is legal from the
current state, that the user may take it (the Statement's `can_<action>` predicates come from
here too), and the deadline; then changes the state, records the submission or the review,
writes the audit event and queues the e-mails in the caller's transaction, and flushes. A refused
action raises OperationError and changes nothing. Views commit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from flask import has_request_context, url_for
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from .. import audit
from ..core.i18n import format_number
from ..core.template_helpers import zoned
from ..errors import OperationError
from ..extensions import db
from ..mail import queue_message
from ..models import STATE_ALLOWS, Statement, StatementState, utcnow
from ..models.reviews import Review, ReviewDecision, Submission
from ..signons.listing import freeze
from ..signons.notices import tell_signers_of_approval
from ..venues.statement_checks import require_submittable
from .recipients import recipients

S = StatementState
MESSAGE_MAX = 5000


def _lead(statement: Statement, user) -> bool:
    return statement.is_lead_member(user)


def _coordinator(statement: Statement, user) -> bool:
    return user is not None and user.is_coordinator


def _submission_deadline(statement: Statement) -> datetime:
    return statement.round.submission_deadline


def _signon_deadline(statement: Statement) -> datetime:
    return statement.effective_signon_deadline


@dataclass(frozen=True)
class Mail:
    """An e-mail that goes with a transition: templates/email/<kind>.txt to `to` groups."""

    kind: str
    subject: str  # formatted with {title}
    to: tuple[str, ...]  # "drafters", "signatories", "coordinators"


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    may: Callable[[Statement, object], bool]
    who: str  # for the refusal message
    deadline: Callable[[Statement], datetime] | None = None
    deadline_what: str = ""
    message_required: bool = False
    mails: tuple[Mail, ...] = field(default_factory=tuple)

    @property
    def audit_action(self) -> str:
        return f"statement.{self.action}"


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            "open_signing",
            frozenset({S.DRAFT}),
            S.SIGNING,
            _lead,
            _l("members of the lead organization"),
            deadline=_signon_deadline,
            deadline_what=_l("open it for signatures"),
            mails=(
                Mail("statement_signing_opened", _l("Open for signatures: {title}"), ("drafters",)),
            ),
        ),
        Transition(
            "submit",
            STATE_ALLOWS["submit"],
            S.SUBMITTED,
            _lead,
            _l("members of the lead organization"),
            deadline=_submission_deadline,
            deadline_what=_l("submit it"),
            mails=(
                Mail(
                    "statement_submitted",
                    _l("Submitted for review: {title}"),
                    ("drafters", "signatories", "coordinators"),
                ),
            ),
        ),
        Transition(
            "request_changes",
            STATE_ALLOWS["review"],
            S.CHANGES_REQUESTED,
            _coordinator,
            _l("coordinators"),
            message_required=True,
            mails=(
                Mail(
                    "statement_changes_requested", _l("Changes requested: {title}"), ("drafters",)
                ),
            ),
        ),
        Transition(
            "resume",
            frozenset({S.CHANGES_REQUESTED}),
            S.SIGNING,
            _lead,
            _l("members of the lead organization"),
            mails=(Mail("statement_resumed", _l("Back in signing: {title}"), ("drafters",)),),
        ),
        Transition(
            "approve",
            STATE_ALLOWS["review"],
            S.APPROVED,
            _coordinator,
            _l("coordinators"),
            # Signers get their own message, true for each (signons/notices.py).
            mails=(Mail("statement_approved", _l("Approved: {title}"), ("drafters",)),),
        ),
        Transition(
            "reject",
            STATE_ALLOWS["review"],
            S.REJECTED,
            _coordinator,
            _l("coordinators"),
            message_required=True,
            mails=(Mail("statement_rejected", _l("Not accepted: {title}"), ("drafters",)),),
        ),
        Transition(
            "withdraw",
            STATE_ALLOWS["withdraw"],
            S.WITHDRAWN,
            _lead,
            _l("members of the lead organization"),
            mails=(
                Mail("statement_withdrawn", _l("Withdrawn: {title}"), ("drafters", "signatories")),
            ),
        ),
    )
}

ACTIONS = tuple(TRANSITIONS)
REVIEW_DECISIONS = {
    "approve": ReviewDecision.APPROVE,
    "request_changes": ReviewDecision.REQUEST_CHANGES,
    "reject": ReviewDecision.REJECT,
}
ACTION_LABELS = {
    "open_signing": _l("open for signatures"),
    "submit": _l("submit"),
    "request_changes": _l("request changes"),
    "resume": _l("reopen for signatures"),
    "approve": _l("approve"),
    "reject": _l("reject"),
    "withdraw": _l("withdraw"),
}


def transition(action: str) -> Transition:
    try:
        return TRANSITIONS[action]
    except KeyError:
        raise OperationError(_("Unknown action: %(action)s.", action=action)) from None


def permits(statement: Statement, action: str, user) -> bool:
    """State and role allow the action (the deadline is checked when it is taken)."""
    t = TRANSITIONS.get(action)
    return t is not None and statement.state in t.sources and t.may(statement, user)


def _when(moment: datetime, statement: Statement) -> str:
    return zoned(moment, statement.round.timezone)


def check(statement: Statement, action: str, user, *, now: datetime | None = None) -> Transition:
    """Raise OperationError unless `action` may be taken now; return its transition."""
    t = transition(action)
    label = ACTION_LABELS[action]
    if statement.state not in t.sources:
        state = StatementState(statement.state).label.lower()
        raise OperationError(
            _("The statement is %(state)s; you cannot %(label)s it now.", state=state, label=label)
        )
    if not t.may(statement, user):
        raise OperationError(
            _("Only %(who)s can %(label)s this statement.", who=t.who, label=label)
        )
    if t.deadline is not None:
        deadline = t.deadline(statement)
        if (now or utcnow()) >= deadline:
            raise OperationError(
                _(
                    "The deadline to %(deadline_what)s passed on %(when)s.",
                    deadline_what=t.deadline_what,
                    when=_when(deadline, statement),
                )
            )
    return t


def apply(
    statement: Statement,
    action: str,
    user,
    *,
    message: str | None = None,
    now: datetime | None = None,
    signon_deadline: datetime | None = None,
):
    """Take `action` on the statement. Returns the Submission (submit), the Review (approve,
    request_changes, reject) or None. `signon_deadline` (open_signing only) closes sign-on
    earlier than the round's deadline."""
    now = now or utcnow()
    _lock(statement)
    t = check(statement, action, user, now=now)
    message = (message or "").strip() or None
    if t.message_required and not message:
        raise OperationError(_("Tell the drafters why, in a message."), "message")
    if message and len(message) > MESSAGE_MAX:
        raise OperationError(
            _("Keep the message under %(max)s characters.", max=format_number(MESSAGE_MAX)),
            "message",
        )
    if signon_deadline is not None:
        _check_signon_deadline(statement, action, signon_deadline, now)
    if action in ("open_signing", "submit") and statement.current_revision is None:
        raise OperationError(_("The statement has no text yet."))
    if action == "submit":
        require_submittable(statement)

    source = statement.state
    result: Submission | Review | None = None
    details: dict = {"from": source, "to": t.target}
    if action == "open_signing" and signon_deadline is not None:
        statement.signon_deadline = signon_deadline
        details["signon_deadline"] = signon_deadline.isoformat()
    elif action == "submit":
        result = _record_submission(statement, user, now)
        details.update(submission=result.number, revision=result.revision.number)
    elif action in REVIEW_DECISIONS:
        result = _record_review(statement, user, REVIEW_DECISIONS[action], message, now)
        details.update(revision=result.revision.number, review=result.id)
    elif action == "withdraw":
        statement.withdrawn_from = source
    if message:
        details["message"] = message
    statement.state = t.target
    audit.record(
        t.audit_action,
        statement,
        organization=statement.lead_organization,
        actor=user,
        **details,
    )
    _queue_mails(t, statement, user, message, result)
    if action == "approve":
        tell_signers_of_approval(statement, result)
    db.session.flush()
    return result


def _lock(statement: Statement) -> None:
    """Re-read the row under a lock (PostgreSQL) so two coordinators cannot both decide."""
    if statement.id is not None and db.engine.dialect.name == "postgresql":
        # Lock the row alone: a refresh would repeat the statement's eager joins, and PostgreSQL
        # refuses FOR UPDATE on the nullable side of an outer join.
        db.session.execute(
            select(Statement.id).where(Statement.id == statement.id).with_for_update()
        )
        db.session.refresh(statement, ["state", "current_revision_id", "withdrawn_from"])


def _check_signon_deadline(statement, action, deadline: datetime, now: datetime) -> None:
    if action != "open_signing":
        raise OperationError(_("A sign-on deadline is set only when opening for signatures."))
    if deadline.tzinfo is None:
        raise OperationError(_("The sign-on deadline needs a timezone."), "signon_deadline")
    round_deadline = statement.round.signon_deadline
    if deadline > round_deadline:
        raise OperationError(
            _(
                "The sign-on deadline cannot be later than the round's, %(when)s.",
                when=_when(round_deadline, statement),
            ),
            "signon_deadline",
        )
    if deadline <= now:
        raise OperationError(_("The sign-on deadline must be in the future."), "signon_deadline")


def _record_submission(statement: Statement, user, now: datetime) -> Submission:
    number = db.session.execute(
        select(func.coalesce(func.max(Submission.number), 0)).where(
            Submission.statement_id == statement.id
        )
    ).scalar_one()
    revision = statement.current_revision
    assert revision is not None  # apply() refuses to submit a statement without text
    submission = Submission(
        statement=statement,
        number=number + 1,
        revision=revision,
        text_hash=revision.text_hash,
        submitted_by_id=getattr(user, "id", None),
        created_at=now,
    )
    db.session.add(submission)
    db.session.flush()
    return submission


def latest_submission(statement: Statement) -> Submission | None:
    return db.session.scalar(
        select(Submission)
        .where(Submission.statement_id == statement.id)
        .order_by(Submission.number.desc())
        .limit(1)
    )


def _record_review(statement, user, decision: ReviewDecision, message, now) -> Review:
    submission = latest_submission(statement)
    if submission is None or submission.review is not None:
        raise OperationError(_("There is no submission waiting for a decision."))
    frozen, left_out = None, 0
    if decision == ReviewDecision.APPROVE:
        frozen, left_out = freeze(statement)
    review = Review(
        statement=statement,
        submission=submission,
        revision=submission.revision,
        reviewer_id=getattr(user, "id", None),
        decision=decision,
        message=message,
        signatories=frozen,
        left_out=left_out,
        created_at=now,
    )
    db.session.add(review)
    db.session.flush()
    return review


def _queue_mails(t: Transition, statement, user, message, result) -> None:
    # Links need a host name; messages queued from the CLI (seeds) go without them.
    link = None
    if has_request_context():
        link = url_for("statements.show", statement_id=statement.id, _external=True)
    for mail in t.mails:
        # Formatted in each recipient's language, when the message is written (portal/mail.py).
        subject = LazyString(lambda s=mail.subject: str(s).format(title=statement.title))
        for email in recipients(statement, mail.to, exclude=user):
            queue_message(
                email,
                mail.kind,
                subject,
                statement=statement,
                actor=user,
                message=message,
                result=result,
                link=link,
            )
