"""A coordinator imports a signatories CSV (a form export, a spreadsheet of e-mailed sign-ons).

Two steps: `preview` parses the file and reports, row by row, its errors and the sign-ons it
duplicates, writing nothing; `commit_import` writes the rows without errors. Both read the same
text, so the coordinator confirms exactly what was previewed.

Columns (header names are case-insensitive; "name" may stand for "organization"):
organization, country, kind, website, contact_name, email. The country cell holds an ISO code or
English name (a national organization), a region name (a regional one), or nothing /
"International" (an international one). Each cell is checked by the same function as the forms
(organizations/validation.py). An organization already registered under the same folded name and
place is reused; otherwise an unverified organization is created. Imported sign-ons are approved:
the coordinator vetted them.
"""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit
from ..core.csvfiles import CSVError, read_csv
from ..core.i18n import format_number
from ..errors import OperationError
from ..extensions import db
from ..models import (
    Organization,
    OrganizationKind,
    Signature,
    SignatureSource,
    Statement,
    User,
    VerificationStatus,
    utcnow,
)
from ..models.organizations import KIND_LABELS
from ..models.signatures import LIVE_STATES
from ..organizations.slugs import unique_slug
from ..organizations.validation import (
    clean_email,
    clean_name,
    clean_place,
    clean_website,
    place_fields,
)
from ..places import Place
from . import transitions
from .duplicates import fold_name, website_domain
from .operations import insert_signature, new_signature, require_signing_open

MAX_ROWS = 5000
ALIASES = {
    "organization": "organization",
    "organisation": "organization",
    "name": "organization",
    "organization name": "organization",
    "country": "country",
    "kind": "kind",
    "type": "kind",
    "website": "website",
    "web": "website",
    "contact_name": "contact_name",
    "contact name": "contact_name",
    "contact": "contact_name",
    "email": "email",
    "e-mail": "email",
}


@dataclass
class Row:
    line: int
    organization: str = ""
    country: str = ""  # the cell as written
    place: Place | None = None
    kind: str = OrganizationKind.OTHER.value
    website: str | None = None
    contact_name: str | None = None
    email: str | None = None
    errors: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    existing: Organization | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Preview:
    rows: list[Row]

    @property
    def valid(self) -> list[Row]:
        return [r for r in self.rows if r.ok]

    @property
    def error_count(self) -> int:
        return sum(1 for r in self.rows if not r.ok)


def _kind(value: str) -> str | None:
    value = (value or "").strip()
    if not value:
        return OrganizationKind.OTHER.value
    for kind, label in KIND_LABELS.items():
        if value.casefold() in (kind.value, label.casefold()):
            return kind.value
    return None


def parse(text: str) -> list[Row]:
    try:
        return _parse(read_csv(text))
    except CSVError as error:
        raise OperationError(
            _("Line %(line)s: %(message)s", line=error.line, message=error.message), "file"
        ) from None


def _parse(records) -> list[Row]:
    try:
        _line, header = next(records)
    except StopIteration:
        raise OperationError(_("The file is empty."), "file") from None
    columns = [ALIASES.get(h.strip().casefold()) for h in header]
    if "organization" not in columns or "country" not in columns:
        raise OperationError(
            _("The first line must name the columns, with at least organization and country."),
            "file",
        )
    rows: list[Row] = []
    for line, values in records:
        if not any(v.strip() for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            raise OperationError(
                _("Import at most %(max)s rows at a time.", max=format_number(MAX_ROWS)), "file"
            )
        raw = {c: v.strip() for c, v in zip(columns, values, strict=False) if c}
        rows.append(_row(line, raw))
    if not rows:
        raise OperationError(_("The file has no rows below its header."), "file")
    return rows


def _check(row: Row, clean, value):
    """The shared check's answer, or its message added to the row's errors."""
    try:
        return clean(value)
    except OperationError as error:
        row.errors.append(error.message)
        return None


def _row(line: int, raw: dict) -> Row:
    row = Row(line=line)
    row.organization = " ".join(raw.get("organization", "").split())
    if not row.organization:
        row.errors.append(_("The organization name is empty."))
    else:
        _check(row, clean_name, row.organization)
    row.country = raw.get("country", "")
    # An empty country is an international organization, not a missing value.
    row.place = _check(row, lambda v: clean_place(v, empty_is_international=True), row.country)
    kind = _kind(raw.get("kind", ""))
    if kind is None:
        row.errors.append(_("Unknown kind of organization: %(kind)s.", kind=raw.get("kind")))
    row.kind = kind or OrganizationKind.OTHER.value
    row.website = _check(row, clean_website, raw.get("website"))
    row.contact_name = (raw.get("contact_name") or "")[:120] or None
    if raw.get("email"):
        row.email = _check(row, clean_email, raw.get("email"))
    return row


def preview(statement: Statement, text: str) -> Preview:
    """Every row with its errors and duplicates (in the file, among the statement's live
    sign-ons); reads only."""
    rows = parse(text)
    live = db.session.execute(
        select(Signature, Organization.name)
        .join(Organization, Organization.id == Signature.organization_id)
        .where(Signature.statement_id == statement.id, Signature.state.in_(LIVE_STATES))
    ).all()
    by_key = {(s.name_key, s.place): n for s, n in live}
    by_domain = {s.domain: n for s, n in live if s.domain}
    organizations = db.session.execute(
        select(Organization).where(Organization.status != VerificationStatus.REJECTED)
    ).scalars()
    known = {(fold_name(o.name), o.place): o for o in organizations}
    seen: dict[tuple, int] = {}
    for row in rows:
        if not row.ok or row.place is None:  # (a row without a place has that error)
            continue
        key, domain = (fold_name(row.organization), row.place), website_domain(row.website)
        if key in by_key:
            row.errors.append(_("Already signed: %(name)s.", name=by_key[key]))
        elif domain and domain in by_domain:
            row.duplicates.append(
                _("Same website as %(name)s, who already signed.", name=by_domain[domain])
            )
        if key in seen:
            row.errors.append(_("Repeats line %(line)s of the file.", line=seen[key]))
        seen.setdefault(key, row.line)
        row.existing = known.get(key)
    return Preview(rows)


def commit_import(user: User, statement: Statement, text: str) -> int:
    """Write the previewed rows without errors as approved sign-ons. Returns how many."""
    if not (user and user.is_coordinator):
        raise OperationError(_("Only coordinators import sign-ons."))
    require_signing_open(statement)
    result = preview(statement, text)
    revision = statement.current_revision
    now = utcnow()
    written = 0
    for row in result.valid:
        organization = row.existing
        if organization is None:
            assert row.place is not None  # a valid row's place was understood
            organization = Organization(
                slug=unique_slug(Organization, row.organization),
                name=row.organization,
                **place_fields(row.place),
                kind=row.kind,
                website=row.website,
                status=VerificationStatus.PENDING,
            )
            db.session.add(organization)
            db.session.flush()
        signature = insert_signature(
            new_signature(
                statement,
                organization,
                revision,
                source=SignatureSource.IMPORT,
                contact_name=row.contact_name,
                contact_email=row.email,
            )
        )
        audit.record(
            "signature.import",
            signature,
            organization=organization,
            actor=user,
            statement=statement.id,
            line=row.line,
        )
        # The coordinator vetted the file: the import approves, through the same transition.
        transitions.apply(signature, "approve", user, now=now, via="import")
        written += 1
    if not written:
        raise OperationError(_("No row can be imported: correct the errors shown and try again."))
    db.session.flush()
    return written
