"""The one place a mutating view's transaction ends (docs/requests.md): run the operation, then
commit — or roll back and show the refusal next to the form field it concerns, else as a flash.

Views never call db.session.commit() or rollback() themselves; what differs between them is a
parameter: `conflict` (refusals answered 409 rather than 400: an edit conflict, a duplicate
signature), `rename` (a refusal about an operation's argument shown on the form field that
carries it). A database error after the commit is answered "saved" by core/error_pages.py, so a
person never sends a stored change twice.
"""

from collections.abc import Callable
from typing import Any

from flask import flash

from ..errors import OperationError
from ..extensions import db


class _Failed:
    """A refused operation: its HTTP status, and the refusal (for views that show it)."""

    def __init__(self, status: int = 400, error: OperationError | None = None):
        self.status = status
        self.error = error

    def __repr__(self) -> str:
        return f"FAILED({self.status})"


# What perform returns for a refused operation: operations may return None, so test `is FAILED`
# (or refused(result) where the view asked for conflicts: CONFLICT is answered 409).
FAILED = _Failed(400)
CONFLICT = _Failed(409)


def refused(result) -> bool:
    return isinstance(result, _Failed)


def refusal(check: Callable, *args, **kwargs) -> str | None:
    """The message of a check that refuses (raises OperationError), or None when it passes: for
    pages that show the form anyway and explain why it cannot be sent."""
    try:
        check(*args, **kwargs)
    except OperationError as error:
        return error.message
    return None


def attach_error(form, error: OperationError) -> None:
    """Put the message next to its field, or flash it when it belongs to no field of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "error")


def attempt(
    operation: Callable,
    *args,
    conflict: tuple[type[OperationError], ...] = (),
    rename: dict[str, str] | None = None,
    then: Callable[[Any], Any] | None = None,
    **kwargs,
):
    """Run `operation(*args, **kwargs)` and commit; return its result — or `then(result)`, read
    before the commit (after it, a dropped connection would turn a stored change into an error
    page). A refusal (OperationError) is rolled back and returned as a _Failed carrying it:
    status 409 for the `conflict` types, else 400; its field renamed by `rename` ({operation's
    name: form field})."""
    try:
        result = operation(*args, **kwargs)
        if then is not None:
            result = then(result)
    except OperationError as error:
        db.session.rollback()
        status = 409 if isinstance(error, conflict) else 400
        if rename and error.field in rename:
            error = OperationError(error.message, rename[error.field])
        return _Failed(status, error)
    db.session.commit()
    return result


def perform(form, operation: Callable, *args, conflict=(), rename=None, **kwargs):
    """Run `operation(*args, **kwargs)` for a submitted form and commit; return its result.

    When the operation refuses, roll back, attach the message to the form (see attach_error) and
    return FAILED (CONFLICT for a `conflict` type), so the view renders the form again.
    """
    result = attempt(operation, *args, conflict=conflict, rename=rename, **kwargs)
    if refused(result):
        attach_error(form, result.error)
        return CONFLICT if result.status == 409 else FAILED
    return result


def perform_action(
    operation: Callable, *args, success: str | Callable[[Any], str], **kwargs
) -> bool:
    """Run `operation(*args, **kwargs)` for a POST button: commit and flash `success`, or roll
    back and flash the refusal. True when the operation succeeded.

    `success` may be a function of the operation's result, for messages that depend on it or on
    the state the operation leaves behind. It is read before the commit: after it, nothing may
    need the database, or a stored write could still be answered with an error page.
    """
    message = attempt(
        operation, *args, then=lambda r: success(r) if callable(success) else success, **kwargs
    )
    if refused(message):
        flash(message.error.message, "error")
        return False
    flash(message, "success")
    return True
