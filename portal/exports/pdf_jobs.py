"""Statement PDFs — official and draft — never laid out inside a request without bounds, and
never stored by a GET (docs/requests.md).

Every PDF is an artifact keyed by what went into it: the official one by the approved revision
and frozen signatories, a draft by its revision and options (paper, title block), so a draft is
laid out once per revision, not once per download. The official PDF, the DOCX and HTML exports
and the round ZIP are built when a statement is approved or its list corrected (exports/
prepared.py). A GET of a missing file:

- with Redis, queues its build and answers "being prepared" (202, Retry-After, a page that
  refreshes itself). The RQ job's id is derived from the artifact key, so however many requests
  ask, one job builds the file; RQ stops it after RENDER_TIMEOUT, and a failed build is shown
  as such (not retried) for FAILURE_TTL;
- without Redis, answers "being prepared" for an official file (built at approval, or by
  `portal build-exports` for one whose inputs changed since), and lays a draft PDF out in the
  drafter's request, kept as a file with no database row (the text limits,
  portal.text.limits, bound the work).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core import background
from ..core.i18n import N_, document_gettext
from ..extensions import db
from ..models import Artifact, ArtifactKind, Review, Revision, Statement, TranslationRevision
from ..pdf import StatementDocument, render_statement_pdf
from ..text.languages import marked_name
from . import artifacts
from .approved_files import build_exports, build_round_zip
from .official import approval, official_key, official_pdf

RENDER_TIMEOUT = 120
FAILURE_TTL = 600
RETRY_AFTER = 3
DRAFT_KEY_KIND = "draft_pdf"
# Seconds during which one request's enqueueing stands for all (the job is visible as queued
# well before then); short, so a job whose worker died is queued again soon.
QUEUING_GUARD = 10

# A draft is of a revision of the original or of one of its translations.
DraftText = Revision | TranslationRevision


@dataclass(frozen=True)
class Preparing:
    """The PDF is not there yet: being built (error None) or its build failed."""

    retry_after: int = RETRY_AFTER
    error: str | None = None


# -- drafts --------------------------------------------------------------------------------------


def draft_document(statement: Statement, revision: DraftText, paper: str) -> StatementDocument:
    """The draft of `revision`: of the original, or of a translation (a TranslationRevision,
    in its language, its watermark naming the translation's revision)."""
    round_ = statement.round
    # The watermark is one of the PDF's own words: in the language of the text it marks.
    language = statement.language
    label = document_gettext(language, N_("DRAFT — revision %(number)s"), number=revision.number)
    if isinstance(revision, TranslationRevision):
        language = revision.translation.language
        label = document_gettext(
            language,
            N_("DRAFT — %(language)s translation, revision %(number)s"),
            language=document_gettext(language, marked_name(language)),
            number=revision.number,
        )
    return StatementDocument(
        title=revision.title,
        body=revision.body,
        process=round_.process.title,
        round=round_.title,
        # The date of the revision, not of the download: the same revision is the same file.
        date=revision.created_at.astimezone(round_.tz).date(),
        lead=statement.lead_organization.name,
        language=language,
        draft_label=label,
        paper=paper,
    )


def _draft_key(document: StatementDocument, revision: DraftText) -> str:
    fields = ("title", "process", "round", "date", "lead", "language", "draft_label", "paper")
    inputs = {name: getattr(document, name) for name in fields}
    if isinstance(revision, TranslationRevision):  # its ids are not the original's revisions'
        inputs["translation"] = True
    return artifacts.make_key(
        DRAFT_KEY_KIND, {**inputs, "revision": revision.id, "text_hash": revision.text_hash}
    )


def draft_filename(statement: Statement, revision: DraftText) -> str:
    if isinstance(revision, TranslationRevision):
        language = revision.translation.language
        return f"statement-{statement.id}-{language}-draft-r{revision.number}.pdf"
    return f"statement-{statement.id}-draft-r{revision.number}.pdf"


def draft_pdf(statement: Statement, revision: DraftText, paper: str) -> Artifact:
    """The stored draft PDF of `revision` (laid out unless it was already)."""
    document = draft_document(statement, revision, paper)
    key = _draft_key(document, revision)
    existing = artifacts.find(key)
    if existing is not None:
        return existing
    return artifacts.store(
        key,
        # Stored as a statement PDF: only the draft view (drafters, coordinators) serves it.
        ArtifactKind.STATEMENT_PDF,
        lambda path: path.write_bytes(render_statement_pdf(document)),
        filename=draft_filename(statement, revision),
        content_type="application/pdf",
        statement=statement,
    )


# -- getting one, or having it prepared ----------------------------------------------------------


@dataclass(frozen=True)
class DraftFile:
    """A draft PDF kept as a file only, with no database row (see draft_or_preparing)."""

    path: Path
    filename: str


def draft_or_preparing(statement: Statement, revision: DraftText, paper: str):
    """The stored draft PDF; else Preparing (its job queued) — or, without Redis, a DraftFile:
    the drafter's own request lays it out, once per revision and paper, into the artifact
    folder's drafts/ (a file, no row: a GET writes nothing to the database)."""
    document = draft_document(statement, revision, paper)
    key = _draft_key(document, revision)
    if background.enabled():
        kind = "translation_draft" if isinstance(revision, TranslationRevision) else "draft"
        return existing_or_preparing(key, (kind, revision.id, paper))
    stored = artifacts.existing(key)
    if stored is not None:
        return stored
    path = artifacts.artifact_dir() / "drafts" / f"{key}.pdf"
    if not path.is_file():
        # Every drafter's busy request asking at once would each lay it out: one does.
        artifacts.build_once(path, lambda temp: temp.write_bytes(render_statement_pdf(document)))
    return DraftFile(path, draft_filename(statement, revision))


def official_or_preparing(statement: Statement):
    review = approval(statement)
    if review is None:
        raise ValueError("only approved statements have an official PDF")
    key = official_key(statement, review)
    return existing_or_preparing(key, ("official", review.id, None))


def enqueue_after_commit(key: str, job_args: tuple) -> None:
    """Queue the job that builds `key` once the current transaction commits (the worker must
    find the rows it reads)."""
    background.after_commit(_enqueue, _job_id(key), job_args)


def _job_id(key: str) -> str:
    # Job ids are global in Redis: the queue's name keeps two portals on one Redis apart.
    return f"{background.QUEUE}-pdf-{key[:40]}"


def _enqueue(job_id: str, job_args: tuple) -> None:
    background.queue().enqueue(
        run_pdf_job,
        *job_args,
        job_id=job_id,
        job_timeout=RENDER_TIMEOUT,
        failure_ttl=FAILURE_TTL,
        result_ttl=60,
    )


def existing_or_preparing(key: str, job_args: tuple):
    """The artifact for `key`, else Preparing — and, with Redis, one job queued to build it.
    Writes nothing to the database: GETs call it."""
    existing = artifacts.existing(key)
    if existing is not None:
        return existing
    if not background.enabled():
        return Preparing()
    from rq.exceptions import NoSuchJobError
    from rq.job import Job, JobStatus

    job_id = _job_id(key)
    try:
        status = Job.fetch(job_id, connection=background.connection()).get_status()
    except NoSuchJobError:
        status = None
    if status == JobStatus.FAILED:
        return Preparing(
            retry_after=FAILURE_TTL,
            error=f"laying it out failed or took longer than {RENDER_TIMEOUT} seconds",
        )
    waiting = (JobStatus.QUEUED, JobStatus.STARTED, JobStatus.DEFERRED, JobStatus.SCHEDULED)
    if status in waiting and background.rq_job_death(job_id) is None:
        return Preparing()
    # Never queued, finished without a file (wiped store), or its worker was killed. Of the
    # requests that see this at the same moment, one queues the job: enqueueing one id twice
    # would put it on the queue twice, and two workers would lay the file out at once.
    if background.connection().set(f"{job_id}:queuing", 1, nx=True, ex=QUEUING_GUARD):
        _enqueue(job_id, job_args)
    return Preparing()


def run_pdf_job(kind: str, object_id: int, paper: str | None) -> None:
    """The worker's side: build and store the PDF, in one transaction."""
    background.in_app_context(_build, kind, object_id, paper)


def _build(kind: str, object_id: int, paper: str | None) -> None:
    if kind == "exports":
        build_exports(object_id)
    elif kind == "round_zip":
        build_round_zip(object_id)
    elif kind == "official":
        review = db.session.get(Review, object_id)
        if review is None or approval(review.statement) is None:
            return  # the approval was undone or never committed: nothing to publish
        official_pdf(review.statement, review)
    elif kind == "translation_draft":
        translated = db.session.get(TranslationRevision, object_id)
        if translated is None:
            return
        draft_pdf(translated.translation.statement, translated, paper or "a4")
    else:
        revision = db.session.get(Revision, object_id)
        if revision is None:
            return
        draft_pdf(revision.statement, revision, paper or "a4")
    db.session.commit()


__all__ = [
    "Preparing",
    "draft_or_preparing",
    "draft_pdf",
    "existing_or_preparing",
    "official_or_preparing",
    "enqueue_after_commit",
    "run_pdf_job",
    "DraftFile",
]
