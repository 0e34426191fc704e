"""The language of the moment and what Babel writes in it: dates, times, numbers, ISO names.

Below every package (it imports nothing of the portal): the places, the text rules and the
core helpers all print in the reader's language, and would otherwise import each other in a
circle. The interface's choice of language lives in core/i18n.py; this reads the answer.
"""

import datetime as dt
import gettext as stdlib_gettext
from functools import cache, lru_cache

import pycountry
from babel import Locale, UnknownLocaleError, dates, numbers
from flask_babel import get_locale

DEFAULT_LANGUAGE = "en"


def current_language() -> str:
    """The two-letter code of the language being written: "en" outside any request."""
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT_LANGUAGE


@cache
def _iso_catalog(domain: str, language: str):
    return stdlib_gettext.translation(
        domain, pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def iso_name(domain: str, english: str) -> str:
    """An ISO name (domain "iso3166-1" for countries) in the page's language; pycountry ships
    the translations."""
    language = current_language()
    if language == DEFAULT_LANGUAGE or not english:
        return english
    return _iso_catalog(domain, language).gettext(english)


# English keeps the portal's day-first dates ("20 December 2026"); the other languages take
# their CLDR long form ("20 décembre 2026", "20 de diciembre de 2026").
_ENGLISH_DAY = "d MMMM y"


def parse_locale(language: str | None) -> Locale:
    """A Babel locale from a language tag ("fr", "es-419" of a front matter, "pt_BR"); English
    when Babel does not know it."""
    try:
        return Locale.parse((language or DEFAULT_LANGUAGE).replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return Locale.parse(DEFAULT_LANGUAGE)


# Babel's formatting costs tens of microseconds a call and pages print the same few dates on
# every view: each date and time is formatted once per language (keyed by its calendar fields,
# never by an aware datetime, which compares equal to the same instant in another zone).


def long_date(value: dt.date, language: str | None = None) -> str:
    return _long_date(_day(value), language or current_language())


@lru_cache(maxsize=4096)
def _long_date(day: dt.date, language: str) -> str:
    locale = parse_locale(language)
    pattern = _ENGLISH_DAY if locale.language == DEFAULT_LANGUAGE else "long"
    return dates.format_date(day, pattern, locale=locale)


def _day(value: dt.date) -> dt.date:
    return dt.date(value.year, value.month, value.day)


def date_range(start: dt.date, end: dt.date, language: str | None = None) -> str:
    """ "5–9 May 2026" (and "30 April – 2 May 2026") in the language of the moment."""
    return _date_range(_day(start), _day(end), language or current_language())


@lru_cache(maxsize=4096)
def _date_range(start: dt.date, end: dt.date, language: str) -> str:
    locale = parse_locale(language)
    if start == end:
        return long_date(start, locale.language)
    if locale.language != DEFAULT_LANGUAGE:
        return dates.format_interval(start, end, "yMMMMd", locale=locale)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{long_date(end, locale.language)}"
    first = dates.format_date(start, "d MMMM", locale=locale)
    return f"{first} – {long_date(end, locale.language)}"


def format_number(value, language: str | None = None) -> str:
    """ "5,000" / "5 000" / "5000": the language of the moment, English outside any app."""
    return numbers.format_decimal(value, locale=parse_locale(language or current_language()))


def clock_time(value: dt.datetime | dt.time, language: str | None = None) -> str:
    return _clock_time(value.hour, value.minute, language or current_language())


@lru_cache(maxsize=4096)
def _clock_time(hour: int, minute: int, language: str) -> str:
    return dates.format_time(dt.time(hour, minute), "HH:mm", locale=parse_locale(language))
