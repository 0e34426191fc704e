"""The official PDF and the exports under the venue's rules (issue 14, item 4), read back: the
breakdown "signed by N organizations from M countries, K in ECOSOC status" in the PDF and the
round ZIP's breakdown.csv, the PDF's key following a verification after approval; the PDF's
list in the venue's grouping (HRC's footnote to the title, UNFCCC's "also on behalf of"); the
WTO title in English, French and Spanish."""

import csv
import io
import zipfile

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from portal.exports.artifacts import file_path
from portal.exports.formats import round_zip
from portal.exports.official import official_key, official_pdf
from portal.extensions import db
from portal.models import Organization, StatementState, utcnow
from portal.models.accreditation import (
    Accreditation,
    AccreditationKind,
    AccreditationState,
    EcosocStatus,
)
from portal.rounds.requirements import set_requirements
from portal.signons.listing import approval
from portal.statements import translation_operations as translations
from portal.statements import workflow
from portal.venues.profiles import HRC, UNFCCC, WTO
from portal.venues.statement_checks import RequirementsNotMet


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


def hrc_round(crew):
    crew["lead"].ecosoc_status = EcosocStatus.GENERAL
    crew["lead"].ecosoc_verified_at = utcnow()
    set_requirements(crew["coordinator"], crew["round"], HRC)
    db.session.commit()


def test_hrc_pdf_names_co_signers_without_status_in_a_footnote_to_the_title(make_approved, crew):
    hrc_round(crew)
    statement = make_approved(
        signers=[("Zulu Local Group", "KE"), ("Status Holder", "CH"), ("Alpha Local Group", "FR")]
    )
    in_status("Status Holder")
    reader = PdfReader(str(file_path(official_pdf(statement))))
    first = " ".join((reader.pages[0].extract_text() or "").split())
    note = (
        "Also endorsed by the following organizations, without consultative status: "
        "Alpha Local Group (France), Zulu Local Group (Kenya)."
    )
    assert note in first  # at the foot of the title's page
    text = pdf_text(official_pdf(statement))
    assert "Signed by 1 organization Signed by 3 organizations from 3 countries, 1 in" in text
    listed = text.split("Signed by 1 organization", 1)[1].split("Also endorsed")[0]
    assert "Status Holder (Switzerland)" in listed and "Zulu Local Group (Kenya)" not in listed


def test_unfccc_pdf_lists_admitted_observers_then_also_on_behalf(make_approved, crew):
    set_requirements(crew["coordinator"], crew["round"], UNFCCC)
    db.session.commit()
    crew["lead"].accreditations.append(admitted(crew["round"]))
    statement = make_approved(
        signers=[("Zeta Observers", "KE"), ("Beta Group", "FR"), ("Alpha Group", "BR")]
    )
    observer = db.session.scalars(select(Organization).filter_by(name="Zeta Observers")).one()
    observer.accreditations.append(admitted(crew["round"]))
    db.session.commit()
    text = pdf_text(official_pdf(statement))
    listed, others = text.split("Also on behalf of", 1)
    assert "Zeta Observers (Kenya)" in listed and "Beta Group" not in listed
    assert "Alpha Group (Brazil); Beta Group (France)" in others


def admitted(round_):
    return Accreditation(
        process_id=round_.process_id,
        kind=AccreditationKind.ADMITTED_OBSERVER,
        state=AccreditationState.VERIFIED,
        verified_at=utcnow(),
    )


def test_wto_submission_needs_the_title_in_three_languages_and_the_pdf_prints_them(
    crew, make_statement
):
    set_requirements(crew["coordinator"], crew["round"], WTO)
    db.session.commit()
    statement = make_statement(StatementState.SIGNING)
    translations.create_translation(
        crew["drafter"], statement, language="fr", title="Déclaration commune", body="Texte."
    )
    db.session.commit()
    with pytest.raises(RequirementsNotMet) as refused:
        workflow.apply(statement, "submit", crew["drafter"])
    assert "The title must also be given in Spanish" in str(refused.value)
    db.session.rollback()
    translations.create_translation(
        crew["drafter"], statement, language="es", title="Declaración conjunta", body="Texto."
    )
    workflow.apply(statement, "submit", crew["drafter"])
    workflow.apply(statement, "approve", crew["coordinator"])
    db.session.commit()
    first = PdfReader(str(file_path(official_pdf(statement)))).pages[0].extract_text()
    lines = [line.strip() for line in first.splitlines()]
    title = lines.index("Joint statement")
    assert lines[title + 1 : title + 3] == ["Déclaration commune", "Declaración conjunta"]
