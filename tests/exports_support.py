"""Fixtures of the export tests (a plugin, see conftest `pytest_plugins`): an approved
statement with its signatures, a real Redis queue with an in-process worker."""

import os
import signal
import uuid
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from portal.core import background
from portal.extensions import db
from portal.models import ExportJob, StatementState
from portal.review import operations as review_ops

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def approved(crew, make_statement, sign):
    statement = make_statement(StatementState.SIGNING)
    sign(statement, "Zeta Union", country="FR")
    sign(statement, "Alpha Aid", country="BR")
    review_ops.submit(crew["drafter"], statement)
    review_ops.decide(crew["coordinator"], statement, "approve")
    db.session.commit()
    return statement


@pytest.fixture
def redis_connection():
    """The Redis at TEST_REDIS_URL: the one place a test without it fails (REQUIRE_REDIS=1, as
    in CI) or is skipped on a developer's machine that runs none."""
    from redis import Redis
    from redis.exceptions import RedisError

    connection = Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=30)
    try:
        connection.ping()
    except RedisError as exc:
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(f"Redis required but unreachable at {REDIS_URL}: {exc}")
        pytest.skip(f"Redis unreachable at {REDIS_URL} (REQUIRE_REDIS=1 fails): {exc}")
    return connection


@pytest.fixture
def redis_queue(app, monkeypatch, redis_connection):
    from rq import Queue

    connection = redis_connection
    token = f"portal-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    monkeypatch.setattr(background, "QUEUE", token)
    app.config["REDIS_URL"] = REDIS_URL
    workers = iter(range(1, 100))

    def run_worker() -> None:
        from rq import SimpleWorker

        queue = Queue(token, connection=connection)
        worker = SimpleWorker([queue], connection=connection, name=f"{token}-{next(workers)}")
        # The worker installs its own SIGINT/SIGTERM handlers; pytest's must come back after.
        handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            worker.work(burst=True)
        finally:
            for sig, handler in handlers.items():
                signal.signal(sig, handler)
        db.session.expire_all()

    yield SimpleNamespace(
        connection=connection,
        token=token,
        queue=Queue(token, connection=connection),
        work=run_worker,
    )
    _delete_keys(connection, token)
    connection.close()


def _delete_keys(connection, token: str) -> None:
    """Only this test's keys: those naming its queue or workers, and those of its RQ jobs."""
    rq_ids = [
        rq_id for rq_id in db.session.scalars(select(ExportJob.rq_id)).all() if rq_id is not None
    ]
    marks = [token, *rq_ids]
    keys = [
        key
        for key in connection.scan_iter(match="rq:*", count=1000)
        if any(mark in key.decode() for mark in marks)
    ]
    # The portal's own keys (pdf_jobs' queuing guard) start with the queue's name.
    keys += list(connection.scan_iter(match=f"{token}-*", count=1000))
    if keys:
        connection.delete(*keys)
    connection.srem("rq:queues", f"rq:queue:{token}")
    for member in connection.smembers("rq:workers"):
        if token in member.decode():
            connection.srem("rq:workers", member)
    assert not list(connection.scan_iter(match=f"*{token}*"))
