"""Forms of the organization pages: profile, invitations, members, verification."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from portal.errors import OperationError
from portal.models.organizations import MemberRole
from portal.organizations import validation

from .choices import kind_pairs, place_choices, select_choices

ROLE_CHOICES = select_choices(
    [
        (MemberRole.MEMBER.value, _l("Member — drafts and comments")),
        (MemberRole.SIGNATORY.value, _l("Signatory — also signs on the organization's behalf")),
        (MemberRole.ADMIN.value, _l("Admin — also manages the profile and the members")),
    ]
)


def _checked(clean):
    """A WTForms validator from one of the shared input checks (organizations/validation.py)."""

    def validator(form, field) -> None:
        try:
            value = clean(field.data)
        except OperationError as error:
            raise ValidationError(error.message) from None
        field.data = getattr(value, "value", value)

    return validator


http_url = _checked(validation.clean_website)
place = _checked(validation.clean_place)


class OrganizationForm(FlaskForm):
    name = StringField(
        _l("Organization name"),
        validators=[
            DataRequired(_l("Enter the organization's name.")),
            Length(3, 200, _l("The name must be 3 to 200 characters.")),
        ],
    )
    acronym = StringField(
        _l("Acronym"), validators=[Optional(), Length(max=40, message=_l("At most 40 characters."))]
    )
    country = SelectField(
        _l("Country or region"),
        choices=[],
        validators=[place],
    )
    kind = SelectField(_l("Kind"), choices=select_choices(kind_pairs()))
    website = StringField(
        _l("Website"),
        validators=[Optional(), Length(max=300, message=_l("At most 300 characters.")), http_url],
    )
    description = TextAreaField(
        _l("About the organization"),
        validators=[Optional(), Length(max=2000, message=_l("At most 2,000 characters."))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form, not per class: country and region names in the request's language.
        self.country.choices = place_choices(_("Choose a country, a region or International"))


class InviteForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(_l("Enter an e-mail address.")),
            Email("Enter a valid e-mail address.", check_deliverability=False),
            Length(max=254),
        ],
    )
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, default=MemberRole.MEMBER.value)


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)


class RejectForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason (sent to the organization)"),
        validators=[
            DataRequired(_l("Give the organization a reason.")),
            Length(5, 2000, _l("The reason must be 5 to 2,000 characters.")),
        ],
    )
