"""The official PDF and the exports under the venue's rules (issue 14, item 4), read back: the
breakdown "signed by N organizations from M countries, K in ECOSOC status" in the PDF and the
round ZIP's breakdown.csv, and the PDF's key following a verification after approval."""

import csv
import io
import zipfile

from pypdf import PdfReader
from sqlalchemy import select

from portal.exports.artifacts import file_path
from portal.exports.formats import round_zip
from portal.exports.official import official_key, official_pdf
from portal.extensions import db
from portal.models import Organization, utcnow
from portal.models.accreditation import EcosocStatus
from portal.signons.listing import approval


def pdf_text(artifact) -> str:
    reader = PdfReader(str(file_path(artifact)))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def in_status(name, status=EcosocStatus.SPECIAL):
    organization = db.session.scalars(select(Organization).filter_by(name=name)).one()
    organization.ecosoc_status = status
    organization.ecosoc_verified_at = utcnow()
    db.session.commit()


def test_the_official_pdf_prints_the_breakdown_and_its_key_follows_verification(
    make_approved,
):
    statement = make_approved(
        signers=[("Kenyan Group", "KE"), ("Nairobi Network", "KE"), ("French Group", "FR")]
    )
    text = pdf_text(official_pdf(statement))
    assert "Signed by 3 organizations from 2 countries, 0 in ECOSOC status." in text

    review = approval(statement)
    before = official_key(statement, review)
    in_status("French Group")
    assert official_key(statement, review) != before
    assert "Signed by 3 organizations from 2 countries, 1 in ECOSOC status." in pdf_text(
        official_pdf(statement)
    )


def test_the_round_zip_has_a_breakdown_per_statement(make_approved, crew):
    statement = make_approved(signers=[("Kenyan Group", "KE"), ("French Group", "FR")])
    in_status("Kenyan Group")
    with zipfile.ZipFile(file_path(round_zip(crew["round"]))) as archive:
        rows = list(csv.DictReader(io.StringIO(archive.read("breakdown.csv").decode())))
    assert rows == [
        {
            "statement_id": str(statement.id),
            "title": "Joint statement",
            "lead": statement.lead_organization.name,
            "organizations": "2",
            "countries": "2",
            "in_ecosoc_status": "1",
        }
    ]
