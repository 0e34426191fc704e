"""The interface language: English, French or Spanish (docs/translating.md).

The language of a request is, in order: the signed-in person's profile choice, the switcher in
the header (a cookie set by a POST), the browser's Accept-Language, English. E-mails are written
in their recipient's language (portal/mail.py); country and region names follow the page.
"""

import os
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from babel import support
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import (
    Blueprint,
    Flask,
    current_app,
    has_app_context,
    has_request_context,
    redirect,
    request,
)
from flask_babel import Babel, force_locale, refresh
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from jinja2.ext import _make_new_gettext, _make_new_ngettext
from sqlalchemy.exc import SQLAlchemyError

from ..locale_formats import (
    DEFAULT_LANGUAGE,
    clock_time,
    current_language,
    date_range,
    format_number,
    iso_name,
    long_date,
    parse_locale,
)
from .redirects import safe_next

__all__ = ["clock_time", "current_language", "date_range", "format_number", "iso_name"]

LANGUAGES = {"en": "English", "fr": "Français", "es": "Español"}
COOKIE = "portal_locale"
TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"

babel = Babel()
bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    if not has_request_context():
        return environment_language()
    try:
        chosen = current_user.locale if current_user.is_authenticated else None
    except SQLAlchemyError:  # an error page drawn while the database is down (core/errors.py)
        chosen = None
    if chosen in LANGUAGES:
        return chosen
    if request.cookies.get(COOKIE) in LANGUAGES:
        return request.cookies[COOKIE]
    # By the browser's order of preference, a regional variant counting for its language
    # ("es-MX" is Spanish), which werkzeug's best_match would rank below an exact "fr".
    for value, _quality in request.accept_languages:
        language = value.split("-")[0].split("_")[0].lower()
        if language in LANGUAGES:
            return language
    return DEFAULT_LANGUAGE


def environment_language() -> str:
    """Outside a request (the CLI, workers): the language of the shell (LC_ALL, LC_MESSAGES,
    LANG, as gettext reads them), when it is one of ours. E-mails still go in each recipient's."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            language = value.split(".")[0].split("_")[0].lower()
            return language if language in LANGUAGES else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


@bp.post("/language")
def switch_language():
    """The header's switcher: remembers the choice in a cookie (a person's profile choice still
    wins while they are signed in; the profile page changes that one)."""
    language = request.form.get("language", "")
    response = redirect(safe_next(request.form.get("next")) or "/")
    if language in LANGUAGES:
        response.set_cookie(
            COOKIE,
            language,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
            httponly=True,
        )
    return response


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


# Stored values that pages print as words (a round's phase, a role, a state): English pages show
# the value itself, as they always have; the other languages its translation.
VALUE_LABELS = {
    "upcoming": _l("upcoming"),
    "open": _l("open"),
    "closed": _l("closed"),
    "user": _l("user"),
    "coordinator": _l("coordinator"),
    "admin": _l("admin"),
    "member": _l("member"),
    "signatory": _l("signatory"),
    "pending": _l("pending"),
    "verified": _l("verified"),
    "rejected": _l("rejected"),
    "approved": _l("approved"),
    "withdrawn": _l("withdrawn"),
    "requested": _l("requested"),
    "active": _l("active"),
    "declined": _l("declined"),
    "invited": _l("invited"),
    "accepted": _l("accepted"),
    "public": _l("public"),
    "import": _l("import"),
    "queued": _l("queued"),
    "sent": _l("sent"),
    "logged": _l("logged"),
    "failed": _l("failed"),
}


def value_label(value) -> str:
    if value is None:
        return ""
    text = str(value)
    if current_language() == DEFAULT_LANGUAGE or text not in VALUE_LABELS:
        return text
    return str(VALUE_LABELS[text])


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


def init_app(app) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    babel.init_app(app, locale_selector=select_locale)
    # The choice is cached in `g`, which outlives a request when an application context was
    # pushed around several (tests, CLI commands driving the app): choose again per request.
    app.before_request(refresh)
    app.register_blueprint(bp)
    app.jinja_env.globals.update(current_language=current_language, interface_languages=LANGUAGES)
