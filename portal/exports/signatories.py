"""The signatory list that goes into the official PDF, from the sign-on records.

Only approved signatures of the approved text (or re-confirmed for it) are listed; signatures
of an earlier text and organizations that asked not to be named are left out, and the PDF says so.
"""

from sqlalchemy import func, select

from ..extensions import db
from ..models import Organization, Revision
from ..models.signatures import Signature, SignatureState
from ..pdf import Signatory
from ..signons.ordering import order_signatories


def latest_substantive_number(statement, up_to: int | None = None) -> int:
    """The number of the last substantive revision (at or before `up_to`)."""
    query = select(func.max(Revision.number)).where(
        Revision.statement_id == statement.id, Revision.substantive.is_(True)
    )
    if up_to is not None:
        query = query.where(Revision.number <= up_to)
    return db.session.scalar(query) or 0


def _approved(statement) -> list[Signature]:
    return list(
        db.session.scalars(
            select(Signature)
            .join(Organization, Organization.id == Signature.organization_id)
            .where(
                Signature.statement_id == statement.id,
                Signature.state == SignatureState.APPROVED,
            )
            .order_by(Organization.name)
        )
    )


def split_signatures(statement, revision=None) -> tuple[list[Signature], list[Signature]]:
    """(current, earlier): approved signatures backing `revision` (default: the current one)
    and those that signed an earlier text and never re-confirmed."""
    revision = revision or statement.current_revision
    latest = latest_substantive_number(statement, revision.number if revision else None)
    current, earlier = [], []
    for signature in _approved(statement):
        (earlier if signature.is_earlier_text(latest) else current).append(signature)
    return current, earlier


def freeze_signatories(statement) -> tuple[list[dict], int]:
    """The list frozen at approval: ([{organization_id, name, country, signature_id}], how many
    approved signatures were left out, for an earlier text or unnamed)."""
    current, earlier = split_signatures(statement)
    listed = [s for s in current if s.publish]
    frozen = [
        {
            "organization_id": s.organization_id,
            "name": s.organization.name,
            "country": s.country,
            "scope": s.scope,
            "region": s.region,
            "signature_id": s.id,
        }
        for s in listed
    ]
    frozen = order_signatories(frozen, statement.signatory_order, key=_signatory)
    return frozen, len(earlier) + (len(current) - len(listed))


def approved_signatories(statement, review=None) -> list[Signatory]:
    """Signatories of the approved text: the frozen list of the approval when there is one,
    else the live list for the current text (drafts and previews)."""
    rows = review.signatories if review is not None else freeze_signatories(statement)[0]
    return order_signatories([_signatory(row) for row in rows or []], statement.signatory_order)


def _signatory(row: dict) -> Signatory:
    # Lists frozen before organizations had a scope hold a country only.
    return Signatory(
        row["name"],
        row.get("country") or "",
        scope=row.get("scope") or "",
        region=row.get("region") or "",
    )


def signatory_note(left_out: int) -> str | None:
    if not left_out:
        return None
    orgs = "organization" if left_out == 1 else "organizations"
    return (
        f"This list includes only organizations that signed this text or re-confirmed their "
        f"signature for it; {left_out} {orgs} that signed an earlier text or asked not to be "
        f"named {'is' if left_out == 1 else 'are'} not listed."
    )


def signatory_contacts(statement) -> list[str]:
    """Addresses of the people behind the statement's live signatures."""
    signatures = db.session.scalars(
        select(Signature).where(
            Signature.statement_id == statement.id,
            Signature.state.in_([SignatureState.PENDING, SignatureState.APPROVED]),
        )
    )
    emails = []
    for signature in signatures:
        email = signature.notify_email
        if email and email not in emails:
            emails.append(email)
    return emails
