"""Sign-on pages: open for signatures, sign as a registered organization, the public form at the
statement's unguessable link with its e-mail confirmation, and withdraw / re-confirm.

Lists and exports are in list_views, the coordinator's queue and import in queue_views; all
register on this blueprint.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from forms.signons import OpenSigningForm, PublicSignOnForm, SignForm

from ..core.feedback import FAILED, attempt, perform, perform_action, refusal, refused
from ..errors import OperationError
from ..extensions import db, limiter
from ..models import MemberRole, Signature, Statement, StatementState
from ..permissions import get_or_404
from ..rounds.operations import local_to_utc
from ..statements import workflow
from ..statements.queries import load_statement
from ..text import render_html
from ..text.formatted_diff import formatted_revision_diff
from ..venues.statement_checks import signon_notice
from . import links, operations, public, transitions
from .listing import Standing, latest_substantive_number, listing, standing
from .queries import own_signatures

bp = Blueprint("signons", __name__)


# -- open for signatures -------------------------------------------------------------------------


@bp.route("/statements/<int:statement_id>/open-signing", methods=["GET", "POST"])
@login_required
def open_signing(statement_id):
    # Loaded without eager joins: the workflow re-reads the row FOR UPDATE, which PostgreSQL
    # refuses on the outer joins load_statement adds.
    statement = get_or_404(Statement, statement_id)
    if not statement.is_lead_member(current_user):
        abort(403)
    form = OpenSigningForm()
    if form.validate_on_submit():

        def open_with_deadline():
            # The form's time is the round's local time, as every deadline is shown.
            deadline = local_to_utc(form.deadline.data, statement.round.timezone, "deadline")
            workflow.apply(statement, "open_signing", current_user, signon_deadline=deadline)

        if perform(form, open_with_deadline, rename={"signon_deadline": "deadline"}) is not FAILED:
            flash(_("The statement is open for signatures."), "success")
            return redirect(url_for("statements.show", statement_id=statement.id))
    return render_template("signons/open_signing.html", statement=statement, form=form), (
        400 if form.errors else 200
    )


# -- signing as a registered organization --------------------------------------------------------


def _signing_organizations(statement: Statement):
    """The person's organizations where they may sign, and which of them already signed."""
    organizations = [
        m.organization
        for m in current_user.active_memberships()
        if MemberRole(m.role).rank >= MemberRole.SIGNATORY.rank
    ]
    signed = {s.organization_id for s in own_signatures(statement, current_user)}
    return organizations, signed


@bp.route("/statements/<int:statement_id>/sign", methods=["GET", "POST"])
@login_required
def sign(statement_id):
    statement = load_statement(statement_id)
    organizations, signed = _signing_organizations(statement)
    if not organizations:
        abort(403)
    form = SignForm()
    form.organization.choices = [
        (o.id, o.name + (" (already signed)" if o.id in signed else "")) for o in organizations
    ]
    closed = refusal(operations.require_signing_open, statement)
    status = 200
    if request.method == "POST":
        status = 400
        if closed:
            flash(closed, "error")
        elif form.validate_on_submit():
            organization = next(o for o in organizations if o.id == form.organization.data)
            outcome = perform(
                form,
                operations.sign,
                current_user,
                statement,
                organization,
                form.revision_id.data,
                conflict=(operations.AlreadySigned,),
            )
            if refused(outcome):
                status = outcome.status
            else:
                flash(_("Signed on behalf of %(name)s.", name=organization.name), "success")
                notice = signon_notice(statement, organization)
                if notice:
                    flash(notice, "warning")
                return redirect(url_for("statements.show", statement_id=statement.id))
    revision = statement.current_revision
    form.revision_id.data = str(revision.id) if revision else ""
    return render_template(
        "signons/sign.html",
        statement=statement,
        revision=revision,
        body_html=render_html(revision.body, lang=statement.language) if revision else "",
        form=form,
        closed=closed,
        notices=[n for n in (signon_notice(statement, o) for o in organizations) if n],
    ), status


# -- withdraw and re-confirm ---------------------------------------------------------------------


def _signature_action(signature, action, user):
    if action == "withdraw":
        done = _("The signature of %(name)s is withdrawn.", name=signature.organization.name)
    else:
        done = _("%(name)s now backs the current text.", name=signature.organization.name)
    return perform_action(getattr(operations, action), user, signature, success=done)


@bp.post("/signatures/<int:signature_id>/<any(withdraw, reconfirm):action>")
@login_required
def signature_action(signature_id, action):
    may = {"withdraw": Signature.can_withdraw, "reconfirm": Signature.can_reconfirm}[action]
    signature = get_or_404(Signature, signature_id, may)
    _signature_action(signature, action, current_user)
    return redirect(url_for("statements.show", statement_id=signature.statement_id))


