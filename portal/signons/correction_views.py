"""The coordinator's page that corrects a published signatory list
(portal/exports/list_corrections.py)."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forms.signons import CorrectListForm

from ..core.feedback import FAILED, perform
from ..exports import list_corrections
from ..models import Statement
from ..permissions import coordinator_required, get_or_404
from ..review.queries import published_or_404
from . import listing
from .views import bp


@bp.route("/published/<int:statement_id>/correct-list", methods=["GET", "POST"])
@coordinator_required
def correct_list(statement_id):
    get_or_404(Statement, statement_id)
    statement = published_or_404(statement_id)
    review = listing.approval(statement)
    if review is None:  # approved without an approving review: no list to correct
        abort(404)
    entries = listing.published_entries(review)
    form = CorrectListForm()
    form.remove.choices = [
        (e.signature_id, e.name + (f" ({e.place})" if e.place else "")) for e in entries
    ]
    status = 200
    if form.validate_on_submit():
        done = perform(
            form,
            list_corrections.correct_published_list,
            current_user,
            statement,
            form.remove.data,
            form.reason.data,
        )
        if done is not FAILED:
            flash(
                _(
                    "The published list is corrected (version %(version)s); the official "
                    "PDF is compiled again and the earlier one kept.",
                    version=done.version,
                ),
                "success",
            )
            return redirect(url_for("publication.statement", statement_id=statement.id))
        status = 400
    elif form.errors:
        status = 400
    return render_template(
        "signons/correct_list.html",
        statement=statement,
        review=review,
        form=form,
        history=list_corrections.history(review),
    ), status
