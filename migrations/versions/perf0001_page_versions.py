"""page versions: outbox by status and time; signatures, organizations and memberships stamped on update

The coordinator's failed-mail badge and the delivery of queued e-mails read the outbox by
status (a round queues a hundred thousand); kept page pieces (portal/core/fragments.py) read
the latest `updated_at` of signatures, organizations and memberships to know whether what they show changed.

Revision ID: perf0001
Revises: venue0001
Create Date: 2026-11-30 13:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

import portal.models.base


# revision identifiers, used by Alembic.
revision = 'perf0001'
down_revision = 'venue0001'
branch_labels = None
depends_on = None

STAMPED = ('signatures', 'organizations', 'memberships')


def upgrade():
    op.create_index(
        'ix_outbox_messages_status_created_at', 'outbox_messages', ['status', 'created_at']
    )
    for table in STAMPED:
        op.add_column(
            table, sa.Column('updated_at', portal.models.base.UTCDateTime(), nullable=True)
        )
        op.execute(f'UPDATE {table} SET updated_at = created_at')
        op.create_index(f'ix_{table}_updated_at', table, ['updated_at'])
    op.create_index('ix_statements_updated_at', 'statements', ['updated_at'])


def downgrade():
    op.drop_index('ix_statements_updated_at', table_name='statements')
    for table in STAMPED:
        op.drop_index(f'ix_{table}_updated_at', table_name=table)
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column('updated_at')
    op.drop_index('ix_outbox_messages_status_created_at', table_name='outbox_messages')
