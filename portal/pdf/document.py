"""The statement as a printable document: data classes and the HTML handed to WeasyPrint."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import NamedTuple

import jinja2
import pycountry
from markupsafe import Markup

from .. import locale_formats
from ..config import ROOT
from ..core import catalogs
from ..places import Scope, infer_scope, place_label
from ..places import country_code as _country_code
from ..signatory_order import group_heading
from ..text import render_html
from ..text.language_rules import direction
from ..text.typography import text_direction, typeset
from .signatory_blocks import GroupHeading, blocks, entry_text
from .writer import write_pdf

PAPER_SIZES = {"a4": "A4", "letter": "letter"}


@dataclass
class Signatory:
    """An organization on the signatory list: national with ``country`` (a name or an ISO 3166
    code), regional with ``region``, or international with neither; ``scope`` is inferred when
    not given."""

    name: str
    country: str = ""
    note: str | None = None
    scope: str = ""
    region: str = ""
    # False under a group heading that already names the place ("France", then "Attac France").
    show_place: bool = True

    @property
    def scope_value(self) -> str:
        return self.scope or infer_scope(self.country, self.region)

    @property
    def country_name(self) -> str:
        return country_name(self.country) if self.scope_value == Scope.NATIONAL else ""

    @property
    def country_code(self) -> str:
        if self.scope_value != Scope.NATIONAL:
            return ""
        return _country_code(self.country) or self.country

    @property
    def place(self) -> str:
        """The country, the region or "International" (see portal.places.place_label)."""
        if self.scope_value == Scope.NATIONAL:
            return self.country_name
        return place_label(self.scope_value, None, self.region)


class ListBreakdown(NamedTuple):
    """ "Signed by N organizations from M countries, K in ECOSOC status", printed under the
    list's heading (portal/venues/delivery.breakdown counts it)."""

    organizations: int
    countries: int
    in_ecosoc_status: int


@dataclass
class StatementDocument:
    title: str
    body: str
    process: str = ""
    round: str = ""
    date: dt.date | None = None
    lead: str = ""
    language: str = "en"
    signatories: list[Signatory] = field(default_factory=list)
    signatory_note: str | None = None
    signatory_order: str = "alphabetical"
    breakdown: ListBreakdown | None = None
    # The venue's placement of those who may not sign in their own name (portal/venues/
    # delivery.arrange): in a footnote to the title (HRC), or after the list (UNFCCC).
    title_note: list[Signatory] = field(default_factory=list)
    also_on_behalf: list[Signatory] = field(default_factory=list)
    # The title in the venue's other languages, [(language code, title)], under the title (WTO).
    other_titles: list[tuple[str, str]] = field(default_factory=list)
    draft_label: str | None = None
    paper: str = "a4"

    def __post_init__(self):
        if self.paper not in PAPER_SIZES:
            raise ValueError(f"paper must be one of {', '.join(PAPER_SIZES)}")


def country_name(value: str) -> str:
    """Display name for an ISO 3166 alpha-2/alpha-3 code, in the document's language (see
    render_statement_html); anything else is shown as given."""
    english = _english_country_name(value)
    return (
        locale_formats.iso_name("iso3166-1", english)
        if english != (value or "").strip()
        else english
    )


@lru_cache(maxsize=512)
def _english_country_name(value: str) -> str:
    value = (value or "").strip()
    if 2 <= len(value) <= 3 and value.isalpha():
        try:
            country = pycountry.countries.lookup(value)
        except LookupError:
            return value
        return getattr(country, "common_name", None) or country.name
    return value


def list_entries(signatories: list[Signatory], order: str) -> tuple[list[Signatory], list]:
    """The signatories as given (the caller orders them: portal/signons/listing.py), and the
    entries printed: with a small heading before each group when the order groups them."""
    entries: list = []
    previous = None
    for signatory in signatories:
        heading = group_heading(signatory, order)
        if heading is not None and heading != previous:
            entries.append(GroupHeading(heading))
        previous = heading
        shown = heading is None or signatory.place != heading
        entries.append(signatory if shown else replace(signatory, show_place=False))
    return list(signatories), entries


def long_date(value: dt.date, language: str | None = "en") -> str:
    return locale_formats.long_date(value, language)


