"""Write AuditEvents in the caller's transaction: the event lands with the change or not at all."""

from flask import has_request_context, request
from flask_login import current_user

from .extensions import db
from .models import AuditEvent


class _System:
    """The portal itself as the actor (an automatic approval): not whoever's request ran it."""

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = _System()


def record(action: str, obj=None, *, organization=None, actor=None, **details) -> AuditEvent:
    if actor is SYSTEM:
        actor = None
        details["actor"] = "system"
    elif actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user._get_current_object()
    event = AuditEvent(
        action=action,
        actor=actor,
        organization=organization,
        object_type=type(obj).__tablename__ if obj is not None else None,
        object_id=getattr(obj, "id", None),
        details={key: _jsonable(value) for key, value in details.items()},
        ip=request.remote_addr if has_request_context() else None,
    )
    db.session.add(event)
    if obj is not None and event.object_id is None:
        # The object is new: take its id once the flush has given it one.
        db.session.flush()
        event.object_id = obj.id
    return event


def _jsonable(value):
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)
