"""Building the round's compendium (or ZIP) as a job whose progress is stored in ExportJob rows.

With REDIS_URL set the job goes to an RQ queue and `portal worker` runs it while the page polls;
without Redis it runs in the request that started it. Either way a failure marks the job failed
with its error, nothing partial is left on disk, and a new job can be started.

A worker killed mid-build (SIGKILL, the OOM killer, a restart) runs no cleanup: its job would
stay "running" forever. Every look at an unfinished job (the page, its poll, a new start) asks
RQ whether it can still finish — see :func:`portal.core.background.rq_job_death` — and a dead job
is marked failed at once, its partial file removed, so it can be compiled again straight away.
Without Redis (or before the job reached the queue) only its silence tells: STALE_AFTER.
"""

import logging
import time
import traceback
from datetime import timedelta
from typing import overload

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .. import audit
from ..core import background
from ..extensions import db
from ..models import ArtifactKind, ExportJob, JobState, Round, utcnow
from . import artifacts
from .artifacts import artifact_dir
from .compendium import compile_round
from .formats import round_zip

log = logging.getLogger(__name__)
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


def _partial_tag(job_id: int) -> str:
    return f"job{job_id}"


def death(job: ExportJob) -> str | None:
    """Why an unfinished job can no longer finish, or None while it may."""
    if job.finished:
        return None
    if job.rq_id and background.enabled():
        try:
            return background.rq_job_death(job.rq_id)
        except Exception:  # noqa: BLE001 — Redis unreachable: judge by silence instead
            log.warning("could not ask RQ about job %s", job.id, exc_info=True)
    return "it reported nothing for too long" if is_stale(job) else None


def reap(job: ExportJob | None) -> ExportJob | None:
    """Mark a dead job failed and remove its partial file; return the job as it now stands."""
    if job is None:
        return None
    reason = death(job)
    if reason is None:
        return job
    for path in artifacts.partial_files(_partial_tag(job.id)):
        path.unlink(missing_ok=True)
    message = _("The build stopped before it finished (%(reason)s); start it again.", reason=reason)
    _report(job.id, state=JobState.FAILED, error=message)
    log.warning("export job %s is dead: %s", job.id, reason)
    db.session.refresh(job)
    return job


@overload
def seen(job: ExportJob) -> ExportJob: ...
@overload
def seen(job: None) -> None: ...


def seen(job: ExportJob | None) -> ExportJob | None:
    """The job as a status page shows it, writing nothing: a dead one reads as failed (it is
    marked failed in the database by the next start, `portal worker` or `portal reap-jobs`)."""
    if job is None:
        return None
    reason = death(job)
    if reason is None:
        return job
    job.round  # noqa: B018 — loaded before the job leaves the session: the JSON names it
    db.session.expunge(job)
    job.state = JobState.FAILED
    job.error = _(
        "The build stopped before it finished (%(reason)s); start it again.", reason=reason
    )
    return job


def reap_all() -> int:
    """Mark every dead unfinished job failed (the worker at start, `portal reap-jobs`)."""
    unfinished = db.session.scalars(
        select(ExportJob).where(ExportJob.state.in_((JobState.QUEUED, JobState.RUNNING)))
    ).all()
    return sum(1 for job in unfinished if death(job) is not None and reap(job))


def start(round_: Round, user, kind: str = ArtifactKind.COMPENDIUM_PDF) -> ExportJob:
    """A new queued job, unless one is already under way (which is returned instead)."""
    current = reap(latest_job(round_, kind))
    if current is not None and not current.finished:
        return current
    job = ExportJob(round_id=round_.id, kind=kind, state=JobState.QUEUED, requested_by=user)
    db.session.add(job)
    db.session.flush()
    audit.record("round.compile", round_, actor=user, job=job.id, kind=kind)
    return job


def dispatch(job_id: int) -> None:
    """Run the committed job: on the RQ queue when Redis is configured, else right here."""
    if background.enabled():
        rq_job = background.queue().enqueue(run_job, job_id, job_timeout=JOB_TIMEOUT)
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
    background.in_app_context(_run, job_id)


def sweep_partials(now: float | None = None) -> int:
    """Remove temp files of builds killed mid-write (SIGKILL, OOM: their cleanup never ran),
    once older than any live build can be; return how many went."""
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
    job = db.session.get(ExportJob, job_id)
    if job is None or job.state == JobState.DONE:
        return
    sweep_partials()
    _report(job_id, state=JobState.RUNNING, done=0, total=0, step="Starting", error=None)

    def progress(done: int, total: int, step: str) -> None:
        _report(job_id, done=done, total=total, step=step)

    build = compile_round if job.kind == ArtifactKind.COMPENDIUM_PDF else round_zip
    tag = artifacts.partial_tag.set(_partial_tag(job_id))
    try:
        artifact = build(job.round, progress)
        db.session.commit()
    except Exception as exc:  # noqa: BLE001 — any failure is recorded on the job for the page
        db.session.rollback()
        log.error("export job %s failed\n%s", job_id, traceback.format_exc())
        _report(job_id, state=JobState.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000])
        return
    finally:
        artifacts.partial_tag.reset(tag)
    _report(job_id, state=JobState.DONE, artifact_id=artifact.id, step="Done")
    db.session.expire_all()


def work(burst: bool = False) -> None:
    """`portal worker`: run RQ jobs from the portal queue until stopped."""
    from rq import Worker

    if not background.enabled():
        raise RuntimeError("Set REDIS_URL to run a worker.")
    queue = background.queue()
    # Connections opened before the fork must not be shared with the job's process.
    db.engine.dispose()
    Worker([queue], connection=queue.connection).work(burst=burst)
