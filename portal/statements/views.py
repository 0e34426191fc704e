"""Drafting pages: start or import a statement, the statement page, the editor and its preview.

History, diffs and restore live in history_views; co-drafters and comments in collab_views. All
register on this blueprint.
"""

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markdown_it import MarkdownIt

from forms.statements import (
    CommentForm,
    EditForm,
    ImportStatementForm,
    InviteForm,
    NewStatementForm,
)

from ..config import ROOT
from ..core.feedback import FAILED, attach_error, attempt, perform, refusal, refused
from ..core.fragments import fragment
from ..core.inputs import bounded_int
from ..core.versions import data_version
from ..errors import OperationError
from ..exports.pdf_jobs import DraftFile, Preparing, draft_or_preparing
from ..exports.responses import preparing_page, send_artifact
from ..extensions import db
from ..models import ProgrammeArea, Revision, Round, Statement, utcnow
from ..permissions import get_by_slug_or_404
from ..review.queries import review_summary
from ..signons.queries import signature_panel
from ..text import estimate_pages, pages_for_words, render_html, word_count
from ..text.diff import revision_diff
from ..venues.statement_checks import statement_breakdown, venue_summary
from . import import_jobs, operations
from .importing import MAX_BYTES, import_statement
from .queries import (
    comment_threads,
    invitable_organizations,
    load_revision,
    load_statement,
    my_statements,
)

bp = Blueprint("statements", __name__)


def _lead_choices(user):
    """Organizations the person can start a statement for: verified, where they are members."""
    return [o for o in user.organizations() if o.verified]


def _chosen(form, round_):
    organization = next((o for o in _lead_choices(current_user) if o.id == form.lead.data), None)
    area = db.session.get(ProgrammeArea, form.area.data) if form.area.data else None
    if organization is None:
        raise OperationError(_("Choose one of your verified organizations."), "lead")
    if area is None or area.round_id != round_.id:
        raise OperationError(_("Choose one of this round's programme areas."), "area")
    return organization, area


def _create(form, round_):
    organization, area = _chosen(form, round_)
    return operations.create_statement(
        current_user,
        round_,
        area=area,
        organization=organization,
        title=form.title.data,
        body=form.body.data,
        language=form.language.data,
    )


@bp.route("/rounds/<slug>/statements/new", methods=["GET", "POST"])
@login_required
def new(slug):
    round_ = get_by_slug_or_404(Round, slug)
    organizations = _lead_choices(current_user)
    form = NewStatementForm()
    form.set_choices(organizations, round_.areas)
    closed = refusal(operations.require_open_round, round_, "New statements")
    if form.validate_on_submit() and not closed:
        statement = perform(form, _create, form, round_)
        if statement is not FAILED:
            flash(_("The statement is created. Invite co-drafting organizations below."), "success")
            return redirect(url_for(".show", statement_id=statement.id))
    status = 400 if form.errors or (request.method == "POST" and closed) else 200
    return render_template(
        "statements/new.html",
        round=round_,
        form=form,
        closed=closed,
        organizations=organizations,
        preview=render_html(form.body.data, lang=form.language.data or "en")
        if form.body.data
        else "",
    ), status


@bp.route("/rounds/<slug>/statements/import", methods=["GET", "POST"])
@login_required
def import_file(slug):
    round_ = get_by_slug_or_404(Round, slug)
    organizations = _lead_choices(current_user)
    form = ImportStatementForm()
    form.set_choices(organizations, round_.areas)
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read(MAX_BYTES + 1)
        filename = upload.filename or ""

        def run():
            organization, area = _chosen(form, round_)
            if import_jobs.belongs_in_background(filename, data):
                job_id = import_jobs.start(
                    current_user,
                    round_,
                    organization=organization,
                    area=area,
                    filename=filename,
                    data=data,
                )
                return url_for(".import_status", job_id=job_id), None
            statement = import_statement(
                current_user,
                round_,
                organization=organization,
                area=area,
                filename=filename,
                data=data,
            )
            imported = _("The file is imported as the first revision. Check the text below.")
            return url_for(".show", statement_id=statement.id), imported

        # Problems with the text itself (no title, empty) belong to the file too.
        done = perform(form, run, rename={"title": "file", "body": "file"})
        if done is not FAILED:
            target, message = done
            if message:
                flash(message, "success")
            return redirect(target)
    return render_template(
        "statements/import.html", round=round_, form=form, organizations=organizations
    ), (400 if form.errors else 200)


