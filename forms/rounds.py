"""Forms of processes and rounds. Deadlines are typed as local date-times in the round's zone."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from .choices import select_choices, timezone_pairs

LOCAL_FORMAT = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


class ProcessForm(FlaskForm):
    title = StringField(
        "Title",
        validators=[
            DataRequired("Enter the process's title."),
            Length(3, 200, "The title must be 3 to 200 characters."),
        ],
    )
    short_title = StringField(
        "Short title", validators=[Optional(), Length(max=40, message="At most 40 characters.")]
    )
    description = TextAreaField(
        "Description",
        validators=[Optional(), Length(max=5000, message="At most 5,000 characters.")],
    )


def _deadline(label: str) -> DateTimeLocalField:
    return DateTimeLocalField(
        label, format=LOCAL_FORMAT, validators=[InputRequired("Enter a date and time.")]
    )


class RoundForm(FlaskForm):
    number = IntegerField(
        "Round number",
        validators=[
            InputRequired("Enter the round's number."),
            NumberRange(1, 999, "The round number must be 1 or more."),
        ],
    )
    title = StringField(
        "Title",
        validators=[
            DataRequired("Enter the round's title."),
            Length(3, 200, "The title must be 3 to 200 characters."),
        ],
    )
    place = StringField(
        "Place", validators=[Optional(), Length(max=200, message="At most 200 characters.")]
    )
    meeting_start = DateField(
        "Meeting starts", validators=[InputRequired("Enter the first day of the meeting.")]
    )
    meeting_end = DateField(
        "Meeting ends", validators=[InputRequired("Enter the last day of the meeting.")]
    )
    timezone = SelectField(
        "Timezone",
        choices=select_choices(timezone_pairs("Choose a timezone")),
        validators=[DataRequired("Choose a timezone from the list.")],
    )
    opens_at = _deadline("Opens for statements")
    submission_deadline = _deadline("Submission deadline")
    signon_deadline = _deadline("Sign-on deadline")
    areas = TextAreaField(
        "Programme areas",
        validators=[DataRequired("Enter at least one programme area, one per line.")],
    )
    auto_approve_verified = BooleanField(
        "Approve sign-ons from verified organizations automatically"
    )
    description = TextAreaField(
        "Description",
        validators=[Optional(), Length(max=5000, message="At most 5,000 characters.")],
    )
