"""All models, imported here so Alembic and the app see every table."""

from .accounts import SiteRole, User
from .accreditation import (
    Accreditation,
    AccreditationKind,
    AccreditationState,
    Constituency,
    EcosocStatus,
    OrganizationConstituency,
)
from .artifacts import Artifact, ArtifactKind, ExportJob, JobState
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
from .reminders import ReminderKind, SentReminder
from .requirements import RoundRequirements
from .reviews import ListCorrection, Review, ReviewDecision, Submission
from .rounds import Process, ProgrammeArea, Round, RoundPhase
from .signatures import PublicSignOn, Signature, SignatureSource, SignatureState
from .statements import (
    STATE_ALLOWS,
    Comment,
    DrafterState,
    Revision,
    Statement,
    StatementDrafter,
    StatementState,
)
from .translations import StatementTranslation, TranslationRevision

__all__ = [
    "Accreditation",
    "AccreditationKind",
    "AccreditationState",
    "Constituency",
    "EcosocStatus",
    "OrganizationConstituency",
    "STATE_ALLOWS",
    "Artifact",
    "ArtifactKind",
    "AuditEvent",
    "Comment",
    "DrafterState",
    "ExportJob",
    "Invitation",
    "JobState",
    "ListCorrection",
    "MemberRole",
    "Membership",
    "MembershipState",
    "Organization",
    "OrganizationKind",
    "OutboxMessage",
    "OutboxStatus",
    "Process",
    "ProgrammeArea",
    "PublicSignOn",
    "ReminderKind",
    "Review",
    "ReviewDecision",
    "Revision",
    "Round",
    "RoundRequirements",
    "RoundPhase",
    "SentReminder",
    "Signature",
    "SignatureSource",
    "SignatureState",
    "SiteRole",
    "Statement",
    "StatementDrafter",
    "StatementState",
    "StatementTranslation",
    "Submission",
    "TranslationRevision",
    "User",
    "VerificationStatus",
    "utcnow",
]
