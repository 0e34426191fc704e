"""Input the database cannot hold is refused at the door (core/inputs.py), dates outside the
calendar are form errors next to their field, and whatever still reaches the database is a 400."""

from datetime import datetime

import pytest
from flask import abort
from sqlalchemy import func, select, text

from portal.core.inputs import MAX_INT, bounded_int, parse_id
from portal.errors import OperationError
from portal.extensions import db
from portal.models import AuditEvent, Round, Statement
from portal.rounds.operations import local_to_utc
from tests.helpers.forms import round_form


def _audit_count():
    return db.session.scalar(select(func.count(AuditEvent.id)))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("submission_deadline", "9999-12-31T23:59", "between 1970 and 2100"),
        ("signon_deadline", "9999-06-01T12:00", "between 1970 and 2100"),
        ("opens_at", "1969-12-31T23:00", "between 1970 and 2100"),
        ("opens_at", "0001-01-01T00:00", "between 1970 and 2100"),
        ("meeting_start", "0001-01-01", "between 1970 and 2100"),
        ("meeting_end", "9999-12-31", "between 1970 and 2100"),
    ],
)
def test_round_dates_outside_the_calendar_are_errors_next_to_the_field(
    client_as, people, make_round, field, value, message
):
    round_ = make_round("open", number=2, timezone="America/New_York")
    before = _audit_count()
    response = client_as("coordinator").post(
        f"/rounds/{round_.slug}/edit", data=round_form(**{field: value})
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'<p class="error" id="{field}-error">Enter a date {message}' in page
    assert _audit_count() == before + 1  # the sign-in, nothing else
    db.session.expire_all()
    assert db.session.get(Round, round_.id).title == round_.title


@pytest.mark.parametrize("value", ["9999-12-31T23:59", "1969-07-20T20:17"])
def test_an_open_signing_deadline_outside_the_calendar_is_a_form_error(client_as, world, value):
    client = client_as("org_admin")
    before = _audit_count()
    response = client.post(
        f"/statements/{world['own_draft']}/open-signing", data={"deadline": value}
    )
    assert response.status_code == 400
    assert 'id="deadline-error"' in response.get_data(as_text=True)
    assert _audit_count() == before
    assert db.session.get(Statement, world["own_draft"]).state == "draft"


def test_a_time_past_the_calendars_end_is_an_operation_error_not_an_overflow():
    with pytest.raises(OperationError) as refused:
        local_to_utc(datetime(9999, 12, 31, 23, 59), "America/New_York", "opens_at")
    assert refused.value.field == "opens_at"


def test_nul_bytes_are_refused_with_a_400_before_any_view(client_as, people, world):
    client = client_as("member")
    before = _audit_count()
    response = client.post(
        f"/statements/{world['own_draft']}/comments", data={"body": "Shorter\x00 please."}
    )
    assert response.status_code == 400
    assert "NUL character" in response.get_data(as_text=True)
    assert client.get("/organizations?q=a%00b").status_code == 400
    assert client.get("/organizations/mrn%00").status_code == 400
    assert client.post("/login", data={"email\x00": "x"}).status_code == 400
    token = client.csrf_token()
    response = client.post(
        "/login", json={"email": ["a\x00"]}, headers={"X-CSRFToken": token}, csrf=False
    )
    assert response.status_code == 400
    assert _audit_count() == before


@pytest.mark.parametrize("value", [MAX_INT + 1, 10**20])
def test_ids_beyond_the_integer_range_are_not_found(client_as, people, world, value):
    client = client_as("admin")
    assert client.get(f"/statements/{value}").status_code == 404
    assert client.get(f"/published/{value}.pdf").status_code == 404
    assert client.get(f"/statements/{world['signing']}?revision={value}").status_code < 500
    assert client.get(f"/rounds/round-x/signons?statement={value}&page={value}").status_code == 200


def test_bounded_numbers():
    assert bounded_int("42") == 42
    assert bounded_int(str(MAX_INT)) == MAX_INT
    for value in (str(MAX_INT + 1), "99999999999999999999", "abc"):
        with pytest.raises(ValueError):
            bounded_int(value)
    assert parse_id(" 7 ") == 7
    assert [parse_id(v) for v in ("0", "-3", str(MAX_INT + 1), "", None, "x")] == [None] * 6


@pytest.mark.own_app  # adds routes
def test_what_the_database_still_refuses_is_a_400_and_rolled_back(app, client, people):
    @app.post("/test-only/overflow")
    def overflow():
        db.session.execute(text("SELECT 1"))
        raise OverflowError("Python int too large to convert to SQLite INTEGER")

    @app.get("/test-only/abort")
    def refused():
        abort(400, "Say it in your own words.")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.post("/test-only/overflow", data={})
    assert response.status_code == 400
    assert "cannot store" in response.get_data(as_text=True)
    assert "Say it in your own words." in client.get("/test-only/abort").get_data(as_text=True)