# Hebrew, Arabic (with Syriac and Thaana between them) and their presentation forms: the text
# the fonts of css/pdf-scripts.css are for.
_SCRIPT_FONT_TEXT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def needs_script_fonts(doc: StatementDocument, *, body: bool = True) -> bool:
    """Whether the PDF has Arabic-script or Hebrew text, and so links css/pdf-scripts.css:
    declaring those fonts costs every PDF their loading, about 0.2 s."""
    if direction(doc.language) == "rtl":
        return True
    texts = [doc.title, doc.lead, doc.process, doc.round, doc.signatory_note or ""]
    texts += [title for _code, title in doc.other_titles]
    texts += [s.name for s in doc.signatories + doc.title_note + doc.also_on_behalf]
    if body:
        texts.append(doc.body)
    return any(_SCRIPT_FONT_TEXT.search(text) for text in texts if text)


def dir_against(text: str, base: str) -> Markup:
    """`` dir="…"`` for a line of the title block written in the other direction (English
    round names in an Arabic statement), so its words and dots stay in their order."""
    found = text_direction(text or "")
    return Markup(f' dir="{found}"') if found and found != base else Markup("")


def any_needs_script_fonts(docs: Iterable[StatementDocument]) -> bool:
    """For the compendium's cover, contents and index: titles, leads and names only."""
    return any(needs_script_fonts(doc, body=False) for doc in docs)


@lru_cache(maxsize=1)
def template_environment() -> jinja2.Environment:
    """templates/ with autoescaping — no Flask app needed (the CLI runs without one)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(ROOT / "templates")),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["long_date"] = long_date
    # English unless a render passes the words of its document's language (_context).
    env.add_extension("jinja2.ext.i18n")
    # Added to the environment by the i18n extension, so unknown to the type checker.
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    env.globals["entry_text"] = entry_text
    env.filters["typeset"] = typeset
    env.globals["any_needs_script_fonts"] = any_needs_script_fonts
    env.globals["dir_against"] = dir_against
    return env


def _context(doc: StatementDocument, doc_id: str | None) -> dict:
    signatories, entries = list_entries(doc.signatories, doc.signatory_order)
    return {
        **catalogs.document_words(doc.language),
        "page_footer": page_footer_css(doc.language),
        "doc": doc,
        "doc_id": doc_id,
        "body_html": render_html(
            doc.body, footnotes="inline", doc_id=doc_id, lang=doc.language or "en"
        ),
        "lang": doc.language or "en",
        "direction": direction(doc.language),
        "script_fonts": needs_script_fonts(doc),
        "signatories": signatories,
        "signatory_blocks": (
            blocks(
                entries,
                doc.paper,
                note=bool(doc.signatory_note),
                breakdown=doc.breakdown is not None,
            )
            if signatories
            else []
        ),
        "subject": doc.round,
        "page_size": PAPER_SIZES[doc.paper],
    }


def page_footer_css(language: str | None, total: str | None = None) -> str:
    """The CSS content of the "Page X of Y" footer in the document's language; `total`: a mark
    written in place of the page count, for the compendium (exports/compendium.py)."""
    before, middle, after = catalogs.page_footer(language)
    if total is not None:
        return f"{catalogs.css_string(before)} counter(page) {catalogs.css_string(' ' + total)}"
    return " ".join(
        (
            catalogs.css_string(before),
            "counter(page)",
            catalogs.css_string(middle),
            "counter(pages)",
        )
        + ((catalogs.css_string(after),) if after else ())
    )


def statement_section_html(doc: StatementDocument, doc_id: str | None = None) -> str:
    """One statement as ``<section class="statement">`` (title block, text, signatories), for a
    longer document written with :func:`portal.pdf.write_pdf` and ``css/pdf.css``."""
    template = template_environment().get_template("pdf/_statement.html")
    with catalogs.document_language(doc.language):
        return template.render(_context(doc, doc_id))


def render_statement_html(doc: StatementDocument) -> str:
    """The complete HTML document WeasyPrint lays out for one statement."""
    template = template_environment().get_template("pdf/statement.html")
    with catalogs.document_language(doc.language):
        return template.render(_context(doc, None))


def render_statement_pdf(doc: StatementDocument, *, tagged: bool = True) -> bytes:
    return write_pdf(render_statement_html(doc), tagged=tagged)
