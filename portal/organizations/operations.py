"""State changes of organizations and their members.

Each function checks who acts and the current state, makes the change, records an AuditEvent and
queues the e-mails that go with it, then flushes. None commits: the caller (a view, the seeder, a
CLI command) commits once, so the change, its audit event and its messages land together.
"""

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
    require_manager,
    tell_admins,
)
from .invitations import accept_invitation, find_invitation, hash_token, invite_member
from .slugs import unique_slug
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
            f"New organization to verify: {organization.name}",
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
    if not organization.can_verify(actor):
        raise OperationError("Only coordinators verify organizations.")
    if organization.status == VerificationStatus.VERIFIED:
        raise OperationError(f"{organization.name} is already verified.")
    previous = organization.status
    organization.status = VerificationStatus.VERIFIED
    organization.status_reason = None
    organization.verified_at = utcnow()
    audit.record(
        "organization.verified",
        organization,
        organization=organization,
        actor=actor,
        previous=previous,
    )
    tell_admins(
        organization,
        "organization_verified",
        f"{organization.name} is verified on the Statement Portal",
    )
    db.session.flush()
    return organization


def reject_organization(actor: User, organization: Organization, reason: str) -> Organization:
    if not organization.can_verify(actor):
        raise OperationError("Only coordinators verify organizations.")
    if organization.status != VerificationStatus.PENDING:
        raise OperationError(f"{organization.name} is not waiting for verification.")
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise OperationError("Give the organization a reason (at least 5 characters).", "reason")
    organization.status = VerificationStatus.REJECTED
    organization.status_reason = reason
    audit.record(
        "organization.rejected", organization, organization=organization, actor=actor, reason=reason
    )
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
        raise OperationError("Only the organization's admins can edit its profile.")
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
        raise OperationError(f"{organization.name} cannot take new members.", "organization")
    membership = membership_of(user, organization)
    if membership is not None and membership.state == MembershipState.ACTIVE:
        raise OperationError(f"You are already a member of {organization.name}.", "organization")
    if membership is not None and membership.state == MembershipState.REQUESTED:
        raise OperationError(f"You have already asked to join {organization.name}.", "organization")
    if membership is None:
        membership = Membership(user=user, organization=organization, role=MemberRole.MEMBER)
        db.session.add(membership)
    membership.role = MemberRole.MEMBER
    membership.state = MembershipState.REQUESTED
    db.session.flush()
    audit.record(
        "membership.requested", membership, organization=organization, actor=user, user=user.email
    )
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


def _decide_join_request(
    actor: User, membership: Membership, state: MembershipState, action: str, subject: str
) -> Membership:
    """Approve or decline a pending request; `action` names the audit event and the e-mail."""
    organization = membership.organization
    require_manager(actor, organization)
    if membership.state != MembershipState.REQUESTED:
        raise OperationError("This request has already been decided.")
    if not membership.user.email_confirmed:
        raise OperationError(f"{membership.user.name} has not confirmed their e-mail address yet.")
    membership.state = state
    audit.record(
        f"membership.{action}",
        membership,
        organization=organization,
        actor=actor,
        user=membership.user.email,
    )
    queue_message(
        membership.user.email,
        f"join_{action}",
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
        MembershipState.ACTIVE,
        "approved",
        f"Welcome to {membership.organization.name}",
    )


def decline_join_request(actor: User, membership: Membership) -> Membership:
    return _decide_join_request(
        actor,
        membership,
        MembershipState.DECLINED,
        "declined",
        f"Your request to join {membership.organization.name}",
    )


# -- roles ------------------------------------------------------------------------------------


def set_member_role(actor: User, membership: Membership, role: str) -> Membership:
    """Grant or revoke the signatory or admin role; the last admin is never demoted."""
    organization = membership.organization
    require_manager(actor, organization)
    role = clean_role(role)
    if not membership.is_active:
        raise OperationError("Only active members have roles.")
    if membership.role == role:
        return membership
    if membership.role == MemberRole.ADMIN and admin_count(organization) <= 1:
        raise OperationError(
            "This is the organization's last admin. Make someone else admin first.", "role"
        )
    previous = membership.role
    membership.role = role
    audit.record(
        "membership.role_changed",
        membership,
        organization=organization,
        actor=actor,
        user=membership.user.email,
        previous=previous,
        role=role,
    )
    queue_message(
        membership.user.email,
        "role_changed",
        f"Your role in {organization.name} is now {role}",
        organization=organization,
        user=membership.user,
        role=MemberRole(role),
        previous=MemberRole(previous),
    )
    db.session.flush()
    return membership


def remove_member(actor: User, membership: Membership) -> None:
    organization = membership.organization
    require_manager(actor, organization)
    if not membership.is_active:
        raise OperationError("This person is not an active member.")
    if membership.role == MemberRole.ADMIN and admin_count(organization) <= 1:
        raise OperationError(
            "This is the organization's last admin. Make someone else admin first."
        )
    user = membership.user
    audit.record(
        "membership.removed",
        membership,
        organization=organization,
        actor=actor,
        user=user.email,
        role=membership.role,
    )
    db.session.delete(membership)
    db.session.flush()
