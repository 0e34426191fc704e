"""Forms of the sign-on pages. Field rules live in the operations (one place for the form, the
import and the tests); the forms carry the inputs and their labels."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    EmailField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal.signatory_order import ORDER_LABELS

from .choices import kind_pairs, place_choices, select_choices


class SignForm(FlaskForm):
    revision_id = HiddenField()
    organization = SelectField(_l("Sign on behalf of"), coerce=int, choices=[])
    confirm = BooleanField(
        _l("I have read this revision and sign it on my organization's behalf"),
        validators=[DataRequired(_l("Tick the box to confirm you have read the text."))],
    )


class PublicSignOnForm(FlaskForm):
    revision_id = HiddenField()
    name = StringField(_l("Organization name"))
    country = SelectField(
        _l("Country or region"),
        choices=[],
        validate_choice=False,  # checked with the other fields by public.clean_public_fields
    )
    kind = SelectField(_l("Kind of organization"), choices=select_choices(kind_pairs()))
    website = StringField(_l("Website (optional)"))
    contact_name = StringField(_l("Contact person"))
    email = EmailField(_l("Contact e-mail (we send the confirmation link here)"))
    publish = BooleanField(_l("Our organization's name may be published with the statement"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form, not per class: country and region names in the request's language.
        self.country.choices = place_choices(_("Choose a country, a region or International"))


class OpenSigningForm(FlaskForm):
    deadline = DateTimeLocalField(
        _l("Earlier sign-on deadline (optional, in the round's timezone)"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
    )


class RejectSignatureForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason (sent to the organization)"),
        validators=[
            DataRequired(_l("Give the organization a reason.")),
            Length(5, 2000, _l("The reason must be 5 to 2,000 characters.")),
        ],
    )


class ImportForm(FlaskForm):
    statement = SelectField(_l("Statement"), coerce=int, choices=[])
    file = FileField(_l("Signatories CSV"), validators=[FileRequired(_l("Choose a CSV file."))])


class ImportConfirmForm(FlaskForm):
    statement = HiddenField()
    payload = HiddenField()


class SignatoryOrderForm(FlaskForm):
    order = SelectField(
        _l("Order of the signatory list"),
        choices=select_choices((order.value, label) for order, label in ORDER_LABELS.items()),
    )


class CorrectListForm(FlaskForm):
    """Take organizations off a published signatory list; the choices are the listed ones."""

    remove = SelectMultipleField(
        _l("Organizations to take off the list"),
        coerce=int,
        choices=[],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    reason = TextAreaField(_l("Reason (published with the list and e-mailed to each organization)"))
