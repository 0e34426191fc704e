"""What the round page loads: the view passes it to the template, which queries nothing."""

from sqlalchemy import func, or_, select

from ..desk.signon_list import open_for_signature
from ..exports.artifacts import compendium_available
from ..extensions import db
from ..models import Artifact, ListCorrection, Review, Statement, StatementState
from ..review.queries import published_statements
from ..statements.queries import round_statements


def round_page(round_, user) -> dict:
    """The round page's sections: the statements the viewer may see, those open for signature,
    the approved ones with the length of their published lists, and whether the compendium is
    there to link to."""
    published = published_statements(round_)
    return {
        "listed": round_statements(round_, user),
        "open_list": open_for_signature(round_, user),
        "published": published,
        "listed_counts": {s.id: review.signatory_count for s, review in published},
        "compendium_ready": compendium_available(round_),
    }


def visitor_version(round_, now) -> tuple:
    """What the round page shows a visitor who is not signed in, summed up in one query: the
    page's ETag (core/conditional.py) changes when any of it does. Statements change their
    updated_at with every revision, state and deadline; an approval or a correction of a list
    adds a row; a statement open for signature leaves the list when its deadline passes."""
    of_round = Statement.round_id == round_.id
    mine = select(Statement.id).where(of_round).scalar_subquery()
    open_now = func.count(Statement.id).filter(
        Statement.state == StatementState.SIGNING,
        or_(Statement.signon_deadline.is_(None), Statement.signon_deadline > now),
    )
    row = db.session.execute(
        select(
            func.count(Statement.id),
            func.max(Statement.updated_at),
            open_now,
            select(func.max(Review.id)).where(Review.statement_id.in_(mine)).scalar_subquery(),
            select(func.max(ListCorrection.id))
            .where(ListCorrection.statement_id.in_(mine))
            .scalar_subquery(),
            select(func.max(Artifact.id)).where(Artifact.round_id == round_.id).scalar_subquery(),
        ).where(of_round)
    ).one()
    shown = (
        round_.title,
        round_.description,
        round_.place,
        round_.timezone,
        round_.opens_at,
        round_.submission_deadline,
        round_.signon_deadline,
        round_.meeting_start,
        round_.meeting_end,
        round_.auto_approve_verified,
        round_.process.title,
        tuple(a.title for a in round_.areas),
    )
    return ("round", round_.id, round_.phase(now), round_.accepts_signons(now), *shown, *row)
