"""A coordinator picks a venue profile for a round and adjusts it (issue 14, item 2): the
operation, its audit event, the page with CSRF on, and what it refuses."""

import pytest
from sqlalchemy import func, select

from portal.errors import OperationError
from portal.extensions import db
from portal.models import AuditEvent, RoundRequirements
from portal.rounds.requirements import set_requirements
from portal.venues.profiles import DEFAULT, HRC, PROFILES, Eligibility, requirements_for


def text(response):
    return response.get_data(as_text=True)


def test_a_round_without_requirements_follows_the_default_profile(make_round):
    assert requirements_for(make_round("open")) == DEFAULT


def test_coordinator_picks_hrc_and_adjusts_the_limit(people, make_round):
    round_ = make_round("open")
    set_requirements(people["coordinator"], round_, HRC, word_limit=1800)
    got = requirements_for(round_)
    assert got == PROFILES[HRC].adjusted(word_limit=1800)
    assert got.languages == ("en", "fr", "es") and got.signers == Eligibility.ECOSOC
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "round.requirements_set")
    )
    assert event.details["profile"] == HRC
    assert event.details["changes"]["word_limit"] == [None, 1800]
    assert event.details["changes"]["deliverable"] == ["pdf", "docx"]


def test_saving_the_same_requirements_again_writes_no_event(people, make_round):
    round_ = make_round("open")
    set_requirements(people["coordinator"], round_, HRC)
    set_requirements(people["coordinator"], round_, HRC)
    count = (
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == "round.requirements_set")
    )
    assert db.session.scalar(count) == 1


@pytest.mark.parametrize(
    ("profile", "changes", "field"),
    [
        ("nowhere", {}, "profile"),
        (HRC, {"word_limit": 0}, "word_limit"),
        (HRC, {"word_limit": 1000, "reduced_word_limit": 1200}, "reduced_word_limit"),
        (HRC, {"languages": ("en", "xx")}, "languages"),
    ],
)
def test_bad_requirements_are_refused_and_change_nothing(
    people, make_round, profile, changes, field
):
    round_ = make_round("open")
    with pytest.raises(OperationError) as error:
        set_requirements(people["coordinator"], round_, profile, **changes)
    assert error.value.field == field
    assert db.session.get(RoundRequirements, round_.id) is None


def test_only_coordinators_set_requirements(people, make_round):
    with pytest.raises(OperationError):
        set_requirements(people["org_admin"], make_round("open"), HRC)


def form_data(**overrides):
    data = {
        "profile": HRC,
        "word_limit": "2000",
        "reduced_word_limit": "1500",
        "count_footnotes": "y",
        "languages": ["en", "fr", "es"],
        "footnotes": "allowed",
        "lead": "ecosoc",
        "signers": "ecosoc",
        "others": "title_footnote",
        "grouping": "alphabetical",
        "deliverable": "docx",
    }
    data.update(overrides)
    return data


def test_the_page_starts_from_a_profile_and_saves_it(client_as, people, make_round):
    round_ = make_round("open")
    coordinator = client_as("coordinator")
    page = text(coordinator.get(f"/rounds/{round_.slug}/requirements?profile=hrc"))
    assert 'value="2000"' in page and 'value="1500"' in page
    assert '<option selected value="docx">' in page or 'value="docx" selected' in page
    response = coordinator.post(f"/rounds/{round_.slug}/requirements", data=form_data())
    assert response.status_code == 302
    assert requirements_for(round_) == PROFILES[HRC]
    assert f"/rounds/{round_.slug}/requirements" in text(coordinator.get(f"/rounds/{round_.slug}"))


def test_the_page_shows_a_bad_value_next_to_its_field(client_as, people, make_round):
    round_ = make_round("open")
    response = client_as("coordinator").post(
        f"/rounds/{round_.slug}/requirements",
        data=form_data(word_limit="1000", reduced_word_limit="1200"),
    )
    assert response.status_code == 200
    assert "The reduced limit cannot be above the word limit." in text(response)
    assert db.session.get(RoundRequirements, round_.id) is None


def test_the_page_without_csrf_token_is_refused(client_as, people, make_round):
    round_ = make_round("open")
    response = client_as("coordinator").post(
        f"/rounds/{round_.slug}/requirements", data=form_data(), csrf=False
    )
    assert response.status_code == 400
    assert db.session.get(RoundRequirements, round_.id) is None
