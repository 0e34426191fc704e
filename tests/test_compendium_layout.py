"""The compendium's contents and index, read back from the PDF: dot leaders that keep their
dots for long titles, and an index naming the statements each organization signed."""

import re

import pdfplumber
import pytest

from portal.exports import compendium as comp
from portal.pdf import Signatory, StatementDocument

# Titles whose contents line used to end at the right margin, leaving room for ".." only.
LONG_TITLES = [
    "Joint statement on the rights of migrant workers and their families in transitxxx",
    "Joint statement on the rights of migrant workers and their families in transit at",
    "Short title",
]


def _compendium(titles) -> comp.Compendium:
    entries = [
        comp.Entry(
            doc_id=f"s{n}",
            doc=StatementDocument(
                title=title,
                body="## Asks\n\nRights for all.\n",
                process="Global Compact for Migration",
                round="Second round",
                lead="Lead Coalition",
                signatories=[
                    Signatory("Both Network", "KE"),
                    Signatory(f"Only Signer {n}", "SN"),
                ],
            ),
        )
        for n, title in enumerate(titles, 1)
    ]
    return comp.Compendium("Global Compact", "Second round", "New York", "12–15 March", entries)


@pytest.fixture
def pages(app, tmp_path):
    path = tmp_path / "compendium.pdf"
    comp.write_compendium(_compendium(LONG_TITLES), path)
    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def test_contents_leaders_keep_their_dots_for_long_titles(pages):
    contents = pages[1]
    numbered = [
        line
        for line in contents.splitlines()
        if re.search(r"\d+$", line.strip()) and not line.startswith("Page ")
    ]
    assert len(numbered) == len(LONG_TITLES) + 1  # and the index
    for line in numbered:
        assert re.search(r"\.{6,}\s*\d+$", line.strip()), f"a leader shrank: {line!r}"


def test_index_names_each_statement_with_its_page(pages):
    start = next(i for i, text in enumerate(pages) if text.startswith("Index of organizations"))
    index = " ".join(" ".join(pages[start:]).split())
    first = comp.Entry("s1", StatementDocument(title=LONG_TITLES[0], body="")).short_title
    assert first.endswith("…") and len(first) <= 41
    found = re.search(r"Both Network \(Kenya\): (.+?) (\d+); (.+?) (\d+); Short title (\d+)", index)
    assert found, index
    assert found.group(1) == first
    for page_group in (2, 4):
        page = int(found.group(page_group))
        assert "Joint statement on the rights" in pages[page - 1]
    assert f"Only Signer 3 (Senegal): Short title {found.group(5)}" in index


def test_short_titles_cut_after_a_whole_word():
    entry = comp.Entry("s1", StatementDocument(title="Word " * 20, body=""))
    assert entry.short_title == ("Word " * 8).strip() + "…"
    assert comp.Entry("s2", StatementDocument(title="Brief", body="")).short_title == "Brief"
