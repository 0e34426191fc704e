"""The WeasyPrint and pydyf internals the PDF code reaches into, checked by name: an upgrade that
moves one fails here, with the reason, rather than as a wrong footnote or footer somewhere else.
setup.cfg bounds both packages to the minor versions these checks were written against."""

import pydyf
import weasyprint
from weasyprint import HTML
from weasyprint.formatting_structure.boxes import FootnoteAreaBox, MarginBox, TextBox
from weasyprint.text.line_break import create_layout, line_size

from portal.pdf.writer import write_pdf

PAGE = """<html><head><style>
@page { size: A5; @bottom-center { content: "Page " counter(page) " of NN"; } }
.note { float: footnote; }
</style></head><body><p>Call<span class="note">The note.</span></p></body></html>"""


def test_versions_are_the_tested_ones():
    assert weasyprint.__version__.split(".")[0] == "70", "re-check pdf/writer.py and compendium"
    assert pydyf.__version__.startswith("0.13."), "re-check the page_references cache in writer.py"


def test_laid_out_page_boxes_have_the_shape_the_code_reads():
    document = HTML(string=PAGE).render()
    page_box = document.pages[0]._page_box
    assert list(page_box.children[0].descendants()), "the body is the page box's first child"
    assert any(isinstance(child, FootnoteAreaBox) and child.children for child in page_box.children)
    margins = [c for c in page_box.children if isinstance(c, MarginBox)]
    bottom = [m for m in margins if m.at_keyword == "@bottom-center"]
    assert bottom, "the footer's margin box is found by its at-keyword"
    texts = [box for box in bottom[0].descendants() if isinstance(box, TextBox)]
    assert any("of NN" in box.text for box in texts)
    layout = create_layout("Page 1 of 2", texts[0].style, None, None, 0)
    width, _ = line_size(layout.get_first_line()[0], texts[0].style)
    assert width > 0


def test_pydyf_page_list_is_still_a_kids_array_of_triples():
    pdf = pydyf.PDF()
    for _ in range(2):
        page = pydyf.Dictionary({"Type": "/Page"})
        pdf.add_object(page)
        pdf.add_page(page)
    kids = pdf.pages["Kids"]
    assert len(kids) == 6 and kids[1::3] == [0, 0] and kids[2::3] == ["R", "R"]
    assert pdf.page_references == tuple(f"{n} 0 R".encode() for n in kids[::3])
    assert write_pdf(PAGE).startswith(b"%PDF-")
