"""Fixtures shared by the review, workflow, compendium and export tests: statements in a given
state, with signatures, built through the real operations."""

import pytest

from portal.extensions import db
from portal.models import (
    MemberRole,
    SignatureState,
    SiteRole,
    StatementState,
    utcnow,
)
from portal.statements import operations, workflow

from .helpers.rows import imported_signature

BODY = """## Our asks

Migrants' rights are human rights.[^1]

- Regular pathways for all.
- An end to child detention.

[^1]: See <https://example.org/report>.

::: closing
Nothing about us without us.
:::
"""


@pytest.fixture
def crew(make_user, make_org, make_round):
    """A lead organization with a member, a coordinator, an outsider and an open round."""
    lead = make_org(name="Lead Coalition", slug="lead-coalition")
    return {
        "round": make_round(),
        "lead": lead,
        "drafter": make_user(name="Lead Drafter", org=lead, role=MemberRole.ADMIN),
        "coordinator": make_user(name="Coordinator", site_role=SiteRole.COORDINATOR),
        "outsider": make_user(name="Outsider"),
    }


@pytest.fixture
def make_statement(crew):
    """make_statement(state) → a statement brought to `state` through the workflow."""

    def make(state=StatementState.DRAFT, title="Joint statement", body=BODY, round_=None):
        round_ = round_ or crew["round"]
        drafter, coordinator = crew["drafter"], crew["coordinator"]
        statement = operations.create_statement(
            drafter,
            round_,
            area=round_.areas[0],
            organization=crew["lead"],
            title=title,
            body=body,
        )
        steps = {
            StatementState.DRAFT: [],
            StatementState.SIGNING: [("open_signing", drafter)],
            StatementState.SUBMITTED: [("open_signing", drafter), ("submit", drafter)],
            StatementState.CHANGES_REQUESTED: [
                ("open_signing", drafter),
                ("submit", drafter),
                ("request_changes", coordinator),
            ],
            StatementState.APPROVED: [
                ("open_signing", drafter),
                ("submit", drafter),
                ("approve", coordinator),
            ],
            StatementState.REJECTED: [
                ("open_signing", drafter),
                ("submit", drafter),
                ("reject", coordinator),
            ],
            StatementState.WITHDRAWN: [("withdraw", drafter)],
        }[StatementState(state)]
        for action, user in steps:
            workflow.apply(statement, action, user, message="Because.")
        db.session.commit()
        return statement

    return make


@pytest.fixture
def make_approved(crew, make_statement, sign):
    """make_approved(title, signers=[(name, country)], round_) → an approved (published)
    statement whose signatories were approved before it was."""

    def make(title="Joint statement", signers=(), round_=None):
        statement = make_statement(StatementState.SUBMITTED, title=title, round_=round_)
        for name, country in signers:
            sign(statement, name, country)
        workflow.apply(statement, "approve", crew["coordinator"])
        db.session.commit()
        return statement

    return make


@pytest.fixture
def sign(make_org):
    """sign(statement, name, country, state=approved, revision=None) → a Signature."""

    def do_sign(statement, name, country="KE", state=SignatureState.APPROVED, revision=None):
        org = make_org(name=name, country=country)
        signature = imported_signature(
            statement,
            org,
            revision=revision,
            state=state,
            decided_at=utcnow(),
            contact_email=f"contact@{org.slug}.example.org",
        )
        db.session.commit()
        return signature

    return do_sign
