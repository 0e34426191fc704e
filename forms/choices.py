"""Choices shared by the forms of several features.

Fields take `SelectChoice` objects (WTForms 3.3 deprecates (value, label) tuples); the `*_pairs`
functions return plain pairs, which the filter <select>s that templates build themselves iterate.
"""

from collections.abc import Iterable
from functools import cache
from pathlib import Path
from zoneinfo import available_timezones

import pycountry

# types-WTForms describes WTForms 3.2, which had no SelectChoice yet.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]

from portal.core.i18n import current_language
from portal.models.organizations import KIND_LABELS, country_name
from portal.places import name_sort_key, place_pairs


def select_choices(pairs: Iterable[tuple]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def _with_blank(blank: str | None, pairs) -> list[tuple[str, str]]:
    return [("", blank), *pairs] if blank else list(pairs)


def _countries() -> tuple[tuple[str, str], ...]:
    return _countries_in(current_language())


@cache
def _countries_in(language: str) -> tuple[tuple[str, str], ...]:
    # Names in `language` (country_name reads it from the request; the cache is per language).
    pairs = ((c.alpha_2, country_name(c.alpha_2)) for c in pycountry.countries)
    return tuple(sorted(pairs, key=lambda pair: name_sort_key(pair[1])))


@cache
def _timezones() -> tuple[tuple[str, str], ...]:
    # Current names only: the database also keeps retired spellings (Africa/Asmera) as links.
    lines = Path(__file__).with_name("timezones.txt").read_text().splitlines()
    offered = {line for line in lines if line and not line.startswith("#")}
    zones = sorted(offered & available_timezones())
    return tuple((z, z.replace("_", " ")) for z in zones)


def country_pairs(blank: str | None = None) -> list[tuple[str, str]]:
    """ISO 3166-1 countries by their common name, after an optional blank entry."""
    return _with_blank(blank, _countries())


def _places() -> tuple[SelectChoice, ...]:
    return _places_in(current_language())


@cache
def _places_in(language: str) -> tuple[SelectChoice, ...]:
    return tuple(
        SelectChoice(value, label, optgroup=group)
        for group, pairs in place_pairs()
        for value, label in pairs
    )


def place_choices(blank: str | None = None) -> list[SelectChoice]:
    """International, the regions and the countries, in three groups of one <select>: an
    organization works in one country, in a region, or worldwide."""
    return ([SelectChoice("", blank)] if blank else []) + list(_places())


def place_pairs_flat(blank: str | None = None) -> list[tuple[str, str]]:
    """The same places as plain pairs, for the filter <select>s templates build themselves."""
    return _with_blank(blank, ((c.value, c.label) for c in _places()))


def kind_pairs(blank: str | None = None) -> list[tuple[str, str]]:
    return _with_blank(blank, ((kind.value, label) for kind, label in KIND_LABELS.items()))


def timezone_pairs(blank: str | None = None) -> list[tuple[str, str]]:
    return _with_blank(blank, _timezones())
