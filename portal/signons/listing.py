"""Who signed: the one rule for which signatures are listed, in which order, on which text.

Every page, export, count, e-mail and PDF asks this module; none derives the list on its own.

- A signature *backs* the revision it re-confirmed, else the one it signed.
- The *text* is the approved revision once the statement is approved, else the current one.
- A signature is **listed** when it is approved, its organization agreed to be named, and the
  revision it backs is not older than the latest substantive revision up to the text. Every other
  signature has a `Standing` that says why it is not: pending, earlier text, unnamed, rejected,
  merged, withdrawn.
- Before approval the list is computed from the signatures. At approval it is frozen with the text
  (`Review.signatories`), and afterwards only a coordinator's correction of the published list
  changes it (`ListCorrection`, see portal/exports/list_corrections.py): after approval the list
  is the frozen rows.
- The order is `order`'s: the lead's choice (alphabetical, networks first, by region).
"""

from __future__ import annotations

import enum
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, literal, select
from sqlalchemy.orm import aliased, joinedload

from ..extensions import db
from ..models import ListCorrection, Review, Revision, Signature, SignatureState, Statement
from ..models.signatures import LIVE_STATES
from ..models.statements import StatementState
from ..pdf import Signatory
from ..signatory_order import order_signatories


class Standing(enum.StrEnum):
    LISTED = "listed"
    PENDING = "pending"
    EARLIER_TEXT = "earlier_text"
    UNNAMED = "unnamed"
    LATE = "late"  # approved after the list was frozen (data from before corrections existed)
    REJECTED = "rejected"
    MERGED = "merged"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return str(STANDING_LABELS[self])

    @property
    def is_earlier_text(self) -> bool:
        return self is Standing.EARLIER_TEXT


STANDING_LABELS = {
    Standing.LISTED: "listed",
    Standing.PENDING: _l("not listed: not yet approved by the coordinators"),
    Standing.EARLIER_TEXT: _l("not listed: signed an earlier text and did not re-confirm"),
    Standing.UNNAMED: _l("not listed: asked not to be named"),
    Standing.LATE: _l("not listed: approved after the list was published"),
    Standing.REJECTED: _l("not listed: not accepted by the coordinators"),
    Standing.MERGED: _l("not listed: merged with another sign-on of the same organization"),
    Standing.WITHDRAWN: _l("not listed: withdrawn"),
}


@dataclass(frozen=True)
class Entry:
    """One organization on the list, as every output prints it: where it signed from is a scope
    (national with a country, regional with a region, or international)."""

    name: str
    country: str = ""
    organization_id: int | None = None
    signature_id: int | None = None
    scope: str = ""
    region: str = ""

    @cached_property  # a page prints it twice per name, for lists of 1,500
    def place(self) -> str:
        """The country, the region or "International", as printed next to the name."""
        return self.signatory().place

    def row(self) -> dict:
        return {
            "organization_id": self.organization_id,
            "name": self.name,
            "country": self.country,
            "scope": self.scope,
            "region": self.region,
            "signature_id": self.signature_id,
        }

    @classmethod
    def from_row(cls, row: dict) -> Entry:
        # Lists frozen before organizations had a scope hold a country only.
        return cls(
            row["name"],
            row.get("country") or "",
            row.get("organization_id"),
            row.get("signature_id"),
            row.get("scope") or "",
            row.get("region") or "",
        )

    @classmethod
    def from_signature(cls, signature: Signature) -> Entry:
        # The place the organization signed from (the signature's snapshot of it).
        return cls(
            signature.organization.name,
            signature.country or "",
            signature.organization_id,
            signature.id,
            signature.scope or "",
            signature.region or "",
        )

    def signatory(self) -> Signatory:
        return Signatory(self.name, self.country, scope=self.scope, region=self.region)


