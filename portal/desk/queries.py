"""What the desk and the navigation badges count, in a fixed number of queries: every count is
grouped in SQL (by round, by organization), never gathered row by row, so a round of 200
statements and 1,500 organizations costs what a round of three does."""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import g
from sqlalchemy import and_, exists, func, or_, select, union
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import aliased, joinedload

from ..core.fragments import remember
from ..core.versions import data_version
from ..extensions import db
from ..models import (
    DrafterState,
    MemberRole,
    Membership,
    MembershipState,
    Organization,
    OutboxMessage,
    OutboxStatus,
    Revision,
    Round,
    Signature,
    SignatureState,
    Statement,
    StatementDrafter,
    StatementState,
    VerificationStatus,
    utcnow,
)
from ..models.signatures import LIVE_STATES
from ..signons.duplicates import near_duplicate
from ..signons.listing import with_standing
from .signatures import Awaiting, awaiting_counts

log = logging.getLogger(__name__)
DEADLINE_HORIZON = timedelta(hours=72)
# A failed e-mail stays failed; the desk shows the recent ones, which someone can still act on.
FAILED_MAIL_WINDOW = timedelta(days=7)
# Signatures may still be withdrawn or re-confirmed, and the lead may still chase them.
UNDER_WAY = (StatementState.SIGNING, StatementState.SUBMITTED, StatementState.CHANGES_REQUESTED)
LISTED = 50


def current_rounds(now: datetime):
    """Rounds with work in them: opened, and not past both deadlines and the meeting (statements
    are reviewed after the submission deadline, until the delegations meet)."""
    return and_(
        Round.opens_at <= now,
        or_(
            Round.submission_deadline > now,
            Round.signon_deadline > now,
            Round.meeting_end >= now.date(),
        ),
    )


def _has_near_duplicate():
    other = aliased(Signature)
    return exists().where(near_duplicate(Signature, other))


# -- the coordinator's desk ------------------------------------------------------------------


