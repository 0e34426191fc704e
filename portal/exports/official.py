"""The official PDF of an approved statement: the approved revision and the signatories frozen
at approval, compiled once and stored as an artifact; downloads serve the stored bytes."""

import re
import unicodedata

from sqlalchemy import select

from ..extensions import db
from ..models import ArtifactKind, Review, ReviewDecision, StatementState
from ..pdf import StatementDocument, render_statement_pdf
from . import artifacts
from .signatories import approved_signatories, signatory_note


def approval(statement) -> Review | None:
    """The approving review of an approved statement."""
    if statement.state != StatementState.APPROVED:
        return None
    return db.session.scalar(
        select(Review)
        .where(Review.statement_id == statement.id, Review.decision == ReviewDecision.APPROVE)
        .order_by(Review.id.desc())
        .limit(1)
    )


def statement_document(statement, review: Review | None = None, **options) -> StatementDocument:
    """The document of the approved text when `review` is given, else of the current text."""
    revision = review.revision if review is not None else statement.current_revision
    round_ = statement.round
    when = (review.created_at if review is not None else revision.created_at).astimezone(round_.tz)
    signatories = approved_signatories(statement, review)
    left_out = review.left_out if review is not None else 0
    return StatementDocument(
        title=revision.title,
        body=revision.body,
        process=round_.process.title,
        round=round_.title,
        date=when.date(),
        lead=statement.lead_organization.name,
        language=statement.language,
        signatories=signatories,
        signatory_note=signatory_note(left_out),
        signatory_order=statement.signatory_order,
        **options,
    )


def slug(text: str, limit: int = 60) -> str:
    """A file-name part: ASCII words joined by hyphens, cut after a whole word."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(words) > limit:
        cut = words[: limit + 1].rfind("-")
        words = words[:cut] if cut > 0 else words[:limit]
    return words or "x"


def official_key(statement, review: Review) -> str:
    return artifacts.make_key(
        ArtifactKind.STATEMENT_PDF,
        {
            "statement": statement.id,
            "revision": review.revision_id,
            "text_hash": review.revision.text_hash,
            "signatories": review.signatories or [],
            "left_out": review.left_out,
            "language": statement.language,
            "order": statement.signatory_order,
        },
    )


def official_filename(statement, review: Review, ext: str = "pdf") -> str:
    return f"{slug(review.revision.title)}-{statement.id}.{ext}"


def official_pdf(statement, review: Review | None = None):
    """The stored official PDF artifact of an approved statement (compiled when missing)."""
    review = review or approval(statement)
    if review is None:
        raise ValueError("only approved statements have an official PDF")
    key = official_key(statement, review)
    existing = artifacts.find(key)
    if existing is not None:
        return existing
    data = render_statement_pdf(statement_document(statement, review))
    return artifacts.store_bytes(
        key,
        ArtifactKind.STATEMENT_PDF,
        data,
        filename=official_filename(statement, review),
        content_type="application/pdf",
        statement=statement,
    )
