"""State changes of statements while they are drafted: create and revisions; co-drafters and
comments have their own modules, imported here so callers have one place to call.

Each function checks who acts, the statement's state and the round's deadline, makes the change,
records an AuditEvent, queues its e-mails and flushes. None commits: the caller (a view, the
seeder, the import command) commits once, so the change and its audit trail land together.
"""

from datetime import datetime
from typing import cast

from flask_babel import gettext as _
from sqlalchemy import CursorResult, update

from .. import audit
from ..errors import OperationError
from ..events import revision_created
from ..extensions import db
from ..models import (
    Organization,
    ProgrammeArea,
    Revision,
    Round,
    Statement,
    StatementState,
    User,
    utcnow,
)
from ..signatory_order import SignatoryOrder
from ..text import languages, normalize, text_hash, word_count
from ..text.limits import MAX_CHARACTERS, TextLimitError, check_limits
from .checks import require_open_round
from .drafter_operations import invite_drafter, respond_to_invitation
from .limits import NOTE_MAX, TITLE_MAX

BODY_MAX = MAX_CHARACTERS

# Sent after every new revision (save or restore) with statement=, revision=, substantive=;
# sign-on listens to flag signatures of an earlier text.


class EditConflict(OperationError):
    """The text was saved by someone else since the editor was opened."""

    def __init__(self, statement: Statement, base_revision_id: int | None):
        super().__init__(
            _(
                "Someone saved a newer revision while you were editing. Your text is kept below; "
                "merge the other change into it and save again."
            ),
            "body",
        )
        self.statement = statement
        self.base_revision_id = base_revision_id


# -- checks -------------------------------------------------------------------------------------


def _require_edit(user: User, statement: Statement) -> None:
    if not statement.is_drafter(user):
        raise OperationError(
            _("Only members of the drafting organizations can edit this statement.")
        )
    if not statement.is_editable_state:
        label = StatementState(statement.state).label.lower()
        raise OperationError(_("The statement is %(label)s; its text is locked.", label=label))
    require_open_round(statement.round)


def clean_text(title: str | None, body: str | None) -> tuple[str, str]:
    title = " ".join((title or "").split())
    body = normalize(body or "") if (body or "").strip() else ""
    if not title:
        raise OperationError(_("Give the statement a title."), "title")
    if len(title) > TITLE_MAX:
        raise OperationError(
            _("The title is longer than %(title_max)s characters.", title_max=TITLE_MAX), "title"
        )
    if not body:
        raise OperationError(_("The statement has no text yet."), "body")
    try:
        check_limits(body)
    except TextLimitError as exc:
        raise OperationError(exc.message, "body") from None
    return title, body


def clean_language(code: str) -> str:
    """One of the six UN languages, by its code (portal/text/languages.py)."""
    code = (code or "").strip().lower()
    if not languages.is_supported(code):
        names = ", ".join(f"{c} ({languages.display_name(c)})" for c in languages.CODES)
        raise OperationError(
            _("Choose one of the UN languages: %(names)s.", names=names), "language"
        )
    return code


def clean_note(note: str | None) -> str | None:
    note = " ".join((note or "").split())
    if len(note) > NOTE_MAX:
        raise OperationError(
            _("Keep the note under %(note_max)s characters.", note_max=NOTE_MAX), "note"
        )
    return note or None


# -- creating ------------------------------------------------------------------------------------


def create_statement(
    user: User,
    round_: Round,
    *,
    area: ProgrammeArea,
    organization: Organization,
    title: str,
    body: str,
    language: str = "en",
    note: str | None = None,
    source: str | None = None,
    at: datetime | None = None,
) -> Statement:
    """A new draft led by `organization`, with its first revision.

    `at` backdates the first revision (the demo seed builds a believable history with it)."""
    membership = user.membership_in(organization)
    if membership is None:
        raise OperationError(_("You can only start statements for your own organizations."), "lead")
    if not organization.verified:
        raise OperationError(
            _(
                "Your organization must be verified by a coordinator before it can lead a "
                "statement."
            ),
            "lead",
        )
    if area is None or area.round_id != round_.id:
        raise OperationError(_("Choose one of this round's programme areas."), "area")
    language = clean_language(language or languages.DEFAULT)
    require_open_round(round_, "New statements")
    title, body = clean_text(title, body)
    statement = Statement(
        round=round_,
        area=area,
        lead_organization=organization,
        language=language,
        state=StatementState.DRAFT,
        created_by=user,
        created_at=at or utcnow(),
    )
    db.session.add(statement)
    db.session.flush()
    revision = _add_revision(
        statement,
        None,
        user=user,
        title=title,
        body=body,
        note=clean_note(note) or "First draft",
        substantive=True,
        at=at,
    )
    audit.record(
        "statement.create",
        statement,
        organization=organization,
        actor=user,
        round=round_.slug,
        revision=revision.number,
        source=source,
    )
    db.session.flush()
    return statement


