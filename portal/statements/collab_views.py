"""Working together: inviting co-drafting organizations, their answer, and comments."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forms.statements import CommentForm, InviteForm

from ..core.feedback import attempt, perform_action, refused
from ..core.inputs import parse_id
from ..extensions import db
from ..models import Comment, Organization, Statement, StatementDrafter
from ..text import render_html
from . import operations
from .queries import comment_threads, invitable_organizations, load_statement
from .views import bp


def _back(statement_id, anchor=None):
    return redirect(url_for(".show", statement_id=statement_id, _anchor=anchor))


@bp.post("/statements/<int:statement_id>/drafters")
@login_required
def invite(statement_id):
    statement = load_statement(statement_id, Statement.can_invite)
    form = InviteForm()
    form.organization.choices = [(o.id, o.name) for o in invitable_organizations(statement)]
    if not form.validate_on_submit():
        flash(_("Choose an organization to invite."), "error")
        return _back(statement_id, "drafters")
    organization = db.session.get(Organization, form.organization.data)
    if organization is None:  # gone since the form listed it
        abort(404)
    perform_action(
        operations.invite_drafter,
        current_user,
        statement,
        organization,
        success=_("%(name)s is invited; its admins are told by e-mail.", name=organization.name),
    )
    return _back(statement_id, "drafters")


def _drafter_or_404(statement, drafter_id) -> StatementDrafter:
    drafter = db.session.get(StatementDrafter, drafter_id)
    if drafter is None or drafter.statement_id != statement.id:
        abort(404)
    return drafter


@bp.post("/statements/<int:statement_id>/drafters/<int:drafter_id>/<any(accept, decline):answer>")
@login_required
def respond(statement_id, drafter_id, answer):
    statement = load_statement(statement_id)
    drafter = _drafter_or_404(statement, drafter_id)
    if not drafter.can_respond(current_user):
        abort(403)
    accept = answer == "accept"
    if not perform_action(
        operations.respond_to_invitation,
        current_user,
        drafter,
        accept=accept,
        success=_("%(name)s now co-drafts this statement.", name=drafter.organization.name)
        if accept
        else _("You declined the invitation."),
    ):
        return _back(statement_id, "drafters")
    if accept:
        return _back(statement_id)
    # After declining, the draft is no longer theirs to see.
    if statement.can_view(current_user):
        return _back(statement_id)
    return redirect(url_for(".mine"))


@bp.post("/statements/<int:statement_id>/comments")
@login_required
def comment(statement_id):
    statement = load_statement(statement_id, Statement.can_comment)
    form = CommentForm()
    parent = None
    if form.parent_id.data:
        parent_id = parse_id(form.parent_id.data)
        parent = db.session.get(Comment, parent_id) if parent_id else None
        if parent is None or parent.statement_id != statement.id:
            abort(404)
    if form.validate_on_submit():
        anchor = attempt(
            operations.add_comment,
            current_user,
            statement,
            body=form.body.data,
            quote=form.quote.data,
            parent=parent,
            then=lambda created: f"comment-{created.id}",
        )
        if refused(anchor):
            field = getattr(form, anchor.error.field or "", None)
            if field is None:
                flash(anchor.error.message, "error")
                return _back(statement_id, "comments")
            field.errors = [*field.errors, anchor.error.message]
        else:
            flash(_("Comment posted."), "success")
            return _back(statement_id, anchor)
    # Show the form again with its errors, the text kept, on the comments page.
    statement = load_statement(statement_id, Statement.can_comment)
    revision = statement.current_revision
    return render_template(
        "statements/comments.html",
        statement=statement,
        threads=comment_threads(statement),
        form=form,
        parent=parent,
        body_html=render_html(revision.body, lang=statement.language) if revision else "",
    ), 400


def _comment_or_404(statement, comment_id) -> Comment:
    found = db.session.get(Comment, comment_id)
    if found is None or found.statement_id != statement.id:
        abort(404)
    return found


@bp.post("/statements/<int:statement_id>/comments/<int:comment_id>/<any(resolve, reopen):action>")
@login_required
def resolve(statement_id, comment_id, action):
    statement = load_statement(statement_id, Statement.can_view_comments)
    found = _comment_or_404(statement, comment_id)
    if not found.can_resolve(current_user):
        abort(403)
    perform_action(
        operations.set_comment_resolved,
        current_user,
        found,
        resolved=action == "resolve",
        success=_("Comment resolved.") if action == "resolve" else _("Comment reopened."),
    )
    return _back(statement_id, f"comment-{comment_id}")
