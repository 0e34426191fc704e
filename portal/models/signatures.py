"""Sign-ons: an organization's signature on a statement, bound to the revision it signed.

Public sign-ons (without an account) first wait in `public_signons` until the e-mail link is
followed; confirming one creates an unverified Organization and its Signature, so every sign-on
the coordinator sees is a Signature of an Organization.
"""

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Base
from ..places import REGION_MAX, Place, Scope
from . import rules
from .base import UTCDateTime, created_at_column, enum_column, updated_at_column, utcnow

if TYPE_CHECKING:
    from .accounts import User
    from .organizations import Organization
    from .statements import Revision, Statement


class SignatureState(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return str(SIGNATURE_STATE_LABELS[self])


SIGNATURE_STATE_LABELS = {
    SignatureState.PENDING: _l("Pending"),
    SignatureState.APPROVED: _l("Approved"),
    SignatureState.REJECTED: _l("Rejected"),
    SignatureState.WITHDRAWN: _l("Withdrawn"),
}


LIVE_STATES = (SignatureState.PENDING, SignatureState.APPROVED)
_LIVE_SQL = "state IN ('pending', 'approved')"


class SignatureSource(enum.StrEnum):
    MEMBER = "member"  # a signatory of a registered organization signed
    PUBLIC = "public"  # the public form, confirmed by e-mail
    IMPORT = "import"  # a coordinator's CSV import


class Signature(Base):
    __tablename__ = "signatures"
    __table_args__ = (
        # One live signature per statement and organization, whatever the application does:
        # concurrent attempts race here and all but one fail.
        Index(
            "uq_signatures_live",
            "statement_id",
            "organization_id",
            unique=True,
            sqlite_where=text(_LIVE_SQL),
            postgresql_where=text(_LIVE_SQL),
        ),
        Index("ix_signatures_statement_state", "statement_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="CASCADE"))
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    # The person who signed; None for public and imported sign-ons.
    signer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"))
    text_hash: Mapped[str] = mapped_column(String(64))
    # Set when the organization re-confirmed after a substantive change: the text it now backs.
    reconfirmed_revision_id: Mapped[int | None] = mapped_column(ForeignKey("revisions.id"))
    reconfirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    state: Mapped[str] = enum_column(SignatureState, "state", default=SignatureState.PENDING)
    source: Mapped[str] = enum_column(SignatureSource, "source", default=SignatureSource.MEMBER)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime | None] = updated_at_column()
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    contact_name: Mapped[str | None] = mapped_column(String(120))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    # Whether the organization's name may appear in public lists and the PDF.
    publish: Mapped[bool] = mapped_column(Boolean, default=True)
    # Folded name and website domain, stored so near-duplicates are found with one indexed query.
    name_key: Mapped[str] = mapped_column(String(200), default="")
    domain: Mapped[str | None] = mapped_column(String(255))
    # Where the organization worked when it signed (the list shows this snapshot).
    scope: Mapped[str] = enum_column(Scope, "scope", default=Scope.NATIONAL)
    country: Mapped[str] = mapped_column(String(2), default="")
    region: Mapped[str] = mapped_column(String(REGION_MAX), default="")
    # The coordinator looked at the near-duplicates and decided they are different organizations.
    kept_apart: Mapped[bool] = mapped_column(Boolean, default=False)
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("signatures.id", ondelete="SET NULL")
    )

    statement: Mapped["Statement"] = relationship()
    organization: Mapped["Organization"] = relationship()
    signer: Mapped["User | None"] = relationship(foreign_keys=[signer_id])
    decided_by: Mapped["User | None"] = relationship(foreign_keys=[decided_by_id])
    revision: Mapped["Revision"] = relationship(foreign_keys=[revision_id])
    reconfirmed_revision: Mapped["Revision | None"] = relationship(
        foreign_keys=[reconfirmed_revision_id]
    )

    @property
    def state_enum(self) -> SignatureState:
        return SignatureState(self.state)

    @property
    def place(self) -> Place:
        return Place(self.scope, self.country or None, self.region or None)

    @property
    def is_live(self) -> bool:
        return self.state in LIVE_STATES

    @property
    def is_approved(self) -> bool:
        return self.state == SignatureState.APPROVED

    @property
    def backed_revision(self) -> "Revision":
        """The text the organization stands behind: the re-confirmed one, else the signed one."""
        return self.reconfirmed_revision or self.revision

    @property
    def notify_email(self) -> str | None:
        if self.signer is not None:
            return self.signer.email
        return self.contact_email

    # -- who may do what -----------------------------------------------------------------------

    def can_view(self, user) -> bool:
        return user.is_coordinator or self.organization.role_of(user) is not None

    def _permits(self, action: str, user) -> bool:
        # The transition table (portal/signons/transitions.py) is a layer above: models/rules.py.
        return user is not None and rules.ask("signature_permits", self, action, user)

    def can_withdraw(self, user) -> bool:
        return self._permits("withdraw", user)

    def can_reconfirm(self, user) -> bool:
        return self._permits("reconfirm", user)

    def can_decide(self, user) -> bool:
        return user.is_coordinator

    def __repr__(self) -> str:
        return f"<Signature {self.id} s{self.statement_id} o{self.organization_id} {self.state}>"


class PublicSignOn(Base):
    """A sign-on from the public form, waiting for its e-mail link to be followed.

    Kept after confirmation (confirmed_at set, signature_id filled) as the record of who asked.
    """

    __tablename__ = "public_signons"
    __table_args__ = (
        # One waiting request per statement and address: of identical requests racing, the
        # later ones replace the first instead of adding to it (see public.request_signon).
        Index(
            "uq_public_signons_waiting",
            "statement_id",
            "email",
            unique=True,
            sqlite_where=text("confirmed_at IS NULL"),
            postgresql_where=text("confirmed_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"))
    organization_name: Mapped[str] = mapped_column(String(200))
    scope: Mapped[str] = enum_column(Scope, "scope", default=Scope.NATIONAL)
    country: Mapped[str | None] = mapped_column(String(2))
    region: Mapped[str | None] = mapped_column(String(REGION_MAX))
    kind: Mapped[str] = mapped_column(String(20))
    website: Mapped[str | None] = mapped_column(String(300))
    contact_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    publish: Mapped[bool] = mapped_column(Boolean, default=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = created_at_column()
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    signature_id: Mapped[int | None] = mapped_column(
        ForeignKey("signatures.id", ondelete="SET NULL")
    )
    ip: Mapped[str | None] = mapped_column(String(45))
    # The interface language the person asked in: they have no account (no profile language),
    # so every later e-mail to this address — approval, publication — is written in it.
    locale: Mapped[str | None] = mapped_column(String(8))

    statement: Mapped["Statement"] = relationship()
    revision: Mapped["Revision"] = relationship()
    signature: Mapped[Signature | None] = relationship()

    @property
    def place(self) -> Place:
        return Place(self.scope, self.country, self.region)

    @property
    def expired(self) -> bool:
        return utcnow() >= self.expires_at
