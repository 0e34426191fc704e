"""People who sign in."""

import enum
import hashlib
import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from flask import current_app, has_app_context
from flask_login import AnonymousUserMixin, UserMixin
from sqlalchemy import String
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import Base
from .base import UTCDateTime, created_at_column, enum_column

if TYPE_CHECKING:
    from .organizations import Membership, Organization


class SiteRole(enum.StrEnum):
    USER = "user"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


# The one coordinator rule: an admin coordinates too (User.is_coordinator, in Python and in SQL).
COORDINATING_ROLES = (SiteRole.COORDINATOR, SiteRole.ADMIN)


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased, so the unique constraint holds regardless of case.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    site_role: Mapped[str] = enum_column(SiteRole, "site_role", default=SiteRole.USER)
    timezone: Mapped[str | None] = mapped_column(String(64))
    # The interface language the person chose ("en", "fr", "es"); None: the browser's.
    locale: Mapped[str | None] = mapped_column(String(8))
    # The language the last sign-in was made in (switcher or browser): e-mails to a person who
    # chose none on the profile are written in it, not in the language of whoever sends them.
    signed_in_locale: Mapped[str | None] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = created_at_column()
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # None until the person follows the confirmation link (or proves the address another way:
    # a password reset or an invitation sent to it).
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Part of every session id: a new one signs the person out everywhere (logout does this).
    session_nonce: Mapped[str | None] = mapped_column(String(32), default=lambda: new_nonce())

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @validates("email")
    def _normalize_email(self, _key, value: str) -> str:
        return normalize_email(value)

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=password_hash_method())

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        # The session names the password and the session nonce too: changing or resetting the
        # password, or signing out, ends every session and remember-me cookie issued before
        # (they carry the old fingerprint), even a copy of the cookie taken elsewhere.
        return f"{self.id}:{self.session_fingerprint}"

    @property
    def session_fingerprint(self) -> str:
        material = f"{self.password_hash}\0{self.session_nonce or ''}"
        return hashlib.sha256(material.encode()).hexdigest()[:16]

    def end_sessions(self) -> None:
        self.session_nonce = new_nonce()

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    @property
    def can_act(self) -> bool:
        """The one rule for acting on the portal (joining, drafting, signing, managing an
        organization): an active account whose e-mail address is proven."""
        return self.active and self.email_confirmed

    @hybrid_property
    def is_coordinator(self) -> bool:
        return self.site_role in COORDINATING_ROLES

    @is_coordinator.inplace.expression
    @classmethod
    def _is_coordinator_expression(cls):
        return cls.site_role.in_(COORDINATING_ROLES)

    @property
    def is_admin(self) -> bool:
        return self.site_role == SiteRole.ADMIN

    def active_memberships(self) -> list["Membership"]:
        # Every organization role is read through here, so an account that may not act yet
        # holds none of its roles.
        if not self.can_act:
            return []
        return [m for m in self.memberships if m.is_active]

    def organizations(self) -> list["Organization"]:
        return [m.organization for m in self.active_memberships()]

    def membership_in(self, organization) -> "Membership | None":
        for membership in self.active_memberships():
            if membership.organization_id == organization.id:
                return membership
        return None

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class AnonymousUser(AnonymousUserMixin):
    """Who is not signed in (login_manager.anonymous_user): answers every question the
    permissions and templates ask of a User, so they need no is_authenticated guard."""

    id = None
    email = None
    name = ""
    timezone = None
    locale = None
    memberships = ()
    is_coordinator = False
    is_admin = False
    can_act = False
    email_confirmed = False

    def active_memberships(self) -> list:
        return []

    def organizations(self) -> list:
        return []

    def membership_in(self, organization) -> None:
        return None


def password_hash_method() -> str:
    # Configurable so the test suite can use cheaper scrypt parameters; hashes carry their own.
    if has_app_context():
        return current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    return "scrypt"


def new_nonce() -> str:
    return secrets.token_hex(16)


def normalize_email(value: str) -> str:
    return value.strip().lower()
