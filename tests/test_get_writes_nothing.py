"""GET never writes: every GET route, as every role, runs no INSERT, UPDATE or DELETE.

Watched on the engine (`before_cursor_execute`), so a write flushed and rolled back is caught
as well as one committed. Compiled files are not built by a GET either: an official PDF, DOCX,
HTML export or round ZIP that is missing answers "being prepared" (see docs/requests.md).
"""

import re

import pytest
from sqlalchemy import event

from portal.extensions import db
from tests.test_access_matrix import ROLES, expand, routes

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)

# GETs allowed to write, with the reason. None today: a background job whose worker died is
# marked failed by the worker/CLI that reaps it (`portal reap-jobs`), never by a status page.
ALLOWED: dict[str, str] = {}

GETS = [endpoint for endpoint, method in routes() if method == "GET"]


class WriteWatcher:
    def __init__(self):
        self.writes: list[str] = []

    def _listener(self, conn, cursor, statement, parameters, context, executemany):
        if WRITE.match(statement):
            self.writes.append(statement.split("\n")[0][:120])

    def __enter__(self):
        event.listen(db.engine, "before_cursor_execute", self._listener)
        return self

    def __exit__(self, *exc):
        event.remove(db.engine, "before_cursor_execute", self._listener)


@pytest.mark.parametrize("endpoint", GETS)
def test_get_writes_nothing(endpoint, world, client_as):
    if endpoint in ALLOWED:
        pytest.skip(ALLOWED[endpoint])
    from flask import current_app

    rule = next(r for r in current_app.url_map.iter_rules() if r.endpoint == endpoint)
    urls = expand(rule, world)
    clients = {role: client_as(role) for role in ROLES}
    db.session.commit()  # the world is stored; only the requests are watched
    for _label, url in urls:
        for role, client in clients.items():
            with WriteWatcher() as watcher:
                client.get(url)
            assert not watcher.writes, f"GET {url} as {role} wrote: {watcher.writes}"
