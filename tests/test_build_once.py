"""A file not built yet is built once, however many requests, threads or worker processes ask
for it at the same moment (issue 15: eight busy workers each laid out the same PDF)."""

import threading
import time
from multiprocessing import get_context

import pytest

from portal.exports import artifacts, pdf_jobs


def _slow_build(log):
    def build(path):
        with open(log, "a") as handle:
            handle.write("built\n")
        time.sleep(0.3)  # long enough for every other caller to arrive meanwhile
        path.write_bytes(b"%PDF-1.7 the same bytes")

    return build


def test_threads_asking_at_once_build_once(tmp_path):
    target, log = tmp_path / "ab" / "key.pdf", tmp_path / "builds.log"
    start = threading.Barrier(8)
    sizes = []

    def ask():
        start.wait()
        sizes.append(artifacts.build_once(target, _slow_build(log)))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert log.read_text().count("built") == 1
    assert sizes == [target.stat().st_size] * 8


def _worker(target, log, start):
    start.wait()
    artifacts.build_once(target, _slow_build(log))


def test_worker_processes_asking_at_once_build_once(tmp_path):
    target, log = tmp_path / "key.pdf", tmp_path / "builds.log"
    context = get_context("fork")
    start = context.Barrier(4)
    processes = [context.Process(target=_worker, args=(target, log, start)) for _ in range(4)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(30)
    assert [p.exitcode for p in processes] == [0, 0, 0, 0]
    assert log.read_text().count("built") == 1
    assert target.read_bytes().startswith(b"%PDF")


def test_a_failed_build_leaves_no_file_and_the_next_caller_builds(tmp_path):
    target, log = tmp_path / "key.pdf", tmp_path / "builds.log"

    def broken(path):
        path.write_bytes(b"half")
        raise RuntimeError("layout failed")

    with pytest.raises(RuntimeError):
        artifacts.build_once(target, broken)
    assert not target.exists()
    artifacts.build_once(target, _slow_build(log))
    assert log.read_text().count("built") == 1 and target.read_bytes().startswith(b"%PDF")


def test_draft_pdf_requests_at_once_lay_it_out_once(app, crew, make_statement, monkeypatch):
    """Without Redis a drafter's request lays the draft out: concurrent ones wait for it."""
    statement = make_statement()
    revision = statement.current_revision
    renders = []

    def render(document):
        renders.append(document.title)
        time.sleep(0.3)
        return b"%PDF-1.7 draft"

    monkeypatch.setattr(pdf_jobs, "render_statement_pdf", render)
    # No stored row (the database is not the subject, and the test's one connection is not for
    # threads): each request goes on to the file.
    monkeypatch.setattr(artifacts, "existing", lambda key: None)
    start = threading.Barrier(4)
    found = []

    def ask():
        with app.app_context():
            start.wait()
            found.append(pdf_jobs.draft_or_preparing(statement, revision, "a4"))

    # The statement's attributes are loaded here, once: the threads only read them.
    pdf_jobs.draft_document(statement, revision, "a4")
    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(renders) == 1
    assert len({f.path for f in found}) == 1 and len(found) == 4


def test_missing_pdf_is_queued_once_with_redis(app, approved, redis_queue, monkeypatch):
    """Requests that all find no job and no file queue one job between them."""
    queued = []
    monkeypatch.setattr(pdf_jobs, "_enqueue", lambda job_id, args: queued.append(job_id))
    for _ in range(5):
        assert isinstance(
            pdf_jobs.existing_or_preparing("f" * 64, ("official", 1, None)), pdf_jobs.Preparing
        )
    assert len(queued) == 1
