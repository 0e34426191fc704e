"""Signatory lists: the panel on the statement page, the signatories page with counts by
country, region and kind, and the exports (all fields for drafters and coordinators; the
published fields for everyone)."""

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forms.signons import SignatoryOrderForm

from ..core.feedback import FAILED, perform
from ..core.fragments import fragment
from ..core.versions import data_version
from ..models import Statement, StatementState
from ..statements.operations import set_signatory_order
from ..statements.queries import load_statement
from . import list_files
from .listing import listing
from .queries import can_export
from .summary import breakdown, organization_kinds, summary
from .views import _public_statement, bp


@bp.get("/statements/<int:statement_id>/signatures")
@login_required
def signatories(statement_id):
    statement = load_statement(statement_id)
    if statement.state == StatementState.DRAFT:
        abort(404)
    return _signatories_page(statement, SignatoryOrderForm(order=statement.signatory_order))


def _signatories_page(statement: Statement, order_form, status: int = 200):
    exports = can_export(statement, current_user)
    shown = (statement.id, statement.state, statement.signatory_order, exports)
    return render_template(
        "signons/signatories.html",
        statement=statement,
        list_piece=fragment(
            "signatories",
            lambda: (*shown, *data_version()),
            lambda: _list_piece(statement, exports),
        ),
        order_form=order_form if statement.can_set_signatory_order(current_user) else None,
    ), status


def _list_piece(statement: Statement, exports: bool) -> str:
    signed = summary(statement)
    return render_template(
        "signons/_signatories_body.html",
        statement=statement,
        entries=signed.entries,
        counts=signed.counts,
        breakdown=breakdown(signed.entries or [], organization_kinds(statement)),
        can_export=exports,
    )


@bp.post("/statements/<int:statement_id>/signatory-order")
@login_required
def signatory_order(statement_id):
    statement = load_statement(statement_id)
    if statement.state == StatementState.DRAFT:
        abort(404)
    if not statement.can_set_signatory_order(current_user):
        abort(403)
    form = SignatoryOrderForm()
    if form.validate_on_submit():
        saved = perform(form, set_signatory_order, current_user, statement, form.order.data)
        if saved is not FAILED:
            flash(_("The signatory order is saved."), "success")
            return redirect(url_for(".signatories", statement_id=statement.id))
    return _signatories_page(statement, form, 400)


def _filename(statement: Statement, suffix: str) -> str:
    return f"statement-{statement.id}-signatories{suffix}"


@bp.get("/statements/<int:statement_id>/signatures.<any(csv, xlsx):fmt>")
@login_required
def export(statement_id, fmt):
    statement = load_statement(statement_id)
    if not can_export(statement, current_user):
        abort(403)
    rows = list_files.full_rows(listing(statement))
    if fmt == "csv":
        response = Response(list_files.to_csv(list_files.FULL_COLUMNS, rows), mimetype="text/csv")
    else:
        response = Response(
            list_files.to_xlsx(list_files.FULL_COLUMNS, rows),
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    name = _filename(statement, f".{fmt}")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/s/<public_token>/signatories.csv")
def public_csv(public_token):
    statement = _public_statement(public_token)
    body = list_files.to_csv(list_files.PUBLIC_COLUMNS, list_files.public_rows(listing(statement)))
    response = Response(body, mimetype="text/csv")
    name = _filename(statement, "-public.csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
