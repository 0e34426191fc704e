"""The `portal` command: Flask's CLI (run, db, shell) plus the portal's own commands.

`portal render` renders a file without a database: it is dispatched before Flask, the app and
their imports are loaded, so a one-file render starts in a fraction of the time (issue 15).
Every other command goes through `flask_group()`, which creates the app."""

import gc
import sys
from functools import cache


def main(args=None):
    argv = sys.argv[1:] if args is None else list(args)
    if argv[:1] == ["render"]:
        # Importing the render path makes ~120,000 objects and no garbage: the cyclic collector
        # would walk them again and again (a tenth of a one-file render). It runs again, over
        # the render's own objects only, once they are imported.
        gc.disable()
        from .render_cli import render_command

        gc.freeze()
        gc.enable()
        return render_command.main(argv[1:], prog_name="portal render")
    return flask_group().main(argv, prog_name="portal")


def _create_app():
    from . import create_app

    return create_app()


@cache
def flask_group():
    import click
    from flask.cli import FlaskGroup

    @click.group(cls=FlaskGroup, create_app=_create_app)
    def portal():
        """Statement Portal management commands."""

    return portal


def register_commands(app) -> None:
    from .auth.cli import outbox_command
    from .demo_reset import reset_demo_command
    from .render_cli import render_command
    from .seeding import demo_accounts_command, seed_command
    from .statements.cli import import_command

    app.cli.add_command(outbox_command)
    for command in (
        seed_command,
        demo_accounts_command,
        reset_demo_command,
        render_command,
        import_command,
    ):
        app.cli.add_command(command)

    from .exports.cli import (
        build_exports_command,
        compile_round_command,
        reap_jobs_command,
        worker_command,
    )

    app.cli.add_command(compile_round_command)
    app.cli.add_command(worker_command)
    app.cli.add_command(build_exports_command)
    app.cli.add_command(reap_jobs_command)

    from .desk.cli import send_reminders_command
    from .loaddata.cli import generate_load_data_command

    app.cli.add_command(send_reminders_command)
    app.cli.add_command(generate_load_data_command)