# -- revisions -----------------------------------------------------------------------------------


def _add_revision(
    statement, base_revision, *, user, title, body, note, substantive, restored=None, at=None
):
    """Write a revision on top of `base_revision`, refusing if another one got there first.

    The claim is a conditional UPDATE of the statement's pointer: of two saves on the same base,
    the second one's UPDATE matches no row (on PostgreSQL it waits for the first transaction and
    then re-reads), so it can never silently replace the other person's text.
    """
    base_id = base_revision.id if base_revision is not None else None
    pointer = (
        Statement.current_revision_id.is_(None)
        if base_id is None
        else Statement.current_revision_id == base_id
    )
    # An UPDATE answers with a CursorResult; Session.execute is typed for any statement.
    claimed = cast(
        CursorResult,
        db.session.execute(
            update(Statement)
            .where(Statement.id == statement.id, pointer)
            .values(updated_at=utcnow())
            .execution_options(synchronize_session=False),
        ),
    ).rowcount
    if claimed != 1:
        db.session.expire(statement)
        raise EditConflict(statement, base_id)
    membership = statement.drafting_membership(user)
    revision = Revision(
        statement_id=statement.id,
        number=(base_revision.number + 1) if base_revision is not None else 1,
        title=title,
        body=body,
        author=user,
        organization_id=membership.organization_id if membership else None,
        note=note,
        substantive=substantive,
        text_hash=text_hash(title, body),
        word_count=word_count(body),
        restored_from=restored,
        created_at=at or utcnow(),
    )
    db.session.add(revision)
    db.session.flush()
    statement.current_revision = revision
    statement.updated_at = utcnow()
    db.session.flush()
    revision_created.send(statement, revision=revision, substantive=substantive)
    return revision


def save_revision(
    user: User,
    statement: Statement,
    *,
    base_revision_id: int | None,
    title: str,
    body: str,
    note: str | None = None,
    substantive: bool = True,
    at: datetime | None = None,
) -> Revision:
    """Save the edited text as a new revision on top of the one the editor was opened with."""
    _require_edit(user, statement)
    title, body = clean_text(title, body)
    note = clean_note(note)
    if base_revision_id != statement.current_revision_id:
        raise EditConflict(statement, base_revision_id)
    current = statement.current_revision
    if current is not None and text_hash(title, body) == current.text_hash:
        raise OperationError(
            _("Nothing changed since revision %(number)s.", number=current.number), "body"
        )
    revision = _add_revision(
        statement,
        current,
        user=user,
        title=title,
        body=body,
        note=note,
        substantive=substantive,
        at=at,
    )
    _record_save("statement.save", user, statement, revision)
    return revision


def restore_revision(user: User, statement: Statement, revision: Revision) -> Revision:
    """Make an old text current again, as a new revision (history is never rewritten)."""
    _require_edit(user, statement)
    if revision.statement_id != statement.id:
        raise OperationError(_("That revision belongs to another statement."))
    current = statement.current_revision
    if current is not None and current.text_hash == revision.text_hash:
        raise OperationError(
            _("Revision %(number)s is the same as the current text.", number=revision.number)
        )
    restored = _add_revision(
        statement,
        current,
        user=user,
        title=revision.title,
        body=revision.body,
        note=f"Restored revision {revision.number}",
        substantive=True,
        restored=revision.number,
    )
    _record_save("statement.restore", user, statement, restored, restored_from=revision.number)
    return restored


def _record_save(action, user, statement, revision, **details) -> None:
    membership = statement.drafting_membership(user)
    audit.record(
        action,
        statement,
        organization=membership.organization if membership else None,
        actor=user,
        revision=revision.number,
        substantive=revision.substantive,
        text_hash=revision.text_hash,
        **details,
    )
    db.session.flush()


# Comments have their own module; importing them here keeps one place to call.
from .comment_operations import add_comment, set_comment_resolved  # noqa: E402

__all__ = [
    "EditConflict",
    "add_comment",
    "create_statement",
    "invite_drafter",
    "respond_to_invitation",
    "restore_revision",
    "revision_created",
    "save_revision",
    "set_comment_resolved",
]


def set_signatory_order(user: User, statement: Statement, order: str) -> Statement:
    """The lead chooses how the signatory list is ordered (page, exports, PDF) until approval,
    when the list is frozen."""
    if not statement.can_set_signatory_order(user):
        raise OperationError(
            _(
                "Only members of the lead organization choose the signatory order, "
                "and only before the statement is approved."
            )
        )
    try:
        order = SignatoryOrder(order)
    except ValueError:
        raise OperationError(_("Choose an order from the list."), "order") from None
    previous = statement.signatory_order
    if previous == order:
        return statement
    statement.signatory_order = order
    audit.record(
        "statement.signatory_order",
        statement,
        organization=statement.lead_organization,
        actor=user,
        old=str(previous),
        new=str(order),
    )
    db.session.flush()
    return statement
