"""One PDF from many laid-out WeasyPrint documents, written page by page as each document comes:
a book of a thousand pages holds one part's layout at a time, not all of them (a laid-out page
is about 0.7 MiB of boxes and text layouts; the round compendium of 200 statements took 1 GB).

It is WeasyPrint's own `generate_pdf` (weasyprint/pdf/__init__.py, version 70 — pinned in
constraints.txt; tests/test_compendium_*.py read the result back) cut in two: `add` paints each
page, its links, bookmarks and PDF/UA tags as it comes, then lets the page go; `write` adds the
outline, the metadata, the fonts (each subset once for the whole book), the named destinations
and the end of the structure tree, and writes the file. Internal links are named destinations,
so a link may point at a part added later.

Two things cannot be written as they come, and have their place kept instead:

- pages that come first but are laid out last (contents that need every part's first page):
  `reserve(n)` keeps n pages at the current position, `add(document, into=slot)` fills them;
- a footer naming the total page count: `Book(footers=DeferredFooters(...))` takes it off each
  page and paints it into a form XObject of its page once `write` knows the total — as an
  artifact, like all page furniture in tagged PDF (portal/pdf/deferred_footers.py).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from types import SimpleNamespace

import pydyf
from weasyprint import DEFAULT_OPTIONS, VERSION
from weasyprint.anchors import make_page_bookmark_tree
from weasyprint.logger import LOGGER
from weasyprint.matrix import Matrix
from weasyprint.pdf import VARIANTS, _use_references, _w3c_date_to_pdf
from weasyprint.pdf.anchors import add_links, add_outlines
from weasyprint.pdf.fonts import build_fonts_dictionary
from weasyprint.pdf.stream import Stream
from weasyprint.pdf.tags import _build_box_tree

from .deferred_footers import DeferredFooters
from .object_streams import write_pdf_file
from .writer import PDF_VARIANT

SCALE = 0.75  # 72 PDF points per inch / 96 CSS pixels per inch, as WeasyPrint at zoom 1
D50 = (0.9642, 1, 0.8251)
D65 = (0.9505, 1, 1.0890)


class _Sealed:
    """A finished PDF object, its bytes set aside in the book's spill file until the PDF is
    written: a page's content stream holds thousands of operator pieces and its tags a hundred
    dictionaries — about 0.3 MiB a page as Python objects, and small bytes kept in memory would
    still pin the allocator's pools between the pages' freed layouts. Only what pydyf's
    PDF.write reads of an object stays, with slots (a book has a few hundred thousand)."""

    __slots__ = (
        "number",
        "generation",
        "offset",
        "free",
        "compressible",
        "_at",
        "_length",
        "_spill",
    )

    def __init__(self, finished: pydyf.Object, spill):
        self.number, self.generation = finished.number, finished.generation
        self.offset, self.free = finished.offset, finished.free
        self.compressible = finished.compressible
        data = finished.data
        self._spill, self._at, self._length = spill, spill.tell(), len(data)
        spill.write(data)

    @property
    def data(self) -> bytes:
        self._spill.seek(self._at)
        return self._spill.read(self._length)

    @property
    def indirect(self) -> bytes:
        return f"{self.number} {self.generation} obj\n".encode() + self.data + b"\nendobj"


@dataclass
class Slot:
    """Pages reserved by `Book.reserve`, filled in order by `Book.add(document, into=slot)`."""

    start: int
    count: int
    filled: int = 0


class Book:
    def __init__(
        self,
        *,
        variant: str = PDF_VARIANT,
        footers: DeferredFooters | None = None,
    ):
        """`footers`: the footers painted once the total page count is known."""
        options = dict(DEFAULT_OPTIONS, pdf_variant=variant)
        self.variant_function, properties = VARIANTS[variant]
        for key, value in properties.items():
            if options.get(key) is None:
                options[key] = value
        self.options = options
        # As generate_pdf: the variant decides tagging (DEFAULT_OPTIONS says False, not None).
        self.tagged = bool(properties.get("pdf_tags", options["pdf_tags"]))
        self.deferred = footers
        self.pdf = pdf = pydyf.PDF()
        self.images: dict = {}
        self.fonts: dict = {}  # shared by every page: each font is embedded and subset once
        self.color_profiles: dict = {}
        color_space = pydyf.Dictionary(
            {
                f"lab-d{name}": pydyf.Array(
                    (
                        "/Lab",
                        pydyf.Dictionary(
                            {
                                "WhitePoint": pydyf.Array(white),
                                "Range": pydyf.Array((-125, 125, -125, 125)),
                            }
                        ),
                    )
                )
                for name, white in (("50", D50), ("65", D65))
            }
        )
        pdf.add_object(color_space)
        self.resources = pydyf.Dictionary(
            {
                "ExtGState": pydyf.Dictionary(),
                "XObject": pydyf.Dictionary(),
                "Pattern": pydyf.Dictionary(),
                "Shading": pydyf.Dictionary(),
                "ColorSpace": color_space.reference,
            }
        )
        pdf.add_object(self.resources)
        self.pages: list[pydyf.Dictionary] = []
        self.page_nums: list[pydyf.Array] = []  # each page's MCID → StructElem references
        self.page_elements: list[list] = []  # each page's top-level StructElems, in order
        self.bookmarks: list = []  # each page's bookmarks and height, replayed in page order
        self.names: list = []
        self.anchors: set[str] = set()
        self.link_targets: set[str] = set()
        self.annotations: list = []
        self.footers: list = []  # (form XObject, what DeferredFooters.paint needs) a page
        self.metadata = None
        self._spill = tempfile.TemporaryFile()  # noqa: SIM115  (closed by write)
        if self.tagged:
            self._start_structure()

    # -- pages as they come --------------------------------------------------------------------

    def reserve(self, count: int) -> Slot:
        slot = Slot(len(self.pages), count)
        for _ in range(count):
            self._new_page()
        return slot

    def add(self, document, into: Slot | None = None) -> None:
        """Write the document's pages (at the end, or into a reserved slot); the document may
        be dropped afterwards."""
        if self.metadata is None:
            self.metadata = document.metadata
        for page in document.pages:
            if into is not None:
                if into.filled >= into.count:
                    raise ValueError("more pages than were reserved")
                number = into.start + into.filled
                into.filled += 1
            else:
                number = self._new_page()
            self._write_page(page, number)

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def _new_page(self) -> int:
        pdf_page = pydyf.Dictionary({"Type": "/Page", "Parent": self.pdf.pages.reference})
        self.pdf.add_page(pdf_page)
        self.pages.append(pdf_page)
        self.page_nums.append(pydyf.Array())
        self.page_elements.append([])
        self.bookmarks.append(SimpleNamespace(bookmarks=[], height=0))
        return len(self.pages) - 1

    def _write_page(self, page, number: int) -> None:
        first_object = len(self.pdf.objects)
        annotations = len(self.annotations)
        tags: dict | None = {} if self.tagged else None
        bleed = page.bleed
        left, top = -SCALE * bleed["left"], -SCALE * bleed["top"]
        right = left + SCALE * (page.width + bleed["left"] + bleed["right"])
        bottom = top + SCALE * (page.height + bleed["top"] + bleed["bottom"])
        rectangle = (left / SCALE, top / SCALE, (right - left) / SCALE, (bottom - top) / SCALE)
        stream = Stream(
            self.fonts,
            rectangle,
            self.resources,
            self.images,
            tags,
            self.color_profiles,
            None,
            compress=not self.options["uncompressed_pdf"],
        )
        stream.transform(d=-1, f=page.height * SCALE)
        self.pdf.add_object(stream)
        pdf_page = self.pages[number]
        pdf_page["MediaBox"] = pydyf.Array([left, top, right, bottom])
        pdf_page["Contents"] = stream.reference
        pdf_page["Resources"] = self.resources.reference
        if self.tagged:
            pdf_page["Tabs"] = "/S"
            pdf_page["StructParents"] = number
        matrix = Matrix(SCALE, 0, 0, -SCALE, 0, page.height * SCALE)
        add_links(self._links_and_anchors(page), matrix, self.pdf, pdf_page, self.names, tags)
        footer = self.deferred.detach(page._page_box) if self.deferred else None
        page.paint(stream, SCALE)
        if footer is not None:
            with stream.artifact(), stream.stacked():
                stream.transform(a=SCALE, d=SCALE)
                group = stream.add_group(*rectangle)
                group._tags = None  # painted later, outside the page's marked content
                stream.draw_x_object(group.id)
            self.footers.append((group, footer))
        trim = (
            left + SCALE * bleed["left"],
            top + SCALE * bleed["top"],
            right - SCALE * bleed["right"],
            bottom - SCALE * bleed["bottom"],
        )
        pdf_page["TrimBox"] = pydyf.Array(trim)
        pdf_page["BleedBox"] = pydyf.Array(
            [
                trim[0] - min(10, SCALE * bleed["left"]),
                trim[1] - min(10, SCALE * bleed["top"]),
                trim[2] + min(10, SCALE * bleed["right"]),
                trim[3] + min(10, SCALE * bleed["bottom"]),
            ]
        )
        self.bookmarks[number] = SimpleNamespace(bookmarks=page.bookmarks, height=page.height)
        if tags is not None:
            self._tag_page(page, number, tags)
        # Link annotations get their place in the structure tree at the end: kept as objects.
        kept = {id(annotation) for _, annotation in self.annotations[annotations:]}
        objects = self.pdf.objects
        for index in range(first_object, len(objects)):
            if id(objects[index]) not in kept:
                objects[index] = _Sealed(objects[index], self._spill)

    def _links_and_anchors(self, page):
        links = [link for link in page.links if link[0] in ("internal", "external")]
        self.link_targets.update(link[1] for link in links if link[0] == "internal")
        anchors = []
        for name, (x, y, _, _) in page.anchors.items():
            if name not in self.anchors:  # the first anchor of a name wins, as in WeasyPrint
                self.anchors.add(name)
                anchors.append((name, x, y))
        return links, anchors

    # -- the structure tree (PDF/UA), as weasyprint.pdf.tags.add_tags builds it ----------------

    def _start_structure(self) -> None:
        pdf = self.pdf
        self.content_mapping = pydyf.Dictionary({"Nums": pydyf.Array()})
        pdf.add_object(self.content_mapping)
        root = pydyf.Dictionary(
            {"Type": "/StructTreeRoot", "ParentTree": self.content_mapping.reference}
        )
        pdf.add_object(root)
        self.structure = pydyf.Dictionary(
            {"Type": "/StructElem", "S": "/Document", "K": pydyf.Array(), "P": root.reference}
        )
        pdf.add_object(self.structure)
        root["K"] = pydyf.Array([self.structure.reference])
        pdf.catalog["StructTreeRoot"] = root.reference

    def _tag_page(self, page, number: int, tags: dict) -> None:
        nums: dict = {}
        elements = _build_box_tree(
            page._page_box, self.structure, self.pdf, number, nums, self.annotations, tags
        )
        self.page_elements[number] = [element.reference for element in elements]
        assert not tags
        self.page_nums[number].extend(reference for _, reference in sorted(nums.items()))

    def _end_structure(self) -> None:
        for number, nums in enumerate(self.page_nums):
            self.content_mapping["Nums"].extend([number, nums])
        for elements in self.page_elements:
            self.structure["K"].extend(elements)
        start = len(self.pages)
        for i, (reference, annotation) in enumerate(self.annotations, start=start):
            self.content_mapping["Nums"].extend([i, reference])
            annotation["StructParent"] = i
        catalog = self.pdf.catalog
        catalog["ViewerPreferences"] = pydyf.Dictionary({"DisplayDocTitle": "true"})
        catalog["MarkInfo"] = pydyf.Dictionary({"Marked": "true"})
        if "Lang" not in catalog:
            LOGGER.error('Missing required "lang" attribute at the root of the document')
            catalog["Lang"] = pydyf.String()

    # -- the end ---------------------------------------------------------------------------------

    def write(self, target) -> int:
        """Paint the deferred footers, finish the PDF and write it to `target` (a path or a
        binary file); return the page count."""
        pdf, total = self.pdf, len(self.pages)
        if self.deferred is not None:
            for group, footer in self.footers:
                self.deferred.paint(group, footer, total)
        missing = self.link_targets - self.anchors
        for name in sorted(missing):
            LOGGER.error("No anchor #%s for internal URI reference", name)
        add_outlines(pdf, self._bookmark_tree())
        self._write_metadata()
        compress = not self.options["uncompressed_pdf"]
        fonts = build_fonts_dictionary(pdf, self.fonts, compress, True, self.options)
        pdf.add_object(fonts)
        self.resources["Font"] = fonts.reference
        _use_references(pdf, self.resources, self.images, self.color_profiles)
        if self.names:
            names = pydyf.Array()
            for name, destination in sorted(self.names, key=lambda pair: pair[0]):
                names.extend([pydyf.String(name), destination])
            pdf.catalog.setdefault("Names", pydyf.Dictionary())
            pdf.catalog["Names"]["Dests"] = pydyf.Dictionary({"Names": names})
        if self.tagged:
            self._end_structure()
        self.variant_function(pdf, SimpleNamespace(metadata=self.metadata), [], [], compress)
        version, identifier = self.options["pdf_version"], self.options["pdf_identifier"]
        try:
            if hasattr(target, "write"):
                write_pdf_file(pdf, target, version, identifier, compress)
            else:
                with open(target, "wb") as handle:
                    write_pdf_file(pdf, handle, version, identifier, compress)
        finally:
            self._spill.close()
        return total

    def _bookmark_tree(self) -> list:
        root: list = []
        skipped: list = []
        last_by_depth = [root]
        level = 0
        for number, page in enumerate(self.bookmarks):
            matrix = Matrix(a=SCALE, d=-SCALE, f=page.height * SCALE)
            level = make_page_bookmark_tree(page, skipped, last_by_depth, level, number, matrix)
        return root

    def _write_metadata(self) -> None:
        pdf, metadata = self.pdf, self.metadata
        pdf.info["Producer"] = pydyf.String(f"WeasyPrint {VERSION}")
        if metadata is None:
            return
        if metadata.title:
            pdf.info["Title"] = pydyf.String(metadata.title)
        if metadata.authors:
            pdf.info["Author"] = pydyf.String(", ".join(metadata.authors))
        if metadata.description:
            pdf.info["Subject"] = pydyf.String(metadata.description)
        if metadata.keywords:
            pdf.info["Keywords"] = pydyf.String(", ".join(metadata.keywords))
        if metadata.generator:
            pdf.info["Creator"] = pydyf.String(metadata.generator)
        if metadata.created:
            pdf.info["CreationDate"] = pydyf.String(_w3c_date_to_pdf(metadata.created, "created"))
        if metadata.modified:
            pdf.info["ModDate"] = pydyf.String(_w3c_date_to_pdf(metadata.modified, "modified"))
        if metadata.lang:
            pdf.catalog["Lang"] = pydyf.String(metadata.lang)
