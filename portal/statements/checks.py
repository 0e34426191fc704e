"""Checks shared by the drafting operations."""

from ..core.template_helpers import format_datetime
from ..errors import OperationError
from ..models import Round, utcnow


def require_open_round(round_: Round, what: str = "Edits") -> None:
    if round_.accepts_submissions():
        return
    when = f"{format_datetime(round_.submission_deadline, round_.timezone)} ({round_.timezone})"
    if utcnow() < round_.opens_at:
        opens = f"{format_datetime(round_.opens_at, round_.timezone)} ({round_.timezone})"
        raise OperationError(f"This round opens for statements on {opens}.")
    raise OperationError(f"The round's submission deadline passed on {when}. {what} are closed.")
