"""Accreditation wherever signatories are shown or exported: the sign-on queue, the full CSV and
XLSX (declared and whether verified), the public CSV and the round's signatories.csv (verified
only) — new columns after the old ones, whose order stays."""

import csv
import io

import pytest
from openpyxl import load_workbook

from portal.exports.formats import CSV_COLUMNS, signatories_csv
from portal.extensions import db
from portal.models import MemberRole
from portal.organizations import accreditation as acc
from portal.signons import decisions, operations
from portal.signons.list_files import FULL_COLUMNS, PUBLIC_COLUMNS
from portal.signons.listing import approval
from portal.statements import workflow
from tests.openapi_check import check

NEW_FULL = ["un_name", "ecosoc_status", "ecosoc_verified", "constituency", "accreditations"]
NEW_PUBLISHED = ["un_name", "ecosoc_status", "constituency", "accreditations"]
UN_NAME = "Réseau Migrants et Droits (RMD)"


@pytest.fixture
def signed(cast, statement_in, make_user):
    """Two signatures: one organization verified in special status with a constituency and an
    admitted-observer accreditation, the other declaring general status, not verified yet."""
    statement = statement_in()
    process = statement.round.process
    coordinator = cast["coordinator"]
    workers = acc.add_constituency(coordinator, process, "Workers")
    for user, org in (
        (cast["signatory"], cast["signer_org"]),
        (cast["other_signatory"], cast["other_org"]),
    ):
        signature = operations.sign(user, statement, org, statement.current_revision_id)
        decisions.approve(coordinator, signature)
    signer_admin = make_user(org=cast["signer_org"], role=MemberRole.ADMIN)
    acc.declare_accreditation(
        signer_admin,
        cast["signer_org"],
        ecosoc_status="special",
        un_name=UN_NAME,
        constituencies={process.id: workers.id},
        accreditations={process.id: ["admitted_observer"]},
    )
    acc.verify_declaration(coordinator, cast["signer_org"])
    acc.verify_declaration(coordinator, cast["signer_org"].accreditations[0])
    acc.declare_accreditation(cast["other_signatory"], cast["other_org"], ecosoc_status="general")
    db.session.commit()
    return statement


def _by_organization(rows, name_column="organization"):
    return {row[name_column]: row for row in rows}


def test_new_columns_come_last_and_the_old_order_stays():
    assert FULL_COLUMNS[-len(NEW_FULL) :] == NEW_FULL
    assert FULL_COLUMNS.index("withdrawn_at") == len(FULL_COLUMNS) - len(NEW_FULL) - 1
    assert ["organization", "country", *NEW_PUBLISHED] == PUBLIC_COLUMNS
    assert list(CSV_COLUMNS[-len(NEW_PUBLISHED) :]) == NEW_PUBLISHED
    assert CSV_COLUMNS.index("place") == len(CSV_COLUMNS) - len(NEW_PUBLISHED) - 1


def test_full_csv_and_xlsx_say_what_is_declared_and_what_is_verified(as_, signed):
    drafter = as_("drafter")
    body = drafter.get(f"/statements/{signed.id}/signatures.csv").get_data(as_text=True)
    rows = _by_organization(csv.DictReader(io.StringIO(body)))
    verified, unverified = rows["Réseau Migrants & Droits"], rows["Other Union"]
    assert [verified[c] for c in NEW_FULL] == [
        UN_NAME,
        "special",
        "yes",
        "Workers",
        "admitted_observer:verified",
    ]
    assert [unverified[c] for c in NEW_FULL] == ["", "general", "no", "", ""]

    xlsx = drafter.get(f"/statements/{signed.id}/signatures.xlsx").get_data()
    sheet = load_workbook(io.BytesIO(xlsx)).active
    header = [c.value for c in sheet[1]]
    assert header == FULL_COLUMNS
    cells = {row[0]: row for row in sheet.iter_rows(2, values_only=True)}
    assert cells["Réseau Migrants & Droits"][-5:] == (
        UN_NAME,
        "special",
        "yes",
        "Workers",
        "admitted_observer:verified",
    )


def test_published_files_show_only_what_a_coordinator_verified(app, as_, cast, signed):
    body = as_("anonymous").get(f"/s/{signed.public_token}/signatories.csv").get_data(as_text=True)
    rows = _by_organization(csv.DictReader(io.StringIO(body)))
    assert [rows["Réseau Migrants & Droits"][c] for c in NEW_PUBLISHED] == [
        UN_NAME,
        "special",
        "Workers",
        "admitted_observer",
    ]
    # Declared but not verified: not published as a status.
    assert [rows["Other Union"][c] for c in NEW_PUBLISHED] == ["", "", "", ""]

    with app.test_request_context():
        workflow.apply(signed, "submit", cast["drafter"])
        workflow.apply(signed, "approve", cast["coordinator"], message="Fine.")
    db.session.commit()
    zipped = csv.DictReader(io.StringIO(signatories_csv([(signed, approval(signed))])))
    row = _by_organization(zipped)["Réseau Migrants & Droits"]
    assert row["ecosoc_status"] == "special" and row["constituency"] == "Workers"

    response = as_("anonymous").get(f"/api/v1/statements/{signed.id}")
    check(response)
    listed = {s["name"]: s["accreditation"] for s in response.get_json()["signatories"]}
    assert listed["Réseau Migrants & Droits"] == {
        "un_name": UN_NAME,
        "ecosoc_status": "special",
        "constituency": "Workers",
        "accreditations": "admitted_observer",
    }
    assert set(listed["Other Union"].values()) == {None}


def test_the_queue_shows_each_organizations_accreditation(as_, cast, signed):
    url = f"/rounds/{cast['round'].slug}/signons?state="
    page = as_("coordinator").get(url).get_data(as_text=True)
    assert "Special consultative status" in page and "Workers" in page
    assert "Admitted observer" in page and f"UN name: {UN_NAME}" in page
    assert "General consultative status (declared, not yet verified)" in page