@dataclass
class RoundWork:
    round: Round
    organizations_to_verify: int = 0
    signons_pending: int = 0
    possible_duplicates: int = 0
    submitted: int = 0
    statements_closing: int = 0  # statements whose own, earlier sign-on deadline is near
    deadlines: list[tuple[str, datetime]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.organizations_to_verify + self.signons_pending + self.submitted


@dataclass
class CoordinatorDesk:
    rounds: list[RoundWork]
    organizations_to_verify: int
    failed_emails: int


def _deadlines(round_: Round, now: datetime) -> list[tuple[str, datetime]]:
    found = [
        ("Sign-on deadline", round_.signon_deadline),
        ("Submission deadline", round_.submission_deadline),
    ]
    return sorted(
        ((label, when) for label, when in found if now <= when < now + DEADLINE_HORIZON),
        key=lambda pair: pair[1],
    )


def coordinator_desk(now: datetime | None = None) -> CoordinatorDesk:
    """Per current round: organizations to verify, sign-ons pending (and how many look like
    duplicates), submissions waiting, deadlines in the next 72 hours. Five queries."""
    now = now or utcnow()
    rounds = db.session.scalars(
        select(Round)
        .where(current_rounds(now))
        .options(joinedload(Round.process))
        .order_by(Round.submission_deadline, Round.id)
    ).all()
    work = {r.id: RoundWork(r, deadlines=_deadlines(r, now)) for r in rounds}
    if work:
        _count_signons(work)
        _count_statements(work, now)
        _count_organizations(work)
    totals = db.session.execute(
        select(_pending_organizations().label("verify"), _failed_emails(now).label("failed"))
    ).one()
    return CoordinatorDesk(list(work.values()), totals.verify, totals.failed)


def _count_signons(work: dict[int, RoundWork]) -> None:
    pending = Signature.state == SignatureState.PENDING
    rows = db.session.execute(
        select(
            Statement.round_id,
            func.count(),
            func.count().filter(_has_near_duplicate()),
        )
        .select_from(Signature)
        .join(Statement, Statement.id == Signature.statement_id)
        .where(Statement.round_id.in_(work), pending)
        .group_by(Statement.round_id)
    )
    for round_id, count, duplicates in rows:
        work[round_id].signons_pending = count
        work[round_id].possible_duplicates = duplicates


def _count_statements(work: dict[int, RoundWork], now: datetime) -> None:
    own_deadline_soon = and_(
        Statement.state == StatementState.SIGNING,
        Statement.signon_deadline >= now,
        Statement.signon_deadline < now + DEADLINE_HORIZON,
        Statement.signon_deadline < Round.signon_deadline,
    )
    rows = db.session.execute(
        select(
            Statement.round_id,
            func.count().filter(Statement.state == StatementState.SUBMITTED),
            func.count().filter(own_deadline_soon),
        )
        .join(Round, Round.id == Statement.round_id)
        .where(Statement.round_id.in_(work))
        .group_by(Statement.round_id)
    )
    for round_id, submitted, closing in rows:
        work[round_id].submitted = submitted
        work[round_id].statements_closing = closing


def _count_organizations(work: dict[int, RoundWork]) -> None:
    """Unverified organizations that sign or lead a statement of the round."""
    parties = union(
        select(Statement.round_id, Signature.organization_id.label("organization_id"))
        .join(Statement, Statement.id == Signature.statement_id)
        .where(Signature.state.in_(LIVE_STATES), Statement.round_id.in_(work)),
        select(Statement.round_id, Statement.lead_organization_id.label("organization_id")).where(
            Statement.round_id.in_(work)
        ),
    ).subquery()
    rows = db.session.execute(
        select(parties.c.round_id, func.count(func.distinct(parties.c.organization_id)))
        .join(Organization, Organization.id == parties.c.organization_id)
        .where(Organization.status == VerificationStatus.PENDING)
        .group_by(parties.c.round_id)
    )
    for round_id, count in rows:
        work[round_id].organizations_to_verify = count


def _pending_organizations():
    return (
        select(func.count(Organization.id))
        .where(Organization.status == VerificationStatus.PENDING)
        .scalar_subquery()
    )


def _failed_emails(now: datetime):
    return (
        select(func.count(OutboxMessage.id))
        .where(
            OutboxMessage.status == OutboxStatus.FAILED,
            OutboxMessage.created_at >= now - FAILED_MAIL_WINDOW,
        )
        .scalar_subquery()
    )


# -- an organization admin's and a lead's desk -----------------------------------------------


def _organization_ids(user, lowest: MemberRole):
    roles = [role.value for role in MemberRole if role.rank >= lowest.rank]
    return select(Membership.organization_id).where(
        Membership.user_id == user.id,
        Membership.state == MembershipState.ACTIVE,
        Membership.role.in_(roles),
    )


@dataclass
class JoinRequests:
    slug: str
    name: str
    count: int


@dataclass
class EarlierSignature:
    signature_id: int
    statement_id: int
    title: str
    organization: str


@dataclass
class LedStatement:
    statement_id: int
    title: str
    state: str
    awaiting: Awaiting


@dataclass
class MemberDesk:
    join_requests: list[JoinRequests]
    invitations: int
    earlier: list[EarlierSignature]
    led: list[LedStatement]

    @property
    def empty(self) -> bool:
        return not (self.join_requests or self.invitations or self.earlier or self.led)


def member_desk(user) -> MemberDesk:
    """Join requests and co-drafting invitations for the organizations the person administers,
    their organizations' signatures on an earlier text, and the statements they lead with the
    organizations still to answer. Six queries."""
    admin_of = _organization_ids(user, MemberRole.ADMIN)
    requests = db.session.execute(
        select(Organization.slug, Organization.name, func.count(Membership.id))
        .join(Membership, Membership.organization_id == Organization.id)
        .where(Membership.state == MembershipState.REQUESTED, Organization.id.in_(admin_of))
        .group_by(Organization.id, Organization.slug, Organization.name)
        .order_by(Organization.name)
    ).all()
    return MemberDesk(
        join_requests=[JoinRequests(*row) for row in requests],
        invitations=db.session.scalar(_invitations(user)) or 0,
        earlier=_earlier_signatures(user),
        led=_led_statements(user),
    )


def _invitations(user):
    return select(func.count(StatementDrafter.id)).where(
        StatementDrafter.state == DrafterState.INVITED,
        StatementDrafter.organization_id.in_(_organization_ids(user, MemberRole.ADMIN)),
    )


def _earlier_query(columns, user):
    query, rule = with_standing(select(*columns).select_from(Signature))
    return query.join(Statement, Statement.id == Signature.statement_id).where(
        Signature.organization_id.in_(_organization_ids(user, MemberRole.SIGNATORY)),
        Statement.state.in_(UNDER_WAY),
        rule.earlier_text,
    )


def _earlier_signatures(user) -> list[EarlierSignature]:
    current = aliased(Revision)
    rows = db.session.execute(
        _earlier_query(
            (Signature.id, Signature.statement_id, current.title, Organization.name), user
        )
        .join(current, current.id == Statement.current_revision_id)
        .join(Organization, Organization.id == Signature.organization_id)
        .order_by(Signature.id)
        .limit(LISTED)
    ).all()
    return [EarlierSignature(*row) for row in rows]


def _led_statements(user) -> list[LedStatement]:
    rows = db.session.execute(
        select(Statement.id, Revision.title, Statement.state)
        .join(Revision, Revision.id == Statement.current_revision_id)
        .where(
            Statement.lead_organization_id.in_(_organization_ids(user, MemberRole.MEMBER)),
            Statement.state.in_(UNDER_WAY),
        )
        .order_by(Statement.updated_at.desc())
        .limit(LISTED)
    ).all()
    counts = awaiting_counts([row.id for row in rows])
    return [LedStatement(sid, title, state, counts[sid]) for sid, title, state in rows]


# -- the navigation badges -------------------------------------------------------------------


@dataclass
class Badges:
    desk: int = 0
    verify: int = 0
    outbox: int = 0


# Badges follow the data at once; the passing of time (a round closing) within a minute.
BADGE_SECONDS = 60


def badges(user) -> Badges:
    """The counts in the navigation: once per request (on `g`), and kept by the version of the
    data they count (core/versions.py) — on every page, they were its costliest query."""
    if not (user and user.is_authenticated):
        return Badges()
    cached = g.get("desk_badges")
    if cached is not None:
        return cached
    now = utcnow()
    try:
        version = (user.id, user.is_coordinator, now.replace(second=0, microsecond=0))
        counted = remember(
            "badges",
            lambda: (*version, *data_version()),
            lambda: " ".join(str(n) for n in _badge_counts(user, now)),
            BADGE_SECONDS,
        )
    except SQLAlchemyError:
        # The navigation must not take the page down with it (the 500 page renders it too).
        db.session.rollback()
        log.warning("navigation badges unavailable", exc_info=True)
        return Badges()
    values = [int(n) for n in counted.split()]
    result = Badges(desk=sum(values[:3]))
    if user.is_coordinator:
        signons, submitted, result.verify, result.outbox = values[3:]
        result.desk += signons + submitted + result.verify
    g.desk_badges = result
    return result


def _badge_counts(user, now) -> list[int]:
    columns = [
        select(func.count(Membership.id))
        .where(
            Membership.state == MembershipState.REQUESTED,
            Membership.organization_id.in_(_organization_ids(user, MemberRole.ADMIN)),
        )
        .scalar_subquery(),
        _invitations(user).scalar_subquery(),
        _earlier_query((func.count(Signature.id),), user).scalar_subquery(),
    ]
    if user.is_coordinator:
        in_current = Statement.round_id.in_(select(Round.id).where(current_rounds(now)))
        columns += [
            select(func.count(Signature.id))
            .join(Statement, Statement.id == Signature.statement_id)
            .where(Signature.state == SignatureState.PENDING, in_current)
            .scalar_subquery(),
            select(func.count(Statement.id))
            .where(Statement.state == StatementState.SUBMITTED, in_current)
            .scalar_subquery(),
            _pending_organizations(),
            _failed_emails(now),
        ]
    return [int(v or 0) for v in db.session.execute(select(*columns)).one()]
