"""Forms of submission and review."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from .choices import select_choices

MESSAGE_MAX = 5000


class DecisionForm(FlaskForm):
    decision = RadioField(
        _l("Decision"),
        choices=select_choices(
            [
                ("approve", _l("Approve — publish it with its approved signatories")),
                (
                    "request_changes",
                    _l("Request changes — back to the drafters, with your message"),
                ),
                ("reject", _l("Reject — final for this round")),
            ]
        ),
        validators=[InputRequired(_l("Choose a decision."))],
    )
    message = TextAreaField(
        _l("Message to the drafters"),
        validators=[
            Optional(),
            Length(max=MESSAGE_MAX, message=_l("Keep it under 5,000 characters.")),
        ],
    )


class WithdrawForm(FlaskForm):
    message = TextAreaField(
        _l("Why (optional, sent to drafters and signatories)"),
        validators=[
            Optional(),
            Length(max=MESSAGE_MAX, message=_l("Keep it under 5,000 characters.")),
        ],
    )
