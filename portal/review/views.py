"""Submitting, withdrawing, the coordinators' review queue and their decisions."""

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forms.review import DecisionForm, WithdrawForm

from ..core.feedback import FAILED, perform, perform_action
from ..core.fragments import fragment
from ..core.versions import data_version
from ..exports.official import slug as official_slug
from ..exports.preview import preview_pdf
from ..models import Round, Statement, StatementState
from ..permissions import coordinator_required, get_by_slug_or_404
from ..statements.queries import load_statement
from ..statements.workflow import latest_submission
from ..text import render_html
from ..text.diff import revision_diff
from ..venues.statement_checks import venue_summary
from . import operations as ops
from . import queries

bp = Blueprint("review", __name__)


def _back(statement):
    return redirect(url_for("statements.show", statement_id=statement.id) + "#workflow")


@bp.post("/statements/<int:statement_id>/submit")
@login_required
def submit(statement_id):
    statement = load_statement(statement_id, Statement.can_submit)
    perform_action(
        ops.submit,
        current_user,
        statement,
        success=lambda submission: (
            f"Submitted revision {submission.revision.number} for review. The text is locked "
            "until a coordinator decides."
        ),
    )
    return _back(statement)


@bp.post("/statements/<int:statement_id>/resume")
@login_required
def resume(statement_id):
    statement = load_statement(statement_id, Statement.can_resume)
    perform_action(
        ops.resume,
        current_user,
        statement,
        success=_("The statement is open for signatures again. Submit it when it is ready."),
    )
    return _back(statement)


@bp.route("/statements/<int:statement_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw(statement_id):
    statement = load_statement(statement_id, Statement.can_withdraw)
    form = WithdrawForm()
    if form.validate_on_submit():
        withdrawn = perform(form, ops.withdraw, current_user, statement, message=form.message.data)
        if withdrawn is not FAILED:
            flash(_("The statement was withdrawn."), "success")
            return _back(statement)
    status = 422 if form.errors or request.method == "POST" else 200
    return render_template("review/withdraw.html", statement=statement, form=form), status


@bp.get("/rounds/<slug>/review")
@coordinator_required
def queue(slug):
    round_ = get_by_slug_or_404(Round, slug)
    # What the queue shows: the round's statements, their leads and areas, in the round's zone.
    shown = (round_.id, round_.timezone, tuple(a.title for a in round_.areas))
    return render_template(
        "review/queue.html",
        round=round_,
        content_piece=fragment(
            "review-queue", lambda: (*shown, *data_version()), lambda: _queue_content(round_)
        ),
    )


def _queue_content(round_) -> str:
    waiting, decided = queries.review_queue(round_)
    return render_template(
        "review/_queue_body.html", round=round_, waiting=waiting, decided=decided
    )


@bp.route("/review/statements/<int:statement_id>", methods=["GET", "POST"])
@coordinator_required
def decide(statement_id):
    statement = load_statement(statement_id)
    form = DecisionForm()
    if request.method == "POST":
        if form.validate_on_submit():
            review = perform(
                form,
                ops.decide,
                current_user,
                statement,
                form.decision.data,
                message=form.message.data,
            )
            if review is not FAILED:
                flash(
                    _(
                        "%(label)s: %(title)s.",
                        label=review.decision_enum.label,
                        title=statement.title,
                    ),
                    "success",
                )
                return redirect(url_for("review.queue", slug=statement.round.slug))
        status = 422
    else:
        status = 200
    return render_template("review/decide.html", form=form, **_review_context(statement)), status


@bp.get("/review/statements/<int:statement_id>/preview.pdf")
@coordinator_required
def preview(statement_id):
    statement = load_statement(statement_id)
    paper = "letter" if request.args.get("paper") == "letter" else "a4"
    response = Response(preview_pdf(statement, paper), mimetype="application/pdf")
    filename = f"{official_slug(statement.title)}-{statement.id}-preview.pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _review_context(statement) -> dict:
    history = queries.submissions(statement)
    current = latest_submission(statement)
    # The submission that waits for a decision, if one does.
    waiting = current if current is not None and current.review is None else None
    revision = waiting.revision if waiting else statement.current_revision
    previous = next((s for s in history if current and s.number == current.number - 1), None)
    diff = revision_diff(previous.revision, revision) if previous and waiting else None
    return {
        "statement": statement,
        "submission": waiting,
        "revision": revision,
        "body_html": render_html(revision.body, lang=statement.language),
        "previous": previous,
        "diff": diff,
        "history": history,
        "signatures": queries.signature_groups(statement),
        "comments": queries.open_comments(statement),
        "can_decide": statement.state == StatementState.SUBMITTED,
        "venue": venue_summary(statement),
    }
