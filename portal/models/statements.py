"""Statements, their immutable revisions, co-drafting organizations and comments."""

import enum
import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Base
from ..signatory_order import SignatoryOrder
from . import rules
from .base import UTCDateTime, created_at_column, enum_column, utcnow
from .organizations import MemberRole

if TYPE_CHECKING:
    from .accounts import User
    from .organizations import Organization
    from .rounds import ProgrammeArea, Round
    from .translations import StatementTranslation


class StatementState(enum.StrEnum):
    DRAFT = "draft"
    SIGNING = "signing"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self])


STATE_LABELS = {
    StatementState.DRAFT: _l("Draft"),
    StatementState.SIGNING: _l("Signing"),
    StatementState.SUBMITTED: _l("Submitted"),
    StatementState.CHANGES_REQUESTED: _l("Changes requested"),
    StatementState.APPROVED: _l("Approved"),
    StatementState.REJECTED: _l("Rejected"),
    StatementState.WITHDRAWN: _l("Withdrawn"),
}


_S = StatementState
_UNDER_WAY = {_S.SIGNING, _S.SUBMITTED, _S.CHANGES_REQUESTED}

# What each state allows, in one place: the can_* methods below, the workflow's transition table
# (submit, review, withdraw) and the sign-on rules (sign, decide_signons) read it.
STATE_ALLOWS: dict[str, frozenset[str]] = {
    # drafters change the text; submitted and later are locked for review
    "edit": frozenset({_S.DRAFT, _S.SIGNING, _S.CHANGES_REQUESTED}),
    # drafters and coordinators discuss it until it is decided
    "comment": frozenset({_S.DRAFT, *_UNDER_WAY, _S.WITHDRAWN}),
    # organizations sign on
    "sign": frozenset({_S.SIGNING}),
    # sign-ons are approved, rejected, withdrawn, re-confirmed (after approval: corrections only)
    "decide_signons": frozenset(_UNDER_WAY),
    # the lead chooses the signatory order until the list is decided
    "reorder": frozenset({_S.DRAFT, *_UNDER_WAY}),
    "submit": frozenset({_S.SIGNING}),
    # coordinators approve, request changes or reject
    "review": frozenset({_S.SUBMITTED}),
    "withdraw": frozenset({_S.DRAFT, *_UNDER_WAY}),
    # seen beyond its drafters (a statement withdrawn from draft stays private: is_private)
    "public": frozenset({*_UNDER_WAY, _S.APPROVED, _S.REJECTED, _S.WITHDRAWN}),
    # on the round's public pages, with its official PDF
    "published": frozenset({_S.APPROVED}),
    # drafters translate (never changing what was signed), the approved text above all
    "translate": frozenset({_S.DRAFT, *_UNDER_WAY, _S.APPROVED}),
}


class DrafterState(enum.StrEnum):
    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"


def _public_token() -> str:
    return secrets.token_urlsafe(24)


