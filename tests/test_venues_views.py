"""The venue's checks where the work happens, through the client with CSRF on (issue 14, item
3): the editor and its live checks, the statement page, submission refused with the list, and
the coordinator's review showing the same checks."""

import pytest

from portal.extensions import db
from portal.models import StatementState as S
from portal.models import utcnow
from portal.rounds.requirements import set_requirements
from portal.venues.profiles import HRC


def text(response):
    return response.get_data(as_text=True)


@pytest.fixture
def hrc(crew):
    set_requirements(crew["coordinator"], crew["round"], HRC)
    db.session.commit()


def test_the_editor_counts_words_against_the_limit_and_lists_the_rules(
    crew, hrc, make_statement, client_for
):
    statement = make_statement(S.SIGNING)
    client = client_for(crew["drafter"])
    page = text(client.get(f"/statements/{statement.id}/edit"))
    assert "Requirements: Human Rights Council written statement" in page
    assert "of 2,000 words, as the venue counts them" in page
    assert 'data-problem="lead"' in page
    checks = client.post(
        f"/statements/{statement.id}/checks", data={"body": " ".join(["w"] * 2001), "title": "T"}
    )
    assert checks.status_code == 200
    assert "2,001 of 2,000 words" in text(checks)
    assert 'data-problem="word_limit"' in text(checks)


def test_the_live_checks_refuse_a_post_without_csrf(crew, hrc, make_statement, client_for):
    statement = make_statement(S.SIGNING)
    response = client_for(crew["drafter"]).post(
        f"/statements/{statement.id}/checks", data={"body": "x"}, csrf=False
    )
    assert response.status_code == 400


def test_submission_refused_shows_the_list_and_changes_nothing(
    crew, hrc, make_statement, client_for
):
    statement = make_statement(S.SIGNING)
    client = client_for(crew["drafter"])
    response = client.post(f"/statements/{statement.id}/submit", follow_redirects=True)
    page = text(response)
    assert (
        "does not meet the venue&#39;s requirements" in page or "does not meet the venue's" in page
    )
    assert "Lead Coalition may not" in page
    db.session.refresh(statement)
    assert statement.state == S.SIGNING


def test_the_coordinators_review_shows_the_same_checks(crew, make_statement, client_for):
    crew["lead"].ecosoc_status = "general"
    crew["lead"].ecosoc_verified_at = utcnow()
    db.session.commit()
    set_requirements(crew["coordinator"], crew["round"], HRC)
    db.session.commit()
    statement = make_statement(S.SUBMITTED)
    page = text(client_for(crew["coordinator"]).get(f"/review/statements/{statement.id}"))
    assert "Requirements: Human Rights Council written statement" in page
    assert "The text meets every requirement of the venue." in page


def test_a_default_round_shows_no_checks(crew, make_statement, client_for):
    statement = make_statement(S.SIGNING)
    page = text(client_for(crew["drafter"]).get(f"/statements/{statement.id}/edit"))
    assert "Requirements:" not in page