@bp.get("/signatures/<int:signature_id>/changes")
@login_required
def changes(signature_id):
    signature = get_or_404(Signature, signature_id)
    return _changes_page(signature, token=None)


@bp.route("/signatures/manage/<token>", methods=["GET", "POST"])
def manage(token):
    """The e-mailed link: whoever holds it speaks for the signing organization's contact, while
    the link works (links.py: until the deadline, and for the state it was sent in)."""
    try:
        signature = links.resolve(token)
    except links.LinkError as exc:
        if exc.unknown:
            abort(404)
        return render_template("signons/link_gone.html", message=exc.message), 410
    if request.method == "POST":
        action = request.form.get("action")
        if action not in ("withdraw", "reconfirm"):
            abort(400)
        if _signature_action(signature, action, None) and action == "withdraw":
            # The link was for the live signature; the public page shows what is left.
            return redirect(url_for(".public_form", public_token=signature.statement.public_token))
        return redirect(url_for(".manage", token=token))
    return _changes_page(signature, token=token)


def _changes_page(signature: Signature, token: str | None):
    statement = signature.statement
    current = statement.current_revision
    backed = signature.backed_revision
    latest = latest_substantive_number(statement.id)
    # Unchanged passages folded, as on the history page: the change is what they came to see.
    diff = (
        formatted_revision_diff(backed, current, context=3)
        if current and backed.id != current.id
        else None
    )
    return render_template(
        "signons/changes.html",
        signature=signature,
        statement=statement,
        backed=backed,
        current=current,
        diff=diff,
        earlier=standing(signature, latest) == Standing.EARLIER_TEXT,
        token=token,
    )


# -- the public sign-on page ---------------------------------------------------------------------


def _public_statement(public_token: str) -> Statement:
    statement = db.session.scalar(select(Statement).where(Statement.public_token == public_token))
    # A draft has no public life: its link answers like any unknown address.
    if statement is None or statement.is_private:
        abort(404)
    return statement


def _request_signon(statement: Statement, **fields) -> dict:
    """What the "check your e-mail" page shows, read before the commit: an identical request
    may replace this one the moment it is committed."""
    signon, _token = public.request_signon(statement, **fields)
    return {
        "email": signon.email,
        "organization_name": signon.organization_name,
        "expires_at": signon.expires_at,
    }


@bp.route("/s/<public_token>", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"])  # each post sends an e-mail to a typed address
def public_form(public_token):
    statement = _public_statement(public_token)
    form = PublicSignOnForm()
    closed = refusal(operations.require_signing_open, statement)
    status = 200
    if request.method == "POST":
        status = 400
        if closed:
            flash(closed, "error")
        elif form.validate_on_submit():
            requested = perform(
                form,
                _request_signon,
                statement,
                revision_id=form.revision_id.data,
                name=form.name.data,
                country=form.country.data,
                kind=form.kind.data,
                website=form.website.data,
                contact_name=form.contact_name.data,
                email=form.email.data,
                publish=form.publish.data,
            )
            if requested is not FAILED:
                return render_template(
                    "signons/public_sent.html", statement=statement, signon=requested
                )
    revision = statement.current_revision
    form.revision_id.data = str(revision.id) if revision else ""
    signed = listing(statement)
    return render_template(
        "signons/public_form.html",
        statement=statement,
        revision=revision,
        body_html=render_html(revision.body, lang=statement.language) if revision else "",
        form=form,
        closed=closed,
        signatories=signed.entries,
        counts=signed.counts,
    ), status


@bp.route("/s/<public_token>/confirm/<token>", methods=["GET", "POST"])
def confirm(public_token, token):
    """GET shows the sign-on and a button; only the POST confirms (mail scanners follow links)."""
    statement = _public_statement(public_token)
    error = signon = None
    try:
        signon = public.find_signon(statement, token)
    except OperationError as exc:
        error = exc.message
    if request.method == "POST" and error is None:
        signature = attempt(public.confirm_signon, statement, token)
        if refused(signature):
            error = signature.error.message
        else:
            return render_template(
                "signons/confirmed.html",
                statement=statement,
                signature=signature,
                notice=signon_notice(statement, signature.organization),
            )
    status = 200 if error is None else (400 if request.method == "POST" else 410)
    return render_template(
        "signons/confirm.html", statement=statement, signon=signon, error=error
    ), status


@bp.app_context_processor
def _signature_helpers():
    return {
        "StatementState": StatementState,
        "can_decide": lambda signature, action: transitions.permits(
            signature, action, current_user
        ),
    }


from . import correction_views, list_views, queue_views  # noqa: E402,F401  (routes on this blueprint)
