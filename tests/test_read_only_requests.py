"""A request that only read ends its transaction with COMMIT (portal/core/read_only_requests.py),
so that PostgreSQL keeps its prepared plans; one that wrote, failed or left work for after the
commit keeps its rollback, and nothing it did not commit itself is stored."""

import pytest
from sqlalchemy import event, func, select, text, update

from portal.core import background
from portal.extensions import db
from portal.models import AuditEvent, Organization

pytestmark = pytest.mark.commits  # the transaction's real end is what is tested


@pytest.fixture
def ends(app):
    """The ends of the transactions on the app's engine, in order: 'commit' or 'rollback'."""
    seen: list[str] = []

    def commit(connection):
        seen.append("commit")

    def rollback(connection):
        seen.append("rollback")

    event.listen(db.engine, "commit", commit)
    event.listen(db.engine, "rollback", rollback)
    yield seen
    event.remove(db.engine, "commit", commit)
    event.remove(db.engine, "rollback", rollback)


def _organizations() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(Organization.id)))


def _in_a_request(app, work, error: BaseException | None = None) -> None:
    context = app.test_request_context("/")
    context.push()
    try:
        work()
    finally:
        context.pop(error)


def test_a_request_that_only_read_commits(app, ends):
    db.session.rollback()
    _in_a_request(app, lambda: db.session.scalar(select(func.count(Organization.id))))
    assert ends[-1:] == ["commit"]


def test_a_flushed_write_left_uncommitted_is_rolled_back(app, ends):
    before = _organizations()

    def write():
        db.session.add(Organization(slug="left-over", name="Left Over", country="FR"))
        db.session.flush()

    _in_a_request(app, write)
    assert "commit" not in ends
    assert _organizations() == before


def test_a_pending_object_is_not_flushed_by_the_end(app, ends):
    before = _organizations()
    _in_a_request(
        app, lambda: db.session.add(Organization(slug="pending", name="Pending", country="FR"))
    )
    assert "commit" not in ends
    assert _organizations() == before


def test_an_update_statement_left_uncommitted_is_rolled_back(app, world, ends):
    def rename():
        db.session.execute(update(Organization).values(name="Renamed by accident"))

    _in_a_request(app, rename)
    assert "commit" not in ends
    db.session.rollback()
    assert "Renamed by accident" not in db.session.scalars(select(Organization.name)).all()


def test_a_text_statement_counts_as_a_write(app, world, ends):
    _in_a_request(app, lambda: db.session.execute(text("UPDATE organizations SET acronym = 'X'")))
    assert "commit" not in ends
    db.session.rollback()
    assert "X" not in db.session.scalars(select(Organization.acronym)).all()


def test_work_queued_for_after_a_commit_is_not_run_by_the_end(app, ends):
    ran = []

    def queue():
        db.session.scalar(select(func.count(AuditEvent.id)))
        background.after_commit(ran.append, "job")

    _in_a_request(app, queue)
    assert ran == []
    assert "commit" not in ends


def test_a_failed_request_is_rolled_back(app, ends):
    _in_a_request(
        app,
        lambda: db.session.scalar(select(func.count(Organization.id))),
        error=RuntimeError("the view failed"),
    )
    assert "commit" not in ends


def test_a_write_committed_by_its_operation_then_a_read_commits_again(app, ends):
    def save_then_read():
        db.session.add(Organization(slug="saved", name="Saved", country="FR"))
        db.session.commit()
        db.session.scalar(select(func.count(Organization.id)))

    _in_a_request(app, save_then_read)
    assert ends[-2:] == ["commit", "commit"]
    assert db.session.scalar(select(Organization.name).where(Organization.slug == "saved"))


@pytest.mark.postgres
def test_postgresql_keeps_the_pages_prepared_queries(app, world, client_as):
    """psycopg prepares a query after five runs on a connection and forgets it at a rollback:
    with every page ending in COMMIT, the statement page's queries stay prepared."""
    client = client_as("member")
    connections = set()

    def seen(conn, cursor, statement, parameters, context, executemany):
        connections.add(conn.connection.driver_connection)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        for _ in range(8):
            assert client.get(f"/statements/{world['own_draft']}").status_code == 200
            db.session.remove()  # what the end of a request's own app context does in service
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    prepared = [key[0] for connection in connections for key in connection._prepared._names]
    # The viewer (with the data version, core/versions.py) and the statement at least.
    assert any(b"FROM users" in query and b"max(signatures.id)" in query for query in prepared)
    assert any(b"FROM statements" in query for query in prepared)
