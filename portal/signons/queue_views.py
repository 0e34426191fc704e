"""The coordinator's sign-on queue per round: filter, approve (one or many), reject with a reason,
merge or keep apart near-duplicates, and the CSV import with its preview."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user

from forms.choices import country_pairs, kind_pairs
from forms.signons import ImportConfirmForm, ImportForm

from ..core.feedback import perform_action
from ..core.fragments import fragment
from ..core.inputs import bounded_int, parse_id
from ..core.redirects import redirect_next
from ..core.versions import data_version
from ..errors import OperationError
from ..extensions import db
from ..models import Round, Signature, SignatureState, Statement
from ..permissions import coordinator_required, get_by_slug_or_404, get_or_404
from ..venues.statement_checks import new_organization_notice, signon_notice
from . import decisions, importing
from .queries import QueueFilters, matching_ids, queue, round_statement_choices
from .views import bp

MAX_IMPORT_BYTES = 1024 * 1024


def _filters(args=None) -> QueueFilters:
    args = request.args if args is None else args
    state = args.get("state", SignatureState.PENDING.value)
    if state not in {s.value for s in SignatureState} | {""}:
        state = SignatureState.PENDING.value
    return QueueFilters(
        statement_id=args.get("statement", type=bounded_int),
        state=state or None,
        country=(args.get("country") or "").upper() or None,
        kind=args.get("kind") or None,
    )


def _filter_args(filters: QueueFilters) -> dict:
    return {
        "statement": filters.statement_id or None,
        "state": filters.state or "",
        "country": filters.country or None,
        "kind": filters.kind or None,
    }


@bp.get("/rounds/<slug>/signons")
@coordinator_required
def queue_page(slug):
    round_ = get_by_slug_or_404(Round, slug)
    filters = _filters()
    page = request.args.get("page", 1, type=bounded_int)
    # What the queue shows: sign-ons, organizations and statements' titles (data_version),
    # for this coordinator, at this address (filters, page).
    shown = (
        round_.id,
        round_.title,
        round_.auto_approve_verified,
        current_user.id,
        request.full_path,
    )
    return render_template(
        "signons/queue.html",
        round=round_,
        content_piece=fragment(
            "signon-queue",
            lambda: (*shown, *data_version()),
            lambda: _queue_body(round_, filters, page),
        ),
    )


def _queue_body(round_: Round, filters: QueueFilters, page: int) -> str:
    result = queue(round_, filters, page=page)
    by_id = {s.id: s for s, _ in result.items}
    return render_template(
        "signons/_queue_body.html",
        round=round_,
        filters=filters,
        filter_args=_filter_args(filters),
        result=result,
        by_id=by_id,
        statements=round_statement_choices(round_),
        countries=country_pairs(gettext("Any country")),
        kinds=kind_pairs(gettext("Any kind")),
        states=[("", gettext("Any state")), *[(s.value, s.label) for s in SignatureState]],
    )


def _back(round_: Round):
    return redirect_next(url_for(".queue_page", slug=round_.slug))


@bp.post("/rounds/<slug>/signons/approve")
@coordinator_required
def approve_selected(slug):
    round_ = get_by_slug_or_404(Round, slug)
    if request.form.get("all_matching"):
        ids = _all_matching(round_)
        if ids is None:
            return _back(round_)
    else:
        parsed = [parse_id(i) for i in request.form.getlist("signature")]
        ids = [i for i in parsed if i is not None]
        if len(ids) != len(parsed):
            abort(400)
    perform_action(
        decisions.approve_many,
        current_user,
        round_,
        ids,
        success=lambda count: ngettext(
            "%(num)d sign-on approved.", "%(num)d sign-ons approved.", count
        ),
    )
    return _back(round_)


def _all_matching(round_: Round) -> list[int] | None:
    """Every sign-on matching the filters the coordinator saw (posted back as hidden fields),
    read again here; None, with a message, when the list changed since the page was loaded."""
    ids = matching_ids(round_, _filters(request.form))
    if len(ids) != request.form.get("expected", type=int):
        flash(
            gettext(
                "The list changed since the page was loaded: %(len)s sign-ons match now. "
                "Check them and approve again.",
                len=len(ids),
            ),
            "warning",
        )
        return None
    return ids


def _signature_in_round(round_: Round, signature_id: int) -> Signature:
    signature = get_or_404(Signature, signature_id, Signature.can_decide)
    if signature.statement.round_id != round_.id:
        abort(404)
    return signature


@bp.post("/rounds/<slug>/signons/<int:signature_id>/<any(approve, reject, 'keep-apart'):action>")
@coordinator_required
def decide(slug, signature_id, action):
    round_ = get_by_slug_or_404(Round, slug)
    signature = _signature_in_round(round_, signature_id)
    if action == "approve":
        perform_action(
            decisions.approve,
            current_user,
            signature,
            success=gettext("Approved: %(name)s.", name=signature.organization.name),
        )
    elif action == "reject":
        perform_action(
            decisions.reject,
            current_user,
            signature,
            request.form.get("reason", ""),
            success=gettext(
                "Rejected: %(name)s; the reason is e-mailed.", name=signature.organization.name
            ),
        )
    else:
        perform_action(
            decisions.keep_apart,
            current_user,
            signature,
            success=gettext("Kept apart: they are no longer flagged as duplicates."),
        )
    return _back(round_)


@bp.post("/rounds/<slug>/signons/<int:signature_id>/merge")
@coordinator_required
def merge(slug, signature_id):
    round_ = get_by_slug_or_404(Round, slug)
    duplicate = _signature_in_round(round_, signature_id)
    keep = _signature_in_round(round_, parse_id(request.form.get("into")) or 0)
    perform_action(
        decisions.merge,
        current_user,
        duplicate,
        keep,
        success=gettext("Merged into the sign-on of %(name)s.", name=keep.organization.name),
    )
    return _back(round_)


@bp.route("/rounds/<slug>/signons/import", methods=["GET", "POST"])
@coordinator_required
def import_signons(slug):
    """Step 1 uploads and previews; step 2 re-posts the same text and writes it."""
    round_ = get_by_slug_or_404(Round, slug)
    choices = round_statement_choices(round_)
    form = ImportForm()
    form.statement.choices = choices
    confirm_form = ImportConfirmForm()
    result = statement = None
    text = ""
    if request.form.get("step") == "confirm":
        statement = _statement_in_round(round_, confirm_form.statement.data)
        text = confirm_form.payload.data or ""
        if confirm_form.validate_on_submit() and perform_action(
            importing.commit_import,
            current_user,
            statement,
            text,
            success=lambda count: f"{count} sign-on{'' if count == 1 else 's'} imported.",
        ):
            return redirect(url_for(".queue_page", slug=round_.slug, state="approved"))
        result = _preview_or_none(form, statement, text)
    elif form.validate_on_submit():
        statement = _statement_in_round(round_, form.statement.data)
        raw = form.file.data.read(MAX_IMPORT_BYTES + 1)
        if len(raw) > MAX_IMPORT_BYTES:
            form.file.errors = [*form.file.errors, gettext("The file is larger than 1 MB.")]
        else:
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                form.file.errors = [*form.file.errors, gettext("Save the file as UTF-8 CSV.")]
            else:
                result = _preview_or_none(form, statement, text)
    confirm_form.statement.data = str(statement.id) if statement else ""
    confirm_form.payload.data = text
    return render_template(
        "signons/import.html",
        round=round_,
        form=form,
        confirm_form=confirm_form,
        statement=statement,
        result=result,
        notice_of=lambda row: _import_notice(statement, row),
    ), (400 if form.errors else 200)


def _import_notice(statement: Statement | None, row) -> str | None:
    """Where an imported row's organization goes under the round's venue."""
    if statement is None:
        return None
    if row.existing is not None:
        return signon_notice(statement, row.existing)
    return new_organization_notice(statement, row.organization)


def _statement_in_round(round_: Round, statement_id) -> Statement:
    found = parse_id(statement_id)
    statement = db.session.get(Statement, found) if found else None
    if statement is None or statement.round_id != round_.id:
        abort(404)
    return statement


def _preview_or_none(form, statement, text):
    try:
        return importing.preview(statement, text)
    except OperationError as exc:
        form.file.errors = [*form.file.errors, exc.message]
        return None
