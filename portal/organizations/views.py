"""Organization pages: the public directory and profiles, editing, members, verification."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, or_, select, true
from sqlalchemy.orm import selectinload

from forms.choices import kind_pairs, place_pairs_flat
from forms.organizations import InviteForm, OrganizationForm, RejectForm, RoleForm

from ..core.feedback import FAILED, perform, perform_action
from ..core.inputs import bounded_int
from ..extensions import db
from ..models import (
    Invitation,
    Membership,
    MembershipState,
    Organization,
    VerificationStatus,
    utcnow,
)
from ..permissions import coordinator_required, get_by_slug_or_404
from ..places import parse_place
from ..review.queries import organization_publications
from ..signons.matching import contacts_by_organization
from . import operations as ops
from .accreditation import may_decide
from .accreditation_views import declaration_form

bp = Blueprint("organizations", __name__, url_prefix="/organizations")

PER_PAGE = 25


def _membership(organization: Organization, membership_id: int) -> Membership:
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.organization_id != organization.id:
        abort(404)
    return membership


def _member_counts(org_ids) -> dict[int, int]:
    if not org_ids:
        return {}
    rows = db.session.execute(
        select(Membership.organization_id, func.count(Membership.id))
        .where(
            Membership.organization_id.in_(org_ids),
            Membership.state == MembershipState.ACTIVE,
        )
        .group_by(Membership.organization_id)
    )
    return dict(rows.all())


# -- public directory and profile -------------------------------------------------------------


@bp.get("/")
def index():
    q = request.args.get("q", "").strip()
    country = request.args.get("country", "").strip()
    place = parse_place(country, empty="")
    kind = request.args.get("kind", "").strip()
    query = select(Organization).where(Organization.status == VerificationStatus.VERIFIED)
    if q:
        pattern = f"%{q.lower()}%"
        query = query.where(
            or_(
                func.lower(Organization.name).like(pattern),
                func.lower(Organization.acronym).like(pattern),
            )
        )
    if place is not None:
        # A country, a region or "international": the same values as the profile's select.
        query = query.where(
            Organization.scope == place.scope,
            Organization.country == place.country if place.country else true(),
            Organization.region == place.region if place.region else true(),
        )
        country = place.value
    if kind:
        query = query.where(Organization.kind == kind)
    page = db.paginate(
        query.order_by(func.lower(Organization.name)),
        page=request.args.get("page", 1, type=bounded_int),
        per_page=PER_PAGE,
        error_out=False,
    )
    counts = _member_counts([o.id for o in page.items])
    return render_template(
        "organizations/index.html",
        page=page,
        counts=counts,
        q=q,
        country=country,
        kind=kind,
        countries=place_pairs_flat(_("All countries and regions")),
        kinds=kind_pairs(_("All kinds")),
    )


@bp.get("/<slug>")
def profile(slug):
    organization = get_by_slug_or_404(Organization, slug)
    members_count = _member_counts([organization.id]).get(organization.id, 0)
    return render_template(
        "organizations/profile.html",
        organization=organization,
        members_count=members_count,
        reject_form=RejectForm(),
        publications=organization_publications(organization),
        may_decide=lambda declaration, action: may_decide(declaration, action, current_user),
    )


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug):
    organization = get_by_slug_or_404(Organization, slug, Organization.can_edit)
    form = OrganizationForm(obj=organization)
    if not form.is_submitted():
        form.country.data = organization.place.value
    if form.validate_on_submit():
        saved = perform(
            form,
            ops.update_organization,
            current_user,
            organization,
            name=form.name.data,
            acronym=form.acronym.data,
            country=form.country.data,
            kind=form.kind.data,
            website=form.website.data,
            description=form.description.data,
        )
        if saved is not FAILED:
            flash(_("The profile is saved."), "success")
            return redirect(url_for(".profile", slug=organization.slug))
    return render_template(
        "organizations/edit.html",
        organization=organization,
        form=form,
        accreditation_form=declaration_form(organization, formdata=None),
    )


@bp.post("/<slug>/join")
@login_required
def join(slug):
    organization = get_by_slug_or_404(Organization, slug)
    if not organization.can_join(current_user):
        abort(403)
    perform_action(
        ops.request_to_join,
        current_user,
        organization,
        success=_("Your request to join %(name)s was sent to its admins.", name=organization.name),
    )
    return redirect(url_for(".profile", slug=organization.slug))


# -- members ------------------------------------------------------------------------------------


def _members_page(organization: Organization, invite_form=None, status: int = 200):
    memberships = db.session.scalars(
        select(Membership)
        .where(Membership.organization_id == organization.id)
        .options(selectinload(Membership.user))
        .order_by(Membership.created_at, Membership.id)
    ).all()
    invitations = db.session.scalars(
        select(Invitation)
        .where(
            Invitation.organization_id == organization.id,
            Invitation.accepted_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
        .order_by(Invitation.created_at)
    ).all()
    return render_template(
        "organizations/members.html",
        organization=organization,
        active=[m for m in memberships if m.state == MembershipState.ACTIVE],
        # A request counts once its author has proven their address (it is announced then).
        requests=[
            m
            for m in memberships
            if m.state == MembershipState.REQUESTED and m.user.email_confirmed
        ],
        invitations=invitations,
        invite_form=invite_form or InviteForm(),
        role_form=RoleForm(),
    ), status


@bp.get("/<slug>/members")
@login_required
def members(slug):
    return _members_page(get_by_slug_or_404(Organization, slug, Organization.can_manage_members))


@bp.post("/<slug>/members/invite")
@login_required
def invite(slug):
    organization = get_by_slug_or_404(Organization, slug, Organization.can_manage_members)
    form = InviteForm()
    if not form.validate_on_submit():
        return _members_page(organization, form, 400)
    invited = perform(
        form, ops.invite_member, current_user, organization, form.email.data, form.role.data
    )
    if invited is FAILED:
        return _members_page(organization, form, 400)
    flash(_("An invitation was sent to %(data)s.", data=form.email.data), "success")
    return redirect(url_for(".members", slug=organization.slug))


def _member_action(slug, membership_id, action, done: str):
    organization = get_by_slug_or_404(Organization, slug, Organization.can_manage_members)
    membership = _membership(organization, membership_id)
    perform_action(action, current_user, membership, success=done)
    return redirect(url_for(".members", slug=organization.slug))


@bp.post("/<slug>/members/<int:membership_id>/approve")
@login_required
def approve_request(slug, membership_id):
    return _member_action(slug, membership_id, ops.approve_join_request, "Request approved.")


@bp.post("/<slug>/members/<int:membership_id>/decline")
@login_required
def decline_request(slug, membership_id):
    return _member_action(slug, membership_id, ops.decline_join_request, "Request declined.")


@bp.post("/<slug>/members/<int:membership_id>/remove")
@login_required
def remove_member(slug, membership_id):
    return _member_action(slug, membership_id, ops.remove_member, "Member removed.")


@bp.post("/<slug>/members/<int:membership_id>/role")
@login_required
def change_role(slug, membership_id):
    organization = get_by_slug_or_404(Organization, slug, Organization.can_manage_members)
    form = RoleForm()
    if not form.validate_on_submit():
        flash(_("Choose member, signatory or admin."), "error")
        return redirect(url_for(".members", slug=organization.slug))
    return _member_action(
        slug,
        membership_id,
        lambda actor, membership: ops.set_member_role(actor, membership, form.role.data),
        "Role changed.",
    )


# -- invitations --------------------------------------------------------------------------------


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def invitation(token):
    found = ops.find_invitation(token)
    if found is None:
        return render_template("organizations/invitation.html", invitation=None), 404
    if request.method == "POST":
        if not current_user.is_authenticated:
            abort(403)
        if perform_action(
            ops.accept_invitation,
            # The user itself, not the proxy: the operation audits it as an object.
            current_user._get_current_object(),
            token,
            success=_("You are now a member of %(name)s.", name=found.organization.name),
        ):
            return redirect(url_for(".profile", slug=found.organization.slug))
    return render_template("organizations/invitation.html", invitation=found, token=token)


# -- verification -------------------------------------------------------------------------------


def _verification_page(reject_form, status: int = 200, **extra):
    """The organizations waiting for verification, with who registered them — an admin, or the
    contact person of the public sign-on that created them — and a possible registered twin."""
    pending = db.session.scalars(
        select(Organization)
        .where(Organization.status == VerificationStatus.PENDING)
        .options(
            selectinload(Organization.memberships).selectinload(Membership.user),
            selectinload(Organization.possible_duplicate_of),
        )
        .order_by(Organization.created_at, Organization.id)
    ).all()
    return render_template(
        "organizations/verification.html",
        pending=pending,
        contacts=contacts_by_organization([o.id for o in pending]),
        reject_form=reject_form,
        **extra,
    ), status


@bp.get("/verification")
@coordinator_required
def verification_queue():
    return _verification_page(RejectForm())


@bp.post("/<slug>/verify")
@login_required
def verify(slug):
    organization = get_by_slug_or_404(Organization, slug, Organization.can_verify)
    perform_action(
        ops.verify_organization,
        current_user,
        organization,
        success=_("%(name)s is now verified.", name=organization.name),
    )
    if request.form.get("back") == "profile":
        return redirect(url_for(".profile", slug=organization.slug))
    return redirect(url_for(".verification_queue"))


@bp.post("/<slug>/reject")
@login_required
def reject(slug):
    organization = get_by_slug_or_404(Organization, slug, Organization.can_verify)
    form = RejectForm()
    if form.validate_on_submit():
        rejected = perform(
            form, ops.reject_organization, current_user, organization, form.reason.data
        )
        if rejected is not FAILED:
            flash(
                _("%(name)s was rejected; its admins have been told why.", name=organization.name),
                "success",
            )
            return redirect(url_for(".verification_queue"))
    return _verification_page(form, 400, rejecting=organization)
