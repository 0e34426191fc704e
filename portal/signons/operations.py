"""Signing, withdrawing and re-confirming, and the hook that flags signatures of an earlier text.

Each function checks who acts, the statement's state and the sign-on deadline, makes the change,
records an AuditEvent, queues its e-mails and flushes; the caller commits once. The public form
lives in public.py, the coordinator's decisions in decisions.py.
"""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from .. import audit
from ..errors import OperationError
from ..extensions import db
from ..mail import queue_message
from ..models import (
    MemberRole,
    Organization,
    Revision,
    Signature,
    SignatureSource,
    Statement,
    StatementState,
    User,
    VerificationStatus,
    utcnow,
)
from ..models.signatures import LIVE_STATES
from . import transitions
from .duplicates import fold_name, website_domain
from .links import manage_link
from .listing import Standing, latest_substantive_number, standing
from .transitions import deadline_text


class AlreadySigned(OperationError):
    def __init__(self, organization_name: str):
        super().__init__(f"{organization_name} has already signed this statement.", "organization")


# -- checks --------------------------------------------------------------------------------------


def require_signing_open(statement: Statement) -> None:
    """New signatures: only while the statement is in signing and before its sign-on deadline."""
    if statement.state == StatementState.DRAFT:
        raise OperationError(
            gettext("This statement is still a draft; it is not open for signatures.")
        )
    if statement.state == StatementState.WITHDRAWN:
        raise OperationError(
            gettext("This statement was withdrawn; it no longer takes signatures.")
        )
    if not statement.allows("sign"):
        label = StatementState(statement.state).label.lower()
        raise OperationError(
            gettext("This statement is %(label)s; sign-on is closed.", label=label)
        )
    if utcnow() >= statement.effective_signon_deadline:
        raise OperationError(
            gettext(
                "The sign-on deadline passed on %(deadline_text)s.",
                deadline_text=deadline_text(statement),
            )
        )
    if statement.current_revision_id is None:
        raise OperationError(gettext("This statement has no text to sign yet."))


def require_current_revision(statement: Statement, revision_id) -> Revision:
    """The signer must have seen exactly the text being signed."""
    current = statement.current_revision
    try:
        revision_id = int(revision_id)
    except (TypeError, ValueError):
        revision_id = None
    if current is None or revision_id != current.id:
        raise OperationError(
            gettext(
                "The text changed while you were reading it; read revision %(value)s below "
                "and confirm again.",
                value=current.number if current else "?",
            ),
            "revision_id",
        )
    return current


def live_signature(statement: Statement, organization: Organization) -> Signature | None:
    return db.session.scalar(
        select(Signature).where(
            Signature.statement_id == statement.id,
            Signature.organization_id == organization.id,
            Signature.state.in_(LIVE_STATES),
        )
    )


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


def check_signer(user: User, organization: Organization) -> None:
    """Only a signatory of an organization the coordinators did not reject signs for it."""
    if not organization.has_role(user, MemberRole.SIGNATORY):
        raise OperationError(
            gettext(
                "Only people with the signatory role can sign for %(name)s.", name=organization.name
            ),
            "organization",
        )
    if organization.status == VerificationStatus.REJECTED:
        raise OperationError(
            gettext(
                "%(name)s was not accepted by the coordinators and cannot sign.",
                name=organization.name,
            ),
            "organization",
        )


def _member_signature(user, statement, organization, revision) -> Signature:
    return new_signature(
        statement,
        organization,
        revision,
        signer=user,
        source=SignatureSource.MEMBER,
        contact_name=user.name,
        contact_email=user.email,
    )


def _signed(user, statement, organization, signature, revision) -> None:
    """What follows a signature: its audit event, approval where the round trusts verified
    organizations, and the signer's receipt."""
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
        _l("Signed: %(title)s", title=statement.title),
        signature=signature,
        statement=statement,
        manage_link=manage_link(signature),
    )


def sign(user: User, statement: Statement, organization: Organization, revision_id) -> Signature:
    """A signatory signs the revision they read on the organization's behalf."""
    check_signer(user, organization)
    require_signing_open(statement)
    revision = require_current_revision(statement, revision_id)
    if live_signature(statement, organization) is not None:
        raise AlreadySigned(organization.name)
    signature = insert_signature(_member_signature(user, statement, organization, revision))
    _signed(user, statement, organization, signature, revision)
    db.session.flush()
    return signature


def sign_many(statement: Statement, signers, revision_id) -> list[Signature]:
    """Many (user, organization) pairs sign at once, each checked as by `sign`, written in one
    flush instead of one savepoint each (the load-test data: `portal generate-load-data`).
    A refusal raises before anything is flushed; the partial unique index still stands behind
    the duplicate check."""
    require_signing_open(statement)
    revision = require_current_revision(statement, revision_id)
    signed = set(
        db.session.scalars(
            select(Signature.organization_id).where(
                Signature.statement_id == statement.id, Signature.state.in_(LIVE_STATES)
            )
        )
    )
    signatures = []
    for user, organization in signers:
        check_signer(user, organization)
        if organization.id in signed:
            raise AlreadySigned(organization.name)
        signed.add(organization.id)
        signatures.append(_member_signature(user, statement, organization, revision))
    db.session.add_all(signatures)
    db.session.flush()
    for (user, organization), signature in zip(signers, signatures, strict=True):
        _signed(user, statement, organization, signature, revision)
    db.session.flush()
    return signatures


def auto_approve(signature: Signature) -> bool:
    """Rounds that trust their verified organizations approve their sign-ons at once: the
    portal approves (the audit event names no person), through the same transition."""
    round_ = signature.statement.round
    if not (round_.auto_approve_verified and signature.organization.verified):
        return False
    transitions.apply(signature, "approve", audit.SYSTEM, automatic=True)
    return True


# -- withdrawing and re-confirming ---------------------------------------------------------------


def withdraw(user: User | None, signature: Signature) -> Signature:
    """`user` None: whoever holds the e-mailed manage link (links.py checked it)."""
    transitions.apply(signature, "withdraw", user)
    db.session.flush()
    return signature


def reconfirm(user: User | None, signature: Signature) -> Signature:
    """The organization stands behind the current text after a substantive change."""
    statement = signature.statement
    transitions.check(signature, "reconfirm", user)
    current = statement.current_revision
    assert current is not None  # a statement open to signatures has its text
    if standing(signature, latest_substantive_number(statement.id)) != Standing.EARLIER_TEXT:
        raise OperationError(gettext("The signature already backs the current text."))
    signature.reconfirmed_revision = current
    signature.reconfirmed_at = utcnow()
    transitions.apply(
        signature, "reconfirm", user, revision=current.number, text_hash=current.text_hash
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
    earlier = [s for s in signatures if standing(s, revision.number) == Standing.EARLIER_TEXT]
    if not earlier:
        return 0
    for signature in earlier:
        recipient = signature.notify_email
        if recipient:
            queue_message(
                recipient,
                "signature_earlier_text",
                _l("The text you signed has changed: %(title)s", title=revision.title),
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


def on_revision_created(statement, revision=None, substantive=False, **_):
    """Receiver of events.revision_created (connected by create_app)."""
    if substantive and revision is not None and statement.state != StatementState.DRAFT:
        on_substantive_revision(statement, revision)
