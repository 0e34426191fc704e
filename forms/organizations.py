"""Forms of the organization pages: profile, accreditation, invitations, members,
verification, and the constituency list a process keeps."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from portal.errors import OperationError
from portal.models.accreditation import AccreditationKind, EcosocStatus
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


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes (templates/macros.html puts them in a fieldset)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AccreditationForm(FlaskForm):
    """The declaration; `accreditation_form` adds a constituency and an accreditations field
    per process (named `constituency_<id>`, `accreditations_<id>`, as the operation's errors)."""

    ecosoc_status = SelectField(
        _l("ECOSOC consultative status"),
        choices=select_choices((status.value, status.label) for status in EcosocStatus),
        default=EcosocStatus.NONE.value,
        validators=[InputRequired(_l("Choose a consultative status."))],
    )
    un_name = StringField(
        _l("Name as registered with the UN, if it differs"),
        validators=[Optional(), Length(max=300, message=_l("At most 300 characters."))],
    )

    def per_process(self):
        """(process, constituency field, accreditations field) for each process."""
        return [
            (process, self[f"constituency_{process.id}"], self[f"accreditations_{process.id}"])
            for process in self.processes
        ]

    def constituencies(self) -> dict[int, int | None]:
        return {
            process.id: int(field.data) if field.data else None
            for process, field, _kinds in self.per_process()
        }

    def accreditations(self) -> dict[int, list[str]]:
        return {process.id: list(kinds.data or []) for process, _field, kinds in self.per_process()}


def accreditation_form(organization, processes, constituencies, **kwargs) -> AccreditationForm:
    """The declaration form of `organization` over `processes`; `constituencies` maps a process
    id to the constituencies its coordinators listed."""

    class Form(AccreditationForm):
        pass

    for process in processes:
        choices = [
            ("", _("None")),
            *((str(c.id), c.name) for c in constituencies.get(process.id, [])),
        ]
        current = organization.constituency_in(process.id)
        setattr(
            Form,
            f"constituency_{process.id}",
            SelectField(
                _l("Constituency or major group"),
                choices=select_choices(choices),
                default=str(current.id) if current else "",
            ),
        )
        setattr(
            Form,
            f"accreditations_{process.id}",
            MultiCheckboxField(
                _l("Other accreditations"),
                choices=select_choices((kind.value, kind.label) for kind in AccreditationKind),
                default=[a.kind for a in organization.accreditations_in(process.id)],
            ),
        )
    form = Form(obj=organization, **kwargs)
    form.processes = list(processes)
    return form


class ConstituencyForm(FlaskForm):
    name = StringField(
        _l("Constituency or major group"),
        validators=[
            DataRequired(_l("Enter the constituency's name.")),
            Length(max=120, message=_l("At most 120 characters.")),
        ],
    )
