"""Signatory lists as files: every field for drafters and coordinators (CSV and XLSX), and the
public CSV with the published fields only (name and place of each listed organization). Which
signatures are listed, and in which order, is listing.py's."""

import csv
import io

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from ..models.organizations import country_name
from .listing import Listing, fold
from .queries import region_of

FULL_COLUMNS = [
    "organization",
    "acronym",
    "country",
    "country_name",
    "region",
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
        rows.append(
            [
                org.name,
                org.acronym or "",
                org.country,
                country_name(org.country),
                region_of(org.country),
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


def _csv_safe(value):
    # A cell starting with = + - @ is a formula to spreadsheet programs: quote it as text.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def to_csv(columns: list[str], rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_safe(v) for v in row])
    return buffer.getvalue()


def to_xlsx(columns: list[str], rows: list[list], title: str = "Signatories") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(columns)
    for row in rows:
        sheet.append([_csv_safe(v) for v in row])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        width = max([len(column)] + [len(str(r[index - 1])) for r in rows[:500]])
        sheet.column_dimensions[get_column_letter(index)].width = min(60, width + 2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
