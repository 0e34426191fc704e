"""The round compendium for delegations: a cover (process, round, dates, place), a table of
contents with page numbers, every approved statement with its signatories, and an index of the
organizations with the statements they signed and the pages they start on.

One HTML document, laid out once by WeasyPrint: page numbers in the contents and the index are
`target-counter()` references to the statements' anchors, so they are exact without a second
pass. The PDF is written to a temporary file and renamed, so a failed or killed build leaves
nothing behind and can simply run again.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..models import ArtifactKind, Round
from ..pdf import StatementDocument, render_document, statement_section_html, template_environment
from ..pdf.document import long_date
from . import artifacts

Progress = Callable[[int, int, str], None]


@dataclass
class Entry:
    """One statement of the compendium; `anchor` is its section id in the document."""

    doc_id: str
    doc: StatementDocument
    area: str = ""
    inputs: dict = field(default_factory=dict)

    @property
    def anchor(self) -> str:
        return f"statement-{self.doc_id}"


@dataclass
class Compendium:
    process: str
    round: str
    place: str
    dates: str
    entries: list[Entry]
    language: str = "en"

    def index(self) -> list[tuple[str, str, list[Entry]]]:
        """(organization, country, [entries it signed]) sorted by folded name."""
        signed: dict[tuple[str, str], list[Entry]] = {}
        for entry in self.entries:
            for signatory in entry.doc.signatories:
                key = (signatory.name, signatory.country_name)
                bucket = signed.setdefault(key, [])
                if not bucket or bucket[-1] is not entry:
                    bucket.append(entry)
        rows = [(name, country, entries) for (name, country), entries in signed.items()]
        rows.sort(key=lambda row: (_fold(row[0]), row[1]))
        return rows


def _fold(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


def _dates(round_: Round) -> str:
    from ..core.template_helpers import format_date_range

    return format_date_range(round_.meeting_start, round_.meeting_end)


def round_compendium(round_: Round) -> Compendium:
    """The compendium of the round's approved statements, in programme order."""
    from ..review.queries import approvals, approved_statements
    from .official import official_key, statement_document

    statements = approved_statements(round_)
    reviews = approvals(statements)
    entries = []
    for statement in statements:
        review = reviews.get(statement.id)
        if review is None:
            continue
        entries.append(
            Entry(
                doc_id=f"s{statement.id}",
                doc=statement_document(statement, review),
                area=statement.area.title,
                inputs={"key": official_key(statement, review)},
            )
        )
    return Compendium(
        process=round_.process.title,
        round=round_.title,
        place=round_.place or "",
        dates=_dates(round_),
        entries=entries,
    )


def compendium_key(compendium: Compendium) -> str:
    return artifacts.make_key(
        ArtifactKind.COMPENDIUM_PDF,
        {
            "process": compendium.process,
            "round": compendium.round,
            "place": compendium.place,
            "dates": compendium.dates,
            "entries": [
                e.inputs or {"title": e.doc.title, "body": e.doc.body} for e in compendium.entries
            ],
        },
    )


def compendium_html(compendium: Compendium, progress: Progress | None = None) -> str:
    total = len(compendium.entries) + 2
    sections = []
    for number, entry in enumerate(compendium.entries, 1):
        sections.append(statement_section_html(entry.doc, doc_id=entry.doc_id))
        if progress:
            progress(number, total, f"Prepared statement {number} of {len(compendium.entries)}")
    template = template_environment().get_template("pdf/compendium.html")
    return template.render(
        c=compendium, sections=sections, index=compendium.index(), long_date=long_date
    )


def write_compendium(compendium: Compendium, path: Path, progress: Progress | None = None):
    """Lay the compendium out and write it to `path` (atomically); return the page count."""
    total = len(compendium.entries) + 2
    html = compendium_html(compendium, progress)
    if progress:
        progress(total - 2, total, "Laying out the pages")
    document = render_document(html)
    if progress:
        progress(total - 1, total, f"Writing {len(document.pages)} pages")
    artifacts.write_atomically(
        path, lambda temp: document.write_pdf(temp, pdf_variant="pdf/ua-1", attachments=None)
    )
    if progress:
        progress(total, total, "Done")
    return len(document.pages)


def compile_round(round_: Round, progress: Progress | None = None):
    """The stored compendium artifact of the round: built unless the same inputs were built."""
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
