"""Where an organization works: one country (national), a region (regional) or the world
(international). Real sign-on lists mix the three ("Attac France, France", a regional women's
network, a global union federation), so a country is never required.

The fixed list of regions, the reading of a free-text cell ("FR", "France", "Africa", "" …) and
the label printed next to a name are all here, so the forms, the CSV import, the render CLI, the
PDF and the counts agree. No Flask app or database needed (the render CLI runs without one).
"""

from __future__ import annotations

import enum
import json
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import pycountry
from flask_babel import gettext

from .locale_formats import iso_name


class Scope(enum.StrEnum):
    NATIONAL = "national"
    REGIONAL = "regional"
    INTERNATIONAL = "international"

    @property
    def label(self) -> str:
        return self.value.capitalize()


def N_(message: str) -> str:
    """Marks a name for extraction; it is stored in English and translated when shown."""
    return message


def _translated(message: str) -> str:
    # The render CLI runs without a Flask app: gettext then falls back to English.
    return gettext(message)


def _country_in_language(english: str) -> str:
    return iso_name("iso3166-1", english)


def region_label(region: str | None) -> str:
    """A listed region's name in the language of the moment ("Afrique de l'Ouest")."""
    return _translated(region) if region in REGIONS else (region or "")


INTERNATIONAL_LABEL = N_("International")
# The regions an organization can work in, in the order the PDF and the pages list them.
REGIONS = (
    N_("Africa"),
    N_("East Africa"),
    N_("Southern Africa"),
    N_("West Africa"),
    N_("Asia and the Pacific"),
    N_("South Asia"),
    N_("Southeast Asia"),
    N_("Pacific"),
    N_("Europe"),
    N_("Latin America and the Caribbean"),
    N_("Caribbean"),
    N_("North America"),
    N_("Middle East and North Africa"),
    N_("Arab States"),
    N_("Global South"),
)
REGION_MAX = max(len(r) for r in REGIONS)
# Words a CSV cell may use for "no single country or region".
_INTERNATIONAL_WORDS = frozenset({"international", "global", "worldwide", "world", "intl"})
# M49 puts these in "Americas"; coalitions speak of North America apart from Latin America.
_NORTH_AMERICA = frozenset({"US", "CA", "BM", "GL", "PM", "UM"})
_M49_TO_REGION = {
    "Africa": "Africa",
    "Asia": "Asia and the Pacific",
    "Oceania": "Asia and the Pacific",
    "Europe": "Europe",
    "Americas": "Latin America and the Caribbean",
}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().replace("&", " and ").split())


@cache
def _regions_by_fold() -> dict[str, str]:
    return {_fold(r): r for r in REGIONS}


def region_name(value: str) -> str | None:
    """The listed region `value` names (case and accents ignored), else None."""
    return _regions_by_fold().get(_fold(value))


# pycountry looks codes up in dictionaries it rebuilds per call and names through gettext: a
# list of 1,500 signatories printed 1,500 uncached look-ups. A few hundred distinct values exist.
@lru_cache(maxsize=1024)
def country_code(value: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of a code (alpha-2 or alpha-3) or English name, else None."""
    value = " ".join((value or "").split())
    if not value:
        return None
    if len(value) == 2:
        country = pycountry.countries.get(alpha_2=value.upper())
        return country.alpha_2 if country else None
    try:
        return pycountry.countries.lookup(value).alpha_2
    except LookupError:
        return None


def country_name(code: str | None) -> str:
    """The common name of an ISO alpha-2 code in the language of the moment; anything else as
    given."""
    english = _english_name(code or "")
    return _country_in_language(english) if english is not None else (code or "")


# The English name is cached; its translation is not (it depends on the page's language, and
# is a dictionary look-up in the language's catalog).
@lru_cache(maxsize=1024)
def _english_name(code: str) -> str | None:
    country = pycountry.countries.get(alpha_2=code.upper()) if len(code) == 2 else None
    if country is None:
        return None
    return getattr(country, "common_name", None) or country.name


def name_sort_key(name: str) -> str:
    """Accents and case do not scatter names ("Égypte" sorts with the E's in French)."""
    return _fold(name)


@cache
def _m49() -> dict[str, str]:
    path = Path(__file__).parent / "signons" / "m49_regions.json"
    return json.loads(path.read_text(encoding="utf-8"))["regions"]


def m49_region(code: str | None) -> str:
    """The UN M49 region of an ISO alpha-2 code ("Other" when it has none)."""
    return _m49().get((code or "").upper(), "Other")


def country_region(code: str | None) -> str:
    """The listed region a country's national organizations are counted and grouped under."""
    code = (code or "").upper()
    if code in _NORTH_AMERICA:
        return "North America"
    return _M49_TO_REGION.get(m49_region(code), "Other")


@dataclass(frozen=True)
class Place:
    scope: str = Scope.INTERNATIONAL
    country: str | None = None
    region: str | None = None

    @property
    def label(self) -> str:
        return place_label(self.scope, self.country, self.region)

    @property
    def value(self) -> str:
        """The place as one form value: an ISO code, a region name or "international"."""
        if self.scope == Scope.NATIONAL:
            return self.country or ""
        if self.scope == Scope.REGIONAL:
            return self.region or ""
        return Scope.INTERNATIONAL.value

    @property
    def group(self) -> str:
        """The region it is counted under ("International" for the world)."""
        if self.scope == Scope.NATIONAL:
            return country_region(self.country)
        if self.scope == Scope.REGIONAL:
            return self.region or ""
        return INTERNATIONAL_LABEL


def infer_scope(country: str | None, region: str | None) -> str:
    """The scope of a record that names only a country or a region (older rows, CSV cells)."""
    if country:
        return Scope.NATIONAL
    if region:
        return Scope.REGIONAL
    return Scope.INTERNATIONAL


def place_label(scope: str | None, country: str | None, region: str | None) -> str:
    """What is printed after a signatory's name: the country, the region, or "International"."""
    scope = scope or infer_scope(country, region)
    if scope == Scope.NATIONAL:
        return country_name(country)
    if scope == Scope.REGIONAL:
        return region_label(region)
    return _translated(INTERNATIONAL_LABEL)


def parse_place(value: str | None, *, empty: str = Scope.INTERNATIONAL) -> Place | None:
    """Read a "country" cell or form value: an ISO code or country name (national), a listed
    region (regional), or "international" / "global" / empty (international). None when the
    value is none of these. `empty=""` makes an empty value unreadable (forms ask explicitly)."""
    text = " ".join((value or "").split())
    if not text:
        return Place(Scope.INTERNATIONAL) if empty == Scope.INTERNATIONAL else None
    if _fold(text) in _INTERNATIONAL_WORDS:
        return Place(Scope.INTERNATIONAL)
    region = region_name(text)
    if region:
        return Place(Scope.REGIONAL, region=region)
    code = country_code(text)
    if code:
        return Place(Scope.NATIONAL, country=code)
    return None


def place_pairs() -> list[tuple[str, list[tuple[str, str]]]]:
    """(group label, [(value, label)]) for a select with optgroups: international, the
    regions, then every country by its common name."""
    countries = sorted(
        ((c.alpha_2, country_name(c.alpha_2)) for c in pycountry.countries),
        key=lambda p: name_sort_key(p[1]),
    )
    return [
        (
            _translated(N_("International")),
            [(Scope.INTERNATIONAL.value, _translated(N_("International (works worldwide)")))],
        ),
        (_translated(N_("Region")), [(r, region_label(r)) for r in REGIONS]),
        (_translated(N_("Country")), countries),
    ]
