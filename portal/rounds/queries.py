"""What the round page loads: the view passes it to the template, which queries nothing.

The page's three lists (approved statements, statements open for signature, the statements the
viewer may see) are rendered pieces kept by `round_version` (portal/core/fragments.py): one
query tells whether anything they show changed, so a round of 200 statements is not loaded and
rendered again for every view."""

from sqlalchemy import func, or_, select

from ..desk.signon_list import funnels, open_for_signature
from ..exports.artifacts import compendium_available
from ..extensions import db
from ..models import (
    Artifact,
    ListCorrection,
    Review,
    Statement,
    StatementDrafter,
    StatementState,
)
from ..review.queries import published_statements
from ..statements.queries import round_statements


def published_section(round_) -> dict:
    """The approved statements with the length of their published lists, and whether the
    compendium is there to link to: the same for every viewer."""
    published = published_statements(round_)
    return {
        "published": published,
        "listed_counts": {s.id: review.signatory_count for s, review in published},
        "compendium_ready": compendium_available(round_),
    }


def listed_section(round_, user) -> dict:
    return {"listed": round_statements(round_, user)}


def open_section(round_, user) -> dict:
    return {"open_list": open_for_signature(round_, user)}


def viewer_scope(user) -> tuple:
    """What makes one viewer's list of statements differ from another's: a coordinator sees
    every statement; a member, those their organizations draft or are invited to, besides the
    ones every registered organization reads."""
    if not user.is_authenticated:
        return ("visitor",)
    if user.is_coordinator:
        return ("coordinator",)
    return (
        "member",
        tuple(sorted((m.organization_id, str(m.role)) for m in user.active_memberships())),
    )


def funnel_version(round_, user, now) -> tuple:
    """The numbers of sign-ons behind the open statements' funnels, for the viewers who see
    them (coordinators, the lead's members); () for everyone else."""
    if not user.is_authenticated:
        return ()
    rows = db.session.execute(
        select(Statement.id, Statement.lead_organization_id).where(
            Statement.round_id == round_.id, Statement.state == StatementState.SIGNING
        )
    ).all()
    mine = {m.organization_id for m in user.active_memberships()}
    shown = sorted(sid for sid, lead in rows if user.is_coordinator or lead in mine)
    found = funnels(shown)
    return tuple((sid, f.opened, f.confirmed, f.approved) for sid, f in sorted(found.items()))


def round_version(round_, now) -> tuple:
    """What the round page's lists show, summed up in one query: its pieces and a visitor's
    ETag (core/conditional.py) change when any of it does. Statements change their updated_at
    with every revision, state and deadline; an approval or a correction of a list adds a row,
    a co-drafter invited or answering adds or stamps one; a statement open for signature leaves
    the list when its deadline passes."""
    of_round = Statement.round_id == round_.id
    mine = select(Statement.id).where(of_round).scalar_subquery()
    open_now = func.count(Statement.id).filter(
        Statement.state == StatementState.SIGNING,
        or_(Statement.signon_deadline.is_(None), Statement.signon_deadline > now),
    )
    drafters = StatementDrafter.statement_id.in_(mine)
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
            select(func.count(StatementDrafter.id)).where(drafters).scalar_subquery(),
            select(func.max(StatementDrafter.id)).where(drafters).scalar_subquery(),
            select(func.max(StatementDrafter.responded_at)).where(drafters).scalar_subquery(),
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
