"""Compiled files (the official PDF, exports, the round compendium) and the jobs that build them."""

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Base
from .base import UTCDateTime, created_at_column, enum_column, utcnow

if TYPE_CHECKING:
    from .accounts import User
    from .rounds import Round
    from .statements import Statement


class ArtifactKind(enum.StrEnum):
    STATEMENT_PDF = "statement_pdf"
    STATEMENT_DOCX = "statement_docx"
    STATEMENT_HTML = "statement_html"
    COMPENDIUM_PDF = "compendium_pdf"
    ROUND_ZIP = "round_zip"


class Artifact(Base):
    """A file on disk under ARTIFACT_DIR, keyed by the SHA-256 of everything that went into it:
    the same inputs always find the same bytes, changed inputs a new key."""

    __tablename__ = "artifacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = enum_column(ArtifactKind, "kind")
    statement_id: Mapped[int | None] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    round_id: Mapped[int | None] = mapped_column(
        ForeignKey("rounds.id", ondelete="CASCADE"), index=True
    )
    # Relative to ARTIFACT_DIR, so the directory can move with the instance.
    path: Mapped[str] = mapped_column(String(300))
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    created_at: Mapped[datetime] = created_at_column()

    statement: Mapped["Statement | None"] = relationship()
    round: Mapped["Round | None"] = relationship()

    def __repr__(self) -> str:
        return f"<Artifact {self.kind} {self.key[:12]}>"


class JobState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ExportJob(Base):
    """A compendium or round export being built; the page polls its progress."""

    __tablename__ = "export_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = enum_column(ArtifactKind, "kind")
    state: Mapped[str] = enum_column(JobState, "state", default=JobState.QUEUED)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    step: Mapped[str | None] = mapped_column(String(200))
    error: Mapped[str | None] = mapped_column(Text)
    rq_id: Mapped[str | None] = mapped_column(String(64))
    artifact_id: Mapped[int | None] = mapped_column(ForeignKey("artifacts.id", ondelete="SET NULL"))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    round: Mapped["Round"] = relationship()
    artifact: Mapped[Artifact | None] = relationship()
    requested_by: Mapped["User | None"] = relationship()

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)

    @property
    def is_done(self) -> bool:
        return self.state == JobState.DONE

    @property
    def is_failed(self) -> bool:
        return self.state == JobState.FAILED

    @property
    def percent(self) -> int:
        if self.state == JobState.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    def can_view(self, user) -> bool:
        return user.is_coordinator
