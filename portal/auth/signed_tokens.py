"""Tokens sent by e-mail for accounts: signed, timed, and each good for one use.

A password-reset token carries the user's id and a fingerprint of the current password hash:
once the password changes (by this token or any other way) the fingerprint no longer matches.
A confirmation token carries the user's id and the address it was sent to: it proves that address
until the account is confirmed, and is worthless afterwards. Nothing is stored server-side.
"""

import hashlib

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..extensions import db
from ..models import User

SALT = "portal.password-reset"
CONFIRM_SALT = "portal.email-confirmation"


def _serializer(salt: str = SALT) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def password_fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:20]


def make_reset_token(user: User) -> str:
    return _serializer().dumps({"uid": user.id, "fp": password_fingerprint(user)})


def load_reset_token(token: str) -> User | None:
    """The active user the token was issued to, or None when it is forged, expired or used."""
    payload = _load(token, SALT, current_app.config["PASSWORD_RESET_MAX_AGE"])
    if payload is None:
        return None
    user = db.session.get(User, payload["uid"])
    if user is None or not user.active or payload.get("fp") != password_fingerprint(user):
        return None
    return user


def make_confirmation_token(user: User) -> str:
    return _serializer(CONFIRM_SALT).dumps({"uid": user.id, "email": user.email})


def load_confirmation_token(token: str) -> User | None:
    """The active, still unconfirmed user whose current address the token was sent to."""
    payload = _load(token, CONFIRM_SALT, current_app.config["EMAIL_CONFIRMATION_MAX_AGE"])
    if payload is None:
        return None
    user = db.session.get(User, payload["uid"])
    if user is None or not user.active or user.email_confirmed:
        return None
    return user if payload.get("email") == user.email else None


def _load(token: str, salt: str, max_age: int) -> dict | None:
    try:
        payload = _serializer(salt).loads(token, max_age=max_age)
    except BadSignature:  # SignatureExpired is a subclass
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("uid"), int):
        return None
    return payload
