"""Sign-in, sign-out and registration through HTTP, with CSRF on."""

import pytest
from sqlalchemy import func, select

from portal import create_app
from portal.extensions import db, login_manager
from portal.models import (
    AuditEvent,
    MemberRole,
    Membership,
    MembershipState,
    Organization,
    OutboxMessage,
    User,
    VerificationStatus,
)
from tests.helpers.clients import PASSWORD, location_path
from tests.helpers.forms import registration

GENERIC = "Invalid e-mail or password."


def user_count() -> int:
    return db.session.scalar(select(func.count(User.id)))


def audit_actions() -> list[str]:
    return db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()


@pytest.mark.parametrize("url", ["/login", "/register", "/reset"])
def test_account_pages_render_for_visitors(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="csrf_token"' in response.get_data(as_text=True)


def test_login_form_uses_email_and_password_fields(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'name="email"' in page and 'name="password"' in page
    assert '<label for="email">E-mail</label>' in page


# -- registration ------------------------------------------------------------------------------


def test_register_new_organization_signs_in(client, make_org):
    response = client.post("/register", data=registration())
    assert response.status_code == 302
    assert location_path(response) == "/profile"

    user = db.session.scalar(select(User).filter_by(email="amina@diaspora.example"))
    org = db.session.scalar(select(Organization).filter_by(name="Diaspora Voices Senegal"))
    assert org.status == VerificationStatus.PENDING and org.country == "SN"
    assert org.kind == "migrant_led" and org.acronym == "DVS"
    membership = db.session.scalar(select(Membership).filter_by(user_id=user.id))
    assert membership.organization == org and membership.role == MemberRole.ADMIN
    assert user.last_login_at is not None and not user.email_confirmed

    page = client.get("/profile", follow_redirects=True).get_data(as_text=True)
    assert "pending verification" in page
    assert "Confirm your e-mail address" in page
    assert "Diaspora Voices Senegal" in page
    assert {"user.registered", "organization.registered"} <= set(audit_actions())


def test_register_asking_to_join(client, people):
    org = people["org"]
    response = client.post(
        "/register", data=registration(mode="join", organization=str(org.id), org_name="")
    )
    assert response.status_code == 302
    page = client.get("/profile").get_data(as_text=True)
    assert "waiting for its administrators" in page and org.name in page

    user = db.session.scalar(select(User).filter_by(email="amina@diaspora.example"))
    membership = db.session.scalar(select(Membership).filter_by(user_id=user.id))
    assert membership.state == MembershipState.REQUESTED
    # The admins hear of the request once the address is confirmed (tests/test_auth_confirmation).
    assert db.session.scalars(select(OutboxMessage).filter_by(kind="join_requested")).all() == []


def test_register_join_lists_only_verified_organizations(client, make_org):
    make_org(name="Verified Coalition")
    make_org(name="Pending Collective", status=VerificationStatus.PENDING)
    page = client.get("/register").get_data(as_text=True)
    assert "Verified Coalition" in page
    assert "Pending Collective" not in page


def test_register_refuses_duplicate_email_in_other_case(client, make_user):
    make_user(email="amina@diaspora.example")
    before = user_count()
    response = client.post("/register", data=registration(email="AMINA@Diaspora.Example"))
    assert response.status_code == 200
    assert "already registered" in response.get_data(as_text=True)
    assert user_count() == before
    assert db.session.scalar(select(func.count(Organization.id))) == 0


@pytest.mark.parametrize(
    "overrides, message",
    [
        (dict(password_again="something different"), "The passwords do not match."),
        (dict(password="short", password_again="short"), "at least 10 characters"),
        (dict(org_name=""), "Enter the organization&#39;s name."),
        (dict(org_country=""), "Choose a country, a region or International from the list."),
        (dict(org_country="XX"), "Unknown country or region: XX."),
        (dict(org_name="ab"), "The name must be"),
        (dict(mode="join", organization=""), "Choose an organization."),
        (dict(mode="join", organization="99999"), "Choose an organization from the list."),
        (dict(email="not an address"), "Invalid email address."),
    ],
)
def test_register_bad_input_shows_error_and_writes_nothing(client, overrides, message):
    response = client.post("/register", data=registration(**overrides))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page
    assert 'class="error"' in page
    assert user_count() == 0
    assert audit_actions() == []
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_register_org_error_is_next_to_the_org_field(client):
    page = client.post("/register", data=registration(org_name="ab")).get_data(as_text=True)
    assert 'id="org_name-error"' in page


def test_signed_in_person_is_sent_from_register_to_profile(client, login, make_user):
    login(make_user())
    response = client.get("/register")
    assert response.status_code == 302 and location_path(response) == "/profile"


# -- sign in -----------------------------------------------------------------------------------


def test_login_success_records_time_and_audit(client, make_user):
    user = make_user(email="signer@example.org")
    response = client.post("/login", data={"email": "Signer@Example.org", "password": PASSWORD})
    assert response.status_code == 302 and location_path(response) == "/"
    db.session.refresh(user)
    assert user.last_login_at is not None
    event = db.session.scalar(select(AuditEvent).filter_by(action="user.login"))
    assert event.actor_id == user.id
    assert client.get("/profile").status_code == 200


@pytest.mark.parametrize("who", ["wrong password", "unknown address", "deactivated"])
def test_login_failure_is_generic(client, make_user, who):
    user = make_user(email="signer@example.org")
    email, password = user.email, PASSWORD
    if who == "wrong password":
        password = "not the password"
    elif who == "unknown address":
        email = "nobody@example.org"
    else:
        user.active = False
        db.session.commit()
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert GENERIC in page
    assert "not registered" not in page and "deactivated" not in page
    assert client.get("/profile").status_code == 302
    assert "user.login" not in audit_actions()


def test_login_with_empty_fields_says_the_same(client):
    response = client.post("/login", data={"email": "", "password": ""})
    assert GENERIC in response.get_data(as_text=True)


def test_login_without_csrf_token_is_rejected(client, make_user):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD}, csrf=False)
    assert response.status_code == 400
    assert client.get("/profile").status_code == 302


