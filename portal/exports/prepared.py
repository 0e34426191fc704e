"""The files of an approved statement — official PDF, DOCX, standalone HTML — and its round's
ZIP are built when the statement is approved or its signatory list corrected, never by the GET
that downloads them (docs/requests.md).

Each published translation (portal/statements/translation_queries.py) has its PDF and DOCX too,
built with the original's and again whenever a translation of the approved text is saved.

With Redis the worker builds them once the approval is committed; without it, the approving
request does, after its commit (a failed DOCX never undoes an approval); outside a request (the
CLI, seeds) they are built in the caller's transaction. `portal build-exports` builds whatever
is missing (files whose inputs changed since — a new template version — or a wiped store).
"""

from sqlalchemy import select

from ..core import background
from ..extensions import db
from ..models import Review, Statement, StatementState
from .approved_files import build_exports
from .official import approval, official_key, official_pdf
from .pdf_jobs import enqueue_after_commit


def prepare(statement: Statement, review: Review) -> None:
    """At approval or correction (after the change is flushed). With Redis, one job builds every
    file once the change is committed; without it the official PDF is built now (see
    prepare_official), the other formats and the round ZIP after the commit."""
    prepare_official(statement, review)
    if not background.enabled():
        background.later(run_exports, review.id)


def prepare_official(statement: Statement, review: Review) -> None:
    """At approval: build the official PDF now (no Redis), or queue one job for every file of
    the statement once the approval is committed — the worker must find the approved review.
    Its id is the official PDF's: a GET of the PDF finds it waiting."""
    if not background.enabled():
        official_pdf(statement, review)
        return
    enqueue_after_commit(official_key(statement, review), ("exports", review.id, None))


def prepare_translations(statement: Statement) -> None:
    """After a translation of an approved statement is saved (portal/statements/
    translation_operations.py): its files are built as at approval, once the save is committed
    — the files already built are found, not built again."""
    review = approval(statement)
    if review is not None:
        background.later(run_exports, review.id)


def run_exports(review_id: int) -> None:
    """The job (worker or deferred): build and commit."""
    background.in_app_context(_build_and_commit, review_id)


def _build_and_commit(review_id: int) -> None:
    build_exports(review_id)
    db.session.commit()


def build_missing(progress=None) -> int:
    """Build every missing file of every approved statement; return how many statements."""
    statements = db.session.scalars(
        select(Statement).where(Statement.state == StatementState.APPROVED).order_by(Statement.id)
    ).all()
    for number, statement in enumerate(statements, 1):
        review = approval(statement)
        if review is not None:
            build_exports(review.id)
            db.session.commit()
        if progress:
            progress(number, len(statements))
    return len(statements)