class Statement(Base):
    __tablename__ = "statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("programme_areas.id"), index=True)
    lead_organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    language: Mapped[str] = mapped_column(String(8), default="en")
    state: Mapped[str] = enum_column(StatementState, "state", default=StatementState.DRAFT)
    # Points at the latest revision; revisions point back at the statement, so the foreign key
    # is added after both tables exist (use_alter) and written in a second UPDATE (post_update).
    current_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("revisions.id", use_alter=True, name="fk_statements_current_revision_id")
    )
    # The unguessable address of the public sign-on page.
    public_token: Mapped[str] = mapped_column(String(64), unique=True, default=_public_token)
    # An earlier sign-on deadline set by the lead; None means the round's.
    signon_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The order of the signatory list on the page, the exports and the PDF: the lead's choice.
    signatory_order: Mapped[str] = enum_column(
        SignatoryOrder, "signatory_order", default=SignatoryOrder.ALPHABETICAL
    )
    # Set when the statement was withdrawn from draft, so it stays private (see is_private).
    withdrawn_from: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = created_at_column()
    # Indexed: the data version (core/versions.py) reads its latest on every signed-in page.
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    round: Mapped["Round"] = relationship()
    area: Mapped["ProgrammeArea"] = relationship()
    lead_organization: Mapped["Organization"] = relationship()
    created_by: Mapped["User | None"] = relationship()
    current_revision: Mapped["Revision | None"] = relationship(
        foreign_keys=[current_revision_id], post_update=True
    )
    drafters: Mapped[list["StatementDrafter"]] = relationship(
        back_populates="statement",
        cascade="all, delete-orphan",
        order_by="StatementDrafter.id",
    )
    translations: Mapped[list["StatementTranslation"]] = relationship(
        back_populates="statement",
        cascade="all, delete-orphan",
        order_by="StatementTranslation.language",
    )

    # -- derived -------------------------------------------------------------------------------

    @property
    def title(self) -> str:
        return self.current_revision.title if self.current_revision else ""

    @property
    def state_enum(self) -> StatementState:
        return StatementState(self.state)

    def allows(self, what: str) -> bool:
        """The current state allows `what` (a key of STATE_ALLOWS)."""
        return self.state in STATE_ALLOWS[what]

    @property
    def is_private(self) -> bool:
        if self.state == StatementState.WITHDRAWN:
            return self.withdrawn_from in (None, StatementState.DRAFT)
        return not self.allows("public")

    @property
    def is_editable_state(self) -> bool:
        return self.allows("edit")

    # The states by name, for pages that describe where a statement stands.
    @property
    def is_draft(self) -> bool:
        return self.state == StatementState.DRAFT

    @property
    def is_open_for_signatures(self) -> bool:
        return self.allows("sign")

    @property
    def is_under_review(self) -> bool:
        return self.allows("review")

    @property
    def is_changes_requested(self) -> bool:
        return self.state == StatementState.CHANGES_REQUESTED

    @property
    def is_published(self) -> bool:
        return self.allows("published")

    @property
    def is_rejected(self) -> bool:
        return self.state == StatementState.REJECTED

    @property
    def is_withdrawn(self) -> bool:
        return self.state == StatementState.WITHDRAWN

    @property
    def effective_signon_deadline(self) -> datetime:
        """The lead may close sign-on earlier than the round, never later."""
        round_deadline = self.round.signon_deadline
        if self.signon_deadline is None:
            return round_deadline
        return min(self.signon_deadline, round_deadline)

    def accepted_drafters(self) -> list["StatementDrafter"]:
        return [d for d in self.drafters if d.is_accepted]

    def drafting_organization_ids(self) -> set[int]:
        """The lead and every organization that accepted to co-draft."""
        return {self.lead_organization_id} | {d.organization_id for d in self.accepted_drafters()}

    def drafter_for(self, organization_id: int) -> "StatementDrafter | None":
        for drafter in self.drafters:
            if drafter.organization_id == organization_id:
                return drafter
        return None

    # -- who may do what -----------------------------------------------------------------------

    def drafting_membership(self, user):
        """The user's membership in a drafting organization, preferring the lead's."""
        ids = self.drafting_organization_ids()
        memberships = [m for m in user.active_memberships() if m.organization_id in ids]
        memberships.sort(key=lambda m: m.organization_id != self.lead_organization_id)
        return memberships[0] if memberships else None

    def is_drafter(self, user) -> bool:
        return self.drafting_membership(user) is not None

    def is_lead_member(self, user) -> bool:
        return self.lead_organization.role_of(user) is not None

    def is_invited_admin(self, user) -> bool:
        """An admin of an organization invited to co-draft reads the text to decide."""
        return any(d.is_invited and d.can_respond(user) for d in self.drafters)

    def can_view(self, user) -> bool:
        if not self.is_private:
            return user.is_authenticated  # registered organizations read it while it is signed
        return self.can_view_private(user)

    def can_view_private(self, user) -> bool:
        return user.is_coordinator or self.is_drafter(user) or self.is_invited_admin(user)

    def can_edit(self, user) -> bool:
        return self.is_editable_state and self.is_drafter(user)

    can_restore = can_edit

    def can_translate(self, user) -> bool:  # see portal/models/translations.py
        return self.allows("translate") and self.is_drafter(user)

    def can_invite(self, user) -> bool:
        return self.is_editable_state and self.is_lead_member(user)

    def can_view_comments(self, user) -> bool:
        return user.is_coordinator or self.is_drafter(user)

    def can_comment(self, user) -> bool:
        return self.allows("comment") and self.can_view_comments(user)

    def can_view_history(self, user) -> bool:
        return self.can_view(user)

    def can_view_source_diff(self, user) -> bool:
        """Drafters compare the dialect source they edit; everyone else reads formatted text."""
        return user.is_coordinator or self.is_drafter(user)

    # State changes: legal from the current state and allowed to the user, per the transition
    # table in portal/statements/workflow.py (which also checks deadlines when they are taken),
    # asked through models/rules.py: the table is a layer above the models.
    def can_transition(self, action: str, user) -> bool:
        return rules.ask("statement_permits", self, action, user)

    def can_submit(self, user) -> bool:
        return self.can_transition("submit", user)

    def can_resume(self, user) -> bool:
        return self.can_transition("resume", user)

    def can_withdraw(self, user) -> bool:
        return self.can_transition("withdraw", user)

    def can_review(self, user) -> bool:
        return self.can_transition("approve", user)

    def can_remind(self, user) -> bool:
        """Send the lead's reminder to organizations still to confirm (portal/desk)."""
        return rules.ask("can_remind", self, user)

    def can_set_signatory_order(self, user) -> bool:
        """The lead's members choose the order until the list is frozen at approval."""
        return self.allows("reorder") and self.is_lead_member(user)

    def can_correct_list(self, user) -> bool:
        """Coordinators correct a published signatory list (portal/exports/list_corrections.py)."""
        return self.is_published and user.is_coordinator

    def __repr__(self) -> str:
        return f"<Statement {self.id} {self.state}>"


