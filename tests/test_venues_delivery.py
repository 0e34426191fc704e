"""The delivered list under the venue's rules (issue 14, item 4): HRC co-signers without status
in the title footnote, UNFCCC admitted observers first then "also on behalf of", grouping by
status; the breakdown "signed by N organizations from M countries, K in ECOSOC status"."""

from portal.extensions import db
from portal.models import StatementState, utcnow
from portal.models.accreditation import Accreditation, AccreditationKind, AccreditationState
from portal.models.accreditation import EcosocStatus as E
from portal.rounds.requirements import set_requirements
from portal.venues.delivery import Signer, arrange, breakdown
from portal.venues.profiles import GCM, HRC, PROFILES, UNFCCC, Grouping
from portal.venues.statement_checks import approved_signers, statement_breakdown


def org_in(make_org, name, status=E.NONE, country="KE"):
    org = make_org(name=name, country=country)
    org.ecosoc_status = status
    org.ecosoc_verified_at = utcnow() if status != E.NONE else None
    db.session.commit()
    return Signer(name, country, org)


def names(signers):
    return [s.name for s in signers]


def test_hrc_puts_co_signers_without_status_in_the_title_footnote(app, make_org):
    signers = [
        org_in(make_org, "Zeta Rights", E.SPECIAL),
        org_in(make_org, "Beta Local"),
        org_in(make_org, "Alpha Union", E.GENERAL),
        org_in(make_org, "Aardvark Group"),
    ]
    got = arrange(signers, PROFILES[HRC], process_id=1)
    assert names(got.listed) == ["Alpha Union", "Zeta Rights"]
    assert names(got.title_footnote) == ["Aardvark Group", "Beta Local"]
    assert not got.also_on_behalf and not got.left_out


def test_by_status_orders_general_special_roster(app, make_org):
    signers = [
        org_in(make_org, "A Roster", E.ROSTER),
        org_in(make_org, "B Special", E.SPECIAL),
        org_in(make_org, "C General", E.GENERAL),
    ]
    rules = PROFILES[HRC].adjusted(grouping=Grouping.BY_STATUS)
    assert names(arrange(signers, rules, 1).listed) == ["C General", "B Special", "A Roster"]


def test_unfccc_lists_admitted_observers_then_also_on_behalf(app, make_org, make_round):
    round_ = make_round("open")
    admitted = org_in(make_org, "Observer Network")
    admitted.organization.accreditations.append(
        Accreditation(
            process_id=round_.process_id,
            kind=AccreditationKind.ADMITTED_OBSERVER,
            state=AccreditationState.VERIFIED,
            verified_at=utcnow(),
        )
    )
    db.session.commit()
    other = org_in(make_org, "Another Group")
    got = arrange([other, admitted], PROFILES[UNFCCC], round_.process_id)
    assert names(got.listed) == ["Observer Network"]
    assert names(got.also_on_behalf) == ["Another Group"]


def test_the_default_keeps_everyone_in_the_statements_order(app, make_org):
    signers = [org_in(make_org, "Zed"), org_in(make_org, "Abe"), Signer("Old frozen name")]
    got = arrange(signers, PROFILES[GCM], 1)
    assert names(got.listed) == ["Zed", "Abe", "Old frozen name"]


def test_breakdown_counts_organizations_countries_and_status(app, make_org):
    signers = [
        org_in(make_org, "One", E.GENERAL, "KE"),
        org_in(make_org, "Two", E.NONE, "KE"),
        org_in(make_org, "Three", E.SPECIAL, "FR"),
    ]
    got = breakdown(signers)
    assert (got.organizations, got.countries, got.in_ecosoc_status) == (3, 2, 2)
    assert got.sentence == "Signed by 3 organizations from 2 countries, 2 in ECOSOC status"


def test_the_statement_page_shows_the_breakdown(crew, make_statement, sign, client_for):
    statement = make_statement(StatementState.SIGNING)
    sign(statement, "Kenyan Group", "KE")
    sign(statement, "French Group", "FR")
    assert len(approved_signers(statement)) == 2
    assert statement_breakdown(statement).countries == 2
    page = client_for(crew["drafter"]).get(f"/statements/{statement.id}").get_data(as_text=True)
    assert "Signed by 2 organizations from 2 countries, 0 in ECOSOC status." in page


def test_the_lead_sees_on_the_statement_page_how_a_co_signer_will_appear(
    crew, make_statement, sign, client_for
):
    set_requirements(crew["coordinator"], crew["round"], HRC)
    statement = make_statement(StatementState.SIGNING)
    sign(statement, "Kenyan Group", "KE")
    page = client_for(crew["drafter"]).get(f"/statements/{statement.id}").get_data(as_text=True)
    assert "Kenyan Group will be named in a footnote to the title" in page
