"""Who hears about a statement's transitions: its drafters, its signatories, the coordinators."""

from sqlalchemy import select

from ..extensions import db
from ..models import Membership, MembershipState, User
from ..signons.listing import signer_contacts


def drafter_emails(statement) -> list[str]:
    """Active members of the lead and of every co-drafting organization."""
    return list(
        db.session.scalars(
            select(User.email)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.organization_id.in_(statement.drafting_organization_ids()),
                Membership.state == MembershipState.ACTIVE,
                User.active,
            )
            .distinct()
            .order_by(User.email)
        )
    )


def coordinator_emails() -> list[str]:
    return list(
        db.session.scalars(
            select(User.email).where(User.is_coordinator, User.active).order_by(User.email)
        )
    )


def signatory_emails(statement) -> list[str]:
    return signer_contacts(statement)


_GROUPS = {
    "drafters": drafter_emails,
    "signatories": signatory_emails,
    "coordinators": lambda statement: coordinator_emails(),
}


def recipients(statement, groups, *, exclude=None) -> list[str]:
    """Each address once, in group order; the person who acted is not told what they did."""
    skip = {getattr(exclude, "email", None)}
    seen: list[str] = []
    for group in groups:
        for email in _GROUPS[group](statement):
            if email and email not in skip and email not in seen:
                seen.append(email)
    return seen
