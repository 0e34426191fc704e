"""The words a document prints in its own language — the PDF's "Signed by", "Page X of Y", the
draft mark — read from the compiled catalogs without the portal's app, so that `portal render`
starts without it (and without the database layer a request's language needs: portal/core/i18n.py).
"""

import os
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from babel import support
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, has_app_context
from flask_babel import Babel, force_locale
from jinja2.ext import _make_new_gettext, _make_new_ngettext

from ..locale_formats import DEFAULT_LANGUAGE, long_date, parse_locale

# The languages the interface is translated into (portal/core/i18n.py names them).
INTERFACE_LANGUAGES = ("en", "fr", "es")

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


@cache
def catalog(language: str) -> support.NullTranslations:
    """The compiled catalog of `language` without a Flask app (documents, the render CLI)."""
    if language == DEFAULT_LANGUAGE:
        return support.NullTranslations()
    return support.Translations.load(str(TRANSLATIONS), [language])


def document_words(language: str | None) -> dict:
    """gettext and ngettext for a template that writes a document in `language` (the PDF's own
    words follow the statement's language, not the reader's)."""
    translations = catalog(parse_locale(language).language)
    gettext = _make_new_gettext(translations.gettext)
    return {
        "_": gettext,
        "gettext": gettext,
        "ngettext": _make_new_ngettext(translations.ngettext),
        "long_date": lambda value: long_date(value, language),
    }


def document_gettext(language: str | None, message: str, /, **variables) -> str:
    """A message (marked with N_) in a document's language, for words a document prints outside
    its template: a draft's watermark."""
    text = catalog(parse_locale(language).language).gettext(message)
    return text % variables if variables else text


def environment_language() -> str:
    """Outside a request (the CLI, workers): the language of the shell (LC_ALL, LC_MESSAGES,
    LANG, as gettext reads them), when it is one of ours. E-mails still go in each recipient's."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            language = value.split(".")[0].split("_")[0].lower()
            return language if language in INTERFACE_LANGUAGES else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


@cache
def document_app() -> Flask:
    """A bare app holding only the catalogs, for a document written outside the portal
    (`portal render`): inside it `document_language` puts country and region names, and any
    gettext, in the document's language."""
    app = Flask("portal-documents")
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)
    Babel(app)
    return app


@contextmanager
def document_language(language: str | None):
    """Country and region names (and any gettext) in a document's language while it is laid
    out, inside the app; the render CLI, without one, writes them in English."""
    if not has_app_context():
        yield
        return
    with force_locale(parse_locale(language).language):
        yield


def N_(message: str) -> str:
    """Marks a message for extraction (`make translations`) where it is translated later."""
    return message


PAGE_FOOTER = N_("Page %(page)s of %(pages)s")


def page_footer(language: str | None) -> tuple[str, str, str]:
    """ "Page X of Y" cut around its two numbers, for CSS content: ("Page ", " of ", "")."""
    translations = catalog(parse_locale(language).language)
    text = translations.gettext(PAGE_FOOTER)
    before, _, rest = text.partition("%(page)s")
    middle, _, after = rest.partition("%(pages)s")
    return before, middle, after


def css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def compile_catalogs(directory: Path = TRANSLATIONS) -> list[Path]:
    """Write each messages.mo that is missing or older than its .po (what `make install` does
    with pybabel; the tests call this so that a fresh clone runs). Returns the files written."""
    written = []
    for po_path in sorted(directory.glob("*/LC_MESSAGES/messages.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        # Written aside then renamed: parallel test workers may compile at the same moment.
        partial = mo_path.with_suffix(f".mo.{os.getpid()}")
        with partial.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        os.replace(partial, mo_path)
        written.append(mo_path)
    return written
