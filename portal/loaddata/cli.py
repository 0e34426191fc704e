"""`portal generate-load-data`: the load-test round (docs/performance.md)."""

import logging
import time

import click
from flask_babel import gettext as _

from ..extensions import db
from ..locale_formats import format_number


@click.command("generate-load-data")
@click.option("--statements", type=int, default=200, show_default=True, help="At least 2.")
@click.option("--organizations", type=int, default=1511, show_default=True, help="At least 3.")
@click.option(
    "--signatures",
    type=int,
    default=50265,
    show_default=True,
    help="In all; each organization signs a statement at most once, never its own.",
)
@click.option("--seed", type=int, default=2018, show_default=True, help="Same seed, same data.")
def generate_load_data_command(statements, organizations, signatures, seed):
    """Fill an EMPTY database with a round at the scale of a real one, built through the
    portal's operations: organizations (90% verified) each with an admin who signs, statements
    in every state (half approved, with their official PDFs), and their signatures. The first
    statement has the longest list (1,500 signatories). Every generated account's password is
    load-bench-2018-password; the coordinator is coordinator@load.example.org.
    See docs/performance.md."""
    from ..seeding import database_is_empty
    from .build import LoadDataError, Plan, generate, model_body

    plan = Plan(statements, organizations, signatures, seed)
    try:
        plan.check()
    except LoadDataError as error:
        raise click.UsageError(str(error)) from None
    if not database_is_empty():
        click.echo(
            _(
                "Error: the database already has users. generate-load-data fills an empty "
                "database only (create one for load tests, then `portal db upgrade`); nothing "
                "was changed."
            ),
            err=True,
        )
        raise SystemExit(2)
    # Every e-mail is "delivered" to the log without a mail server: 100,000 bodies on the
    # terminal would hide the progress lines.
    logging.getLogger("portal.mail").setLevel(logging.WARNING)
    started = time.perf_counter()

    def progress(line: str) -> None:
        click.echo(f"[{time.perf_counter() - started:6.0f} s] {line}")

    try:
        outcome = generate(plan, model_body(), progress)
    except Exception:
        db.session.rollback()
        raise
    total = sum(s["signatures"] for s in outcome["statements"])
    click.echo(
        _(
            "Round %(round)s: %(statements)s statements, %(organizations)s organizations, "
            "%(signatures)s signatures in %(seconds)s s.",
            round=outcome["round"],
            statements=format_number(len(outcome["statements"])),
            organizations=format_number(organizations),
            signatures=format_number(total),
            seconds=format_number(round(time.perf_counter() - started)),
        )
    )
