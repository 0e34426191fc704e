"""The desk page, the lead's reminder, and the template globals behind the navigation badges and
the round page's list of statements open for signature."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import ngettext
from flask_login import current_user, login_required

from forms.desk import ReminderForm

from ..core.feedback import FAILED, perform, refusal
from ..core.fragments import fragment
from ..core.versions import data_version
from ..errors import OperationError
from ..models import Statement, utcnow
from ..permissions import get_or_404
from . import queries, reminders

bp = Blueprint("desk", __name__)


@bp.get("/desk")
@login_required
def index():
    user = current_user
    # What the desk shows: this person's work in the data as it stands, and what the clock
    # moves (deadlines coming within the horizon): kept for the minute at most.
    version = (user.id, user.is_coordinator, utcnow().replace(second=0, microsecond=0))
    return render_template(
        "desk/index.html",
        content_piece=fragment("desk", lambda: (*version, *data_version()), lambda: _content(user)),
    )


def _content(user) -> str:
    return render_template(
        "desk/_index_body.html",
        coordinator=queries.coordinator_desk() if user.is_coordinator else None,
        member=queries.member_desk(user),
        horizon_hours=int(queries.DEADLINE_HORIZON.total_seconds() // 3600),
    )


@bp.route("/statements/<int:statement_id>/reminder", methods=["GET", "POST"])
@login_required
def reminder(statement_id):
    statement = get_or_404(Statement, statement_id, Statement.can_remind)
    form = ReminderForm()
    status = 200
    if form.validate_on_submit() and form.send.data:
        sent = perform(form, reminders.send_lead_reminder, current_user, statement, form.note.data)
        if sent is not FAILED:
            flash(
                ngettext(
                    "Reminder sent to %(num)d organization.",
                    "Reminder sent to %(num)d organizations.",
                    sent,
                ),
                "success",
            )
            return redirect(url_for("statements.show", statement_id=statement.id))
        status = 400
    plan = reminders.reminder_plan(statement)
    try:
        note = reminders.clean_note(form.note.data)
    except OperationError as error:
        form.note.errors = [*form.note.errors, error.message]
        note, status = "", 400
    return render_template(
        "desk/reminder.html",
        statement=statement,
        form=form,
        plan=plan,
        messages=reminders.preview(plan, note),
        refused=refusal(reminders.check_reminder, current_user, plan),
    ), status


@bp.app_template_global("desk_badges")
def _desk_badges():
    return queries.badges(current_user)
