"""The interface language: English, French or Spanish (docs/translating.md).

The language of a request is, in order: the signed-in person's profile choice, the switcher in
the header (a cookie set by a POST), the browser's Accept-Language, English. E-mails are written
in their recipient's language (portal/mail.py); country and region names follow the page.
"""

from flask import (
    Blueprint,
    current_app,
    has_request_context,
    redirect,
    request,
)
from flask_babel import Babel, refresh
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from ..locale_formats import (
    DEFAULT_LANGUAGE,
    clock_time,
    current_language,
    date_range,
    format_number,
    iso_name,
    long_date,
)
from .catalogs import (
    N_,
    TRANSLATIONS,
    catalog,
    compile_catalogs,
    css_string,
    document_app,
    document_gettext,
    document_language,
    document_words,
    environment_language,
    page_footer,
)
from .redirects import safe_next

__all__ = [
    "N_",
    "catalog",
    "clock_time",
    "compile_catalogs",
    "css_string",
    "current_language",
    "date_range",
    "document_app",
    "document_gettext",
    "document_language",
    "document_words",
    "environment_language",
    "format_number",
    "iso_name",
    "long_date",
    "page_footer",
]

LANGUAGES = {"en": "English", "fr": "Français", "es": "Español"}
COOKIE = "portal_locale"

babel = Babel()
bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    if not has_request_context():
        return environment_language()
    try:
        chosen = current_user.locale if current_user.is_authenticated else None
    except SQLAlchemyError:  # an error page drawn while the database is down (core/error_pages.py)
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


def init_app(app) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    babel.init_app(app, locale_selector=select_locale)
    # The choice is cached in `g`, which outlives a request when an application context was
    # pushed around several (tests, CLI commands driving the app): choose again per request.
    app.before_request(refresh)
    app.register_blueprint(bp)
    app.jinja_env.globals.update(current_language=current_language, interface_languages=LANGUAGES)
