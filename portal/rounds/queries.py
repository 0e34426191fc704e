"""What the round page loads: the view passes it to the template, which queries nothing.

The page's three lists (approved statements, statements open for signature, the statements the
viewer may see) are rendered pieces kept by `round_version` (portal/core/fragments.py): one
query tells whether anything they show changed, so a round of 200 statements is not loaded and
rendered again for every view."""

from sqlalchemy import func, select

from ..core.versions import data_version
from ..desk.signon_list import open_for_signature
from ..exports.artifacts import compendium_available
from ..extensions import db
from ..models import PublicSignOn, Statement, StatementState
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


def funnel_version(round_, user) -> tuple:
    """For the viewers who see the open statements' funnels (coordinators, the lead's members):
    which statements they see them on, and the version of the sign-ons counted in them (a
    public request adds a row, a confirmation a signature); () for everyone else."""
    if not user.is_authenticated:
        return ()
    rows = db.session.execute(
        select(Statement.id, Statement.lead_organization_id).where(
            Statement.round_id == round_.id, Statement.state == StatementState.SIGNING
        )
    ).all()
    mine = {m.organization_id for m in user.active_memberships()}
    shown = tuple(sorted(sid for sid, lead in rows if user.is_coordinator or lead in mine))
    if not shown:
        return ()
    requests = select(func.max(PublicSignOn.id)).scalar_subquery()
    return (shown, *data_version(requests))
