"""Statement exports besides the official PDF — DOCX through pandoc (headings, bullets and
real Word footnotes) and a standalone HTML page — and the round's ZIP of statement PDFs with a
signatories CSV. Each is stored as an artifact keyed by its inputs."""

import html
import re
import zipfile
from pathlib import Path

from ..core import i18n
from ..core.csvfiles import write_csv
from ..models import ArtifactKind
from ..pdf import template_environment
from ..review.queries import published_statements
from ..signons.list_files import PUBLISHED_ACCREDITATION_COLUMNS, verified_accreditation
from ..signons.listing import approval, signatory_list
from ..text import render_html
from ..text.language_rules import direction
from ..text.pandoc import html_to_docx
from . import artifacts
from .official import (
    language_of,
    official_filename,
    official_key,
    official_pdf,
    slug,
    venue_list,
)

# The renderer's footnote markup, rewritten into the shape pandoc's HTML reader turns into real
# Word footnotes (DPUB-ARIA roles); the back-links have no place in a printed note.
_NOTE_CALL = re.compile(r'<sup class="footnote-ref"><a href="#(fn[^"]*)"[^>]*>(\d+)</a></sup>')
_NOTE_BACKREF = re.compile(r'\s*<a href="#fnref[^"]*" class="footnote-backref"[^>]*>[^<]*</a>')
_NOTES_SECTION = '<section class="footnotes">'


def docx_html(statement, review, translation=None) -> str:
    """The approved text (or its `translation`) as the renderer's sanitized HTML, with its
    signatory list: what pandoc is given for the DOCX, never the drafters' Markdown (pandoc
    would load its images)."""
    text = translation if translation is not None else review.revision
    fragment = render_html(
        text.body,
        footnotes="end",
        doc_id=f"s{statement.id}",
        lang=language_of(statement, translation),
    )
    fragment = _NOTE_CALL.sub(r'<a href="#\1" role="doc-noteref"><sup>\2</sup></a>', fragment)
    fragment = _NOTE_BACKREF.sub("", fragment)
    fragment = fragment.replace(_NOTES_SECTION, '<section role="doc-endnotes">')
    parts = [fragment]
    entries = signatory_list(statement, review)
    if entries:
        count = len(entries)
        parts.append(f"<h2>Signed by {count} organization{'' if count == 1 else 's'}</h2><ul>")
        parts += [
            "<li>" + html.escape(e.name + (f" ({e.place})" if e.place else "")) + "</li>"
            for e in entries
        ]
        parts.append("</ul>")
    return "\n".join(parts)


def write_docx(
    fragment: str, path: Path, *, title: str, subtitle: str = "", author: str = "", lang: str = ""
):
    path.write_bytes(
        html_to_docx(fragment, title=title, subtitle=subtitle, author=author, lang=lang)
    )


def statement_html(statement, review) -> str:
    template = template_environment().get_template("exports/statement.html")
    return template.render(
        statement=statement,
        revision=review.revision,
        review=review,
        round=statement.round,
        direction=direction(statement.language),
        body_html=render_html(
            review.revision.body,
            footnotes="end",
            doc_id=f"s{statement.id}",
            lang=statement.language,
        ),
        signatories=signatory_list(statement, review),
        **i18n.document_words(statement.language),
    )


EXPORT_KINDS = {"docx": ArtifactKind.STATEMENT_DOCX, "html": ArtifactKind.STATEMENT_HTML}


# Each language of a statement has its DOCX; the HTML export is the original's.
TRANSLATED_FORMATS = ("docx",)


def export_key(statement, review, fmt: str, translation=None) -> str:
    official = official_key(statement, review, translation)
    return artifacts.make_key(EXPORT_KINDS[fmt], {"official": official})


