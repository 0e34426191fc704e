"""Accreditation pages: an organization's admins declare on its edit page, coordinators verify
or reject on its profile, and keep each process's list of constituencies."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from forms.organizations import (
    AccreditationForm,
    ConstituencyForm,
    OrganizationForm,
    accreditation_form,
)

from ..core.feedback import FAILED, perform, perform_action
from ..core.inputs import bounded_int
from ..extensions import db
from ..models import Accreditation, Constituency, Organization, Process
from ..permissions import coordinator_required, get_by_slug_or_404
from . import accreditation as ops

bp = Blueprint("accreditation", __name__)


def constituency_lists() -> tuple[list[Process], dict[int, list[Constituency]]]:
    processes = list(db.session.scalars(select(Process).order_by(Process.title)))
    lists: dict[int, list[Constituency]] = {}
    for constituency in db.session.scalars(select(Constituency).order_by(Constituency.name)):
        lists.setdefault(constituency.process_id, []).append(constituency)
    return processes, lists


def declaration_form(organization: Organization, **kwargs) -> AccreditationForm | None:
    """The declaration form for the edit page, when the person may declare."""
    if not organization.can_declare_accreditation(current_user):
        return None
    processes, lists = constituency_lists()
    return accreditation_form(organization, processes, lists, **kwargs)


@bp.post("/organizations/<slug>/accreditation")
@login_required
def declare(slug):
    organization = get_by_slug_or_404(Organization, slug, Organization.can_declare_accreditation)
    form = accreditation_form(organization, *constituency_lists())
    if form.validate_on_submit():
        saved = perform(
            form,
            ops.declare_accreditation,
            current_user,
            organization,
            ecosoc_status=form.ecosoc_status.data,
            un_name=form.un_name.data,
            constituencies=form.constituencies(),
            accreditations=form.accreditations(),
        )
        if saved is not FAILED:
            flash(_("The accreditation is saved; a coordinator will verify it."), "success")
            return redirect(url_for("organizations.profile", slug=organization.slug))
    profile_form = OrganizationForm(obj=organization, formdata=None)
    profile_form.country.data = organization.place.value
    return render_template(
        "organizations/edit.html",
        organization=organization,
        form=profile_form,
        accreditation_form=form,
    ), 400


@bp.post("/organizations/<slug>/accreditation/<any(verify, reject):decision>")
@login_required
def decide(slug, decision):
    """The organization's declaration, or with `accreditation_id` one of its accreditations."""
    organization = get_by_slug_or_404(Organization, slug, Organization.can_verify_accreditation)
    declaration: Organization | Accreditation = organization
    if request.form.get("accreditation_id"):
        accreditation = db.session.get(
            Accreditation, request.form.get("accreditation_id", type=bounded_int)
        )
        if accreditation is None or accreditation.organization_id != organization.id:
            abort(404)
        declaration = accreditation
    operation = ops.verify_declaration if decision == "verify" else ops.reject_declaration
    done = (
        _("The accreditation is verified.")
        if decision == "verify"
        else _("The accreditation is marked as not confirmed.")
    )
    perform_action(operation, current_user, declaration, success=done)
    return redirect(url_for("organizations.profile", slug=organization.slug) + "#accreditation")


# -- coordinators: constituencies of a process ---------------------------------------------------


def _constituencies_page(process: Process, form: ConstituencyForm, status: int = 200):
    constituencies = db.session.scalars(
        select(Constituency)
        .where(Constituency.process_id == process.id)
        .order_by(Constituency.name)
    ).all()
    return render_template(
        "rounds/constituencies.html", process=process, constituencies=constituencies, form=form
    ), status


@bp.route("/processes/<slug>/constituencies", methods=["GET", "POST"])
@coordinator_required
def constituencies(slug):
    process = get_by_slug_or_404(Process, slug, Process.can_edit)
    form = ConstituencyForm()
    if not form.is_submitted():
        return _constituencies_page(process, form)
    if form.validate_on_submit():
        added = perform(form, ops.add_constituency, current_user, process, form.name.data)
        if added is not FAILED:
            flash(_("%(name)s is on the list.", name=added.name), "success")
            return redirect(url_for(".constituencies", slug=process.slug))
    return _constituencies_page(process, form, 400)


@bp.post("/processes/<slug>/constituencies/remove")
@coordinator_required
def remove_constituency(slug):
    process = get_by_slug_or_404(Process, slug, Process.can_edit)
    perform_action(
        ops.remove_constituency,
        current_user,
        process,
        request.form.get("constituency_id", type=bounded_int),
        success=_("The constituency is off the list."),
    )
    return redirect(url_for(".constituencies", slug=process.slug))
