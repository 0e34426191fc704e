"""Who did it: assertions on the audit trail that name the actor, not only the action."""

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent

_ANY = object()


def assert_audited(action, *, actor, subject=None, organization=_ANY, **details) -> AuditEvent:
    """The last `action` event (on `subject`, when given) was written by `actor` — a User, or
    None for the portal itself or an anonymous visitor — for `organization` when given (an
    Organization or None), with `details` among its details. Returns the event."""
    query = select(AuditEvent).where(AuditEvent.action == action)
    if subject is not None:
        query = query.where(
            AuditEvent.object_type == type(subject).__tablename__,
            AuditEvent.object_id == subject.id,
        )
    event = db.session.scalars(query.order_by(AuditEvent.id.desc())).first()
    about = f" on {type(subject).__name__} {subject.id}" if subject is not None else ""
    assert event is not None, f"no {action!r} audit event{about}"
    expected = actor.id if actor is not None else None
    assert event.actor_id == expected, (
        f"{action}{about} audited as done by user {event.actor_id}, not by {_name(actor)}"
    )
    if organization is not _ANY:
        wanted = organization.id if organization is not None else None
        assert event.organization_id == wanted, (
            f"{action}{about} audited for organization {event.organization_id}, "
            f"not {_name(organization)}"
        )
    for key, value in details.items():
        assert event.details.get(key) == value, f"{action}{about}: {key}={event.details.get(key)!r}"
    return event


def _name(thing) -> str:
    return "nobody" if thing is None else f"{type(thing).__name__} {thing.id} ({thing.name})"
