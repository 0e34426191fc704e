"""Account state changes: registration, e-mail confirmation, sign-in bookkeeping, passwords,
profile, site roles.

Each function checks, changes, audits and queues its e-mail, then flushes; the view commits.
"""

from datetime import timedelta
from zoneinfo import available_timezones

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from .. import audit
from ..core.i18n import LANGUAGES, current_language
from ..core.secret_links import site_url_for
from ..errors import OperationError
from ..extensions import db
from ..mail import queue_message
from ..models import Organization, OutboxMessage, SiteRole, User, utcnow
from ..models.accounts import normalize_email, password_hash_method
from ..organizations import operations as org_ops
from ..organizations.operations import announce_waiting_requests
from .passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, check_password_rules
from .signed_tokens import (
    load_confirmation_token,
    load_reset_token,
    make_confirmation_token,
    make_reset_token,
)

__all__ = ["MAX_PASSWORD_LENGTH", "MIN_PASSWORD_LENGTH", "check_password_rules"]

# However often anyone asks, an account gets at most this many reset or confirmation mails an
# hour: the requests cannot flood a mailbox, and the owner can use any link already received.
MAILS_PER_HOUR = 5

_dummy_hash: str | None = None


def email_taken(email: str) -> bool:
    normalized = normalize_email(email)
    taken = select(func.count(User.id)).where(func.lower(User.email) == normalized)
    return db.session.execute(taken).scalar_one() > 0


def check_timezone(zone: str | None) -> str | None:
    if zone and zone not in available_timezones():
        raise OperationError(_("Choose a timezone from the list."), "timezone")
    return zone or None


def register_person(
    *,
    name: str,
    email: str,
    password: str,
    timezone: str | None = None,
    confirmed: bool = False,
) -> User:
    """A new account; registration may say an address is taken (sign-in and reset never do).
    It cannot act until its address is confirmed (seeds create confirmed accounts)."""
    name = name.strip()
    if not name:
        raise OperationError(_("Enter your name."), "name")
    if email_taken(email):
        raise OperationError(
            _("This e-mail address is already registered. Sign in, or reset your password."),
            "email",
        )
    check_password_rules(password, name=name, email=email)
    user = User(email=email, name=name, timezone=check_timezone(timezone))
    user.set_password(password)
    if confirmed:
        user.email_confirmed_at = utcnow()
    db.session.add(user)
    db.session.flush()
    audit.record("user.registered", user, actor=user, confirmed=confirmed)
    if confirmed:
        queue_message(
            user.email,
            "welcome",
            _l("Welcome to the %(value)s", value=current_app.config["SITE_NAME"]),
            user=user,
            profile_link=site_url_for("auth.profile"),
        )
    else:
        _send_confirmation(user)
    db.session.flush()
    return user


# -- e-mail confirmation -----------------------------------------------------------------------


def _send_confirmation(user: User) -> None:
    queue_message(
        user.email,
        "confirm_email",
        _l("Confirm your e-mail address for the %(value)s", value=current_app.config["SITE_NAME"]),
        user=user,
        link=site_url_for("auth.confirm_email", token=make_confirmation_token(user)),
        hours=current_app.config["EMAIL_CONFIRMATION_MAX_AGE"] // 3600,
    )


def _mails_last_hour(user: User, kind: str) -> int:
    return db.session.execute(
        select(func.count(OutboxMessage.id)).where(
            OutboxMessage.recipient == user.email,
            OutboxMessage.kind == kind,
            OutboxMessage.created_at > utcnow() - timedelta(hours=1),
        )
    ).scalar_one()


def resend_confirmation(user: User) -> bool:
    """A new confirmation link for an unconfirmed account; False when none was sent (already
    confirmed, or enough links went out this hour: the latest one still works)."""
    if user.email_confirmed or not user.active:
        return False
    if _mails_last_hour(user, "confirm_email") >= MAILS_PER_HOUR:
        return False
    audit.record("user.confirmation_sent", user, actor=user)
    _send_confirmation(user)
    db.session.flush()
    return True


def mark_email_confirmed(user: User, how: str) -> None:
    """The address is proven (by the confirmation link, a reset link or an invitation sent to
    it): the account may act, and what it asked for while waiting is passed on."""
    if user.email_confirmed:
        return

    user.email_confirmed_at = utcnow()
    audit.record("user.email_confirmed", user, actor=user, via=how)
    announce_waiting_requests(user)
    db.session.flush()


def confirm_email(token: str) -> User:
    user = load_confirmation_token(token)
    if user is None:
        raise OperationError(
            _(
                "This confirmation link has expired, has already been used or is not valid. "
                "Sign in and ask for a new one."
            )
        )
    mark_email_confirmed(user, "link")
    return user


