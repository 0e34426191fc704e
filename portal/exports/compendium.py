"""The round compendium for delegations: a cover (process, round, dates, place), a table of
contents with page numbers, every approved statement with its signatories, and an index of the
organizations with the statements they signed and the pages they start on.

Each part is laid out on its own and the pages are joined (see `layout`): page numbers in the
contents and the index are then known and written in. The PDF is written to a temporary file
and renamed, so a failed or killed build leaves nothing behind and can simply run again.
"""

from __future__ import annotations

import gc
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext
from weasyprint.formatting_structure.boxes import MarginBox, TextBox
from weasyprint.text.fonts import FontConfiguration

from ..core import i18n
from ..models import ArtifactKind, Round
from ..pdf import StatementDocument, render_document, statement_section_html, template_environment
from ..pdf.book import Book
from ..pdf.deferred_footers import DeferredFooters
from ..pdf.document import page_footer_css
from ..review.queries import approvals, approved_statements
from ..statements.translation_queries import published_translation
from ..text.languages import display_name
from . import artifacts
from .official import official_key, statement_document

Progress = Callable[[int, int, str], None]


SHORT_TITLE = 40  # characters of a statement's title in the index


@dataclass
class Entry:
    """One statement of the compendium; `anchor` is its section id in the document."""

    doc_id: str
    doc: StatementDocument
    area: str = ""
    inputs: dict = field(default_factory=dict)
    # Printed in its original language: the compendium's language has no translation of it.
    in_original: bool = False

    @property
    def anchor(self) -> str:
        return f"statement-{self.doc_id}"

    @property
    def language_name(self) -> str:
        return display_name(self.doc.language)

    @property
    def short_title(self) -> str:
        """The title for the index: cut after a whole word, so an entry stays a line or two."""
        title = " ".join(self.doc.title.split())
        if len(title) <= SHORT_TITLE:
            return title
        cut = title[: SHORT_TITLE + 1].rfind(" ")
        return title[: cut if cut > 0 else SHORT_TITLE].rstrip(" ,;:—-") + "…"


@dataclass
class Compendium:
    process: str
    round: str
    place: str
    dates: str
    entries: list[Entry]
    language: str = "en"
    # Compiled in one language (`portal compile-round --lang fr`): translations where there are.
    translated: bool = False

    @property
    def language_name(self) -> str:
        return display_name(self.language)

    @property
    def in_original(self) -> list[Entry]:
        return [entry for entry in self.entries if entry.in_original]

    def index(self) -> list[tuple[str, str, list[Entry]]]:
        """(organization, place, [entries it signed]) sorted by folded name; the place is the
        country, the region or "International", so networks without a country are indexed."""
        signed: dict[tuple[str, str], list[Entry]] = {}
        for entry in self.entries:
            for signatory in entry.doc.signatories:
                key = (signatory.name, signatory.place)
                bucket = signed.setdefault(key, [])
                if not bucket or bucket[-1] is not entry:
                    bucket.append(entry)
        rows = [(name, place, entries) for (name, place), entries in signed.items()]
        rows.sort(key=lambda row: (_fold(row[0]), row[1]))
        return rows


