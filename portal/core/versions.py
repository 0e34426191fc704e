"""When the rows that pages count and list last changed, in one query read from indexes: kept
page pieces (portal/core/fragments.py) and the navigation badges are keyed by it.

Ids only grow (signatures are withdrawn or rejected and co-drafters decline, never deleted; a
removed member stamps their organization) and every UPDATE stamps `updated_at`, set-based ones
included; an organization's accreditation changes stamp it too
(portal/organizations/accreditation.py).
The version is global, not per statement: a sign-on anywhere renews every kept list, which is
cheap next to reading 1,500 rows to compare them."""

from functools import cache

from flask import g
from sqlalchemy import bindparam, func, literal, or_, select

from ..extensions import db
from ..models import (
    Artifact,
    Comment,
    ListCorrection,
    Membership,
    Organization,
    OutboxMessage,
    OutboxStatus,
    PublicSignOn,
    Review,
    Round,
    RoundRequirements,
    Signature,
    Statement,
    StatementDrafter,
    StatementState,
    TranslationRevision,
)


def _latest(*columns):
    return [select(func.max(c)).scalar_subquery() for c in columns]


def data_version() -> tuple:
    """The version, read once per request (kept on `g`): the navigation badges and the page's
    pieces share it."""
    if "data_version" not in g:
        g.data_version = _read_data_version()
    return g.data_version


@cache
def _data_query():
    # Built once: twenty subqueries cost more to build than to run.
    return select(*_data_columns())


def _read_data_version() -> tuple:
    return tuple(db.session.execute(_data_query()).one())


def first_with_data_version(statement, params: dict):
    """The first row of `statement` (joined collections made unique), reading the request's data
    version in the same query unless the request has it already: a signed-in page then loads its
    viewer and the version its badges and pieces are keyed by in one round trip instead of two.
    Build `statement` once (functools.cache), so that its widened copy is built once too."""
    if "data_version" in g:
        return db.session.execute(statement, params).unique().first()
    row = db.session.execute(_with_data_version(statement), params).unique().first()
    if row is None:
        return None
    width = len(statement.column_descriptions)  # an entity is one item of the row
    g.data_version = tuple(row[width:])
    return row[:width]


@cache
def _with_data_version(statement):
    return statement.add_columns(*_data_columns())


def _data_columns() -> list:  # one query of its own: joined to another, it ran slower
    # The status written into the SQL, not bound: with no parameter at all, PostgreSQL runs the
    # prepared query on one generic plan (0.12 ms) instead of planning it anew each time (0.4 ms).
    status = literal(OutboxStatus.FAILED.value, literal_execute=True)
    failed = select(func.count(OutboxMessage.id)).where(OutboxMessage.status == status)
    return [
        *_latest(Signature.id, Signature.updated_at, Organization.id, Organization.updated_at),
        *_latest(Statement.id, Statement.updated_at, Membership.id, Membership.updated_at),
        # An approval freezes a list, a correction changes it, a co-drafter joins or answers.
        *_latest(Review.id, ListCorrection.id, StatementDrafter.id, StatementDrafter.responded_at),
        # A comment, resolved or reopened; a translation saved.
        *_latest(Comment.id, Comment.resolved_at, TranslationRevision.id),
        select(func.count(Comment.resolved_at)).scalar_subquery(),
        # A request on a public sign-on page; an e-mail that failed (the coordinator's badge).
        # The venue's requirements of a round, set or changed.
        *_latest(PublicSignOn.id, RoundRequirements.updated_at),
        failed.scalar_subquery(),
    ]


@cache
def _round_columns() -> list:
    """round_version's values, as columns of a query that selects the Round (correlated on
    Round.id; the time is the parameter "now"): the round and its version in one round trip.
    Built once."""
    # Correlated by name: two levels down, SQLAlchemy would otherwise take every round's.
    mine = select(Statement.id).where(Statement.round_id == Round.id).correlate(Round)
    drafters = StatementDrafter.statement_id.in_(mine.scalar_subquery())
    of_round = Statement.round_id == Round.id
    open_now = (Statement.state == StatementState.SIGNING) & or_(
        Statement.signon_deadline.is_(None), Statement.signon_deadline > bindparam("now")
    )
    return [
        select(func.count(Statement.id)).where(of_round).scalar_subquery(),
        select(func.max(Statement.updated_at)).where(of_round).scalar_subquery(),
        select(func.count(Statement.id)).where(of_round, open_now).scalar_subquery(),
        select(func.max(Review.id))
        .where(Review.statement_id.in_(mine.scalar_subquery()))
        .scalar_subquery(),
        select(func.max(ListCorrection.id))
        .where(ListCorrection.statement_id.in_(mine.scalar_subquery()))
        .scalar_subquery(),
        select(func.max(Artifact.id)).where(Artifact.round_id == Round.id).scalar_subquery(),
        select(func.count(StatementDrafter.id)).where(drafters).scalar_subquery(),
        select(func.max(StatementDrafter.id)).where(drafters).scalar_subquery(),
        select(func.max(StatementDrafter.responded_at)).where(drafters).scalar_subquery(),
    ]


def adding_round_version(statement):
    """A query selecting one Round, with round_version's values after it (parameter "now");
    build it once (functools.cache)."""
    return statement.add_columns(*_round_columns())


def round_version(round_, now, values: tuple) -> tuple:
    """What the round page's lists show, summed up: its pieces and a visitor's
    ETag (core/conditional.py) change when any of it does. Statements change their updated_at
    with every revision, state and deadline; an approval or a correction of a list adds a row,
    a co-drafter invited or answering adds or stamps one; a statement open for signature leaves
    the list when its deadline passes. `values` are read with the round, in the same query
    (`adding_round_version`)."""
    shown = (
        round_.title,
        round_.description,
        round_.place,
        round_.timezone,
        round_.opens_at,
        round_.submission_deadline,
        round_.signon_deadline,
        round_.meeting_start,
        round_.meeting_end,
        round_.auto_approve_verified,
        round_.process.title,
        tuple(a.title for a in round_.areas),
    )
    return ("round", round_.id, round_.phase(now), round_.accepts_signons(now), *shown, *values)