def fold(name: str) -> str:
    """Case, accents and spacing out: "Éire Aid" sorts with the E's."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(ascii_name.casefold().split())


def order(entries: list[Entry], choice: str | None = None) -> list[Entry]:
    """The signatory order of every output: the lead's choice (portal/signatory_order.py),
    alphabetical by folded name unless another is chosen."""
    return order_signatories(entries, choice)


# -- the rule --------------------------------------------------------------------------------------


def standing(signature: Signature, latest: int) -> Standing:
    """Why a signature is or is not on the list of a text whose latest substantive revision is
    number `latest` (computed from the signature alone: before approval, this is the list)."""
    state = signature.state
    if state == SignatureState.WITHDRAWN:
        return Standing.WITHDRAWN
    if state == SignatureState.REJECTED:
        return Standing.MERGED if signature.merged_into_id else Standing.REJECTED
    # Before pending: a pending sign-on of an earlier text must re-confirm, approved or not.
    if signature.backed_revision.number < latest:
        return Standing.EARLIER_TEXT
    if state == SignatureState.PENDING:
        return Standing.PENDING
    if not signature.publish:
        return Standing.UNNAMED
    return Standing.LISTED


class StandingSQL:
    """The same rule as `standing()`, in SQL, for counts and filters over many statements at once
    (the desk, the sign-on queue). Built by `with_standing`, which joins what the rule reads;
    tests/test_signons_rule_sql.py checks both forms agree on every combination."""

    def __init__(self, signature, backed, latest):
        self.signature, self.backed, self.latest = signature, backed, latest

    @property
    def earlier_text(self):
        return and_(self.signature.state.in_(LIVE_STATES), self.backed < self.latest)

    @property
    def pending(self):
        return and_(self.signature.state == SignatureState.PENDING, self.backed >= self.latest)

    @property
    def listed(self):
        return and_(
            self.signature.state == SignatureState.APPROVED,
            self.signature.publish.is_(True),
            self.backed >= self.latest,
        )

    def standing(self):
        """The standing as a SQL expression (its string value), decided in `standing()`'s order."""
        sig = self.signature
        rejected = sig.state == SignatureState.REJECTED
        return case(
            (sig.state == SignatureState.WITHDRAWN, literal(Standing.WITHDRAWN.value)),
            (and_(rejected, sig.merged_into_id.is_not(None)), literal(Standing.MERGED.value)),
            (rejected, literal(Standing.REJECTED.value)),
            (self.backed < self.latest, literal(Standing.EARLIER_TEXT.value)),
            (sig.state == SignatureState.PENDING, literal(Standing.PENDING.value)),
            (sig.publish.is_(False), literal(Standing.UNNAMED.value)),
            else_=literal(Standing.LISTED.value),
        )


def latest_substantive():
    """statement_id → number of its latest substantive revision, as a subquery."""
    return (
        select(
            Revision.statement_id.label("statement_id"),
            func.max(Revision.number).label("number"),
        )
        .where(Revision.substantive.is_(True))
        .group_by(Revision.statement_id)
        .subquery()
    )


def with_standing(query, signature=Signature, latest=None):
    """`query` (over `signature`, Signature or an alias) joined to the revisions the rule reads,
    and the rule over them. `latest` is a `latest_substantive()` subquery to share, if any."""
    latest = latest if latest is not None else latest_substantive()
    signed, reconfirmed = aliased(Revision), aliased(Revision)
    query = (
        query.join(signed, signed.id == signature.revision_id)
        .outerjoin(reconfirmed, reconfirmed.id == signature.reconfirmed_revision_id)
        .outerjoin(latest, latest.c.statement_id == signature.statement_id)
    )
    rule = StandingSQL(
        signature,
        func.coalesce(reconfirmed.number, signed.number),
        func.coalesce(latest.c.number, 0),
    )
    return query, rule


def latest_substantive_number(statement_id: int, up_to: int | None = None) -> int:
    """The number of the statement's last substantive revision (at or before `up_to`)."""
    query = select(func.max(Revision.number)).where(
        Revision.statement_id == statement_id, Revision.substantive.is_(True)
    )
    if up_to is not None:
        query = query.where(Revision.number <= up_to)
    return db.session.scalar(query) or 0


def approval(statement: Statement) -> Review | None:
    """The approving review of an approved statement (the text and its frozen list)."""
    if statement.state != StatementState.APPROVED:
        return None
    return db.session.scalar(
        select(Review)
        .where(Review.statement_id == statement.id, Review.decision == "approve")
        .order_by(Review.id.desc())
        .limit(1)
    )


