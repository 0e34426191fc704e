"""Signatory lists as files: every field for drafters and coordinators (CSV and XLSX), and the
public CSV with the published fields only (name and place of each listed organization: the
country, the region or "International", as the render CLI reads it back). Which signatures are
listed, and in which order, is listing.py's; every file goes through the one CSV writer."""

import io

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from ..core.csvfiles import neutralize, write_csv
from .listing import Listing, fold

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
]
PUBLIC_COLUMNS = ["organization", "country"]


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
            ]
        )
    return rows


def public_rows(signed: Listing) -> list[list]:
    """The list as published: name and place of each listed organization, in its order."""
    return [[entry.name, entry.place] for entry in signed.entries]


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
