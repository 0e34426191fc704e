"""A signature's states: one transition table that every sign-on change goes through — single and
bulk approval, automatic approval, the CSV import, merging, withdrawing, re-confirming and the
correction of a published list.

    pending → approved                 coordinators, or the portal itself (auto-approval)
    pending | approved → rejected      coordinators, while the statement is under way
    pending | approved → rejected      "merge": coordinators, into a sign-on of the same org
    pending | approved → withdrawn     its signatories (or the e-mailed link), until the deadline
    pending | approved (re-confirm)    the same, after a substantive change
    approved → rejected                "remove": only by correcting the published list

Once the statement is approved its list is frozen (portal/signons/listing.py): no decision changes
it except "remove", which portal/exports/list_corrections.py takes with a reason and a new
official PDF.

`apply(signature, action, actor)` checks, changes the state, stamps who and when, writes the audit
event and returns; the caller queues its e-mails and flushes. `actor` is a User, None for whoever
holds the e-mailed manage link, or `audit.SYSTEM` for the portal's own automatic approval.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import audit
from ..core.i18n import value_label
from ..core.template_helpers import zoned
from ..errors import OperationError
from ..models import (
    STATE_ALLOWS,
    MemberRole,
    Signature,
    SignatureState,
    Statement,
    StatementState,
    utcnow,
)

S = SignatureState
UNDER_WAY = STATE_ALLOWS["decide_signons"]
LIVE = frozenset({S.PENDING, S.APPROVED})


def _is_user(actor) -> bool:
    return actor is not None and actor is not audit.SYSTEM and actor.is_authenticated


def _coordinator(signature: Signature, actor) -> bool:
    return _is_user(actor) and actor.is_coordinator


def _coordinator_or_portal(signature: Signature, actor) -> bool:
    return actor is audit.SYSTEM or _coordinator(signature, actor)


def _signatory_or_link(signature: Signature, actor) -> bool:
    if actor is None:  # the e-mailed manage link, checked by links.py
        return True
    return _is_user(actor) and signature.organization.has_role(actor, MemberRole.SIGNATORY)


@dataclass(frozen=True)
class SignatureTransition:
    action: str
    sources: frozenset[str]
    target: str | None  # None: the state stays (re-confirming)
    may: Callable[[Signature, object], bool]
    who: str
    statement_states: frozenset[str]
    until_signon_deadline: bool = False
    label: str = ""

    @property
    def audit_action(self) -> str:
        return f"signature.{self.action}"


TRANSITIONS: dict[str, SignatureTransition] = {
    t.action: t
    for t in (
        SignatureTransition(
            "approve", frozenset({S.PENDING}), S.APPROVED, _coordinator_or_portal,
            _l("coordinators"), UNDER_WAY, label=_l("approve"),
        ),
        SignatureTransition(
            "reject", LIVE, S.REJECTED, _coordinator, _l("coordinators"), UNDER_WAY,
            label=_l("reject"),
        ),
        SignatureTransition(
            "merge", LIVE, S.REJECTED, _coordinator, _l("coordinators"), UNDER_WAY,
            label=_l("merge"),
        ),
        SignatureTransition(
            "withdraw", LIVE, S.WITHDRAWN, _signatory_or_link, _l("its signatories"), UNDER_WAY,
            until_signon_deadline=True, label=_l("withdraw"),
        ),
        SignatureTransition(
            "reconfirm", LIVE, None, _signatory_or_link, _l("its signatories"), UNDER_WAY,
            until_signon_deadline=True, label=_l("re-confirm"),
        ),
        SignatureTransition(
            "remove", frozenset({S.APPROVED}), S.REJECTED, _coordinator, _l("coordinators"),
            STATE_ALLOWS["published"], label=_l("take off the published list"),
        ),
    )
}  # fmt: skip


def transition(action: str) -> SignatureTransition:
    try:
        return TRANSITIONS[action]
    except KeyError:
        raise OperationError(_("Unknown action: %(action)s.", action=action)) from None


def deadline_text(statement: Statement) -> str:
    return zoned(statement.effective_signon_deadline, statement.round.timezone)


def permits(signature: Signature, action: str, actor) -> bool:
    """State, statement and role allow the action (for showing a button)."""
    t = TRANSITIONS.get(action)
    return (
        t is not None
        and signature.state in t.sources
        and signature.statement.state in t.statement_states
        and t.may(signature, actor)
    )


def check(signature: Signature, action: str, actor, *, now=None) -> SignatureTransition:
    """Raise OperationError (changing nothing) unless `actor` may take `action` now."""
    t = transition(action)
    name = signature.organization.name
    if signature.state not in t.sources:
        message = (
            _("The sign-on of %(name)s is %(state)s; you cannot %(label)s it.")
            if signature.state == S.PENDING
            else _("The sign-on of %(name)s is already %(state)s; you cannot %(label)s it.")
        )
        raise OperationError(
            message % {"name": name, "state": value_label(signature.state), "label": t.label}
        )
    if not t.may(signature, actor):
        if t.who == "its signatories":
            raise OperationError(
                _(
                    "Only signatories of %(name)s can %(label)s its signature.",
                    name=name,
                    label=t.label,
                )
            )
        raise OperationError(_("Only %(who)s can %(label)s a sign-on.", who=t.who, label=t.label))
    statement = signature.statement
    if statement.state not in t.statement_states:
        if statement.state == StatementState.APPROVED:
            raise OperationError(
                _(
                    "The statement is approved and its signatory list published: it changes only "
                    "by correcting the published list, with a reason."
                )
            )
        label = StatementState(statement.state).label.lower()
        raise OperationError(
            _("The statement is %(label)s; sign-ons can no longer be changed.", label=label)
        )
    if t.until_signon_deadline and (now or utcnow()) >= statement.effective_signon_deadline:
        raise OperationError(
            _(
                "The sign-on deadline passed on %(deadline_text)s; the signature can no "
                "longer be changed.",
                deadline_text=deadline_text(statement),
            )
        )
    return t


def apply(signature: Signature, action: str, actor, *, now=None, **details) -> SignatureTransition:
    """Take the action: state, who and when, and the audit event (the caller flushes)."""
    now = now or utcnow()
    t = check(signature, action, actor, now=now)
    user = actor if _is_user(actor) else None
    if t.target is not None:
        signature.state = t.target
    if action == "withdraw":
        signature.withdrawn_at = now
    elif t.target is not None:
        signature.decided_at = now
        signature.decided_by = user
    if actor is None:
        details["via"] = "link"
    audit.record(
        t.audit_action,
        signature,
        organization=signature.organization,
        actor=audit.SYSTEM if actor is audit.SYSTEM else user,
        statement=signature.statement_id,
        **details,
    )
    return t


def bulk_conditions(action: str) -> list:
    """The table's sources and statement states as SQL, for set-based decisions."""
    t = transition(action)
    return [
        Signature.state.in_(sorted(t.sources)),
        Signature.statement_id.in_(
            select(Statement.id).where(Statement.state.in_(sorted(t.statement_states)))
        ),
    ]