@bp.get("/statements/mine")
@login_required
def mine():
    statements, invitations = my_statements(current_user)
    return render_template("statements/mine.html", statements=statements, invitations=invitations)


@bp.get("/statements/<int:statement_id>")
@login_required
def show(statement_id):
    statement = load_statement(statement_id)
    user = current_user
    return render_template(
        "statements/show.html",
        statement=statement,
        content_piece=fragment(
            "statement-page",
            lambda: _shown(statement, user),
            lambda: _page_content(statement, user),
            seconds=SHOW_SECONDS,
        ),
    )


# A person's name on a revision is not versioned: the page shows a renamed author within this.
SHOW_SECONDS = 300


def _shown(statement: Statement, user) -> tuple:
    """What the statement page shows this person, as a version: the statement and its round
    (loaded with it), the data the panels count (signatures, approvals, comments,
    translations, memberships, the venue's requirements: core/versions.py), and the minute (a
    deadline passing closes the editor and the sign-on)."""
    round_ = statement.round
    return (
        statement.id,
        statement.updated_at,
        statement.lead_organization.name,
        tuple((d.id, d.state, d.organization.name) for d in statement.drafters),
        (round_.title, round_.process.title, round_.timezone, round_.opens_at),
        (round_.submission_deadline, round_.signon_deadline, round_.meeting_end),
        user.id,
        utcnow().replace(second=0, microsecond=0),
        *data_version(),
    )


def _page_content(statement: Statement, user) -> str:
    revision = statement.current_revision
    threads = comment_threads(statement) if statement.can_view_comments(user) else []
    invite_form = None
    if statement.can_invite(user):
        invite_form = InviteForm()
        invite_form.organization.choices = [
            (o.id, o.name) for o in invitable_organizations(statement)
        ]
    return render_template(
        "statements/_show_body.html",
        statement=statement,
        revision=revision,
        body_html=render_html(revision.body, lang=statement.language) if revision else "",
        pages=pages_for_words(revision.word_count) if revision else 0,
        threads=threads,
        invite_form=invite_form,
        comment_form=CommentForm(),
        open_round=statement.round.accepts_submissions(),
        panel=signature_panel(statement, user),
        last_review=review_summary(statement),
        # The venue's checks, for those who can act on them: the drafters and coordinators.
        venue=venue_summary(statement) if statement.can_view_private(user) else None,
        breakdown=statement_breakdown(statement),
    )


def _editor(statement, form, *, status=200, conflict=None, preview=None):
    body = form.body.data or ""
    return render_template(
        "statements/edit.html",
        statement=statement,
        form=form,
        conflict=conflict,
        preview=preview if preview is not None else render_html(body, lang=statement.language),
        words=word_count(body),
        pages=estimate_pages(body),
        max_upload=MAX_BYTES,
        venue=venue_summary(statement, title=form.title.data or "", body=body),
    ), status


@bp.route("/statements/<int:statement_id>/edit", methods=["GET", "POST"])
@login_required
def edit(statement_id):
    statement = load_statement(statement_id, Statement.can_edit)
    current = statement.current_revision
    if not statement.round.accepts_submissions():
        try:
            operations.require_open_round(statement.round)
        except OperationError as exc:
            flash(exc.message, "error")
        return redirect(url_for(".show", statement_id=statement.id))
    form = EditForm()
    if request.method == "GET":
        form.base_revision_id.data = current.id if current else None
        form.title.data = current.title if current else ""
        form.body.data = current.body if current else ""
        form.note.data = ""
        return _editor(statement, form)
    if request.form.get("action") == "preview":
        form.validate()
        return _editor(statement, form)
    if not form.validate():
        return _editor(statement, form, status=400)
    saved = attempt(
        operations.save_revision,
        current_user,
        statement,
        base_revision_id=form.base_revision_id.data,
        title=form.title.data,
        body=form.body.data,
        note=form.note.data,
        substantive=form.substantive.data,
        conflict=(operations.EditConflict,),
        then=lambda revision: _("Saved as revision %(number)s.", number=revision.number),
    )
    if refused(saved) and saved.status == 409:
        return _conflict(statement_id, form, saved.error)
    if refused(saved):
        attach_error(form, saved.error)
        return _editor(statement, form, status=400)
    flash(saved, "success")
    return redirect(url_for(".show", statement_id=statement_id))


