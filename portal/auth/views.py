"""Sign-in, sign-out, registration, password reset and the profile page."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forms.auth import (
    JOIN_ORGANIZATION,
    NEW_ORGANIZATION,
    ChangePasswordForm,
    LoginForm,
    ProfileForm,
    RegistrationForm,
    ResetPasswordForm,
    ResetRequestForm,
)

from ..core.feedback import FAILED, perform
from ..core.redirects import safe_next
from ..errors import OperationError
from ..extensions import db, limiter
from ..models import Membership, MembershipState, Organization, VerificationStatus
from ..models.accounts import normalize_email
from . import operations as ops
from .tokens import load_reset_token

bp = Blueprint("auth", __name__)

GENERIC_LOGIN_ERROR = "Invalid e-mail or password."
RESET_SENT = "If an account exists for that address, we sent a link to reset its password."


def _config_limit(key: str, default: str):
    return lambda: current_app.config.get(key, default)


def _submitted_email() -> str:
    return "email:" + normalize_email(request.form.get("email", ""))[:254]


def _limit_posts(per_ip: tuple[str, str], per_address: tuple[str, str]):
    """Limit POSTs per client address and per submitted e-mail address (config key, default):
    the second stops slow guessing at one account from many addresses."""

    def decorate(view):
        view = limiter.limit(
            _config_limit(*per_address), key_func=_submitted_email, methods=["POST"]
        )(view)
        return limiter.limit(_config_limit(*per_ip), methods=["POST"])(view)

    return decorate


# -- sign in and out ---------------------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
@_limit_posts(
    ("LOGIN_RATE_LIMIT", "10 per minute; 60 per hour"),
    ("LOGIN_ACCOUNT_RATE_LIMIT", "30 per hour"),
)
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next")) or ""
    error = None
    if form.validate_on_submit():
        user = ops.authenticate(form.email.data, form.password.data)
        if user is None:
            error = GENERIC_LOGIN_ERROR
        else:
            login_user(user)
            ops.record_login(user)
            db.session.commit()
            flash(f"Signed in as {user.name}.", "success")
            return redirect(safe_next(form.next.data) or url_for("core.home"))
    elif request.method == "POST":
        error = GENERIC_LOGIN_ERROR
    return render_template("auth/login.html", form=form, error=error)


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        ops.record_logout(current_user._get_current_object())
        db.session.commit()
        logout_user()
        flash("You are signed out.", "info")
    return redirect(url_for("core.home"))


# -- registration ------------------------------------------------------------------------------


def _joinable_organizations() -> list[Organization]:
    return db.session.scalars(
        select(Organization)
        .where(Organization.status == VerificationStatus.VERIFIED)
        .order_by(Organization.name)
    ).all()


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_config_limit("REGISTER_RATE_LIMIT", "10 per hour"), methods=["POST"])
def register():
    if current_user.is_authenticated:
        flash("You already have an account.", "info")
        return redirect(url_for("auth.profile"))
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
                    f"Welcome, {user.name}. {form.org_name.data.strip()} is registered and "
                    "pending verification by a coordinator.",
                    "success",
                )
            else:
                flash(
                    f"Welcome, {user.name}. Your request to join {join.name} was sent to its "
                    "administrators.",
                    "success",
                )
            return redirect(url_for("auth.profile"))
    return render_template("auth/register.html", form=form)


def _register(form: RegistrationForm, join: Organization | None):
    if form.mode.data == JOIN_ORGANIZATION and join is None:
        raise OperationError("Choose an organization from the list.", "organization")
    user = ops.register(
        name=form.name.data,
        email=form.email.data,
        password=form.password.data,
        new_organization=form.new_organization_fields()
        if form.mode.data == NEW_ORGANIZATION
        else None,
        join=join,
    )
    ops.record_login(user)
    return user


# -- password reset ----------------------------------------------------------------------------


@bp.route("/reset", methods=["GET", "POST"])
@_limit_posts(
    ("RESET_RATE_LIMIT", "5 per minute; 30 per hour"),
    ("RESET_ACCOUNT_RATE_LIMIT", "5 per hour"),
)
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        ops.request_password_reset(form.email.data)
        db.session.commit()
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
            flash("Your password is changed. Sign in with the new one.", "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form, token_valid=True)


# -- profile -----------------------------------------------------------------------------------


def _profile_page(profile_form=None, password_form=None):
    user = current_user._get_current_object()
    if profile_form is None:
        profile_form = ProfileForm(
            formdata=None, data={"name": user.name, "timezone": user.timezone or ""}
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
        )
        if saved is not FAILED:
            flash("Your profile is saved.", "success")
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
            flash("Your password is changed.", "success")
            return redirect(url_for("auth.profile"))
    return _profile_page(password_form=form), 400


from . import admin_views  # noqa: E402, F401  (the outbox and user management share this blueprint)