def _fold(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


def _dates(round_: Round, language: str) -> str:
    """The meeting's dates in the compendium's language (the cover's words), not the reader's."""
    return i18n.date_range(round_.meeting_start, round_.meeting_end, language)


def round_compendium(round_: Round, language: str | None = None) -> Compendium:
    """The compendium of the round's approved statements, in programme order: as written, or
    in `language` — each statement's published translation, else its original (and the
    compendium says which statements are printed in their original language)."""
    statements = approved_statements(round_)
    reviews = approvals(statements)
    entries = []
    for statement in statements:
        review = reviews.get(statement.id)
        if review is None:
            continue
        translation = None
        if language is not None and language != statement.language:
            standing = published_translation(statement, review, language)
            translation = standing.revision if standing is not None else None
        entries.append(
            Entry(
                doc_id=f"s{statement.id}",
                doc=statement_document(statement, review, translation),
                area=statement.area.title,
                inputs={"key": official_key(statement, review, translation)},
                in_original=language is not None
                and language != statement.language
                and translation is None,
            )
        )
    return Compendium(
        process=round_.process.title,
        round=round_.title,
        place=round_.place or "",
        dates=_dates(round_, language or "en"),
        entries=entries,
        language=language or "en",
        translated=language is not None,
    )


def compendium_key(compendium: Compendium) -> str:
    inputs = {
        "process": compendium.process,
        "round": compendium.round,
        "place": compendium.place,
        "dates": compendium.dates,
        "entries": [
            e.inputs or {"title": e.doc.title, "body": e.doc.body} for e in compendium.entries
        ],
    }
    if compendium.translated:  # the compendium as written keeps its key
        inputs["language"] = compendium.language
    return artifacts.make_key(ArtifactKind.COMPENDIUM_PDF, inputs)


PROVISIONAL_PAGE = (
    "9999"  # at least as wide as any real page number, so the contents keep their length
)
TOTAL_MARK = "\u2063of-total\u2063"  # written by compendium.css into footers, replaced by "of N"


def _part(compendium: Compendium, part: str, first_page: int, pages: dict, **extra) -> str:
    template = template_environment().get_template("pdf/compendium.html")
    with i18n.document_language(compendium.language):
        return template.render(
            c=compendium,
            part=part,
            first_page=first_page,
            pages=pages,
            provisional_page=PROVISIONAL_PAGE,
            page_footer=page_footer_css(compendium.language, total=TOTAL_MARK),
            **i18n.document_words(compendium.language),
            **extra,
        )


def _total_footer(page_box):
    """The footer that names the total page count ("Page X of Y"), to be painted last."""
    for margin in page_box.children:
        if not isinstance(margin, MarginBox) or margin.at_keyword != "@bottom-center":
            continue
        if any(isinstance(b, TextBox) and TOTAL_MARK in b.text for b in margin.descendants()):
            return margin
    return None


def _of_total(total: int, language: str = "en") -> str:
    """Footers read "Page X of Y": parts are laid out one by one, so the total is only known
    at the end. Footer text does not change the page layout: the mark in the footer's laid-out
    text is replaced by "of Y" (portal/pdf/deferred_footers.py) — instead of laying every part
    out again."""
    _, middle, after = i18n.page_footer(language)
    return f"{middle.lstrip()}{total}{after}"


def _collect() -> None:
    """A laid-out document is a web of cycles (boxes, styles, their parents): without a full
    collection after each part, several parts' layouts wait for Python's rare oldest-generation
    pass, side by side in memory. What survives (the book so far) is frozen, so the next
    collection walks only the next part's objects, not the whole book again."""
    gc.collect()
    gc.freeze()


INDEX_PIECE = 200  # index entries laid out at a time: about a dozen pages at 200 statements


def _add_index(book: Book, count: int, first_page: int, lay_out: Callable) -> None:
    """Add the index of `count` entries to the book, laid out `INDEX_PIECE` entries at a time
    (`lay_out(start, end, first_page)`), each piece let go before the next: as one document,
    the index of 1,500 organizations was the compendium's peak (64 MiB at 200 statements).

    A piece's last page is dropped and its entries open the next piece at the top of a page,
    as they would in one document: an entry is not broken across pages (compendium.css), so
    where a page ends depends on the entries before it only. The dropped page is laid out
    twice; a piece that fits on one page is laid out again with twice the entries."""
    start, size, page = 0, INDEX_PIECE, first_page
    while True:
        end = min(start + size, count)
        document = lay_out(start, end, page)
        if end < count:
            complete = _complete_pages(document.pages, start)
            if complete is None:
                size *= 2
                continue
            kept, start = complete
            del document.pages[kept:]
            size = INDEX_PIECE
        page += len(document.pages)
        book.add(document)
        del document
        _collect()
        if end == count:
            return


def _complete_pages(pages, start: int) -> tuple[int, int] | None:
    """How many of an index piece's first pages to keep, and the entry that opens the next
    piece: the first on the last page (every page it is on is dropped, should an entry longer
    than a page be broken). None if that leaves no page."""
    on_page = [_entries_on(page) for page in pages]
    if not on_page[-1]:
        return None
    first = min(on_page[-1])
    kept = 0
    while kept < len(pages) and all(number < first for number in on_page[kept]):
        kept += 1
    return (kept, first) if kept and first > start else None


def _entries_on(page) -> list[int]:
    """The numbers of the index entries (`data-entry`) a laid-out page holds."""
    numbers = set()
    for box in page._page_box.descendants():
        if box.element_tag == "p" and box.element is not None:
            number = box.element.get("data-entry")
            if number is not None:
                numbers.add(int(number))
    return sorted(numbers)


def _write_compendium(compendium: Compendium, path: Path, progress: Progress | None):
    """Lay the compendium out part by part and write it to `path` (atomically); return the
    page count.

    Each statement is laid out on its own — exactly as its own PDF, with the footnote check —
    so the compendium costs about the sum of the statements, and a footnote fix never re-lays
    the whole book. Each part's pages are written into the PDF as soon as it is laid out and
    then let go (portal/pdf/book.py): memory holds one statement's layout, not the book's.
    The contents need every statement's first page: laid out first with provisional numbers,
    they say how many pages to keep at the front; they are laid out again with the real
    numbers, into those pages, once the statements and the index are written.
    """
    total = len(compendium.entries) + 3
    with i18n.document_language(compendium.language):  # the places of the index
        index = compendium.index()
    # One font configuration for every part: the fonts load once and are embedded once.
    fonts = FontConfiguration()

    def render(html: str):
        return render_document(html, font_config=fonts)

    footers = DeferredFooters(
        _total_footer, TOTAL_MARK, lambda count: _of_total(count, compendium.language)
    )
    book = Book(footers=footers)
    front = render(_part(compendium, "front", 1, {}, index=index))
    book.metadata = front.metadata  # the book's title and language are the cover's
    front_pages = len(front.pages)
    del front
    kept = book.reserve(front_pages)
    page = front_pages + 1
    pages: dict[str, int] = {}
    for number, entry in enumerate(compendium.entries, 1):
        pages[entry.anchor] = page
        section = statement_section_html(entry.doc, doc_id=entry.doc_id)
        document = render(_part(compendium, "statement", page, pages, section=section))
        page += len(document.pages)
        book.add(document)
        del document
        _collect()
        if progress:
            progress(
                number,
                total,
                gettext(
                    "Laid out statement %(number)s of %(total)s",
                    number=number,
                    total=len(compendium.entries),
                ),
            )
    pages["index"] = page

    def index_piece(start: int, end: int, first_page: int):
        piece = index[start:end]
        return render(
            _part(
                compendium,
                "index",
                first_page,
                pages,
                index=piece,
                offset=start,
                continued=start > 0,
            )
        )

    _add_index(book, len(index), page, index_piece)
    if progress:
        progress(total - 2, total, gettext("Laid out the index"))
    final_front = render(_part(compendium, "front", 1, pages, index=index))
    if len(final_front.pages) != front_pages:
        raise RuntimeError("the contents changed length once page numbers were written in")
    book.add(final_front, into=kept)
    del final_front
    if progress:
        progress(total - 1, total, f"Writing {book.page_count} pages")
    count = book.page_count
    gc.unfreeze()  # the book and the parts' leftovers are collectable again once written
    artifacts.write_atomically(path, book.write)
    if progress:
        progress(total, total, "Done")
    return count


def write_compendium(compendium: Compendium, path: Path, progress: Progress | None = None):
    """See `_write_compendium`; whatever happens, objects frozen on the way are let go."""
    try:
        return _write_compendium(compendium, path, progress)
    finally:
        gc.unfreeze()


def compile_round(round_: Round, progress: Progress | None = None):
    """The stored compendium artifact of the round: built unless the same inputs were built.

    The originals only: the round page links the latest stored compendium, so one in another
    language is written by `portal compile-round --lang` to a file, not stored here."""
    compendium = round_compendium(round_)
    key = compendium_key(compendium)
    existing = artifacts.find(key)
    if existing is not None:
        if progress:
            progress(1, 1, "Already compiled")
        return existing
    return artifacts.store(
        key,
        ArtifactKind.COMPENDIUM_PDF,
        lambda temp: write_compendium(compendium, temp, progress),
        filename=f"compendium-{round_.slug}.pdf",
        content_type="application/pdf",
        round_=round_,
    )
