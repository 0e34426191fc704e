"""State changes of organizations and their members.

Each function checks who acts and the current state, makes the change, records an AuditEvent and
queues the e-mails that go with it, then flushes. None commits: the caller (a view, the seeder, a
CLI command) commits once, so the change, its audit event and its messages land together.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import audit
from ..errors import OperationError
from ..extensions import db
from ..mail import queue_message
from ..models import (
    MemberRole,
    Membership,
    MembershipState,
    Organization,
    OrganizationKind,
    User,
    VerificationStatus,
    utcnow,
)
from .common import (
    admin_count,
    clean_role,
    coordinator_emails,
    membership_of,
    refuse_duplicate_name,
    tell_admins,
)
from .invitations import accept_invitation, find_invitation, hash_token, invite_member
from .slugs import unique_slug
from .transitions import MEMBERSHIP, VERIFICATION
from .validation import clean_organization_fields

__all__ = [
    "accept_invitation",
    "approve_join_request",
    "decline_join_request",
    "find_invitation",
    "hash_token",
    "invite_member",
    "register_organization",
    "reject_organization",
    "remove_member",
    "request_to_join",
    "set_member_role",
    "update_organization",
    "verify_organization",
]


# -- registration and verification ------------------------------------------------------------


def register_organization(
    user: User,
    *,
    name: str,
    acronym: str | None = None,
    country: str,
    kind: str = OrganizationKind.NGO,
    website: str | None = None,
    description: str | None = None,
) -> Organization:
    """A new organization, pending verification, with `user` as its first admin."""
    fields = clean_organization_fields(
        name=name,
        acronym=acronym,
        country=country,
        kind=kind,
        website=website,
        description=description,
    )
    refuse_duplicate_name(fields["name"])
    organization = Organization(
        slug=unique_slug(Organization, fields["name"]),
        status=VerificationStatus.PENDING,
        **fields,
    )
    db.session.add(organization)
    db.session.add(
        Membership(
            user=user,
            organization=organization,
            role=MemberRole.ADMIN,
            state=MembershipState.ACTIVE,
        )
    )
    db.session.flush()
    audit.record(
        "organization.registered",
        organization,
        organization=organization,
        actor=user,
        name=organization.name,
        scope=organization.scope,
        country=organization.country,
        region=organization.region,
        kind=organization.kind,
    )
    if user.can_act:  # else once the registrant's address is confirmed
        _announce_registration(organization, user)
    db.session.flush()
    return organization


def _announce_registration(organization: Organization, user: User) -> None:
    for recipient in coordinator_emails():
        queue_message(
            recipient,
            "organization_registered",
            _l("New organization to verify: %(name)s", name=organization.name),
            organization=organization,
            actor=user,
        )


def announce_waiting_requests(user: User) -> None:
    """Pass on what a person asked for before confirming their address: join requests reach
    the organizations' admins, a registered organization the coordinators."""
    for membership in user.memberships:
        organization = membership.organization
        if membership.state == MembershipState.REQUESTED:
            _announce_join_request(user, organization)
        elif (
            membership.state == MembershipState.ACTIVE
            and membership.role == MemberRole.ADMIN
            and organization.status == VerificationStatus.PENDING
        ):
            _announce_registration(organization, user)


def verify_organization(actor: User, organization: Organization) -> Organization:
    VERIFICATION.check(organization, "verify", actor)
    previous = organization.status
    organization.status_reason = None
    organization.verified_at = utcnow()
    VERIFICATION.apply(organization, "verify", actor, organization=organization, previous=previous)
    tell_admins(
        organization,
        "organization_verified",
        f"{organization.name} is verified on the Statement Portal",
    )
    db.session.flush()
    return organization


def reject_organization(actor: User, organization: Organization, reason: str) -> Organization:
    VERIFICATION.check(organization, "reject", actor)
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise OperationError(_("Give the organization a reason (at least 5 characters)."), "reason")
    organization.status_reason = reason
    VERIFICATION.apply(organization, "reject", actor, organization=organization, reason=reason)
    tell_admins(
        organization,
        "organization_rejected",
        f"{organization.name} was not verified",
        reason=reason,
    )
    db.session.flush()
    return organization


