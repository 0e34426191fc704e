"""State changes of organizations and their members.

Each function checks who acts and the current state, makes the change, records an AuditEvent and
queues the e-mails that go with it, then flushes. None commits: the caller (a view, the seeder, a
CLI command) commits once, so the change, its audit event and its messages land together.
"""

import hashlib
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

import pycountry
from sqlalchemy import func, select

from .. import audit
from ..errors import OperationError
from ..extensions import db
from ..mail import queue_message
from ..models import (
    Invitation,
    MemberRole,
    Membership,
    MembershipState,
    Organization,
    OrganizationKind,
    SiteRole,
    User,
    VerificationStatus,
    utcnow,
)
from ..models.accounts import normalize_email
from .slugs import unique_slug

INVITATION_LIFETIME = timedelta(days=14)
NAME_MIN, NAME_MAX = 3, 200


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
    _refuse_duplicate_name(fields["name"])
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
        country=organization.country,
        kind=organization.kind,
    )
    for recipient in coordinator_emails():
        queue_message(
            recipient,
            "organization_registered",
            f"New organization to verify: {organization.name}",
            organization=organization,
            actor=user,
        )
    db.session.flush()
    return organization


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
    _tell_admins(
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
    _tell_admins(
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
        _refuse_duplicate_name(cleaned["name"], exclude_id=organization.id)
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
    membership = _membership(user, organization)
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
    _tell_admins(
        organization,
        "join_requested",
        f"{user.name} asks to join {organization.name}",
        user=user,
    )
    db.session.flush()
    return membership


def approve_join_request(actor: User, membership: Membership) -> Membership:
    organization = membership.organization
    _require_manager(actor, organization)
    if membership.state != MembershipState.REQUESTED:
        raise OperationError("This request has already been decided.")
    membership.state = MembershipState.ACTIVE
    audit.record(
        "membership.approved",
        membership,
        organization=organization,
        actor=actor,
        user=membership.user.email,
    )
    queue_message(
        membership.user.email,
        "join_approved",
        f"Welcome to {organization.name}",
        organization=organization,
        user=membership.user,
    )
    db.session.flush()
    return membership


def decline_join_request(actor: User, membership: Membership) -> Membership:
    organization = membership.organization
    _require_manager(actor, organization)
    if membership.state != MembershipState.REQUESTED:
        raise OperationError("This request has already been decided.")
    membership.state = MembershipState.DECLINED
    audit.record(
        "membership.declined",
        membership,
        organization=organization,
        actor=actor,
        user=membership.user.email,
    )
    queue_message(
        membership.user.email,
        "join_declined",
        f"Your request to join {organization.name}",
        organization=organization,
        user=membership.user,
    )
    db.session.flush()
    return membership


# -- invitations ------------------------------------------------------------------------------


def invite_member(
    actor: User, organization: Organization, email: str, role: str = MemberRole.MEMBER
) -> tuple[Invitation, str]:
    """Invite someone by e-mail. Returns the invitation and the token (only the hash is stored)."""
    _require_manager(actor, organization)
    email = normalize_email(email or "")
    if "@" not in email:
        raise OperationError("Enter an e-mail address.", "email")
    role = _role(role)
    existing_user = db.session.scalar(select(User).where(User.email == email))
    if existing_user is not None:
        membership = _membership(existing_user, organization)
        if membership is not None and membership.is_active:
            raise OperationError(f"{email} is already a member.", "email")
    # A new invitation replaces any earlier open one, so only the newest link works.
    for old in db.session.scalars(
        select(Invitation).where(
            Invitation.organization_id == organization.id,
            Invitation.email == email,
            Invitation.accepted_at.is_(None),
        )
    ):
        db.session.delete(old)
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        organization=organization,
        email=email,
        role=role,
        token_hash=hash_token(token),
        invited_by_id=actor.id,
        expires_at=utcnow() + INVITATION_LIFETIME,
    )
    db.session.add(invitation)
    db.session.flush()
    audit.record(
        "invitation.sent",
        invitation,
        organization=organization,
        actor=actor,
        email=email,
        role=role,
    )
    queue_message(
        email,
        "invitation",
        f"{actor.name} invites you to join {organization.name}",
        organization=organization,
        invitation=invitation,
        actor=actor,
        token=token,
    )
    db.session.flush()
    return invitation, token


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_invitation(token: str) -> Invitation | None:
    """The open invitation for this token: None when unknown, used or expired."""
    if not token:
        return None
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == hash_token(token))
    )
    if invitation is None or invitation.accepted_at is not None:
        return None
    if invitation.expires_at <= utcnow():
        return None
    return invitation


