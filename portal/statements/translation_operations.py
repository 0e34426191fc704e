"""State changes of translations: create one, save a revision of it, import one from a file.

As for the original (operations.py): each function checks who acts and the statement's state,
makes the change, records an AuditEvent and flushes; the caller commits. Translations are not
bound by the round's submission deadline — the approved text is the usual one to translate —
and never touch the original, its signatures or its review.
"""

from pathlib import PurePath
from typing import cast

from flask_babel import gettext as _
from sqlalchemy import CursorResult, update

from .. import audit, events
from ..errors import OperationError
from ..extensions import db
from ..models import (
    Revision,
    Statement,
    StatementTranslation,
    TranslationRevision,
    User,
    utcnow,
)
from ..text import languages, text_hash, word_count
from .importing import read_statement_file
from .operations import clean_language, clean_note, clean_text


class TranslationConflict(OperationError):
    """Someone saved the translation since the editor was opened."""

    def __init__(self, translation: StatementTranslation):
        super().__init__(
            _(
                "Someone saved a newer revision of this translation while you were editing. "
                "Your text is kept below; merge the other change into it and save again."
            ),
            "body",
        )
        self.translation = translation


def _require_translate(user: User, statement: Statement) -> None:
    if not statement.is_drafter(user):
        raise OperationError(_("Only members of the drafting organizations can translate it."))
    if not statement.allows("translate"):
        state = statement.state_enum.label.lower()
        raise OperationError(
            _("The statement is %(state)s; its translations can no longer change.", state=state)
        )


def _language(statement: Statement, code: str) -> str:
    code = clean_language(code)
    if code == statement.language:
        raise OperationError(
            _(
                "The statement is written in %(language)s; choose another language.",
                language=languages.display_name(code),
            ),
            "language",
        )
    return code


def _source(statement: Statement, source_revision_id: int | None) -> Revision:
    """The original's revision a text translates: the one named, else the current one."""
    if source_revision_id is None:
        if statement.current_revision is None:
            raise OperationError(_("The statement has no text to translate yet."))
        return statement.current_revision
    source = db.session.get(Revision, source_revision_id)
    if source is None or source.statement_id != statement.id:
        raise OperationError(_("That revision belongs to another statement."))
    return source


def translation_in(statement: Statement, language: str) -> StatementTranslation | None:
    return next((t for t in statement.translations if t.language == language), None)


def create_translation(
    user: User,
    statement: Statement,
    *,
    language: str,
    title: str,
    body: str,
    note: str | None = None,
    source_revision_id: int | None = None,
    source: str | None = None,
    action: str = "translation.create",
) -> StatementTranslation:
    """A new translation with its first revision, marked as the translation of the original's
    current revision (or of `source_revision_id`, the one the translator was shown)."""
    return _first_revision(
        user,
        statement,
        language=language,
        title=title,
        body=body,
        note=note,
        source_revision_id=source_revision_id,
        source=source,
        action=action,
    ).translation


def _first_revision(
    user: User,
    statement: Statement,
    *,
    language: str,
    title: str,
    body: str,
    note: str | None,
    source_revision_id: int | None,
    source: str | None,
    action: str,
) -> TranslationRevision:
    """create_translation, answering with the revision written (an import reports its number)."""
    _require_translate(user, statement)
    language = _language(statement, language)
    if translation_in(statement, language) is not None:
        name = languages.display_name(language)
        raise OperationError(
            _("There is a %(language)s translation already; edit it.", language=name), "language"
        )
    title, body = clean_text(title, body)
    translation = StatementTranslation(statement=statement, language=language, created_by=user)
    db.session.add(translation)
    db.session.flush()
    revision = _add_revision(
        translation,
        None,
        user=user,
        source=_source(statement, source_revision_id),
        title=title,
        body=body,
        note=clean_note(note) or "First translation",
    )
    _record(action, user, translation, revision, source=source)
    return revision


