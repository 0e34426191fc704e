"""Signing, withdrawing and re-confirming, and the hook that flags signatures of an earlier text.

Each function checks who acts, the statement's state and the sign-on deadline, makes the change,
records an AuditEvent, queues its e-mails and flushes; the caller commits once. The public form
lives in public.py, the coordinator's decisions in review.py.
"""

from flask import current_app, has_request_context, url_for
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from .. import audit
from ..core.template_helpers import format_datetime
from ..errors import OperationError
from ..extensions import db
from ..mail import queue_message
from ..models import (
    MemberRole,
    Organization,
    Revision,
    Signature,
    SignatureSource,
    SignatureState,
    Statement,
    StatementState,
    User,
    VerificationStatus,
    utcnow,
)
from ..models.signatures import LIVE_STATES
from ..statements.operations import revision_created
from .duplicates import fold_name, website_domain

# A signature can be withdrawn or re-confirmed while the statement is still under way.
UNDER_WAY = frozenset(
    {StatementState.SIGNING, StatementState.SUBMITTED, StatementState.CHANGES_REQUESTED}
)
MANAGE_SALT = "portal.signature-manage"


class AlreadySigned(OperationError):
    def __init__(self, organization_name: str):
        super().__init__(f"{organization_name} has already signed this statement.", "organization")


# -- checks --------------------------------------------------------------------------------------


def deadline_text(statement: Statement) -> str:
    tz = statement.round.timezone
    return f"{format_datetime(statement.effective_signon_deadline, tz)} ({tz})"


def require_signing_open(statement: Statement) -> None:
    """New signatures: only while the statement is in signing and before its sign-on deadline."""
    if statement.state == StatementState.DRAFT:
        raise OperationError("This statement is still a draft; it is not open for signatures.")
    if statement.state == StatementState.WITHDRAWN:
        raise OperationError("This statement was withdrawn; it no longer takes signatures.")
    if statement.state != StatementState.SIGNING:
        label = StatementState(statement.state).label.lower()
        raise OperationError(f"This statement is {label}; sign-on is closed.")
    if utcnow() >= statement.effective_signon_deadline:
        raise OperationError(f"The sign-on deadline passed on {deadline_text(statement)}.")
    if statement.current_revision_id is None:
        raise OperationError("This statement has no text to sign yet.")


def require_under_way(statement: Statement, what: str) -> None:
    if statement.state not in UNDER_WAY:
        label = StatementState(statement.state).label.lower()
        raise OperationError(f"The statement is {label}; signatures can no longer be {what}.")
    if utcnow() >= statement.effective_signon_deadline:
        raise OperationError(
            f"The sign-on deadline passed on {deadline_text(statement)}; "
            f"signatures can no longer be {what}."
        )


def require_current_revision(statement: Statement, revision_id) -> Revision:
    """The signer must have seen exactly the text being signed."""
    current = statement.current_revision
    try:
        revision_id = int(revision_id)
    except (TypeError, ValueError):
        revision_id = None
    if current is None or revision_id != current.id:
        raise OperationError(
            f"The text changed while you were reading it; read revision "
            f"{current.number if current else '?'} below and confirm again.",
            "revision_id",
        )
    return current


def latest_substantive_number(statement_id: int) -> int:
    return (
        db.session.scalar(
            select(func.max(Revision.number)).where(
                Revision.statement_id == statement_id, Revision.substantive.is_(True)
            )
        )
        or 0
    )


def live_signature(statement: Statement, organization: Organization) -> Signature | None:
    return db.session.scalar(
        select(Signature).where(
            Signature.statement_id == statement.id,
            Signature.organization_id == organization.id,
            Signature.state.in_(LIVE_STATES),
        )
    )


# -- manage links (for people without an account) ---------------------------------------------


def manage_token(signature: Signature) -> str:
    """A signed, stateless token naming the signature: the link in e-mails to public signers."""
    serializer = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=MANAGE_SALT)
    return serializer.dumps(signature.id)


def signature_from_token(token: str) -> Signature | None:
    serializer = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=MANAGE_SALT)
    try:
        signature_id = serializer.loads(token)
    except BadSignature:
        return None
    if not isinstance(signature_id, int):
        return None
    return db.session.get(Signature, signature_id)


def manage_link(signature: Signature) -> str | None:
    if not has_request_context():
        return None
    return url_for("signons.manage", token=manage_token(signature), _external=True)


# -- signing -------------------------------------------------------------------------------------


def insert_signature(signature: Signature) -> Signature:
    """Insert in a savepoint: the partial unique index decides between concurrent attempts."""
    try:
        with db.session.begin_nested():
            db.session.add(signature)
            db.session.flush()
    except IntegrityError:
        raise AlreadySigned(signature.organization.name) from None
    return signature


def new_signature(statement, organization, revision, **fields) -> Signature:
    return Signature(
        statement=statement,
        organization=organization,
        revision=revision,
        text_hash=revision.text_hash,
        name_key=fold_name(organization.name),
        domain=website_domain(organization.website),
        scope=organization.scope,
        country=organization.country or "",
        region=organization.region or "",
        **fields,
    )


