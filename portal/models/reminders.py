"""Reminders already sent: one row per statement and occasion, so no reminder ever goes twice.

The unique (statement, key) pair is the whole idempotence story: whoever inserts the row sends the
e-mails in the same transaction; a second run, or a concurrent worker, fails the insert and sends
nothing. The key names the occasion: ``signon_deadline:48h:<deadline>`` (a moved deadline is a new
occasion) or ``lead:<UTC date>`` (a lead's reminder, at most one a day).
"""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Base
from .base import UTCDateTime, created_at_column, enum_column


class ReminderKind(enum.StrEnum):
    LEAD = "lead"  # a lead reminds organizations still to confirm or to re-confirm
    SIGNON_DEADLINE = "signon_deadline"
    SUBMISSION_DEADLINE = "submission_deadline"


class SentReminder(Base):
    __tablename__ = "sent_reminders"
    __table_args__ = (UniqueConstraint("statement_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="CASCADE"))
    kind: Mapped[str] = enum_column(ReminderKind, "kind")
    key: Mapped[str] = mapped_column(String(80))
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recipients: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = created_at_column()
