"""The files of an approved statement (official PDF, DOCX, HTML; each published translation's
PDF and DOCX) and its round's ZIP, each built unless stored already: what the approval's job
(exports/prepared.py) and the worker's job (exports/pdf_jobs.py) run."""

from ..extensions import db
from ..models import Review, Round, Statement
from ..statements.translation_queries import published_translations
from .formats import EXPORT_KINDS, TRANSLATED_FORMATS, round_zip, statement_export
from .official import approval, official_pdf


def build_exports(review_id: int) -> None:
    """The approved statement's files and its round's ZIP, unless stored already."""
    review = db.session.get(Review, review_id)
    current = approval(review.statement) if review is not None else None
    if review is None or current is None or current.id != review.id:
        return  # the approval was undone, or a later correction has its own job
    statement = review.statement
    official_pdf(statement, review)
    for fmt in EXPORT_KINDS:
        statement_export(statement, fmt)
    build_translations(statement, review)
    round_zip(statement.round)


def build_translations(statement: Statement, review: Review) -> None:
    """Each published translation's PDF and DOCX, with the original's signatory list."""
    for standing in published_translations(statement, review):
        official_pdf(statement, review, standing.revision)
        for fmt in TRANSLATED_FORMATS:
            statement_export(statement, fmt, standing.revision)


def build_round_zip(round_id: int) -> None:
    round_ = db.session.get(Round, round_id)
    if round_ is not None:
        round_zip(round_)
