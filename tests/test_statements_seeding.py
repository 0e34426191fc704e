"""The demo statement: the model text in round 2, led by the lead demo organization, with two
co-drafters, a short history ending exactly at the model statement, and comments."""

import pytest
from sqlalchemy import func, select

from portal.config import ROOT
from portal.extensions import db
from portal.models import (
    AuditEvent,
    Comment,
    DrafterState,
    MemberRole,
    Revision,
    Statement,
    User,
)
from portal.statements.seeding import StatementSeedError, texts_before
from portal.text import parse_document, text_hash

seeding = pytest.importorskip("portal.seeding")


def test_history_is_undone_from_the_final_text():
    revisions = [
        {"author": "a"},
        {"author": "b", "changes": [{"before": "old words", "after": "new words"}]},
    ]
    assert texts_before("Some new words here.", revisions) == [
        "Some old words here.",
        "Some new words here.",
    ]
    with pytest.raises(StatementSeedError, match="exactly once"):
        texts_before("nothing matches", revisions)


def test_seeded_model_statement(app):
    with app.test_request_context():
        seeding.seed_all()
        db.session.commit()
    statement = db.session.scalar(select(Statement))
    assert statement.round.number == 2
    assert statement.lead_organization.name == "Civil Society Action Committee"
    lead = db.session.scalar(select(User).where(User.email == "lead@example.org"))
    assert statement.lead_organization.role_of(lead) == MemberRole.ADMIN
    assert [d.state for d in statement.drafters] == [DrafterState.ACCEPTED] * 2
    meta, body = parse_document(
        (ROOT / "seeds" / "statements" / "gcm-2018-round-2.md").read_text(encoding="utf-8")
    )
    current = statement.current_revision
    assert current.text_hash == text_hash(meta["title"], body)
    revisions = db.session.scalars(select(Revision).order_by(Revision.number)).all()
    assert len(revisions) == 4
    times = [r.created_at for r in revisions]
    assert times == sorted(times) and len({r.author_id for r in revisions}) == 3
    assert all(r.note for r in revisions)
    comments = db.session.scalars(select(Comment).order_by(Comment.created_at)).all()
    assert len(comments) == 5 and sum(1 for c in comments if c.resolved) == 2
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"statement.create", "statement.invite", "statement.accept", "statement.save"} <= actions
    # Idempotent: a second run adds nothing.
    with app.test_request_context():
        seeding.seed_all()
        db.session.commit()
    assert db.session.scalar(select(func.count(Statement.id))) == 1
    assert db.session.scalar(select(func.count(Revision.id))) == 4
