"""Comments on a statement while it is drafted: quoting a passage, threaded replies, resolve and
reopen. Same rules as the other operations: check, change, audit, flush — never commit."""

from datetime import datetime

from flask_babel import gettext as _

from .. import audit
from ..core.i18n import format_number
from ..errors import OperationError
from ..extensions import db
from ..models import Comment, Statement, User, utcnow
from .limits import COMMENT_MAX, QUOTE_MAX


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


def add_comment(
    user: User,
    statement: Statement,
    *,
    body: str,
    quote: str | None = None,
    parent: Comment | None = None,
    at: datetime | None = None,
) -> Comment:
    if not statement.can_comment(user):
        raise OperationError(_("You cannot comment on this statement."))
    body = (body or "").strip()
    quote = (quote or "").strip() or None
    if not body:
        raise OperationError(_("Write a comment."), "body")
    if len(body) > COMMENT_MAX:
        raise OperationError(
            _("Keep comments under %(max)s characters.", max=format_number(COMMENT_MAX)), "body"
        )
    if parent is not None:
        if parent.statement_id != statement.id:
            raise OperationError(_("That comment belongs to another statement."))
        parent = parent.parent or parent  # threads stay one level deep
        quote = None
    if quote is not None:
        if len(quote) > QUOTE_MAX:
            raise OperationError(
                _("Quote at most %(max)s characters.", max=format_number(QUOTE_MAX)), "quote"
            )
        current = statement.current_revision
        text = f"{current.title}\n{current.body}" if current else ""
        if _squash(quote) not in _squash(text):
            raise OperationError(_("The quoted passage is not in the current text."), "quote")
    membership = statement.drafting_membership(user)
    comment = Comment(
        statement=statement,
        parent=parent,
        author=user,
        organization_id=membership.organization_id if membership else None,
        revision_id=statement.current_revision_id,
        body=body,
        quote=quote,
        created_at=at or utcnow(),
    )
    db.session.add(comment)
    db.session.flush()
    audit.record(
        "comment.create",
        comment,
        organization=membership.organization if membership else None,
        actor=user,
        statement=statement.id,
        reply_to=parent.id if parent else None,
    )
    db.session.flush()
    return comment


def set_comment_resolved(user: User, comment: Comment, *, resolved: bool) -> Comment:
    if not comment.can_resolve(user):
        raise OperationError(_("You cannot resolve comments on this statement."))
    if comment.resolved == resolved:
        raise OperationError(
            _("The comment is already resolved.") if resolved else _("The comment is already open.")
        )
    comment.resolved_at = utcnow() if resolved else None
    comment.resolved_by_id = user.id if resolved else None
    audit.record(
        "comment.resolve" if resolved else "comment.reopen",
        comment,
        actor=user,
        statement=comment.statement_id,
    )
    db.session.flush()
    return comment
