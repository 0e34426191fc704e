"""Publication: approved statements are public — their page, signatories and files — and the
round page lists them. Nothing here changes state except storing a compiled file."""

from flask import Blueprint, abort, render_template, send_file
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..core.headers import STANDALONE_DOCUMENT_POLICY
from ..extensions import db
from ..models import Round, Signature, Statement, StatementState
from ..signons import corrections, listing
from ..statements.workflow import latest_submission
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
    return render_template(
        "review/published.html",
        statement=statement,
        review=review,
        revision=revision,
        body_html=render_html(revision.body, footnotes="end", doc_id=f"s{statement.id}"),
        signatories=listing.published_entries(review),
        corrections=corrections.history(review),
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


@bp.app_template_global("published_statements")
def _published_statements(round_):
    """[(statement, approving review)] of the round, for templates/review/_published.html."""
    statements = queries.approved_statements(round_)
    reviews = queries.approvals(statements)
    return [(s, reviews[s.id]) for s in statements if s.id in reviews]


# The published list of an approval (frozen, or as last corrected), for the round page's counts.
bp.add_app_template_global(listing.published_rows, "published_rows")


@bp.app_template_global("organization_publications")
def _organization_publications(organization):
    """(led, signed) for the organization's public profile: approved statements it led, and
    those whose frozen signatory list names it — each [(statement, approving review)]."""
    options = (joinedload(Statement.round), joinedload(Statement.lead_organization))
    led = db.session.scalars(
        select(Statement)
        .where(
            Statement.lead_organization_id == organization.id,
            Statement.state == StatementState.APPROVED,
        )
        .options(*options)
    ).all()
    candidates = db.session.scalars(
        select(Statement)
        .join(Signature, Signature.statement_id == Statement.id)
        .where(
            Signature.organization_id == organization.id,
            Statement.state == StatementState.APPROVED,
        )
        .options(*options)
        .distinct()
    ).all()
    reviews = queries.approvals(list({s.id: s for s in led + candidates}.values()))

    def names(review) -> bool:
        rows = listing.published_rows(review)
        return any(row["organization_id"] == organization.id for row in rows)

    return (
        [(s, reviews[s.id]) for s in led if s.id in reviews],
        [(s, reviews[s.id]) for s in candidates if s.id in reviews and names(reviews[s.id])],
    )


@bp.app_template_global("review_summary")
def _review_summary(statement):
    submission = latest_submission(statement)
    return {"submission": submission, "review": submission.review if submission else None}
