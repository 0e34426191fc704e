"""`portal seed`: the demo data loads through the operations, with audit events, exactly once."""

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    AuditEvent,
    MemberRole,
    MembershipState,
    Organization,
    Process,
    Round,
    RoundPhase,
    SiteRole,
    User,
    VerificationStatus,
)
from portal.seeding import DEMO_PASSWORD, seed_time


def row_counts() -> dict[str, int]:
    return {
        table.name: db.session.execute(select(func.count()).select_from(table)).scalar()
        for table in db.metadata.sorted_tables
    }


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def seeded(runner):
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    return result


def user(email):
    return db.session.scalar(select(User).where(User.email == email))


def org(name):
    return db.session.scalar(select(Organization).where(Organization.name == name))


def test_seed_loads_the_gcm_rounds(seeded):
    process = db.session.scalar(select(Process))
    assert process.title == "Global Compact for Safe, Orderly and Regular Migration"
    assert "Mexico and Switzerland" in process.description
    rounds = process.rounds
    assert [(r.meeting_start, r.meeting_end) for r in rounds] == [
        (date(2018, 2, 20), date(2018, 2, 22)),
        (date(2018, 3, 12), date(2018, 3, 15)),
        (date(2018, 4, 3), date(2018, 4, 6)),
        (date(2018, 5, 14), date(2018, 5, 18)),
        (date(2018, 6, 4), date(2018, 6, 8)),
        (date(2018, 7, 9), date(2018, 7, 13)),
    ]
    assert {r.timezone for r in rounds} == {"America/New_York"}
    assert {r.place for r in rounds} == {"United Nations Headquarters, New York"}
    assert [r.phase() for r in rounds] == [
        RoundPhase.CLOSED,
        RoundPhase.OPEN,
        RoundPhase.OPEN,
        RoundPhase.UPCOMING,
        RoundPhase.UPCOMING,
        RoundPhase.UPCOMING,
    ]
    second = rounds[1]
    assert second.slug == "gcm-2018-round-2"
    assert [a.title for a in second.areas] == [
        "Irregular – Regular",
        "Migrant – Refugee",
        "Implementation and Capacity Building",
        "Follow-up and Review",
    ]
    assert second.signon_deadline <= second.submission_deadline


def test_seed_loads_the_demo_accounts_and_organizations(seeded):
    coordinator, lead, signer = (
        user(f"{who}@example.org") for who in ("coordinator", "lead", "signer")
    )
    for person in (coordinator, lead, signer):
        assert person.check_password(DEMO_PASSWORD)
    assert coordinator.site_role == SiteRole.COORDINATOR
    csac = org("Civil Society Action Committee")
    assert csac.verified and csac.role_of(lead) == MemberRole.ADMIN
    signer_orgs = signer.organizations()
    assert len(signer_orgs) == 1 and signer_orgs[0].verified and signer_orgs[0] != csac
    assert signer_orgs[0].role_of(signer) == MemberRole.SIGNATORY

    orgs = db.session.scalars(select(Organization)).all()
    assert 9 <= len(orgs) <= 12
    assert len({o.kind for o in orgs}) >= 6 and len({o.country for o in orgs}) >= 8
    pending = [o for o in orgs if o.status == VerificationStatus.PENDING]
    assert 1 <= len(pending) <= 2
    assert all(o.memberships for o in orgs)
    request = user("new.volunteer@example.org").memberships[0]
    assert request.state == MembershipState.REQUESTED and request.organization == csac


def test_seed_goes_through_the_operations_so_audit_events_exist(seeded):
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {
        "user.registered",
        "user.role_changed",
        "organization.registered",
        "organization.verified",
        "invitation.sent",
        "invitation.accepted",
        "membership.requested",
        "process.created",
        "round.created",
    } <= actions
    verified = db.session.scalars(select(AuditEvent).filter_by(action="organization.verified"))
    assert {e.actor.email for e in verified} == {"coordinator@example.org"}


def test_seeding_twice_changes_nothing(runner, seeded):
    before = row_counts()
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert "Nothing to load" in result.output
    assert row_counts() == before


def test_seed_if_empty_skips_a_database_with_users(runner, make_user):
    make_user()
    result = runner.invoke(args=["seed", "--if-empty"])
    assert result.exit_code == 0
    assert "not loaded" in result.output
    assert db.session.scalar(select(func.count(Round.id))) == 0


def test_seed_if_empty_loads_an_empty_database(runner):
    result = runner.invoke(args=["seed", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count(Round.id))) == 6


def test_demo_accounts_command_prints_the_three_accounts(runner):
    output = runner.invoke(args=["demo-accounts"]).output
    for email in ("coordinator@example.org", "lead@example.org", "signer@example.org"):
        assert email in output
    assert DEMO_PASSWORD in output


def test_relative_seed_times_count_from_the_seed_day():
    today = date(2026, 11, 28)
    assert seed_time("+21d 18:00", "America/New_York", today).isoformat() == (
        "2026-12-19T23:00:00+00:00"
    )
    assert seed_time("-7d 09:00", "America/New_York", today).isoformat() == (
        "2026-11-21T14:00:00+00:00"
    )
    assert seed_time("2018-02-16 18:00", "America/New_York", today).isoformat() == (
        "2018-02-16T23:00:00+00:00"
    )


def test_the_model_statements_lead_is_a_seeded_organization(seeded):
    import yaml

    from portal.config import ROOT

    statement = ROOT / "seeds" / "statements" / "gcm-2018-round-2.md"
    front_matter = yaml.safe_load(statement.read_text(encoding="utf-8").split("---")[1])
    lead = org(front_matter["lead"])
    assert lead is not None and lead.verified
