"""The answers to a GET of a stored file, shared by the pages that serve one (exports,
publication, a statement's draft PDF): the file itself, or "being prepared" while it is built."""

from flask import render_template, send_file

from .artifacts import file_path
from .pdf_jobs import Preparing


def send_artifact(artifact, *, inline: bool = True):
    response = send_file(
        file_path(artifact),
        # Werkzeug adds the charset to text/* types itself; a stored one would be said twice.
        mimetype=artifact.content_type.split(";")[0].strip(),
        as_attachment=not inline,
        download_name=artifact.filename,
        etag=artifact.key,
        conditional=True,
        max_age=3600,
    )
    return response


def preparing_page(preparing: Preparing, what: str, back: dict | None = None):
    """The answer for a PDF not built yet: 202 and a page that reloads itself until it is;
    503 with the reason when its build failed (retried once FAILURE_TTL has passed)."""
    page = render_template("exports/preparing.html", preparing=preparing, what=what, back=back)
    status = 503 if preparing.error else 202
    headers = {"Retry-After": str(preparing.retry_after), "Cache-Control": "no-store"}
    return page, status, headers
