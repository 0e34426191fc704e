"""Which organizations still owe a statement an answer: signatures on an earlier text (they
re-confirm or withdraw), public sign-ons never confirmed by e-mail, and sign-ons pending the
coordinators. The desk's counts and the lead's reminder both ask here; which signature is on an
earlier text or pending is the signatory rule's (portal/signons/listing.py, in its SQL form)."""

from dataclasses import dataclass

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import aliased, joinedload

from ..extensions import db
from ..models import PublicSignOn, Signature
from ..models.signatures import LIVE_STATES
from ..signons.listing import with_standing


def unconfirmed_condition():
    """A public sign-on never confirmed, whose address confirmed no other request either."""
    confirmed = aliased(PublicSignOn)
    return and_(
        PublicSignOn.confirmed_at.is_(None),
        ~exists().where(
            confirmed.statement_id == PublicSignOn.statement_id,
            confirmed.confirmed_at.is_not(None),
            func.lower(confirmed.email) == func.lower(PublicSignOn.email),
        ),
    )


@dataclass
class Awaiting:
    pending: int = 0  # on the latest text, waiting for the coordinators: nothing to do
    earlier: int = 0  # live, on an earlier text: re-confirm or withdraw
    unconfirmed: int = 0  # asked on the public page, never followed the e-mailed link

    @property
    def to_remind(self) -> int:
        return self.earlier + self.unconfirmed


def awaiting_counts(statement_ids: list[int]) -> dict[int, Awaiting]:
    """statement id → its Awaiting counts, in two queries whatever the number of statements."""
    if not statement_ids:
        return {}
    query, rule = with_standing(select(Signature.statement_id))
    counts = {sid: Awaiting() for sid in statement_ids}
    rows = db.session.execute(
        query.add_columns(func.count().filter(rule.pending), func.count().filter(rule.earlier_text))
        .where(Signature.statement_id.in_(statement_ids), Signature.state.in_(LIVE_STATES))
        .group_by(Signature.statement_id)
    ).all()
    for statement_id, pending, earlier_count in rows:
        counts[statement_id].pending = pending
        counts[statement_id].earlier = earlier_count
    rows = db.session.execute(
        select(PublicSignOn.statement_id, func.count(func.distinct(func.lower(PublicSignOn.email))))
        .where(PublicSignOn.statement_id.in_(statement_ids), unconfirmed_condition())
        .group_by(PublicSignOn.statement_id)
    ).all()
    for statement_id, unconfirmed in rows:
        counts[statement_id].unconfirmed = unconfirmed
    return counts


def earlier_signatures(statement_id: int) -> list[Signature]:
    """Live signatures of the statement on an earlier text, with their organizations."""
    query, rule = with_standing(select(Signature))
    return list(
        db.session.scalars(
            query.where(Signature.statement_id == statement_id, rule.earlier_text)
            .options(joinedload(Signature.organization), joinedload(Signature.signer))
            .order_by(Signature.id)
        )
    )


def unconfirmed_signons(statement_id: int) -> list[PublicSignOn]:
    """The latest unconfirmed public sign-on of each address that never confirmed one."""
    requests = db.session.scalars(
        select(PublicSignOn)
        .where(PublicSignOn.statement_id == statement_id, unconfirmed_condition())
        .order_by(PublicSignOn.created_at.desc(), PublicSignOn.id.desc())
    )
    latest: dict[str, PublicSignOn] = {}
    for signon in requests:
        latest.setdefault(signon.email.lower(), signon)
    return list(latest.values())
