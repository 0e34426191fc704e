"""Accreditation through the client, CSRF on: the declaration on the edit page (errors next to
the field), coordinators' verify and reject buttons on the profile, the constituency list."""

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AccreditationState, AuditEvent, Constituency, Process
from portal.organizations import accreditation as acc


def text(response):
    return response.get_data(as_text=True)


@pytest.fixture
def process(app):
    process = Process(slug="gcm", title="Global Compact for Migration")
    db.session.add(process)
    db.session.commit()
    return process


@pytest.fixture
def workers(people, process):
    constituency = acc.add_constituency(people["coordinator"], process, "Workers")
    db.session.commit()
    return constituency


def test_admins_declare_on_the_edit_page(client_as, people, process, workers):
    admin = client_as("org_admin")
    page = text(admin.get("/organizations/mrn/edit"))
    assert 'action="/organizations/mrn/accreditation"' in page
    assert "Global Compact for Migration" in page and "Workers" in page
    response = admin.post(
        "/organizations/mrn/accreditation",
        data={
            "ecosoc_status": "special",
            "un_name": "MRN International",
            f"constituency_{process.id}": str(workers.id),
            f"accreditations_{process.id}": ["admitted_observer"],
        },
    )
    assert response.status_code == 302
    org = people["org"]
    db.session.refresh(org)
    assert org.ecosoc_status == "special" and org.un_name == "MRN International"
    assert org.accreditation_state == AccreditationState.DECLARED
    assert org.constituency_in(process.id) == workers
    assert [a.kind for a in org.accreditations] == ["admitted_observer"]
    profile = text(admin.get("/organizations/mrn"))
    assert "Special consultative status" in profile and "MRN International" in profile
    assert "declared, not yet verified" in profile and "Admitted observer" in profile
    assert "/accreditation/verify" not in profile  # the admin sees no verify button


def test_a_bad_value_is_shown_next_to_its_field_and_changes_nothing(client_as, people):
    response = client_as("org_admin").post(
        "/organizations/mrn/accreditation", data={"ecosoc_status": "none", "un_name": "x" * 301}
    )
    assert response.status_code == 400
    assert 'id="un_name-error"' in text(response)
    assert people["org"].accreditation_state == AccreditationState.UNDECLARED


def test_the_declaration_needs_the_csrf_token(client_as, people):
    response = client_as("org_admin").post(
        "/organizations/mrn/accreditation", data={"ecosoc_status": "general"}, csrf=False
    )
    assert response.status_code == 400
    assert people["org"].ecosoc_status == "none"


@pytest.mark.parametrize(
    "role, status", [("anonymous", 302), ("outsider", 403), ("member", 403), ("coordinator", 403)]
)
def test_only_admins_may_declare(client_as, people, role, status):
    response = client_as(role).post(
        "/organizations/mrn/accreditation", data={"ecosoc_status": "general"}
    )
    assert response.status_code == status
    assert people["org"].ecosoc_status == "none"


def test_coordinators_verify_and_reject_on_the_profile(client_as, people):
    acc.declare_accreditation(people["org_admin"], people["org"], ecosoc_status="general")
    db.session.commit()
    coordinator = client_as("coordinator")
    assert "/organizations/mrn/accreditation/verify" in text(coordinator.get("/organizations/mrn"))
    assert coordinator.get("/organizations/mrn/accreditation/verify").status_code == 405
    assert coordinator.post("/organizations/mrn/accreditation/verify").status_code == 302
    db.session.refresh(people["org"])
    assert people["org"].in_ecosoc_status
    assert coordinator.post("/organizations/mrn/accreditation/reject").status_code == 302
    db.session.refresh(people["org"])
    assert people["org"].accreditation_state == AccreditationState.REJECTED
    assert client_as("org_admin").post("/organizations/mrn/accreditation/verify").status_code == 403


def test_coordinators_keep_the_constituency_list(client_as, process):
    coordinator = client_as("coordinator")
    assert "Constituencies of Global Compact" in text(
        coordinator.get("/processes/gcm/constituencies")
    )
    response = coordinator.post("/processes/gcm/constituencies", data={"name": "Youth"})
    assert response.status_code == 302
    youth = db.session.scalar(select(Constituency).filter_by(name="Youth"))
    again = coordinator.post("/processes/gcm/constituencies", data={"name": "youth"})
    assert again.status_code == 400 and "already on the list" in text(again)
    coordinator.post("/processes/gcm/constituencies/remove", data={"constituency_id": youth.id})
    assert db.session.scalar(select(func.count()).select_from(Constituency)) == 0
    assert db.session.scalar(
        select(func.count()).select_from(AuditEvent).filter_by(action="constituency.removed")
    )
    assert client_as("org_admin").get("/processes/gcm/constituencies").status_code == 403
