"""Forms of the sign-on pages. Field rules live in the operations (one place for the form, the
import and the tests); the forms carry the inputs and their labels."""

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
    organization = SelectField("Sign on behalf of", coerce=int, choices=[])
    confirm = BooleanField(
        "I have read this revision and sign it on my organization's behalf",
        validators=[DataRequired("Tick the box to confirm you have read the text.")],
    )


class PublicSignOnForm(FlaskForm):
    revision_id = HiddenField()
    name = StringField("Organization name")
    country = SelectField(
        "Country or region",
        choices=place_choices("Choose a country, a region or International"),
        validate_choice=False,  # checked with the other fields by public.clean_public_fields
    )
    kind = SelectField("Kind of organization", choices=select_choices(kind_pairs()))
    website = StringField("Website (optional)")
    contact_name = StringField("Contact person")
    email = EmailField("Contact e-mail (we send the confirmation link here)")
    publish = BooleanField("Our organization's name may be published with the statement")


class OpenSigningForm(FlaskForm):
    deadline = DateTimeLocalField(
        "Earlier sign-on deadline (optional, in the round's timezone)",
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
    )


class RejectSignatureForm(FlaskForm):
    reason = TextAreaField(
        "Reason (sent to the organization)",
        validators=[
            DataRequired("Give the organization a reason."),
            Length(5, 2000, "The reason must be 5 to 2,000 characters."),
        ],
    )


class ImportForm(FlaskForm):
    statement = SelectField("Statement", coerce=int, choices=[])
    file = FileField("Signatories CSV", validators=[FileRequired("Choose a CSV file.")])


class ImportConfirmForm(FlaskForm):
    statement = HiddenField()
    payload = HiddenField()


class SignatoryOrderForm(FlaskForm):
    order = SelectField(
        "Order of the signatory list",
        choices=select_choices((order.value, label) for order, label in ORDER_LABELS.items()),
    )


class CorrectListForm(FlaskForm):
    """Take organizations off a published signatory list; the choices are the listed ones."""

    remove = SelectMultipleField(
        "Organizations to take off the list",
        coerce=int,
        choices=[],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    reason = TextAreaField("Reason (published with the list and e-mailed to each organization)")
