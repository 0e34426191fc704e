"""Loading sign-ons for the pages in a fixed number of queries, whatever their number (which of
them are listed is listing.py's rule)."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..models import (
    MemberRole,
    Organization,
    Revision,
    Signature,
    SignatureState,
    Statement,
    StatementState,
)
from ..places import m49_region as region_of  # noqa: F401 (the UN M49 region, for callers)
from . import operations, summary
from .duplicates import duplicate_ids
from .listing import Entry, with_standing
from .summary import Breakdown

PAGE_SIZE = 50


def breakdown(signatures: list[Signature]) -> Breakdown:
    """The counts by place, region and kind of these (listed) signatures."""
    entries = [Entry.from_signature(s) for s in signatures]
    return summary.breakdown(entries, {s.organization_id: s.organization.kind for s in signatures})


def own_signatures(statement: Statement, user) -> list[Signature]:
    """Live signatures of the organizations this person belongs to (to withdraw or re-confirm)."""
    org_ids = [m.organization_id for m in user.active_memberships()]
    if not org_ids:
        return []
    return list(
        db.session.scalars(
            select(Signature)
            .where(
                Signature.statement_id == statement.id,
                Signature.organization_id.in_(org_ids),
                Signature.state.in_((SignatureState.PENDING, SignatureState.APPROVED)),
            )
            .options(
                joinedload(Signature.organization),
                joinedload(Signature.revision),
                joinedload(Signature.reconfirmed_revision),
            )
        )
    )


# -- the coordinator's queue ---------------------------------------------------------------------


@dataclass
class QueueFilters:
    statement_id: int | None = None
    state: str | None = SignatureState.PENDING.value
    country: str | None = None
    kind: str | None = None

    @property
    def only_pending(self) -> bool:
        return self.state == SignatureState.PENDING


@dataclass
class QueuePage:
    items: list
    total: int
    page: int
    pages: int
    duplicates: dict
    earlier: set


def queue_selection(round_, filters: QueueFilters):
    """The round's sign-ons matching the filters (a SELECT of Signature): the queue's pages and
    the coordinator's "approve all matching" read the same rows."""
    conditions = [Statement.round_id == round_.id]
    if filters.statement_id:
        conditions.append(Signature.statement_id == filters.statement_id)
    if filters.state:
        conditions.append(Signature.state == filters.state)
    if filters.country:
        conditions.append(Signature.country == filters.country)
    if filters.kind:
        conditions.append(Organization.kind == filters.kind)
    return (
        select(Signature)
        .join(Statement, Statement.id == Signature.statement_id)
        .join(Organization, Organization.id == Signature.organization_id)
        .where(*conditions)
    )


def matching_ids(round_, filters: QueueFilters) -> list[int]:
    return list(
        db.session.scalars(
            queue_selection(round_, filters).with_only_columns(Signature.id).order_by(Signature.id)
        )
    )


def queue(round_, filters: QueueFilters, page: int = 1, per_page: int = PAGE_SIZE) -> QueuePage:
    """One page of the round's sign-ons: a count, the rows with everything they show, and the
    near-duplicates of those rows — three queries for 20 or 5,000 sign-ons."""
    base = queue_selection(round_, filters)
    total = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    query, rule = with_standing(base)
    rows = db.session.execute(
        query.add_columns(
            rule.earlier_text.label("earlier"), Revision.title.label("statement_title")
        )
        .outerjoin(Revision, Revision.id == Statement.current_revision_id)
        .options(
            joinedload(Signature.organization).options(
                # The accreditation each row shows: two queries for the page, not two a row.
                selectinload(Organization.constituencies),
                selectinload(Organization.accreditations),
            ),
            joinedload(Signature.signer),
            joinedload(Signature.revision),
            joinedload(Signature.reconfirmed_revision),
            joinedload(Signature.statement),
        )
        .order_by(Signature.created_at.desc(), Signature.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    items = [(row[0], row.statement_title) for row in rows]
    earlier = {row[0].id for row in rows if row.earlier}
    ids = [s.id for s, _ in items]
    statement_ids = sorted({s.statement_id for s, _ in items})
    return QueuePage(
        items=items,
        total=total,
        page=page,
        pages=pages,
        duplicates=duplicate_ids(statement_ids, ids),
        earlier=earlier,
    )


def round_statement_choices(round_) -> list[tuple[int, str]]:
    """Statements of the round that are or were open for signatures, for the filter."""
    rows = db.session.execute(
        select(Statement.id, Revision.title)
        .join(Revision, Revision.id == Statement.current_revision_id)
        .where(Statement.round_id == round_.id, Statement.state != "draft")
        .order_by(Revision.title)
    ).all()
    return [(sid, title) for sid, title in rows]


def can_export(statement: Statement, user) -> bool:
    """Every field (contacts included) is for the drafting organizations and coordinators."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_coordinator or statement.is_drafter(user)


def can_sign_somewhere(user, signed=frozenset()) -> bool:
    """Whether the person signs for an organization not among `signed` (ids that already signed):
    the "Sign this statement" button leads nowhere once all of them have."""
    return bool(
        user
        and user.is_authenticated
        and any(
            MemberRole(m.role).rank >= MemberRole.SIGNATORY.rank and m.organization_id not in signed
            for m in user.active_memberships()
        )
    )


def signature_panel(statement: Statement, user) -> dict:
    """What the statement page shows about sign-ons, in a fixed number of queries: the counts,
    the person's own signatures, and the list itself when it is short (summary.PANEL_LIMIT)."""
    if statement.state == StatementState.DRAFT:
        return {"visible": False, "can_open": statement.is_lead_member(user)}
    listed = summary.kept_summary(statement, entries=summary.PANEL_LIMIT)
    signing_open = True
    try:
        operations.require_signing_open(statement)
    except Exception:  # noqa: BLE001  (the panel only needs to know whether signing is open)
        signing_open = False
    own = own_signatures(statement, user)
    signed = {s.organization_id for s in own}
    return {
        "visible": True,
        "can_open": False,
        "counts": listed.counts,
        # None when the list is longer than the page shows: the signatories page has it.
        "signatories": listed.entries,
        "standing": listed.standing_of,
        "own": own,
        "signing_open": signing_open,
        "can_sign": signing_open and can_sign_somewhere(user, signed),
        "can_export": can_export(statement, user),
        "deadline": statement.effective_signon_deadline,
    }
