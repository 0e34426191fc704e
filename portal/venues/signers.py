"""Signing organizations as light rows: the columns the venue's rules read (eligibility.py,
delivery.py), for lists of 1,500 — an ORM Organization with its accreditations costs a list that
long some 20,000 objects and a quarter of a second per page (docs/performance.md)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, select

from ..extensions import db
from ..models import Organization
from ..models.accreditation import Accreditation, AccreditationState, EcosocStatus


@dataclass(frozen=True, slots=True)
class Held:
    """An accreditation in the process the row was loaded for."""

    kind: str
    verified: bool


@dataclass(frozen=True, slots=True)
class SignerOrg:
    """What the rules read of an organization, as Organization names it (eligibility.Accredited).
    Holds the accreditations of one process only: the one it was loaded for."""

    id: int
    name: str
    un_name: str | None
    ecosoc_status: str
    ecosoc_verified: bool
    process_id: int
    accreditations: tuple[Held, ...] = ()

    @property
    def display_un_name(self) -> str:
        return self.un_name or self.name

    @property
    def in_ecosoc_status(self) -> bool:
        return self.ecosoc_status != EcosocStatus.NONE and self.ecosoc_verified

    def accreditations_in(self, process_id: int) -> tuple[Held, ...]:
        if process_id != self.process_id:
            # Another process's accreditations were not loaded: "none" would be a wrong answer.
            raise ValueError(f"loaded for process {self.process_id}, not {process_id}")
        return self.accreditations


# The columns of SignerOrg, in its order (after `process_id` come the accreditations).
COLUMNS = (
    Organization.id,
    Organization.name,
    Organization.un_name,
    Organization.ecosoc_status,
    Organization.ecosoc_verified_at.is_not(None),
)


def _accreditations(ids: Iterable[int] | Select, process_id: int) -> dict[int, tuple[Held, ...]]:
    """The process's accreditations of the organizations `ids` (a list or an id subquery), in
    one query: only the organizations that hold any come back."""
    held: dict[int, list[Held]] = {}
    rows = db.session.execute(
        select(Accreditation.organization_id, Accreditation.kind, Accreditation.state)
        .where(Accreditation.process_id == process_id, Accreditation.organization_id.in_(ids))
        .order_by(Accreditation.organization_id, Accreditation.id)
    )
    for organization_id, kind, state in rows:
        held.setdefault(organization_id, []).append(
            Held(kind, state == AccreditationState.VERIFIED)
        )
    return {organization_id: tuple(items) for organization_id, items in held.items()}


def light_rows(
    query: Select, ids: Iterable[int] | Select, process_id: int
) -> list[tuple[SignerOrg, tuple]]:
    """`query` selects COLUMNS first, then any other columns; `ids` the same organizations (for
    their accreditations). Each row as (SignerOrg, the other columns): two queries in all."""
    rows = db.session.execute(query).all()
    held = _accreditations(ids, process_id) if rows else {}
    width = len(COLUMNS)
    return [
        (
            # SQLite answers IS NOT NULL with 0 or 1.
            SignerOrg(id_, name, un_name, status, bool(verified), process_id, held.get(id_, ())),
            tuple(row[width:]),
        )
        for row in rows
        for id_, name, un_name, status, verified in (row[:width],)
    ]
