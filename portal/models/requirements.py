"""A round's submission requirements: a venue profile (portal/venues/profiles.py) as the
coordinator adjusted it. A round without a row follows the default profile (GCM, today's
behaviour). The enums live here so the model stores them with a CHECK; the profiles re-export
them."""

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Base
from .base import UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from .rounds import Round


class Footnotes(enum.StrEnum):
    ALLOWED = "allowed"
    DISCOURAGED = "discouraged"  # a warning, never a refusal (CSW: "avoid footnotes")
    FORBIDDEN = "forbidden"


class Eligibility(enum.StrEnum):
    """Who may lead or sign in the venue's own name."""

    ANYONE = "anyone"
    ECOSOC = "ecosoc"  # ECOSOC consultative status, verified by a coordinator
    ADMITTED = "admitted"  # a verified admitted observer of the round's process


class Placement(enum.StrEnum):
    """Where organizations that may not sign in their own name go."""

    EXCLUDED = "excluded"
    TITLE_FOOTNOTE = "title_footnote"  # HRC: in a footnote to the title
    ALSO_ON_BEHALF = "also_on_behalf"  # UNFCCC: after the eligible ones, "also on behalf of"


class Grouping(enum.StrEnum):
    ROUND_ORDER = "round_order"  # the statement's own signatory order (today's behaviour)
    ALPHABETICAL = "alphabetical"
    BY_STATUS = "by_status"  # general, special, roster, then the others


class Deliverable(enum.StrEnum):
    PDF = "pdf"
    DOCX = "docx"


LANGUAGE_LIST_MAX = 60  # comma-separated codes


class RoundRequirements(Base):
    __tablename__ = "round_requirements"

    round_id: Mapped[int] = mapped_column(
        ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True
    )
    profile: Mapped[str] = mapped_column(String(20))
    word_limit: Mapped[int | None]
    reduced_word_limit: Mapped[int | None]
    count_footnotes: Mapped[bool] = mapped_column(default=False)
    count_signatories: Mapped[bool] = mapped_column(default=False)
    count_cover: Mapped[bool] = mapped_column(default=False)
    languages: Mapped[str] = mapped_column(String(LANGUAGE_LIST_MAX), default="")
    title_languages: Mapped[str] = mapped_column(String(LANGUAGE_LIST_MAX), default="")
    footnotes: Mapped[str] = enum_column(Footnotes, "footnotes", default=Footnotes.ALLOWED)
    lead: Mapped[str] = enum_column(Eligibility, "lead", default=Eligibility.ANYONE)
    signers: Mapped[str] = enum_column(Eligibility, "signers", default=Eligibility.ANYONE)
    others: Mapped[str] = enum_column(Placement, "others", default=Placement.EXCLUDED)
    grouping: Mapped[str] = enum_column(Grouping, "grouping", default=Grouping.ROUND_ORDER)
    deliverable: Mapped[str] = enum_column(Deliverable, "deliverable", default=Deliverable.PDF)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    round: Mapped["Round"] = relationship()

    def can_edit(self, user) -> bool:
        return user.is_coordinator
