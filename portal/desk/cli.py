"""`portal send-reminders`: the deadline reminders due now, for cron (without a worker)."""

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _


@click.command("send-reminders")
@with_appcontext
def send_reminders_command():
    """E-mail drafters and signatories 48 and 24 hours before a deadline (each reminder once)."""
    from .deadlines import send_due_reminders

    result = send_due_reminders()
    click.echo(
        _(
            "Sent %(emails)s e-mails for %(occasions)s deadline reminders.",
            emails=result.emails,
            occasions=result.occasions,
        )
    )
