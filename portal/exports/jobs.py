"""Building the round's compendium (or ZIP) as a job whose progress is stored in ExportJob rows.

With REDIS_URL set the job goes to an RQ queue and `portal worker` runs it while the page polls;
without Redis it runs in the request that started it. Either way a failure marks the job failed
with its error, nothing partial is left on disk, and a new job can be started.
"""

import logging
import time
import traceback
from datetime import timedelta

from flask import current_app, has_app_context
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import ArtifactKind, ExportJob, JobState, Round, utcnow

log = logging.getLogger(__name__)
QUEUE = "portal"
# A running job that reported nothing for this long was killed (worker restart, OOM).
STALE_AFTER = timedelta(minutes=15)
JOB_TIMEOUT = 60 * 60


def latest_job(round_: Round, kind: str = ArtifactKind.COMPENDIUM_PDF) -> ExportJob | None:
    return db.session.scalar(
        select(ExportJob)
        .where(ExportJob.round_id == round_.id, ExportJob.kind == kind)
        .order_by(ExportJob.id.desc())
        .limit(1)
    )


def is_stale(job: ExportJob, now=None) -> bool:
    return not job.finished and (now or utcnow()) - job.updated_at > STALE_AFTER


def start(round_: Round, user, kind: str = ArtifactKind.COMPENDIUM_PDF) -> ExportJob:
    """A new queued job, unless one is already under way (which is returned instead)."""
    from .. import audit

    current = latest_job(round_, kind)
    if current is not None and not current.finished and not is_stale(current):
        return current
    job = ExportJob(round_id=round_.id, kind=kind, state=JobState.QUEUED, requested_by=user)
    db.session.add(job)
    db.session.flush()
    audit.record("round.compile", round_, actor=user, job=job.id, kind=kind)
    return job


def dispatch(job_id: int) -> None:
    """Run the committed job: on the RQ queue when Redis is configured, else right here."""
    url = current_app.config.get("REDIS_URL")
    if url:
        from redis import Redis
        from rq import Queue

        queue = Queue(QUEUE, connection=Redis.from_url(url))
        rq_job = queue.enqueue(run_job, job_id, job_timeout=JOB_TIMEOUT)
        db.session.execute(update(ExportJob).where(ExportJob.id == job_id).values(rq_id=rq_job.id))
        db.session.commit()
        return
    run_job(job_id)


def _report(job_id: int, **values) -> None:
    """Progress goes out in its own short transaction, so the page sees it at once."""
    with Session(db.engine) as session:
        values["updated_at"] = utcnow()
        session.execute(update(ExportJob).where(ExportJob.id == job_id).values(**values))
        session.commit()


def run_job(job_id: int) -> None:
    """The job body (RQ calls it in the worker; without Redis the request does)."""
    if not has_app_context():
        from .. import create_app

        with create_app().app_context():
            return _run(job_id)
    return _run(job_id)


def sweep_partials(now: float | None = None) -> int:
    """Remove temp files of builds killed mid-write (SIGKILL, OOM: their cleanup never ran),
    once older than any live build can be; return how many went."""
    from .artifacts import artifact_dir

    cutoff = (now or time.time()) - JOB_TIMEOUT - 60
    removed = 0
    for path in artifact_dir().rglob(".partial-*"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed


def _run(job_id: int) -> None:
    from .compendium import compile_round
    from .formats import round_zip

    job = db.session.get(ExportJob, job_id)
    if job is None or job.state == JobState.DONE:
        return
    sweep_partials()
    _report(job_id, state=JobState.RUNNING, done=0, total=0, step="Starting", error=None)

    def progress(done: int, total: int, step: str) -> None:
        _report(job_id, done=done, total=total, step=step)

    build = compile_round if job.kind == ArtifactKind.COMPENDIUM_PDF else round_zip
    try:
        artifact = build(job.round, progress)
        db.session.commit()
    except Exception as exc:  # noqa: BLE001 — any failure is recorded on the job for the page
        db.session.rollback()
        log.error("export job %s failed\n%s", job_id, traceback.format_exc())
        _report(job_id, state=JobState.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000])
        return
    _report(job_id, state=JobState.DONE, artifact_id=artifact.id, step="Done")
    db.session.expire_all()


def work(burst: bool = False) -> None:
    """`portal worker`: run RQ jobs from the portal queue until stopped."""
    from redis import Redis
    from rq import Queue, Worker

    url = current_app.config.get("REDIS_URL")
    if not url:
        raise RuntimeError("Set REDIS_URL to run a worker.")
    connection = Redis.from_url(url)
    # Connections opened before the fork must not be shared with the job's process.
    db.engine.dispose()
    Worker([Queue(QUEUE, connection=connection)], connection=connection).work(burst=burst)
