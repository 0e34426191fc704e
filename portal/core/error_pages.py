"""Error pages in the site layout.

A 500 or 503 page renders without the database: the request's transaction is rolled back and
the template is rendered straight from the Jinja environment, skipping the context processors
(Flask-Login's would look the signed-in person up), with `bare` set so the layout shows no
account links. Other error pages fall back to the same bare page when the full one fails.

A database error after the request's commit (the write is stored; only the page that follows
failed) is not answered as a failure: the person is told the change was saved, so that they do
not send it again.
"""

import logging

from flask import current_app, g, has_request_context, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy import event
from sqlalchemy.exc import (
    DataError,
    DBAPIError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
)
from werkzeug.exceptions import InternalServerError

from ..extensions import db

log = logging.getLogger(__name__)

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood.")),
    403: (_l("Not allowed"), _l("You do not have permission to do this.")),
    404: (_l("Not found"), _l("There is nothing here, or you cannot see it.")),
    405: (_l("Method not allowed"), _l("This address does not accept that kind of request.")),
    413: (_l("Too large"), _l("The upload is larger than the portal accepts.")),
    429: (_l("Too many requests"), _l("Please wait a moment and try again.")),
    500: (_l("Something went wrong"), _l("The error has been logged. Please try again later.")),
    503: (
        _l("Temporarily unavailable"),
        _l(
            "The portal cannot reach its database for a moment. Nothing was saved: "
            "please try again shortly."
        ),
    ),
}
SAVED = (
    _l("Saved"),
    _l(
        "Your change is saved, but the portal could not show the next page. "
        "Go back to the page you came from and reload it."
    ),
)
_COMMITTED = "_portal_committed"
_listening = False


def bare_page(code: int, status: int | None = None, title=None, message=None):
    """The error page with no database access (see the module's docstring)."""
    _rollback()
    default_title, default_message = MESSAGES.get(code, MESSAGES[500])
    template = current_app.jinja_env.get_template("errors/error.html")
    html = template.render(
        code=code, title=title or default_title, message=message or default_message, bare=True
    )
    return html, status or code


def _rollback() -> None:
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001  (a dead connection may refuse even the rollback)
        log.warning("rollback failed while answering an error", exc_info=True)


def _own_words(error) -> str | None:
    """The description an abort() gave, rather than werkzeug's generic one."""
    description = getattr(error, "description", None)
    return description if description and description != type(error).description else None


def _committed_write() -> bool:
    return request.method not in ("GET", "HEAD", "OPTIONS") and g.get(_COMMITTED, False)


def init_app(app) -> None:
    _track_commits()

    def render(code, detail=None):
        title, message = MESSAGES[code]
        try:
            return render_template(
                "errors/error.html", code=code, title=title, message=detail or message
            ), code
        except SQLAlchemyError:  # the database is down: the page without the signed-in person
            return bare_page(code, message=detail)

    for code in MESSAGES:
        if code in (500, 503):
            continue
        app.register_error_handler(code, lambda e, code=code: render(code, _own_words(e)))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render(400, _l("The form expired or was sent from elsewhere. Reload and try again."))

    @app.errorhandler(DataError)
    @app.errorhandler(OverflowError)
    def unstorable_value(error):
        # The net behind core/inputs.py: a value the database cannot hold (out of range, a NUL
        # that came another way) is the request's fault, and nothing of it is kept.
        log.warning("refused a value the database cannot hold: %s", error)
        _rollback()
        return render(400, _l("The request contains a value the portal cannot store."))

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_unavailable(error):
        if _committed_write():
            log.warning("database error after the request's commit", exc_info=error)
            return bare_page(200, title=SAVED[0], message=SAVED[1])
        log.error("database unavailable", exc_info=error)
        return bare_page(503)

    @app.errorhandler(InternalServerError)
    def server_error(error):
        original = getattr(error, "original_exception", None)
        if isinstance(original, DBAPIError) and _committed_write():
            return bare_page(200, title=SAVED[0], message=SAVED[1])
        return bare_page(500)


def _track_commits() -> None:
    """Remember in `g` that this request's transaction was committed."""
    global _listening
    if _listening:  # session events are global; register them once per process
        return
    _listening = True

    @event.listens_for(db.session, "after_commit")
    def _after_commit(session):
        if has_request_context():
            setattr(g, _COMMITTED, True)
