"""The venue's rules at the scale of a round (issue 15): the signers read as light rows
(portal/venues/signers.py) answer every rule as their organizations do; the statement page's
queries stay constant from 10 to 1,500 sign-ons under the rules that read the signers; the
official PDF's key reads neither the list nor its organizations while nothing changed, and still
follows a coordinator's verification after approval and new requirements."""

import pytest
from sqlalchemy import select

from portal.exports import official
from portal.exports.official import official_key
from portal.extensions import db
from portal.models import (
    MemberRole,
    Organization,
    Signature,
    StatementState,
    utcnow,
)
from portal.models.accreditation import (
    Accreditation,
    AccreditationKind,
    AccreditationState,
    EcosocStatus,
)
from portal.models.requirements import Eligibility
from portal.organizations import accreditation as acc
from portal.rounds.requirements import set_requirements
from portal.signons.listing import approval, published_rows, signatory_list
from portal.statements import workflow
from portal.venues.delivery import breakdown
from portal.venues.eligibility import in_reduced_status, meets, placement_notice
from portal.venues.profiles import HRC, PROFILES, UNFCCC
from portal.venues.statement_checks import (
    approved_signers,
    live_signers,
    statement_breakdown,
    venue_summary,
)
from tests.query_count import QueryCounter, count_queries
from tests.scale_support import bulk_signatures


def with_statuses(organizations, process_id, start=0):
    """Every kind of standing a rule reads: verified special or general status, a status
    declared but not verified, an admitted observer verified or only declared."""
    for i, org in enumerate(organizations, start):
        if i % 3 == 0:
            org.ecosoc_status = EcosocStatus.SPECIAL if i % 2 else EcosocStatus.GENERAL
            org.ecosoc_verified_at = utcnow()
        elif i % 4 == 1:
            org.ecosoc_status = EcosocStatus.ROSTER  # declared, not verified
        if i % 5 in (0, 2):
            verified = i % 5 == 0
            db.session.add(
                Accreditation(
                    organization=org,
                    process_id=process_id,
                    kind=AccreditationKind.ADMITTED_OBSERVER,
                    state=AccreditationState.VERIFIED if verified else AccreditationState.DECLARED,
                    verified_at=utcnow() if verified else None,
                )
            )
    db.session.commit()
    return organizations


def test_light_rows_answer_the_rules_as_the_organizations_do(crew, make_statement):
    statement = make_statement(StatementState.SIGNING)
    process_id = crew["round"].process_id
    organizations = with_statuses(bulk_signatures(statement, 30), process_id)
    organizations[1].un_name = "Name Registered With The UN"
    db.session.commit()
    rows = {row.id: row for row in live_signers(statement)}
    assert set(rows) == {org.id for org in organizations}
    for org in organizations:
        row = rows[org.id]
        assert row.display_un_name == org.display_un_name
        assert in_reduced_status(row) == in_reduced_status(org)
        for rule in Eligibility:
            assert meets(row, rule, process_id) == meets(org, rule, process_id), (org, rule)
        for profile in (HRC, UNFCCC):
            requirements = PROFILES[profile]
            assert placement_notice(row, requirements, process_id) == placement_notice(
                org, requirements, process_id
            )
    # Both rules hold for some and not for others: the comparison above means something.
    assert {meets(row, Eligibility.ADMITTED, process_id) for row in rows.values()} == {True, False}
    assert {row.in_ecosoc_status for row in rows.values()} == {True, False}
    with pytest.raises(ValueError):
        rows[organizations[0].id].accreditations_in(process_id + 1)
    # The statement page's breakdown, counted in SQL, is the one of the rows.
    counted = statement_breakdown(statement)
    assert counted == breakdown(approved_signers(statement))
    assert counted.in_ecosoc_status > 0 and counted.countries == 6


@pytest.mark.parametrize("profile", [HRC, UNFCCC])
def test_statement_page_checks_queries_constant_from_10_to_1500_signers(
    crew, make_statement, client, login, profile
):
    set_requirements(crew["coordinator"], crew["round"], profile, count_signatories=True)
    db.session.commit()
    process_id = crew["round"].process_id
    statement = make_statement(StatementState.SIGNING)
    with_statuses(bulk_signatures(statement, 10), process_id)
    login(crew["drafter"])  # a drafter sees the venue's checks
    url = f"/statements/{statement.id}"
    client.get(url)
    small = count_queries(client, url, fresh=True)
    with_statuses(bulk_signatures(statement, 1490, start=10), process_id, start=10)
    large = count_queries(client, url, fresh=True)
    # A short list costs the statement page one query more (the list itself, shown inline).
    assert large <= small

    # The checks read all 1,500: each name counted, each signer outside the rule told apart.
    summary = venue_summary(statement)
    assert summary.words > 3 * 1500
    rule = PROFILES[profile].signers
    outside = [
        org
        for org in db.session.scalars(
            select(Organization).join(Signature).where(Signature.statement_id == statement.id)
        )
        if not meets(org, rule, process_id)
    ]
    notices = [p for p in summary.problems if p.code == "signer"]
    assert 0 < len(notices) == len(outside) < 1500


