"""Every e-mail the portal sends: stored first, then delivered."""

import enum
from datetime import datetime

from sqlalchemy import Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Base
from .base import UTCDateTime, created_at_column, enum_column


class OutboxStatus(enum.StrEnum):
    QUEUED = "queued"
    SENT = "sent"  # handed to the SMTP server
    LOGGED = "logged"  # no MAIL_SERVER: written to the log instead
    FAILED = "failed"


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"
    # A round queues a hundred thousand e-mails: the coordinator's badge of recent failures and
    # the delivery of queued ones read by status, never the whole table.
    __table_args__ = (Index("ix_outbox_messages_status_created_at", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = created_at_column()
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = enum_column(OutboxStatus, "status", default=OutboxStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The body holds a link that is a credential (reset, confirmation, invitation, sign-on):
    # only its recipient may read it, so the outbox page and the log show it redacted.
    secret: Mapped[bool] = mapped_column(default=False, server_default=false())
