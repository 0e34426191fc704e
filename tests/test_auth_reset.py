"""Password reset through HTTP: the link is read from the outbox, as a demo without SMTP would."""

import re
import time

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import select

from portal.auth.signed_tokens import make_reset_token
from portal.extensions import db
from portal.models import AuditEvent, OutboxMessage, OutboxStatus
from tests.helpers.clients import PASSWORD

SENT = "If an account exists for that address, we sent a link to reset its password."
LINK_RE = re.compile(r"https?://[^/\s]+(/reset/[\w.\-]+)")
NEW_PASSWORD = "a completely new passphrase"


def reset_messages() -> list[OutboxMessage]:
    return db.session.scalars(
        select(OutboxMessage).filter_by(kind="password_reset").order_by(OutboxMessage.id)
    ).all()


def reset_link(client, email) -> str:
    client.post("/reset", data={"email": email})
    return LINK_RE.search(reset_messages()[-1].body).group(1)


def test_reset_full_flow(client, make_user):
    user = make_user(email="signer@example.org")
    response = client.post("/reset", data={"email": "Signer@Example.ORG"})
    assert response.status_code == 302
    assert SENT in client.get("/login").get_data(as_text=True)

    (message,) = reset_messages()
    assert message.recipient == "signer@example.org"
    assert message.status == OutboxStatus.LOGGED  # no MAIL_SERVER in tests
    path = LINK_RE.search(message.body).group(1)

    page = client.get(path).get_data(as_text=True)
    assert "Choose a new password" in page
    assert '<meta name="referrer" content="no-referrer">' in page
    response = client.post(path, data={"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")

    db.session.refresh(user)
    assert user.check_password(NEW_PASSWORD)
    assert (
        client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 200
    )
    response = client.post("/login", data={"email": user.email, "password": NEW_PASSWORD})
    assert response.status_code == 302

    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[:2] == ["user.password_reset_requested", "user.password_reset"]
    changed = db.session.scalars(select(OutboxMessage).filter_by(kind="password_changed")).all()
    assert [m.recipient for m in changed] == [user.email]


def test_unknown_address_gets_the_same_answer_and_no_mail(client, make_user):
    make_user(email="signer@example.org")
    known = client.post("/reset", data={"email": "signer@example.org"}, follow_redirects=True)
    unknown = client.post("/reset", data={"email": "nobody@example.org"}, follow_redirects=True)
    assert known.status_code == unknown.status_code == 200
    assert SENT in known.get_data(as_text=True) and SENT in unknown.get_data(as_text=True)
    assert [m.recipient for m in reset_messages()] == ["signer@example.org"]


def test_reset_request_without_csrf_is_rejected(client, make_user):
    user = make_user()
    assert client.post("/reset", data={"email": user.email}, csrf=False).status_code == 400
    assert reset_messages() == []


def test_used_token_cannot_be_reused(client, make_user):
    user = make_user()
    path = reset_link(client, user.email)
    data = {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    assert client.post(path, data=data).status_code == 302

    page = client.get(path).get_data(as_text=True)
    assert "expired or has already been used" in page
    other = {"password": "a third new passphrase", "password_again": "a third new passphrase"}
    response = client.post(path, data=other)
    assert "expired or has already been used" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.check_password(NEW_PASSWORD)


def test_every_earlier_link_dies_with_the_password(client, make_user):
    user = make_user()
    first = reset_link(client, user.email)
    second = reset_link(client, user.email)
    data = {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    assert client.post(second, data=data).status_code == 302
    assert "expired or has already been used" in client.get(first).get_data(as_text=True)


def test_expired_token_is_refused(client, make_user, monkeypatch, app):
    user = make_user()
    issued = int(time.time()) - app.config["PASSWORD_RESET_MAX_AGE"] - 60
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: issued)
        token = make_reset_token(user)
    data = {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    response = client.post(f"/reset/{token}", data=data)
    assert "expired or has already been used" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.check_password(PASSWORD)


def test_token_expiry_follows_config(client, make_user, app):
    user = make_user()
    path = reset_link(client, user.email)
    assert client.get(path).status_code == 200
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    assert "expired or has already been used" in client.get(path).get_data(as_text=True)


@pytest.mark.parametrize("token", ["garbage", "eyJ1aWQiOjF9.AAAA.BBBB"])
def test_forged_token_is_refused(client, make_user, token):
    make_user()
    assert "expired or has already been used" in client.get(f"/reset/{token}").get_data(
        as_text=True
    )


def test_token_for_another_purpose_is_refused(client, make_user, app):
    from itsdangerous import URLSafeTimedSerializer

    user = make_user()
    other = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="something-else")
    token = other.dumps({"uid": user.id, "fp": "x"})
    assert "expired or has already been used" in client.get(f"/reset/{token}").get_data(
        as_text=True
    )


def test_new_password_is_checked(client, make_user):
    user = make_user()
    path = reset_link(client, user.email)
    response = client.post(path, data={"password": "short", "password_again": "short"})
    assert "at least 10 characters" in response.get_data(as_text=True)
    response = client.post(path, data={"password": NEW_PASSWORD, "password_again": "different"})
    assert "The passwords do not match." in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.check_password(PASSWORD)


def test_deactivated_account_gets_no_link(client, make_user):
    user = make_user()
    user.active = False
    db.session.commit()
    response = client.post("/reset", data={"email": user.email}, follow_redirects=True)
    assert SENT in response.get_data(as_text=True)
    assert reset_messages() == []
