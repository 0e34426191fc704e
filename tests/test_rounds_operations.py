"""Process and round operations without HTTP: validation, timezones, phases at the edges."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal.errors import OperationError
from portal.extensions import db
from portal.models import AuditEvent, Process, ProgrammeArea, Round, RoundPhase, SiteRole
from portal.rounds import operations as ops
from tests.helpers.audit import assert_audited

OPENS = datetime(2018, 2, 26, 14, 0, tzinfo=UTC)


@pytest.fixture
def coordinator(make_user):
    return make_user(site_role=SiteRole.COORDINATOR)


@pytest.fixture
def process(coordinator):
    process = ops.create_process(coordinator, title="Global Compact for Migration", slug="gcm")
    db.session.commit()
    return process


def round_fields(**overrides):
    return {
        "number": 2,
        "title": "Second round of intergovernmental negotiations",
        "place": "United Nations Headquarters, New York",
        "meeting_start": date(2018, 3, 12),
        "meeting_end": date(2018, 3, 15),
        "timezone": "America/New_York",
        "opens_at": OPENS,
        "signon_deadline": OPENS + timedelta(days=10),
        "submission_deadline": OPENS + timedelta(days=12),
        "areas": "Irregular – Regular\n\n  Migrant – Refugee  \n",
    } | overrides


def test_create_process_and_round_with_audit(coordinator, process):
    round_ = ops.create_round(coordinator, process, **round_fields())
    db.session.commit()
    assert process.slug == "gcm"
    assert round_.slug == "gcm-round-2"
    assert [a.title for a in round_.areas] == ["Irregular – Regular", "Migrant – Refugee"]
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["process.created", "round.created"]
    assert_audited("process.created", actor=coordinator, subject=process)
    assert_audited("round.created", actor=coordinator, subject=round_)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"meeting_end": date(2018, 3, 11)}, "meeting_end"),
        ({"submission_deadline": OPENS}, "submission_deadline"),
        ({"signon_deadline": OPENS - timedelta(minutes=1)}, "signon_deadline"),
        ({"signon_deadline": OPENS + timedelta(days=13)}, "signon_deadline"),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"timezone": ""}, "timezone"),
        ({"number": 0}, "number"),
        ({"title": "R"}, "title"),
        ({"areas": "\n \n"}, "areas"),
        ({"areas": ["Same", "same"]}, "areas"),
    ],
)
def test_round_validation_names_the_field_and_writes_nothing(
    coordinator, process, overrides, field
):
    with pytest.raises(OperationError) as refused:
        ops.create_round(coordinator, process, **round_fields(**overrides))
    assert refused.value.field == field
    db.session.rollback()
    assert db.session.scalar(select(func.count(Round.id))) == 0
    assert (
        db.session.scalar(select(func.count(AuditEvent.id)).filter_by(action="round.created")) == 0
    )


def test_signon_deadline_after_submission_is_explained(coordinator, process):
    with pytest.raises(OperationError) as refused:
        ops.create_round(
            coordinator,
            process,
            **round_fields(signon_deadline=OPENS + timedelta(days=20)),
        )
    assert "signatory list" in refused.value.message


def test_duplicate_round_number_is_refused(coordinator, process):
    ops.create_round(coordinator, process, **round_fields())
    with pytest.raises(OperationError) as refused:
        ops.create_round(coordinator, process, **round_fields(title="Another second round"))
    assert refused.value.field == "number"


def test_only_coordinators_create_and_edit(people, process):
    for role in ("member", "org_admin", "outsider"):
        with pytest.raises(OperationError):
            ops.create_round(people[role], process, **round_fields())
        with pytest.raises(OperationError):
            ops.create_process(people[role], title="Another process")


def test_update_round_keeps_areas_by_title_and_records_changes(coordinator, process):
    round_ = ops.create_round(coordinator, process, **round_fields())
    db.session.commit()
    kept_id = round_.areas[1].id
    fields = round_fields(areas="Migrant – Refugee\nFollow-up and Review", place="Geneva")
    ops.update_round(coordinator, round_, **fields)
    db.session.commit()
    assert [a.title for a in round_.areas] == ["Migrant – Refugee", "Follow-up and Review"]
    assert round_.areas[0].id == kept_id
    assert db.session.scalar(select(func.count(ProgrammeArea.id))) == 2
    event = assert_audited("round.updated", actor=coordinator, subject=round_)
    assert set(event.details["changes"]) == {"place", "areas"}


def test_update_with_no_change_records_nothing(coordinator, process):
    round_ = ops.create_round(coordinator, process, **round_fields())
    db.session.commit()
    ops.update_round(coordinator, round_, **round_fields())
    assert db.session.scalar(select(AuditEvent).filter_by(action="round.updated")) is None


def test_local_times_are_converted_from_the_round_zone():
    # New York moved to daylight time on 11 March 2018: 18:00 EDT is 22:00 UTC.
    local = datetime(2018, 3, 12, 18, 0)
    assert ops.local_to_utc(local, "America/New_York", "opens_at") == datetime(
        2018, 3, 12, 22, 0, tzinfo=UTC
    )
    assert ops.utc_to_local(datetime(2018, 3, 12, 22, 0, tzinfo=UTC), "America/New_York") == local
    winter = datetime(2018, 2, 20, 18, 0)
    assert ops.local_to_utc(winter, "America/New_York", "x").hour == 23


def test_a_time_skipped_by_the_clock_change_is_refused():
    with pytest.raises(OperationError) as refused:
        ops.local_to_utc(datetime(2018, 3, 11, 2, 30), "America/New_York", "opens_at")
    assert refused.value.field == "opens_at"
    assert "does not exist" in refused.value.message


def test_phase_at_the_edges(make_round):
    round_ = make_round("open")
    opens, deadline = round_.opens_at, round_.submission_deadline
    tick = timedelta(microseconds=1)
    assert round_.phase(opens - tick) == RoundPhase.UPCOMING
    assert round_.phase(opens) == RoundPhase.OPEN
    assert round_.phase(deadline - tick) == RoundPhase.OPEN
    assert round_.phase(deadline) == RoundPhase.CLOSED
    assert round_.accepts_signons(round_.signon_deadline - tick)
    assert not round_.accepts_signons(round_.signon_deadline)


@pytest.mark.parametrize("phase", ["open", "upcoming", "closed"])
def test_phase_follows_the_clock(make_round, phase):
    assert make_round(phase).phase() == RoundPhase(phase)


def test_process_validation(coordinator):
    with pytest.raises(OperationError) as refused:
        ops.create_process(coordinator, title="  ")
    assert refused.value.field == "title"
    with pytest.raises(OperationError) as refused:
        ops.create_process(coordinator, title="Fine title", short_title="x" * 41)
    assert refused.value.field == "short_title"
    assert db.session.scalar(select(func.count(Process.id))) == 0
