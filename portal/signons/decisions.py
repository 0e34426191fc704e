"""The coordinator's decisions on sign-ons: approve (in bulk), reject with a reason, merge
near-duplicates or keep them apart — each through the transition table (transitions.py).

Bulk approval is set-based: one UPDATE … RETURNING for the signatures and one multi-row INSERT
for their audit events, so approving a thousand sign-ons costs three statements, not three
thousand.
"""

from flask import has_request_context, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select, update

from .. import audit
from ..core.i18n import format_number, value_label
from ..errors import OperationError
from ..extensions import db
from ..mail import queue_message
from ..models import AuditEvent, Round, Signature, SignatureState, Statement, User, utcnow
from ..models.signatures import LIVE_STATES
from . import transitions
from .duplicates import duplicate_ids
from .links import manage_link

REASON_MIN, REASON_MAX = 5, 2000


def _require_coordinator(user: User) -> None:
    if not (user and user.is_coordinator):
        raise OperationError(_("Only coordinators decide on sign-ons."))


def _tell_approved(signatures) -> None:
    """Signers without an account manage their signature by link, and the link they hold was for
    the pending sign-on: send one for the approved signature."""
    for signature in signatures:
        if signature.signer_id is None and signature.contact_email:
            queue_message(
                signature.contact_email,
                "signature_approved",
                _l("Sign-on approved: %(title)s", title=signature.statement.title),
                signature=signature,
                statement=signature.statement,
                manage_link=manage_link(signature),
            )


def approve_many(user: User, round_: Round, signature_ids: list[int]) -> int:
    """Approve the sign-ons among `signature_ids` that the transition table lets a coordinator
    approve and that belong to the round's statements.

    Returns how many were approved; ids already decided, withdrawn, of a statement whose list is
    published or of another round are skipped (the page may be stale), never an error.
    """
    _require_coordinator(user)
    ids = sorted({int(i) for i in signature_ids})
    if not ids:
        raise OperationError(_("Select at least one sign-on to approve."))
    now = utcnow()
    in_round = select(Statement.id).where(Statement.round_id == round_.id)
    approved = db.session.execute(
        update(Signature)
        .where(
            Signature.id.in_(ids),
            Signature.statement_id.in_(in_round),
            *transitions.bulk_conditions("approve"),
        )
        .values(state=SignatureState.APPROVED, decided_at=now, decided_by_id=user.id)
        .returning(Signature.id, Signature.organization_id, Signature.statement_id)
        .execution_options(synchronize_session=False)
    ).all()
    if approved:
        ip = request.remote_addr if has_request_context() else None
        db.session.execute(
            insert(AuditEvent),
            [
                {
                    "created_at": now,
                    "actor_id": user.id,
                    "organization_id": organization_id,
                    "action": transitions.transition("approve").audit_action,
                    "object_type": Signature.__tablename__,
                    "object_id": signature_id,
                    "details": {"statement": statement_id, "bulk": len(approved)},
                    "ip": ip,
                }
                for signature_id, organization_id, statement_id in approved
            ],
        )
        # Objects already in the session must not keep their old state.
        for signature in list(db.session.identity_map.values()):
            if isinstance(signature, Signature):
                db.session.expire(signature)
        _tell_approved(
            db.session.scalars(
                select(Signature).where(
                    Signature.id.in_([row[0] for row in approved]),
                    Signature.signer_id.is_(None),
                    Signature.contact_email.is_not(None),
                )
            )
        )
    db.session.flush()
    return len(approved)


def approve(user: User, signature: Signature) -> Signature:
    transitions.apply(signature, "approve", user)
    _tell_approved([signature])
    db.session.flush()
    return signature


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise OperationError(
            _(
                "Give the organization a reason of %(min)s to %(max)s characters.",
                min=REASON_MIN,
                max=format_number(REASON_MAX),
            ),
            "reason",
        )
    return reason


def reject(user: User, signature: Signature, reason: str) -> Signature:
    """Reject a sign-on (or revoke an approval) while the statement is under way; the
    organization gets the reason. After approval the list changes only by a correction."""
    transitions.check(signature, "reject", user)
    reason = _clean_reason(reason)
    signature.rejection_reason = reason
    transitions.apply(signature, "reject", user, reason=reason)
    if signature.notify_email:
        queue_message(
            signature.notify_email,
            "signature_rejected",
            _l("Sign-on not accepted: %(title)s", title=signature.statement.title),
            signature=signature,
            statement=signature.statement,
            reason=reason,
        )
    db.session.flush()
    return signature


def merge(user: User, duplicate: Signature, keep: Signature) -> Signature:
    """Two sign-ons are the same organization: `duplicate` is closed in favour of `keep`."""
    if duplicate.id == keep.id or duplicate.statement_id != keep.statement_id:
        raise OperationError(_("Choose another sign-on of the same statement to merge with."))
    transitions.check(duplicate, "merge", user)
    if not keep.is_live:
        raise OperationError(
            _(
                "The sign-on of %(name)s is %(state)s; merge into a live one.",
                name=keep.organization.name,
                state=value_label(keep.state),
            )
        )
    duplicate.rejection_reason = f"Merged with the sign-on of {keep.organization.name}."
    duplicate.merged_into_id = keep.id
    if not keep.publish and duplicate.publish:
        keep.publish = True
    transitions.apply(
        duplicate, "merge", user, kept=keep.id, kept_organization=keep.organization_id
    )
    db.session.flush()
    return keep


def keep_apart(user: User, signature: Signature) -> list[int]:
    """The look-alikes are different organizations: stop flagging this group."""
    _require_coordinator(user)
    if not signature.is_live:
        raise OperationError(
            _(
                "This sign-on is %(state)s; it is no longer flagged.",
                state=value_label(signature.state),
            )
        )
    group = [
        signature.id,
        *duplicate_ids([signature.statement_id], [signature.id]).get(signature.id, []),
    ]
    if len(group) == 1:
        raise OperationError(_("This sign-on has no near-duplicates to keep apart."))
    db.session.execute(
        update(Signature)
        .where(Signature.id.in_(group), Signature.state.in_(LIVE_STATES))
        .values(kept_apart=True)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(signature)
    audit.record(
        "signature.keep_apart",
        signature,
        organization=signature.organization,
        actor=user,
        statement=signature.statement_id,
        group=group,
    )
    db.session.flush()
    return group
