"""`portal outbox`: read stored messages on the server, links and all.

The web outbox hides the tokens of private links; whoever runs this command already holds the
database and the SECRET_KEY, so it shows them (the demo takes its confirmation links from here).
"""

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..models import OutboxMessage


@click.group("outbox")
def outbox_command():
    """Read the messages the portal stored for sending."""


@outbox_command.command("list")
@click.option("--to", "recipient", help="Only messages to this address.")
@click.option("-n", "--limit", default=20, show_default=True, help="How many, newest first.")
@with_appcontext
def list_command(recipient: str | None, limit: int):
    """List the newest messages: id, time, recipient, kind, subject."""
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(max(limit, 1))
    if recipient:
        query = query.where(OutboxMessage.recipient == recipient.strip().lower())
    for message in db.session.scalars(query):
        kind = _("%(kind)s (private link)", kind=message.kind) if message.secret else message.kind
        click.echo(
            f"{message.id:>6}  {message.created_at:%Y-%m-%d %H:%M}  {message.recipient}  "
            f"{kind}: {message.subject}"
        )


@outbox_command.command("show")
@click.argument("message_id", type=int)
@with_appcontext
def show_command(message_id: int):
    """Print one whole message, private links included."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        raise click.ClickException(_("No message %(message_id)s.", message_id=message_id))
    click.echo(_("To: %(recipient)s", recipient=message.recipient))
    click.echo(_("Subject: %(subject)s", subject=message.subject))
    click.echo(
        _(
            "Kind: %(kind)s  Status: %(status)s  Queued: %(created_at)s",
            kind=message.kind,
            status=message.status,
            created_at=message.created_at,
        )
    )
    click.echo("")
    click.echo(message.body)
