"""Statements in French, Spanish, Arabic, Russian and Chinese read back from their PDFs:
spacing and footnote calls where each language puts them, right-to-left Arabic, and every
glyph drawn from a font embedded in the file."""

import io
import logging

import pdfplumber
import pytest

from portal.pdf import StatementDocument, render_statement_html, render_statement_pdf

from .pdf_glyphs import font_uses, fonts_of, glyph_problems
from .pdf_helpers import BODY_SIZE, CALL_SIZE

NNBSP = "\u202f"
FRENCH = (
    "## Vision\n\n"
    'Nous saluons le "projet zéro"[^1]. Les États doivent agir; pourquoi attendre? '
    "Voir aussi le document: https://example.org/a:b.\n\n"
    "Les migrants.[^2] Les réfugiés, [voir](https://example.org/r)[^3], et la suite.\n\n"
    "[^1]: Premier.\n[^2]: Deuxième.\n[^3]: Troisième.\n"
)
SPANISH = (
    'Saludamos el "borrador cero".[^1] Los Estados deben actuar, sin excepción,[^2] ahora.\n\n'
    "[^1]: Uno.\n[^2]: Dos.\n"
)
ENGLISH = "We welcome the zero draft[^1]. States must act,[^2] now.\n\n[^1]: One.\n[^2]: Two.\n"
ARABIC_LINE = "حماية حقوق جميع المهاجرين"
ARABIC = (
    "## الرؤية والطموح\n\n"
    f"{ARABIC_LINE}\n\n"
    "نرحب بمشروع الاتفاق العالمي من أجل الهجرة الآمنة والمنظمة والنظامية[^1]. "
    "يجب على الدول الأعضاء أن تحمي حقوق جميع المهاجرين، بما في ذلك الأطفال والأسر.\n\n"
    "- حماية الأطفال\n- Access to services\n\n"
    "[^1]: انظر الوثيقة https://example.org/n1.\n"
)
RUSSIAN = (
    "## Видение\n\n"
    'Мы приветствуем "нулевой проект"[^1]. Государства должны защищать права всех мигрантов, '
    "включая детей и семьи; ЁЖ ёж Щ щ Ъ ъ.\n\n[^1]: Примечание.\n"
)
CHINESE = (
    "## 愿景\n\n我们欢迎《全球移民契约》零草案[^1]。各国应保护所有移民的权利，包括儿童和家庭。\n\n"
    "[^1]: 参见文件。\n"
)


def pdf_of(body, lang, title="Statement"):
    return render_statement_pdf(StatementDocument(title=title, body=body, language=lang))


def line_texts(pdf_bytes, page=0):
    """Each printed line of body text, left to right, with footnote calls written ^N and a
    no-break space read back as a space (Carlito draws U+00A0 with its space glyph)."""
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        chars = pdf.pages[page].chars
    lines = {}
    for char in chars:
        if abs(char["size"] - BODY_SIZE) < 0.2:
            lines.setdefault(round(char["bottom"]), []).append(char)
    for char in chars:
        if abs(char["size"] - CALL_SIZE) < 0.2:
            # a call is raised: it belongs to the first line whose baseline is below it
            bottom = min((b for b in lines if b >= char["bottom"] - 1), default=None)
            if bottom is not None:
                lines[bottom].append(dict(char, text="^" + char["text"]))
    return [
        "".join(c["text"] for c in sorted(lines[bottom], key=lambda c: c["x0"]))
        for bottom in sorted(lines)
    ]


def joined(pdf_bytes):
    return " ".join(line_texts(pdf_bytes))


@pytest.fixture(scope="module")
def french_pdf():
    return pdf_of(FRENCH, "fr", title='Déclaration : "migrations"')


def test_french_spacing_read_back_from_the_pdf(french_pdf):
    text = joined(french_pdf)
    assert "« projet zéro »^1." in text
    assert f"agir{NNBSP}; pourquoi attendre{NNBSP}?" in text
    assert "le document : https://example.org/a:b." in text  # the URL keeps its colon as typed


def test_french_footnote_calls_before_the_punctuation(french_pdf):
    text = joined(french_pdf)
    assert "migrants^2. Les" in text
    assert "voir^3, et" in text
    with pdfplumber.open(io.BytesIO(french_pdf)) as pdf:
        title = [c["text"] for c in pdf.pages[0].chars if c["size"] > 16]
    assert "".join(title).replace("\xa0", " ") == "Déclaration : « migrations »"


def test_french_html_has_lang_and_no_break_spaces():
    html = render_statement_html(StatementDocument(title="T", body=FRENCH, language="fr"))
    assert '<html lang="fr" dir="ltr">' in html
    assert '<section class="statement" lang="fr" dir="ltr">' in html
    assert "document&nbsp;: " in html and f"agir{NNBSP}; " in html


def test_spanish_footnote_calls_before_the_punctuation():
    pdf = pdf_of(SPANISH, "es")
    text = joined(pdf)
    assert "“borrador cero”^1. Los" in text
    assert "excepción^2, ahora." in text


def test_english_footnote_calls_after_the_punctuation():
    text = joined(pdf_of(ENGLISH, "en"))
    assert "zero draft.^1 States must act,^2 now." in text


