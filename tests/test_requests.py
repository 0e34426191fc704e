"""The request pattern (docs/requests.md).

GET never writes: every GET route, as every role, runs no INSERT, UPDATE or DELETE — watched on
the engine (`before_cursor_execute`), so a write flushed and rolled back is caught as well as one
committed. Compiled files are not built by a GET either: an official PDF, DOCX, HTML export or
round ZIP that is missing answers "being prepared". Views end transactions only through
core/feedback.py; templates call no query.
"""

import re
from pathlib import Path

import pytest
from sqlalchemy import delete, event, func, select

from portal.errors import OperationError
from portal.exports.prepared import build_missing
from portal.extensions import db
from portal.models import Artifact, ArtifactKind, AuditEvent
from tests.helpers.routes import ROLES, expand, routes

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "portal"
TEMPLATES = ROOT / "templates"

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)

# No GET may write, not even a status page: a background job whose worker died is marked
# failed by the worker/CLI that reaps it (`portal reap-jobs`).
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


def test_a_missing_export_is_prepared_not_built_by_the_get(world, client_as):
    """Without Redis too: the GET answers 202 and writes nothing; the approval (or `portal
    build-exports`) builds the file."""
    statement_id = world["approved"]
    db.session.execute(delete(Artifact).where(Artifact.kind == ArtifactKind.STATEMENT_DOCX))
    db.session.commit()
    client = client_as("anonymous")
    with WriteWatcher() as watcher:
        waiting = client.get(f"/published/{statement_id}.docx")
    assert waiting.status_code == 202 and not watcher.writes
    assert waiting.headers["Retry-After"] and "being prepared" in waiting.get_data(as_text=True)
    assert build_missing() == 1
    ready = client.get(f"/published/{statement_id}.docx")
    assert ready.status_code == 200 and ready.data.startswith(b"PK")


VIEW_MODULES = sorted(
    path
    for path in SOURCE.rglob("*.py")
    if path.name == "views.py" or path.name.endswith("_views.py")
)
# Views that may end a transaction themselves, and why.
HAND_WRITTEN = {
    "core/views.py": "healthz rolls back the probe of a database that failed",
    "api/views.py": "the API's 500 handler, as core/error_pages.py for pages",
}


@pytest.mark.parametrize("path", VIEW_MODULES, ids=lambda p: str(p.relative_to(SOURCE)))
def test_views_end_transactions_only_through_feedback(path):
    if str(path.relative_to(SOURCE)) in HAND_WRITTEN:
        return
    source = path.read_text()
    assert "session.commit(" not in source and "session.rollback(" not in source, (
        f"{path}: commit or roll back through core/feedback.py (perform, perform_action, attempt)"
    )


QUERY_GLOBALS = (
    "round_statements",
    "published_statements",
    "organization_publications",
    "review_summary",
    "signature_panel",
    "compendium_available",
    "open_for_signature",
    "published_rows",
)


def test_templates_call_no_query_globals(app):
    """Pages say what they load: the view passes the data. The one exception is desk_badges
    (the navigation of every page; docs/requests.md)."""
    from portal.signons.views import _signature_helpers

    with app.test_request_context():
        names = set(app.jinja_env.globals) | set(_signature_helpers())
    assert not names & set(QUERY_GLOBALS)
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        for name in QUERY_GLOBALS:
            assert f"{name}(" not in text, f"{template} calls {name}"


class Refused(OperationError):
    pass


@pytest.mark.parametrize(
    ("conflict", "rename", "status", "field"),
    [((), None, 400, "old"), ((Refused,), None, 409, "old"), ((), {"old": "new"}, 400, "new")],
)
def test_attempt_rolls_back_a_refusal_with_its_status_and_field(
    app, conflict, rename, status, field
):
    from portal.core.feedback import attempt, refused

    def refuse():
        db.session.add(AuditEvent(action="test.refused"))
        db.session.flush()
        raise Refused("No.", "old")

    before = db.session.scalar(select(func.count(AuditEvent.id)))
    outcome = attempt(refuse, conflict=conflict, rename=rename)
    assert refused(outcome) and outcome.status == status and outcome.error.field == field
    assert db.session.scalar(select(func.count(AuditEvent.id))) == before
    assert attempt(lambda: 41, then=lambda value: value + 1) == 42
