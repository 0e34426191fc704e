"""Revision history: the list, one revision, the word diff between any two, restore."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.feedback import attempt, refused
from ..core.inputs import bounded_int
from ..models import Statement
from ..text import render_html
from ..text.diff import revision_diff
from ..text.formatted_diff import formatted_revision_diff
from . import operations
from .queries import load_revision, load_statement, revision_list
from .views import bp


@bp.get("/statements/<int:statement_id>/history")
@login_required
def history(statement_id):
    statement = load_statement(statement_id, Statement.can_view_history)
    revisions = revision_list(statement)
    return render_template("statements/history.html", statement=statement, revisions=revisions)


@bp.get("/statements/<int:statement_id>/revisions/<int:number>")
@login_required
def revision(statement_id, number):
    statement = load_statement(statement_id, Statement.can_view_history)
    shown = load_revision(statement, number)
    return render_template(
        "statements/revision.html",
        statement=statement,
        revision=shown,
        body_html=render_html(shown.body, lang=statement.language),
        is_current=shown.id == statement.current_revision_id,
    )


@bp.get("/statements/<int:statement_id>/diff")
@login_required
def diff(statement_id):
    """?from=N&to=M (default: the one before the current, and the current)."""
    statement = load_statement(statement_id, Statement.can_view_history)
    current = statement.current_revision
    if current is None:
        abort(404)
    to_number = request.args.get("to", type=bounded_int) or current.number
    from_number = request.args.get("from", type=bounded_int)
    if from_number is None:
        from_number = max(1, to_number - 1)
    old = load_revision(statement, from_number)
    new = load_revision(statement, to_number)
    context = None if request.args.get("full") else 3
    # Readers see the change as formatted text; drafters may ask for the source they edit.
    source = request.args.get("view") == "source" and statement.can_view_source_diff(current_user)
    compare = revision_diff if source else formatted_revision_diff
    return render_template(
        "statements/diff.html",
        statement=statement,
        old=old,
        new=new,
        result=compare(old, new, context=context),
        full=context is None,
        source=source,
        latest=current.number,
    )


@bp.post("/statements/<int:statement_id>/revisions/<int:number>/restore")
@login_required
def restore(statement_id, number):
    statement = load_statement(statement_id, Statement.can_restore)
    old = load_revision(statement, number)
    restored = attempt(
        operations.restore_revision,
        current_user,
        statement,
        old,
        conflict=(operations.EditConflict,),
        then=lambda revision: revision.number,
    )
    if refused(restored) and restored.status == 409:
        flash(_("Someone saved a newer revision just now; look at it before restoring."), "error")
        return redirect(url_for(".history", statement_id=statement_id))
    if refused(restored):
        flash(restored.error.message, "error")
        return redirect(url_for(".revision", statement_id=statement_id, number=number))
    flash(
        _(
            "Revision %(number)s restored as revision %(restored)s.",
            number=number,
            restored=restored,
        ),
        "success",
    )
    return redirect(url_for(".show", statement_id=statement_id))
