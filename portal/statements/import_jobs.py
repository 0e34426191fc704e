"""Large Word imports in the background: converting a long .docx takes pandoc seconds and
hundreds of MB, which a web worker must not spend. With Redis, a .docx over
docx.LARGE_UNPACKED_BYTES of XML (checked first, in the request: a bad file is refused there)
is converted by the worker; the person's page waits for the job and then opens the new draft.
Without Redis the request converts it, within run_pandoc's limits.
"""

from __future__ import annotations

import re
import uuid
from pathlib import PurePath

from flask_babel import gettext as _

from ..core import background
from ..errors import OperationError
from ..extensions import db
from ..models import Organization, ProgrammeArea, Round, User
from .docx import PANDOC_TIMEOUT, check_docx
from .importing import import_statement

# pandoc's own limit, plus reading the archive and writing the statement.
JOB_TIMEOUT = PANDOC_TIMEOUT + 30
RESULT_TTL = 3600
_UUID = re.compile(r"^[0-9a-f]{32}$")


def belongs_in_background(filename: str, data: bytes) -> bool:
    """Whether this upload is converted by the worker (OperationError: refused outright)."""
    if not background.enabled() or PurePath(filename).suffix.lower() != ".docx":
        return False
    return check_docx(data).large


def _job_prefix() -> str:
    # Job ids are global in Redis: the queue's name keeps two portals on one Redis apart.
    return f"{background.QUEUE}-import-"


def start(user: User, round_: Round, *, organization, area, filename: str, data: bytes) -> str:
    """Queue the import; return the id its waiting page follows."""
    job = background.queue().enqueue(
        run_import,
        user.id,
        round_.id,
        organization.id,
        area.id,
        PurePath(filename).name,
        data,
        job_id=_job_prefix() + uuid.uuid4().hex,
        job_timeout=JOB_TIMEOUT,
        result_ttl=RESULT_TTL,
        failure_ttl=RESULT_TTL,
        meta={"user_id": user.id, "round": round_.slug},
    )
    return job.id


def run_import(user_id, round_id, organization_id, area_id, filename, data) -> dict:
    """The worker's side: {"statement": id} once committed, or {"error": message}."""
    return background.in_app_context(
        _import, user_id, round_id, organization_id, area_id, filename, data
    )


def _import(user_id, round_id, organization_id, area_id, filename, data) -> dict:
    try:
        statement = import_statement(
            db.session.get(User, user_id),
            db.session.get(Round, round_id),
            organization=db.session.get(Organization, organization_id),
            area=db.session.get(ProgrammeArea, area_id),
            filename=filename,
            data=data,
        )
    except OperationError as exc:
        db.session.rollback()
        return {"error": exc.message}
    db.session.commit()
    return {"statement": statement.id}


def status(job_id: str, user: User) -> dict | None:
    """{"state": waiting|done|error, ...} of the person's own import job; None for anyone
    else's, an unknown or an expired one."""
    from rq.exceptions import NoSuchJobError
    from rq.job import Job, JobStatus

    prefix = _job_prefix()
    if not background.enabled() or not job_id.startswith(prefix):
        return None
    if not _UUID.match(job_id.removeprefix(prefix)):
        return None
    try:
        job = Job.fetch(job_id, connection=background.connection())
    except NoSuchJobError:
        return None
    if job.meta.get("user_id") != user.id:
        return None
    round_slug = job.meta.get("round")
    job_status = job.get_status()
    if job_status == JobStatus.FINISHED:
        result = job.return_value() or {}
        if "statement" in result:
            return {"state": "done", "statement": result["statement"], "round": round_slug}
        return {"state": "error", "error": result.get("error"), "round": round_slug}
    if job_status in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED) or (
        background.rq_job_death(job_id) is not None
    ):
        message = _("The Word document could not be converted in time; it cannot be imported.")
        return {"state": "error", "error": message, "round": round_slug}
    return {"state": "waiting", "round": round_slug}
