"""`portal render FILE.md -o OUT.pdf`: a statement file to PDF or HTML, without a database."""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

import click
from flask_babel import force_locale
from flask_babel import gettext as _

from .core.catalogs import (
    N_,
    document_app,
    document_gettext,
    document_language,
    environment_language,
)
from .core.csvfiles import CSVError, read_csv
from .locale_formats import format_number
from .pdf import Signatory, StatementDocument, render_statement_html, write_pdf
from .places import Scope, parse_place
from .signatory_order import SignatoryOrder, order_signatories
from .text import FrontMatterError, parse_document
from .text.language_rules import UnknownLanguage, parse_language
from .text.limits import TextLimitError, check_limits

# create_app turns INFO on; WeasyPrint's step-by-step progress is noise on a terminal.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


class InputError(Exception):
    def __init__(self, path: str, line: int, message: str):
        super().__init__(f"{path}:{line}: {message}")


def read_signatories(path: str) -> list[Signatory]:
    """``organization,country`` rows (a header row is optional; UTF-8 with or without BOM; a
    header may name more columns, as the portal's public CSV does, which are ignored).

    The country cell holds a country (ISO code or name), a region ("Africa", "Global South"…),
    "International", or nothing: a row without a country is an international organization.
    A cell that is none of these is printed as written (a territory pycountry does not know)."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = Path(path).read_bytes()[: exc.start].count(b"\n") + 1
        raise InputError(path, line, _("not UTF-8 text (save the CSV as UTF-8)")) from None
    signatories = []
    # The portal's public CSV has more columns after these two (accreditation): a header that
    # starts with organization,country sets the width; only the first two are read.
    width = 2
    try:
        for number, row in read_csv(text):
            cells = [cell.strip() for cell in row]
            if not any(cells):
                continue
            if number == 1 and [c.casefold() for c in cells[:2]] == ["organization", "country"]:
                width = len(cells)
                continue
            if len(cells) != width:
                raise InputError(
                    path,
                    number,
                    _(
                        "expected %(width)s columns (organization,country…), found %(found)s",
                        width=width,
                        found=len(cells),
                    ),
                )
            name, country = cells[:2]
            if not name:
                raise InputError(path, number, _("the organization name is empty"))
            signatories.append(_signatory(name, country))
    except CSVError as error:
        raise InputError(path, error.line, error.message) from None
    return signatories


def _signatory(name: str, cell: str) -> Signatory:
    place = parse_place(cell)
    if place is None:
        return Signatory(name=name, country=cell, scope=Scope.NATIONAL)
    return Signatory(
        name=name,
        country=place.country or "",
        scope=place.scope,
        region=place.region or "",
    )


def build_document(
    source_path: str,
    signatories_path: str | None,
    paper: str,
    draft: bool,
    order: str = SignatoryOrder.ALPHABETICAL,
):
    try:
        source = Path(source_path).read_text(encoding="utf-8-sig")
        meta, body = parse_document(source)
    except FrontMatterError as exc:
        raise InputError(source_path, exc.line, exc.message) from None
    except UnicodeDecodeError:
        raise InputError(source_path, 1, _("not UTF-8 text")) from None
    try:
        check_limits(body)
    except TextLimitError as exc:
        # The body is the end of the file: its lines follow the front matter's.
        line = exc.line + source[: len(source) - len(body)].count("\n")
        raise InputError(source_path, line, exc.summary) from None
    if not meta.get("title"):
        raise InputError(source_path, 1, _("the front matter needs a title"))
    try:
        language = parse_language(meta.get("language") or "en")
    except UnknownLanguage as exc:
        raise InputError(source_path, meta.lines.get("language", 1), str(exc)) from None
    # The PDF prints the list in the order it is given: the same rule as the portal's lists.
    signatories = read_signatories(signatories_path) if signatories_path else []
    signatories = order_signatories(signatories, order)
    return StatementDocument(
        title=meta["title"],
        body=body,
        process=meta.get("process", ""),
        round=meta.get("round", ""),
        date=meta.get("date"),
        lead=meta.get("lead", ""),
        language=language,
        signatories=signatories,
        signatory_order=order,
        draft_label=document_gettext(language, N_("DRAFT")) if draft else None,
        paper=paper,
    )


def _write_atomically(path: str, data: bytes) -> None:
    # A failed render must not leave a half-written file where the old one was.
    target = Path(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent or ".", prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@click.command("render")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False))
@click.option("--signatories", type=click.Path(exists=True, dir_okay=False), help="CSV file")
@click.option("--format", "fmt", type=click.Choice(["pdf", "html"]), default="pdf")
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4")
@click.option("--draft", is_flag=True, help="Print a DRAFT watermark on every page.")
@click.option(
    "--order",
    type=click.Choice([o.value for o in SignatoryOrder]),
    default=SignatoryOrder.ALPHABETICAL.value,
    help="Signatory order: alphabetical, networks first (then by country), or by region.",
)
def render_command(source, output, signatories, fmt, paper, draft, order):
    """Render a statement file (front matter + Markdown) to PDF or HTML."""
    # The messages speak the shell's language (LANG…), the PDF that of the front matter's `lang`:
    # both read the catalogs of the bare document app, never the portal's.
    with document_app().app_context(), force_locale(environment_language()):
        _render(source, output, signatories, fmt, paper, draft, order)


def _render(source, output, signatories, fmt, paper, draft, order) -> None:
    try:
        document = build_document(source, signatories, paper, draft, order)
    except InputError as exc:
        click.echo(_("Error: %(exc)s", exc=exc), err=True)
        raise SystemExit(2) from None
    # The PDF's own words follow the front matter's `lang`, country and region names too.
    with document_language(document.language):
        html = render_statement_html(document)
    data = html.encode("utf-8") if fmt == "html" else write_pdf(html)
    _write_atomically(output, data)
    click.echo(
        _(
            "%(output)s: %(signatories)s signatories, %(size)s bytes",
            output=output,
            signatories=len(document.signatories),
            size=format_number(len(data)),
        )
    )