class Revision(Base):
    """One saved text of a statement. Never updated: every change is a new revision."""

    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("statement_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The organization the author drafted for, shown in the history.
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = created_at_column()
    note: Mapped[str | None] = mapped_column(String(300))
    substantive: Mapped[bool] = mapped_column(default=True)
    text_hash: Mapped[str] = mapped_column(String(64))
    # Stored so the history page need not load 300 bodies to show their length.
    word_count: Mapped[int] = mapped_column(default=0)
    # The revision number this one restored, when it was made by "restore".
    restored_from: Mapped[int | None]

    statement: Mapped[Statement] = relationship(foreign_keys=[statement_id])
    author: Mapped["User | None"] = relationship()
    organization: Mapped["Organization | None"] = relationship()

    def __repr__(self) -> str:
        return f"<Revision {self.statement_id}#{self.number}>"


@event.listens_for(Revision, "before_update")
def _revisions_are_immutable(mapper, connection, target):
    raise ValueError("revisions are immutable; save a new revision instead")


class StatementDrafter(Base):
    """An organization invited to co-draft; the lead drafts implicitly and has no row."""

    __tablename__ = "statement_drafters"
    __table_args__ = (UniqueConstraint("statement_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[str] = enum_column(DrafterState, "state", default=DrafterState.INVITED)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = created_at_column()
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    responded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    statement: Mapped[Statement] = relationship(back_populates="drafters")
    organization: Mapped["Organization"] = relationship()
    invited_by: Mapped["User | None"] = relationship(foreign_keys=[invited_by_id])
    responded_by: Mapped["User | None"] = relationship(foreign_keys=[responded_by_id])

    @property
    def is_invited(self) -> bool:
        return self.state == DrafterState.INVITED

    @property
    def is_accepted(self) -> bool:
        return self.state == DrafterState.ACCEPTED

    def can_respond(self, user) -> bool:
        return self.organization.has_role(user, MemberRole.ADMIN)


class Comment(Base):
    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    # Replies point at the top-level comment they answer; threads are one level deep.
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL")
    )
    # The revision the comment was written against, so a quote can be traced after edits.
    revision_id: Mapped[int | None] = mapped_column(ForeignKey("revisions.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    quote: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    statement: Mapped[Statement] = relationship()
    author: Mapped["User | None"] = relationship(foreign_keys=[author_id])
    organization: Mapped["Organization | None"] = relationship()
    resolved_by: Mapped["User | None"] = relationship(foreign_keys=[resolved_by_id])
    parent: Mapped["Comment | None"] = relationship(remote_side=[id])

    @property
    def resolved(self) -> bool:
        return self.resolved_at is not None

    def can_resolve(self, user) -> bool:
        return self.parent_id is None and self.statement.can_comment(user)
