"""All models, imported here so Alembic and the app see every table."""

from .accounts import SiteRole, User
from .audit import AuditEvent
from .base import utcnow
from .organizations import (
    Invitation,
    MemberRole,
    Membership,
    MembershipState,
    Organization,
    OrganizationKind,
    VerificationStatus,
)
from .outbox import OutboxMessage, OutboxStatus
from .rounds import Process, ProgrammeArea, Round, RoundPhase

__all__ = [
    "AuditEvent",
    "Invitation",
    "MemberRole",
    "Membership",
    "MembershipState",
    "Organization",
    "OrganizationKind",
    "OutboxMessage",
    "OutboxStatus",
    "Process",
    "ProgrammeArea",
    "Round",
    "RoundPhase",
    "SiteRole",
    "User",
    "VerificationStatus",
    "utcnow",
]