def test_login_required_page_round_trip(client, make_user):
    user = make_user()
    response = client.get("/profile")
    assert response.status_code == 302
    assert location_path(response) == "/login?next=%2Fprofile"
    page = client.get("/login?next=%2Fprofile").get_data(as_text=True)
    assert 'name="next" type="hidden" value="/profile"' in page
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "next": "/profile"}
    )
    assert location_path(response) == "/profile"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/path",
        "///evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "http:evil.example",
        "javascript:alert(1)",
        "/\t/evil.example",
        "evil.example",
        "",
    ],
)
def test_login_next_never_leaves_the_site(client, make_user, target):
    user = make_user()
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert response.headers["Location"] in ("/", "http://localhost/")


def test_login_next_keeps_query_on_this_site(client, make_user):
    user = make_user()
    response = client.post(
        "/login",
        data={"email": user.email, "password": PASSWORD, "next": "/organizations/?q=rights"},
    )
    assert location_path(response) == "/organizations/?q=rights"


def test_login_sets_hardened_session_cookie(client, make_user):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_logout_is_post_only_and_audited(client, login, make_user):
    user = make_user()
    login(user)
    assert client.get("/logout").status_code == 405
    assert client.get("/profile").status_code == 200
    response = client.post("/logout")
    assert response.status_code == 302
    assert client.get("/profile").status_code == 302
    assert audit_actions()[-1] == "user.logout"


def test_logout_without_csrf_token_is_rejected(client, login, make_user):
    login(make_user())
    assert client.post("/logout", csrf=False).status_code == 400
    assert client.get("/profile").status_code == 200


def test_deactivated_person_loses_their_session(client, login, people):
    login(people["member"])
    people["member"].active = False
    db.session.commit()
    assert client.get("/profile").status_code == 302


# -- configuration -----------------------------------------------------------------------------


