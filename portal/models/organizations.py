"""Organizations are the parties: they lead, co-draft and sign statements."""

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Base
from ..places import REGION_MAX, Place, Scope, country_name  # noqa: F401 (re-exported)
from .accreditation import Accreditation, AccreditationState, Constituency, EcosocStatus
from .base import UTCDateTime, created_at_column, enum_column, updated_at_column

if TYPE_CHECKING:
    from .accounts import User


class OrganizationKind(enum.StrEnum):
    NGO = "ngo"
    TRADE_UNION = "trade_union"
    MIGRANT_LED = "migrant_led"
    FAITH_BASED = "faith_based"
    ACADEMIC = "academic"
    NETWORK = "network"
    LOCAL_AUTHORITY = "local_authority"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self])


KIND_LABELS = {
    OrganizationKind.NGO: _l("NGO"),
    OrganizationKind.TRADE_UNION: _l("Trade union"),
    OrganizationKind.MIGRANT_LED: _l("Migrant- or diaspora-led"),
    OrganizationKind.FAITH_BASED: _l("Faith-based"),
    OrganizationKind.ACADEMIC: _l("Academic"),
    OrganizationKind.NETWORK: _l("Network"),
    OrganizationKind.LOCAL_AUTHORITY: _l("Local authority"),
    OrganizationKind.OTHER: _l("Other"),
}