def update_organization(actor: User, organization: Organization, **fields) -> Organization:
    if not organization.can_edit(actor):
        raise OperationError(_("Only the organization's admins can edit its profile."))
    cleaned = clean_organization_fields(**fields)
    if cleaned["name"].casefold() != organization.name.casefold():
        refuse_duplicate_name(cleaned["name"], exclude_id=organization.id)
    changes = {}
    for key, value in cleaned.items():
        old = getattr(organization, key)
        if old != value:
            changes[key] = [old, value]
            setattr(organization, key, value)
    if changes:
        audit.record(
            "organization.updated",
            organization,
            organization=organization,
            actor=actor,
            changes=changes,
        )
    db.session.flush()
    return organization


# -- joining ---------------------------------------------------------------------------------


def request_to_join(user: User, organization: Organization) -> Membership:
    """Ask to join; the organization's admins approve or decline."""
    if organization.status == VerificationStatus.REJECTED:
        raise OperationError(
            _("%(name)s cannot take new members.", name=organization.name), "organization"
        )
    membership = membership_of(user, organization)
    if membership is None:
        MEMBERSHIP.check(None, "request", user)
        membership = Membership(user=user, organization=organization)
        db.session.add(membership)
    else:
        MEMBERSHIP.check(membership, "request", user)
    membership.role = MemberRole.MEMBER
    MEMBERSHIP.apply(membership, "request", user, organization=organization, user=user.email)
    if user.can_act:  # else once the person's address is confirmed
        _announce_join_request(user, organization)
    db.session.flush()
    return membership


def _announce_join_request(user: User, organization: Organization) -> None:
    tell_admins(
        organization,
        "join_requested",
        f"{user.name} asks to join {organization.name}",
        user=user,
    )


def _decide_join_request(actor: User, membership: Membership, action: str, subject: str):
    """Approve or decline a pending request; the audit event and the e-mail name the outcome."""
    organization = membership.organization
    MEMBERSHIP.check(membership, action, actor)
    if not membership.user.email_confirmed:
        raise OperationError(
            _("%(name)s has not confirmed their e-mail address yet.", name=membership.user.name)
        )
    MEMBERSHIP.apply(
        membership, action, actor, organization=organization, user=membership.user.email
    )
    queue_message(
        membership.user.email,
        f"join_{action}d",  # join_approved, join_declined
        subject,
        organization=organization,
        user=membership.user,
    )
    db.session.flush()
    return membership


def approve_join_request(actor: User, membership: Membership) -> Membership:
    return _decide_join_request(
        actor,
        membership,
        "approve",
        _l("Welcome to %(name)s", name=membership.organization.name),
    )


def decline_join_request(actor: User, membership: Membership) -> Membership:
    return _decide_join_request(
        actor,
        membership,
        "decline",
        _l("Your request to join %(name)s", name=membership.organization.name),
    )


# -- roles ------------------------------------------------------------------------------------


def set_member_role(actor: User, membership: Membership, role: str) -> Membership:
    """Grant or revoke the signatory or admin role; the last admin is never demoted."""
    organization = membership.organization
    MEMBERSHIP.check(membership, "change_role", actor)
    role = clean_role(role)
    if membership.role == role:
        return membership
    if membership.role == MemberRole.ADMIN and admin_count(organization) <= 1:
        raise OperationError(
            _("This is the organization's last admin. Make someone else admin first."), "role"
        )
    previous = membership.role
    # Asked before the change: an admin who demotes themselves is an admin until it is made.
    MEMBERSHIP.apply(
        membership,
        "change_role",
        actor,
        organization=organization,
        user=membership.user.email,
        previous=previous,
        role=role,
    )
    membership.role = role
    queue_message(
        membership.user.email,
        "role_changed",
        _l("Your role in %(name)s is now %(role)s", name=organization.name, role=role),
        organization=organization,
        user=membership.user,
        role=MemberRole(role),
        previous=MemberRole(previous),
    )
    db.session.flush()
    return membership


def remove_member(actor: User, membership: Membership) -> None:
    organization = membership.organization
    MEMBERSHIP.check(membership, "remove", actor)
    if membership.role == MemberRole.ADMIN and admin_count(organization) <= 1:
        raise OperationError(
            _("This is the organization's last admin. Make someone else admin first.")
        )
    MEMBERSHIP.apply(
        membership,
        "remove",
        actor,
        organization=organization,
        user=membership.user.email,
        role=membership.role,
    )
    db.session.delete(membership)
    # Its member list changed: pages kept by the data's version (core/versions.py) see it.
    organization.updated_at = utcnow()
    db.session.flush()
