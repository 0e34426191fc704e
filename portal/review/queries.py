"""What the review pages show, loaded in a fixed number of queries."""

from dataclasses import dataclass

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import (
    Comment,
    ProgrammeArea,
    Review,
    Revision,
    Round,
    Signature,
    Statement,
    StatementState,
    Submission,
)
from ..signons.listing import Standing, listing, published_rows
from ..statements.workflow import latest_submission


@dataclass
class SignatureGroups:
    current: list[Signature]  # listed, in the list's order
    earlier: list[Signature]
    unnamed: list[Signature]
    pending: list[Signature]
    late: list[Signature]


def signature_groups(statement: Statement) -> SignatureGroups:
    """The listed signatures, and the live ones left off the list and why (listing.py's rule)."""
    signed = listing(statement)
    return SignatureGroups(
        current=signed.listed_signatures,
        earlier=signed.having(Standing.EARLIER_TEXT),
        unnamed=signed.having(Standing.UNNAMED),
        pending=signed.having(Standing.PENDING),
        late=signed.having(Standing.LATE),
    )


def submissions(statement: Statement) -> list[Submission]:
    """Every submission, newest first, with its revision and decision."""
    return list(
        db.session.scalars(
            select(Submission)
            .where(Submission.statement_id == statement.id)
            .options(
                joinedload(Submission.revision),
                joinedload(Submission.submitted_by),
                joinedload(Submission.review).joinedload(Review.reviewer),
            )
            .order_by(Submission.number.desc())
        ).unique()
    )


def open_comments(statement: Statement) -> list[Comment]:
    return list(
        db.session.scalars(
            select(Comment)
            .where(
                Comment.statement_id == statement.id,
                Comment.parent_id.is_(None),
                Comment.resolved_at.is_(None),
            )
            .options(joinedload(Comment.author), joinedload(Comment.organization))
            .order_by(Comment.created_at)
        )
    )


def review_queue(round_: Round) -> tuple[list[Statement], list[Statement]]:
    """(waiting, decided): submitted statements first, then those with a decision."""
    statements = db.session.scalars(
        select(Statement)
        .where(
            Statement.round_id == round_.id,
            Statement.state.in_(
                [
                    StatementState.SUBMITTED,
                    StatementState.APPROVED,
                    StatementState.REJECTED,
                    StatementState.CHANGES_REQUESTED,
                ]
            ),
        )
        .options(
            joinedload(Statement.current_revision).defer(Revision.body),
            joinedload(Statement.lead_organization),
            joinedload(Statement.area),
        )
        .order_by(Statement.updated_at)
    ).all()
    waiting = [s for s in statements if s.state == StatementState.SUBMITTED]
    decided = [s for s in statements if s.state != StatementState.SUBMITTED]
    return waiting, decided


def approved_statements(round_: Round) -> list[Statement]:
    """The round's approved statements in programme order, with their approvals."""
    return list(
        db.session.scalars(
            select(Statement)
            .join(ProgrammeArea, ProgrammeArea.id == Statement.area_id)
            .where(Statement.round_id == round_.id, Statement.state == StatementState.APPROVED)
            .options(
                joinedload(Statement.current_revision),
                joinedload(Statement.lead_organization),
                joinedload(Statement.area),
            )
            .order_by(ProgrammeArea.position, Statement.id)
        )
    )


def approvals(statements: list[Statement]) -> dict[int, Review]:
    """statement id → its approving review (one query)."""
    if not statements:
        return {}
    reviews = db.session.scalars(
        select(Review)
        .where(
            Review.statement_id.in_([s.id for s in statements]),
            Review.decision == "approve",
        )
        .options(joinedload(Review.revision))
        .order_by(Review.id)
    )
    return {review.statement_id: review for review in reviews}


def published_statements(round_: Round) -> list[tuple[Statement, Review]]:
    """[(statement, approving review)] of the round: its public list, ZIP and compendium."""
    statements = approved_statements(round_)
    reviews = approvals(statements)
    return [(s, reviews[s.id]) for s in statements if s.id in reviews]


def organization_publications(organization):
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
    reviews = approvals(list({s.id: s for s in [*led, *candidates]}.values()))

    def names(review) -> bool:
        rows = published_rows(review)
        return any(row["organization_id"] == organization.id for row in rows)

    return (
        [(s, reviews[s.id]) for s in led if s.id in reviews],
        [(s, reviews[s.id]) for s in candidates if s.id in reviews and names(reviews[s.id])],
    )


def review_summary(statement: Statement) -> dict:
    """The latest submission and its review, for the statement page's review panel."""
    submission = latest_submission(statement)
    return {"submission": submission, "review": submission.review if submission else None}


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
