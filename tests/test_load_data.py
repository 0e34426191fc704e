"""`portal generate-load-data`: a round built through the operations, at a small scale."""

from collections import Counter

from sqlalchemy import func, select

from portal.extensions import db
from portal.loaddata.plan import Plan, signature_counts, states
from portal.models import (
    Artifact,
    AuditEvent,
    MemberRole,
    Organization,
    Review,
    Round,
    Signature,
    Statement,
    User,
)
from portal.models.signatures import LIVE_STATES

ARGS = ["generate-load-data", "--statements", "6", "--organizations", "15", "--signatures", "40"]


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _problems(signature: Signature) -> list[str]:
    """The signing rule: a signatory of the organization signed the statement's text, the
    organization is not the lead, and only once while the signature is live."""
    problems = []
    if signature.signer is None or not signature.organization.has_role(
        signature.signer, MemberRole.SIGNATORY
    ):
        problems.append("signer is not a signatory of the organization")
    revision = signature.revision
    if revision.statement_id != signature.statement_id or signature.text_hash != revision.text_hash:
        problems.append("not bound to a revision of its statement")
    if signature.organization_id == signature.statement.lead_organization_id:
        problems.append("the lead signed its own statement")
    return problems


def test_builds_the_round_through_the_operations_then_refuses_a_second_time(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=ARGS)
    assert result.exit_code == 0, result.output
    assert "6 statements, 15 organizations, 40 signatures" in result.output

    assert _count(Round) == 1
    assert _count(Organization) == 15
    assert _count(Statement) == 6
    live = db.session.scalars(select(Signature).where(Signature.state.in_(LIVE_STATES))).all()
    assert len(live) == 40
    assert {s.id: _problems(s) for s in live if _problems(s)} == {}
    pairs = Counter((s.statement_id, s.organization_id) for s in live)
    assert max(pairs.values()) == 1
    # Every signature has its audit event, as if signed in the app.
    assert _count(AuditEvent, AuditEvent.action == "signature.sign") == 40
    by_state = Counter(db.session.scalars(select(Statement.state)))
    assert by_state == {"approved": 3, "signing": 2, "draft": 1}
    # The longest list belongs to an approved statement, frozen with its official PDF.
    longest = db.session.execute(
        select(Signature.statement_id, func.count())
        .group_by(Signature.statement_id)
        .order_by(func.count().desc())
        .limit(1)
    ).one()
    assert longest[1] == 14  # every organization but the lead
    assert db.session.get(Statement, longest[0]).state == "approved"
    review = db.session.scalar(select(Review).where(Review.statement_id == longest[0]))
    assert len(review.signatories) == 14
    assert _count(Artifact, Artifact.kind == "statement_pdf") == 3
    names = db.session.scalars(select(Organization.name)).all()
    assert len({n.casefold() for n in names}) == 15 and all(len(n) > 10 for n in names)
    users = _count(User)

    again = runner.invoke(args=ARGS)
    assert again.exit_code == 2
    assert "already has users" in again.output and "nothing was changed" in again.output
    assert _count(User) == users and _count(Statement) == 6


def test_bad_arguments_say_which_and_change_nothing(app):
    runner = app.test_cli_runner()
    for args, message in (
        (["--statements", "1"], "--statements must be at least 2"),
        (["--organizations", "2"], "--organizations must be at least 3"),
        (["--signatures", "-5"], "cannot be negative"),
        (["--statements", "3", "--organizations", "4", "--signatures", "100"], "at most 6"),
        (["--statements", "many"], "'many' is not a valid integer"),
    ):
        result = runner.invoke(args=["generate-load-data", *args])
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output, (args, result.output)
    assert _count(User) == 0


def test_signature_counts_sum_exactly_with_one_longest_list_first():
    import random

    plan = Plan(statements=200, organizations=1511, signatures=50265)
    counts = signature_counts(plan, random.Random(1))
    assert sum(counts) == 50265 and counts[:2] == [1500, 235]
    assert max(counts[2:]) < 1500 and len(counts) == plan.signing_statements  # one has 1,500
    assert Counter(states(plan))["approved"] == 100
