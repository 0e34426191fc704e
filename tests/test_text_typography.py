"""Typography per language in the dialect renderer (HTML): quotes, footnote calls, French
spacing, direction — and what must never change (code, URLs, link targets)."""

import pytest

from portal.text import render_html
from portal.text.language_rules import UnknownLanguage, direction, parse_language
from portal.text.typography import first_strong_direction, typeset

NBSP, NNBSP = "\u00a0", "\u202f"
CALL = '<sup class="footnote-ref"><a href="#fn1" id="fnref1" rel="noopener noreferrer">1</a></sup>'


def body(text, lang, **kw):
    """The first block of the fragment, no-break spaces as characters (nh3 writes &nbsp;)."""
    html = render_html(text + "\n\n[^1]: Note.\n", lang=lang, **kw).replace("&nbsp;", NBSP)
    return html.split("\n<section", 1)[0].strip()


@pytest.mark.parametrize(
    "lang, source, expected",
    [
        ("en", "She said \"yes\" and 'no', it's", "She said “yes” and ‘no’, it’s"),
        ("fr", 'Il a dit "oui"', f"Il a dit «{NBSP}oui{NBSP}»"),
        ("fr", "« déjà »  et «encore»", f"«{NBSP}déjà{NBSP}»  et «{NBSP}encore{NBSP}»"),
        ("es", 'Dijo "sí" y "no \'quizá\'"', "Dijo “sí” y “no ‘quizá’”"),
        ("ru", 'Он сказал "да"', "Он сказал «да»"),
        ("ar", 'قال "نعم"', "قال «نعم»"),
        ("zh", '他说"你好"', '他说"你好"'),  # as typed: no rule for Chinese quotes
        ("de", 'Er sagte "ja"', 'Er sagte "ja"'),  # a language without rules: as typed
    ],
)
def test_quotation_marks_per_language(lang, source, expected):
    assert body(source, lang) == f"<p>{expected}</p>"


def test_french_spacing_before_high_punctuation_and_colon():
    html = body("Agir; pourquoi? Maintenant! Voir: ceci. Vraiment ?! Déjà :", "fr")
    assert html == (
        f"<p>Agir{NNBSP}; pourquoi{NNBSP}? Maintenant{NNBSP}! Voir{NBSP}: ceci. "
        f"Vraiment{NNBSP}?! Déjà{NBSP}:</p>"
    )


def test_french_spacing_leaves_times_urls_code_and_link_targets_alone():
    html = body(
        "À 10:30, voir https://example.org/a?b=c:d et `x: y; z?` et [lien](https://e.org/?q=a:b).",
        "fr",
    )
    assert "10:30" in html and "<code>x: y; z?</code>" in html
    assert 'href="https://example.org/a?b=c:d">https://example.org/a?b=c:d</a>' in html.replace(
        ' rel="noopener noreferrer"', ""
    )
    assert 'href="https://e.org/?q=a:b"' in html


def test_straight_quotes_stay_in_code_urls_and_escapes():
    html = body('`"code"` <https://e.org/it\'s> \\"kept\\"', "en")
    assert "<code>&quot;code&quot;</code>" in html or '<code>"code"</code>' in html
    assert "https://e.org/it's</a>" in html
    assert '"kept"' in html


def test_french_spacing_across_emphasis_and_footnote_calls():
    html = body('Les *États*: ils "*agissent*" et ont signé[^1]:\nvoici.', "fr")
    assert f"<em>États</em>{NBSP}:" in html
    assert f"«{NBSP}<em>agissent</em>{NBSP}»" in html
    assert f"signé{CALL}{NBSP}:" in html


def test_no_line_break_left_beside_a_no_break_space():
    html = body("Le texte\n: suite, et «\nfin\n».", "fr")
    assert "\n" not in html and f"texte{NBSP}: suite" in html and f"«{NBSP}fin{NBSP}»" in html


