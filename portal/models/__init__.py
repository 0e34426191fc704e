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
from .reviews import Review, ReviewDecision, Submission
from .rounds import Process, ProgrammeArea, Round, RoundPhase
from .statements import (
    Comment,
    DrafterState,
    Revision,
    Statement,
    StatementDrafter,
    StatementState,
)

__all__ = [
    "AuditEvent",
    "Comment",
    "DrafterState",
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
    "Review",
    "ReviewDecision",
    "Revision",
    "Round",
    "RoundPhase",
    "SiteRole",
    "Statement",
    "StatementDrafter",
    "StatementState",
    "Submission",
    "User",
    "VerificationStatus",
    "utcnow",
]
