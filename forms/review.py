"""Forms of submission and review."""

from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from .choices import select_choices

MESSAGE_MAX = 5000


class DecisionForm(FlaskForm):
    decision = RadioField(
        "Decision",
        choices=select_choices(
            [
                ("approve", "Approve — publish it with its approved signatories"),
                ("request_changes", "Request changes — back to the drafters, with your message"),
                ("reject", "Reject — final for this round"),
            ]
        ),
        validators=[InputRequired("Choose a decision.")],
    )
    message = TextAreaField(
        "Message to the drafters",
        validators=[Optional(), Length(max=MESSAGE_MAX, message="Keep it under 5,000 characters.")],
    )


class WithdrawForm(FlaskForm):
    message = TextAreaField(
        "Why (optional, sent to drafters and signatories)",
        validators=[Optional(), Length(max=MESSAGE_MAX, message="Keep it under 5,000 characters.")],
    )
