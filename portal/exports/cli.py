"""`portal compile-round SLUG -o OUT.pdf` and `portal worker`."""

from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select


@click.command("compile-round")
@click.argument("slug")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the compendium PDF.",
)
@with_appcontext
def compile_round_command(slug: str, output: Path):
    """Compile the round's compendium of approved statements into OUT.pdf."""
    from ..extensions import db
    from ..models import Round
    from .compendium import round_compendium, write_compendium

    round_ = db.session.scalar(select(Round).where(Round.slug == slug))
    if round_ is None:
        raise click.ClickException(f"No round with the slug {slug!r}.")
    compendium = round_compendium(round_)
    if not compendium.entries:
        raise click.ClickException(f"{round_.title} has no approved statements yet.")
    total = len(compendium.entries) + 2
    with click.progressbar(length=total, label="Compiling", show_pos=True) as bar:
        state = {"done": 0}

        def progress(done: int, _total: int, step: str) -> None:
            bar.label = step
            bar.update(done - state["done"])
            state["done"] = done

        pages = write_compendium(compendium, output, progress)
    click.echo(f"Wrote {output}: {len(compendium.entries)} statements, {pages} pages.")


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@with_appcontext
def worker_command(burst: bool):
    """Run background jobs (the compendium, deadline reminders) from Redis; needs REDIS_URL."""
    from ..desk.jobs import start_for_worker
    from .jobs import work

    try:
        start_for_worker(burst)  # the deadline reminders, an RQ periodic job
        work(burst=burst)
    except RuntimeError as error:
        raise click.ClickException(str(error)) from None
