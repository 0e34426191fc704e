"""The round's compendium page (coordinators start and follow the build) and the public
downloads of the compendium and the ZIP."""

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db
from ..models import Artifact, ArtifactKind, ExportJob, JobState, Round
from ..permissions import coordinator_required, get_by_slug_or_404, get_or_404
from ..review.publication import send_artifact
from . import jobs
from .pdf_jobs import Preparing

bp = Blueprint("exports", __name__)


def preparing_page(preparing: Preparing, what: str, back: dict | None = None):
    """The answer for a PDF not built yet: 202 and a page that reloads itself until it is;
    503 with the reason when its build failed (retried once FAILURE_TTL has passed)."""
    page = render_template("exports/preparing.html", preparing=preparing, what=what, back=back)
    status = 503 if preparing.error else 202
    headers = {"Retry-After": str(preparing.retry_after), "Cache-Control": "no-store"}
    return page, status, headers


def _job_json(job: ExportJob) -> dict:
    return {
        "id": job.id,
        "state": job.state,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "step": job.step,
        "error": job.error,
        "finished": job.finished,
        "stale": jobs.is_stale(job),
        "download": url_for("exports.compendium_pdf", slug=job.round.slug)
        if job.state == JobState.DONE and job.kind == ArtifactKind.COMPENDIUM_PDF
        else None,
    }


@bp.get("/rounds/<slug>/compendium")
@coordinator_required
def compendium(slug):
    round_ = get_by_slug_or_404(Round, slug)
    from ..review.publication import _published_statements

    return render_template(
        "exports/compendium.html",
        round=round_,
        # A job whose worker was killed is marked failed here, at the first look.
        job=jobs.reap(jobs.latest_job(round_)),
        zip_job=jobs.reap(jobs.latest_job(round_, ArtifactKind.ROUND_ZIP)),
        published=_published_statements(round_),
        latest=_latest_artifact(round_, ArtifactKind.COMPENDIUM_PDF),
        is_stale=jobs.is_stale,
    )


@bp.post("/rounds/<slug>/compendium")
@coordinator_required
def start_compendium(slug):
    round_ = get_by_slug_or_404(Round, slug)
    job = jobs.start(round_, current_user)
    db.session.commit()
    if job.state == JobState.QUEUED and job.rq_id is None:
        jobs.dispatch(job.id)
    db.session.expire_all()
    job = db.session.get(ExportJob, job.id)
    if job.state == JobState.FAILED:
        flash(f"The compendium could not be compiled: {job.error}", "error")
    elif job.state == JobState.DONE:
        flash("The compendium is ready.", "success")
    else:
        flash("The compendium is being compiled; this page shows its progress.", "info")
    return redirect(url_for("exports.compendium", slug=round_.slug))


@bp.get("/exports/jobs/<int:job_id>")
@coordinator_required
def job_status(job_id):
    job = jobs.reap(get_or_404(ExportJob, job_id))
    response = jsonify(_job_json(job))
    response.headers["Cache-Control"] = "no-store"
    return response


def _latest_artifact(round_: Round, kind: str) -> Artifact | None:
    return db.session.scalar(
        select(Artifact)
        .where(Artifact.round_id == round_.id, Artifact.kind == kind)
        .order_by(Artifact.id.desc())
        .limit(1)
    )


@bp.app_template_global("compendium_available")
def compendium_available(round_: Round) -> bool:
    """Whether the round page may link to a compiled compendium (no dead link before)."""
    from .artifacts import file_path

    artifact = _latest_artifact(round_, ArtifactKind.COMPENDIUM_PDF)
    return artifact is not None and file_path(artifact).is_file()


@bp.get("/rounds/<slug>/compendium.pdf")
def compendium_pdf(slug):
    """The latest compiled compendium: public, like the statements it collects."""

    round_ = get_by_slug_or_404(Round, slug)
    if not compendium_available(round_):
        abort(404)
    return send_artifact(_latest_artifact(round_, ArtifactKind.COMPENDIUM_PDF))


@bp.get("/rounds/<slug>/statements.zip")
def round_zip(slug):
    """The round's official PDFs and a signatories CSV (published fields only)."""
    from ..core import background
    from ..review.publication import _published_statements
    from .formats import round_zip as build
    from .pdf_jobs import official_or_preparing

    round_ = get_by_slug_or_404(Round, slug)
    if background.enabled():
        # Statement PDFs not built yet are the worker's job, not this request's.
        pdfs = [official_or_preparing(s) for s, _ in _published_statements(round_)]
        waiting = next((p for p in pdfs if isinstance(p, Preparing)), None)
        if waiting is not None:
            return preparing_page(waiting, f"{round_.title}: statements (ZIP)")
    artifact = build(round_)
    db.session.commit()
    return send_artifact(artifact, inline=False)