@pytest.mark.parametrize(
    "lang, source, expected",
    [
        # UN Editorial Manual: in English the call follows the punctuation…
        ("en", "Migration cycle[^1]. Next", f"Migration cycle.{CALL} Next"),
        ("en", "Migration cycle.[^1] Next", f"Migration cycle.{CALL} Next"),
        ("en", "First[^1], second", f"First,{CALL} second"),
        ("en", "*Cycle*[^1]; then", f"<em>Cycle</em>;{CALL} then"),
        # …in French and Spanish it precedes it (French then spaces the colon).
        ("fr", "Le cycle.[^1] Ensuite", f"Le cycle{CALL}. Ensuite"),
        ("fr", "Le cycle[^1]. Ensuite", f"Le cycle{CALL}. Ensuite"),
        ("fr", "Ainsi :[^1] voici", f"Ainsi{CALL}{NBSP}: voici"),
        ("es", "El ciclo,[^1] luego", f"El ciclo{CALL}, luego"),
        ("es", "El ciclo.[^1]", f"El ciclo{CALL}."),
        # ? and ! are not moved; a call with no punctuation beside it stays.
        ("fr", "Pourquoi ?[^1] Ensuite", f"Pourquoi{NNBSP}?{CALL} Ensuite"),
        ("en", "Word[^1] and more", f"Word{CALL} and more"),
    ],
)
def test_footnote_call_placement(lang, source, expected):
    assert body(source, lang) == f"<p>{expected}</p>"


def test_two_calls_move_together():
    html = render_html("Fin[^1][^2].\n\n[^1]: Un.\n[^2]: Deux.\n", lang="en")
    assert html.startswith("<p>Fin.<sup") and html.count("</sup>") == 2
    assert ".</p>" not in html.split("<section")[0]


def test_footnote_calls_in_print_mode_move_too():
    html = render_html("Le cycle.[^1] Suite\n\n[^1]: Note.\n", lang="fr", footnotes="inline")
    assert html == '<p>Le cycle<span class="footnote" id="fn1">Note.</span>. Suite</p>\n'


def test_english_default_leaves_plain_text_as_before():
    text = "## On Vision\n\nWe stand ready to work with Member States as a partner.\n"
    assert render_html(text) == render_html(text, lang="en")
    assert render_html(text) == (
        "<h2>On Vision</h2>\n<p>We stand ready to work with Member States as a partner.</p>\n"
    )


def test_direction_marked_on_blocks_against_the_statement_direction():
    text = "English first.\n\nمرحبا بالعالم\n\n- item\n- عربي\n\n## عنوان\n"
    english = render_html(text, lang="en")
    assert '<p dir="rtl">مرحبا' in english and '<li dir="rtl">عربي' in english
    assert '<h2 dir="rtl">' in english and "<p>English first." in english
    arabic = render_html(text, lang="ar")
    assert '<p dir="ltr">English first.' in arabic and "<p>مرحبا" in arabic
    assert '<li dir="ltr">item' in arabic and "<li>عربي" in arabic


def test_first_strong_direction_skips_digits_and_punctuation():
    from markdown_it.token import Token

    assert first_strong_direction([Token("text", "", 0, content="2018 — «مرحبا» hi")]) == "rtl"
    assert first_strong_direction([Token("text", "", 0, content="12, 13.")]) is None


def test_typeset_for_titles():
    assert (
        typeset('Déclaration : "migrations"', "fr")
        == f"Déclaration{NBSP}: «{NBSP}migrations{NBSP}»"
    )
    assert typeset('The "Compact"', "en") == "The “Compact”"
    assert typeset('The "Compact"', None) == "The “Compact”"


@pytest.mark.parametrize("value, expected", [("fr", "fr"), ("FR", "fr"), ("es-419", "es-419"),
                                             ("zh_Hans", "zh-Hans"), (" ar ", "ar")])  # fmt: skip
def test_parse_language_normalizes(value, expected):
    assert parse_language(value) == expected


@pytest.mark.parametrize("value", ["xx", "french", "", "f", "de"])
def test_parse_language_refuses_what_it_has_no_rules_for(value):
    with pytest.raises(UnknownLanguage, match="the renderer knows: en \\(English\\), fr"):
        parse_language(value)


def test_direction_by_language():
    assert [direction(c) for c in ("ar", "he", "fa", "ur", "ar-EG", "yi", "en", "zh", None)] == [
        "rtl", "rtl", "rtl", "rtl", "rtl", "rtl", "ltr", "ltr", "ltr",
    ]  # fmt: skip


def test_formatted_diff_in_the_statement_language():
    from types import SimpleNamespace

    from portal.text.formatted_diff import formatted_revision_diff

    statement = SimpleNamespace(language="fr")
    old = SimpleNamespace(title="T", body="Voir: ceci.", statement=statement)
    new = SimpleNamespace(title="T", body="Voir: cela.", statement=statement)
    html = str(formatted_revision_diff(old, new).body.html).replace("&nbsp;", NBSP)
    assert f"Voir{NBSP}: " in html
