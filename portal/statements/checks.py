"""Checks shared by the drafting operations."""

from flask_babel import gettext as _

from ..core.template_helpers import zoned
from ..errors import OperationError
from ..models import Round, utcnow


def require_open_round(round_: Round, what: str = "Edits") -> None:
    if round_.accepts_submissions():
        return
    when = zoned(round_.submission_deadline, round_.timezone)
    if utcnow() < round_.opens_at:
        opens = zoned(round_.opens_at, round_.timezone)
        raise OperationError(_("This round opens for statements on %(opens)s.", opens=opens))
    raise OperationError(
        _(
            "The round's submission deadline passed on %(when)s. %(what)s are closed.",
            when=when,
            what=what,
        )
    )
