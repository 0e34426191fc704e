"""Signatory lists as files: every field for drafters and coordinators (CSV and XLSX), and the
public CSV with the published fields only (name and place of each listed organization: the
country, the region or "International", as the render CLI reads it back). Which signatures are
listed, and in which order, is listing.py's; every file goes through the one CSV writer.

Each organization's accreditation (docs/accreditation.md) comes last, in the statement's process:
new columns go at the end so that readers of older files keep their column numbers. The full
files say what was declared and whether it is verified; the public one only what is verified."""

import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from sqlalchemy import select

from ..core.csvfiles import neutralize, write_csv
from ..extensions import db
from ..models import Accreditation, Constituency, Organization, OrganizationConstituency
from .listing import Entry, Listing, fold

FULL_COLUMNS = [
    "organization",
    "acronym",
    "scope",
    "country",
    "country_name",
    "region",
    "place",
    "kind",
    "website",
    "verified",
    "listed",
    "standing",
    "state",
    "source",
    "signed_at",
    "revision",
    "text_hash",
    "earlier_text",
    "reconfirmed_revision",
    "signer",
    "contact_name",
    "contact_email",
    "publish",
    "rejection_reason",
    "withdrawn_at",
    "un_name",
    "ecosoc_status",
    "ecosoc_verified",
    "constituency",
    "accreditations",
]
PUBLIC_COLUMNS = [
    "organization",
    "country",
    "un_name",
    "ecosoc_status",
    "constituency",
    "accreditations",
]


@dataclass
class _InProcess:
    """An organization's constituency and accreditations in the statement's process."""

    constituency: str = ""
    accreditations: tuple[Accreditation, ...] = ()


def _in_process(process_id: int, org_ids) -> dict[int, _InProcess]:
    """Two queries for the whole list, whatever its length."""
    found: dict[int, _InProcess] = {org_id: _InProcess() for org_id in org_ids}
    chosen = db.session.execute(
        select(OrganizationConstituency.organization_id, Constituency.name)
        .join(Constituency, Constituency.id == OrganizationConstituency.constituency_id)
        .where(
            Constituency.process_id == process_id,
            OrganizationConstituency.organization_id.in_(found),
        )
    )
    for org_id, name in chosen:
        found[org_id].constituency = name
    held = db.session.scalars(
        select(Accreditation)
        .where(Accreditation.process_id == process_id, Accreditation.organization_id.in_(found))
        .order_by(Accreditation.kind)
    )
    for accreditation in held:
        entry = found[accreditation.organization_id]
        entry.accreditations = (*entry.accreditations, accreditation)
    return found


def _declared(org: Organization, there: _InProcess) -> list:
    return [
        org.un_name or "",
        org.ecosoc_status,
        "yes" if org.in_ecosoc_status else "no",
        there.constituency,
        "; ".join(f"{a.kind}:{a.state}" for a in there.accreditations),
    ]


def _verified(org: Organization | None, there: _InProcess | None) -> list:
    if org is None or there is None:  # a list frozen without the organization's id
        return ["", "", "", ""]
    verified = org.in_ecosoc_status
    return [
        (org.un_name or "") if verified else "",
        org.ecosoc_status if verified else "",
        there.constituency,
        "; ".join(a.kind for a in there.accreditations if a.verified),
    ]


def _iso(value) -> str:
    return value.isoformat(timespec="seconds") if value else ""


def full_rows(signed: Listing) -> list[list]:
    """Every sign-on: the listed ones first, in the list's order, then the others by name."""
    listed = signed.listed_signatures
    ids = {s.id for s in listed}
    others = sorted(
        (s for s in signed.signatures if s.id not in ids),
        key=lambda s: (fold(s.organization.name), s.id),
    )
    accreditation = _in_process(
        signed.statement.round.process_id, {s.organization_id for s in signed.signatures}
    )
    rows = []
    for s in [*listed, *others]:
        org = s.organization
        standing = signed.standing_of(s)
        place = org.place
        rows.append(
            [
                org.name,
                org.acronym or "",
                place.scope,
                place.country or "",
                org.country_name,
                place.group if place.scope != "international" else "",
                place.label,
                org.kind,
                org.website or "",
                "yes" if org.verified else "no",
                "yes" if s.id in ids else "no",
                standing.value,
                s.state,
                s.source,
                _iso(s.created_at),
                s.revision.number,
                s.text_hash,
                "yes" if standing == "earlier_text" else "no",
                s.reconfirmed_revision.number if s.reconfirmed_revision else "",
                s.signer.name if s.signer else "",
                s.contact_name or "",
                s.contact_email or "",
                "yes" if s.publish else "no",
                s.rejection_reason or "",
                _iso(s.withdrawn_at),
                *_declared(org, accreditation[org.id]),
            ]
        )
    return rows


def public_rows(signed: Listing) -> list[list]:
    """The list as published: name and place of each listed organization, in its order, then
    its verified accreditation."""
    accreditation = verified_accreditation(signed.statement, signed.entries)
    return [
        [entry.name, entry.place, *cells]
        for entry, cells in zip(signed.entries, accreditation, strict=True)
    ]


PUBLISHED_ACCREDITATION_COLUMNS = PUBLIC_COLUMNS[2:]


def verified_accreditation(statement, entries: list[Entry]) -> list[list]:
    """The PUBLISHED_ACCREDITATION_COLUMNS of each entry of a published list, in its order."""
    ids = {entry.organization_id for entry in entries if entry.organization_id}
    organizations = {
        org.id: org
        for org in db.session.scalars(select(Organization).where(Organization.id.in_(ids)))
    }
    accreditation = _in_process(statement.round.process_id, ids)
    return [
        _verified(
            organizations.get(entry.organization_id or 0),
            accreditation.get(entry.organization_id or 0),
        )
        for entry in entries
    ]


def to_csv(columns: list[str], rows: list[list]) -> str:
    return write_csv(columns, rows)


def to_xlsx(columns: list[str], rows: list[list], title: str = "Signatories") -> bytes:
    workbook = Workbook()
    sheet = workbook.worksheets[0]  # a new workbook has its one sheet
    sheet.title = title[:31]
    sheet.append(columns)
    for row in rows:
        sheet.append([neutralize(v) for v in row])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        width = max([len(column)] + [len(str(r[index - 1])) for r in rows[:500]])
        sheet.column_dimensions[get_column_letter(index)].width = min(60, width + 2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
