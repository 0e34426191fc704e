"""Statement exports besides the official PDF — DOCX through pandoc (headings, bullets and
real Word footnotes) and a standalone HTML page — and the round's ZIP of statement PDFs with a
signatories CSV. Each is stored as an artifact keyed by its inputs."""

import csv
import io
import re
import zipfile
from pathlib import Path

import pypandoc

from ..models import ArtifactKind
from ..pdf import template_environment
from ..text import render_html
from . import artifacts
from .official import approval, official_filename, official_key, official_pdf, slug

# The dialect is CommonMark with footnotes and `::: closing` blocks: pandoc's commonmark_x reads
# all of it (fenced divs, footnotes); raw HTML stays off, as on the site.
PANDOC_FROM = "commonmark_x-raw_html"
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~^])")


def _escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def docx_source(statement, review) -> str:
    """The approved text with its signatory list appended, in the Markdown dialect."""
    from .signatories import approved_signatories, signatory_note

    signatories = approved_signatories(statement, review)
    lines = [review.revision.body.rstrip(), ""]
    if signatories:
        count = len(signatories)
        lines += [f"## Signed by {count} organization{'' if count == 1 else 's'}", ""]
        lines += [
            f"- {_escape(s.name)}" + (f" ({_escape(s.country_name)})" if s.country else "")
            for s in signatories
        ]
        lines.append("")
    note = signatory_note(review.left_out)
    if note:
        lines += [f"*{_escape(note)}*", ""]
    return "\n".join(lines)


def write_docx(source: str, path: Path, *, title: str, subtitle: str = "", author: str = ""):
    args = [f"--metadata=title:{title}"]
    if subtitle:
        args.append(f"--metadata=subtitle:{subtitle}")
    if author:
        args.append(f"--metadata=author:{author}")
    pypandoc.convert_text(source, "docx", format=PANDOC_FROM, outputfile=str(path), extra_args=args)


def statement_html(statement, review) -> str:
    from .signatories import approved_signatories, signatory_note

    template = template_environment().get_template("exports/statement.html")
    return template.render(
        statement=statement,
        revision=review.revision,
        review=review,
        round=statement.round,
        body_html=render_html(review.revision.body, footnotes="end", doc_id=f"s{statement.id}"),
        signatories=approved_signatories(statement, review),
        signatory_note=signatory_note(review.left_out),
    )


def statement_export(statement, fmt: str):
    """The stored DOCX or HTML export of an approved statement."""
    review = approval(statement)
    if review is None:
        raise ValueError("only approved statements are exported")
    kind = {"docx": ArtifactKind.STATEMENT_DOCX, "html": ArtifactKind.STATEMENT_HTML}[fmt]
    key = artifacts.make_key(kind, {"official": official_key(statement, review)})
    filename = official_filename(statement, review, fmt)
    if fmt == "docx":
        return artifacts.store(
            key,
            kind,
            lambda path: write_docx(
                docx_source(statement, review),
                path,
                title=review.revision.title,
                subtitle=f"{statement.round.process.title} — {statement.round.title}",
                author=statement.lead_organization.name,
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


CSV_COLUMNS = ("statement_id", "statement", "lead", "organization", "country", "country_name")


def signatories_csv(entries) -> str:
    """One row per (statement, signatory) over [(statement, review)]: published fields only."""
    from .signatories import approved_signatories

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for statement, review in entries:
        for s in approved_signatories(statement, review):
            writer.writerow(
                [
                    statement.id,
                    review.revision.title,
                    statement.lead_organization.name,
                    s.name,
                    s.country,
                    s.country_name,
                ]
            )
    return out.getvalue()


def round_zip(round_, progress=None):
    """A ZIP of the round's official statement PDFs plus signatories.csv, stored."""
    from ..review.publication import _published_statements

    entries = _published_statements(round_)
    key = artifacts.make_key(
        ArtifactKind.ROUND_ZIP,
        {"round": round_.id, "statements": [official_key(s, r) for s, r in entries]},
    )
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

    return artifacts.store(
        key,
        ArtifactKind.ROUND_ZIP,
        build,
        filename=f"{slug(round_.slug)}-statements.zip",
        content_type="application/zip",
        round_=round_,
    )
