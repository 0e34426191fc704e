"""Statement PDFs within bounds (issue 9, finding 10): a draft PDF is laid out once per revision
and options, not per request; with Redis a missing PDF is the worker's job — the request answers
"being prepared" (202, Retry-After, a page that reloads) and one job builds it, stopped after
RENDER_TIMEOUT; the official PDF is queued at approval, not laid out in the coordinator's request.
"""

import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.exports import official, pdf_jobs
from portal.extensions import db
from portal.models import Artifact, StatementState
from portal.review import operations as review_ops
from tests.helpers.clients import signed_in


@pytest.fixture
def renders(monkeypatch):
    """Counts layouts (and can slow them down: renders.delay = seconds)."""
    real = pdf_jobs.render_statement_pdf
    calls = []

    def counting(document, **kwargs):
        calls.append(document.title)
        if getattr(counting, "delay", 0):
            time.sleep(counting.delay)
        return real(document, **kwargs)

    monkeypatch.setattr(pdf_jobs, "render_statement_pdf", counting)
    monkeypatch.setattr(official, "render_statement_pdf", counting)
    counting.calls = calls
    return counting


def test_draft_pdf_is_laid_out_once_per_revision_and_paper(app, drafting, renders):
    client = signed_in(app, drafting.co_member)
    url = f"/statements/{drafting.statement.id}/draft.pdf"
    first, second = client.get(url), client.get(url)
    assert first.status_code == second.status_code == 200
    assert first.data == second.data and first.data.startswith(b"%PDF")
    assert first.headers["Cache-Control"] == "private, no-store"
    assert len(renders.calls) == 1
    assert client.get(url + "?paper=letter").status_code == 200
    assert client.get(url + "?revision=1").status_code == 200  # the same revision: stored
    assert len(renders.calls) == 2
    # Without a queue the files are kept with no database row: a GET writes nothing.
    assert db.session.scalar(select(func.count(Artifact.id))) == 0
    assert len(list((Path(app.config["ARTIFACT_DIR"]) / "drafts").iterdir())) == 2


def test_missing_draft_pdf_is_prepared_by_one_job(app, drafting, renders, redis_queue):
    client = signed_in(app, drafting.co_member)
    url = f"/statements/{drafting.statement.id}/draft.pdf"
    waiting = client.get(url)
    assert waiting.status_code == 202
    assert waiting.headers["Retry-After"] == str(pdf_jobs.RETRY_AFTER)
    page = waiting.get_data(as_text=True)
    assert f'<meta http-equiv="refresh" content="{pdf_jobs.RETRY_AFTER}">' in page
    assert "being prepared" in page
    assert client.get(url).status_code == 202
    assert redis_queue.queue.count == 1  # asked twice, queued once
    assert renders.calls == []  # nothing laid out in a request
    redis_queue.work()
    ready = client.get(url)
    assert ready.status_code == 200 and ready.data.startswith(b"%PDF")
    assert len(renders.calls) == 1


def test_a_render_over_the_timeout_is_stopped_and_reported(
    app,
    drafting,
    renders,
    redis_queue,
    monkeypatch,
):
    monkeypatch.setattr(pdf_jobs, "RENDER_TIMEOUT", 1)
    renders.delay = 5
    client = signed_in(app, drafting.co_member)
    url = f"/statements/{drafting.statement.id}/draft.pdf"
    assert client.get(url).status_code == 202
    redis_queue.work()
    # Stopped at the timeout: a render let run to its end (5 s) would have stored the PDF.
    failed = client.get(url)
    assert failed.status_code == 503
    assert failed.headers["Retry-After"] == str(pdf_jobs.FAILURE_TTL)
    assert "could not be prepared" in failed.get_data(as_text=True)
    assert redis_queue.queue.count == 0  # not queued again while the failure stands
    assert db.session.scalar(select(func.count(Artifact.id))) == 0


def test_approval_queues_the_official_pdf_after_commit(
    app,
    crew,
    make_statement,
    sign,
    client,
    renders,
    redis_queue,
):
    statement = make_statement(StatementState.SIGNING)
    sign(statement, "Alpha Aid", country="BR")
    review_ops.submit(crew["drafter"], statement)
    review_ops.decide(crew["coordinator"], statement, "approve")
    assert redis_queue.queue.count == 0  # not before the approval is committed
    db.session.commit()
    assert redis_queue.queue.count == 1 and renders.calls == []  # one job builds every file
    url = f"/published/{statement.id}.pdf"
    assert client.get(url).status_code == 202
    assert redis_queue.queue.count == 1
    zip_url = f"/rounds/{crew['round'].slug}/statements.zip"
    assert client.get(zip_url).status_code == 202  # the ZIP waits for its PDFs too
    redis_queue.work()
    official = client.get(url)
    assert official.status_code == 200 and official.data.startswith(b"%PDF")
    assert client.get(zip_url).status_code == 200
    assert len(renders.calls) == 1
    page = signed_in(app, crew["coordinator"]).get(f"/rounds/{crew['round'].slug}/compendium")
    assert page.status_code == 200


def test_work_queued_after_commit_is_forgotten_on_rollback(app):
    from portal.core import background

    calls = []
    background.after_commit(calls.append, "rolled back")
    db.session.rollback()
    db.session.commit()
    background.after_commit(calls.append, "committed")
    db.session.commit()
    db.session.commit()
    assert calls == ["committed"]