def sign(user: User, statement: Statement, organization: Organization, revision_id) -> Signature:
    """A signatory signs the revision they read on the organization's behalf."""
    if not organization.has_role(user, MemberRole.SIGNATORY):
        raise OperationError(
            f"Only people with the signatory role can sign for {organization.name}.",
            "organization",
        )
    if organization.status == VerificationStatus.REJECTED:
        raise OperationError(
            f"{organization.name} was not accepted by the coordinators and cannot sign.",
            "organization",
        )
    require_signing_open(statement)
    revision = require_current_revision(statement, revision_id)
    if live_signature(statement, organization) is not None:
        raise AlreadySigned(organization.name)
    signature = insert_signature(
        new_signature(
            statement,
            organization,
            revision,
            signer=user,
            source=SignatureSource.MEMBER,
            contact_name=user.name,
            contact_email=user.email,
        )
    )
    audit.record(
        "signature.sign",
        signature,
        organization=organization,
        actor=user,
        statement=statement.id,
        revision=revision.number,
        text_hash=revision.text_hash,
    )
    auto_approve(signature)
    queue_message(
        user.email,
        "signature_received",
        f"Signed: {statement.title}",
        signature=signature,
        statement=statement,
        manage_link=manage_link(signature),
    )
    db.session.flush()
    return signature


def auto_approve(signature: Signature) -> bool:
    """Rounds that trust their verified organizations approve their sign-ons at once."""
    round_ = signature.statement.round
    if not (round_.auto_approve_verified and signature.organization.verified):
        return False
    signature.state = SignatureState.APPROVED
    signature.decided_at = utcnow()
    audit.record(
        "signature.approve",
        signature,
        organization=signature.organization,
        statement=signature.statement_id,
        automatic=True,
    )
    return True


# -- withdrawing and re-confirming ---------------------------------------------------------------


def _require_actor(user: User | None, signature: Signature, verb: str) -> None:
    """A signed-in person must hold the signatory role; None means the e-mailed manage link."""
    if user is not None and not getattr(signature, f"can_{verb}")(user):
        raise OperationError(
            f"Only signatories of {signature.organization.name} can {verb} its signature."
        )


def withdraw(user: User | None, signature: Signature) -> Signature:
    _require_actor(user, signature, "withdraw")
    if not signature.is_live:
        raise OperationError(f"This signature is already {signature.state}.")
    require_under_way(signature.statement, "withdrawn")
    signature.state = SignatureState.WITHDRAWN
    signature.withdrawn_at = utcnow()
    audit.record(
        "signature.withdraw",
        signature,
        organization=signature.organization,
        actor=user,
        statement=signature.statement_id,
        via="link" if user is None else "account",
    )
    db.session.flush()
    return signature


def reconfirm(user: User | None, signature: Signature) -> Signature:
    """The organization stands behind the current text after a substantive change."""
    _require_actor(user, signature, "reconfirm")
    if not signature.is_live:
        raise OperationError(f"This signature is {signature.state}; there is nothing to confirm.")
    statement = signature.statement
    require_under_way(statement, "re-confirmed")
    current = statement.current_revision
    if not signature.is_earlier_text(latest_substantive_number(statement.id)):
        raise OperationError("The signature already backs the current text.")
    signature.reconfirmed_revision = current
    signature.reconfirmed_at = utcnow()
    audit.record(
        "signature.reconfirm",
        signature,
        organization=signature.organization,
        actor=user,
        statement=statement.id,
        revision=current.number,
        text_hash=current.text_hash,
    )
    db.session.flush()
    return signature


# -- the text changed after signing --------------------------------------------------------------


def on_substantive_revision(statement: Statement, revision: Revision) -> int:
    """Tell every live signatory of an earlier text: the e-mail links to the diff, where they
    re-confirm or withdraw. The flag itself is derived (backed revision older than the latest
    substantive one), so nothing is updated here. Returns the number of signatures concerned."""
    signatures = db.session.scalars(
        select(Signature)
        .where(
            Signature.statement_id == statement.id,
            Signature.state.in_(LIVE_STATES),
            Signature.revision_id != revision.id,
        )
        .options(
            joinedload(Signature.organization),
            joinedload(Signature.signer),
            joinedload(Signature.revision),
            joinedload(Signature.reconfirmed_revision),
        )
        .order_by(Signature.id)
    ).all()
    earlier = [s for s in signatures if s.backed_revision.number < revision.number]
    if not earlier:
        return 0
    for signature in earlier:
        recipient = signature.notify_email
        if recipient:
            queue_message(
                recipient,
                "signature_earlier_text",
                f"The text you signed has changed: {revision.title}",
                signature=signature,
                statement=statement,
                revision=revision,
                manage_link=manage_link(signature),
            )
    audit.record(
        "signature.earlier_text",
        statement,
        organization=statement.lead_organization,
        revision=revision.number,
        signatures=[s.id for s in earlier],
    )
    db.session.flush()
    return len(earlier)


@revision_created.connect
def _on_revision_created(statement, revision=None, substantive=False, **_):
    if substantive and revision is not None and statement.state != StatementState.DRAFT:
        on_substantive_revision(statement, revision)
