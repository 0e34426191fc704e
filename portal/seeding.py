"""`portal seed`: the demo data in seeds/*.yaml, loaded through the operations the app uses, so
every row has its audit events and e-mails. Loading is idempotent: what exists is left alone,
so a second run changes nothing."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import click
import yaml
from flask_babel import gettext
from sqlalchemy import func, select

from . import audit
from .auth.operations import register_person
from .config import ROOT
from .extensions import db
from .models import Membership, Organization, Process, Round, SiteRole, User, utcnow
from .models.accounts import normalize_email
from .organizations import operations as org_ops
from .rounds import operations as round_ops
from .statements.seeding import seed_statements

SEEDS = ROOT / "seeds"
DEMO_PASSWORD = "portal-demo-2018"  # noqa: S105  (public, printed for the demo)
DEMO_ACCOUNTS = (
    ("coordinator@example.org", "coordinator: opens rounds, verifies organizations"),
    ("lead@example.org", "admin of Civil Society Action Committee, the model statement's lead"),
    (
        "signer@example.org",
        "signatory of Red Mesoamericana por los Derechos de las Personas Migrantes",
    ),
)
RELATIVE = re.compile(r"^([+-]\d+)d(?:\s+(\d{1,2}):(\d{2}))?$")
ABSOLUTE_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d")


class SeedError(click.ClickException):
    pass


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, n: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + n

    def __str__(self) -> str:
        if not any(self.created.values()):
            return "Nothing to load: the demo data is already there."
        parts = [
            f"{n} {_SINGULAR.get(what, what) if n == 1 else what}"
            for what, n in self.created.items()
        ]
        return "Loaded " + ", ".join(parts) + "."


_SINGULAR = {"processes": "process", "join requests": "join request", "statements": "statement"}
_SINGULAR |= {w: w[:-1] for w in ("users", "organizations", "memberships", "rounds")}


def load_yaml(name: str, directory: Path = SEEDS) -> dict:
    with open(directory / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


def seed_all(directory: Path = SEEDS, today: date | None = None) -> SeedReport:
    """Load every seed file; the caller commits. `today` anchors the relative deadlines."""
    report = SeedReport()
    today = today or utcnow().date()
    users = load_yaml("users.yaml", directory)
    seed_users(users, report)
    coordinator = _coordinator(users)
    seed_organizations(load_yaml("organizations.yaml", directory), coordinator, report)
    seed_process(load_yaml("gcm-2018.yaml", directory), coordinator, today, report)
    _seed_statements(directory, report)
    return report


# -- people and organizations -----------------------------------------------------------------


def seed_users(data: dict, report: SeedReport) -> None:
    password = data.get("password", DEMO_PASSWORD)
    for entry in data.get("users", []):
        if _user(entry["email"]) is not None:
            continue
        user = register_person(
            name=entry["name"],
            email=entry["email"],
            password=password,
            timezone=entry.get("timezone"),
            confirmed=True,  # demo accounts: nobody reads their mail
        )
        role = SiteRole(entry.get("site_role", SiteRole.USER))
        if role != SiteRole.USER:
            # No administrator exists yet to grant the role: the seed grants it, on the record.
            user.site_role = role
            audit.record(
                "user.role_changed", user, actor=None, old="user", new=str(role), by="seed"
            )
        report.add("users")
    db.session.flush()


def seed_organizations(data: dict, coordinator: User, report: SeedReport) -> None:
    for entry in data.get("organizations", []):
        org = db.session.scalar(
            select(Organization).where(func.lower(Organization.name) == entry["name"].lower())
        )
        if org is None:
            admin = _required_user(entry["registered_by"])
            org = org_ops.register_organization(
                admin,
                name=entry["name"],
                acronym=entry.get("acronym"),
                country=entry["country"],
                kind=entry.get("kind", "ngo"),
                website=entry.get("website"),
                description=entry.get("description"),
            )
            if entry.get("status", "verified") == "verified":
                org_ops.verify_organization(coordinator, org)
            report.add("organizations")
        inviter = _required_user(entry["registered_by"])
        for member in entry.get("members", []):
            user = _required_user(member["email"])
            if _membership(user, org) is not None:
                continue
            _, token = org_ops.invite_member(inviter, org, user.email, member.get("role", "member"))
            org_ops.accept_invitation(user, token)
            report.add("memberships")
        for email in entry.get("requests", []):
            user = _required_user(email)
            if _membership(user, org) is None:
                org_ops.request_to_join(user, org)
                report.add("join requests")
    db.session.flush()


# -- the process and its rounds ---------------------------------------------------------------


def seed_process(data: dict, coordinator: User, today: date, report: SeedReport) -> None:
    spec = data["process"]
    process = db.session.scalar(select(Process).where(Process.slug == spec["slug"]))
    if process is None:
        process = round_ops.create_process(
            coordinator,
            title=spec["title"],
            short_title=spec.get("short_title"),
            description=spec.get("description"),
            slug=spec["slug"],
        )
        report.add("processes")
    defaults = data.get("defaults", {})
    for entry in data.get("rounds", []):
        entry = {**defaults, **entry}
        exists = db.session.scalar(
            select(Round.id).where(Round.process_id == process.id, Round.number == entry["number"])
        )
        if exists is not None:
            continue
        zone = entry.get("timezone", "UTC")
        round_ops.create_round(
            coordinator,
            process,
            slug=entry.get("slug"),
            number=entry["number"],
            title=entry["title"],
            place=entry.get("place"),
            meeting_start=_date(entry["meeting_start"]),
            meeting_end=_date(entry["meeting_end"]),
            timezone=zone,
            opens_at=seed_time(entry["opens_at"], zone, today),
            submission_deadline=seed_time(entry["submission_deadline"], zone, today),
            signon_deadline=seed_time(entry["signon_deadline"], zone, today),
            areas=entry.get("areas", []),
            auto_approve_verified=entry.get("auto_approve_verified", False),
            description=entry.get("description"),
        )
        report.add("rounds")
    db.session.flush()


def seed_time(value, zone: str, today: date) -> datetime:
    """A seed file's time in the round's zone, as UTC: "+21d 18:00" counts from `today`."""
    tz = ZoneInfo(zone)
    if isinstance(value, datetime):
        local = value
    else:
        text = str(value).strip()
        match = RELATIVE.match(text)
        if match:
            days, hour, minute = match.groups()
            day = today + timedelta(days=int(days))
            local = datetime(day.year, day.month, day.day, int(hour or 0), int(minute or 0))
        else:
            local = _parse_absolute(text)
    if local.tzinfo is None:
        local = local.replace(tzinfo=tz)
    return local.astimezone(ZoneInfo("UTC"))


def _parse_absolute(text: str) -> datetime:
    for fmt in ABSOLUTE_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise SeedError(f"Cannot read the time {text!r}: write '+21d 18:00' or '2018-02-16 18:00'.")


def _date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _seed_statements(directory: Path, report: SeedReport) -> None:
    """Statements are the statements feature's to load (seeds/statements/)."""
    loaded = seed_statements(directory / "statements")
    if loaded:
        report.add("statements", loaded)


