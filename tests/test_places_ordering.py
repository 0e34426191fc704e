"""Places (country, region, international) and the signatory order: pure functions, no database."""

from types import SimpleNamespace

import pytest

from portal.core.csvfiles import CSVError, neutralize, read_csv, write_csv
from portal.errors import OperationError
from portal.organizations.validation import clean_place, clean_website, is_web_url
from portal.pdf import Signatory
from portal.places import Place, Scope, country_region, parse_place, place_label
from portal.signatory_order import (
    NETWORKS_HEADING,
    SignatoryOrder,
    grouped_signatories,
    order_signatories,
)

LATAM = "Latin America and the Caribbean"


@pytest.mark.parametrize(
    "cell, place",
    [
        ("FR", Place(Scope.NATIONAL, "FR")),
        ("france", Place(Scope.NATIONAL, "FR")),
        ("DEU", Place(Scope.NATIONAL, "DE")),
        ("", Place(Scope.INTERNATIONAL)),
        ("  ", Place(Scope.INTERNATIONAL)),
        ("International", Place(Scope.INTERNATIONAL)),
        ("global", Place(Scope.INTERNATIONAL)),
        ("africa", Place(Scope.REGIONAL, region="Africa")),
        (
            "Latin America & the Caribbean",
            Place(Scope.REGIONAL, region="Latin America and the Caribbean"),
        ),
        ("Global South", Place(Scope.REGIONAL, region="Global South")),
        ("Atlantis", None),
    ],
)
def test_a_country_cell_is_a_country_a_region_or_international(cell, place):
    assert parse_place(cell) == place


def test_place_labels():
    assert place_label(Scope.NATIONAL, "CI", None) == "Côte d'Ivoire"
    assert place_label(Scope.REGIONAL, None, "Africa") == "Africa"
    assert place_label(Scope.INTERNATIONAL, None, None) == "International"
    assert Signatory("X", "").place == "International"
    assert Signatory("X", "FR").place == "France"
    assert Signatory("X", region="Europe").place == "Europe"
    assert country_region("US") == "North America" and country_region("BR").startswith("Latin")
    assert country_region("FJ") == "Asia and the Pacific"


def test_forms_must_choose_explicitly_csv_empty_is_international():
    with pytest.raises(OperationError, match="Choose a country, a region or International"):
        clean_place("")
    assert clean_place("", empty_is_international=True).scope == Scope.INTERNATIONAL


@pytest.mark.parametrize(
    "url",
    [
        "javascript://example.com/%0aalert(1)",
        "javascript:alert(1)",
        "JaVaScRiPt://x.org/%0Aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "https://exa mple.org",
        "https://example.org/\nx",
        "http://localhost",
    ],
)
def test_only_http_web_addresses_are_accepted(url):
    assert not is_web_url(url)
    with pytest.raises(OperationError, match="http:// or https://"):
        clean_website(url)


def test_a_bare_domain_becomes_https():
    assert clean_website("example.org/about") == "https://example.org/about"
    assert is_web_url("http://example.org")


ITEMS = [
    SimpleNamespace(name="Zed Union", scope="national", country="DE", region=None),
    SimpleNamespace(name="alpha Aid", scope="national", country="KE", region=None),
    SimpleNamespace(name="Écoute", scope="national", country="FR", region=None),
    SimpleNamespace(name="Global Workers", scope="international", country=None, region=None),
    SimpleNamespace(name="Africa Women Net", scope="regional", country=None, region="Africa"),
    SimpleNamespace(name="Europe Net", scope="regional", country=None, region="Europe"),
    SimpleNamespace(name="Berlin Aid", scope="national", country="DE", region=None),
]


def _names(items):
    return [i.name for i in items]


def test_alphabetical_is_the_default_and_accent_blind():
    assert _names(order_signatories(ITEMS)) == [
        "Africa Women Net",
        "alpha Aid",
        "Berlin Aid",
        "Écoute",
        "Europe Net",
        "Global Workers",
        "Zed Union",
    ]


def test_networks_first_then_national_by_country():
    assert _names(order_signatories(ITEMS, SignatoryOrder.NETWORKS_FIRST)) == [
        "Global Workers",
        "Africa Women Net",
        "Europe Net",
        "Écoute",  # France
        "Berlin Aid",  # Germany
        "Zed Union",
        "alpha Aid",  # Kenya
    ]
    groups = grouped_signatories(ITEMS, SignatoryOrder.NETWORKS_FIRST)
    assert [h for h, _ in groups] == [NETWORKS_HEADING, "France", "Germany", "Kenya"]


def test_by_region_international_first_then_regions_in_list_order():
    groups = grouped_signatories(ITEMS, SignatoryOrder.BY_REGION)
    assert [(h, _names(m)) for h, m in groups] == [
        ("International", ["Global Workers"]),
        ("Africa", ["Africa Women Net", "alpha Aid"]),
        ("Europe", ["Europe Net", "Écoute", "Berlin Aid", "Zed Union"]),
    ]


def test_an_unknown_order_falls_back_to_alphabetical():
    assert order_signatories(ITEMS, "nonsense") == order_signatories(ITEMS)


def test_the_csv_writer_neutralizes_every_formula_start():
    text = write_csv(["a"], [["=1+1"], ["+x"], ["-x"], ["@SUM(A1)"], ["\tx"], ["\rx"], ["ok"], [5]])
    cells = [row for _line, row in read_csv(text)][1:]
    assert [c[0] for c in cells] == ["'=1+1", "'+x", "'-x", "'@SUM(A1)", "'\tx", "'\rx", "ok", "5"]
    assert neutralize(-3) == -3


def test_an_over_long_csv_field_names_its_line():
    text = "organization,country\nA,FR\n" + '"' + "x" * 200_000 + '",FR\n'
    with pytest.raises(CSVError) as error:
        list(read_csv(text))
    assert error.value.line == 3 and "longer than" in error.value.message
