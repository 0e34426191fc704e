"""Signatory lists as files: every field for drafters and coordinators (CSV and XLSX), and the
public CSV with the published fields only (name and place of approved, published sign-ons:
the country, the region or "International", as the render CLI reads it back)."""

import io

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..core.csvfiles import neutralize, write_csv
from ..extensions import db
from ..models import Signature, Statement
from .operations import latest_substantive_number
from .ordering import order_signatories, signature_item
from .queries import approved_signatories

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


def full_rows(statement: Statement) -> list[list]:
    latest = latest_substantive_number(statement.id)
    signatures = db.session.scalars(
        select(Signature)
        .where(Signature.statement_id == statement.id)
        .options(
            joinedload(Signature.organization),
            joinedload(Signature.signer),
            joinedload(Signature.revision),
            joinedload(Signature.reconfirmed_revision),
        )
    ).all()
    signatures = order_signatories(
        sorted(signatures, key=lambda s: (s.name_key, s.id)),
        statement.signatory_order,
        key=signature_item,
    )
    rows = []
    for s in signatures:
        org = s.organization
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
                s.state,
                s.source,
                _iso(s.created_at),
                s.revision.number,
                s.text_hash,
                "yes" if s.is_live and s.is_earlier_text(latest) else "no",
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


def public_rows(statement: Statement) -> list[list]:
    return [
        [s.organization.name, s.organization.place_label]
        for s in approved_signatories(statement, published_only=True)
    ]


def to_csv(columns: list[str], rows: list[list]) -> str:
    return write_csv(columns, rows)


def to_xlsx(columns: list[str], rows: list[list], title: str = "Signatories") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
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
