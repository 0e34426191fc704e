"""outbox: an index by status and time (the coordinator's failed-mail badge, delivery)

Revision ID: perf0001
Revises: venue0001
Create Date: 2026-11-30 13:30:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'perf0001'
down_revision = 'venue0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_outbox_messages_status_created_at', 'outbox_messages', ['status', 'created_at']
    )


def downgrade():
    op.drop_index('ix_outbox_messages_status_created_at', table_name='outbox_messages')
