"""`portal import FILE --round SLUG --org SLUG`: a new draft from a .docx, .md or .txt file."""

from pathlib import Path
from typing import NoReturn

import click
from flask_babel import gettext as _
from sqlalchemy import select

from ..errors import OperationError
from ..extensions import db
from ..models import Organization, Round, User
from ..organizations.common import admin_memberships
from .importing import MAX_BYTES, import_statement


def _fail(message: str) -> NoReturn:
    click.echo(_("Error: %(message)s", message=message), err=True)
    raise SystemExit(2)


def _acting_user(organization: Organization, email: str | None) -> User:
    """The person recorded as author: --as EMAIL, else the organization's first admin."""
    if email:
        user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
        if user is None:
            _fail(_("no user with the e-mail %(email)s", email=email))
        return user
    admins = admin_memberships(organization)
    if not admins:
        _fail(
            _(
                "%(organization)s has no active admin; name the author with --as EMAIL",
                organization=organization.slug,
            )
        )
    return admins[0].user


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--round", "round_slug", required=True, help="Slug of the round.")
@click.option("--org", "org_slug", required=True, help="Slug of the lead organization.")
@click.option("--area", "area_title", help="Programme area (title or number; default the first).")
@click.option("--as", "email", help="E-mail of the author (default: the organization's admin).")
def import_command(file: Path, round_slug, org_slug, area_title, email):
    """Import FILE (.docx, .md or .txt) as a new draft statement."""
    if not file.is_file():
        _fail(_("%(file)s does not exist", file=file))
    if file.stat().st_size > MAX_BYTES:
        _fail(
            _(
                "%(name)s is larger than %(megabytes)s MB",
                name=file.name,
                megabytes=MAX_BYTES // (1024 * 1024),
            )
        )
    round_ = db.session.scalar(select(Round).where(Round.slug == round_slug))
    if round_ is None:
        _fail(_("no round with the slug '%(slug)s'", slug=round_slug))
    organization = db.session.scalar(select(Organization).where(Organization.slug == org_slug))
    if organization is None:
        _fail(_("no organization with the slug '%(slug)s'", slug=org_slug))
    area = _area(round_, area_title)
    user = _acting_user(organization, email)
    try:
        statement = import_statement(
            user,
            round_,
            organization=organization,
            area=area,
            filename=file.name,
            data=file.read_bytes(),
        )
        db.session.commit()
    except OperationError as exc:
        db.session.rollback()
        _fail(exc.message)
    revision = statement.current_revision
    click.echo(
        _(
            "Imported statement %(id)s: “%(title)s” (%(words)s words) in %(round)s, led by "
            "%(lead)s.",
            id=statement.id,
            title=revision.title,
            words=revision.word_count,
            round=round_.slug,
            lead=organization.name,
        )
    )


def _area(round_: Round, wanted: str | None):
    if not round_.areas:
        _fail(_("%(round)s has no programme areas", round=round_.slug))
    if not wanted:
        return round_.areas[0]
    if wanted.isdigit() and 1 <= int(wanted) <= len(round_.areas):
        return round_.areas[int(wanted) - 1]
    for area in round_.areas:
        if area.title.casefold() == wanted.strip().casefold():
            return area
    titles = "; ".join(a.title for a in round_.areas)
    _fail(
        _(
            "no area '%(area)s' in %(round)s (areas: %(titles)s)",
            area=wanted,
            round=round_.slug,
            titles=titles,
        )
    )
