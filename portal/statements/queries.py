"""Loading statements for the pages, each in a fixed number of queries.

The statement and history pages must cost the same with 3 revisions as with 300: everything a
page shows is loaded up front with joins or one IN query, never row by row from a template.
"""

from functools import cache

from flask import abort
from sqlalchemy import bindparam, select
from sqlalchemy.orm import defer, joinedload, selectinload

from ..extensions import db
from ..models import (
    Comment,
    DrafterState,
    Organization,
    Revision,
    Round,
    Statement,
    StatementDrafter,
    VerificationStatus,
)
from ..permissions import Permission, require


def _statement_options():
    return (
        joinedload(Statement.current_revision).joinedload(Revision.author),
        joinedload(Statement.round).joinedload(Round.process),
        joinedload(Statement.area),
        joinedload(Statement.lead_organization),
        selectinload(Statement.drafters).joinedload(StatementDrafter.organization),
    )


@cache
def _one_statement():
    """The statement pages' query, built once (its loader options cost more to build than the
    query to run); its co-drafters joined, not selected in: one query fewer on every page."""
    *others, _ = _statement_options()
    return (
        select(Statement)
        .where(Statement.id == bindparam("statement_id"))
        .options(*others, joinedload(Statement.drafters).joinedload(StatementDrafter.organization))
    )


def load_statement(statement_id: int, may: Permission[Statement] | None = None) -> Statement:
    """The statement with what its pages show, or 404; 403 unless `may` (Statement.can_edit…)."""
    found = db.session.scalars(_one_statement(), {"statement_id": statement_id})
    statement = found.unique().one_or_none()
    if statement is None:
        abort(404)
    return require(statement, may)


def load_revision(statement: Statement, number: int) -> Revision:
    revision = db.session.scalar(
        select(Revision)
        .where(Revision.statement_id == statement.id, Revision.number == number)
        .options(joinedload(Revision.author), joinedload(Revision.organization))
    )
    if revision is None:
        abort(404)
    return revision


def revision_list(statement: Statement) -> list[Revision]:
    """All revisions, newest first, without their bodies (the history needs only the facts)."""
    return list(
        db.session.scalars(
            select(Revision)
            .where(Revision.statement_id == statement.id)
            .options(
                defer(Revision.body),
                joinedload(Revision.author),
                joinedload(Revision.organization),
            )
            .order_by(Revision.number.desc())
        )
    )


class Thread:
    def __init__(self, comment: Comment):
        self.comment = comment
        self.replies: list[Comment] = []


def comment_threads(statement: Statement) -> list[Thread]:
    """Top-level comments with their replies, oldest first; open threads before resolved ones."""
    comments = db.session.scalars(
        select(Comment)
        .where(Comment.statement_id == statement.id)
        .options(
            joinedload(Comment.author),
            joinedload(Comment.organization),
            joinedload(Comment.resolved_by),
        )
        .order_by(Comment.created_at, Comment.id)
    ).all()
    threads: dict[int, Thread] = {}
    for comment in comments:
        # The statement is already loaded: point at it so permission checks cost no query.
        comment.statement = statement
        if comment.parent_id is None:
            threads[comment.id] = Thread(comment)
    for comment in comments:
        if comment.parent_id is not None and comment.parent_id in threads:
            threads[comment.parent_id].replies.append(comment)
    ordered = list(threads.values())
    return sorted(ordered, key=lambda t: t.comment.resolved)


def round_statements(round_: Round, user) -> list[Statement]:
    """The round's statements this person may see, by area and title."""
    statements = db.session.scalars(
        select(Statement)
        .where(Statement.round_id == round_.id)
        .options(
            joinedload(Statement.current_revision).defer(Revision.body),
            joinedload(Statement.area),
            joinedload(Statement.lead_organization),
            selectinload(Statement.drafters).joinedload(StatementDrafter.organization),
        )
    ).all()
    visible = [s for s in statements if s.can_view(user)]
    return sorted(visible, key=lambda s: (s.area.position, s.title.casefold()))


def my_statements(user) -> tuple[list[Statement], list[StatementDrafter]]:
    """Statements the person's organizations draft, and invitations their organizations await."""
    org_ids = [m.organization_id for m in user.active_memberships()]
    if not org_ids:
        return [], []
    accepted = select(StatementDrafter.statement_id).where(
        StatementDrafter.organization_id.in_(org_ids),
        StatementDrafter.state == DrafterState.ACCEPTED,
    )
    statements = db.session.scalars(
        select(Statement)
        .where(Statement.lead_organization_id.in_(org_ids) | Statement.id.in_(accepted))
        .options(*_statement_options())
        .order_by(Statement.updated_at.desc())
    ).all()
    invitations = db.session.scalars(
        select(StatementDrafter)
        .where(
            StatementDrafter.organization_id.in_(org_ids),
            StatementDrafter.state == DrafterState.INVITED,
        )
        .options(
            joinedload(StatementDrafter.organization),
            joinedload(StatementDrafter.statement).options(*_statement_options()),
        )
        .order_by(StatementDrafter.created_at.desc())
    ).all()
    return list(statements), [d for d in invitations if d.can_respond(user)]


def invitable_organizations(statement: Statement) -> list[Organization]:
    taken = {d.organization_id for d in statement.drafters if d.state != DrafterState.DECLINED} | {
        statement.lead_organization_id
    }
    organizations = db.session.scalars(
        select(Organization)
        .where(Organization.status == VerificationStatus.VERIFIED)
        .order_by(Organization.name)
    ).all()
    return [o for o in organizations if o.id not in taken]
