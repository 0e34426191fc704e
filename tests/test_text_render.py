"""The Markdown dialect → sanitized HTML, front matter, normalization and hash."""

import datetime as dt

import pytest

from portal.text import (
    FrontMatterError,
    estimate_pages,
    normalize,
    parse_document,
    render_html,
    text_hash,
    word_count,
)


def test_headings_closing_bullets_and_footnotes_at_the_end():
    html = render_html(
        "## Section\n\n### Sub\n\nText[^a].\n\n- ask\n\n::: closing\nWe stand ready.\n:::\n\n"
        "[^a]: A note with https://example.org/x.\n"
    )
    assert "<h2>Section</h2>" in html and "<h3>Sub</h3>" in html
    assert '<div class="closing">' in html and "<li>ask</li>" in html
    assert '<sup class="footnote-ref"><a href="#fn1" id="fnref1"' in html
    assert '<section class="footnotes">' in html and '<li id="fn1" class="footnote-item">' in html
    assert '<a href="https://example.org/x"' in html


def test_inline_footnotes_for_print_stand_at_their_call():
    html = render_html("Call[^1] here.\n\n[^1]: First.\n\n    Second para.\n", footnotes="inline")
    assert '<span class="footnote" id="fn1">First.<br>Second para.</span> here.' in html
    assert "footnotes" not in html.replace('class="footnote"', "")


def test_doc_id_prefixes_footnote_ids():
    html = render_html("A[^1]\n\n[^1]: n\n", doc_id="s7")
    assert 'id="fnref-s7-1"' in html and 'href="#fn-s7-1"' in html


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x](file:///etc/passwd)",
        "[x](/relative/path)",
        "[x](data:text/html,hi)",
        "[x](vbscript:msgbox)",
    ],
)
def test_only_http_https_mailto_links_survive(source):
    html = render_html(source)
    assert "href" not in html and "x" in html


def test_mailto_and_bare_urls_become_links():
    html = render_html("Write to [us](mailto:a@example.org) or see www.example.org.")
    assert 'href="mailto:a@example.org"' in html and 'href="http://www.example.org"' in html


def test_raw_html_and_images_are_inert():
    html = render_html(
        '<script>alert(1)</script> <img src="http://127.0.0.1/x.png"> '
        "![the alt](http://127.0.0.1:9/x.png) <a href='https://x.org' onclick='y'>z</a>"
    )
    assert "<script" not in html and "<img" not in html and "<a href='" not in html
    assert "the alt" in html and "127.0.0.1:9" not in html


def test_parse_document_front_matter():
    meta, body = parse_document(
        "---\ntitle: T\nprocess: P\nround: R\ndate: 2018-03-12\nlead: L\nlanguage: en\n---\nBody\n"
    )
    assert meta == {
        "title": "T", "process": "P", "round": "R", "date": dt.date(2018, 3, 12),
        "lead": "L", "language": "en",
    }  # fmt: skip
    assert body.strip() == "Body"
    assert parse_document("No front matter") == ({}, "No front matter")


@pytest.mark.parametrize(
    ("source", "line", "words"),
    [
        ("---\ntitle: T\ncolour: red\n---\n", 3, "unknown field"),
        ("---\ntitle: T\ndate: 12/03/2018\n---\n", 3, "YYYY-MM-DD"),
        ("---\ntitle: T\ndate: 2018-02-30\n---\n", 3, "YYYY-MM-DD"),
        ("---\ntitle: T\nlead: [a\n---\n", 3, "YAML"),
        ("---\ntitle: T\n", 1, "never closed"),
        ("---\n- a\n- b\n---\n", 2, "key: value"),
    ],
)
def test_bad_front_matter_names_the_line(source, line, words):
    with pytest.raises(FrontMatterError) as info:
        parse_document(source)
    assert info.value.line == line and words in info.value.message


def test_normalize_and_hash():
    assert normalize("e\u0301 \r\nb  \n\n\n") == "\u00e9\nb\n"
    assert normalize("") == "\n"
    assert text_hash("Title", "Body\r\n") == text_hash("Title  ", "Body\n\n")
    assert text_hash("Title", "Body") != text_hash("Title", "Body!")
    assert len(text_hash("a", "b")) == 64


def test_word_count_and_pages():
    assert word_count("## Two words\n\nIt's one[^1] [link](https://x.org).\n\n[^1]: Note.") == 6
    assert estimate_pages("word") == 1
    assert estimate_pages("word " * 2000) >= 4


def test_body_starts_at_its_first_line_not_the_blank_after_the_front_matter():
    fields, body = parse_document("---\ntitle: A statement\n---\n\n\n## Our asks\n")
    assert fields["title"] == "A statement"
    assert body == "## Our asks\n"
