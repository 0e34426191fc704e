"""The demo statements: seeds/statements/history.yaml replayed through the drafting operations.

Called by `portal seed` (portal/seeding.py) as `seed_statements(directory) -> int`. Each entry
names a statement file (front matter + dialect, the final text), its round, lead and
co-drafters, and the revisions that led to it; the seed creates the draft with the earliest text,
invites and accepts the co-drafters, saves each later revision and posts the comments, in the
order they happened. Idempotent: a statement whose round and lead already have one with the same
title is left alone. The caller commits.
"""

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import yaml
from sqlalchemy import func, select

from ..errors import OperationError
from ..extensions import db
from ..models import Organization, Process, Revision, Round, Statement, User, utcnow
from ..text import parse_document
from . import operations

HISTORY_FILE = "history.yaml"


class StatementSeedError(Exception):
    pass


def seed_statements(directory: Path) -> int:
    """Load every statement described in `directory`/history.yaml; return how many were new."""
    path = Path(directory) / HISTORY_FILE
    if not path.is_file():
        return 0
    with open(path, encoding="utf-8") as fh:
        entries = (yaml.safe_load(fh) or {}).get("statements", [])
    return sum(_seed_one(Path(directory), entry) for entry in entries)


def _user(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise StatementSeedError(f"statement seed: no user {email}")
    return user


def _organization(name: str) -> Organization:
    org = db.session.scalar(
        select(Organization).where(func.lower(Organization.name) == name.strip().lower())
    )
    if org is None:
        raise StatementSeedError(f"statement seed: no organization {name!r}")
    return org


def _round(process_slug: str, number: int) -> Round:
    round_ = db.session.scalar(
        select(Round).join(Process).where(Process.slug == process_slug, Round.number == number)
    )
    if round_ is None:
        raise StatementSeedError(f"statement seed: no round {number} in {process_slug}")
    return round_


def texts_before(final: str, revisions: list[dict]) -> list[str]:
    """The body of every revision, earliest first, by undoing later changes from the final text."""
    texts = [final]
    for revision in reversed(revisions[1:]):
        text = texts[0]
        for change in revision.get("changes", []):
            before, after = change["before"], change["after"]
            if text.count(after) != 1:
                raise StatementSeedError(
                    f"statement seed: {after[:60]!r} must occur exactly once in the later text"
                )
            text = text.replace(after, before)
        texts.insert(0, text)
    return texts


@dataclass
class _Event:
    when: float  # days ago
    order: int
    kind: str
    data: dict


def _seed_one(directory: Path, entry: dict) -> int:
    meta, final_body = parse_document((directory / entry["file"]).read_text(encoding="utf-8"))
    title = meta["title"]
    round_ = _round(entry["process"], int(entry["round"]))
    lead = _organization(entry.get("lead") or meta["lead"])
    exists = db.session.scalar(
        select(Statement.id)
        .join(Revision, Revision.statement_id == Statement.id)
        .where(
            Statement.round_id == round_.id,
            Statement.lead_organization_id == lead.id,
            Revision.title == title,
        )
        .limit(1)
    )
    if exists is not None:
        return 0
    area = next((a for a in round_.areas if a.title == entry.get("area")), round_.areas[0])
    revisions = entry["revisions"]
    bodies = texts_before(final_body, revisions)
    now = utcnow()

    def at(days_ago, order):
        return now - timedelta(days=days_ago, hours=3) + timedelta(minutes=9 * order)

    try:
        first = revisions[0]
        statement = operations.create_statement(
            _user(first["author"]),
            round_,
            area=area,
            organization=lead,
            title=title,
            body=bodies[0],
            language=meta.get("language") or "en",
            note=first.get("note"),
            source=entry["file"],
            at=at(first.get("days_ago", 0), 0),
        )
        for co in entry.get("co_drafters", []):
            drafter = operations.invite_drafter(
                _user(co["invited_by"]), statement, _organization(co["organization"])
            )
            operations.respond_to_invitation(_user(co["answered_by"]), drafter, accept=True)
        events = [
            _Event(r.get("days_ago", 0), n, "revision", {**r, "body": bodies[n]})
            for n, r in enumerate(revisions)
            if n > 0
        ]
        events += [
            _Event(c.get("days_ago", 0), 100 + n, "comment", c)
            for n, c in enumerate(entry.get("comments", []))
        ]
        # Oldest first; on the same day revisions come before the comments about them.
        for order, event in enumerate(sorted(events, key=lambda e: (-e.when, e.order)), start=1):
            if event.kind == "revision":
                operations.save_revision(
                    _user(event.data["author"]),
                    statement,
                    base_revision_id=statement.current_revision_id,
                    title=title,
                    body=event.data["body"],
                    note=event.data.get("note"),
                    substantive=event.data.get("substantive", True),
                    at=at(event.when, order),
                )
            else:
                _comment(statement, event.data, at, order)
    except OperationError as exc:
        raise StatementSeedError(f"statement seed {entry['file']}: {exc.message}") from exc
    return 1


def _comment(statement: Statement, data: dict, at, order: int) -> None:
    when = at(data.get("days_ago", 0), order)
    top = operations.add_comment(
        _user(data["author"]), statement, body=data["body"], quote=data.get("quote"), at=when
    )
    for n, reply in enumerate(data.get("replies", []), start=1):
        # A reply on a later day comes after that day's revisions (an hour into the day's events).
        later = "days_ago" in reply and reply["days_ago"] < data.get("days_ago", 0)
        reply_at = at(reply["days_ago"], order) + timedelta(hours=1) if later else when
        operations.add_comment(
            _user(reply["author"]),
            statement,
            body=reply["body"],
            parent=top,
            at=reply_at + timedelta(minutes=n),
        )
    if data.get("resolved_by"):
        operations.set_comment_resolved(_user(data["resolved_by"]), top, resolved=True)
