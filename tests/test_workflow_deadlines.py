"""Deadlines at the edge: a second before is allowed, a second after is refused, with the
deadline given in the round's own timezone."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal.errors import OperationError
from portal.extensions import db
from portal.models import StatementState, utcnow
from portal.statements import workflow

ZONE = ZoneInfo("America/New_York")
SECOND = timedelta(seconds=1)


def _local_deadline():
    """Midnight ending a day in New York, a few days from now, as the coordinator typed it."""
    day = (utcnow() + timedelta(days=3)).astimezone(ZONE).date()
    return datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=ZONE)


@pytest.fixture
def round_with_deadlines(crew):
    round_ = crew["round"]
    local = _local_deadline()
    round_.submission_deadline = local
    round_.signon_deadline = local
    db.session.commit()
    return round_, local


@pytest.mark.parametrize(
    "offset, allowed", [(-SECOND, True), (timedelta(0), False), (SECOND, False)]
)
def test_submission_deadline_edges(crew, make_statement, round_with_deadlines, offset, allowed):
    _round, local = round_with_deadlines
    statement = make_statement(StatementState.SIGNING)
    now = (local + offset).astimezone(ZoneInfo("UTC"))
    if allowed:
        workflow.apply(statement, "submit", crew["drafter"], now=now)
        assert statement.state == StatementState.SUBMITTED
        return
    with pytest.raises(OperationError) as error:
        workflow.apply(statement, "submit", crew["drafter"], now=now)
    # The refusal names the deadline in the round's zone, as the coordinator set it.
    assert "23:59" in error.value.message and "America/New_York" in error.value.message
    db.session.rollback()
    assert statement.state == StatementState.SIGNING


@pytest.mark.parametrize("offset, allowed", [(-SECOND, True), (SECOND, False)])
def test_open_signing_deadline_edges(crew, make_statement, round_with_deadlines, offset, allowed):
    _round, local = round_with_deadlines
    statement = make_statement(StatementState.DRAFT)
    now = local + offset
    if allowed:
        workflow.apply(statement, "open_signing", crew["drafter"], now=now)
        assert statement.state == StatementState.SIGNING
    else:
        with pytest.raises(OperationError, match="deadline"):
            workflow.apply(statement, "open_signing", crew["drafter"], now=now)
        db.session.rollback()
        assert statement.state == StatementState.DRAFT


def test_earlier_signon_deadline(crew, make_statement, round_with_deadlines):
    _round, local = round_with_deadlines
    statement = make_statement(StatementState.DRAFT)
    earlier = local - timedelta(days=1)
    workflow.apply(statement, "open_signing", crew["drafter"], signon_deadline=earlier)
    db.session.commit()
    assert statement.effective_signon_deadline == earlier


@pytest.mark.parametrize("shift", [SECOND, -timedelta(days=30)])
def test_signon_deadline_out_of_range_is_refused(crew, make_statement, round_with_deadlines, shift):
    _round, local = round_with_deadlines
    statement = make_statement(StatementState.DRAFT)
    bad = local + shift if shift > timedelta(0) else utcnow() - SECOND
    with pytest.raises(OperationError) as error:
        workflow.apply(statement, "open_signing", crew["drafter"], signon_deadline=bad)
    assert error.value.field == "signon_deadline"
    db.session.rollback()
    assert statement.state == StatementState.DRAFT and statement.signon_deadline is None


def test_decisions_after_the_deadline_are_allowed(crew, make_statement, round_with_deadlines):
    """The deadline binds the drafters; coordinators review what arrived in time."""
    _round, local = round_with_deadlines
    statement = make_statement(StatementState.SUBMITTED)
    workflow.apply(statement, "approve", crew["coordinator"], now=local + timedelta(days=2))
    assert statement.state == StatementState.APPROVED