def test_cookie_defaults_of_a_fresh_app(monkeypatch):
    for name in ("FLASK_DEBUG", "SESSION_COOKIE_SECURE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", "a production key, long and random enough")
    app = create_app()
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["WTF_CSRF_ENABLED"] is True
    assert login_manager.session_protection == "strong"

    monkeypatch.setenv("FLASK_DEBUG", "1")
    assert create_app().config["SESSION_COOKIE_SECURE"] is False


@pytest.mark.commits  # another app, on its own connection, reads the rows
def test_login_is_rate_limited(app, make_user):
    user = make_user()
    limited = create_app(
        {
            **{k: app.config[k] for k in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "TESTING")},
            "RATELIMIT_ENABLED": True,
            "LOGIN_RATE_LIMIT": "3 per minute",
            "SESSION_COOKIE_SECURE": False,
        }
    )
    from tests.helpers.clients import PortalClient

    limited.test_client_class = PortalClient
    client = limited.test_client()
    codes = [
        client.post("/login", data={"email": user.email, "password": "wrong"}).status_code
        for _ in range(4)
    ]
    assert codes == [200, 200, 200, 429]
    assert client.get("/login").status_code == 200  # only POST is limited
    with limited.app_context():
        db.engine.dispose()


def _limited_client(app, **settings):
    limited = create_app(
        {
            **{k: app.config[k] for k in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "TESTING")},
            "RATELIMIT_ENABLED": True,
            "SESSION_COOKIE_SECURE": False,
            "PASSWORD_HASH_METHOD": app.config["PASSWORD_HASH_METHOD"],
            **settings,
        }
    )
    from tests.helpers.clients import PortalClient

    limited.test_client_class = PortalClient
    return limited, limited.test_client()


@pytest.mark.parametrize(
    ("url", "setting"),
    [("/login", "LOGIN_ACCOUNT_RATE_LIMIT"), ("/reset", "RESET_ACCOUNT_RATE_LIMIT")],
)
@pytest.mark.commits  # another app, on its own connection, reads the rows
def test_posts_are_limited_per_account_and_client_address(app, make_user, url, setting):
    """One client address guessing at one account is stopped; the same account from another
    address, and another account from the same address, are not."""
    user, other = make_user(), make_user()
    limited, client = _limited_client(app, **{setting: "2 per minute"})

    def post(email, ip):
        data = {"email": email, "password": "wrong"}
        return client.post(url, data=data, environ_base={"REMOTE_ADDR": ip}).status_code

    codes = [post(user.email, "10.0.0.1") for _ in range(3)]
    assert codes[:2] != [429, 429] and codes[2] == 429
    assert post(user.email, "10.0.0.2") != 429
    assert post(other.email, "10.0.0.1") != 429
    with limited.app_context():
        db.engine.dispose()


@pytest.mark.commits  # another app, on its own connection, reads the rows
def test_a_stranger_cannot_lock_the_owner_out(app, make_user):
    """Failures from many addresses exhaust nothing the owner needs: the right password from the
    owner's own address still signs in at once."""
    user = make_user()
    limited, client = _limited_client(app, LOGIN_ACCOUNT_RATE_LIMIT="3 per hour")
    for n in range(1, 21):
        client.post(
            "/login",
            data={"email": user.email, "password": "wrong guess"},
            environ_base={"REMOTE_ADDR": f"198.51.100.{n}"},
        )
    response = client.post(
        "/login",
        data={"email": user.email, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "192.0.2.10"},
    )
    assert response.status_code == 302
    with limited.app_context():
        db.engine.dispose()


@pytest.mark.commits  # another app, on its own connection, reads the rows
def test_successful_sign_ins_do_not_count_against_the_limit(app, make_user):
    user = make_user()
    limited, client = _limited_client(
        app, LOGIN_RATE_LIMIT="2 per minute", LOGIN_ACCOUNT_RATE_LIMIT="2 per minute"
    )
    for _ in range(4):
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302
        client.post("/logout")
    with limited.app_context():
        db.engine.dispose()
