"""One rule for times on pages (issue 13, item 9): a time of a round is shown in the round's
timezone with its name, and the viewer's own time beside it when their profile's timezone
differs; without a profile timezone the browser adds its own (static/js/localtime.js)."""

import re
from datetime import datetime, timedelta

import pytest

from portal.core.template_helpers import format_datetime, zoned
from portal.extensions import db
from portal.models import Round, Statement, utcnow
from portal.statements import workflow

ROUND_ZONE = "America/New_York"
PAGES = [
    "/rounds/{round}",
    "/statements/{signing}",
    "/rounds/{round}/signons?state=",
    "/desk",
    "/review/statements/{signing}",
]
TIME = re.compile(
    r'<time datetime="(?P<iso>[^"]+)"(?: data-localtime="(?P<browser>[^"]+)")?>(?P<shown>[^<]*)'
    r'</time>(?P<own><span class="viewer-time"> — your time: (?P<own_time>[^<]*)</span>)?'
)


@pytest.fixture
def coordinator_in(world, people, client, login):
    """A coordinator with this profile timezone (None: none chosen); the desk shows the round's
    sign-on deadline (within its 72 hours), the review page the submission's time."""
    round_ = db.session.query(Round).filter_by(slug=world["round"]).one()
    round_.signon_deadline = utcnow() + timedelta(hours=30)
    statement = db.session.get(Statement, world["signing"])
    workflow.apply(statement, "submit", people["org_admin"])
    db.session.commit()

    def make(zone):
        people["coordinator"].timezone = zone
        db.session.commit()
        login(people["coordinator"])
        return client

    return make


def _times(client, world, path):
    response = client.get(path.format_map(world))
    assert response.status_code == 200, path
    found = list(TIME.finditer(response.get_data(as_text=True)))
    round_times = [m for m in found if m["shown"].endswith(f"({ROUND_ZONE})")]
    assert round_times, f"{path} prints no time of the round"
    return round_times


@pytest.mark.parametrize("path", PAGES)
def test_a_viewer_elsewhere_sees_the_rounds_time_and_their_own(coordinator_in, world, path):
    client = coordinator_in("Asia/Manila")
    for match in _times(client, world, path):
        moment = datetime.fromisoformat(match["iso"])
        assert match["shown"] == zoned(moment, ROUND_ZONE)
        assert match["own_time"] == format_datetime(moment, "Asia/Manila"), path
        assert match["browser"] is None  # the server knows the viewer's zone: no script needed


@pytest.mark.parametrize("path", PAGES)
def test_a_viewer_in_the_rounds_timezone_sees_one_time(coordinator_in, world, path):
    client = coordinator_in(ROUND_ZONE)
    for match in _times(client, world, path):
        assert match["own"] is None and match["browser"] is None, path


@pytest.mark.parametrize("path", PAGES)
def test_without_a_profile_timezone_the_browser_adds_its_own(coordinator_in, world, path):
    client = coordinator_in(None)
    for match in _times(client, world, path):
        assert match["own"] is None and match["browser"] == ROUND_ZONE, path


def test_times_outside_a_round_are_in_the_viewers_zone(client, login, people):
    member = people["member"]
    member.timezone = "Asia/Manila"
    db.session.commit()
    login(member)
    page = client.get("/profile").get_data(as_text=True)
    db.session.refresh(member)
    last = TIME.search(page.split("Last sign-in")[1])
    assert last["shown"] == format_datetime(member.last_login_at, "Asia/Manila")
    assert last["own"] is None and last["browser"] is None


def test_emails_name_the_rounds_timezone():
    moment = datetime.fromisoformat("2026-12-19T23:00:00+00:00")
    assert zoned(moment, "Europe/Zurich") == "20 December 2026, 00:00 CET (Europe/Zurich)"
    assert zoned(None, "Europe/Zurich") == ""
