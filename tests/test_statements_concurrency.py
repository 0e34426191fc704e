"""Simultaneous saves on the same revision, in real parallel transactions (run on SQLite and, with
TEST_DATABASE_URL, on PostgreSQL): exactly one wins, every other one is told about the conflict,
and no text is silently replaced."""

import threading

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Revision, Statement, User
from portal.statements import operations

from .statements_support import BODY

# Other connections (threads, workers, a second engine) must see the rows: real commits.
pytestmark = pytest.mark.commits


WORKERS = 8


def _race(app, statement_id, base_id, user_ids, action):
    barrier = threading.Barrier(len(user_ids))
    results: list[str] = []
    lock = threading.Lock()

    def worker(index, user_id):
        with app.app_context():
            try:
                user = db.session.get(User, user_id)
                statement = db.session.get(Statement, statement_id)
                # Load everything the permission checks read, so the race is on the write alone.
                user.active_memberships()
                assert statement.round and statement.current_revision
                assert statement.can_edit(user)
                barrier.wait(timeout=30)
                action(index, user, statement, base_id)
                db.session.commit()
                outcome = "saved"
            except operations.EditConflict:
                db.session.rollback()
                outcome = "conflict"
            except Exception as exc:  # noqa: BLE001  (reported in the assertion below)
                db.session.rollback()
                outcome = repr(exc)
            finally:
                db.session.remove()
            with lock:
                results.append(outcome)

    threads = [
        threading.Thread(target=worker, args=(index, user_id))
        for index, user_id in enumerate(user_ids)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _save(index, user, statement, base_id):
    operations.save_revision(
        user,
        statement,
        base_revision_id=base_id,
        title=statement.title,
        body=BODY + f"\nParagraph written by worker {index}.\n",
    )


def test_simultaneous_saves_on_one_base_keep_exactly_one(app, drafting):
    d = drafting
    statement_id, base_id = d.statement.id, d.statement.current_revision_id
    user_ids = [d.lead_member.id, d.co_member.id] * (WORKERS // 2)
    db.session.commit()
    results = _race(app, statement_id, base_id, user_ids, _save)
    assert sorted(results) == ["conflict"] * (WORKERS - 1) + ["saved"], results
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Revision.id))) == 2
    current = db.session.get(Statement, statement_id).current_revision
    assert current.number == 2 and "written by worker" in current.body


def test_simultaneous_restores_keep_exactly_one(app, drafting):
    d = drafting
    first = d.statement.current_revision
    operations.save_revision(
        d.lead_member,
        d.statement,
        base_revision_id=first.id,
        title=d.statement.title,
        body="Short text.\n",
    )
    db.session.commit()
    statement_id = d.statement.id

    def restore(index, user, statement, base_id):
        old = db.session.scalar(
            select(Revision).where(Revision.statement_id == statement.id, Revision.number == 1)
        )
        operations.restore_revision(user, statement, old)

    user_ids = [d.lead_member.id, d.co_member.id] * (WORKERS // 2)
    results = _race(app, statement_id, None, user_ids, restore)
    assert sorted(results) == ["conflict"] * (WORKERS - 1) + ["saved"], results
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Revision.id))) == 3
