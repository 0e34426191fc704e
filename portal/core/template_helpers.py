"""Jinja filters and globals: dates in a round's timezone, country names."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pycountry
from flask import has_request_context
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape

from ..models import utcnow
from ..models.organizations import country_name
from ..text.language_rules import direction
from .i18n import (
    clock_time,
    date_range,
    format_number,
    iso_name,
    long_date,
    value_label,
)
from .web_urls import is_web_url


def in_zone(value: datetime, zone: str | ZoneInfo = "UTC") -> datetime:
    tz = ZoneInfo(zone) if isinstance(zone, str) else zone
    return value.astimezone(tz)


def format_datetime(value: datetime | None, zone: str | ZoneInfo = "UTC") -> str:
    if value is None:
        return ""
    local = in_zone(value, zone)
    return f"{long_date(local.date())}, {clock_time(local)} {local.tzname() or ''}".rstrip()


def zoned(value: datetime | None, zone: str = "UTC") -> str:
    """Plain text for e-mails and messages: "20 December 2026, 00:00 CET (Europe/Zurich)"."""
    if value is None:
        return ""
    return f"{format_datetime(value, zone)} ({zone})"


def when(value: datetime | None, round_zone: str | None = None) -> Markup:
    """Every time a page prints, by one rule (docs/review.md, "Times on pages").

    A time belonging to a round (`round_zone` given) is shown in the round's timezone with its
    name; the viewer's own time follows when their profile's timezone differs. Any other time
    (a sign-in, an e-mail queued) is shown in the viewer's own timezone. A viewer without a
    profile timezone gets the browser's from static/js/localtime.js when it differs."""
    if value is None:
        return Markup("")
    own = viewer_timezone(default=None)
    zone = round_zone or own or "UTC"
    iso = escape(value.astimezone(ZoneInfo("UTC")).isoformat())
    shown = escape(zoned(value, zone) if round_zone else format_datetime(value, zone))
    if own is None:
        return Markup(f'<time datetime="{iso}" data-localtime="{escape(zone)}">{shown}</time>')
    suffix = ""
    if own != zone:
        yours = _("your time: %(time)s", time=format_datetime(value, own))
        suffix = f'<span class="viewer-time"> — {escape(yours)}</span>'
    return Markup(f'<time datetime="{iso}">{shown}</time>{suffix}')


def viewer_timezone(default: str | None = "UTC") -> str | None:
    """The timezone the signed-in person chose on their profile."""
    if has_request_context() and current_user.is_authenticated and current_user.timezone:
        return current_user.timezone
    return default


def format_date_range(start, end) -> str:
    return date_range(start, end)


def language_name(code: str | None) -> str:
    """'en' → 'English' ('anglais' on a French page): statements store ISO 639-1 codes, people
    read names."""
    language = pycountry.languages.get(alpha_2=code) if code else None
    return iso_name("iso639-3", language.name) if language is not None else (code or "")


def init_app(app) -> None:
    app.jinja_env.filters.update(
        when=when,
        zoned=zoned,
        country_name=country_name,
        language_name=language_name,
        text_direction=direction,  # "rtl" for an Arabic statement: <article dir=…>
        place_label=lambda place: place.label,
        number=format_number,
        long_date=long_date,
        value_label=value_label,
    )
    # A stored web address becomes a link only when it is http(s): never javascript:, data: …
    app.jinja_env.tests["web_url"] = is_web_url
    app.jinja_env.globals.update(
        date_range=format_date_range, utcnow=utcnow, viewer_timezone=viewer_timezone
    )
