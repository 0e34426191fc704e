"""Sign-in, sign-out, registration, e-mail confirmation, password reset and the profile page."""

import logging

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import refresh
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forms.auth import (
    JOIN_ORGANIZATION,
    NEW_ORGANIZATION,
    ChangePasswordForm,
    ConfirmEmailForm,
    LoginForm,
    ProfileForm,
    RegistrationForm,
    ResendConfirmationForm,
    ResetPasswordForm,
    ResetRequestForm,
)

from ..core import background
from ..core.feedback import FAILED, attempt, perform
from ..core.redirects import safe_next
from ..errors import OperationError
from ..extensions import db, limiter
from ..models import Membership, MembershipState, Organization, VerificationStatus
from ..models.accounts import normalize_email
from ..organizations.invitations import find_invitation
from . import operations as ops
from .signed_tokens import load_confirmation_token, load_reset_token

bp = Blueprint("auth", __name__)
log = logging.getLogger("portal.auth")

GENERIC_LOGIN_ERROR = _l("Invalid e-mail or password.")
RESET_SENT = _l("If an account exists for that address, we sent a link to reset its password.")


def _config_limit(key: str, default: str):
    return lambda: current_app.config.get(key, default)


def _submitted_email() -> str:
    # Per account *and* client address: a stranger exhausting it blocks only themselves, while
    # the account's owner, from any other address, still signs in.
    email = normalize_email(request.form.get("email", ""))[:254]
    return f"email:{email}|{request.remote_addr}"


def _failed_sign_in(response) -> bool:
    # A successful sign-in answers with a redirect; only failures count against the limits.
    return response.status_code != 302


def _limit_posts(per_ip: tuple[str, str], per_address: tuple[str, str], deduct_when=None):
    """Limit POSTs per client address, and per submitted e-mail address from one client address
    (config key, default). No limit is per account alone: that would let anyone lock the owner
    out by failing on purpose."""

    def decorate(view):
        view = limiter.limit(
            _config_limit(*per_address),
            key_func=_submitted_email,
            methods=["POST"],
            deduct_when=deduct_when,
        )(view)
        return limiter.limit(_config_limit(*per_ip), methods=["POST"], deduct_when=deduct_when)(
            view
        )

    return decorate


# -- sign in and out ---------------------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
@_limit_posts(
    ("LOGIN_RATE_LIMIT", "10 per minute; 60 per hour"),
    ("LOGIN_ACCOUNT_RATE_LIMIT", "5 per minute; 20 per hour"),
    deduct_when=_failed_sign_in,
)
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next")) or ""
    error = None
    if form.validate_on_submit():
        user = ops.authenticate(form.email.data or "", form.password.data or "")
        if user is None:
            error = GENERIC_LOGIN_ERROR
        else:
            login_user(user)
            attempt(ops.record_login, user)
            flash(_("Signed in as %(name)s.", name=user.name), "success")
            # Coordinators land on their desk: the work waiting, with links to it.
            landing = url_for("desk.index") if user.is_coordinator else url_for("core.home")
            return redirect(safe_next(form.next.data) or landing)
    elif request.method == "POST":
        error = GENERIC_LOGIN_ERROR
    return render_template("auth/login.html", form=form, error=error)


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        attempt(ops.record_logout, current_user._get_current_object())
        logout_user()
        flash(_("You are signed out."), "info")
    return redirect(url_for("core.home"))


# -- registration ------------------------------------------------------------------------------


def _joinable_organizations() -> list[Organization]:
    return list(
        db.session.scalars(
            select(Organization)
            .where(Organization.status == VerificationStatus.VERIFIED)
            .order_by(Organization.name)
        )
    )


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_config_limit("REGISTER_RATE_LIMIT", "10 per hour"), methods=["POST"])
def register():
    if current_user.is_authenticated:
        flash(_("You already have an account."), "info")
        return redirect(url_for("auth.profile"))
    invitation = find_invitation(request.args.get("invitation", ""))
    if invitation is not None:
        return _register_invited(invitation)
    organizations = _joinable_organizations()
    form = RegistrationForm(organizations=organizations)
    if form.validate_on_submit():
        join = None
        if form.mode.data == JOIN_ORGANIZATION:
            join = next((o for o in organizations if str(o.id) == form.organization.data), None)
        user = perform(form, _register, form, join)
        if user is not FAILED:
            login_user(user)
            if join is None:
                flash(
                    _(
                        "Welcome, %(name)s. %(strip)s is registered and pending "
                        "verification by a coordinator.",
                        name=user.name,
                        strip=(form.org_name.data or "").strip(),
                    ),
                    "success",
                )
            else:
                flash(
                    _(
                        "Welcome, %(name)s. Your request to join %(name2)s goes to its "
                        "administrators once you confirm your e-mail address.",
                        name=user.name,
                        name2=join.name,
                    ),
                    "success",
                )
            flash(
                _(
                    "We sent a confirmation link to %(email)s: open it to start working on "
                    "the portal.",
                    email=user.email,
                ),
                "info",
            )
            return redirect(url_for("auth.profile"))
    return render_template("auth/register.html", form=form)


def _register_invited(invitation):
    """Registration from an invitation link: the invited address, no organization section, and
    back to the invitation to accept it (accepting is what makes the person a member)."""
    token = request.args["invitation"]
    form = RegistrationForm(invited_email=invitation.email)
    if form.validate_on_submit():
        user = perform(form, _register_person, form, invitation.email)
        if user is not FAILED:
            login_user(user)
            flash(
                _(
                    "Welcome, %(name)s. Accept the invitation to join %(name2)s.",
                    name=user.name,
                    name2=invitation.organization.name,
                ),
                "success",
            )
            return redirect(url_for("organizations.invitation", token=token))
    return render_template("auth/register.html", form=form, invitation=invitation, token=token)


