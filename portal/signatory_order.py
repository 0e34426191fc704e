"""The order of a signatory list: a choice of the lead, the same on the page, the exports and
the PDF.

- alphabetical (the default): by name, case- and accent-blind;
- networks first: international networks, then regional ones (by region), then national
  organizations grouped by country (countries by name) — how many coalitions print their lists;
- by region: international networks, then one group per region (in the order of
  ``places.REGIONS``), each with its regional networks first and then its national organizations
  by country.

Pure functions over anything with ``name``, ``scope``, ``country`` and ``region`` attributes
(a Signature snapshot, a pdf ``Signatory``, a row of the frozen list wrapped in one): no database.
"""

from __future__ import annotations

import enum
import unicodedata
from itertools import groupby

from flask_babel import lazy_gettext as _l

from .places import (
    INTERNATIONAL_LABEL,
    REGIONS,
    Scope,
    country_name,
    country_region,
    infer_scope,
    region_label,
)


class SignatoryOrder(enum.StrEnum):
    ALPHABETICAL = "alphabetical"
    NETWORKS_FIRST = "networks_first"
    BY_REGION = "by_region"

    @property
    def label(self) -> str:
        return str(ORDER_LABELS[self])


ORDER_LABELS = {
    SignatoryOrder.ALPHABETICAL: _l("Alphabetical"),
    SignatoryOrder.NETWORKS_FIRST: (
        _l("International and regional networks first, then national organizations by country")
    ),
    SignatoryOrder.BY_REGION: _l("By region (international networks first)"),
}
NETWORKS_HEADING = _l("International and regional networks")
_SCOPE_RANK: dict[str, int] = {Scope.INTERNATIONAL: 0, Scope.REGIONAL: 1, Scope.NATIONAL: 2}


def fold(text: str) -> str:
    """Accents and case must not scatter names: "Éire Aid" sorts with the E's."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return plain.casefold().strip()


def _scope(item) -> str:
    return getattr(item, "scope", None) or infer_scope(
        getattr(item, "country", None), getattr(item, "region", None)
    )


def _name_key(item) -> tuple:
    name = getattr(item, "name", "") or ""
    return (fold(name), name.casefold())


def _country_label(item) -> str:
    return country_name(getattr(item, "country", None) or "")


def _region_rank(region: str) -> tuple:
    return (REGIONS.index(region), "") if region in REGIONS else (len(REGIONS), fold(region))


def _item_region(item) -> str:
    scope = _scope(item)
    if scope == Scope.REGIONAL:
        return getattr(item, "region", None) or ""
    if scope == Scope.NATIONAL:
        return country_region(getattr(item, "country", None))
    return INTERNATIONAL_LABEL


def _key(item, order: str) -> tuple:
    scope = _scope(item)
    if order == SignatoryOrder.NETWORKS_FIRST:
        where = (
            _region_rank(getattr(item, "region", None) or "")
            if scope == Scope.REGIONAL
            else (0, fold(_country_label(item)))
        )
        return (_SCOPE_RANK[scope], where, _name_key(item))
    if order == SignatoryOrder.BY_REGION:
        international = scope == Scope.INTERNATIONAL
        region = (-1, "") if international else _region_rank(_item_region(item))
        return (region, _SCOPE_RANK[scope], fold(_country_label(item)), _name_key(item))
    return (_name_key(item), _country_label(item))


def coerce_order(order: str | None) -> SignatoryOrder:
    try:
        return SignatoryOrder(order or SignatoryOrder.ALPHABETICAL)
    except ValueError:
        return SignatoryOrder.ALPHABETICAL


def order_signatories(items, order: str | None = SignatoryOrder.ALPHABETICAL, *, key=None) -> list:
    """`items` in the statement's signatory order (a new list; stable for equal keys).
    `key` picks the object with name/scope/country/region when items are wrappers."""
    order = coerce_order(order)
    pick = key or (lambda item: item)
    return sorted(items, key=lambda item: _key(pick(item), order))


def group_heading(item, order: str | None) -> str | None:
    """The small heading an item is printed under in the PDF; None when the list is not grouped."""
    order = coerce_order(order)
    if order == SignatoryOrder.NETWORKS_FIRST:
        if _scope(item) == Scope.NATIONAL:
            return _country_label(item)
        return NETWORKS_HEADING
    if order == SignatoryOrder.BY_REGION:
        return region_label(_item_region(item))
    return None


def grouped_signatories(items, order: str | None) -> list[tuple[str | None, list]]:
    """[(heading, items)] in order; one group with heading None when the list is alphabetical."""
    ordered = order_signatories(items, order)
    if coerce_order(order) == SignatoryOrder.ALPHABETICAL:
        return [(None, ordered)] if ordered else []
    return [
        (heading, list(members))
        for heading, members in groupby(ordered, key=lambda i: group_heading(i, order))
    ]
