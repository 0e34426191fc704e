"""Forms for accounts: registration, sign-in, password reset, profile, user management."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from portal.auth.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from portal.core.i18n import LANGUAGES
from portal.models import SiteRole

from .choices import kind_pairs, place_choices, select_choices, timezone_pairs
from .organizations import http_url

NEW_ORGANIZATION, JOIN_ORGANIZATION = "new", "join"


def _password(label: str):
    return PasswordField(
        label,
        render_kw={"autocomplete": "new-password"},
        validators=[
            DataRequired(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=MAX_PASSWORD_LENGTH,
                message=_l(
                    "Choose a password of at least %(min_password_length)s characters.",
                    min_password_length=MIN_PASSWORD_LENGTH,
                ),
            ),
        ],
    )


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()
    submit = SubmitField(_l("Sign in"))


class RegistrationForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
    )
    password = _password(_l("Password"))
    password_again = PasswordField(
        _l("Repeat password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )
    mode = RadioField(
        _l("Your organization"),
        choices=select_choices(
            [
                (NEW_ORGANIZATION, _l("Register a new organization")),
                (JOIN_ORGANIZATION, _l("Ask to join an organization already on the portal")),
            ]
        ),
        default=NEW_ORGANIZATION,
        validators=[DataRequired(message=_l("Choose one."))],
    )
    org_name = StringField(_l("Organization name"), validators=[Optional(), Length(max=200)])
    org_acronym = StringField(_l("Acronym"), validators=[Optional(), Length(max=40)])
    org_country = SelectField(_l("Country or region"), choices=[], validate_choice=False)
    org_kind = SelectField(_l("Kind"), choices=[], validate_choice=False)
    org_website = StringField(
        _l("Website"),
        validators=[Optional(), Length(max=300), http_url],
    )
    # Checked by the view against the verified organizations, with a clearer message.
    organization = SelectField(_l("Organization to join"), choices=[], validate_choice=False)
    submit = SubmitField(_l("Register"))

    def __init__(self, *args, organizations=(), invited_email: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # An invitation fixes the address (what was posted does not count) and the organization.
        self.invited_email = invited_email
        if invited_email:
            self.email.data = invited_email
            self.mode.data = None
        self.org_country.choices = place_choices(_("Choose a country, a region or International…"))
        self.org_kind.choices = select_choices(kind_pairs())
        self.organization.choices = select_choices(
            [("", _l("Choose an organization…"))]
            + [
                (
                    str(org.id),
                    _l("%(name)s (%(place_label)s)", name=org.name, place_label=org.place_label),
                )
                for org in organizations
            ]
        )

    NEW_FIELDS = ("org_name", "org_acronym", "org_country", "org_kind", "org_website")
    JOIN_FIELDS = ("organization",)

    def validate(self, extra_validators=None) -> bool:
        if self.invited_email:
            # Only the person is registered: the invitation's organization comes on accepting.
            skip = {"mode", *self.NEW_FIELDS, *self.JOIN_FIELDS}
            return self._validate_except(skip, extra_validators)
        # Only the chosen organization section counts: the other may hold leftovers.
        other = self.JOIN_FIELDS if self.mode.data == NEW_ORGANIZATION else self.NEW_FIELDS
        ok = self._validate_except(set(other), extra_validators)
        if self.mode.data == NEW_ORGANIZATION:
            for field, message in (
                (self.org_name, _("Enter the organization's name.")),
                (self.org_country, _("Choose a country, a region or International from the list.")),
                (self.org_kind, _("Choose a kind of organization.")),
            ):
                if not (field.data or "").strip():
                    field.errors = [*field.errors, message]
                    ok = False
        elif self.mode.data == JOIN_ORGANIZATION and not self.organization.data:
            self.organization.errors = [*self.organization.errors, _("Choose an organization.")]
            ok = False
        return ok

    def _validate_except(self, skip: set[str], extra_validators=None) -> bool:
        super().validate(extra_validators)
        for name in skip:
            self[name].errors = []
        return not self.form_errors and not any(f.errors for f in self if f.name not in skip)

    def new_organization_fields(self) -> dict:
        return dict(
            name=self.org_name.data or "",
            acronym=self.org_acronym.data,
            country=self.org_country.data or "",
            kind=self.org_kind.data or "",
            website=self.org_website.data,
        )


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    submit = SubmitField(_l("Send me a link"))


class ResetPasswordForm(FlaskForm):
    password = _password(_l("New password"))
    password_again = PasswordField(
        _l("Repeat new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )
    submit = SubmitField(_l("Set password"))


class ConfirmEmailForm(FlaskForm):
    submit = SubmitField(_l("Confirm my address"))


class ResendConfirmationForm(FlaskForm):
    submit = SubmitField(_l("Send a new confirmation link"))


class ProfileForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    timezone = SelectField(
        _l("Timezone"),
        choices=[],
        description=_l("Deadlines are also shown in this timezone."),
    )
    locale = SelectField(_l("Language"), choices=[], default="")
    submit = SubmitField(_l("Save profile"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = select_choices(timezone_pairs(_("Not set (times shown in UTC)")))
        self.locale.choices = select_choices(
            [("", _("Not set (your browser's language)")), *LANGUAGES.items()]
        )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired()],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = _password(_l("New password"))
    new_password_again = PasswordField(
        _l("Repeat new password"),
        validators=[
            DataRequired(),
            EqualTo("new_password", message=_l("The passwords do not match.")),
        ],
    )
    submit = SubmitField(_l("Change password"))


class UserSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search: it changes nothing

    q = StringField(_l("Search by name or e-mail"), validators=[Optional(), Length(max=254)])


class SiteRoleForm(FlaskForm):
    site_role = SelectField(
        _l("Site role"),
        choices=select_choices(
            [
                (SiteRole.USER.value, _l("User")),
                (SiteRole.COORDINATOR.value, _l("Coordinator")),
                (SiteRole.ADMIN.value, _l("Admin")),
            ]
        ),
    )
    submit = SubmitField(_l("Change role"))