# -- lookups ----------------------------------------------------------------------------------


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def _required_user(email: str) -> User:
    user = _user(email)
    if user is None:
        raise SeedError(gettext("%(email)s is not in seeds/users.yaml.", email=email))
    return user


def _coordinator(users: dict) -> User:
    for entry in users.get("users", []):
        if entry.get("site_role") in ("coordinator", "admin"):
            return _required_user(entry["email"])
    raise SeedError(gettext("seeds/users.yaml needs a coordinator."))


def _membership(user: User, org: Organization) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id, Membership.organization_id == org.id
        )
    )


def database_is_empty() -> bool:
    return db.session.scalar(select(func.count(User.id))) == 0


# -- commands ---------------------------------------------------------------------------------


@click.command("seed")
@click.option("--if-empty", is_flag=True, help="Load only when the database has no users yet.")
@click.option(
    "--directory",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=SEEDS,
    show_default=True,
)
def seed_command(if_empty: bool, directory: Path):
    """Load the demo data from seeds/ (idempotent: what exists is left alone)."""
    if if_empty and not database_is_empty():
        click.echo(gettext("The database already has users: demo data not loaded."))
        return
    try:
        report = seed_all(directory)
    except Exception:
        db.session.rollback()
        raise
    db.session.commit()
    click.echo(str(report))


@click.command("demo-accounts")
def demo_accounts_command():
    """Print the demo accounts and their password."""
    click.echo(
        gettext("Demo accounts (password for all: %(demo_password)s):", demo_password=DEMO_PASSWORD)
    )
    for email, what in DEMO_ACCOUNTS:
        click.echo(f"  {email:<26} {what}")
