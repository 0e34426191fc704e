"""The round page's list of statements open for signature, each with its public sign-on link,
and for the lead (and coordinators) how many organizations opened a sign-on, confirmed it and
were approved. Three queries whatever the number of statements."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import (
    PublicSignOn,
    Revision,
    Round,
    Signature,
    SignatureState,
    Statement,
    StatementState,
    utcnow,
)
from .signatures import unconfirmed_condition


@dataclass
class Funnel:
    opened: int = 0  # signed, or asked on the public page (each address once)
    confirmed: int = 0  # a signature exists: signed by a member, or the e-mailed link followed
    approved: int = 0


@dataclass
class OpenStatement:
    statement: Statement
    funnel: Funnel | None  # only for the lead's members and coordinators


def funnels(statement_ids: list[int]) -> dict[int, Funnel]:
    if not statement_ids:
        return {}
    found = {sid: Funnel() for sid in statement_ids}
    organizations = func.count(func.distinct(Signature.organization_id))
    rows = db.session.execute(
        select(
            Signature.statement_id,
            organizations,
            organizations.filter(Signature.state == SignatureState.APPROVED),
        )
        .where(Signature.statement_id.in_(statement_ids))
        .group_by(Signature.statement_id)
    )
    for statement_id, confirmed, approved in rows:
        found[statement_id].confirmed = found[statement_id].opened = confirmed
        found[statement_id].approved = approved
    pending = db.session.execute(
        select(PublicSignOn.statement_id, func.count(func.distinct(func.lower(PublicSignOn.email))))
        .where(PublicSignOn.statement_id.in_(statement_ids), unconfirmed_condition())
        .group_by(PublicSignOn.statement_id)
    )
    for statement_id, unconfirmed in pending:
        found[statement_id].opened += unconfirmed
    return found


def open_for_signature(round_: Round, user) -> list[OpenStatement]:
    """Statements of the round taking signatures now, by title."""
    now = utcnow()
    statements = db.session.scalars(
        select(Statement)
        .where(Statement.round_id == round_.id, Statement.state == StatementState.SIGNING)
        .options(
            joinedload(Statement.current_revision).defer(Revision.body),
            joinedload(Statement.lead_organization),
        )
    ).all()
    listed = sorted(
        (s for s in statements if s.effective_signon_deadline > now and s.current_revision),
        key=lambda s: s.title.casefold(),
    )
    coordinator = user.is_coordinator
    shown = [s.id for s in listed if coordinator or s.is_lead_member(user)]
    counts = funnels(shown)
    return [OpenStatement(s, counts.get(s.id)) for s in listed]
