"""Forms of the desk: the lead's reminder (the note is checked in the operation)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField


class ReminderForm(FlaskForm):
    note = TextAreaField(_l("A note from you (optional, added to every message)"))
    preview = SubmitField(_l("Preview the messages"))
    send = SubmitField(_l("Send the reminder"))
