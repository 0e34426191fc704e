"""Jinja filters and globals: dates in a round's timezone, country names."""

from datetime import datetime
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from ..models import utcnow
from ..models.organizations import country_name


def in_zone(value: datetime, zone: str | ZoneInfo = "UTC") -> datetime:
    tz = ZoneInfo(zone) if isinstance(zone, str) else zone
    return value.astimezone(tz)


def format_datetime(value: datetime | None, zone: str | ZoneInfo = "UTC") -> str:
    if value is None:
        return ""
    local = in_zone(value, zone)
    return local.strftime("%-d %B %Y, %H:%M ") + (local.tzname() or "")


def deadline(value: datetime | None, zone: str = "UTC") -> Markup:
    """The time in the round's zone; static/js/localtime.js adds the viewer's own."""
    if value is None:
        return Markup("")
    iso = value.astimezone(ZoneInfo("UTC")).isoformat()
    return Markup(
        f'<time datetime="{escape(iso)}" data-localtime>{escape(format_datetime(value, zone))}'
        f" ({escape(zone)})</time>"
    )


def format_date_range(start, end) -> str:
    if start == end:
        return start.strftime("%-d %B %Y")
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.strftime('%-d %B %Y')}"
    return f"{start.strftime('%-d %B')} – {end.strftime('%-d %B %Y')}"


def init_app(app) -> None:
    app.jinja_env.filters.update(
        datetime=format_datetime,
        deadline=deadline,
        country_name=country_name,
    )
    app.jinja_env.globals.update(date_range=format_date_range, utcnow=utcnow)
