"""Password-reset tokens: signed, timed, and tied to the password they are meant to replace.

The token carries the user's id and a fingerprint of the current password hash. Once the password
changes (by this token or any other way) the fingerprint no longer matches, so a token works once.
Nothing is stored server-side.
"""

import hashlib

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..extensions import db
from ..models import User

SALT = "portal.password-reset"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def password_fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:20]


def make_reset_token(user: User) -> str:
    return _serializer().dumps({"uid": user.id, "fp": password_fingerprint(user)})


def load_reset_token(token: str) -> User | None:
    """The active user the token was issued to, or None when it is forged, expired or used."""
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"]
    try:
        payload = _serializer().loads(token, max_age=max_age)
    except BadSignature:  # SignatureExpired is a subclass
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("uid"), int):
        return None
    user = db.session.get(User, payload["uid"])
    if user is None or not user.active or payload.get("fp") != password_fingerprint(user):
        return None
    return user