def test_arabic_right_to_left_with_covered_glyphs(caplog):
    caplog.set_level(logging.WARNING, logger="weasyprint")
    html = render_statement_html(StatementDocument(title="بيان", body=ARABIC, language="ar"))
    assert '<html lang="ar" dir="rtl">' in html and '<li dir="ltr">Access' in html
    pdf = pdf_of(ARABIC, "ar", title="بيان")
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        line = _line_with(page, "حماية حقوق")
    # Read right to left, the line's glyphs spell the text in its logical order…
    right_to_left = sorted(line, key=lambda c: -c["x0"])
    assert "".join(c["text"] for c in right_to_left).replace(" ", "") == ARABIC_LINE.replace(
        " ", ""
    )
    # …and the line ends at the right margin (2.54 cm), as right-to-left text starts there.
    assert abs(max(c["x1"] for c in line) - (page.width - 72)) < 1.5
    assert min(c["x0"] for c in line) > page.width / 2
    assert glyph_problems(pdf) == []
    assert "Noto-Naskh-Arabic" in fonts_of(pdf, ARABIC_LINE)
    assert not [r for r in caplog.records if ".notdef" in r.getMessage()]


def _line_with(page, start):
    """The body-size characters of the line holding the first characters of ``start``."""
    chars = [c for c in page.chars if abs(c["size"] - BODY_SIZE) < 0.2]
    lines = {}
    for char in chars:
        lines.setdefault(round(char["bottom"]), []).append(char)
    wanted = set(start.replace(" ", ""))
    return next(line for line in lines.values() if wanted <= {c["text"] for c in line})


@pytest.mark.parametrize(
    "body, lang, font, sample",
    [
        (RUSSIAN, "ru", "Carlito", "Мы приветствуем ЁЖёжЩщЪъ"),
        (CHINESE, "zh", "Noto-Sans-CJK-SC", "我们欢迎全球移民契约零草案"),
    ],
)
def test_russian_and_chinese_glyphs_covered(body, lang, font, sample, caplog):
    caplog.set_level(logging.WARNING, logger="weasyprint")
    pdf = pdf_of(body, lang)
    assert glyph_problems(pdf) == []
    assert {name.split("-Bold")[0] for name in fonts_of(pdf, sample)} == {font}
    drawn = set().union(*(use.characters for use in font_uses(pdf).values()))
    assert set(sample) <= drawn
    assert not [r for r in caplog.records if ".notdef" in r.getMessage()]


def test_russian_quotes_and_footnote_call():
    assert "«нулевой проект»^1." in joined(pdf_of(RUSSIAN, "ru"))


def test_glyph_check_fails_on_a_character_no_font_covers():
    # U+17001 (Tangut): in no shipped or system font, so WeasyPrint draws .notdef.
    problems = glyph_problems(pdf_of("Text \U00017001 here.\n", "en"))
    assert any("not Identity-H" in p for p in problems)
    assert any("\U00017001" in p for p in problems)


def test_script_fonts_linked_only_when_the_text_needs_them():
    from portal.pdf import Signatory

    english = StatementDocument(title="T", body=ENGLISH, language="en")
    assert "pdf-scripts.css" not in render_statement_html(english)
    named = StatementDocument(
        title="T", body=ENGLISH, signatories=[Signatory(name="جمعية المهاجرين", country="EG")]
    )
    pdf = render_statement_pdf(named)
    assert "pdf-scripts.css" in render_statement_html(named)
    assert "Noto-Naskh-Arabic" in fonts_of(pdf, "جمعية") and glyph_problems(pdf) == []
    hebrew = StatementDocument(title="T", body="טקסט בעברית.\n", language="he")
    pdf = render_statement_pdf(hebrew)
    assert fonts_of(pdf, "טקסט") == {"Noto-Sans-Hebrew"} and glyph_problems(pdf) == []


def test_chinese_signatory_list_blocks_fit_their_pages():
    import random

    from portal.pdf import Signatory

    from .pdf_helpers import signatory_entries

    rng = random.Random(7)
    hanzi = "中华人民共和国移民工人权利保护协会妇女儿童发展网络基金会家庭服务中心"
    names = ["".join(rng.choice(hanzi) for _ in range(rng.randint(6, 40))) for _ in range(260)]
    doc = StatementDocument(
        title="声明", body=CHINESE, language="zh", signatories=[Signatory(n, "CN") for n in names]
    )
    entries = signatory_entries(render_statement_pdf(doc))
    # Down the left column, then the right, page by page: no block was cut by a page break.
    assert [text.replace(" ", "") for _page, text in entries] == [f"{n}(China)" for n in names]
    assert len({page for page, _text in entries}) > 2


def test_hyphenation_by_language():
    words = "les responsabilités gouvernementales internationales extraordinairement"
    body = " ".join([words] * 12) + ".\n"
    # WeasyPrint's hyphen is U+2010; the source has none.
    assert joined(pdf_of(body, "fr")).count("\u2010") >= 3
    assert "\u2010" not in joined(pdf_of(body, "en"))  # English keeps the model's setting


def test_title_block_lines_keep_their_own_direction():
    doc = StatementDocument(
        title="بيان", body="نص.\n", language="ar", round="Second round", process="بيان"
    )
    html = render_statement_html(doc)
    assert '<p class="round" dir="ltr">Second round</p>' in html
    assert '<p class="process">بيان</p>' in html and '<h1 class="title">بيان</h1>' in html