class VerificationStatus(enum.StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


# Keyed by the stored value (a StrEnum member equals its string).
STATUS_LABELS: dict[str, object] = {
    VerificationStatus.PENDING: _l("pending verification"),
    VerificationStatus.VERIFIED: _l("verified"),
    VerificationStatus.REJECTED: _l("rejected"),
}


class MemberRole(enum.StrEnum):
    """Ordered: each role can do what the ones before it can."""

    MEMBER = "member"
    SIGNATORY = "signatory"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(MemberRole).index(self)


class MembershipState(enum.StrEnum):
    ACTIVE = "active"
    REQUESTED = "requested"  # asked to join; an organization admin decides
    DECLINED = "declined"


class Organization(Base):
    __tablename__ = "organizations"
    __table_args__ = (
        # A national organization has a country, a regional one a region, and neither has both.
        CheckConstraint(
            "(scope = 'national' AND country IS NOT NULL AND region IS NULL)"
            " OR (scope = 'regional' AND region IS NOT NULL AND country IS NULL)"
            " OR (scope = 'international' AND country IS NULL AND region IS NULL)",
            name="place_consistent",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    acronym: Mapped[str | None] = mapped_column(String(40))
    scope: Mapped[str] = enum_column(Scope, "scope", default=Scope.NATIONAL)
    country: Mapped[str | None] = mapped_column(String(2))  # ISO 3166-1 alpha-2, when national
    region: Mapped[str | None] = mapped_column(String(REGION_MAX))  # one of places.REGIONS
    kind: Mapped[str] = enum_column(OrganizationKind, "kind", default=OrganizationKind.NGO)
    website: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = enum_column(
        VerificationStatus, "status", default=VerificationStatus.PENDING
    )
    status_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime | None] = updated_at_column()
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set when a public sign-on created this organization although one registered looks the same
    # (the verification page shows both); the coordinator verifies, merges or rejects.
    possible_duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL")
    )
    # Accreditation, declared by the organization's admins and verified by a coordinator
    # (portal/organizations/accreditation.py); declaring again clears the verification.
    ecosoc_status: Mapped[str] = enum_column(
        EcosocStatus, "ecosoc_status", default=EcosocStatus.NONE
    )
    un_name: Mapped[str | None] = mapped_column(String(300))  # as registered with the UN, if other
    accreditation_state: Mapped[str] = enum_column(
        AccreditationState, "accreditation_state", default=AccreditationState.UNDECLARED
    )
    ecosoc_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="organization", cascade="all, delete-orphan"
    )
    possible_duplicate_of: Mapped["Organization | None"] = relationship(remote_side=[id])
    accreditations: Mapped[list[Accreditation]] = relationship(
        back_populates="organization", cascade="all, delete-orphan", order_by=Accreditation.id
    )
    constituencies: Mapped[list[Constituency]] = relationship(
        secondary="organization_constituencies", order_by=Constituency.name
    )

    @property
    def in_ecosoc_status(self) -> bool:
        """Holds a consultative status a coordinator has verified."""
        return self.ecosoc_status != EcosocStatus.NONE and self.ecosoc_verified_at is not None

    @property
    def accreditation_declared(self) -> bool:
        return self.accreditation_state != AccreditationState.UNDECLARED

    @property
    def claims_ecosoc_status(self) -> bool:
        """Declares a consultative status, verified or not (see in_ecosoc_status)."""
        return self.ecosoc_status != EcosocStatus.NONE

    @property
    def display_un_name(self) -> str:
        """The name the UN knows: the registered one when declared, else the portal's."""
        return self.un_name or self.name

    @property
    def ecosoc_label(self) -> str:
        return EcosocStatus(self.ecosoc_status).label

    @property
    def accreditation_state_label(self) -> str:
        return AccreditationState(self.accreditation_state).label

    def constituency_in(self, process_id: int) -> Constituency | None:
        return next((c for c in self.constituencies if c.process_id == process_id), None)

    def accreditations_in(self, process_id: int) -> list[Accreditation]:
        return [a for a in self.accreditations if a.process_id == process_id]

    @property
    def verified(self) -> bool:
        return self.status == VerificationStatus.VERIFIED

    @property
    def is_pending(self) -> bool:
        """Waiting for a coordinator to verify or reject it."""
        return self.status == VerificationStatus.PENDING

    @property
    def is_rejected(self) -> bool:
        return self.status == VerificationStatus.REJECTED

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))

    @property
    def country_name(self) -> str:
        return country_name(self.country)

    @property
    def place(self) -> Place:
        return Place(self.scope, self.country, self.region)

    @property
    def place_label(self) -> str:
        """The country, the region or "International": printed after the name everywhere."""
        return self.place.label

    @property
    def kind_label(self) -> str:
        return OrganizationKind(self.kind).label

    def role_of(self, user) -> MemberRole | None:
        # None: the e-mailed manage link or the portal itself act for no one.
        membership = user.membership_in(self) if user is not None else None
        return MemberRole(membership.role) if membership else None

    def has_role(self, user, role: MemberRole) -> bool:
        held = self.role_of(user)
        return held is not None and held.rank >= role.rank

    def can_view(self, user) -> bool:
        if self.status == VerificationStatus.VERIFIED:
            return True
        return user.is_coordinator or self.role_of(user) is not None

    def can_edit(self, user) -> bool:
        return self.has_role(user, MemberRole.ADMIN) or user.is_admin

    can_manage_members = can_edit

    def can_join(self, user) -> bool:
        """May ask to join: signed in, neither a member nor already waiting for an answer."""
        if not user.can_act:
            return False
        if self.is_rejected:
            return False
        return not any(
            m.organization_id == self.id and m.state != MembershipState.DECLINED
            for m in user.memberships
        )

    def can_verify(self, user) -> bool:
        return user.is_coordinator

    def can_declare_accreditation(self, user) -> bool:
        return self.has_role(user, MemberRole.ADMIN)

    def can_verify_accreditation(self, user) -> bool:
        return user.is_coordinator

    def __repr__(self) -> str:
        return f"<Organization {self.slug}>"


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = enum_column(MemberRole, "role", default=MemberRole.MEMBER)
    state: Mapped[str] = enum_column(MembershipState, "state", default=MembershipState.ACTIVE)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime | None] = updated_at_column()

    user: Mapped["User"] = relationship(back_populates="memberships")
    organization: Mapped[Organization] = relationship(back_populates="memberships")

    @property
    def is_active(self) -> bool:
        return self.state == MembershipState.ACTIVE


class Invitation(Base):
    """An e-mailed invitation to join an organization; the token is stored hashed."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = enum_column(MemberRole, "role", default=MemberRole.MEMBER)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = created_at_column()
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    organization: Mapped[Organization] = relationship()
