"""Process and round pages through the client, CSRF on: public pages, coordinator forms."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, Process, Round
from tests.helpers.forms import round_form


def text(response):
    return response.get_data(as_text=True)


def test_processes_page_lists_rounds_with_phase_badges(client, make_round):
    open_round = make_round("open", title="Second round")
    make_round("closed", process=open_round.process, title="First round")
    make_round("upcoming", process=open_round.process, title="Fourth round")
    page = text(client.get("/processes"))
    assert open_round.process.title in page
    for phase in ("open", "closed", "upcoming"):
        assert f'class="badge badge-{phase}">{phase}<' in page


def test_round_page_shows_meeting_areas_and_deadlines_in_the_round_zone(client, make_round):
    round_ = make_round(
        "open",
        areas=("Irregular – Regular", "Follow-up and Review"),
        submission_deadline=datetime(2099, 3, 12, 23, 0, tzinfo=UTC),
        signon_deadline=datetime(2099, 3, 5, 23, 0, tzinfo=UTC),
    )
    page = text(client.get(f"/rounds/{round_.slug}"))
    assert "12–15 March 2018" in page and "New York" in page
    assert "Irregular – Regular" in page and "Follow-up and Review" in page
    assert "12 March 2099, 19:00 EDT (America/New_York)" in page
    assert 'datetime="2099-03-12T23:00:00+00:00"' in page
    assert 'class="badge badge-open"' in page


def test_round_page_adds_the_signed_in_persons_timezone(client_as, people, make_round):
    people["member"].timezone = "Europe/Berlin"
    db.session.commit()
    round_ = make_round("open", submission_deadline=datetime(2099, 3, 12, 23, 0, tzinfo=UTC))
    page = text(client_as("member").get(f"/rounds/{round_.slug}"))
    assert "13 March 2099, 00:00 CET" in page


def test_unknown_round_is_404(client):
    assert client.get("/rounds/no-such-round").status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("member", 403), ("org_admin", 403), ("coordinator", 200), ("admin", 200)],
)
def test_coordinator_pages_access(client_as, people, make_round, role, status):
    round_ = make_round("open")
    the_client = client_as(role)
    for url in (
        "/processes/new",
        f"/processes/{round_.process.slug}/edit",
        f"/processes/{round_.process.slug}/rounds/new",
        f"/rounds/{round_.slug}/edit",
    ):
        assert the_client.get(url).status_code == status, url


def test_forbidden_post_changes_nothing(client_as, people):
    response = client_as("org_admin").post("/processes/new", data={"title": "Sneaky process"})
    assert response.status_code == 403
    assert db.session.scalar(select(func.count(Process.id))) == 0


def test_coordinator_creates_a_process_and_a_round_in_local_time(client_as, people):
    coordinator = client_as("coordinator")
    response = coordinator.post(
        "/processes/new", data={"title": "Global Compact for Migration", "short_title": "GCM"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/processes/gcm/rounds/new")
    response = coordinator.post("/processes/gcm/rounds/new", data=round_form())
    assert response.status_code == 302
    round_ = db.session.scalar(select(Round))
    # 18:00 in New York on 9 March 2018 (still winter time) is 23:00 UTC.
    assert round_.submission_deadline == datetime(2018, 3, 9, 23, 0, tzinfo=UTC)
    assert round_.opens_at == datetime(2018, 2, 26, 14, 0, tzinfo=UTC)
    assert round_.auto_approve_verified
    assert [a.title for a in round_.areas] == ["Irregular – Regular", "Migrant – Refugee"]
    edit_page = text(coordinator.get(f"/rounds/{round_.slug}/edit"))
    assert 'value="2018-03-09T18:00"' in edit_page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"meeting_end": "2018-03-10"}, "meeting_end", "cannot end before it starts"),
        (
            {"submission_deadline": "2018-02-20T09:00"},
            "submission_deadline",
            "after the round opens",
        ),
        ({"signon_deadline": "2018-03-09T19:00"}, "signon_deadline", "no later than"),
        ({"timezone": "Nowhere/Else"}, "timezone", "Not a valid choice"),
        ({"opens_at": "2018-03-11T02:30"}, "opens_at", "does not exist"),
        ({"opens_at": "tomorrow"}, "opens_at", ""),
        ({"areas": ""}, "areas", "at least one programme area"),
    ],
)
def test_bad_round_input_shows_the_error_next_to_the_field(
    client_as, people, make_round, overrides, field, message
):
    process = make_round("open", number=1).process
    before = db.session.scalar(select(func.count(AuditEvent.id)))
    response = client_as("coordinator").post(
        f"/processes/{process.slug}/rounds/new", data=round_form(**overrides)
    )
    assert response.status_code == 200
    page = text(response)
    assert f'id="{field}-error"' in page
    assert message in page
    assert db.session.scalar(select(func.count(Round.id))) == 1
    assert db.session.scalar(select(func.count(AuditEvent.id))) == before + 1  # the sign-in


def test_edit_round_saves_and_records(client_as, people, make_round):
    round_ = make_round("open", number=2, timezone="America/New_York")
    coordinator = client_as("coordinator")
    data = round_form(title="Second round (revised)", areas="Area one\nArea three")
    response = coordinator.post(f"/rounds/{round_.slug}/edit", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    assert round_.title == "Second round (revised)"
    assert [a.title for a in round_.areas] == ["Area one", "Area three"]
    assert db.session.scalar(select(AuditEvent).filter_by(action="round.updated"))


def test_round_form_without_csrf_is_refused(client_as, people, make_round):
    round_ = make_round("open", number=2)
    response = client_as("coordinator").post(
        f"/rounds/{round_.slug}/edit", data=round_form(title="Changed"), csrf=False
    )
    assert response.status_code == 400
    db.session.expire_all()
    assert round_.title != "Changed"