def save_translation_revision(
    user: User,
    translation: StatementTranslation,
    *,
    base_revision_id: int | None,
    title: str,
    body: str,
    note: str | None = None,
    source_revision_id: int | None = None,
    action: str = "translation.save",
    source: str | None = None,
) -> TranslationRevision:
    """Save the edited translation on top of the revision the editor was opened with.

    The same text saved against a newer revision of the original is a revision too: the
    translator confirms it still says what the original says (it is no longer out of date)."""
    statement = translation.statement
    _require_translate(user, statement)
    title, body = clean_text(title, body)
    note = clean_note(note)
    current = translation.current_revision
    if base_revision_id != translation.current_revision_id:
        raise TranslationConflict(translation)
    original = _source(statement, source_revision_id)
    if (
        current is not None
        and text_hash(title, body) == current.text_hash
        and original.id == current.source_revision_id
    ):
        raise OperationError(
            _("Nothing changed since revision %(number)s.", number=current.number), "body"
        )
    revision = _add_revision(
        translation, current, user=user, source=original, title=title, body=body, note=note
    )
    _record(action, user, translation, revision, source=source)
    return revision


def import_translation(
    user: User, statement: Statement, *, language: str, filename: str, data: bytes
) -> TranslationRevision:
    """A translation from a .docx, .md or .txt file (read as for a new statement): the first
    revision of a new translation, or the next revision of the existing one."""
    _require_translate(user, statement)
    language = _language(statement, language)
    imported = read_statement_file(filename, data)
    name = PurePath(filename or "").name
    existing = translation_in(statement, language)
    if existing is None:
        return _first_revision(
            user,
            statement,
            language=language,
            title=imported.title,
            body=imported.body,
            note=f"Imported from {name}",
            source_revision_id=None,
            source=name,
            action="translation.import",
        )
    return save_translation_revision(
        user,
        existing,
        base_revision_id=existing.current_revision_id,
        title=imported.title,
        body=imported.body,
        note=f"Imported from {name}",
        action="translation.import",
        source=name,
    )


def _add_revision(translation, base, *, user, source, title, body, note) -> TranslationRevision:
    """Write a revision on top of `base`, claimed by a conditional UPDATE of the pointer (as
    operations._add_revision does for the original): of two saves on one base, one wins."""
    pointer = StatementTranslation.current_revision_id
    # An UPDATE answers with a CursorResult; Session.execute is typed for any statement.
    claimed = cast(
        CursorResult,
        db.session.execute(
            update(StatementTranslation)
            .where(
                StatementTranslation.id == translation.id,
                pointer.is_(None) if base is None else pointer == base.id,
            )
            .values(current_revision_id=pointer)
            .execution_options(synchronize_session=False)
        ),
    ).rowcount
    if claimed != 1:
        db.session.expire(translation)
        raise TranslationConflict(translation)
    membership = translation.statement.drafting_membership(user)
    revision = TranslationRevision(
        translation=translation,
        number=base.number + 1 if base is not None else 1,
        source_revision=source,
        title=title,
        body=body,
        author=user,
        organization_id=membership.organization_id if membership else None,
        note=note,
        text_hash=text_hash(title, body),
        word_count=word_count(body),
        created_at=utcnow(),
    )
    db.session.add(revision)
    db.session.flush()
    translation.current_revision = revision
    db.session.flush()
    if translation.statement.is_published:
        events.translation_saved.send(translation.statement)
    return revision


def _record(action, user, translation, revision, **details) -> None:
    membership = translation.statement.drafting_membership(user)
    audit.record(
        action,
        translation.statement,
        organization=membership.organization if membership else None,
        actor=user,
        language=translation.language,
        revision=revision.number,
        translation_of=revision.source_revision.number,
        text_hash=revision.text_hash,
        **{key: value for key, value in details.items() if value is not None},
    )
    db.session.flush()
