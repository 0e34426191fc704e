"""The statement PDF read back: footnotes on their call pages, links, outline, fonts, metadata."""

import io
import re
import unicodedata

import pytest
from pypdf import PdfReader

from portal.pdf import (
    Signatory,
    StatementDocument,
    misplaced_footnotes,
    render_document,
    render_statement_html,
    render_statement_pdf,
    statement_section_html,
)
from portal.pdf.signatory_blocks import blocks
from portal.text import parse_document

from .pdf_helpers import (
    MODEL,
    assert_footnotes_on_call_pages,
    generated_statement,
    page_of,
    signatory_entries,
)


def model_document(**extra):
    meta, body = parse_document(MODEL.read_text(encoding="utf-8"))
    return StatementDocument(body=body, **meta, **extra)


@pytest.fixture(scope="module")
def model_pdf():
    return render_statement_pdf(model_document())


@pytest.fixture(scope="module")
def model_reader(model_pdf):
    return PdfReader(io.BytesIO(model_pdf))


def _text(reader):
    return "\n".join(page.extract_text() for page in reader.pages)


def _uris(reader):
    uris = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action and "/URI" in action:
                uris.append(action["/URI"])
    return uris


def test_model_statement_all_six_footnotes_on_their_call_pages(model_pdf):
    assert_footnotes_on_call_pages(model_pdf, 6)


def test_model_statement_text_sections_and_closing(model_reader):
    text = re.sub(r"\s+", " ", _text(model_reader))
    for words in (
        "On Vision and Aspiration",
        "Elements in Zero Draft Plus and Second Round of Negotiations",
        "Civil Society and Migrants at Every Step",
        "Irregular – Regular",
        "Follow-up and Review",
        "We stand ready to work with Member States as a partner",
        "Page 1 of",
        "Civil Society Action Committee",
        "12 March 2018",
    ):
        assert words in text
    assert re.search(r"Page (\d+) of \1", text)


def test_model_statement_links_clickable(model_reader):
    uris = _uris(model_reader)
    for uri in (
        "http://crrf.unhcr.org/en/documents/download/130",
        "https://www.icvanetwork.org/system/files/versions/NGO_Statement_HC_Dialogue_SCOM_March2018.pdf",
        "https://www.icvanetwork.org/system/files/versions/Agenda%20item%203%20-%20WRITTEN%20FINAL.pdf",
        "http://www.madenetwork.org/ten-acts",
        "http://www.childrenonthemove.org/resources",
    ):
        assert uri in uris


def test_model_statement_outline_metadata_fonts(model_reader):
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(model_reader.outline)
    assert "On Vision and Aspiration" in titles and "Follow-up and Review" in titles
    assert any(t.startswith("Civil Society Statement") for t in titles)
    meta = model_reader.metadata
    assert meta.title.startswith("Civil Society Statement")
    assert meta.author == "Civil Society Action Committee"
    assert meta.subject == "Second round of intergovernmental negotiations"
    assert model_reader.trailer["/Root"]["/Lang"] == "en"
    fonts = set()
    for page in model_reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor  # embedded
            fonts.add(font["/BaseFont"].split("+")[-1])
    assert {"Carlito", "Carlito-Bold"} <= fonts
    assert model_reader.pages[0].mediabox.width == pytest.approx(595.3, abs=1)  # A4


LONG = "Network for the Rights of Migrant Workers, Refugees and Their Families in the Region"


def _folded(pair):
    return unicodedata.normalize("NFKD", pair[0]).encode("ascii", "ignore").decode().casefold()


def _sorted_entries(signatories):
    return [f"{name} ({country})" for name, country in sorted(signatories, key=_folded)]


@pytest.fixture(scope="module")
def signed_names():
    names = [(f"Organization {i:04d}", "Germany" if i % 2 else "Kenya") for i in range(150)]
    names += [(f"{LONG} {chr(65 + i)}", "Philippines") for i in range(20)]  # wrap to 2 lines
    return names + [("Éire Migrant Aid", "Ireland"), ("asociación Hogar", "Guatemala")]