def _conflict(statement_id, form, conflict):
    """Show the other person's change as a diff and keep this person's text in the form."""
    statement = load_statement(statement_id, Statement.can_edit)
    current = statement.current_revision
    base = None
    if conflict.base_revision_id is not None:
        base = db.session.get(Revision, conflict.base_revision_id)
        if base is not None and base.statement_id != statement.id:
            base = None
    other_change = revision_diff(base, current) if base is not None and current else None
    # Saving again from this page saves on top of the newer revision, once merged by hand.
    form.base_revision_id.data = current.id if current else None
    form.body.errors = [*form.body.errors, conflict.message]
    return _editor(
        statement,
        form,
        status=409,
        conflict={"base": base, "current": current, "diff": other_change},
    )


@bp.post("/statements/<int:statement_id>/preview")
@login_required
def preview(statement_id):
    """The live preview: the text rendered exactly as on the statement page, as an HTML fragment."""
    statement = load_statement(statement_id, Statement.can_edit)
    return _preview_response(request.form.get("body", ""), statement)


@bp.post("/statements/<int:statement_id>/checks")
@login_required
def venue_checks(statement_id):
    """The venue's checks on the text being edited, as an HTML fragment (the editor's script
    replaces its checks with it as the text changes)."""
    statement = load_statement(statement_id, Statement.can_edit)
    body = request.form.get("body", "")
    if len(body) > operations.BODY_MAX:
        return Response("The text is too long to check.", status=413, mimetype="text/plain")
    venue = venue_summary(statement, title=request.form.get("title"), body=body)
    response = Response(render_template("venues/_checks.html", venue=venue), mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/rounds/<slug>/statements/preview")
@login_required
def preview_new(slug):
    get_by_slug_or_404(Round, slug)
    if not _lead_choices(current_user):
        abort(403)
    return _preview_response(request.form.get("body", ""), None)


def _preview_response(body: str, statement: Statement | None) -> Response:
    if len(body) > operations.BODY_MAX:
        return Response("The text is too long to preview.", status=413, mimetype="text/plain")
    # A new statement's preview is in the language picked in its form.
    lang = statement.language if statement else request.form.get("language") or "en"
    response = Response(render_html(body, lang=lang), mimetype="text/html")
    response.headers["X-Word-Count"] = str(word_count(body))
    response.headers["X-Page-Estimate"] = str(estimate_pages(body))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/statements/<int:statement_id>/draft.pdf")
@login_required
def draft_pdf(statement_id):
    """The current (or a given) revision as a PDF, watermarked as a draft; laid out once per
    revision and paper, by the worker when there is one."""
    statement = load_statement(statement_id)
    number = request.args.get("revision", type=bounded_int)
    revision = (
        load_revision(statement, number) if number is not None else statement.current_revision
    )
    if revision is None:
        abort(404)
    return send_draft(statement, revision)


def send_draft(statement, revision):
    """The draft PDF of a revision (of the original or of a translation), or the page saying
    it is being prepared."""
    paper = "letter" if request.args.get("paper") == "letter" else "a4"
    artifact = draft_or_preparing(statement, revision, paper)
    if isinstance(artifact, Preparing):
        back = {"url": url_for(".show", statement_id=statement.id), "label": "The statement"}
        return preparing_page(artifact, f"{revision.title} (draft PDF)", back)
    if isinstance(artifact, DraftFile):
        response = send_file(
            artifact.path, mimetype="application/pdf", download_name=artifact.filename
        )
    else:
        response = send_artifact(artifact)
    # Drafts are for their drafters: no shared cache may keep a copy.
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/help/writing")
def writing_guide():
    """docs/writing.md as a page, so the editor's help can link to the full guide."""
    path = ROOT / "docs" / "writing.md"
    if not path.is_file():
        abort(404)
    # Our own documentation, with tables; raw HTML stays off all the same.
    html = MarkdownIt("commonmark", {"html": False}).enable("table").render(path.read_text())
    return render_template("statements/writing_guide.html", guide=html)


from . import (  # noqa: E402,F401  (routes on this bp)
    collab_views,
    history_views,
    import_views,
    translation_views,
)
