"""Sessions: who a cookie names, how long it lives, and what the app trusts about the client.

- The session id is "<user id>:<fingerprint>", the fingerprint hashing the password hash and the
  user's session nonce. Signing out (or changing the password) changes it, so every cookie issued
  before, a copied one included, loads nobody: the session ends on the server, not only in the
  browser that signed out.
- A session expires after SESSION_IDLE_MINUTES without a request: the cookie is re-signed on every
  request and Flask refuses a signature older than the lifetime, whatever the browser keeps.
- Behind TRUSTED_PROXIES reverse proxies, the client address and scheme come from their
  X-Forwarded-* headers (the rate limits and audit log key on that address); with none, the
  headers are ignored, so a client cannot choose the address it is counted under.
"""

from datetime import timedelta
from functools import cache

from flask import Flask, session
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload
from werkzeug.middleware.proxy_fix import ProxyFix

from ..config import DEVELOPMENT_SECRET_KEY
from ..core.versions import first_with_data_version
from ..extensions import login_manager
from ..models import User


class InsecureSecretKey(RuntimeError):
    pass


def init_app(app: Flask) -> None:
    refuse_development_secret_key(app)
    login_manager.user_loader(load_user)
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies > 0:
        # Flask's documented way to add WSGI middleware; typeshed sees a method replaced.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_prefix=proxies
        )
    app.permanent_session_lifetime = timedelta(minutes=int(app.config["SESSION_IDLE_MINUTES"]))
    app.before_request(_roll_session)


def refuse_development_secret_key(app: Flask) -> None:
    """The development key is public (it is in the source): with it anyone can forge sessions,
    reset links and sign-on links. Only debug mode and the tests may run with it."""
    key = app.config.get("SECRET_KEY")
    if app.debug or app.testing:
        return
    if not key or key == DEVELOPMENT_SECRET_KEY:
        raise InsecureSecretKey(
            "SECRET_KEY is not set (or is the public development value): refusing to start. "
            "Set SECRET_KEY to a long random value, e.g. "
            "SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))'), "
            "or set FLASK_DEBUG=1 for local development only."
        )


def _roll_session() -> None:
    # A permanent session is re-signed on every request, so its age is the time since the last
    # request: the idle timeout. Empty sessions stay empty (no cookie for a passing visitor).
    if session and not session.permanent:
        session.permanent = True


def load_user(session_id: str):
    user_id, _, fingerprint = session_id.partition(":")
    if not user_id.isdigit():
        return None
    # With the memberships every signed-in page reads (navigation, permissions) and the data
    # version its badges and kept pieces need (core/versions.py): one query.
    row = first_with_data_version(_user_query(), {"id": int(user_id)})
    user = row[0] if row is not None else None
    if user is None or not user.active or fingerprint != user.session_fingerprint:
        return None
    return user


@cache
def _user_query():
    return select(User).options(joinedload(User.memberships)).where(User.id == bindparam("id"))