def latest_correction(review: Review) -> ListCorrection | None:
    return db.session.scalar(
        select(ListCorrection)
        .where(ListCorrection.review_id == review.id)
        .order_by(ListCorrection.version.desc())
        .limit(1)
    )


def published_rows(review: Review) -> list[dict]:
    """The published list of an approval: its latest correction's, else the one frozen at
    approval."""
    correction = latest_correction(review)
    return list(correction.signatories if correction is not None else review.signatories or [])


def list_version(review: Review) -> int:
    correction = latest_correction(review)
    return correction.version if correction is not None else 1


def published_entries(review: Review) -> list[Entry]:
    return [Entry.from_row(row) for row in published_rows(review)]


@dataclass
class Counts:
    listed: int = 0
    earlier: int = 0
    pending: int = 0
    unnamed: int = 0


@dataclass
class Listing:
    """A statement's signatures on its text: the list, and every other signature's standing."""

    statement: Statement
    latest: int
    signatures: list[Signature]
    entries: list[Entry]
    standings: dict[int, Standing] = field(default_factory=dict)
    review: Review | None = None

    def standing_of(self, signature: Signature) -> Standing:
        return self.standings[signature.id]

    def having(self, *standings: Standing) -> list[Signature]:
        """Signatures with one of these standings, alphabetical."""
        found = [s for s in self.signatures if self.standings[s.id] in standings]
        return sorted(found, key=lambda s: (fold(s.organization.name), s.id))

    @property
    def listed_signatures(self) -> list[Signature]:
        """The listed signatures in list order (those whose records still exist)."""
        by_id = {s.id: s for s in self.signatures}
        return [by_id[e.signature_id] for e in self.entries if e.signature_id in by_id]

    @property
    def counts(self) -> Counts:
        tally = Counter(self.standings.values())
        return Counts(
            listed=len(self.entries),
            earlier=tally[Standing.EARLIER_TEXT],
            pending=tally[Standing.PENDING],
            unnamed=tally[Standing.UNNAMED],
        )


def _signatures(statement: Statement) -> list[Signature]:
    return list(
        db.session.scalars(
            select(Signature)
            .where(Signature.statement_id == statement.id)
            .options(
                joinedload(Signature.organization),
                joinedload(Signature.signer),
                joinedload(Signature.revision),
                joinedload(Signature.reconfirmed_revision),
            )
            .order_by(Signature.id)
        )
    )


def listing(statement: Statement, review: Review | None = None) -> Listing:
    """The statement's list on its text, with every signature's standing (three queries)."""
    review = review or approval(statement)
    text = review.revision if review is not None else statement.current_revision
    latest = latest_substantive_number(statement.id, text.number if text else None)
    signatures = _signatures(statement)
    standings = {s.id: standing(s, latest) for s in signatures}
    if review is None:
        listed = [s for s in signatures if standings[s.id] == Standing.LISTED]
        entries = order([Entry.from_signature(s) for s in listed], statement.signatory_order)
    else:
        entries = published_entries(review)
        frozen = {e.signature_id for e in entries}
        for signature in signatures:
            if signature.id in frozen:
                standings[signature.id] = Standing.LISTED
            elif standings[signature.id] == Standing.LISTED:
                standings[signature.id] = Standing.LATE
    return Listing(statement, latest, signatures, entries, standings, review)


def signatory_list(statement: Statement, review: Review | None = None) -> list[Entry]:
    """The list every output prints: the published one once approved, else the live one."""
    review = review or approval(statement)
    if review is not None:
        return published_entries(review)
    return listing(statement).entries


def freeze(statement: Statement) -> tuple[list[dict], int]:
    """The list to freeze at approval (called before the state changes, so it is the live one),
    and how many approved signatures it leaves out (for the coordinator's pages, never printed)."""
    current = listing(statement)
    approved = [s for s in current.signatures if s.state == SignatureState.APPROVED]
    left_out = sum(1 for s in approved if current.standing_of(s) != Standing.LISTED)
    return [e.row() for e in current.entries], left_out


def signer_contacts(statement: Statement) -> list[str]:
    """Addresses of the people behind the statement's live signatures, each once."""
    emails: list[str] = []
    for signature in _signatures(statement):
        email = signature.notify_email
        if signature.is_live and email and email not in emails:
            emails.append(email)
    return emails
