"""Error pages in the site layout."""

from flask import render_template
from flask_wtf.csrf import CSRFError

from ..extensions import db

MESSAGES = {
    400: ("Bad request", "The request could not be understood."),
    403: ("Not allowed", "You do not have permission to do this."),
    404: ("Not found", "There is nothing here, or you cannot see it."),
    405: ("Method not allowed", "This address does not accept that kind of request."),
    413: ("Too large", "The upload is larger than the portal accepts."),
    429: ("Too many requests", "Please wait a moment and try again."),
    500: ("Something went wrong", "The error has been logged. Please try again later."),
}


def init_app(app) -> None:
    def render(code, detail=None):
        title, message = MESSAGES[code]
        return render_template(
            "errors/error.html", code=code, title=title, message=detail or message
        ), code

    for code in MESSAGES:
        if code == 500:
            continue
        app.register_error_handler(code, lambda e, code=code: render(code))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render(400, "The form expired or was sent from elsewhere. Reload and try again.")

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return render(500)
