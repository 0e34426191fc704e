"""Forms of the organization pages: profile, invitations, members, verification."""

from urllib.parse import urlsplit

import pycountry
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from portal.models.organizations import MemberRole

from .choices import country_pairs, kind_pairs, select_choices

ROLE_CHOICES = select_choices(
    [
        (MemberRole.MEMBER.value, "Member — drafts and comments"),
        (MemberRole.SIGNATORY.value, "Signatory — also signs on the organization's behalf"),
        (MemberRole.ADMIN.value, "Admin — also manages the profile and the members"),
    ]
)


def http_url(form, field) -> None:
    value = (field.data or "").strip()
    if not value:
        return
    if "://" not in value:
        value = "https://" + value
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or "." not in parts.netloc or " " in value:
        raise ValidationError("Enter a web address starting with http:// or https://.")
    field.data = value


def iso_country(form, field) -> None:
    code = (field.data or "").strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise ValidationError("Choose a country from the list.")
    field.data = code


class OrganizationForm(FlaskForm):
    name = StringField(
        "Organization name",
        validators=[
            DataRequired("Enter the organization's name."),
            Length(3, 200, "The name must be 3 to 200 characters."),
        ],
    )
    acronym = StringField(
        "Acronym", validators=[Optional(), Length(max=40, message="At most 40 characters.")]
    )
    country = SelectField(
        "Country",
        choices=select_choices(country_pairs("Choose a country")),
        validators=[iso_country],
    )
    kind = SelectField("Kind", choices=select_choices(kind_pairs()))
    website = StringField(
        "Website",
        validators=[Optional(), Length(max=300, message="At most 300 characters."), http_url],
    )
    description = TextAreaField(
        "About the organization",
        validators=[Optional(), Length(max=2000, message="At most 2,000 characters.")],
    )


class InviteForm(FlaskForm):
    email = EmailField(
        "E-mail address",
        validators=[
            DataRequired("Enter an e-mail address."),
            Email("Enter a valid e-mail address.", check_deliverability=False),
            Length(max=254),
        ],
    )
    role = SelectField("Role", choices=ROLE_CHOICES, default=MemberRole.MEMBER.value)


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES)


class RejectForm(FlaskForm):
    reason = TextAreaField(
        "Reason (sent to the organization)",
        validators=[
            DataRequired("Give the organization a reason."),
            Length(5, 2000, "The reason must be 5 to 2,000 characters."),
        ],
    )
