"""What the API and the feeds read, in a fixed number of queries whatever the data.

Published means approved: a statement is listed with its approving review, whose revision is the
published text and whose frozen list is the published signatories.
"""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Process, Review, ReviewDecision, Round, Statement, StatementState
from ..signons.listing import signatory_list


@dataclass
class Publication:
    statement: Statement
    review: Review  # the approval: its revision is the published text, its list the signatories

    @property
    def revision(self):
        return self.review.revision


def published_signatories(publication: Publication) -> list:
    """The signatories as published, in their printed order: the same list the PDF prints."""
    return signatory_list(publication.statement, publication.review)


def _approvals():
    """Statement id → the id of its approving review (the last, should there be several)."""
    return (
        select(Review.statement_id, func.max(Review.id).label("review_id"))
        .where(Review.decision == ReviewDecision.APPROVE)
        .group_by(Review.statement_id)
        .subquery()
    )


def _published(*conditions):
    approvals = _approvals()
    return (
        select(Statement, Review)
        .join(approvals, approvals.c.statement_id == Statement.id)
        .join(Review, Review.id == approvals.c.review_id)
        .where(Statement.state == StatementState.APPROVED, *conditions)
    )


def _load(query) -> list[Publication]:
    rows = db.session.execute(
        query.options(
            joinedload(Statement.lead_organization),
            joinedload(Statement.area),
            joinedload(Statement.round).joinedload(Round.process),
            joinedload(Review.revision),
        )
    ).all()
    return [Publication(statement, review) for statement, review in rows]


def round_by_slug(slug: str) -> Round | None:
    return db.session.scalar(
        select(Round).where(Round.slug == slug).options(joinedload(Round.process))
    )


def rounds(limit: int, offset: int) -> tuple[list[Round], int, dict[int, int]]:
    """(a page of rounds by process and number, how many in all, round id → published count)."""
    total = db.session.execute(select(func.count(Round.id))).scalar_one()
    page = list(
        db.session.scalars(
            select(Round)
            .join(Process, Process.id == Round.process_id)
            .options(joinedload(Round.process))
            .order_by(Process.id, Round.number, Round.id)
            .limit(limit)
            .offset(offset)
        )
    )
    counts = dict(
        db.session.execute(
            select(Statement.round_id, func.count(Statement.id))
            .where(
                Statement.round_id.in_([r.id for r in page]),
                Statement.state == StatementState.APPROVED,
            )
            .group_by(Statement.round_id)
        ).all()
    )
    return page, total, counts


def rounds_published_count(round_: Round) -> int:
    return db.session.execute(
        select(func.count(Statement.id)).where(
            Statement.round_id == round_.id, Statement.state == StatementState.APPROVED
        )
    ).scalar_one()


def publications(round_: Round | None, limit: int, offset: int) -> tuple[list[Publication], int]:
    """A page of published statements in the order they were published (new ones come last, so
    walking the pages never skips one), and how many there are in all."""
    conditions = [Statement.round_id == round_.id] if round_ is not None else []
    query = _published(*conditions)
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    page = _load(query.order_by(Review.id).limit(limit).offset(offset))
    return page, total


def publication(statement_id: int) -> Publication | None:
    found = _load(_published(Statement.id == statement_id))
    return found[0] if found else None


def latest_publications(round_: Round, limit: int) -> list[Publication]:
    """The round's most recently published statements, newest first (for its feed)."""
    return _load(
        _published(Statement.round_id == round_.id).order_by(Review.id.desc()).limit(limit)
    )
