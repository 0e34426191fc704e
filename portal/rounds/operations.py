"""State changes of processes and rounds: created and edited by coordinators.

Deadlines arrive here as UTC-aware datetimes; forms convert the local date-time a coordinator
types (in the round's timezone) with `local_to_utc`. Checks raise OperationError naming the field.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import audit
from ..core.i18n import clock_time, long_date
from ..errors import OperationError
from ..extensions import db
from ..models import Process, ProgrammeArea, Round, User
from ..organizations.slugs import unique_slug

__all__ = [
    "check_year",
    "clean_areas",
    "create_process",
    "create_round",
    "local_to_utc",
    "update_process",
    "update_round",
    "utc_to_local",
    "valid_timezone",
]


# -- processes --------------------------------------------------------------------------------


def create_process(
    actor: User,
    *,
    title: str,
    short_title: str | None = None,
    description: str | None = None,
    slug: str | None = None,
) -> Process:
    _require_coordinator(actor)
    fields = _clean_process(title=title, short_title=short_title, description=description)
    process = Process(slug=unique_slug(Process, slug or fields["short_title"] or title), **fields)
    db.session.add(process)
    db.session.flush()
    audit.record("process.created", process, actor=actor, title=process.title)
    return process


def update_process(actor: User, process: Process, **fields) -> Process:
    if not process.can_edit(actor):
        raise OperationError(_("Only coordinators edit processes."))
    changes = _apply(process, _clean_process(**fields))
    if changes:
        audit.record("process.updated", process, actor=actor, changes=changes)
    db.session.flush()
    return process


def _clean_process(*, title: str, short_title: str | None = None, description=None) -> dict:
    title = " ".join((title or "").split())
    if not 3 <= len(title) <= 200:
        raise OperationError(_("The title must be 3 to 200 characters."), "title")
    short_title = (short_title or "").strip() or None
    if short_title and len(short_title) > 40:
        raise OperationError(_("The short title must be at most 40 characters."), "short_title")
    return dict(
        title=title, short_title=short_title, description=(description or "").strip() or None
    )


# -- rounds -----------------------------------------------------------------------------------


def create_round(actor: User, process: Process, *, slug: str | None = None, **fields) -> Round:
    if not process.can_edit(actor):
        raise OperationError(_("Only coordinators create rounds."))
    areas = fields.pop("areas", [])
    cleaned = clean_round_fields(process=process, **fields)
    round_ = Round(
        process=process,
        slug=unique_slug(Round, slug or f"{process.slug}-round-{cleaned['number']}"),
        **cleaned,
    )
    db.session.add(round_)
    _set_areas(round_, clean_areas(areas))
    db.session.flush()
    audit.record(
        "round.created",
        round_,
        actor=actor,
        process=process.slug,
        title=round_.title,
        areas=[a.title for a in round_.areas],
    )
    return round_


def update_round(actor: User, round_: Round, **fields) -> Round:
    if not round_.can_edit(actor):
        raise OperationError(_("Only coordinators edit rounds."))
    areas = fields.pop("areas", None)
    cleaned = clean_round_fields(process=round_.process, exclude_id=round_.id, **fields)
    changes = _apply(round_, cleaned)
    if areas is not None:
        before = [a.title for a in round_.areas]
        _set_areas(round_, clean_areas(areas))
        after = [a.title for a in round_.areas]
        if before != after:
            changes["areas"] = [before, after]
    if changes:
        audit.record("round.updated", round_, actor=actor, changes=changes)
    db.session.flush()
    return round_


def clean_round_fields(
    *,
    process: Process,
    number: int,
    title: str,
    meeting_start: date,
    meeting_end: date,
    timezone: str,
    opens_at: datetime,
    submission_deadline: datetime,
    signon_deadline: datetime,
    place: str | None = None,
    auto_approve_verified: bool = False,
    description: str | None = None,
    exclude_id: int | None = None,
) -> dict:
    if number is None or number < 1:
        raise OperationError(_("The round number must be 1 or more."), "number")
    clash = select(Round.id).where(Round.process_id == process.id, Round.number == number)
    if exclude_id is not None:
        clash = clash.where(Round.id != exclude_id)
    if process.id is not None and db.session.scalar(clash) is not None:
        raise OperationError(
            _("%(title)s already has a round %(number)s.", title=process.title, number=number),
            "number",
        )
    title = " ".join((title or "").split())
    if not 3 <= len(title) <= 200:
        raise OperationError(_("The title must be 3 to 200 characters."), "title")
    place = " ".join((place or "").split()) or None
    if place and len(place) > 200:
        raise OperationError(_("The place must be at most 200 characters."), "place")
    if not valid_timezone(timezone):
        raise OperationError(_("Choose a timezone from the list."), "timezone")
    if meeting_start is None:
        raise OperationError(_("Enter the first day of the meeting."), "meeting_start")
    check_year(meeting_start, "meeting_start")
    if meeting_end is None or meeting_end < meeting_start:
        raise OperationError(_("The meeting cannot end before it starts."), "meeting_end")
    check_year(meeting_end, "meeting_end")
    for name, value in (
        ("opens_at", opens_at),
        ("submission_deadline", submission_deadline),
        ("signon_deadline", signon_deadline),
    ):
        if value is None or value.tzinfo is None:
            raise OperationError(_("Enter a date and time."), name)
        check_year(value, name)
    if submission_deadline <= opens_at:
        raise OperationError(
            _("The submission deadline must be after the round opens."), "submission_deadline"
        )
    if signon_deadline <= opens_at:
        raise OperationError(
            _("The sign-on deadline must be after the round opens."), "signon_deadline"
        )
    if signon_deadline > submission_deadline:
        raise OperationError(
            _(
                "Sign-on must close no later than the submission deadline: a statement is "
                "submitted "
                "with its signatory list, which cannot change afterwards."
            ),
            "signon_deadline",
        )
    return dict(
        number=number,
        title=title,
        place=place,
        meeting_start=meeting_start,
        meeting_end=meeting_end,
        timezone=timezone,
        opens_at=opens_at,
        submission_deadline=submission_deadline,
        signon_deadline=signon_deadline,
        auto_approve_verified=bool(auto_approve_verified),
        description=(description or "").strip() or None,
    )


def clean_areas(areas) -> list[str]:
    """Programme areas from a list or one-per-line text: trimmed, blank lines dropped."""
    if isinstance(areas, str):
        areas = areas.splitlines()
    titles = [" ".join(str(a).split()) for a in areas or []]
    titles = [t for t in titles if t]
    if not titles:
        raise OperationError(_("Enter at least one programme area, one per line."), "areas")
    seen = set()
    for title in titles:
        if len(title) > 200:
            raise OperationError(
                _("“%(value)s…” is longer than 200 characters.", value=title[:40]), "areas"
            )
        if title.casefold() in seen:
            raise OperationError(_("“%(title)s” is listed twice.", title=title), "areas")
        seen.add(title.casefold())
    return titles


def _set_areas(round_: Round, titles: list[str]) -> None:
    """Keep areas whose title stays (statements point at them), add new ones, drop the rest."""
    existing = {a.title.casefold(): a for a in round_.areas}
    kept = []
    for position, title in enumerate(titles):
        area = existing.pop(title.casefold(), None) or ProgrammeArea(title=title)
        area.title, area.position = title, position
        kept.append(area)
    for area in existing.values():
        if area.id is not None and _statements_in(area):
            raise OperationError(
                _(
                    "“%(title)s” has statements filed under it and cannot be removed.",
                    title=area.title,
                ),
                "areas",
            )
    round_.areas = kept


def _statements_in(area: ProgrammeArea) -> int:
    statements = db.metadata.tables.get("statements")
    if statements is None:
        return 0
    return db.session.execute(
        select(func.count()).select_from(statements).where(statements.c.area_id == area.id)
    ).scalar_one()


# -- time -------------------------------------------------------------------------------------


def valid_timezone(name: str | None) -> bool:
    if not name or name not in available_timezones():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


# The years a round's dates may fall in. Python's calendar ends with 9999, so a deadline late in
# that year cannot even be converted to UTC west of Greenwich; a year before 1970 is a typo.
EARLIEST_YEAR, LATEST_YEAR = 1970, 2100


def check_year(value: date | datetime, field: str) -> None:
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise OperationError(
            _(
                "Enter a date between %(earliest_year)s and %(latest_year)s, not in %(year)s.",
                earliest_year=EARLIEST_YEAR,
                latest_year=LATEST_YEAR,
                year=value.year,
            ),
            field,
        )


def local_to_utc(value: datetime | None, timezone: str, field: str) -> datetime | None:
    """A wall-clock time in `timezone` as UTC; refuses times a clock change skips, and dates
    outside the years a round may use."""
    if value is None:
        return None
    check_year(value, field)
    tz = ZoneInfo(timezone)
    aware = value.replace(tzinfo=tz)
    try:
        utc = aware.astimezone(ZoneInfo("UTC"))
    except OverflowError as error:  # past the calendar's end, should the bounds ever widen
        raise OperationError(_("That time is outside the calendar."), field) from error
    if utc.astimezone(tz).replace(tzinfo=None) != value:
        raise OperationError(
            _(
                "%(time)s does not exist on %(date)s in %(timezone)s "
                "(the clocks change that night). Choose another time.",
                time=clock_time(value),
                date=long_date(value.date()),
                timezone=timezone,
            ),
            field,
        )
    return utc


def utc_to_local(value: datetime | None, timezone: str) -> datetime | None:
    return None if value is None else value.astimezone(ZoneInfo(timezone)).replace(tzinfo=None)


# -- helpers ----------------------------------------------------------------------------------


def _require_coordinator(actor: User) -> None:
    if not (actor and actor.is_coordinator):
        raise OperationError(_("Only coordinators create processes."))


def _apply(obj, fields: dict) -> dict:
    changes = {}
    for key, value in fields.items():
        old = getattr(obj, key)
        if old != value:
            changes[key] = [old, value]
            setattr(obj, key, value)
    return changes
