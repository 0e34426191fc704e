"""check_statement against a round with the HRC profile (issue 14, item 3): submission refused
with the list of what to fix, and eligibility read the same way whatever path a signature came
by (an account's sign-on, the public form, a coordinator's import)."""

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Organization, StatementState, utcnow
from portal.models.accreditation import EcosocStatus
from portal.rounds.requirements import set_requirements
from portal.signons import importing
from portal.signons import operations as signons
from portal.statements import operations, workflow
from portal.venues.profiles import HRC, UNFCCC
from portal.venues.statement_checks import RequirementsNotMet, blocking, check_statement
from tests.signons_support import sign_publicly


def in_status(org: Organization, status=EcosocStatus.GENERAL) -> Organization:
    org.ecosoc_status = status
    org.ecosoc_verified_at = utcnow()
    db.session.commit()
    return org


def words(n: int) -> str:
    return " ".join(["word"] * n)


@pytest.fixture
def hrc_round(cast):
    set_requirements(cast["coordinator"], cast["round"], HRC)
    db.session.commit()
    return cast["round"]


def save(cast, statement, body):
    operations.save_revision(
        cast["drafter"],
        statement,
        base_revision_id=statement.current_revision_id,
        title=statement.title,
        body=body,
    )
    db.session.commit()


def codes(problems):
    return [p.code for p in problems]


def test_submission_is_refused_with_the_list_of_what_to_fix(cast, hrc_round, statement_in):
    statement = statement_in(StatementState.SIGNING)
    save(cast, statement, words(2001))
    with pytest.raises(RequirementsNotMet) as error:
        workflow.apply(statement, "submit", cast["drafter"])
    assert codes(error.value.problems) == ["word_limit", "lead"]
    assert "2,001 words" in error.value.message
    assert "Lead Coalition may not" in error.value.message
    db.session.rollback()
    assert statement.state == StatementState.SIGNING


def test_the_reduced_limit_applies_to_a_lead_in_special_status(cast, hrc_round, statement_in):
    in_status(cast["lead"], EcosocStatus.SPECIAL)
    statement = statement_in(StatementState.SIGNING)
    save(cast, statement, words(1500))
    assert not blocking(check_statement(statement))
    save(cast, statement, words(1501))
    assert codes(blocking(check_statement(statement))) == ["word_limit"]


def test_a_lead_in_general_status_within_the_limit_submits(cast, hrc_round, statement_in):
    in_status(cast["lead"])
    statement = statement_in(StatementState.SIGNING)
    save(cast, statement, words(2000))
    workflow.apply(statement, "submit", cast["drafter"])
    assert statement.state == StatementState.SUBMITTED


def test_the_default_round_refuses_nothing_new(cast, statement_in):
    statement = statement_in(StatementState.SIGNING)
    save(cast, statement, words(5000))
    workflow.apply(statement, "submit", cast["drafter"])
    assert statement.state == StatementState.SUBMITTED


def _notices(statement):
    return {p.message for p in check_statement(statement) if p.code == "signer"}


def test_account_sign_on_without_status_goes_to_the_title_footnote(cast, hrc_round, statement_in):
    statement = statement_in(StatementState.SIGNING)
    signons.sign(cast["signatory"], statement, cast["signer_org"], statement.current_revision_id)
    db.session.commit()
    (notice,) = _notices(statement)
    assert "Réseau Migrants & Droits will be named in a footnote to the title" in notice


def test_account_sign_on_in_status_signs_like_any_other(cast, hrc_round, statement_in):
    in_status(cast["signer_org"], EcosocStatus.ROSTER)
    statement = statement_in(StatementState.SIGNING)
    signons.sign(cast["signatory"], statement, cast["signer_org"], statement.current_revision_id)
    db.session.commit()
    assert not _notices(statement)


def test_declared_but_unverified_status_does_not_count(cast, hrc_round, statement_in):
    cast["signer_org"].ecosoc_status = EcosocStatus.GENERAL
    db.session.commit()
    statement = statement_in(StatementState.SIGNING)
    signons.sign(cast["signatory"], statement, cast["signer_org"], statement.current_revision_id)
    db.session.commit()
    assert _notices(statement)


def test_public_sign_on_is_placed_in_the_title_footnote(cast, hrc_round, statement_in):
    statement = statement_in(StatementState.SIGNING)
    sign_publicly(statement, "Public Collective", "KE")
    (notice,) = _notices(statement)
    assert "Public Collective will be named in a footnote to the title" in notice


def test_imported_sign_ons_are_placed_by_their_organizations_status(cast, hrc_round, statement_in):
    in_status(cast["other_org"])
    statement = statement_in(StatementState.SIGNING)
    importing.commit_import(
        cast["coordinator"], statement, "organization,country\nOther Union,PH\nNew Group,KE\n"
    )
    db.session.commit()
    notices = _notices(statement)
    assert len(notices) == 1 and "New Group will be named in a footnote" in notices.pop()


def test_unfccc_lists_others_under_also_on_behalf(cast, statement_in):
    set_requirements(cast["coordinator"], cast["round"], UNFCCC)
    statement = statement_in(StatementState.SIGNING)
    signons.sign(cast["signatory"], statement, cast["signer_org"], statement.current_revision_id)
    db.session.commit()
    (notice,) = _notices(statement)
    assert "“also on behalf of”" in notice
    # The lead is not an admitted observer either: submission refused for that alone.
    assert codes(blocking(check_statement(statement))) == ["lead"]
    org = db.session.scalar(select(Organization).where(Organization.name == "Lead Coalition"))
    assert org is cast["lead"]
