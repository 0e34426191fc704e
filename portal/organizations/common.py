"""Lookups and checks shared by the organization operations."""

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..errors import OperationError
from ..extensions import db
from ..mail import queue_message
from ..models import MemberRole, Membership, MembershipState, Organization, User


def coordinator_emails() -> list[str]:
    return list(
        db.session.scalars(
            select(User.email).where(User.is_coordinator, User.active).order_by(User.id)
        )
    )


def admin_memberships(organization: Organization) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .join(Membership.user)
            .where(
                Membership.organization_id == organization.id,
                Membership.role == MemberRole.ADMIN,
                Membership.state == MembershipState.ACTIVE,
                User.active,
            )
            .order_by(Membership.id)
        )
    )


def admin_emails(organization: Organization) -> list[str]:
    """E-mail addresses of the organization's active admins, by account age."""
    return list(
        db.session.scalars(
            select(User.email)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.organization_id == organization.id,
                Membership.role == MemberRole.ADMIN,
                Membership.state == MembershipState.ACTIVE,
                User.active,
            )
            .order_by(User.id)
        )
    )


def tell_admins(organization: Organization, kind: str, subject: str, **context) -> None:
    for membership in admin_memberships(organization):
        queue_message(
            membership.user.email,
            kind,
            subject,
            organization=organization,
            admin=membership.user,
            **context,
        )


def admin_count(organization: Organization) -> int:
    return db.session.execute(
        select(func.count(Membership.id)).where(
            Membership.organization_id == organization.id,
            Membership.role == MemberRole.ADMIN,
            Membership.state == MembershipState.ACTIVE,
        )
    ).scalar_one()


def membership_of(user: User, organization: Organization) -> Membership | None:
    if user.id is None or organization.id is None:
        return None
    return db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id, Membership.organization_id == organization.id
        )
    )


def require_manager(actor: User, organization: Organization) -> None:
    if not organization.can_manage_members(actor):
        raise OperationError(_("Only the organization's admins can manage its members."))


def clean_role(role) -> str:
    try:
        return MemberRole(role).value
    except ValueError:
        raise OperationError(_("Choose member, signatory or admin."), "role") from None


def rank(role) -> int:
    return MemberRole(role).rank


def refuse_duplicate_name(name: str, exclude_id: int | None = None) -> None:
    query = select(Organization.id).where(func.lower(Organization.name) == name.lower())
    if exclude_id is not None:
        query = query.where(Organization.id != exclude_id)
    if db.session.scalar(query) is not None:
        raise OperationError(
            _("An organization with this name is already registered: ask to join it instead."),
            "name",
        )
