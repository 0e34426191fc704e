"""Correcting a published signatory list: the one way a list changes after approval.

An organization asks to be taken off, or a sign-on turns out to be false: a coordinator takes
organizations off the published list with a reason. That is a new version of the list (a
ListCorrection; version 1 is the approval's), each removed signature goes approved → rejected
through the transition table ("remove"), the statement gets an audit event, each removed
organization is told why, and the official PDF is compiled anew — the PDF of the list before is
kept and stays downloadable from the published page.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import audit
from ..core.i18n import format_number
from ..errors import OperationError
from ..extensions import db
from ..mail import queue_message
from ..models import Artifact, ListCorrection, Review, Signature, SignatureState, Statement, User
from ..signons import listing, transitions
from ..signons.decisions import REASON_MAX, REASON_MIN
from ..signons.notices import public_link
from . import artifacts
from .official import official_key
from .prepared import prepare


def history(review) -> list[ListCorrection]:
    return list(
        db.session.scalars(
            select(ListCorrection)
            .where(ListCorrection.review_id == review.id)
            .order_by(ListCorrection.version)
        )
    )


def correct_published_list(
    user: User, statement: Statement, signature_ids, reason: str
) -> ListCorrection:
    """Take the signatures `signature_ids` off the statement's published list, for `reason`."""
    if not (user and user.is_coordinator):
        raise OperationError(_("Only coordinators correct a published signatory list."))
    review = listing.approval(statement)
    if review is None:
        raise OperationError(
            _(
                "Only the list of an approved statement is corrected; before approval, reject the "
                "sign-on instead."
            )
        )
    reason = " ".join((reason or "").split())
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise OperationError(
            _(
                "Give a reason of %(min)s to %(max)s characters: it is published with "
                "the list and e-mailed to the organizations taken off.",
                min=REASON_MIN,
                max=format_number(REASON_MAX),
            ),
            "reason",
        )
    rows = listing.published_rows(review)
    listed = {row["signature_id"]: row for row in rows}
    try:
        ids = {int(i) for i in signature_ids or []}
    except (TypeError, ValueError):
        ids = set()
    if not ids:
        raise OperationError(_("Choose at least one organization to take off the list."), "remove")
    if not ids <= set(listed):
        raise OperationError(
            _("Only organizations on the published list can be taken off."), "remove"
        )
    previous = artifacts.find(official_key(statement, review))
    signatures = db.session.scalars(
        select(Signature).where(Signature.id.in_(ids), Signature.statement_id == statement.id)
    ).all()
    for signature in signatures:
        # A signature rejected before corrections existed is on the list all the same: it only
        # leaves the list.
        if signature.state == SignatureState.APPROVED:
            signature.rejection_reason = reason
            transitions.apply(signature, "remove", user, reason=reason)
    correction = ListCorrection(
        statement_id=statement.id,
        review=review,
        version=listing.list_version(review) + 1,
        signatories=[row for row in rows if row["signature_id"] not in ids],
        removed=[{"signature_id": i, "name": listed[i]["name"]} for i in sorted(ids)],
        reason=reason,
        actor_id=user.id,
        previous_artifact_id=previous.id if previous is not None else None,
    )
    db.session.add(correction)
    review.show_list(correction.signatories)
    db.session.flush()
    audit.record(
        "statement.signatories_corrected",
        statement,
        organization=statement.lead_organization,
        actor=user,
        version=correction.version,
        reason=reason,
        removed=[row["name"] for row in correction.removed],
        previous_pdf=previous.key if previous is not None else None,
    )
    _tell_removed(statement, signatures, reason)
    db.session.flush()
    # The files of the corrected list, so that the published page serves them at once.
    compile_corrected(statement, review)
    return correction


def _tell_removed(statement: Statement, signatures, reason: str) -> None:
    link = public_link(statement)
    for signature in signatures:
        if signature.notify_email:
            queue_message(
                signature.notify_email,
                "signature_removed",
                _l("Taken off the signatory list: %(title)s", title=statement.title),
                signature=signature,
                statement=statement,
                reason=reason,
                link=link,
            )


def compile_corrected(statement: Statement, review: Review) -> None:
    """The files of the corrected list (after the correction is flushed): see
    exports/prepared.py."""
    prepare(statement, review)


def earlier_artifact(statement: Statement, version: int) -> Artifact | None:
    """The official PDF of list version `version`, kept when a correction replaced it."""
    correction = db.session.scalar(
        select(ListCorrection).where(
            ListCorrection.statement_id == statement.id, ListCorrection.version == version + 1
        )
    )
    if correction is None or correction.previous_artifact_id is None:
        return None
    return db.session.get(Artifact, correction.previous_artifact_id)
