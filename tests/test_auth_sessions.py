"""A session names the password it was opened with: changing or resetting the password signs out
every other session, and the person who changed it stays signed in."""

from portal.auth.tokens import make_reset_token
from portal.extensions import db

from .conftest import PASSWORD, PortalClient

NEW = "an entirely new passphrase"


def _client(app, user):
    app.test_client_class = PortalClient
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_changing_the_password_signs_out_other_sessions_only(app, make_user):
    user = make_user()
    here, elsewhere = _client(app, user), _client(app, user)
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
    signed_in = _client(app, user)
    token = make_reset_token(user)
    app.test_client_class = PortalClient
    response = app.test_client().post(
        f"/reset/{token}", data={"password": NEW, "password_again": NEW}
    )
    assert response.status_code == 302
    db.session.expire_all()
    response = signed_in.get("/profile")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_forged_or_old_style_session_id_loads_nobody(app, make_user):
    from portal import _load_user

    user = make_user()
    assert _load_user(user.get_id()) == user
    assert _load_user(str(user.id)) is None
    assert _load_user(f"{user.id}:0000000000000000") is None
    assert _load_user("not-a-number:abc") is None
