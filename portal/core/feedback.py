"""How a view shows a refused action: next to the form field it concerns, else as a flash."""

from flask import flash

from ..errors import OperationError


def attach_error(form, error: OperationError) -> None:
    """Put the message next to its field, or flash it when it belongs to no field of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "error")
