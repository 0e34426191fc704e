"""Submission and review: thin operations over the transition table, plus what approval adds
(the official PDF compiled and stored). Every function flushes and never commits."""

import logging

from flask_babel import gettext as _

from ..errors import OperationError
from ..events import statement_approved
from ..models import Review, Statement, Submission
from ..statements import workflow

log = logging.getLogger(__name__)


def submit(user, statement: Statement, *, now=None) -> Submission:
    """The lead submits the current text; it is locked until a coordinator decides."""
    return workflow.apply(statement, "submit", user, now=now)


def resume(user, statement: Statement) -> None:
    """After changes were requested, the lead takes the statement back to signing."""
    workflow.apply(statement, "resume", user)


def withdraw(user, statement: Statement, *, message: str | None = None) -> None:
    workflow.apply(statement, "withdraw", user, message=message)


DECISIONS = ("approve", "request_changes", "reject")


def decide(user, statement: Statement, decision: str, *, message: str | None = None) -> Review:
    """A coordinator's decision on the waiting submission. Approval freezes the approved
    revision and signatories (in the Review) and compiles the official PDF (in the background
    when there is a queue: exports/prepared.py, the receiver of events.statement_approved)."""
    if decision not in DECISIONS:
        raise OperationError(_("Choose approve, request changes or reject."), "decision")
    review = workflow.apply(statement, decision, user, message=message)
    if decision == "approve":
        statement_approved.send(statement, review=review)
    return review