@pytest.fixture(scope="module")
def signed_pdf(signed_names):
    countries = {"Germany": "DE", "Ireland": "IRL"}  # codes and names are both accepted
    doc = model_document(
        # The PDF prints the list in the order it is given (the caller orders it).
        signatories=[
            Signatory(n, countries.get(c, c)) for n, c in sorted(signed_names, key=_folded)
        ],
        signatory_note="Organizations that signed an earlier text are not listed",
        draft_label="DRAFT — revision 3",
        paper="letter",
    )
    return render_statement_pdf(doc)


def test_signatories_all_listed_with_countries_sorted_down_each_column(signed_pdf, signed_names):
    entries = signatory_entries(signed_pdf)
    # Read down the left column, then the right, page by page: exactly the sorted list, so no
    # block was cut by a page break, every name is there and each carries its country.
    assert [text for _page, text in entries] == _sorted_entries(signed_names)
    heading = page_of(signed_pdf, f"Signed by {len(signed_names)} organizations")
    assert entries[0][0] == heading
    assert len({page for page, _text in entries}) > 1  # the long list did run over pages
    note = page_of(signed_pdf, "Organizations that signed an earlier text are not listed")
    assert note == entries[-1][0]
    reader = PdfReader(io.BytesIO(signed_pdf))
    assert "DRAFT — revision 3" in _text(reader)
    assert reader.pages[0].mediabox.width == pytest.approx(612, abs=1)  # Letter


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_short_signatory_list_stays_on_one_page_with_its_heading(paper):
    names = [("Zeta Union", "Brazil"), ("Alpha Aid", "Kenya"), ("Écoute Migrants", "France")]
    pdf = render_statement_pdf(
        model_document(signatories=[Signatory(n, c) for n, c in names], paper=paper)
    )
    entries = signatory_entries(pdf)
    assert [text for _page, text in entries] == [f"{n} ({c})" for n, c in names]
    assert {page for page, _text in entries} == {page_of(pdf, "Signed by 3 organizations")}


def test_signatory_blocks_fit_a_page_and_balance_the_last():
    long = [Signatory(f"{LONG} {i:03d}", "PH") for i in range(400)]
    parts = blocks(long, "a4")
    assert parts[0].first and parts[-1].last and len(parts) > 2
    assert sum(len(b.left) + len(b.right) for b in parts) == 400
    assert 0 <= len(parts[-1].left) - len(parts[-1].right) <= 1
    short = blocks(long[:3], "letter", note=True)
    assert len(short) == 1 and (len(short[0].left), len(short[0].right)) == (2, 1)


def test_signatory_footnotes_still_hold_on_letter(signed_pdf):
    assert_footnotes_on_call_pages(signed_pdf, 6)


@pytest.mark.parametrize("seed", range(6))
def test_generated_long_statements_keep_notes_on_call_pages(seed):
    body, count = generated_statement(seed)
    document = render_document(render_statement_html(StatementDocument(title="T", body=body)))
    assert misplaced_footnotes(document) == []
    if seed < 2:
        assert_footnotes_on_call_pages(document.write_pdf(), count)


@pytest.mark.parametrize("seed", range(2))
def test_many_footnotes_per_page(seed):
    body, count = generated_statement(100 + seed, paragraphs=14, note_rate=1, notes_per_paragraph=3)
    document = render_document(render_statement_html(StatementDocument(title="T", body=body)))
    assert misplaced_footnotes(document) == []
    assert_footnotes_on_call_pages(document.write_pdf(), count)


def test_section_html_is_reusable_in_longer_documents():
    doc = model_document(signatories=[Signatory("A", "FR")])
    section = statement_section_html(doc, doc_id="s1")
    assert section.startswith('<section class="statement" id="statement-s1"')
    assert 'id="fn-s1-1"' in section and "<html" not in section


@pytest.mark.parametrize("footer", ["none", '"Page " counter(page)'])
@pytest.mark.parametrize("note", ["", '<p>Called<span class="footnote">A note.</span> here.</p>'])
def test_footnote_check_reads_pages_with_or_without_footer_and_notes(footer, note):
    from weasyprint import HTML

    style = "@page { @bottom-center { content: FOOTER } } .footnote { float: footnote }"
    html = f"<style>{style.replace('FOOTER', footer)}</style><p>Body text.</p>{note}"
    assert misplaced_footnotes(HTML(string=html).render()) == []
