"""The shape every small state machine shares: a table of transitions, each naming the states it
leaves from, the state it reaches, who may take it and the audit action it writes.

Organization verification, membership and co-drafter invitations use it
(portal/organizations/transitions.py, portal/statements/drafter_transitions.py); statements and
signatures have richer tables of their own (deadlines, e-mails, bulk SQL) with the same shape.
`apply` checks the state, then the actor, sets the state and records the audit event in the
caller's transaction; the operation adds what is particular (fields, e-mails) and flushes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from .. import audit
from ..errors import OperationError
from .i18n import value_label

# The state of an object that does not exist yet (a first request to join, a first invitation).
NEW = "new"


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str | None  # None: the state stays (a role change) or the row goes (a removal)
    may: Callable[[Any, Any], bool]  # (object, actor) -> allowed
    who: str  # refusal when `may` says no
    audit_action: str
    # Refusal by the current state: state -> message ({name}, {state}); "*" for any other state.
    refused: Mapping[str, str] = field(default_factory=dict)
    field: str | None = None  # the form field a refusal belongs to


class StateTable:
    def __init__(
        self,
        attribute: str,
        transitions: tuple[Transition, ...],
        name: Callable[[Any], str],
    ):
        self.attribute = attribute
        self.transitions = {t.action: t for t in transitions}
        self._name = name

    def __getitem__(self, action: str) -> Transition:
        try:
            return self.transitions[action]
        except KeyError:
            raise OperationError(_("Unknown action: %(action)s.", action=action)) from None

    def state_of(self, obj) -> str:
        return (getattr(obj, self.attribute, None) if obj is not None else None) or NEW

    def permits(self, obj, action: str, actor) -> bool:
        t = self.transitions.get(action)
        return t is not None and self.state_of(obj) in t.sources and t.may(obj, actor)

    def check(self, obj, action: str, actor) -> Transition:
        """Raise OperationError (changing nothing) unless `actor` may take `action` now."""
        t = self[action]
        state = self.state_of(obj)
        if state not in t.sources:
            message = t.refused.get(state) or t.refused.get("*") or _("{name} is {state}.")
            shown = value_label(state)
            raise OperationError(message.format(name=self._name(obj), state=shown), t.field)
        if not t.may(obj, actor):
            raise OperationError(t.who)
        return t

    def apply(self, obj, action: str, actor, *, subject=None, organization=None, **details):
        """Check, move to the target state and write the audit event on `subject` (the object
        itself unless given); returns the previous state."""
        t = self.check(obj, action, actor)
        previous = self.state_of(obj)
        if t.target is not None:
            setattr(obj, self.attribute, t.target)
        audit.record(
            t.audit_action,
            obj if subject is None else subject,
            organization=organization,
            actor=actor,
            **details,
        )
        return previous
