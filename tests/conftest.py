"""Test fixtures: the app on SQLite (and PostgreSQL when TEST_DATABASE_URL is set), factories
returning functions, and clients logged in per role. CSRF stays on: the client fetches a real
token from a page and sends it, exactly as a browser does; pass csrf=False to leave it out."""

import os
import re
from datetime import date, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from portal import create_app
from portal.extensions import db
from portal.models import (
    MemberRole,
    Membership,
    Organization,
    Process,
    ProgrammeArea,
    Round,
    SiteRole,
    User,
    VerificationStatus,
    utcnow,
)

# Statements in every workflow state, with signatures (review, export and compendium tests).
pytest_plugins = ["tests.review_support", "tests.access_world"]

PASSWORD = "correct horse battery staple"
TOKEN_RE = re.compile(r'name="csrf-token" content="([^"]+)"')


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` (row locks, concurrent writers) are deselected on SQLite, where
    they have nothing to prove; they run wherever TEST_DATABASE_URL is set."""
    keep, drop = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_sqlite = callspec is not None and callspec.params.get("database_url") == "sqlite"
        (drop if on_sqlite and item.get_closest_marker("postgres") else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def _backends():
    backends = ["sqlite"]
    if os.environ.get("TEST_DATABASE_URL"):
        backends.append("postgresql")
    elif os.environ.get("REQUIRE_POSTGRES") == "1":
        raise pytest.UsageError("REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set")
    return backends


def _postgres_url() -> str:
    url = os.environ["TEST_DATABASE_URL"]
    from portal.config import _database_url

    return _database_url(url)


@pytest.fixture(scope="session", params=_backends())
def database_url(request, tmp_path_factory):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        return
    url = _postgres_url()
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL required but unreachable: {exc}")
        pytest.skip(f"PostgreSQL unreachable (REQUIRE_POSTGRES=1 fails): {exc}")
    finally:
        engine.dispose()
    yield url


@pytest.fixture(scope="session")
def _schema(database_url):
    """Tables created once per run; on PostgreSQL in a schema of this process's own, so that
    parallel runs (xdist workers, several developers) never see each other's rows."""
    url = database_url
    schema = None
    if make_url(database_url).get_backend_name() == "postgresql":
        schema = f"test_{os.getpid()}"
        engine = create_engine(database_url)
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            connection.execute(text(f"CREATE SCHEMA {schema}"))
        engine.dispose()
        url = database_url + ("&" if "?" in database_url else "?")
        url += f"options=-csearch_path%3D{schema}"
    app = create_app(_test_config(url))
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    yield url
    if schema:
        engine = create_engine(database_url)
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        engine.dispose()


def _test_config(database_url: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": True,
        "RATELIMIT_ENABLED": False,
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "MAIL_SERVER": None,
        # Real scrypt, with parameters cheap enough for hundreds of test logins.
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
    }


@pytest.fixture
def app(_schema, tmp_path):
    app = create_app({**_test_config(_schema), "ARTIFACT_DIR": str(tmp_path / "artifacts")})
    with app.app_context():
        yield app
        db.session.remove()
        _empty_all_tables()
        db.engine.dispose()


def _empty_all_tables() -> None:
    tables = db.metadata.sorted_tables
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(tables):
                connection.execute(table.delete())


class PortalClient(FlaskClient):
    """Sends the session's CSRF token with every form post unless told csrf=False."""

    def csrf_token(self) -> str:
        page = self.get("/login").get_data(as_text=True)
        return TOKEN_RE.search(page).group(1)

    def open(self, *args, **kwargs):
        # The app fixture keeps one app context pushed, and requests reuse it: without this,
        # `g` (Flask-Login's cached user, Flask-WTF's token) would leak from one request, or
        # one client, to the next.
        from flask import g

        for key in list(g):
            g.pop(key)
        # Buffered, as a WSGI server consumes it: the response is closed, so what the app runs
        # after the response has gone out (outbox delivery) has run when the test goes on.
        kwargs.setdefault("buffered", True)
        return super().open(*args, **kwargs)

    def post(self, *args, csrf: bool = True, **kwargs):
        data = kwargs.get("data")
        if csrf and (data is None or isinstance(data, dict)):
            data = dict(data or {})
            data.setdefault("csrf_token", self.csrf_token())
            kwargs["data"] = data
        return super().post(*args, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = PortalClient
    return app.test_client()


# -- factories ---------------------------------------------------------------------------------


@pytest.fixture
def make_user(app):
    counter = iter(range(1, 10_000))

    def make(
        email=None,
        name=None,
        site_role=SiteRole.USER,
        org=None,
        role=MemberRole.MEMBER,
        confirmed=True,
    ):
        n = next(counter)
        user = User(email=email or f"person{n}@example.net", name=name or f"Person {n}")
        user.set_password(PASSWORD)
        # Most tests are about people who can act; pass confirmed=False for one who cannot yet.
        user.email_confirmed_at = utcnow() if confirmed else None
        user.site_role = site_role
        db.session.add(user)
        if org is not None:
            db.session.add(Membership(user=user, organization=org, role=role))
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_org(app):
    counter = iter(range(1, 10_000))

    def make(name=None, country="KE", status=VerificationStatus.VERIFIED, **fields):
        n = next(counter)
        org = Organization(
            slug=fields.pop("slug", f"org-{n}"),
            name=name or f"Organization {n}",
            country=country,
            status=status,
            **fields,
        )
        db.session.add(org)
        db.session.commit()
        return org

    return make


@pytest.fixture
def make_round(app):
    counter = iter(range(1, 10_000))

    def make(phase="open", process=None, areas=("Area one", "Area two"), **fields):
        n = next(counter)
        now = utcnow()
        if process is None:
            process = Process(slug=f"process-{n}", title=f"Process {n}", short_title=f"P{n}")
            db.session.add(process)
        opens = {
            "open": now - timedelta(days=10),
            "upcoming": now + timedelta(days=5),
            "closed": now - timedelta(days=40),
        }[phase]
        deadline = {
            "open": now + timedelta(days=10),
            "upcoming": now + timedelta(days=20),
            "closed": now - timedelta(days=20),
        }[phase]
        defaults = dict(
            slug=f"round-{n}",
            number=n,
            title=f"Round {n}",
            place="New York",
            meeting_start=date(2018, 3, 12),
            meeting_end=date(2018, 3, 15),
            timezone="America/New_York",
            opens_at=opens,
            submission_deadline=deadline,
            signon_deadline=deadline,
        )
        defaults.update(fields)
        round_ = Round(process=process, **defaults)
        round_.areas = [ProgrammeArea(title=t, position=i) for i, t in enumerate(areas)]
        db.session.add(round_)
        db.session.commit()
        return round_

    return make


@pytest.fixture
def login(client):
    def do_login(user, the_client=None):
        the_client = the_client or client
        response = the_client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return the_client

    return do_login


@pytest.fixture
def people(make_user, make_org):
    """One person per role, around one verified organization."""
    org = make_org(name="Migrant Rights Network", slug="mrn")
    return {
        "member": make_user(org=org, role=MemberRole.MEMBER),
        "signatory": make_user(org=org, role=MemberRole.SIGNATORY),
        "org_admin": make_user(org=org, role=MemberRole.ADMIN),
        "outsider": make_user(),
        "coordinator": make_user(site_role=SiteRole.COORDINATOR),
        "admin": make_user(site_role=SiteRole.ADMIN),
        "org": org,
    }


@pytest.fixture
def client_as(app, people):
    """client_as('coordinator') → a fresh client signed in as that role ('anonymous' for none)."""

    def make(role):
        app.test_client_class = PortalClient
        the_client = app.test_client()
        if role != "anonymous":
            response = the_client.post(
                "/login", data={"email": people[role].email, "password": PASSWORD}
            )
            assert response.status_code == 302
        return the_client

    return make
