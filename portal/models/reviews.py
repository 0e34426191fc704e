"""Submissions of a statement to its round and the coordinators' decisions on them."""

import enum
import hashlib
import json
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..extensions import Base
from .base import created_at_column, enum_column

if TYPE_CHECKING:
    from .accounts import User
    from .statements import Revision, Statement


class ReviewDecision(enum.StrEnum):
    APPROVE = "approve"
    REQUEST_CHANGES = "request_changes"
    REJECT = "reject"

    @property
    def label(self) -> str:
        return str(
            {
                ReviewDecision.APPROVE: _l("Approved"),
                ReviewDecision.REQUEST_CHANGES: _l("Changes requested"),
                ReviewDecision.REJECT: _l("Rejected"),
            }[self]
        )


class Submission(Base):
    """The revision a lead submitted; it stays locked until a coordinator decides."""

    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("statement_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    # 1 for the first submission, 2 after changes were requested and it came back, ...
    number: Mapped[int]
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"))
    text_hash: Mapped[str] = mapped_column(String(64))
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = created_at_column()

    statement: Mapped["Statement"] = relationship()
    revision: Mapped["Revision"] = relationship()
    submitted_by: Mapped["User | None"] = relationship()
    review: Mapped["Review | None"] = relationship(back_populates="submission", uselist=False)

    def __repr__(self) -> str:
        return f"<Submission {self.statement_id}#{self.number}>"


class Review(Base):
    """A coordinator's decision on one submission; a submission gets at most one decision."""

    __tablename__ = "reviews"
    __table_args__ = (UniqueConstraint("submission_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decision: Mapped[str] = enum_column(ReviewDecision, "decision")
    message: Mapped[str | None] = mapped_column(Text)
    # On approval: the signatory list frozen with the text, as
    # [{"organization_id", "name", "country", "signature_id"}], and how many earlier-text
    # signatures were left out. Later sign-on changes never alter the published list.
    # Deferred: pages that list many approvals print a count, and decoding every list (3 MB of
    # JSON for a round of 200 statements) for it was most of their time.
    signatories: Mapped[list | None] = mapped_column(JSON, deferred=True)
    left_out: Mapped[int] = mapped_column(default=0)
    # The published list as it stands (the approval's, or its latest correction's): its length,
    # and a hash that file keys use instead of the list itself (see show_list).
    signatory_count: Mapped[int] = mapped_column(default=0, server_default="0")
    list_hash: Mapped[str] = mapped_column(String(64), default="", server_default="")
    created_at: Mapped[datetime] = created_at_column()

    statement: Mapped["Statement"] = relationship()
    submission: Mapped[Submission] = relationship(back_populates="review")
    revision: Mapped["Revision"] = relationship()
    reviewer: Mapped["User | None"] = relationship()

    @property
    def decision_enum(self) -> ReviewDecision:
        return ReviewDecision(self.decision)

    def show_list(self, rows: list | None) -> None:
        """Record the count and hash of the list now published: set at approval (assigning
        `signatories`) and by each correction (portal/exports/list_corrections.py)."""
        self.signatory_count = len(rows or [])
        self.list_hash = list_hash(rows)

    @validates("signatories")
    def _frozen(self, key, rows):
        self.show_list(rows)
        return rows

    def __repr__(self) -> str:
        return f"<Review {self.statement_id} {self.decision}>"


def list_hash(rows: list | None) -> str:
    """SHA-256 of a signatory list's rows (order kept: the order is part of the list)."""
    payload = json.dumps(rows or [], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


class ListCorrection(Base):
    """A coordinator's correction of a published signatory list: the list it leaves (version 2,
    3, … of the list; version 1 is the approval's `Review.signatories`), why, and who. The earlier
    versions stay — in the review and the earlier corrections — with their official PDFs."""

    __tablename__ = "signatory_list_corrections"
    __table_args__ = (UniqueConstraint("review_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    version: Mapped[int]
    # The list after the correction, in the shape of Review.signatories.
    signatories: Mapped[list] = mapped_column(JSON)
    removed: Mapped[list] = mapped_column(JSON)  # [{"signature_id", "name"}] taken off the list
    reason: Mapped[str] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The official PDF of the list before, when one was compiled: kept, never replaced.
    previous_artifact_id: Mapped[int | None] = mapped_column(
        ForeignKey("artifacts.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = created_at_column()

    review: Mapped[Review] = relationship()
    actor: Mapped["User | None"] = relationship()

    def __repr__(self) -> str:
        return f"<ListCorrection {self.statement_id} v{self.version}>"
