"""Test fixtures: the app on SQLite (and PostgreSQL when TEST_DATABASE_URL is set), factories
returning functions, and clients logged in per role. CSRF stays on: the client fetches a real
token from a page and sends it, exactly as a browser does; pass csrf=False to leave it out."""

import os
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from portal import create_app
from portal.core.fragments import LocalStore
from portal.core.i18n import compile_catalogs
from portal.extensions import db, limiter
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
from tests.helpers.app_config import backends, config_for, postgres_url
from tests.helpers.clients import PASSWORD, PortalClient, signed_in

# Shared fixtures: statements in every workflow state (review, export and compendium tests), the
# access-matrix world, drafting and sign-on casts, organizations the desk chases, exports and
# Redis, a live threaded server, a server that must hear no request.
pytest_plugins = [
    "tests.review_support",
    "tests.access_world",
    "tests.statements_support",
    "tests.signons_support",
    "tests.desk_support",
    "tests.exports_support",
    "tests.live_server",
    "tests.tripwire_server",
]

# A fresh clone has the French and Spanish catalogs as .po only (`make install` compiles them).
compile_catalogs()


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


@pytest.fixture(scope="session", params=backends())
def database_url(request, tmp_path_factory):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        return
    url = postgres_url()
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
    app = create_app(config_for(url))
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    yield url
    if schema:
        engine = create_engine(database_url)
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        engine.dispose()


@pytest.fixture(scope="session")
def _app(_schema):
    """One app per backend and xdist worker; `app` gives each test its own transaction in it."""
    app = _new_app(_schema)
    # On the connection `app` binds, code under test that commits releases a SAVEPOINT.
    db.session.session_factory.configure(join_transaction_mode="create_savepoint")
    yield app
    with app.app_context():
        db.engine.dispose()


def _new_app(database_url: str):
    app = create_app(config_for(database_url))
    app.test_client_class = PortalClient
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            _explicit_sqlite_begin(db.engine)
    return app


def _explicit_sqlite_begin(engine) -> None:
    """pysqlite begins transactions late and on its own, which breaks SAVEPOINTs; connections
    of rolled-back tests (marked in `info`) switch that off and send BEGIN themselves. Connections
    of tests that commit keep the driver's behaviour, as the app has it in production."""

    @event.listens_for(engine, "begin")
    def _begin(connection):
        if connection.info.get(_EXPLICIT_BEGIN):
            connection.exec_driver_sql("BEGIN")


_EXPLICIT_BEGIN = "tests_explicit_begin"


@contextmanager
def _outer_transaction(engine):
    """A connection in a transaction that is rolled back at the end, whatever was committed."""
    connection = engine.connect()
    driver = connection.connection.driver_connection
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        driver.isolation_level = None
        connection.info[_EXPLICIT_BEGIN] = True
    transaction = connection.begin()
    try:
        yield connection
    finally:
        if transaction.is_active:
            transaction.rollback()
        if sqlite:
            connection.info.pop(_EXPLICIT_BEGIN, None)
            driver.isolation_level = ""
        connection.close()


@contextmanager
def _bound_to(app, connection):
    """db.session — and every `Session(db.engine)` of the app (outbox delivery, job progress) —
    on this connection: they see the test's rows and their commits release savepoints."""
    engines = db._app_engines[app]
    engine = engines[None]
    engines[None] = connection
    try:
        yield
    finally:
        db.session.remove()
        engines[None] = engine


def _commits(node) -> bool:
    return bool(node.get_closest_marker("commits") or node.get_closest_marker("postgres"))


class _ModuleTransaction:
    """The module's connection, in a transaction rolled back at the module's end: objects the
    module shares (`module_objects`) live in it, each test in a savepoint of it. A test that
    commits for real first ends it, so that on SQLite it holds no lock the test would wait on."""

    def __init__(self, engine):
        self.engine = engine
        self.shares = False
        self._outer = None
        self.connection = None

    def begin(self):
        if self.connection is None:
            self._outer = _outer_transaction(self.engine)
            self.connection = self._outer.__enter__()
        return self.connection

    def end(self):
        if self.shares:
            raise RuntimeError("a module sharing objects (module_objects) cannot commit for real")
        if self._outer is not None:
            self._outer.__exit__(None, None, None)
            self._outer = self.connection = None


