"""Translations of a statement: one per language, each with its own immutable revisions, every
revision marked as the translation of one revision of the original.

The original stays the statement's text: signatures, review and approval bind to it alone. A
translation is shown to the public only while it still says what the approved original says
(see TranslationRevision.is_out_of_date).
"""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Base
from ..text.languages import CODES
from .base import created_at_column

if TYPE_CHECKING:
    from .accounts import User
    from .organizations import Organization
    from .statements import Revision, Statement

_LANGUAGE_CHECK = "language IN ({})".format(", ".join(f"'{code}'" for code in CODES))


class StatementTranslation(Base):
    __tablename__ = "statement_translations"
    __table_args__ = (
        UniqueConstraint("statement_id", "language"),
        CheckConstraint(_LANGUAGE_CHECK, name="language_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(8))
    # The latest revision, as on Statement: written after the revision exists (use_alter).
    current_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey(
            "translation_revisions.id",
            use_alter=True,
            name="fk_statement_translations_current_revision_id",
        )
    )
    created_at: Mapped[datetime] = created_at_column()
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    statement: Mapped["Statement"] = relationship(back_populates="translations")
    created_by: Mapped["User | None"] = relationship()
    current_revision: Mapped["TranslationRevision | None"] = relationship(
        foreign_keys=[current_revision_id], post_update=True
    )

    @property
    def title(self) -> str:
        return self.current_revision.title if self.current_revision else ""

    def __repr__(self) -> str:
        return f"<StatementTranslation {self.statement_id} {self.language}>"


class TranslationRevision(Base):
    """One saved text of a translation. Never updated: every change is a new revision."""

    __tablename__ = "translation_revisions"
    __table_args__ = (UniqueConstraint("translation_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    translation_id: Mapped[int] = mapped_column(
        ForeignKey("statement_translations.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    # The revision of the original this text translates ("translation of revision N").
    source_revision_id: Mapped[int] = mapped_column(
        ForeignKey("revisions.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = created_at_column()
    note: Mapped[str | None] = mapped_column(String(300))
    text_hash: Mapped[str] = mapped_column(String(64))
    word_count: Mapped[int] = mapped_column(default=0)

    translation: Mapped[StatementTranslation] = relationship(foreign_keys=[translation_id])
    source_revision: Mapped["Revision"] = relationship()
    author: Mapped["User | None"] = relationship()
    organization: Mapped["Organization | None"] = relationship()

    def is_out_of_date(self, original: "Revision") -> bool:
        """Whether the original's `original` revision says something the revision this text
        translates did not: its title or body differs in any word. Whitespace alone (a re-wrapped
        line, a blank line more) is no change, as in the word diff (portal/text/diff.py), and a
        text restored to the translated one is up to date again."""
        source = self.source_revision
        if source.id == original.id or source.text_hash == original.text_hash:
            return False
        return source.title.split() != original.title.split() or (
            source.body.split() != original.body.split()
        )

    def __repr__(self) -> str:
        return f"<TranslationRevision {self.translation_id}#{self.number}>"


@event.listens_for(TranslationRevision, "before_update")
def _translation_revisions_are_immutable(mapper, connection, target):
    raise ValueError("translation revisions are immutable; save a new revision instead")
