"""The load round's statements: drafted by their lead, opened, signed by other organizations'
signatories, then taken to the state the plan gives them (submitted, changes requested,
approved — approval compiles the official PDF, as in the app). Committed one statement at a time."""

from __future__ import annotations

import random

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (
    Organization,
    Round,
    Signature,
    SignatureState,
    Statement,
    User,
    VerificationStatus,
)
from ..review import operations as review
from ..signons import operations as signons
from ..signons.decisions import approve_many
from ..statements import operations as drafting
from ..statements import workflow
from .names import statement_text
from .plan import signature_counts, states

BATCH = 500  # signatures per flush: one INSERT each for them, their audit events and e-mails


def build_statements(plan, rng: random.Random, round_: Round, coordinator, orgs, body, progress):
    counts = signature_counts(plan, rng)
    verified_ids = set(
        db.session.scalars(
            select(Organization.id).where(
                Organization.id.in_([o for o, _ in orgs]),
                Organization.status == VerificationStatus.VERIFIED,
            )
        )
    )
    verified = [(o, u) for o, u in orgs if o in verified_ids]
    made: list[dict] = []
    outcome = {"round": round_.slug, "statements": made}
    round_id, coordinator_id = round_.id, coordinator.id
    for number, state in enumerate(states(plan), start=1):
        # Verified organizations take turns as lead: the first statement (the longest list) is
        # led by the first, whose admin the load bench signs in as "member".
        lead_org, lead_user = verified[(number - 1) % len(verified)]
        signers = counts[number - 1] if state != "draft" else 0
        statement = _one(
            rng, round_, coordinator, (lead_org, lead_user), orgs, signers, state, body, number
        )
        made.append({"id": statement.id, "state": state, "signatures": signers})
        db.session.commit()
        db.session.expunge_all()  # nothing carried from one statement to the next
        round_ = db.session.get_one(Round, round_id)
        coordinator = db.session.get_one(User, coordinator_id)
        if number % 10 == 0 or signers >= 1000:
            progress(f"statements: {number:,} of {plan.statements:,}")
    return outcome


def _signatories(pairs) -> tuple[dict, dict]:
    """The organizations and people of `pairs`, with the memberships the role check reads,
    loaded in a few queries instead of one per signature."""
    orgs = db.session.scalars(
        select(Organization)
        .where(Organization.id.in_([o for o, _ in pairs]))
        .options(selectinload(Organization.memberships))
    ).all()
    users = db.session.scalars(
        select(User)
        .where(User.id.in_([u for _, u in pairs]))
        .options(selectinload(User.memberships))
    ).all()
    return {o.id: o for o in orgs}, {u.id: u for u in users}


def _one(rng, round_, coordinator, lead, orgs, signers, state, body, number) -> Statement:
    lead_org = db.session.get_one(Organization, lead[0])
    lead_user = db.session.get_one(User, lead[1])
    title, text = statement_text(rng, body, number)
    area = round_.areas[number % len(round_.areas)]
    statement = drafting.create_statement(
        lead_user, round_, area=area, organization=lead_org, title=title, body=text
    )
    if state == "draft":
        return statement
    workflow.apply(statement, "open_signing", lead_user)
    others = [pair for pair in orgs if pair[0] != lead_org.id]
    chosen = rng.sample(others, signers)
    organizations, users = _signatories(chosen)
    for start in range(0, len(chosen), BATCH):
        pairs = [(users[u], organizations[o]) for o, u in chosen[start : start + BATCH]]
        signons.sign_many(statement, pairs, statement.current_revision_id)
    if state == "signing":
        return statement
    pending = db.session.scalars(
        select(Signature.id).where(
            Signature.statement_id == statement.id, Signature.state == SignatureState.PENDING
        )
    ).all()
    if pending:
        approve_many(coordinator, round_, list(pending))
    review.submit(lead_user, statement)
    if state == "approved":
        review.decide(coordinator, statement, "approve")
    elif state == "changes":
        review.decide(
            coordinator, statement, "request_changes", message="Please shorten section 2."
        )
    return statement
