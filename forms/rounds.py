"""Forms of processes and rounds. Deadlines are typed as local date-times in the round's zone."""

from flask_babel import lazy_gettext as _l
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
        _l("Title"),
        validators=[
            DataRequired(_l("Enter the process's title.")),
            Length(3, 200, _l("The title must be 3 to 200 characters.")),
        ],
    )
    short_title = StringField(
        _l("Short title"),
        validators=[Optional(), Length(max=40, message=_l("At most 40 characters."))],
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Optional(), Length(max=5000, message=_l("At most 5,000 characters."))],
    )


def _deadline(label: str) -> DateTimeLocalField:
    return DateTimeLocalField(
        label, format=LOCAL_FORMAT, validators=[InputRequired(_l("Enter a date and time."))]
    )


class RoundForm(FlaskForm):
    number = IntegerField(
        _l("Round number"),
        validators=[
            InputRequired(_l("Enter the round's number.")),
            NumberRange(1, 999, _l("The round number must be 1 or more.")),
        ],
    )
    title = StringField(
        _l("Title"),
        validators=[
            DataRequired(_l("Enter the round's title.")),
            Length(3, 200, _l("The title must be 3 to 200 characters.")),
        ],
    )
    place = StringField(
        _l("Place"), validators=[Optional(), Length(max=200, message=_l("At most 200 characters."))]
    )
    meeting_start = DateField(
        _l("Meeting starts"), validators=[InputRequired(_l("Enter the first day of the meeting."))]
    )
    meeting_end = DateField(
        _l("Meeting ends"), validators=[InputRequired(_l("Enter the last day of the meeting."))]
    )
    timezone = SelectField(
        _l("Timezone"),
        choices=select_choices(timezone_pairs(_l("Choose a timezone"))),
        validators=[DataRequired(_l("Choose a timezone from the list."))],
    )
    opens_at = _deadline(_l("Opens for statements"))
    submission_deadline = _deadline(_l("Submission deadline"))
    signon_deadline = _deadline(_l("Sign-on deadline"))
    areas = TextAreaField(
        _l("Programme areas"),
        validators=[DataRequired(_l("Enter at least one programme area, one per line."))],
    )
    auto_approve_verified = BooleanField(
        _l("Approve sign-ons from verified organizations automatically")
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Optional(), Length(max=5000, message=_l("At most 5,000 characters."))],
    )
