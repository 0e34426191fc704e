"""Migration f15count01 fills the new count and hash of every approval from the list published
now: the latest correction's, else the one frozen at approval."""

import json

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from portal import create_app
from portal.extensions import db
from portal.models.reviews import list_hash

FROZEN = [{"name": f"Org {i}", "country": "KE", "signature_id": i} for i in range(1, 4)]
CORRECTED = FROZEN[1:]

REVIEW = (
    "INSERT INTO reviews (id, statement_id, submission_id, revision_id, decision, signatories, "
    "left_out, created_at) VALUES (:id, 1, :id, 1, :decision, :rows, 0, '2026-11-30 09:00:00')"
)
CORRECTION = (
    "INSERT INTO signatory_list_corrections (id, statement_id, review_id, version, signatories, "
    "removed, reason, created_at) VALUES (1, 1, 2, 2, :rows, '[]', 'Asked to be taken off.', "
    "'2026-11-30 10:00:00')"
)


def test_backfill_counts_the_published_list(tmp_path):
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.sqlite3'}", "TESTING": True}
    )
    with app.app_context():
        upgrade(revision="d4sign01")
        with db.engine.begin() as connection:
            for review_id, decision, rows in (
                (1, "approve", json.dumps(FROZEN)),
                (2, "approve", json.dumps(FROZEN)),
                (3, "reject", None),
            ):
                connection.execute(
                    text(REVIEW), {"id": review_id, "decision": decision, "rows": rows}
                )
            connection.execute(text(CORRECTION), {"rows": json.dumps(CORRECTED)})
        upgrade(revision="f15count01")
        with db.engine.connect() as connection:
            found = connection.execute(
                text("SELECT id, signatory_count, list_hash FROM reviews ORDER BY id")
            ).all()
        assert found == [
            (1, 3, list_hash(FROZEN)),
            (2, 2, list_hash(CORRECTED)),
            (3, 0, ""),
        ]
        downgrade(revision="d4sign01")
        db.engine.dispose()
