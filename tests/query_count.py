"""Counting the SQL statements a page runs, for the tests that its queries do not grow with data."""

from contextlib import nullcontext

from sqlalchemy import event

from portal.extensions import db
from tests.helpers.pieces import rendered_in_full

_CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "BEGIN")


class QueryCounter:
    """Counts (and keeps) the SQL statements sent to the database while active."""

    def __init__(self, engine=None):
        self.engine = engine if engine is not None else db.engine
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)

    def _listener(self, conn, cursor, statement, parameters, context, executemany):
        # Transaction control is not a query: each test runs in savepoints (tests/conftest.py).
        if not statement.lstrip().upper().startswith(_CONTROL):
            self.statements.append(statement)

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._listener)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._listener)


def count_queries(client, url: str, *, fresh: bool = False, kept: bool = False) -> int:
    """The number of SQL statements a GET of `url` runs (the page must answer 200), rendered
    in full: the budget is what a page costs when nothing is kept (`kept`: with the kept page
    pieces of portal/core/fragments.py, as they stand).

    `fresh` expires the session first: the tests share one session with the requests, and an
    object the test already loaded would otherwise hide the query a real request runs for it.
    """
    if fresh:
        db.session.expire_all()
    with QueryCounter() as counter, nullcontext() if kept else rendered_in_full(client.application):
        response = client.get(url)
    assert response.status_code == 200, url
    return counter.count