def _register_person(form: RegistrationForm, email: str):
    # The invitation reached this address and its token came back: the address is proven.
    user = ops.register_person(
        name=form.name.data or "", email=email, password=form.password.data, confirmed=True
    )
    ops.record_login(user)
    return user


def _register(form: RegistrationForm, join: Organization | None):
    if form.mode.data == JOIN_ORGANIZATION and join is None:
        raise OperationError(_("Choose an organization from the list."), "organization")
    user = ops.register(
        name=form.name.data or "",
        email=form.email.data or "",
        password=form.password.data,
        new_organization=form.new_organization_fields()
        if form.mode.data == NEW_ORGANIZATION
        else None,
        join=join,
    )
    ops.record_login(user)
    return user


# -- e-mail confirmation -----------------------------------------------------------------------


@bp.route("/confirm/<token>", methods=["GET", "POST"])
@limiter.limit(_config_limit("RESET_RATE_LIMIT", "5 per minute; 30 per hour"), methods=["POST"])
def confirm_email(token: str):
    """The link's page asks for a click (a POST): mail scanners that open links confirm nothing."""
    user = load_confirmation_token(token)
    if user is None:
        return render_template("auth/confirm_email.html", form=None), 404
    form = ConfirmEmailForm()
    if form.validate_on_submit():
        confirmed = perform(form, ops.confirm_email, token)
        if confirmed is not FAILED:
            flash(_("Your e-mail address is confirmed. Welcome!"), "success")
            if current_user.is_authenticated and current_user.id == confirmed.id:
                return redirect(url_for("auth.profile"))
            return redirect(url_for("auth.login"))
    return render_template("auth/confirm_email.html", form=form, user=user)


@bp.post("/confirm")
@login_required
@limiter.limit(_config_limit("RESET_RATE_LIMIT", "5 per minute; 30 per hour"))
def resend_confirmation():
    form = ResendConfirmationForm()
    user = current_user._get_current_object()
    if form.validate_on_submit():
        if user.email_confirmed:
            flash(_("Your e-mail address is already confirmed."), "info")
        elif perform(form, ops.resend_confirmation, user):
            flash(_("We sent a new confirmation link to %(email)s.", email=user.email), "success")
        else:
            flash(
                _(
                    "Several links went out in the last hour: use the newest one in your mailbox, "
                    "or try again later."
                ),
                "info",
            )
    return redirect(safe_next(request.form.get("next")) or url_for("auth.profile"))


# -- password reset ----------------------------------------------------------------------------


@bp.route("/reset", methods=["GET", "POST"])
@_limit_posts(
    ("RESET_RATE_LIMIT", "5 per minute; 30 per hour"),
    ("RESET_ACCOUNT_RATE_LIMIT", "5 per hour"),  # the mails have their own cap, per account
)
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        # Looked up and sent after the response, for known and unknown addresses alike: the
        # answer's timing cannot tell whether an account exists.
        background.after_response(ops.request_password_reset, form.email.data, request.remote_addr)
        flash(RESET_SENT, "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_config_limit("RESET_RATE_LIMIT", "5 per minute; 30 per hour"), methods=["POST"])
def reset_password(token: str):
    if load_reset_token(token) is None:
        return render_template("auth/reset_password.html", form=None, token_valid=False)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        changed = perform(form, ops.reset_password, token, form.password.data)
        if changed is not FAILED:
            if current_user.is_authenticated:
                logout_user()
            flash(_("Your password is changed. Sign in with the new one."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form, token_valid=True)


# -- profile -----------------------------------------------------------------------------------


def _profile_page(profile_form=None, password_form=None):
    user = current_user._get_current_object()
    if profile_form is None:
        profile_form = ProfileForm(
            formdata=None,
            data={"name": user.name, "timezone": user.timezone or "", "locale": user.locale or ""},
        )
    memberships = db.session.scalars(
        select(Membership)
        .options(joinedload(Membership.organization))
        .where(
            Membership.user_id == user.id,
            Membership.state.in_([MembershipState.ACTIVE, MembershipState.REQUESTED]),
        )
        .order_by(Membership.state, Membership.created_at)
    ).all()
    return render_template(
        "auth/profile.html",
        profile_form=profile_form,
        password_form=password_form or ChangePasswordForm(formdata=None),
        memberships=[m for m in memberships if m.is_active],
        requests=[m for m in memberships if m.state == MembershipState.REQUESTED],
    )


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    if request.method == "GET":
        return _profile_page()
    form = ProfileForm()
    if form.validate_on_submit():
        saved = perform(
            form,
            ops.update_profile,
            current_user._get_current_object(),
            name=form.name.data,
            timezone=form.timezone.data,
            locale=form.locale.data,
        )
        if saved is not FAILED:
            refresh()  # a new language applies from this message on
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("auth.profile"))
    return _profile_page(profile_form=form), 400


@bp.post("/profile/password")
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        changed = perform(
            form,
            ops.change_password,
            current_user._get_current_object(),
            current_password=form.current_password.data,
            new_password=form.new_password.data,
        )
        if changed is not FAILED:
            # Other sessions are now signed out; this one carries the new fingerprint.
            login_user(current_user._get_current_object())
            flash(_("Your password is changed."), "success")
            return redirect(url_for("auth.profile"))
    return _profile_page(password_form=form), 400


from . import admin_views  # noqa: E402, F401  (the outbox and user management share this blueprint)
