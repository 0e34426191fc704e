"""signatory count and list hash on the approving review, so pages print a count and file keys
hash nothing

Revision ID: f15count01
Revises: journey01
Create Date: 2026-11-30 09:20:00.000000

"""

import hashlib
import json

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "f15count01"
down_revision = "journey01"
branch_labels = None
depends_on = None


def _list_hash(rows):
    # A copy of portal.models.reviews.list_hash as it was when this migration was written.
    payload = json.dumps(rows or [], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def _rows(value):
    if isinstance(value, str):  # a driver that hands JSON back as text
        return json.loads(value)
    return value or []


def upgrade():
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("signatory_count", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("list_hash", sa.String(length=64), server_default="", nullable=False)
        )

    # Backfill: the published list is the latest correction's, else the one frozen at approval.
    bind = op.get_bind()
    reviews = sa.table(
        "reviews",
        sa.column("id"),
        sa.column("signatories", sa.JSON()),
        sa.column("signatory_count"),
        sa.column("list_hash"),
    )
    corrections = sa.table(
        "signatory_list_corrections",
        sa.column("review_id"),
        sa.column("version"),
        sa.column("signatories", sa.JSON()),
    )
    latest = {}
    for review_id, version, rows in bind.execute(
        sa.select(
            corrections.c.review_id, corrections.c.version, corrections.c.signatories
        ).order_by(corrections.c.review_id, corrections.c.version)
    ):
        latest[review_id] = _rows(rows)
    for review_id, rows in bind.execute(
        sa.select(reviews.c.id, reviews.c.signatories).where(reviews.c.signatories.is_not(None))
    ):
        published = latest.get(review_id, _rows(rows))
        bind.execute(
            reviews.update()
            .where(reviews.c.id == review_id)
            .values(signatory_count=len(published), list_hash=_list_hash(published))
        )


def downgrade():
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_column("list_hash")
        batch_op.drop_column("signatory_count")
