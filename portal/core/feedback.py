"""How a view runs an operation and shows a refused action: next to the form field it concerns,
else as a flash. The view's one commit (or rollback) happens here."""

from collections.abc import Callable
from typing import Any

from flask import flash

from ..errors import OperationError
from ..extensions import db


class _Failed:
    def __repr__(self) -> str:
        return "FAILED"


# What perform returns for a refused operation: operations may return None, so test `is FAILED`.
FAILED = _Failed()


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


def perform(form, operation: Callable, *args, **kwargs):
    """Run `operation(*args, **kwargs)` for a submitted form and commit; return its result.

    When the operation refuses, roll back, attach the message to the form (see attach_error) and
    return FAILED, so the view renders the form again.
    """
    try:
        result = operation(*args, **kwargs)
    except OperationError as error:
        db.session.rollback()
        attach_error(form, error)
        return FAILED
    db.session.commit()
    return result


def perform_action(
    operation: Callable, *args, success: str | Callable[[Any], str], **kwargs
) -> bool:
    """Run `operation(*args, **kwargs)` for a POST button: commit and flash `success`, or roll
    back and flash the refusal. True when the operation succeeded.

    `success` may be a function of the operation's result, for messages that depend on it or on
    the state the operation leaves behind.
    """
    try:
        result = operation(*args, **kwargs)
    except OperationError as error:
        db.session.rollback()
        flash(error.message, "error")
        return False
    # The message is read before the commit: after it, nothing may need the database, or a
    # stored write could still be answered with an error page.
    message = success(result) if callable(success) else success
    db.session.commit()
    flash(message, "success")
    return True
