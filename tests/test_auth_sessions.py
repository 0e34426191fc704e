"""A session names the password and the session nonce it was opened with: changing or resetting
the password signs out every other session (the person who changed it stays signed in), signing
out ends the session on the server, and a session left idle expires."""

import time
from datetime import timedelta

import pytest

from portal import create_app
from portal.auth.sessions import InsecureSecretKey, load_user
from portal.auth.signed_tokens import make_reset_token
from portal.config import DEVELOPMENT_SECRET_KEY
from portal.extensions import db
from tests.helpers.clients import PASSWORD, signed_in

NEW = "an entirely new passphrase"


def test_changing_the_password_signs_out_other_sessions_only(app, make_user):
    user = make_user()
    here, elsewhere = signed_in(app, user), signed_in(app, user)
    assert elsewhere.get("/profile").status_code == 200

    response = here.post(
        "/profile/password",
        data={"current_password": PASSWORD, "new_password": NEW, "new_password_again": NEW},
    )
    assert response.status_code == 302

    assert here.get("/profile").status_code == 200
    response = elsewhere.get("/profile")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_password_reset_signs_out_existing_sessions(app, make_user):
    user = make_user()
    session = signed_in(app, user)
    token = make_reset_token(user)
    response = signed_in(app).post(f"/reset/{token}", data={"password": NEW, "password_again": NEW})
    assert response.status_code == 302
    db.session.expire_all()
    response = session.get("/profile")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_forged_or_old_style_session_id_loads_nobody(app, make_user):
    user = make_user()
    assert load_user(user.get_id()) == user
    assert load_user(str(user.id)) is None
    assert load_user(f"{user.id}:0000000000000000") is None
    assert load_user("not-a-number:abc") is None


# -- sign-out ends the session on the server --------------------------------------------------


def _copy_cookies(source, target) -> None:
    for cookie in source._cookies.values():
        target.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)


def test_a_copied_session_cookie_is_dead_after_sign_out(app, make_user):
    user = make_user()
    victim = signed_in(app, user)
    thief = app.test_client()
    _copy_cookies(victim, thief)
    assert thief.get("/profile").status_code == 200  # the copy works while the session lives

    assert victim.post("/logout").status_code == 302
    response = thief.get("/profile")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_sign_out_rotates_the_nonce_and_is_audited(app, make_user):
    from portal.auth import operations as ops

    user = make_user()
    before = user.get_id()
    ops.record_logout(user)
    db.session.commit()
    assert user.get_id() != before and load_user(before) is None
    assert load_user(user.get_id()) == user


# -- inactivity ---------------------------------------------------------------------------------


def test_a_session_expires_after_the_idle_timeout(app, make_user, monkeypatch):
    app.config["SESSION_IDLE_MINUTES"] = 30
    app.permanent_session_lifetime = timedelta(minutes=30)
    user = make_user()
    client = signed_in(app, user)
    now = time.time()
    # Activity keeps it alive: each request re-signs the cookie with the current time.
    for minutes in (20, 40, 60):
        monkeypatch.setattr(time, "time", lambda m=minutes: now + m * 60)
        assert client.get("/profile").status_code == 200, minutes
    monkeypatch.setattr(time, "time", lambda: now + 60 * 60 + 31 * 60)
    response = client.get("/profile")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_idle_timeout_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("SESSION_IDLE_MINUTES", "15")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    assert create_app().permanent_session_lifetime == timedelta(minutes=15)


# -- proxies --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("proxies", "expected"), [("0", "10.0.0.1"), ("1", "203.0.113.7")])
def test_forwarded_for_is_trusted_only_behind_configured_proxies(monkeypatch, proxies, expected):
    monkeypatch.setenv("TRUSTED_PROXIES", proxies)
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    app = create_app({"TESTING": True})
    seen = {}

    @app.get("/_test_addr")
    def addr():
        from flask import request

        seen["addr"] = request.remote_addr
        return "ok"

    app.test_client().get(
        "/_test_addr",
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
        headers={"X-Forwarded-For": "203.0.113.7"},
    )
    assert seen["addr"] == expected


# -- the SECRET_KEY ------------------------------------------------------------------------------


@pytest.mark.parametrize("key", [None, "", DEVELOPMENT_SECRET_KEY])
def test_refuses_to_start_with_the_development_secret_key(monkeypatch, key):
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    if key is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(InsecureSecretKey, match="SECRET_KEY"):
        create_app()


def test_development_secret_key_is_accepted_in_debug_and_testing(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("FLASK_DEBUG", "1")
    assert create_app().config["SECRET_KEY"] == DEVELOPMENT_SECRET_KEY
    monkeypatch.delenv("FLASK_DEBUG")
    assert create_app({"TESTING": True}).testing
