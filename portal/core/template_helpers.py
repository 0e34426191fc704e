"""Jinja filters and globals: dates in a round's timezone, country names."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pycountry
from flask import has_request_context
from flask_login import current_user
from markupsafe import Markup, escape

from ..models import utcnow
from ..models.organizations import country_name
from ..organizations.validation import is_web_url


def in_zone(value: datetime, zone: str | ZoneInfo = "UTC") -> datetime:
    tz = ZoneInfo(zone) if isinstance(zone, str) else zone
    return value.astimezone(tz)


def format_datetime(value: datetime | None, zone: str | ZoneInfo = "UTC") -> str:
    if value is None:
        return ""
    local = in_zone(value, zone)
    return local.strftime("%-d %B %Y, %H:%M ") + (local.tzname() or "")


def deadline(value: datetime | None, zone: str = "UTC") -> Markup:
    """The time in the round's zone, then the viewer's own: from their profile's timezone when
    they set one, otherwise static/js/localtime.js adds the browser's."""
    if value is None:
        return Markup("")
    iso = value.astimezone(ZoneInfo("UTC")).isoformat()
    own = viewer_timezone(default=None)
    shown = escape(format_datetime(value, zone))
    if own:
        suffix = ""
        if own != zone:
            suffix = (
                f'<span class="viewer-time"> — your time: '
                f"{escape(format_datetime(value, own))}</span>"
            )
        return Markup(f'<time datetime="{escape(iso)}">{shown} ({escape(zone)})</time>{suffix}')
    return Markup(f'<time datetime="{escape(iso)}" data-localtime>{shown} ({escape(zone)})</time>')


def viewer_timezone(default: str | None = "UTC") -> str | None:
    """The timezone the signed-in person chose on their profile."""
    if has_request_context() and current_user.is_authenticated and current_user.timezone:
        return current_user.timezone
    return default


def viewer_datetime(value: datetime | None) -> str:
    return format_datetime(value, viewer_timezone())


def format_date_range(start, end) -> str:
    if start == end:
        return start.strftime("%-d %B %Y")
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.strftime('%-d %B %Y')}"
    return f"{start.strftime('%-d %B')} – {end.strftime('%-d %B %Y')}"


def language_name(code: str | None) -> str:
    """'en' → 'English': statements store ISO 639-1 codes, people read names."""
    language = pycountry.languages.get(alpha_2=code) if code else None
    return language.name if language is not None else (code or "")


def init_app(app) -> None:
    app.jinja_env.filters.update(
        datetime=format_datetime,
        deadline=deadline,
        viewer_datetime=viewer_datetime,
        country_name=country_name,
        language_name=language_name,
        place_label=lambda place: place.label,
    )
    # A stored web address becomes a link only when it is http(s): never javascript:, data: …
    app.jinja_env.tests["web_url"] = is_web_url
    app.jinja_env.globals.update(
        date_range=format_date_range, utcnow=utcnow, viewer_timezone=viewer_timezone
    )
