"""Invitations by e-mail: the link carries a random token, the database keeps its SHA-256."""

from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import audit
from ..core.hashed_tokens import hash_token, new_token
from ..errors import OperationError
from ..events import email_proven
from ..extensions import db
from ..mail import queue_message
from ..models import Invitation, MemberRole, Membership, Organization, User, utcnow
from ..models.accounts import normalize_email
from .common import clean_role, membership_of, rank, require_manager
from .transitions import MEMBERSHIP

INVITATION_LIFETIME = timedelta(days=14)


def invite_member(
    actor: User, organization: Organization, email: str, role: str = MemberRole.MEMBER
) -> tuple[Invitation, str]:
    """Invite someone by e-mail. Returns the invitation and the token (only the hash is stored)."""
    require_manager(actor, organization)
    email = normalize_email(email or "")
    if "@" not in email:
        raise OperationError(_("Enter an e-mail address."), "email")
    role = clean_role(role)
    existing_user = db.session.scalar(select(User).where(User.email == email))
    if existing_user is not None:
        membership = membership_of(existing_user, organization)
        if membership is not None and membership.is_active:
            raise OperationError(_("%(email)s is already a member.", email=email), "email")
    # A new invitation replaces any earlier open one, so only the newest link works.
    for old in db.session.scalars(
        select(Invitation).where(
            Invitation.organization_id == organization.id,
            Invitation.email == email,
            Invitation.accepted_at.is_(None),
        )
    ):
        db.session.delete(old)
    token = new_token()
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
        _l("%(name)s invites you to join %(name2)s", name=actor.name, name2=organization.name),
        organization=organization,
        invitation=invitation,
        actor=actor,
        token=token,
    )
    db.session.flush()
    return invitation, token


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
        raise OperationError(_("This invitation link is invalid, already used or expired."))
    if normalize_email(user.email) != invitation.email:
        raise OperationError(
            _(
                "This invitation was sent to %(email)s. Sign in with that address to accept it.",
                email=invitation.email,
            )
        )
    organization = invitation.organization
    membership = membership_of(user, organization)
    MEMBERSHIP.check(membership, "accept_invitation", user)
    if membership is None:
        membership = Membership(user=user, organization=organization, role=invitation.role)
        db.session.add(membership)
    elif not membership.is_active or rank(invitation.role) > rank(membership.role):
        # The invitation settles a pending request; a member never loses a role by accepting.
        membership.role = invitation.role
    invitation.accepted_at = utcnow()
    # The invitation went to this address: following it proves the address.
    email_proven.send(user, how="invitation")
    MEMBERSHIP.apply(
        membership,
        "accept_invitation",
        user,
        organization=organization,
        invitation_id=invitation.id,
        role=membership.role,
    )
    db.session.flush()
    return membership
