"""The page that waits for a large import converted by the worker (see import_jobs)."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from . import import_jobs
from .views import bp

REFRESH_SECONDS = 2


@bp.get("/imports/<job_id>")
@login_required
def import_status(job_id):
    state = import_jobs.status(job_id, current_user)
    if state is None:
        abort(404)
    if state["state"] == "done":
        flash(_("The file is imported as the first revision. Check the text below."), "success")
        return redirect(url_for(".show", statement_id=state["statement"]))
    waiting = state["state"] == "waiting"
    page = render_template(
        "statements/import_wait.html",
        state=state,
        waiting=waiting,
        refresh=REFRESH_SECONDS if waiting else None,
    )
    headers = {"Cache-Control": "no-store"}
    if waiting:
        headers["Retry-After"] = str(REFRESH_SECONDS)
    return page, 202 if waiting else 200, headers