def statement_export(statement, fmt: str, translation=None):
    """The stored DOCX or HTML export of an approved statement (built unless it was); the DOCX
    of one language when `translation` (a published TranslationRevision) is given."""
    review = approval(statement)
    if review is None:
        raise ValueError("only approved statements are exported")
    if translation is not None and fmt not in TRANSLATED_FORMATS:
        raise ValueError(f"translations are exported as {', '.join(TRANSLATED_FORMATS)}")
    kind = EXPORT_KINDS[fmt]
    key = export_key(statement, review, fmt, translation)
    filename = official_filename(statement, review, fmt, translation)
    if fmt == "docx":
        text = translation if translation is not None else review.revision
        return artifacts.store(
            key,
            kind,
            lambda path: write_docx(
                docx_html(statement, review, translation),
                path,
                title=text.title,
                subtitle=f"{statement.round.process.title} — {statement.round.title}",
                author=statement.lead_organization.name,
                lang=language_of(statement, translation),
            ),
            filename=filename,
            content_type=(
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            ),
            statement=statement,
        )
    data = statement_html(statement, review).encode()
    return artifacts.store_bytes(
        key,
        kind,
        data,
        filename=filename,
        content_type="text/html; charset=utf-8",
        statement=statement,
    )


CSV_COLUMNS = (
    "statement_id",
    "statement",
    "lead",
    "organization",
    "country",
    "country_name",
    "scope",
    "region",
    "place",
    *PUBLISHED_ACCREDITATION_COLUMNS,
)


def signatories_csv(entries) -> str:
    """One row per (statement, signatory) over [(statement, review)]: the published list,
    through the one CSV writer (names come from strangers: no cell may run as a formula)."""
    rows = []
    for statement, review in entries:
        listed = signatory_list(statement, review)
        accreditation = verified_accreditation(statement, listed)
        for entry, cells in zip(listed, accreditation, strict=True):
            s = entry.signatory()
            rows.append(
                [
                    statement.id,
                    review.revision.title,
                    statement.lead_organization.name,
                    s.name,
                    s.country_code,
                    s.country_name,
                    s.scope_value,
                    s.region or "",
                    s.place,
                    *cells,
                ]
            )
    return write_csv(CSV_COLUMNS, rows)


BREAKDOWN_COLUMNS = (
    "statement_id",
    "title",
    "lead",
    "organizations",
    "countries",
    "in_ecosoc_status",
)


def breakdown_csv(entries) -> str:
    """One row per statement over [(statement, review)]: "signed by N organizations from M
    countries, K in ECOSOC status" as numbers, the published list's (as its PDF prints it)."""
    rows = []
    for statement, review in entries:
        counted = venue_list(statement, signatory_list(statement, review)).breakdown
        rows.append(
            [
                statement.id,
                review.revision.title,
                statement.lead_organization.name,
                counted.organizations,
                counted.countries,
                counted.in_ecosoc_status,
            ]
        )
    return write_csv(BREAKDOWN_COLUMNS, rows)


def round_zip_key(round_, entries) -> str:
    """The ZIP's key over the round's [(statement, approving review)]."""
    return artifacts.make_key(
        ArtifactKind.ROUND_ZIP,
        {"round": round_.id, "statements": [official_key(s, r) for s, r in entries]},
    )


def round_zip(round_, progress=None):
    """A ZIP of the round's official statement PDFs plus signatories.csv and breakdown.csv,
    stored (its key is the PDFs', which hold the breakdown)."""
    entries = published_statements(round_)
    key = round_zip_key(round_, entries)
    existing = artifacts.find(key)
    if existing is not None:
        return existing
    pdfs = []
    for number, (statement, review) in enumerate(entries, 1):
        pdfs.append((official_filename(statement, review), official_pdf(statement, review)))
        if progress:
            progress(number, len(entries) + 1, f"Compiled statement {number} of {len(entries)}")

    def build(path: Path) -> None:
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, artifact in pdfs:
                archive.write(artifacts.file_path(artifact), f"statements/{name}")
            archive.writestr("signatories.csv", signatories_csv(entries))
            archive.writestr("breakdown.csv", breakdown_csv(entries))

    return artifacts.store(
        key,
        ArtifactKind.ROUND_ZIP,
        build,
        filename=f"{slug(round_.slug)}-statements.zip",
        content_type="application/zip",
        round_=round_,
    )
