"""The compendium job through a real Redis and RQ's real worker: queued by the page, followed
through the status endpoint, run by a burst worker, failed and re-run without leaving a file.

The worker is RQ's SimpleWorker in this process, so the job runs inside the test app's context
against the test database (on PostgreSQL, the schema of this process). Each test uses a queue
named after the process and a random token, and deletes exactly the keys that name touches.
Without a reachable Redis the tests skip, unless REQUIRE_REDIS=1 makes that a failure."""

import os
import signal
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from portal.exports import compendium as compendium_module
from portal.exports import jobs
from portal.extensions import db
from portal.models import Artifact, ArtifactKind, ExportJob, JobState
from tests.helpers.clients import signed_in

# Other connections (threads, workers, a second engine) must see the rows: real commits.
pytestmark = pytest.mark.commits


def _artifact_files(app) -> set[str]:
    root = Path(app.config["ARTIFACT_DIR"])
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def _stored_paths() -> set[str]:
    return set(db.session.scalars(select(Artifact.path)).all())


def _compendia() -> list[Artifact]:
    return db.session.scalars(
        select(Artifact).where(Artifact.kind == ArtifactKind.COMPENDIUM_PDF)
    ).all()


def test_compendium_job_queued_in_redis_and_run_by_the_worker(
    approved,
    crew,
    app,
    client,
    redis_queue,
    monkeypatch,
):
    from rq.job import Job

    coordinator = signed_in(app, crew["coordinator"])
    slug = crew["round"].slug
    response = coordinator.post(f"/rounds/{slug}/compendium", follow_redirects=True)
    assert "is being compiled" in response.get_data(as_text=True)

    # In Redis, not run by the request.
    db.session.expire_all()
    job = db.session.scalars(select(ExportJob)).one()
    assert job.state == JobState.QUEUED and job.rq_id
    assert redis_queue.queue.job_ids == [job.rq_id]
    rq_job = Job.fetch(job.rq_id, connection=redis_queue.connection)
    assert rq_job.func_name == "portal.exports.jobs.run_job" and rq_job.args == (job.id,)
    assert _compendia() == []
    status = coordinator.get(f"/exports/jobs/{job.id}")
    assert status.headers["Cache-Control"] == "no-store"
    queued = status.get_json()
    assert queued["state"] == "queued" and queued["percent"] == 0
    assert not queued["finished"] and queued["download"] is None
    page = coordinator.get(f"/rounds/{slug}/compendium").get_data(as_text=True)
    assert f'data-job-url="/exports/jobs/{job.id}"' in page and "<progress" in page
    assert client.get(f"/rounds/{slug}/compendium.pdf").status_code == 404
    # Starting again while it waits does not queue a second job.
    coordinator.post(f"/rounds/{slug}/compendium")
    assert redis_queue.queue.count == 1
    assert len(db.session.scalars(select(ExportJob)).all()) == 1

    # While the worker runs it, the page's poll (another thread, as a browser's request would
    # be) sees the progress committed so far.
    polls = []
    report = jobs._report

    def report_and_poll(job_id, **values):
        report(job_id, **values)
        if values.get("done") and not polls:

            def poll():
                with app.app_context():
                    polls.append(coordinator.get(f"/exports/jobs/{job_id}").get_json())

            thread = threading.Thread(target=poll)
            thread.start()
            thread.join(timeout=30)

    monkeypatch.setattr(jobs, "_report", report_and_poll)
    redis_queue.work()

    assert len(polls) == 1
    running = polls[0]
    assert running["state"] == "running" and 0 < running["percent"] < 100
    assert running["step"] and not running["finished"] and running["download"] is None
    assert redis_queue.queue.count == 0
    assert rq_job.get_status(refresh=True) == "finished"
    done = coordinator.get(f"/exports/jobs/{job.id}").get_json()
    assert done["state"] == "done" and done["percent"] == 100 and done["finished"]
    assert done["error"] is None and done["download"] == f"/rounds/{slug}/compendium.pdf"
    pdf = client.get(done["download"])
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    assert [a.id for a in _compendia()] == [db.session.get(ExportJob, job.id).artifact_id]
    assert _artifact_files(app) == _stored_paths()


