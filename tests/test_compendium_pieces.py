"""The compendium's index laid out a few entries at a time, and its "Page X of Y" footers
painted at the end from one laid-out footer per page style, read back: the same pages as the
index laid out as one document, and footers where WeasyPrint itself puts them."""

import io
import re

import pdfplumber
import pytest
from pypdf import PdfReader

from portal.exports import compendium as comp
from portal.pdf import Signatory, StatementDocument, render_document
from portal.pdf.book import Book
from portal.pdf.deferred_footers import DeferredFooters

WHOLE = 100_000  # more entries than any test index: the index as one document


def _compendium() -> comp.Compendium:
    """Two statements and 150 organizations: an index of several pages, some entries two lines
    long (the organizations that signed both)."""
    entries = [
        comp.Entry(
            doc_id=f"s{n}",
            doc=StatementDocument(
                title=f"Joint statement {n} on the rights of migrant workers and their families",
                body="## Asks\n\nRights for all.\n",
                process="Global Compact for Migration",
                round="Second round",
                lead="Lead Coalition",
                signatories=[
                    Signatory(f"Organization {i:03} for the rights of people on the move", "KE")
                    for i in range(150)
                    if i % 3 != n  # every organization signed one statement or both
                ],
            ),
        )
        for n in (1, 2)
    ]
    return comp.Compendium("Global Compact", "Second round", "New York", "12–15 March", entries)


def _read(path):
    """Each page's characters with their places, the outline and the named destinations (as
    page numbers from 1), and each page's link targets."""
    with pdfplumber.open(path) as pdf:
        chars = [
            [(c["text"], round(c["x0"], 2), round(c["top"], 2), c["size"]) for c in page.chars]
            for page in pdf.pages
        ]
        texts = [page.extract_text() or "" for page in pdf.pages]
    reader = PdfReader(path)
    outline = [
        (item.title, reader.get_destination_page_number(item) + 1)
        for item in reader.outline
        if not isinstance(item, list)
    ]
    destinations = {
        name: reader.get_destination_page_number(destination) + 1
        for name, destination in reader.named_destinations.items()
    }
    links = [
        sorted(str(a.get_object().get("/Dest")) for a in page.get("/Annots") or [])
        for page in reader.pages
    ]
    return chars, texts, outline, destinations, links


_WHOLE: list = []  # read back once for the module


@pytest.fixture
def whole(app, tmp_path, monkeypatch):
    if not _WHOLE:
        monkeypatch.setattr(comp, "INDEX_PIECE", WHOLE)
        comp.write_compendium(_compendium(), tmp_path / "whole.pdf")
        _WHOLE.append(_read(tmp_path / "whole.pdf"))
    return _WHOLE[0]


@pytest.mark.parametrize("piece", [1, 13])
def test_index_in_pieces_reads_back_as_one_index(app, whole, piece, monkeypatch, tmp_path):
    laid_out = []
    lay_out = comp._part

    def counting(compendium, part, *args, **kwargs):
        if part == "index":
            laid_out.append(kwargs["offset"])
        return lay_out(compendium, part, *args, **kwargs)

    monkeypatch.setattr(comp, "_part", counting)
    monkeypatch.setattr(comp, "INDEX_PIECE", piece)
    path = tmp_path / "compendium.pdf"
    pages = comp.write_compendium(_compendium(), path)
    chars, texts, outline, destinations, links = _read(path)

    index_start = next(i for i, t in enumerate(texts) if t.startswith("Index of organizations"))
    assert pages - index_start >= 3, "the test index spans several pages"
    assert len(set(laid_out)) >= 3, "the index was laid out in several pieces"
    assert chars == whole[0], "pages differ from the index laid out as one document"
    assert (texts, outline, destinations, links) == whole[1:]
    # The contents, the outline and the anchor point at the index's first page.
    assert destinations["index"] == index_start + 1
    assert ("Index of organizations", index_start + 1) in outline
    contents = re.search(r"Index of organizations\.{6,}\s*(\d+)", texts[1])
    assert contents and int(contents.group(1)) == index_start + 1
    for number in range(index_start + 1, pages + 1):
        assert f"Page {number} of {pages}" in texts[number - 1], f"footer of page {number}"
    # Every organization once, in order, across the pieces' joins.
    index = " ".join(" ".join(texts[index_start:]).split())
    found = [index.index(f"Organization {i:03} ") for i in range(150)]
    assert found == sorted(found)
    assert all(index.count(f"Organization {i:03} ") == 1 for i in range(150))


FOOTER_CSS = "@page { size: A6; @bottom-center { content: %s; font-size: 9pt; } }"


def _pages_html(count: int, footer: str, first: int = 1) -> str:
    return (
        f"<html lang='en'><head><style>{FOOTER_CSS % footer}"
        f"@page :first {{ counter-reset: page {first} }}</style></head><body>"
        + "".join(f"<p style='break-after: page'>Page body {n}</p>" for n in range(count))
        + "</body></html>"
    )


def _footers(pdf_bytes) -> list[tuple[str, float]]:
    """Each page's footer text and its centre (the footer is the lowest line)."""
    footers = []
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        for page in pdf.pages:
            bottom = max(c["top"] for c in page.chars)
            line = [c for c in page.chars if abs(c["top"] - bottom) < 1]
            text = "".join(c["text"] for c in line)
            footers.append((text, (line[0]["x0"] + line[-1]["x1"]) / 2))
    return footers


def test_footers_painted_from_one_layout_per_page_style(app):
    """Footers of 2 to 3 digits, from parts laid out on their own, read back as WeasyPrint's
    own "counter(page) of counter(pages)": same text, centred at the same place."""
    mark = "\u2063total\u2063"
    footers = DeferredFooters(
        lambda page_box: next(
            (
                box
                for box in page_box.children
                if getattr(box, "at_keyword", "") == "@bottom-center"
            ),
            None,
        ),
        mark,
        lambda total: f"of {total}",
    )
    book = Book(footers=footers)
    first = 1
    for count in (95, 10):
        document = render_document(_pages_html(count, f'"Page " counter(page) " {mark}"', first))
        book.add(document)
        first += count
    target = io.BytesIO()
    assert book.write(target) == 105
    expected = render_document(
        _pages_html(105, '"Page " counter(page) " of " counter(pages)')
    ).write_pdf()
    painted = _footers(target.getvalue())
    assert [text for text, _ in painted] == [f"Page {n} of 105" for n in range(1, 106)]
    for number, ((_, centre), (_, reference)) in enumerate(
        zip(painted, _footers(expected), strict=True), 1
    ):
        assert centre == pytest.approx(reference, abs=0.05), f"footer of page {number}"
    # One laid-out footer for each page style, not one a page: left and right pages at most.
    assert len(footers.layouts) <= 2
