"""Venue profiles as data, the one word count and the text checks (issue 14, docs/venues.md):
the model statement counted with and without its footnotes, and each profile's rules on texts
at, just under and just over each limit."""

from pathlib import Path

import pytest

from portal.text.frontmatter import parse_document
from portal.venues.checks import Severity, check_text
from portal.venues.counting import count_words
from portal.venues.profiles import (
    CSW,
    GCM,
    HRC,
    PROFILES,
    UNFCCC,
    WTO,
    Footnotes,
    Requirements,
)

MODEL = Path(__file__).resolve().parent.parent / "seeds" / "statements" / "gcm-2018-round-2.md"


def words(n: int) -> str:
    return " ".join(["word"] * n)


def codes(problems) -> list[str]:
    return [p.code for p in problems]


@pytest.fixture
def model_body() -> str:
    return parse_document(MODEL.read_text(encoding="utf-8"))[1]


def test_the_model_statement_counts_1889_words_and_2095_with_its_six_footnotes(model_body):
    without = count_words(model_body)
    with_notes = count_words(model_body, footnotes=True)
    assert (without.body, without.footnotes, without.total) == (1889, 206, 1889)
    assert with_notes.total == 1889 + 206


def test_link_targets_markers_and_note_calls_are_not_words():
    body = "## Head\n\nSee [the text](https://example.org/a-b-c)[^1], civil-society's work.\n\n"
    body += "[^1]: A note.\n"
    count = count_words(body, signatories=["Org One (France)"], cover=["A title"])
    # Head, See, the, text, civil-society's, work: six; the note two; list three; cover two.
    assert (count.body, count.footnotes, count.signatories, count.cover) == (6, 2, 3, 2)
    assert count.total == 6 + 3 + 2


@pytest.mark.parametrize(
    ("name", "limit", "reduced"), [(HRC, 2000, False), (HRC, 1500, True), (CSW, 2000, False)]
)
@pytest.mark.parametrize(("delta", "refused"), [(-1, False), (0, False), (1, True)])
def test_word_limits_at_under_and_over(app, name, limit, reduced, delta, refused):
    problems = check_text(words(limit + delta), PROFILES[name], language="en", reduced=reduced)
    assert ("word_limit" in codes(problems)) is refused


def test_hrc_counts_footnotes_at_the_limit(app):
    body = words(1998) + "[^1]\n\n[^1]: two words\n"
    assert "word_limit" not in codes(check_text(body, PROFILES[HRC], language="en"))
    body = words(1999) + "[^1]\n\n[^1]: two words\n"
    problems = check_text(body, PROFILES[HRC], language="en")
    assert "word_limit" in codes(problems)
    assert (
        "2,001 words" in problems[0].message and "1 over the limit of 2,000" in problems[0].message
    )


def test_csw_counts_the_cover_page_and_warns_on_footnotes(app):
    cover = ["Statement title", "Lead organization"]  # four words
    assert not check_text(words(1996), PROFILES[CSW], language="en", cover=cover)
    over = check_text(words(1997), PROFILES[CSW], language="en", cover=cover)
    assert codes(over) == ["word_limit"]
    noted = check_text("Text[^1]\n\n[^1]: A note.\n", PROFILES[CSW], language="en")
    assert [(p.code, p.severity) for p in noted] == [("footnotes", Severity.WARNING)]
    assert not noted[0].blocks


def test_footnotes_forbidden_refuse(app):
    rules = Requirements("custom", footnotes=Footnotes.FORBIDDEN)
    problems = check_text("Text[^1]\n\n[^1]: A note.\n", rules, language="en")
    assert [(p.code, p.blocks) for p in problems] == [("footnotes", True)]


@pytest.mark.parametrize("name", [HRC, CSW, WTO])
def test_un_languages_only(app, name):
    assert "language" not in codes(check_text("Text", PROFILES[name], language="es"))
    assert "language" in codes(check_text("Text", PROFILES[name], language="ar"))


def test_wto_title_in_english_french_and_spanish(app):
    problems = check_text("Text", PROFILES[WTO], language="en", title_languages=["fr"])
    assert codes(problems) == ["title_languages"]
    assert "Spanish" in problems[0].message and "French" not in problems[0].message
    assert not check_text("Text", PROFILES[WTO], language="en", title_languages=["fr", "es"])


@pytest.mark.parametrize("name", [GCM, UNFCCC])
def test_no_text_rule_where_the_venue_sets_none(app, name):
    assert not check_text(words(25_000) + "[^1]\n\n[^1]: n\n", PROFILES[name], language="ar")
