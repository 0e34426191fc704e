"""The outbox (coordinators) and user management (admins), on the auth blueprint."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import defer

from forms.auth import SiteRoleForm, UserSearchForm

from ..core.feedback import perform_action
from ..core.inputs import bounded_int
from ..core.secret_links import redact
from ..extensions import db
from ..models import OutboxMessage, User
from ..permissions import admin_required, coordinator_required
from . import operations as ops
from .views import bp

PER_PAGE = 50


def _page() -> int:
    return request.args.get("page", 1, type=bounded_int) or 1


# -- outbox ------------------------------------------------------------------------------------


@bp.get("/outbox")
@coordinator_required
def outbox():
    q = (request.args.get("q") or "").strip()[:254]
    query = select(OutboxMessage).options(defer(OutboxMessage.body))
    if q:
        query = query.where(
            func.lower(OutboxMessage.recipient).contains(q.lower(), autoescape=True)
        )
    query = query.order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    pagination = db.paginate(query, page=_page(), per_page=PER_PAGE, error_out=False)
    return render_template("auth/outbox.html", pagination=pagination, q=q)


@bp.get("/outbox/<int:message_id>")
@coordinator_required
def outbox_message(message_id: int):
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        abort(404)
    # Every body is redacted, not only those marked secret: messages stored before the mark
    # existed carry links too, and a coordinator never needs a token to help someone.
    return render_template("auth/outbox_message.html", message=message, body=redact(message.body))


# -- user management ---------------------------------------------------------------------------


@bp.get("/admin/users")
@admin_required
def users():
    search = UserSearchForm(request.args)
    query = select(User)
    q = (search.q.data or "").strip()[:254] if search.validate() else ""
    if q:
        needle = q.lower()
        query = query.where(
            or_(
                func.lower(User.name).contains(needle, autoescape=True),
                User.email.contains(needle, autoescape=True),
            )
        )
    query = query.order_by(func.lower(User.name), User.id)
    pagination = db.paginate(query, page=_page(), per_page=PER_PAGE, error_out=False)
    return render_template(
        "auth/users.html", pagination=pagination, search=search, q=q, role_form=SiteRoleForm
    )


def _back_to_users():
    return redirect(url_for("auth.users", q=request.form.get("q") or None))


@bp.post("/admin/users/<int:user_id>/role")
@admin_required
def user_role(user_id: int):
    user = db.get_or_404(User, user_id)
    form = SiteRoleForm()
    if not form.validate_on_submit():
        flash(gettext("Choose user, coordinator or admin."), "error")
        return _back_to_users()
    perform_action(
        ops.set_site_role,
        current_user._get_current_object(),
        user,
        form.site_role.data,
        success=lambda _: f"{user.name} is now {user.site_role}.",  # the role as saved
    )
    return _back_to_users()


def _set_active(user_id: int, active: bool):
    user = db.get_or_404(User, user_id)
    perform_action(
        ops.set_active,
        current_user._get_current_object(),
        user,
        active,
        success=(
            gettext("%(name)s is reactivated.", name=user.name)
            if active
            else gettext("%(name)s is deactivated: they can no longer sign in.", name=user.name)
        ),
    )
    return _back_to_users()


@bp.post("/admin/users/<int:user_id>/deactivate")
@admin_required
def user_deactivate(user_id: int):
    return _set_active(user_id, False)


@bp.post("/admin/users/<int:user_id>/reactivate")
@admin_required
def user_reactivate(user_id: int):
    return _set_active(user_id, True)
