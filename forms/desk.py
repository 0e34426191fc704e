"""Forms of the desk: the lead's reminder (the note is checked in the operation)."""

from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField


class ReminderForm(FlaskForm):
    note = TextAreaField("A note from you (optional, added to every message)")
    preview = SubmitField("Preview the messages")
    send = SubmitField("Send the reminder")
