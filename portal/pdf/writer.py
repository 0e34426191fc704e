"""HTML → PDF through WeasyPrint, with the safe fetcher and the footnote-page guarantee.

WeasyPrint 70 sometimes lays a footnote out on the page after its call, whatever
``footnote-policy`` says: when the last line of a page overflows and orphans/widows forbid
breaking before it, it moves the page's last-placed notes to the next page to make room — even
notes called high up on the page. :func:`write_pdf` therefore checks every laid-out page — the
footnote calls in its body against the notes in its footnote area — and, for the first call whose
note went to a later page, forces a page break before the block that ends that page (or, failing
that, the block holding the call), then lays the document out again, until every note sits on
its call's page.
"""

from __future__ import annotations

import logging

import cssselect2
import pydyf
from weasyprint import HTML
from weasyprint.formatting_structure.boxes import FootnoteAreaBox

from .fetcher import STATIC_BASE_URL, safe_fetcher

log = logging.getLogger(__name__)

PDF_VARIANT = "pdf/ua-1"
MAX_RELAYOUTS = 12
_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "td", "th", "dd", "dt"}
_FORCED = "data-footnote-break"


def _page_references(pdf) -> tuple:
    # pydyf 0.13 rebuilds this tuple of every page reference on each access, and WeasyPrint's
    # PDF/UA tagging reads it once per tagged element: quadratic in pages — 75 of the 116 s
    # (profiled) of writing a 495-page compendium. Pages are only ever appended, so the tuple
    # is cached for the current page count.
    kids = pdf.pages["Kids"]
    cached = pdf.__dict__.get("_portal_page_references")
    if cached is None or cached[0] != len(kids):
        references = tuple(f"{number} 0 R".encode("ascii") for number in kids[::3])
        cached = pdf.__dict__["_portal_page_references"] = (len(kids), references)
    return cached[1]


pydyf.PDF.page_references = property(_page_references)


def write_pdf(html: str, base_url: str = STATIC_BASE_URL, *, tagged: bool = True) -> bytes:
    """Lay out ``html`` (relative URLs resolve against the portal's static folder) and return
    the PDF bytes. Every footnote (``float: footnote``) ends up on the page of its call."""
    document = render_document(html, base_url, tagged=tagged)
    options = {"pdf_variant": PDF_VARIANT} if tagged else {}
    return document.write_pdf(attachments=None, **options)


def render_document(
    html: str, base_url: str = STATIC_BASE_URL, *, tagged: bool = True, font_config=None
):
    """The laid-out WeasyPrint document, footnotes checked (see the module docstring).

    Documents whose pages are joined into one PDF share one ``font_config``
    (``weasyprint.text.fonts.FontConfiguration``): fonts load once and embed once."""
    source = HTML(string=html, base_url=base_url, url_fetcher=safe_fetcher())
    _drop_attachments(source.etree_element)
    options = {"pdf_variant": PDF_VARIANT} if tagged else {}
    if font_config is not None:
        options["font_config"] = font_config
    document = source.render(**options)
    parents = None
    for _ in range(MAX_RELAYOUTS):
        misplaced = misplaced_footnotes(document)
        if not misplaced:
            return document
        if parents is None:
            parents = {child: parent for parent in source.etree_element.iter() for child in parent}
        page_index, call = misplaced[0]
        bottom = _last_line_element(document.pages[page_index])
        if not any(_force_break_before(e, parents) for e in (bottom, call) if e is not None):
            break
        source.wrapper_element = cssselect2.ElementWrapper.from_html_root(source.etree_element)
        document = source.render(**options)
    misplaced = misplaced_footnotes(document)
    if misplaced:
        log.warning("%d footnote(s) could not be kept on their call's page", len(misplaced))
    return document


def misplaced_footnotes(document) -> list[tuple[int, object]]:
    """(page index, footnote element) for each footnote call whose note is not on that page."""
    areas = [_footnote_area(page) for page in document.pages]
    if not any(area is not None and area.children for area in areas):
        # WeasyPrint adds pages until every note is placed: no note anywhere means no call.
        return []
    misplaced = []
    for index, page in enumerate(document.pages):
        root = page._page_box.children[0]
        notes = {id(box.element) for box in areas[index].descendants()} if areas[index] else set()
        seen: set[int] = set()
        for box in root.descendants():
            key = id(box.element)
            if key not in notes and key not in seen and box.element_tag.endswith("::footnote-call"):
                seen.add(key)
                misplaced.append((index, box.element))
    return misplaced


def _footnote_area(page):
    """The page's footnote area, looked up by type: which children a page box has depends on
    its margin boxes (a page with no footer has none)."""
    for child in page._page_box.children:
        if isinstance(child, FootnoteAreaBox):
            return child
    return None


def _last_line_element(page):
    """The element whose line ends the page's body: WeasyPrint moves notes to the next page
    to make room for the last lines of a page, so moving that block frees the room instead."""
    last = None
    for box in page._page_box.children[0].descendants():
        if type(box).__name__ == "LineBox" and box.element is not None:
            last = box.element
    return last


def _force_break_before(element, parents) -> bool:
    block = element if element.tag in _BLOCKS else parents.get(element)
    while block is not None and block.tag not in _BLOCKS:
        block = parents.get(block)
    if block is None or block.get(_FORCED):
        # A break is already there: the block starts a page and the note still does not fit.
        return False
    block.set(_FORCED, "1")
    block.set("style", (block.get("style") or "") + ";break-before:page")
    return True


def _drop_attachments(root) -> None:
    # <link rel=attachment> and <a rel=attachment> would embed files; the fetcher refuses most,
    # but nothing in a statement has a reason to attach anything.
    parents = {child: parent for parent in root.iter() for child in parent}
    for element in [e for e in root.iter() if e.tag in ("link", "a")]:
        if "attachment" in (element.get("rel") or "").lower().split():
            if element.tag == "link":
                parents[element].remove(element)
            else:
                element.attrib.pop("rel")
