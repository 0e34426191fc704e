"""Intergovernmental processes and their negotiation rounds."""

import enum
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Base
from .base import UTCDateTime, created_at_column, utcnow


class Process(Base):
    __tablename__ = "processes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    short_title: Mapped[str | None] = mapped_column(String(40))
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()

    rounds: Mapped[list["Round"]] = relationship(
        back_populates="process", order_by="Round.number", cascade="all, delete-orphan"
    )

    def can_edit(self, user) -> bool:
        return user.is_coordinator


class RoundPhase(enum.StrEnum):
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"


class Round(Base):
    __tablename__ = "rounds"
    __table_args__ = (UniqueConstraint("process_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("processes.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    place: Mapped[str | None] = mapped_column(String(200))
    meeting_start: Mapped[date]
    meeting_end: Mapped[date]
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # Statements can be started from opens_at; open/closed is always derived from the clock.
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    submission_deadline: Mapped[datetime] = mapped_column(UTCDateTime())
    signon_deadline: Mapped[datetime] = mapped_column(UTCDateTime())
    auto_approve_verified: Mapped[bool] = mapped_column(default=False)
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()

    process: Mapped[Process] = relationship(back_populates="rounds")
    areas: Mapped[list["ProgrammeArea"]] = relationship(
        back_populates="round", order_by="ProgrammeArea.position", cascade="all, delete-orphan"
    )

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def phase(self, now: datetime | None = None) -> RoundPhase:
        now = now or utcnow()
        if now < self.opens_at:
            return RoundPhase.UPCOMING
        if now < self.submission_deadline:
            return RoundPhase.OPEN
        return RoundPhase.CLOSED

    def accepts_submissions(self, now: datetime | None = None) -> bool:
        return self.phase(now) == RoundPhase.OPEN

    def accepts_signons(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return self.opens_at <= now < self.signon_deadline

    def can_edit(self, user) -> bool:
        return user.is_coordinator

    def __repr__(self) -> str:
        return f"<Round {self.slug}>"


class ProgrammeArea(Base):
    """An area of the round's programme of work; statements are filed under one."""

    __tablename__ = "programme_areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))

    round: Mapped[Round] = relationship(back_populates="areas")
