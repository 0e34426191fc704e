"""`portal compile-round SLUG -o OUT.pdf`, `portal worker`, `portal build-exports` and
`portal reap-jobs`."""

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from ..text.languages import CODES


@click.command("compile-round")
@click.argument("slug")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the compendium PDF.",
)
@click.option(
    "--lang",
    "language",
    type=click.Choice(CODES),
    default=None,
    help="Compile in this language: each statement's translation, else its original.",
)
@with_appcontext
def compile_round_command(slug: str, output: Path, language: str | None):
    """Compile the round's compendium of approved statements into OUT.pdf."""
    from ..extensions import db
    from ..models import Round
    from .compendium import round_compendium, write_compendium

    round_ = db.session.scalar(select(Round).where(Round.slug == slug))
    if round_ is None:
        raise click.ClickException(_("No round with the slug “%(slug)s”.", slug=slug))
    compendium = round_compendium(round_, language)
    if not compendium.entries:
        raise click.ClickException(
            _("%(title)s has no approved statements yet.", title=round_.title)
        )
    total = len(compendium.entries) + 2
    with click.progressbar(length=total, label=_("Compiling"), show_pos=True) as bar:
        state = {"done": 0}

        def progress(done: int, _total: int, step: str) -> None:
            bar.label = step
            bar.update(done - state["done"])
            state["done"] = done

        pages = write_compendium(compendium, output, progress)
    click.echo(
        _(
            "Wrote %(output)s: %(len)s statements, %(pages)s pages.",
            output=output,
            len=len(compendium.entries),
            pages=pages,
        )
    )
    if compendium.in_original:
        click.echo(
            ngettext(
                "%(num)d of them has no %(language)s translation and is printed in its "
                "original language.",
                "%(num)d of them have no %(language)s translation and are printed in their "
                "original language.",
                len(compendium.in_original),
                language=compendium.language_name,
            )
        )


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@with_appcontext
def worker_command(burst: bool):
    """Run background jobs (the compendium, deadline reminders) from Redis; needs REDIS_URL."""
    from ..desk.jobs import start_for_worker
    from ..extensions import db
    from .jobs import reap_all, work

    reap_all()  # jobs a killed worker left "running"
    db.session.commit()
    try:
        start_for_worker(burst)  # the deadline reminders, an RQ periodic job
        work(burst=burst)
    except RuntimeError as error:
        raise click.ClickException(str(error)) from None


@click.command("build-exports")
@with_appcontext
def build_exports_command():
    """Build every missing file of the approved statements (PDF, DOCX, HTML, round ZIPs): after
    a template change or a wiped artifact store, when no worker is there to do it."""
    from .prepared import build_missing

    with click.progressbar(length=1, label=_("Building"), show_pos=True) as bar:

        def progress(done: int, total: int) -> None:
            bar.length = total
            bar.update(1)

        count = build_missing(progress)
    click.echo(_("The files of %(count)s approved statements are built.", count=count))


@click.command("reap-jobs")
@with_appcontext
def reap_jobs_command():
    """Mark failed the export jobs whose worker died (a status page only shows them so)."""
    from ..extensions import db
    from .jobs import reap_all

    count = reap_all()
    db.session.commit()
    click.echo(
        ngettext("%(num)d dead job marked failed.", "%(num)d dead jobs marked failed.", count)
    )
