"""Exports of approved statements: the stored official PDF (identical bytes on every download),
DOCX with real Word footnotes, HTML, the round ZIP with its signatories CSV, the compendium job."""

import csv
import io
import re
import zipfile

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Artifact, ArtifactKind, ExportJob, JobState, StatementState
from portal.review import operations as review_ops
from tests.helpers.clients import signed_in
from tests.tripwire_server import LEAK_MARKER


def _stored_kinds() -> list[str]:
    return sorted(db.session.scalars(select(Artifact.kind)))


# What an approval builds (exports/prepared.py): the downloads only read them.
BUILT_AT_APPROVAL = sorted(
    [
        ArtifactKind.STATEMENT_PDF,
        ArtifactKind.STATEMENT_DOCX,
        ArtifactKind.STATEMENT_HTML,
        ArtifactKind.ROUND_ZIP,
    ]
)


def test_approval_compiles_the_official_pdf_once(approved, client):
    assert _stored_kinds() == BUILT_AT_APPROVAL
    first = client.get(f"/published/{approved.id}.pdf")
    second = client.get(f"/published/{approved.id}.pdf")
    assert first.status_code == second.status_code == 200
    assert first.mimetype == "application/pdf"
    assert first.data == second.data  # served from the store, not re-rendered
    assert first.headers["ETag"]
    assert _stored_kinds() == BUILT_AT_APPROVAL
    cached = client.get(
        f"/published/{approved.id}.pdf", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert cached.status_code == 304


def test_official_pdf_lists_only_the_approved_text_and_no_internal_note(crew, make_statement, sign):
    import pdfplumber

    from portal.exports.artifacts import file_path
    from portal.exports.official import official_pdf
    from portal.statements import operations

    statement = make_statement(StatementState.SIGNING)
    sign(statement, "Early Signer")
    operations.save_revision(
        crew["drafter"],
        statement,
        base_revision_id=statement.current_revision_id,
        title=statement.title,
        body=statement.current_revision.body + "\nA substantive addition.\n",
    )
    db.session.commit()
    sign(statement, "Current Signer")
    review_ops.submit(crew["drafter"], statement)
    review_ops.decide(crew["coordinator"], statement, "approve")
    db.session.commit()
    with pdfplumber.open(file_path(official_pdf(statement))) as pdf:
        text = " ".join(" ".join((p.extract_text() or "") for p in pdf.pages).split())
    assert "Current Signer" in text and "Early Signer" not in text
    # Who is not listed, and why, is for the coordinator's pages, not the official PDF.
    assert "earlier text" not in text and "not listed" not in text


def test_docx_has_real_word_footnotes(approved, client):
    response = client.get(f"/published/{approved.id}.docx")
    assert response.status_code == 200
    assert response.mimetype.endswith("wordprocessingml.document")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    footnotes = archive.read("word/footnotes.xml").decode()
    assert "example.org/report" in footnotes
    document = archive.read("word/document.xml").decode()
    assert "w:footnoteReference" in document
    import docx

    doc = docx.Document(io.BytesIO(response.data))
    styles = [p.style.name for p in doc.paragraphs]
    assert any(s.startswith("Heading") for s in styles)
    texts = [p.text for p in doc.paragraphs]
    assert "Our asks" in texts and "Regular pathways for all." in texts
    assert "Alpha Aid (Brazil)" in texts


def test_html_export(approved, client):
    response = client.get(f"/published/{approved.id}.html")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    page = response.get_data(as_text=True)
    assert "<h1>Joint statement</h1>" in page and "Signed by 2 organizations" in page
    assert "example.org/report" in page


def test_round_zip_with_signatories_csv(approved, crew, client):
    response = client.get(f"/rounds/{crew['round'].slug}/statements.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = archive.namelist()
    pdfs = [n for n in names if n.endswith(".pdf")]
    assert len(pdfs) == 1 and archive.read(pdfs[0]).startswith(b"%PDF")
    rows = list(csv.DictReader(io.StringIO(archive.read("signatories.csv").decode())))
    assert [r["organization"] for r in rows] == ["Alpha Aid", "Zeta Union"]
    assert rows[0]["country_name"] == "Brazil" and rows[0]["statement"] == "Joint statement"


def test_compendium_job_in_process(approved, crew, app, client):
    coordinator = signed_in(app, crew["coordinator"])
    slug = crew["round"].slug
    assert client.get(f"/rounds/{slug}/compendium").status_code == 302  # sign in first
    assert coordinator.get(f"/rounds/{slug}/compendium").status_code == 200
    assert client.get(f"/rounds/{slug}/compendium.pdf").status_code == 404
    response = coordinator.post(f"/rounds/{slug}/compendium")
    assert response.status_code == 302
    job = db.session.scalars(select(ExportJob)).one()
    assert job.state == JobState.DONE and job.percent == 100 and job.artifact_id
    status = coordinator.get(f"/exports/jobs/{job.id}").get_json()
    assert status["finished"] and status["download"]
    assert client.get(f"/exports/jobs/{job.id}").status_code == 302
    pdf = client.get(f"/rounds/{slug}/compendium.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_failed_job_is_recorded_and_can_run_again(approved, crew, app, monkeypatch):
    from portal.exports import compendium

    coordinator = signed_in(app, crew["coordinator"])
    slug = crew["round"].slug

    def explode(*args, **kwargs):
        raise RuntimeError("the worker was killed")

    monkeypatch.setattr(compendium, "render_document", explode)
    page = coordinator.post(f"/rounds/{slug}/compendium", follow_redirects=True)
    assert "could not be compiled" in page.get_data(as_text=True)
    failed = db.session.scalars(select(ExportJob)).one()
    assert failed.state == JobState.FAILED and "killed" in failed.error
    assert _stored_kinds() == BUILT_AT_APPROVAL  # nothing of the compendium
    monkeypatch.undo()
    coordinator.post(f"/rounds/{slug}/compendium")
    jobs = db.session.scalars(select(ExportJob).order_by(ExportJob.id)).all()
    assert [j.state for j in jobs] == [JobState.FAILED, JobState.DONE]


def test_job_goes_to_rq_when_redis_is_configured(approved, crew, app, monkeypatch):
    from portal.exports import jobs

    enqueued = []

    class FakeQueue:
        def __init__(self, name, connection):
            self.name = name

        def enqueue(self, func, *args, **kwargs):
            enqueued.append((func, args))
            return type("RQJob", (), {"id": "rq-1"})()

    import rq

    monkeypatch.setattr(rq, "Queue", FakeQueue)
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    coordinator = signed_in(app, crew["coordinator"])
    coordinator.post(f"/rounds/{crew['round'].slug}/compendium")
    job = db.session.scalars(select(ExportJob)).one()
    assert enqueued == [(jobs.run_job, (job.id,))]
    assert job.state == JobState.QUEUED and job.rq_id == "rq-1"
    page = coordinator.get(f"/rounds/{crew['round'].slug}/compendium").get_data(as_text=True)
    assert "data-job-url" in page and "<progress" in page
    # The worker's side: running the job finishes it.
    jobs.run_job(job.id)
    db.session.expire_all()
    assert db.session.get(ExportJob, job.id).state == JobState.DONE


def test_docx_export_embeds_no_file_and_fetches_nothing(
    crew, make_statement, sign, client, tripwire, app, tmp_path
):
    """The critical leak: pandoc embedded every image it could load from the approved Markdown."""
    url, hits = tripwire
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-FILE-CONTENT")
    instance_file = "instance/portal.sqlite3"
    png = (
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQ"
        "AAAABJRU5ErkJggg=="
    )
    body = (
        "## Hostile\n\n"
        f"![passwd](/etc/passwd) ![secret]({secret}) ![inst]({instance_file})\n\n"
        f"![remote]({url}/pixel.png) ![data](data:image/png;base64,{png})\n\n"
        f"[file link](file:///etc/passwd) [rel link](../instance/x) [script](javascript:alert(1))"
        f" [ok](https://example.org/ok)[^1]\n\n"
        f"[^1]: Note with ![img]({url}/note.png) and [fine](mailto:a@example.org).\n"
    )
    statement = make_statement(StatementState.SIGNING, body=body)
    sign(statement, "Alpha Aid", country="BR")
    review_ops.submit(crew["drafter"], statement)
    review_ops.decide(crew["coordinator"], statement, "approve")
    db.session.commit()
    response = client.get(f"/published/{statement.id}.docx")
    assert response.status_code == 200
    data = response.data
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert not [n for n in archive.namelist() if n.startswith("word/media")]
    everything = b"".join(archive.read(n) for n in archive.namelist())
    for leaked in (b"root:", b"TOP-SECRET", b"SQLite format", LEAK_MARKER):
        assert leaked not in everything
    assert hits == []
    targets = re.findall(
        r'Target="([^"]+)"[^>]*TargetMode="External"',
        archive.read("word/_rels/document.xml.rels").decode(),
    )
    targets += re.findall(
        r'Target="([^"]+)"[^>]*TargetMode="External"',
        archive.read("word/_rels/footnotes.xml.rels").decode()
        if "word/_rels/footnotes.xml.rels" in archive.namelist()
        else "",
    )
    assert set(targets) == {"https://example.org/ok", "mailto:a@example.org"}
    document = archive.read("word/document.xml").decode()
    assert "file link" in document and "w:footnoteReference" in document


def test_pandoc_is_sandboxed_and_bounded():
    from portal.text.pandoc import PandocError, run_pandoc

    # Even given raw Markdown with a local image, the sandbox keeps pandoc from reading it.
    data = run_pandoc(["--from=markdown", "--to=docx"], b"![x](/etc/passwd)\n")
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert not [n for n in names if n.startswith("word/media")]
    with pytest.raises(PandocError, match="longer than"):
        run_pandoc(["--from=markdown", "--to=html"], b"[x]" * 300_000 + b"\n", timeout=0.05)
