"""Publication: approved statements are public — their page, signatories and files — and the
round page lists them. Nothing here changes state except storing a compiled file."""

from flask import Blueprint, abort, render_template, send_file
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..core.conditional import conditional_page
from ..core.headers import STANDALONE_DOCUMENT_POLICY
from ..extensions import db
from ..models import Round, Statement, StatementState
from ..signons import corrections, listing
from ..text import render_html
from . import queries

bp = Blueprint("publication", __name__)


def published_or_404(statement_id: int) -> Statement:
    statement = db.session.scalar(
        select(Statement)
        .where(Statement.id == statement_id, Statement.state == StatementState.APPROVED)
        .options(
            joinedload(Statement.lead_organization),
            joinedload(Statement.round).joinedload(Round.process),
        )
    )
    if statement is None:
        abort(404)
    return statement


def send_artifact(artifact, *, inline: bool = True):
    from ..exports.artifacts import file_path

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


@bp.get("/published/<int:statement_id>")
def statement(statement_id):
    statement = published_or_404(statement_id)
    review = listing.approval(statement)
    revision = review.revision
    # What the page shows: the approved text, the list as it stands (its hash changes with each
    # correction), and the statement's facts.
    version = (
        "published",
        statement.id,
        statement.updated_at,
        statement.lead_organization.name,
        statement.round.title,
        review.id,
        review.list_hash,
        revision.text_hash,
    )
    return conditional_page(
        version,
        lambda: render_template(
            "review/published.html",
            statement=statement,
            review=review,
            revision=revision,
            body_html=render_html(revision.body, footnotes="end", doc_id=f"s{statement.id}"),
            signatories=listing.published_entries(review),
            corrections=corrections.history(review),
        ),
    )


@bp.get("/published/<int:statement_id>.pdf")
def statement_pdf(statement_id):
    from ..exports.pdf_jobs import Preparing, official_or_preparing
    from ..exports.views import preparing_page

    statement = published_or_404(statement_id)
    artifact = official_or_preparing(statement)
    if isinstance(artifact, Preparing):
        return preparing_page(artifact, statement.title)
    return send_artifact(artifact)


@bp.get("/published/<int:statement_id>/list-<int:version>.pdf")
def earlier_pdf(statement_id, version):
    """The official PDF of an earlier version of the list, kept when a correction replaced it."""
    statement = published_or_404(statement_id)
    artifact = corrections.earlier_artifact(statement, version)
    if artifact is None:
        abort(404)
    return send_artifact(artifact)


@bp.get("/published/<int:statement_id>.<any(docx, html):fmt>")
def statement_export(statement_id, fmt):
    """The DOCX or HTML export, built at approval (exports/prepared.py): a GET only reads it."""
    from ..exports.formats import export_key
    from ..exports.pdf_jobs import Preparing, existing_or_preparing
    from ..exports.views import preparing_page

    statement = published_or_404(statement_id)
    review = listing.approval(statement)
    key = export_key(statement, review, fmt)
    artifact = existing_or_preparing(key, ("exports", review.id, None))
    if isinstance(artifact, Preparing):
        return preparing_page(artifact, f"{statement.title} ({fmt.upper()})")
    response = send_artifact(artifact, inline=fmt == "html")
    if fmt == "html":
        response.headers["Content-Security-Policy"] = STANDALONE_DOCUMENT_POLICY
    return response


# Older callers' name (exports): the query lives in review/queries.py.
_published_statements = queries.published_statements
