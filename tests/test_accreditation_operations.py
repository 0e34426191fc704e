"""Accreditation without HTTP: organization admins declare, coordinators verify or reject,
declaring other values clears the verification, and coordinators keep each process's
constituencies."""

import pytest
from sqlalchemy import func, select

from portal.errors import OperationError
from portal.extensions import db
from portal.models import (
    Accreditation,
    AccreditationState,
    AuditEvent,
    Constituency,
    EcosocStatus,
    OrganizationConstituency,
    Process,
)
from portal.organizations import accreditation as acc
from portal.organizations.transitions import ECOSOC_DECLARATION
from tests.helpers.audit import assert_audited


@pytest.fixture
def process(app):
    process = Process(slug="gcm", title="Global Compact for Migration")
    db.session.add(process)
    db.session.commit()
    return process


@pytest.fixture
def constituencies(people, process):
    coordinator = people["coordinator"]
    made = [acc.add_constituency(coordinator, process, n) for n in ("Workers", "Women")]
    db.session.commit()
    return made


def declare(people, **fields):
    fields.setdefault("ecosoc_status", "special")
    org = people["org"]
    acc.declare_accreditation(people["org_admin"], org, **fields)
    db.session.commit()
    return org


def test_a_declaration_waits_for_a_coordinator(people):
    org = declare(people, un_name="Migrant Rights Network International")
    assert org.accreditation_state == AccreditationState.DECLARED
    assert org.ecosoc_status == EcosocStatus.SPECIAL
    assert org.display_un_name == "Migrant Rights Network International"
    assert org.ecosoc_verified_at is None
    assert not org.in_ecosoc_status
    assert_audited(
        "accreditation.declared",
        actor=people["org_admin"],
        subject=org,
        organization=org,
        ecosoc_status=["none", "special"],
    )


def test_verified_then_declared_again_needs_verifying_again(people):
    org = declare(people)
    acc.verify_declaration(people["coordinator"], org)
    db.session.commit()
    assert org.in_ecosoc_status and org.ecosoc_verified_at is not None
    assert_audited("accreditation.verified", actor=people["coordinator"], subject=org)

    declare(people, ecosoc_status="general")
    assert org.accreditation_state == AccreditationState.DECLARED
    assert org.ecosoc_verified_at is None
    assert not org.in_ecosoc_status


def test_declaring_the_same_again_keeps_the_verification(people):
    org = declare(people)
    acc.verify_declaration(people["coordinator"], org)
    declare(people)
    assert org.in_ecosoc_status


def test_rejected_declaration_is_not_in_status(people):
    org = declare(people)
    acc.verify_declaration(people["coordinator"], org)
    acc.reject_declaration(people["coordinator"], org)
    db.session.commit()
    assert org.accreditation_state == AccreditationState.REJECTED
    assert not org.in_ecosoc_status
    assert_audited("accreditation.rejected", actor=people["coordinator"], subject=org)
    with pytest.raises(OperationError, match="already rejected"):
        acc.reject_declaration(people["coordinator"], org)


def test_nothing_declared_cannot_be_verified(people):
    with pytest.raises(OperationError, match="has not declared"):
        acc.verify_declaration(people["coordinator"], people["org"])


@pytest.mark.parametrize("role", ["member", "signatory", "outsider", "coordinator"])
def test_only_the_organizations_admins_declare(people, role):
    with pytest.raises(OperationError, match="Only the organization's admins"):
        acc.declare_accreditation(people[role], people["org"], ecosoc_status="general")
    assert people["org"].ecosoc_status == EcosocStatus.NONE


def test_another_organizations_admin_cannot_declare(people, make_org, make_user):
    other_admin = make_user(org=make_org(), role="admin")
    with pytest.raises(OperationError, match="Only the organization's admins"):
        acc.declare_accreditation(other_admin, people["org"], ecosoc_status="general")


@pytest.mark.parametrize("role", ["member", "org_admin", "outsider"])
def test_only_coordinators_verify(people, role):
    org = declare(people)
    for decide in (acc.verify_declaration, acc.reject_declaration):
        with pytest.raises(OperationError, match="Only coordinators"):
            decide(people[role], org)
    assert org.accreditation_state == AccreditationState.DECLARED