def test_failed_job_reports_its_error_leaves_no_file_and_runs_again(
    approved,
    crew,
    app,
    client,
    redis_queue,
    monkeypatch,
):
    coordinator = signed_in(app, crew["coordinator"])
    slug = crew["round"].slug
    before = _artifact_files(app)
    assert before == _stored_paths()  # the approved statement's official PDF
    real = compendium_module.write_compendium
    written = []

    def fail_once(compendium, path, progress=None):
        written.append(Path(path))
        if len(written) == 1:
            # Half a file on disk and some progress reported, then the compiler dies.
            Path(path).write_bytes(b"%PDF-1.7\n half a compendium")
            progress(1, 4, "Laying out")
            raise RuntimeError("the compiler fell over")
        return real(compendium, path, progress)

    monkeypatch.setattr(compendium_module, "write_compendium", fail_once)
    coordinator.post(f"/rounds/{slug}/compendium")
    redis_queue.work()

    failed = db.session.scalars(select(ExportJob)).one()
    status = coordinator.get(f"/exports/jobs/{failed.id}").get_json()
    assert status["state"] == "failed" and status["finished"] and status["download"] is None
    assert status["error"] == "RuntimeError: the compiler fell over"
    page = coordinator.get(f"/rounds/{slug}/compendium").get_data(as_text=True)
    assert "The last compilation failed: RuntimeError: the compiler fell over" in page
    assert "data-job-url" not in page and "Compile the compendium" in page
    # Nothing partial: no temp file, no file under the final name, no artifact row.
    assert written and not written[0].exists()
    assert _artifact_files(app) == before
    assert _compendia() == []
    assert client.get(f"/rounds/{slug}/compendium.pdf").status_code == 404

    coordinator.post(f"/rounds/{slug}/compendium")
    queued = db.session.scalars(select(ExportJob).order_by(ExportJob.id.desc())).first()
    assert queued.id != failed.id and queued.state == JobState.QUEUED
    assert redis_queue.queue.job_ids == [queued.rq_id]
    redis_queue.work()

    states = [j.state for j in db.session.scalars(select(ExportJob).order_by(ExportJob.id))]
    assert states == [JobState.FAILED, JobState.DONE]
    done = coordinator.get(f"/exports/jobs/{queued.id}").get_json()
    assert done["percent"] == 100 and done["error"] is None
    pdf = client.get(f"/rounds/{slug}/compendium.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert len(written) == 2 and not any(p.exists() for p in written)  # the temp files
    assert _artifact_files(app) == _stored_paths() and len(_stored_paths()) == len(before) + 1


def test_job_lost_from_the_queue_is_failed_at_once_and_old_temp_files_swept(
    approved,
    crew,
    app,
    client,
    redis_queue,
):
    """A running job whose RQ record is gone (Redis flushed, the job expired) is dead: the first
    look marks it failed, without waiting for it to go stale. Old temp files of builds killed
    long ago are swept by the next build; a recent one (a build under way) is kept."""
    coordinator = signed_in(app, crew["coordinator"])
    slug = crew["round"].slug
    killed = ExportJob(
        round_id=crew["round"].id,
        kind=ArtifactKind.COMPENDIUM_PDF,
        state=JobState.RUNNING,
        done=2,
        total=5,
        step="Laying out",
        rq_id=f"{redis_queue.token}-killed",
    )
    db.session.add(killed)
    db.session.commit()
    root = Path(app.config["ARTIFACT_DIR"])
    leftover = root / "ab" / ".partial-killed.pdf"
    live = root / "cd" / ".partial-live.pdf"
    for path in (leftover, live):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-1.7\n half")
    two_hours_ago = time.time() - 2 * 3600
    os.utime(leftover, (two_hours_ago, two_hours_ago))

    status = coordinator.get(f"/exports/jobs/{killed.id}").get_json()
    assert status["state"] == "failed" and status["finished"]
    assert "its record in the queue is gone" in status["error"]

    coordinator.post(f"/rounds/{slug}/compendium")
    assert redis_queue.queue.count == 1
    redis_queue.work()
    rerun = db.session.scalars(select(ExportJob).order_by(ExportJob.id.desc())).first()
    assert rerun.id != killed.id and rerun.state == JobState.DONE
    assert client.get(f"/rounds/{slug}/compendium.pdf").status_code == 200
    assert not leftover.exists() and live.exists()  # a build under way keeps its file


def _forked_worker(redis_queue) -> int:
    """A real RQ worker (it forks a work horse per job) in a child process of its own process
    group, running the queued jobs."""
    db.session.commit()  # no connection of this process is in use across the fork
    pid = os.fork()
    if pid:
        return pid
    status = 1
    try:
        os.setsid()
        db.engine.dispose(close=False)
        from rq import Worker

        worker = Worker(
            [redis_queue.queue],
            connection=redis_queue.connection,
            name=f"{redis_queue.token}-forking",
        )
        worker.work(burst=True)
        status = 0
    finally:
        os._exit(status)


@pytest.mark.parametrize("killed", ["worker", "horse", "worker-elsewhere"])
def test_killed_worker_job_is_seen_dead_at_once_and_its_partial_file_removed(
    approved,
    crew,
    app,
    client,
    redis_queue,
    monkeypatch,
    tmp_path,
    killed,
):
    """SIGKILL mid-build — the whole worker (its process group: the restart of a machine, a
    `kill -9`), or only the work horse (what the OOM killer picks) — and no cleanup runs. The
    next look at the job (its status poll) sees it dead from RQ's status and the worker's
    presence, marks it failed and removes its partial file; it compiles again straight away."""
    coordinator = signed_in(app, crew["coordinator"])
    slug = crew["round"].slug
    started = tmp_path / "started"
    parent = os.getpid()
    real = compendium_module.write_compendium

    def hang_in_the_horse(compendium, path, progress=None):
        if os.getpid() == parent:
            return real(compendium, path, progress)
        Path(path).write_bytes(b"%PDF-1.7\n half a compendium")
        progress(1, 4, "Laying out")
        started.write_text(str(os.getpid()))
        time.sleep(120)

    monkeypatch.setattr(compendium_module, "write_compendium", hang_in_the_horse)
    before = _artifact_files(app)
    coordinator.post(f"/rounds/{slug}/compendium")
    job = db.session.scalars(select(ExportJob)).one()
    worker = _forked_worker(redis_queue)
    try:
        deadline = time.monotonic() + 60
        while not started.exists():
            assert time.monotonic() < deadline, "the worker never started the build"
            time.sleep(0.05)
        horse = int(started.read_text())
        partial = list(Path(app.config["ARTIFACT_DIR"]).rglob(".partial-*"))
        assert len(partial) == 1 and partial[0].name.startswith(f".partial-job{job.id}-")
        running = coordinator.get(f"/exports/jobs/{job.id}").get_json()
        assert running["state"] == "running" and not running["finished"]

        if killed.startswith("worker"):
            os.killpg(worker, signal.SIGKILL)
            os.waitpid(worker, 0)
        if killed == "worker-elsewhere":
            worker_key = f"rq:worker:{redis_queue.token}-forking"
            redis_queue.connection.hset(worker_key, "hostname", "another-machine")
            alive = coordinator.get(f"/exports/jobs/{job.id}").get_json()
            assert alive["state"] == "running"  # its heartbeat has not lapsed yet
            redis_queue.connection.delete(worker_key)
        elif killed == "horse":
            os.kill(horse, signal.SIGKILL)
            # The worker notices its horse died, fails the RQ job and (burst) exits.
            os.waitpid(worker, 0)
        status = coordinator.get(f"/exports/jobs/{job.id}").get_json()
    finally:
        for pid in (worker,):
            try:
                os.killpg(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
    assert status["state"] == "failed" and status["finished"], status
    reason = {
        "worker": "its worker process was killed",
        "horse": "the worker reports it failed",
        "worker-elsewhere": "its worker stopped sending heartbeats",
    }[killed]
    assert reason in status["error"] and "start it again" in status["error"]
    assert partial[0].exists()  # the status GET writes nothing; the reaper (worker, CLI) does
    from portal.exports.jobs import reap_all

    assert reap_all() == 1
    db.session.commit()
    assert not partial[0].exists()
    assert _artifact_files(app) == before == _stored_paths()
    page = coordinator.get(f"/rounds/{slug}/compendium").get_data(as_text=True)
    assert "The last compilation failed" in page and "data-job-url" not in page

    coordinator.post(f"/rounds/{slug}/compendium")
    rerun = db.session.scalars(select(ExportJob).order_by(ExportJob.id.desc())).first()
    assert rerun.id != job.id and rerun.state == JobState.QUEUED
    redis_queue.work()
    db.session.refresh(rerun)
    assert rerun.state == JobState.DONE
    assert client.get(f"/rounds/{slug}/compendium.pdf").status_code == 200