def register(
    *,
    name: str,
    email: str,
    password: str,
    timezone: str | None = None,
    new_organization: dict | None = None,
    join: Organization | None = None,
) -> User:
    """A person plus either a new organization (pending verification, the person its admin)
    or a request to join a verified one (an organization admin decides)."""
    if (new_organization is None) == (join is None):
        raise OperationError(
            _("Register a new organization or ask to join an existing one."), "mode"
        )
    if join is not None and not join.verified:
        raise OperationError(_("Choose a verified organization."), "organization")
    user = register_person(name=name, email=email, password=password, timezone=timezone)
    if new_organization is not None:
        try:
            org_ops.register_organization(user, **new_organization)
        except OperationError as error:
            # The organization's fields sit next to the person's on the form, prefixed org_.
            field = f"org_{error.field}" if error.field else None
            raise OperationError(error.message, field) from error
    elif join is not None:  # always, after the check above
        org_ops.request_to_join(user, join)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None; the answer takes as long either way,
    so the response time does not tell whether the address exists."""
    global _dummy_hash
    user = db.session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None:
        if _dummy_hash is None:
            _dummy_hash = generate_password_hash(
                "not a real password", method=password_hash_method()
            )
        check_password_hash(_dummy_hash, password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


def record_login(user: User) -> None:
    user.last_login_at = utcnow()
    user.signed_in_locale = current_language()
    audit.record("user.login", user, actor=user)
    db.session.flush()


def record_logout(user: User) -> None:
    """Sign out everywhere: the session nonce changes, so no copy of any earlier session cookie
    names this user any more."""
    user.end_sessions()
    audit.record("user.logout", user, actor=user)
    db.session.flush()


def request_password_reset(email: str, ip: str | None = None) -> None:
    """E-mail a reset link when an active account has this address; silent otherwise (and
    silent past MAILS_PER_HOUR: the links already sent still work)."""
    user = db.session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None or not user.active:
        return
    if _mails_last_hour(user, "password_reset") >= MAILS_PER_HOUR:
        return
    link = site_url_for("auth.reset_password", token=make_reset_token(user))
    audit.record("user.password_reset_requested", user, actor=user, requested_from=ip)
    queue_message(user.email, "password_reset", _l("Reset your password"), user=user, link=link)
    db.session.flush()


def reset_password(token: str, new_password: str) -> User:
    user = load_reset_token(token)
    if user is None:
        raise OperationError(
            _("This link has expired or has already been used. Ask for a new one.")
        )
    check_password_rules(new_password, name=user.name, email=user.email)
    user.set_password(new_password)
    audit.record("user.password_reset", user, actor=user)
    # The link reached the address: that proves it as well as a confirmation link would.
    mark_email_confirmed(user, "password_reset")
    _tell_password_changed(user)
    db.session.flush()
    return user


def _tell_password_changed(user: User) -> None:
    queue_message(
        user.email,
        "password_changed",
        _l("Your password was changed"),
        user=user,
        reset_link=site_url_for("auth.reset_request"),
    )


def change_password(user: User, *, current_password: str, new_password: str) -> None:
    if not user.check_password(current_password):
        raise OperationError(_("That is not your current password."), "current_password")
    check_password_rules(new_password, "new_password", name=user.name, email=user.email)
    user.set_password(new_password)
    audit.record("user.password_changed", user, actor=user)
    _tell_password_changed(user)
    db.session.flush()


def update_profile(
    user: User, *, name: str, timezone: str | None, locale: str | None = None
) -> None:
    name = name.strip()
    if not name:
        raise OperationError(_("Enter your name."), "name")
    timezone = check_timezone(timezone)
    locale = locale or None
    if locale is not None and locale not in LANGUAGES:
        raise OperationError(_("Choose English, French or Spanish."), "locale")
    changed: dict[str, list[str | None]] = {}
    if name != user.name:
        changed["name"] = [user.name, name]
    if timezone != user.timezone:
        changed["timezone"] = [user.timezone, timezone]
    if locale != user.locale:
        changed["locale"] = [user.locale, locale]
    if not changed:
        return
    user.name = name
    user.timezone = timezone
    user.locale = locale
    audit.record("user.profile_updated", user, actor=user, changed=changed)
    db.session.flush()


def _check_admin_action(actor: User, user: User) -> None:
    if not (actor and actor.is_admin):
        raise OperationError(_("Only administrators manage users."))
    if actor.id == user.id:
        # An admin locking themselves out could leave the site with no administrator.
        raise OperationError(_("You cannot change your own role or deactivate yourself."))


def set_site_role(actor: User, user: User, role: str) -> None:
    _check_admin_action(actor, user)
    try:
        role = SiteRole(role)
    except ValueError:
        raise OperationError(_("Choose user, coordinator or admin."), "site_role") from None
    if user.site_role == role:
        return
    old = user.site_role
    user.site_role = role
    audit.record("user.role_changed", user, actor=actor, old=str(old), new=str(role))
    db.session.flush()


def set_active(actor: User, user: User, active: bool) -> None:
    _check_admin_action(actor, user)
    if user.active == active:
        return
    user.active = active
    audit.record("user.reactivated" if active else "user.deactivated", user, actor=actor)
    db.session.flush()
