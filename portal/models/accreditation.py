"""What the UN knows an organization as: ECOSOC consultative status (on Organization), the
accreditations it holds in a process and the constituency it belongs to there. Organization
admins declare; coordinators verify or reject (portal/organizations/accreditation.py)."""

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Base
from .base import UTCDateTime, created_at_column, enum_column

if TYPE_CHECKING:
    from .organizations import Organization
    from .rounds import Process


class EcosocStatus(enum.StrEnum):
    GENERAL = "general"
    SPECIAL = "special"
    ROSTER = "roster"
    NONE = "none"

    @property
    def label(self) -> str:
        return str(ECOSOC_LABELS[self])


ECOSOC_LABELS = {
    EcosocStatus.GENERAL: _l("General consultative status"),
    EcosocStatus.SPECIAL: _l("Special consultative status"),
    EcosocStatus.ROSTER: _l("Roster status"),
    EcosocStatus.NONE: _l("No ECOSOC status"),
}


class AccreditationKind(enum.StrEnum):
    ADMITTED_OBSERVER = "admitted_observer"
    ACCREDITED = "accredited"
    REGISTERED = "registered"

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self])


KIND_LABELS = {
    AccreditationKind.ADMITTED_OBSERVER: _l("Admitted observer"),
    AccreditationKind.ACCREDITED: _l("Accredited"),
    AccreditationKind.REGISTERED: _l("Registered stakeholder"),
}


class AccreditationState(enum.StrEnum):
    """Where a declaration stands; declaring again puts it back to DECLARED."""

    UNDECLARED = "undeclared"
    DECLARED = "declared"
    VERIFIED = "verified"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self])


STATE_LABELS = {
    AccreditationState.UNDECLARED: _l("not declared"),
    AccreditationState.DECLARED: _l("declared, not yet verified"),
    AccreditationState.VERIFIED: _l("verified"),
    AccreditationState.REJECTED: _l("not confirmed"),
}


class Accreditation(Base):
    """An accreditation an organization holds in one process (e.g. admitted observer)."""

    __tablename__ = "accreditations"
    __table_args__ = (UniqueConstraint("organization_id", "process_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    process_id: Mapped[int] = mapped_column(
        ForeignKey("processes.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = enum_column(AccreditationKind, "kind")
    state: Mapped[str] = enum_column(
        AccreditationState, "state", default=AccreditationState.DECLARED
    )
    created_at: Mapped[datetime] = created_at_column()
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    organization: Mapped["Organization"] = relationship(back_populates="accreditations")
    process: Mapped["Process"] = relationship()

    @property
    def verified(self) -> bool:
        return self.state == AccreditationState.VERIFIED

    @property
    def kind_label(self) -> str:
        return AccreditationKind(self.kind).label

    @property
    def state_label(self) -> str:
        return AccreditationState(self.state).label


class Constituency(Base):
    """A constituency or major group of a process, from the list its coordinators keep."""

    __tablename__ = "constituencies"
    __table_args__ = (UniqueConstraint("process_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("processes.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = created_at_column()

    process: Mapped["Process"] = relationship()


class OrganizationConstituency(Base):
    """An organization's constituency in a process (at most one per process: the operations
    replace it)."""

    __tablename__ = "organization_constituencies"

    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    )
    constituency_id: Mapped[int] = mapped_column(
        ForeignKey("constituencies.id", ondelete="CASCADE"), primary_key=True, index=True
    )
