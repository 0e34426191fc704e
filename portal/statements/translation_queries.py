"""Reading translations for the pages and the exports: each with where it stands against the
original, in a fixed number of queries whatever the number of languages."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Review, Revision, Statement, StatementTranslation, TranslationRevision
from ..text import languages


@dataclass(frozen=True)
class TranslationStanding:
    """A translation's current text against one revision of the original."""

    translation: StatementTranslation
    revision: TranslationRevision
    original: Revision

    @property
    def language(self) -> str:
        return self.translation.language

    @property
    def name(self) -> str:
        return languages.display_name(self.language)

    @property
    def own_name(self) -> str:
        return languages.own_name(self.language)

    @property
    def source_number(self) -> int:
        """N in "translation of revision N"."""
        return self.revision.source_revision.number

    @property
    def out_of_date(self) -> bool:
        return self.revision.is_out_of_date(self.original)


def _translations(statement: Statement) -> list[StatementTranslation]:
    return list(
        db.session.scalars(
            select(StatementTranslation)
            .where(StatementTranslation.statement_id == statement.id)
            .options(
                joinedload(StatementTranslation.current_revision).options(
                    joinedload(TranslationRevision.source_revision),
                    joinedload(TranslationRevision.author),
                )
            )
            .order_by(StatementTranslation.language)
        )
    )


def standings(statement: Statement, original: Revision | None = None) -> list[TranslationStanding]:
    """Every translation against `original` (default: the statement's current revision)."""
    original = original or statement.current_revision
    if original is None:
        return []
    return [
        TranslationStanding(t, t.current_revision, original)
        for t in _translations(statement)
        if t.current_revision is not None
    ]


def published_translations(statement: Statement, review: Review) -> list[TranslationStanding]:
    """The translations shown with an approved statement: those that still say what the
    approved text says. One the original has overtaken stays with the drafters until updated."""
    return [s for s in standings(statement, review.revision) if not s.out_of_date]


def published_translation(
    statement: Statement, review: Review, language: str
) -> TranslationStanding | None:
    """The published translation in `language`, or None."""
    return next(
        (s for s in published_translations(statement, review) if s.language == language), None
    )


def load_translation(statement: Statement, language: str) -> StatementTranslation | None:
    return next((t for t in _translations(statement) if t.language == language), None)


def translation_revisions(translation: StatementTranslation) -> list[TranslationRevision]:
    """Its revisions, newest first, with the original's revision each translates."""
    return list(
        db.session.scalars(
            select(TranslationRevision)
            .where(TranslationRevision.translation_id == translation.id)
            .options(
                joinedload(TranslationRevision.source_revision),
                joinedload(TranslationRevision.author),
            )
            .order_by(TranslationRevision.number.desc())
        )
    )