def _approved_with_bulk(crew, make_statement, n):
    statement = make_statement(StatementState.SIGNING)
    bulk_signatures(statement, n)
    workflow.apply(statement, "submit", crew["drafter"])
    workflow.apply(statement, "approve", crew["coordinator"])
    db.session.commit()
    return statement


def _key_queries(statement) -> list[str]:
    db.session.expire_all()  # as a new request would find them
    review = approval(statement)
    with QueryCounter() as counter:
        official_key(statement, review)
    return counter.statements


def test_official_key_reads_no_list_while_nothing_changes(crew, make_statement):
    statement = _approved_with_bulk(crew, make_statement, 10)
    official_key(statement, approval(statement))
    small = _key_queries(statement)

    # After approval the list changes by corrections only: grow the frozen list itself.
    review = approval(statement)
    extra = bulk_signatures(statement, 1490, start=10)
    review.signatories = list(published_rows(review)) + [
        {"organization_id": org.id, "name": org.name, "country": "KE"} for org in extra
    ]
    db.session.commit()
    first = _key_queries(statement)  # the new list: worked out once
    assert any("reviews.signatories" in sql for sql in first)
    large = _key_queries(statement)
    assert len(large) == len(small)
    for sql in large:
        assert "reviews.signatories" not in sql and "list_corrections" not in sql, sql
        assert "organizations.name" not in sql and "accreditations.kind" not in sql, sql


def _org(name) -> Organization:
    return db.session.scalars(select(Organization).filter_by(name=name)).one()


def _declare(make_user, org, **fields):
    admin = make_user(name=f"Admin of {org.name}", org=org, role=MemberRole.ADMIN)
    acc.declare_accreditation(admin, org, **fields)
    db.session.commit()


def test_official_key_follows_verification_after_approval_and_new_requirements(
    crew, make_approved, make_user, make_org
):
    statement = make_approved(signers=[("Kenyan Group", "KE"), ("French Group", "FR")])
    review = approval(statement)
    before = official_key(statement, review)
    french = _org("French Group")
    _declare(make_user, french, ecosoc_status="special")
    assert official_key(statement, review) == before  # declared is not verified

    acc.verify_declaration(crew["coordinator"], french)
    db.session.commit()
    verified = official_key(statement, review)
    assert verified != before
    official._VENUE_KEYS.clear()
    assert official_key(statement, review) == verified  # what the memo kept is what it works out

    acc.reject_declaration(crew["coordinator"], french)
    db.session.commit()
    assert official_key(statement, review) == before  # as at approval: its file serves again

    # A verification elsewhere works the list out again, and leaves its key as it was.
    elsewhere = make_org(name="Not On The List")
    _declare(make_user, elsewhere, ecosoc_status="general")
    acc.verify_declaration(crew["coordinator"], elsewhere)
    db.session.commit()
    assert official_key(statement, review) == before

    set_requirements(crew["coordinator"], crew["round"], HRC)
    db.session.commit()
    assert official_key(statement, review) != before


def test_official_key_follows_an_admitted_observers_verification(crew, make_approved, make_user):
    set_requirements(crew["coordinator"], crew["round"], UNFCCC)
    db.session.commit()
    process_id = crew["round"].process_id
    crew["lead"].accreditations.append(
        Accreditation(
            process_id=process_id,
            kind=AccreditationKind.ADMITTED_OBSERVER,
            state=AccreditationState.VERIFIED,
            verified_at=utcnow(),
        )
    )
    statement = make_approved(signers=[("Zeta Observers", "KE"), ("Beta Group", "FR")])
    review = approval(statement)
    before = official_key(statement, review)
    zeta = _org("Zeta Observers")
    _declare(
        make_user,
        zeta,
        ecosoc_status="none",
        accreditations={process_id: [AccreditationKind.ADMITTED_OBSERVER.value]},
    )
    assert official_key(statement, review) == before
    (accreditation,) = zeta.accreditations_in(process_id)
    acc.verify_declaration(crew["coordinator"], accreditation)
    db.session.commit()
    assert official_key(statement, review) != before
    delivered = official.venue_list(statement, signatory_list(statement, review))
    assert [e.name for e in delivered.listed] == ["Zeta Observers"]
    assert [e.name for e in delivered.also_on_behalf] == ["Beta Group"]
