"""When the database goes away: a write answered with an error page was not stored, a stored
write is not answered as a failure, the error page renders without the database, and pooled
connections recover after a restart.

The failure is simulated on both backends by making every statement refuse with the driver's own
OperationalError from a chosen moment (at the INSERT, or right after the commit); on PostgreSQL
it is also real: the request's backend is terminated with pg_terminate_backend."""

from contextlib import contextmanager

import pytest
from flask import request
from sqlalchemy import create_engine, event, func, select, text

from portal.extensions import db
from portal.models import AuditEvent, Comment
from tests.helpers.app_config import postgres_url

# Other connections (threads, workers, a second engine) must see the rows: real commits.
pytestmark = pytest.mark.commits


class Outage:
    """Makes the database refuse every statement once `start()` has been called."""

    def __init__(self, engine):
        self.engine = engine
        self.down = False

    def start(self):
        self.down = True

    def refuse(self, conn, cursor, statement, parameters, context, executemany):
        if self.down:
            raise conn.dialect.loaded_dbapi.OperationalError("the database went away (test)")

    def start_at(self, fragment: str):
        """Go down when a statement containing `fragment` is about to run."""

        def watch(conn, cursor, statement, *args):
            if fragment in statement:
                self.start()

        event.listen(self.engine, "before_cursor_execute", watch)
        return watch


@pytest.fixture
def outage(app):
    found = Outage(db.engine)
    event.listen(db.engine, "before_cursor_execute", found.refuse)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: the error page answers
    yield found
    found.down = False
    event.remove(db.engine, "before_cursor_execute", found.refuse)


@contextmanager
def down_after_commit(outage):
    # After the POST's commit: a GET that only read commits too (portal/core/read_only_requests.py)
    def after_commit(session):
        if request.method == "POST":
            outage.start()

    event.listen(db.session, "after_commit", after_commit)
    try:
        yield
    finally:
        event.remove(db.session, "after_commit", after_commit)


def _stored() -> tuple[int, int]:
    return (
        db.session.scalar(select(func.count(Comment.id))),
        db.session.scalar(select(func.count(AuditEvent.id))),
    )


def _post_comment(world, client_as):
    client = client_as("member")
    token = client.csrf_token()
    return client, {"csrf_token": token, "body": "Please shorten the second paragraph."}


def _assert_honest(response, before, what):
    """A 5xx means nothing was stored; anything else means the comment was."""
    db.session.rollback()
    after = _stored()
    if response.status_code >= 500:
        assert after == before, f"{what}: answered {response.status_code} but stored the write"
    else:
        assert after[0] == before[0] + 1, f"{what}: answered {response.status_code}, not stored"


def test_a_stored_comment_is_not_answered_as_a_failure(world, client_as, outage):
    client, data = _post_comment(world, client_as)
    before = _stored()
    with down_after_commit(outage):
        response = client.post(f"/statements/{world['own_draft']}/comments", data=data)
    outage.down = False
    assert response.status_code < 500
    _assert_honest(response, before, "failure after commit")


def test_a_failed_insert_stores_nothing_and_shows_the_error_page(world, client_as, outage):
    client, data = _post_comment(world, client_as)
    before = _stored()
    watch = outage.start_at("INSERT INTO comments")
    try:
        response = client.post(f"/statements/{world['own_draft']}/comments", data=data)
    finally:
        event.remove(db.engine, "before_cursor_execute", watch)
        outage.down = False
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "Temporarily unavailable" in page and "Nothing was saved" in page
    assert "Sign out" not in page  # drawn without looking the person up
    _assert_honest(response, before, "failure at the insert")


@pytest.mark.parametrize("path", ["/", "/statements/mine", "/no/such/page"])
def test_the_error_page_needs_no_database(path, people, client_as, outage):
    client = client_as("member")
    db.session.remove()  # the person is looked up again by the request, as in production
    outage.start()
    response = client.get(path)
    outage.down = False
    assert response.status_code in (404, 503)
    page = response.get_data(as_text=True)
    assert "<h1>" in page and "Back to the home page" in page
    assert response.headers["Content-Security-Policy"]


@pytest.mark.own_app  # adds a route
def test_an_unexpected_error_rolls_back_and_renders_without_the_database(
    app, people, client_as, outage
):
    @app.post("/test-only/half-write")
    def half_write():
        from portal.models import Process

        db.session.add(Process(slug="half", title="Half written"))
        db.session.flush()
        outage.start()  # the page cannot reach the database any more
        raise RuntimeError("a bug after a flush")

    client = client_as("member")
    response = client.post("/test-only/half-write", data={})
    outage.down = False
    assert response.status_code == 500
    assert "Something went wrong" in response.get_data(as_text=True)
    from portal.models import Process

    db.session.rollback()
    assert db.session.scalar(select(Process).where(Process.slug == "half")) is None


@pytest.mark.own_app  # adds a route
def test_any_view_failing_after_its_commit_says_the_change_is_saved(app, people, client_as, outage):
    from portal.models import Process

    @app.post("/test-only/save-then-read")
    def save_then_read():
        process = Process(slug="saved", title="Saved process")
        db.session.add(process)
        db.session.commit()
        outage.start()
        return process.title  # read back after the commit, from a database that is gone

    response = client_as("member").post("/test-only/save-then-read", data={})
    outage.down = False
    assert response.status_code == 200
    assert "Your change is saved" in response.get_data(as_text=True)
    db.session.rollback()
    assert db.session.scalar(select(Process).where(Process.slug == "saved")) is not None


# -- PostgreSQL: the real thing -----------------------------------------------------------------


def _terminate(pid: int) -> None:
    """Ends one backend from another connection, as a restart ends them all."""
    engine = create_engine(postgres_url())
    try:
        with engine.begin() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        engine.dispose()


def _backend_pids() -> set[int]:
    pids = set()
    for _ in range(3):  # the connections the pool holds: each checkout reports its own
        pids.add(db.session.scalar(text("SELECT pg_backend_pid()")))
    db.session.rollback()
    return pids


@pytest.mark.postgres
def test_pooled_connections_recover_after_a_restart(database_url, world, client_as):
    assert db.engine.pool._pre_ping  # a stale connection is tested at checkout and replaced
    client = client_as("member")
    assert client.get(f"/statements/{world['own_draft']}").status_code == 200
    db.session.remove()
    for pid in _backend_pids():
        _terminate(pid)
    db.session.remove()
    assert client.get(f"/statements/{world['own_draft']}").status_code == 200


@pytest.mark.postgres
def test_a_backend_killed_mid_write_stores_nothing(database_url, app, world, client_as):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    client, data = _post_comment(world, client_as)
    before = _stored()

    def kill_own_backend(conn, cursor, statement, *args):
        if "INSERT INTO comments" in statement:
            _terminate(conn.connection.dbapi_connection.info.backend_pid)

    event.listen(db.engine, "before_cursor_execute", kill_own_backend)
    try:
        response = client.post(f"/statements/{world['own_draft']}/comments", data=data)
    finally:
        event.remove(db.engine, "before_cursor_execute", kill_own_backend)
    assert response.status_code == 503
    assert "Temporarily unavailable" in response.get_data(as_text=True)
    db.session.remove()
    _assert_honest(response, before, "backend killed at the insert")
