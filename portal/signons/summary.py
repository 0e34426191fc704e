"""What the statement page and the signatories page show of a statement's sign-ons, read as
rows with only the columns they print: the counts grouped in SQL, the list as (name, place)
rows. listing.py's `listing()` loads every signature with its organization and revisions (about
3,000 ORM objects for 1,500 sign-ons), which the exports and the review pages need and these
pages do not. Same rule, same order: tests/test_signons_summary.py compares both.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field

from sqlalchemy import func, literal, select
from sqlalchemy.orm import aliased

from ..core.fragments import remember
from ..core.versions import data_version
from ..extensions import db
from ..models import Organization, Review, Revision, Signature, Statement
from ..models.organizations import KIND_LABELS, OrganizationKind
from ..places import Place, infer_scope
from .listing import (
    Counts,
    Entry,
    Standing,
    StandingSQL,
    approval,
    latest_substantive_number,
    order,
    published_entries,
    standing,
)

# The statement page lists at most this many organizations; a longer list is one click away,
# on the signatories page (a list of 1,500 names made the page 130 kB and most of its time).
PANEL_LIMIT = 100


@dataclass
class Summary:
    """A statement's list on its text: counts, and the entries when asked for."""

    statement: Statement
    review: Review | None
    latest: int
    counts: Counts
    entries: list[Entry] | None = None
    kinds: dict[int, str] = field(default_factory=dict)

    def standing_of(self, signature: Signature) -> Standing:
        """The standing of one signature (the person's own, on the statement page)."""
        found = standing(signature, self.latest)
        if self.review is None:
            return found
        if signature.id in self._frozen_ids():
            return Standing.LISTED
        return Standing.LATE if found == Standing.LISTED else found

    def _frozen_ids(self) -> set[int]:
        if self.entries is None:
            assert self.review is not None  # asked only of an approved statement (above)
            self.entries = published_entries(self.review)
        return {e.signature_id for e in self.entries if e.signature_id is not None}


def _text_number(statement: Statement, review: Review | None) -> int | None:
    text = review.revision if review is not None else statement.current_revision
    return text.number if text is not None else None


def _rule(statement_id: int, latest: int):
    """A function joining a query over Signature to the revisions the rule reads (for this
    statement only), and the rule over them."""
    signed, reconfirmed = aliased(Revision), aliased(Revision)

    def joined(query):
        return (
            query.join(signed, signed.id == Signature.revision_id)
            .outerjoin(reconfirmed, reconfirmed.id == Signature.reconfirmed_revision_id)
            .where(Signature.statement_id == statement_id)
        )

    backed = func.coalesce(reconfirmed.number, signed.number)
    return joined, StandingSQL(Signature, backed, literal(latest))


def summary(statement: Statement, *, entries: bool | int = True) -> Summary:
    """Counts in one grouped query; the entries too when `entries` is True, or when the list
    has at most `entries` organizations (an int)."""
    review = approval(statement)
    latest = latest_substantive_number(statement.id, _text_number(statement, review))
    joined, rule = _rule(statement.id, latest)
    # Grouped outside a subquery: PostgreSQL sees the CASE's bound labels in SELECT and GROUP BY
    # as two different expressions.
    standings = joined(select(rule.standing().label("standing")).select_from(Signature)).subquery()
    tally: dict[str, int] = dict(
        db.session.execute(
            select(standings.c.standing, func.count()).group_by(standings.c.standing)
        ).all()
    )
    listed = review.signatory_count if review is not None else tally.get(Standing.LISTED, 0)
    counts = Counts(
        listed=listed,
        earlier=tally.get(Standing.EARLIER_TEXT, 0),
        pending=tally.get(Standing.PENDING, 0),
        unnamed=tally.get(Standing.UNNAMED, 0),
    )
    result = Summary(statement, review, latest, counts)
    if entries is True or (entries is not False and listed <= entries):
        result.entries = _entries(statement, review, latest)
    return result


def kept_summary(statement: Statement, *, entries: int) -> Summary:
    """summary(statement, entries=entries), its counts and short list kept by the data's
    version (core/versions.py): the statement page reads them in one query, not in two over
    1,500 signatures."""

    def computed() -> str:
        found = summary(statement, entries=entries)
        listed = None if found.entries is None else [asdict(e) for e in found.entries]
        return json.dumps([found.latest, asdict(found.counts), listed])

    latest, counts, listed = json.loads(
        remember(
            "statement-summary",
            lambda: (statement.id, statement.state, statement.signatory_order, *data_version()),
            computed,
        )
    )
    rows = None if listed is None else [Entry(**row) for row in listed]
    return Summary(statement, approval(statement), latest, Counts(**counts), rows)


def _entries(statement: Statement, review: Review | None, latest: int) -> list[Entry]:
    if review is not None:
        return published_entries(review)
    joined, rule = _rule(statement.id, latest)
    query = joined(
        select(
            Organization.name,
            Signature.country,
            Signature.organization_id,
            Signature.id,
            Signature.scope,
            Signature.region,
        )
        .select_from(Signature)
        .join(Organization, Organization.id == Signature.organization_id)
    )
    rows = db.session.execute(query.where(rule.listed)).all()
    listed = [
        Entry(name, country or "", org_id, sig_id, scope or "", region or "")
        for name, country, org_id, sig_id, scope, region in rows
    ]
    return order(listed, statement.signatory_order)


def organization_kinds(statement: Statement) -> dict[int, str]:
    """organization id → kind, for every organization that signed the statement (one query)."""
    rows = db.session.execute(
        select(Organization.id, Organization.kind)
        .join(Signature, Signature.organization_id == Organization.id)
        .where(Signature.statement_id == statement.id)
    ).all()
    return dict(rows)


@dataclass
class Breakdown:
    by_country: list[tuple[str, int]] = field(default_factory=list)
    by_region: list[tuple[str, int]] = field(default_factory=list)
    by_kind: list[tuple[str, int]] = field(default_factory=list)


def breakdown(entries: list[Entry], kinds: dict[int, str]) -> Breakdown:
    """Counts of the listed organizations by place (a country, a region or "International"),
    by region (national organizations under their country's region) and by kind."""
    places = [
        Place(e.scope or infer_scope(e.country, e.region), e.country or None, e.region or None)
        for e in entries
    ]
    countries = Counter(p.label for p in places)
    regions = Counter(p.group for p in places)
    kind_counts = Counter(
        kinds.get(e.organization_id, "") if e.organization_id is not None else "" for e in entries
    )

    def ordered(counter, label):
        return sorted(((label(k), n) for k, n in counter.items()), key=lambda p: (-p[1], p[0]))

    def kind_label(kind: str) -> str:
        try:
            return KIND_LABELS.get(OrganizationKind(kind), kind)
        except ValueError:
            return kind

    return Breakdown(
        by_country=ordered(countries, str),
        by_region=ordered(regions, str),
        by_kind=ordered(kind_counts, kind_label),
    )
