"""The round's compendium page (coordinators start and follow the build) and the public
downloads of the compendium and the ZIP."""

import io

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from ..core.feedback import attempt
from ..extensions import db
from ..models import ArtifactKind, ExportJob, JobState, Round, Statement
from ..permissions import coordinator_required, get_by_slug_or_404, get_or_404
from ..review.queries import published_statements
from . import artifacts, jobs
from .formats import round_zip_key
from .pdf_jobs import Preparing, existing_or_preparing
from .responses import preparing_page, send_artifact
from .venue_docx import statement_venue_docx

bp = Blueprint("exports", __name__)


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
    return render_template(
        "exports/compendium.html",
        round=round_,
        # A job whose worker was killed reads as failed; a GET does not mark it (jobs.seen).
        job=jobs.seen(jobs.latest_job(round_)),
        zip_job=jobs.seen(jobs.latest_job(round_, ArtifactKind.ROUND_ZIP)),
        published=published_statements(round_),
        latest=artifacts.latest(round_, ArtifactKind.COMPENDIUM_PDF),
        is_stale=jobs.is_stale,
    )


@bp.post("/rounds/<slug>/compendium")
@coordinator_required
def start_compendium(slug):
    round_ = get_by_slug_or_404(Round, slug)
    job = attempt(jobs.start, round_, current_user)
    if job.state == JobState.QUEUED and job.rq_id is None:
        jobs.dispatch(job.id)  # the job's own transactions: on the queue, or run right here
    db.session.expire_all()
    job = db.session.get_one(ExportJob, job.id)
    if job.state == JobState.FAILED:
        flash(_("The compendium could not be compiled: %(error)s", error=job.error), "error")
    elif job.state == JobState.DONE:
        flash(_("The compendium is ready."), "success")
    else:
        flash(_("The compendium is being compiled; this page shows its progress."), "info")
    return redirect(url_for("exports.compendium", slug=round_.slug))


@bp.get("/exports/jobs/<int:job_id>")
@coordinator_required
def job_status(job_id):
    job = jobs.seen(get_or_404(ExportJob, job_id))
    response = jsonify(_job_json(job))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/rounds/<slug>/compendium.pdf")
def compendium_pdf(slug):
    """The latest compiled compendium: public, like the statements it collects."""

    round_ = get_by_slug_or_404(Round, slug)
    if not artifacts.compendium_available(round_):
        abort(404)
    return send_artifact(artifacts.latest(round_, ArtifactKind.COMPENDIUM_PDF))


@bp.get("/rounds/<slug>/statements.zip")
def round_zip(slug):
    """The round's official PDFs and a signatories CSV (published fields only)."""
    round_ = get_by_slug_or_404(Round, slug)
    published = published_statements(round_)
    if not published:
        abort(404, _("No statement of this round has been approved yet."))
    # Built at each approval (exports/prepared.py) or by the worker: a GET only reads it.
    key = round_zip_key(round_, published)
    artifact = existing_or_preparing(key, ("round_zip", round_.id, None))
    if isinstance(artifact, Preparing):
        return preparing_page(artifact, f"{round_.title}: statements (ZIP)")
    return send_artifact(artifact, inline=False)


@bp.get("/statements/<int:statement_id>/venue.docx")
@coordinator_required
def venue_file(statement_id):
    """The approved statement as its round's venue takes it (a Word file: venue_docx.py), for
    the coordinator who delivers it. Built on each request from the approved text: it is small."""
    statement = get_or_404(Statement, statement_id)
    if not statement.is_published:
        abort(404)
    return send_file(
        io.BytesIO(statement_venue_docx(statement)),
        mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        as_attachment=True,
        download_name=f"statement-{statement.id}.docx",
    )