def accept_invitation(user: User, token: str) -> Membership:
    invitation = find_invitation(token)
    if invitation is None:
        raise OperationError("This invitation link is invalid, already used or expired.")
    if normalize_email(user.email) != invitation.email:
        raise OperationError(
            f"This invitation was sent to {invitation.email}. "
            "Sign in with that address to accept it."
        )
    organization = invitation.organization
    membership = _membership(user, organization)
    if membership is None:
        membership = Membership(user=user, organization=organization, role=invitation.role)
        db.session.add(membership)
    elif not membership.is_active or _rank(invitation.role) > _rank(membership.role):
        # The invitation settles a pending request; a member never loses a role by accepting.
        membership.role = invitation.role
    membership.state = MembershipState.ACTIVE
    invitation.accepted_at = utcnow()
    db.session.flush()
    audit.record(
        "invitation.accepted",
        membership,
        organization=organization,
        actor=user,
        invitation_id=invitation.id,
        role=membership.role,
    )
    db.session.flush()
    return membership


# -- roles ------------------------------------------------------------------------------------


def set_member_role(actor: User, membership: Membership, role: str) -> Membership:
    """Grant or revoke the signatory or admin role; the last admin is never demoted."""
    organization = membership.organization
    _require_manager(actor, organization)
    role = _role(role)
    if not membership.is_active:
        raise OperationError("Only active members have roles.")
    if membership.role == role:
        return membership
    if membership.role == MemberRole.ADMIN and _admin_count(organization) <= 1:
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
    _require_manager(actor, organization)
    if not membership.is_active:
        raise OperationError("This person is not an active member.")
    if membership.role == MemberRole.ADMIN and _admin_count(organization) <= 1:
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


# -- helpers ----------------------------------------------------------------------------------


def clean_organization_fields(
    *,
    name: str,
    acronym: str | None = None,
    country: str,
    kind: str = OrganizationKind.NGO,
    website: str | None = None,
    description: str | None = None,
) -> dict:
    """Validated, normalized profile fields; OperationError(field=…) on bad input."""
    name = " ".join((name or "").split())
    if not NAME_MIN <= len(name) <= NAME_MAX:
        raise OperationError(f"The name must be {NAME_MIN} to {NAME_MAX} characters.", "name")
    acronym = (acronym or "").strip() or None
    if acronym and len(acronym) > 40:
        raise OperationError("The acronym must be at most 40 characters.", "acronym")
    country = (country or "").strip().upper()
    if len(country) != 2 or pycountry.countries.get(alpha_2=country) is None:
        raise OperationError("Choose a country from the list.", "country")
    try:
        kind = OrganizationKind(kind).value
    except ValueError:
        raise OperationError("Choose a kind of organization from the list.", "kind") from None
    website = (website or "").strip() or None
    if website:
        if "://" not in website:
            website = "https://" + website
        parts = urlsplit(website)
        if parts.scheme not in ("http", "https") or "." not in parts.netloc or " " in website:
            raise OperationError(
                "Enter a web address starting with http:// or https://.", "website"
            )
        if len(website) > 300:
            raise OperationError("The web address is too long.", "website")
    description = (description or "").strip() or None
    return dict(
        name=name,
        acronym=acronym,
        country=country,
        kind=kind,
        website=website,
        description=description,
    )


def coordinator_emails() -> list[str]:
    return list(
        db.session.scalars(
            select(User.email)
            .where(User.site_role.in_([SiteRole.COORDINATOR, SiteRole.ADMIN]), User.active)
            .order_by(User.id)
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


def _tell_admins(organization: Organization, kind: str, subject: str, **context) -> None:
    for membership in admin_memberships(organization):
        queue_message(
            membership.user.email,
            kind,
            subject,
            organization=organization,
            admin=membership.user,
            **context,
        )


def _admin_count(organization: Organization) -> int:
    return db.session.scalar(
        select(func.count(Membership.id)).where(
            Membership.organization_id == organization.id,
            Membership.role == MemberRole.ADMIN,
            Membership.state == MembershipState.ACTIVE,
        )
    )


def _membership(user: User, organization: Organization) -> Membership | None:
    if user.id is None or organization.id is None:
        return None
    return db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id, Membership.organization_id == organization.id
        )
    )


def _require_manager(actor: User, organization: Organization) -> None:
    if not organization.can_manage_members(actor):
        raise OperationError("Only the organization's admins can manage its members.")


def _role(role) -> str:
    try:
        return MemberRole(role).value
    except ValueError:
        raise OperationError("Choose member, signatory or admin.", "role") from None


def _rank(role) -> int:
    return MemberRole(role).rank


def _refuse_duplicate_name(name: str, exclude_id: int | None = None) -> None:
    query = select(Organization.id).where(func.lower(Organization.name) == name.lower())
    if exclude_id is not None:
        query = query.where(Organization.id != exclude_id)
    if db.session.scalar(query) is not None:
        raise OperationError(
            "An organization with this name is already registered: ask to join it instead.",
            "name",
        )