def test_bad_values_change_nothing(people, process):
    org = people["org"]
    with pytest.raises(OperationError) as error:
        acc.declare_accreditation(people["org_admin"], org, ecosoc_status="consultative")
    assert error.value.field == "ecosoc_status"
    with pytest.raises(OperationError) as error:
        acc.declare_accreditation(people["org_admin"], org, ecosoc_status="none", un_name="x" * 301)
    assert error.value.field == "un_name"
    with pytest.raises(OperationError) as error:
        acc.declare_accreditation(
            people["org_admin"], org, ecosoc_status="none", accreditations={process.id: ["vip"]}
        )
    assert error.value.field == f"accreditations_{process.id}"
    assert org.accreditation_state == AccreditationState.UNDECLARED


def test_un_name_equal_to_the_name_is_no_other_name(people):
    org = declare(people, un_name=" Migrant  Rights Network ")
    assert org.un_name is None
    assert org.display_un_name == "Migrant Rights Network"


def test_constituency_per_process_from_the_coordinators_list(people, process, constituencies):
    workers, women = constituencies
    org = declare(people, constituencies={process.id: workers.id})
    assert org.constituency_in(process.id) == workers
    declare(people, constituencies={process.id: women.id})
    assert org.constituency_in(process.id) == women
    assert len(org.constituencies) == 1
    assert_audited(
        "organization.constituency_changed",
        actor=people["org_admin"],
        subject=org,
        constituency=["Workers", "Women"],
    )
    declare(people, constituencies={process.id: None})
    assert org.constituency_in(process.id) is None


def test_a_constituency_of_another_process_is_refused(people, process, constituencies):
    other = Process(slug="other", title="Other")
    db.session.add(other)
    db.session.flush()
    with pytest.raises(OperationError) as error:
        acc.declare_accreditation(
            people["org_admin"],
            people["org"],
            ecosoc_status="none",
            constituencies={other.id: constituencies[0].id},
        )
    assert error.value.field == f"constituency_{other.id}"


def test_accreditations_per_process_are_verified_one_by_one(people, process):
    org = declare(people, accreditations={process.id: ["admitted_observer", "accredited"]})
    held = {a.kind: a for a in org.accreditations_in(process.id)}
    assert set(held) == {"admitted_observer", "accredited"}
    observer = held["admitted_observer"]
    assert observer.state == AccreditationState.DECLARED
    acc.verify_declaration(people["coordinator"], observer)
    db.session.commit()
    assert observer.verified and observer.verified_at is not None
    assert_audited("process_accreditation.verified", actor=people["coordinator"], subject=observer)
    # Keeping one and dropping the other keeps the kept one's verification.
    declare(people, accreditations={process.id: ["admitted_observer"]})
    assert [a.kind for a in org.accreditations_in(process.id)] == ["admitted_observer"]
    assert org.accreditations_in(process.id)[0].verified
    assert db.session.scalar(select(Accreditation).filter_by(kind="accredited")) is None


def test_coordinators_keep_the_constituency_list(people, process, constituencies):
    coordinator = people["coordinator"]
    with pytest.raises(OperationError, match="already on the list"):
        acc.add_constituency(coordinator, process, " workers ")
    with pytest.raises(OperationError, match="Only coordinators"):
        acc.add_constituency(people["org_admin"], process, "Youth")
    org = declare(people, constituencies={process.id: constituencies[0].id})
    acc.remove_constituency(coordinator, process, constituencies[0].id)
    db.session.commit()
    assert_audited("constituency.removed", actor=coordinator, name="Workers")
    assert [c.name for c in db.session.scalars(select(Constituency))] == ["Women"]
    assert db.session.scalars(select(OrganizationConstituency)).all() == []
    db.session.expire(org)
    assert org.constituency_in(process.id) is None


@pytest.mark.parametrize("state", list(AccreditationState))
@pytest.mark.parametrize("decide", [acc.verify_declaration, acc.reject_declaration])
def test_decisions_follow_the_transition_table(people, state, decide):
    org = people["org"]
    org.accreditation_state = state
    db.session.commit()
    action = "verify" if decide is acc.verify_declaration else "reject"
    state_word = {"verify": "verified", "reject": "rejected"}
    before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    if state in ECOSOC_DECLARATION[action].sources:
        decide(people["coordinator"], org)
        assert org.accreditation_state == ECOSOC_DECLARATION[action].target
        audited = ECOSOC_DECLARATION[action].audit_action
        assert audited == f"accreditation.{state_word[action]}"
        assert_audited(audited, actor=people["coordinator"], subject=org)
    else:
        with pytest.raises(OperationError):
            decide(people["coordinator"], org)
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == before
