"""Publication: approved statements are public — their page, signatories and files — and the
round page lists them. Nothing here changes state except storing a compiled file."""

from flask import Blueprint, abort

from ..core.headers import STANDALONE_DOCUMENT_POLICY
from ..exports import list_corrections
from ..exports.formats import export_key
from ..exports.pdf_jobs import Preparing, existing_or_preparing, official_or_preparing
from ..exports.responses import preparing_page, send_artifact
from ..signons import listing
from .queries import published_or_404

bp = Blueprint("publication", __name__)


@bp.get("/published/<int:statement_id>.pdf")
def statement_pdf(statement_id):
    statement = published_or_404(statement_id)
    artifact = official_or_preparing(statement)
    if isinstance(artifact, Preparing):
        return preparing_page(artifact, statement.title)
    return send_artifact(artifact)


@bp.get("/published/<int:statement_id>/list-<int:version>.pdf")
def earlier_pdf(statement_id, version):
    """The official PDF of an earlier version of the list, kept when a correction replaced it."""
    statement = published_or_404(statement_id)
    artifact = list_corrections.earlier_artifact(statement, version)
    if artifact is None:
        abort(404)
    return send_artifact(artifact)


@bp.get("/published/<int:statement_id>.<any(docx, html):fmt>")
def statement_export(statement_id, fmt):
    """The DOCX or HTML export, built at approval (exports/prepared.py): a GET only reads it."""
    statement = published_or_404(statement_id)
    review = listing.approval(statement)
    if review is None:  # approved without an approving review: nothing to publish
        abort(404)
    key = export_key(statement, review, fmt)
    artifact = existing_or_preparing(key, ("exports", review.id, None))
    if isinstance(artifact, Preparing):
        return preparing_page(artifact, f"{statement.title} ({fmt.upper()})")
    response = send_artifact(artifact, inline=fmt == "html")
    if fmt == "html":
        response.headers["Content-Security-Policy"] = STANDALONE_DOCUMENT_POLICY
    return response


# The statement's page in each of its languages: routes on this blueprint.
from . import published_language_views  # noqa: E402,F401