@pytest.fixture(scope="module")
def _module_transaction(_app):
    with _app.app_context():
        engine = db.engine
    module = _ModuleTransaction(engine)
    yield module
    module.shares = False
    module.end()


@pytest.fixture
def app(_app, _schema, request, tmp_path, _module_transaction):
    """The session's app, with a fresh app context (`g`, Flask-Login's user), an ARTIFACT_DIR of
    its own and its config restored afterwards. The test runs in a savepoint rolled back at its
    end; tests marked `commits` (or `postgres`) commit for real and the tables are emptied.
    Tests marked `own_app` (they add routes or handlers) get an app of their own."""
    if request.node.get_closest_marker("own_app"):
        _app = _new_app(_schema)
        request.addfinalizer(lambda: _dispose(_app))
    saved = dict(_app.config)
    _app.config["ARTIFACT_DIR"] = str(tmp_path / "artifacts")
    # Rolled-back rows may come back with the same ids and times: no piece outlives its test.
    if isinstance(_app.extensions.get("fragments"), LocalStore):
        _app.extensions["fragments"].clear()
    try:
        with _app.app_context():
            if _commits(request.node):
                _module_transaction.end()
                try:
                    yield _app
                finally:
                    db.session.remove()
                    _empty_all_tables()
            else:
                if "world" in request.fixturenames:
                    request.getfixturevalue("_shared_world")  # built before the test's savepoint
                connection = _module_transaction.begin()
                savepoint = connection.begin_nested()
                try:
                    with _bound_to(_app, connection):
                        yield _app
                finally:
                    if savepoint.is_active:
                        savepoint.rollback()
    finally:
        _app.config.clear()
        _app.config.update(saved)
        if limiter.enabled and getattr(limiter, "_storage", None):  # hits counted by this test
            limiter.reset()


def _dispose(app) -> None:
    with app.app_context():
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


@pytest.fixture
def client(app):
    app.test_client_class = PortalClient
    return app.test_client()


@pytest.fixture
def client_for(app):
    """client_for(user) → a fresh client signed in as that user (None: an anonymous visitor)."""

    def make(user=None):
        return signed_in(app, user)

    return make


# -- factories ---------------------------------------------------------------------------------


def user_factory(start: int = 1):
    counter = iter(range(start, start + 10_000))

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
def make_user(app):
    return user_factory()


def org_factory(start: int = 1):
    counter = iter(range(start, start + 10_000))

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
def make_org(app):
    return org_factory()


def round_factory(start: int = 1):
    counter = iter(range(start, start + 10_000))

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
def make_round(app):
    return round_factory()


@pytest.fixture
def login(client):
    def do_login(user, the_client=None):
        the_client = the_client or client
        response = the_client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return the_client

    return do_login


@pytest.fixture
def people(request, make_user, make_org, _module_transaction):
    """One person per role, around one verified organization: the world's, once the module
    has built one (their slugs would collide)."""
    shares = "world" in request.fixturenames or _module_transaction.shares
    if shares and not _commits(request.node):
        ids = request.getfixturevalue("_shared_world")["people"]
        return {k: db.session.get(Organization if k == "org" else User, v) for k, v in ids.items()}
    return _people(make_user, make_org)


def _people(make_user, make_org) -> dict:
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
        return signed_in(app, None if role == "anonymous" else people[role])

    return make


@pytest.fixture(scope="module")
def module_objects(_app, _module_transaction):
    """build(make_user, make_org, make_round, make_people) → what it returns, made once per
    module in the module's transaction (numbered apart from what a test's own factories make)
    and rolled back at the module's end. For objects that the module's tests only read."""

    def build(builder):
        _module_transaction.shares = True
        with _app.app_context(), _bound_to(_app, _module_transaction.begin()):
            make_user, make_org = user_factory(50_001), org_factory(50_001)
            return builder(make_user, make_org, round_factory(50_001), _people)

    return build
