"""`portal reset-demo`: the demo database emptied and loaded again, for trying the journey anew.

It drops every table (the schema comes back through the migrations, as on a fresh install),
removes the compiled files, then seeds. Refused on anything but a debug (demo) instance unless
``--force`` is given, since on a real coalition's database it would erase the round."""

import shutil
from pathlib import Path

import click
from flask import current_app
from flask_babel import gettext as _
from flask_migrate import upgrade
from sqlalchemy import text

from .extensions import db
from .seeding import seed_all


def reset_demo_data() -> str:
    """Empty the database and the artifact store, migrate, seed; the seed report."""
    db.session.remove()
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    upgrade()
    shutil.rmtree(Path(current_app.config["ARTIFACT_DIR"]), ignore_errors=True)
    try:
        report = seed_all()
    except Exception:
        db.session.rollback()
        raise
    db.session.commit()
    return str(report)


@click.command("reset-demo")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--force", is_flag=True, help="Also outside debug mode (erases a real database).")
def reset_demo_command(yes: bool, force: bool):
    """Erase everything and load the demo data again."""
    if not (current_app.debug or current_app.testing or force):
        raise click.UsageError(
            _(
                "reset-demo erases the whole database; it runs in debug mode (FLASK_DEBUG=1, as "
                "`make run` sets) or with --force."
            )
        )
    url = db.engine.url.render_as_string(hide_password=True)
    if not yes:
        click.confirm(f"Erase every statement, organization and account in {url}?", abort=True)
    click.echo(reset_demo_data())
    click.echo(_("Demo data loaded again; `portal demo-accounts` lists the accounts."))
