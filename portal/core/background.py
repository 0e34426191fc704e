"""The background queue: RQ on Redis when REDIS_URL is configured; without it there is none and
callers do the work in process (the `make run` demo).

Jobs are plain functions taking ids: a worker process has no request, so :func:`in_app_context`
gives a job the app (the one running, else a new one from the factory create_app hands over in
:func:`init_app`: `portal worker` created its app with it before forking any job).
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable

from flask import Flask, after_this_request, current_app, g, has_app_context, has_request_context
from sqlalchemy import event

from ..extensions import db

QUEUE = "portal"
log = logging.getLogger(__name__)
_app_factory: Callable[[], Flask] | None = None


def init_app(app: Flask, factory: Callable[[], Flask]) -> None:
    global _app_factory
    _app_factory = factory


def enabled() -> bool:
    return bool(current_app.config.get("REDIS_URL"))


def connection():
    from redis import Redis

    return Redis.from_url(current_app.config["REDIS_URL"])


def queue():
    from rq import Queue

    return Queue(QUEUE, connection=connection())


def in_app_context(function: Callable, *args, **kwargs):
    if has_app_context():
        return function(*args, **kwargs)
    if _app_factory is None:
        raise RuntimeError("No app factory: create_app was never called in this process.")
    with _app_factory().app_context():
        return function(*args, **kwargs)


def _process_gone(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # someone else's process: alive
    return False


def rq_job_death(rq_id: str | None) -> str | None:
    """Why the RQ job `rq_id` can no longer finish — or None while it is waiting or running.

    RQ's own status says so when the work horse died (the worker marks the job failed); when
    the worker itself was killed the job stays "started", so its worker is looked up: gone from
    Redis (its heartbeat expired) or, on this machine, its process no longer there.
    """
    from rq.exceptions import NoSuchJobError
    from rq.job import Job, JobStatus
    from rq.worker import Worker

    if not rq_id:
        return None
    redis = connection()
    try:
        job = Job.fetch(rq_id, connection=redis)
        status = job.get_status(refresh=True)
    except NoSuchJobError:
        return "its record in the queue is gone"
    if status in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED):
        return f"the worker reports it {status.value}"
    if status != JobStatus.STARTED:
        return None
    if not job.worker_name:
        return None
    worker = Worker.find_by_key(Worker.redis_worker_namespace_prefix + job.worker_name, redis)
    if worker is None:
        return "its worker stopped sending heartbeats"
    if worker.hostname == socket.gethostname() and _process_gone(worker.pid):
        return "its worker process was killed"
    return None


_AFTER_COMMIT = "background_after_commit"
_DEFERRED = "background_deferred"
_listening = False
LATER_TIMEOUT = 300


def later(function: Callable, *args) -> None:
    """Have function(*args) run in a transaction of its own once the current one commits — work
    that follows a change but must not fail it (the exports of an approved statement).

    On the queue when Redis is configured. Without it: in a request, after the view's commit
    (:func:`run_deferred`, called after every request); outside one (the CLI, seeds), right now,
    in the caller's transaction.
    """
    if enabled():
        after_commit(_enqueue_later, function, args)
    elif has_request_context():
        after_commit(_defer, function, args)
    else:
        try:
            with db.session.begin_nested():  # its failure is logged, not the caller's
                function(*args)
        except Exception:  # noqa: BLE001
            log.exception("%s failed", getattr(function, "__name__", function))


def _enqueue_later(function: Callable, args: tuple) -> None:
    queue().enqueue(function, *args, job_timeout=LATER_TIMEOUT, result_ttl=60)


def _defer(function: Callable, args: tuple) -> None:
    g.setdefault(_DEFERRED, []).append((function, args))


def run_deferred() -> None:
    """Run the work :func:`later` deferred to the end of this request, each in its own
    transaction; a failure is logged and rolled back, never shown to the person whose change
    is already stored."""
    while g.get(_DEFERRED):
        function, args = g.get(_DEFERRED).pop(0)
        _in_own_transaction(function, args)


def after_response(function: Callable, *args) -> None:
    """Run function(*args) in its own app context and transaction once the response has gone
    out: work whose duration must not show in the answer (a password reset for an address
    that may or may not have an account)."""
    # current_app is typed as the Flask app it stands for, not as the proxy it is.
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def run():
        with app.app_context():
            _in_own_transaction(function, args)

    @after_this_request
    def schedule(response):
        response.call_on_close(run)
        return response


def _in_own_transaction(function: Callable, args: tuple) -> None:
    try:
        function(*args)
        db.session.commit()
    except Exception:  # noqa: BLE001 — what asked for it is answered already: log, lose nothing else
        db.session.rollback()
        log.exception("%s after the request failed", getattr(function, "__name__", function))


def after_commit(function: Callable, *args) -> None:
    """Call function(*args) once the current transaction commits (a job must find the rows the
    request wrote); forget it if the transaction rolls back."""
    _listen()
    session = db.session()
    if not session.in_transaction():
        session.begin()  # so that a rollback before any query still forgets it
    session.info.setdefault(_AFTER_COMMIT, []).append((function, args))


def has_work_after_commit(session) -> bool:
    """Whether a commit of `session` would run work queued by after_commit."""
    return bool(session.info.get(_AFTER_COMMIT))


def _listen() -> None:
    global _listening
    if _listening:  # session events are global; register them once per process
        return
    _listening = True

    @event.listens_for(db.session, "after_commit")
    def _run_after_commit(session):
        for function, args in session.info.pop(_AFTER_COMMIT, []):
            function(*args)

    # "soft": every rollback() call, even one with no database transaction begun yet.
    @event.listens_for(db.session, "after_soft_rollback")
    def _forget_after_rollback(session, previous_transaction):
        if not previous_transaction.nested:  # a savepoint's rollback keeps the outer work
            session.info.pop(_AFTER_COMMIT, None)
