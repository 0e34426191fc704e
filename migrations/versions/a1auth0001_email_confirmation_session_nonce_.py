"""e-mail confirmation, session nonce, secret outbox messages

Revision ID: a1auth0001
Revises: f6desk01
Create Date: 2026-11-30 06:30:00

"""
from alembic import op
import sqlalchemy as sa

import portal.models.base


# revision identifiers, used by Alembic.
revision = 'a1auth0001'
down_revision = 'f6desk01'
branch_labels = None
depends_on = None

# Kinds whose messages carried a private link before messages were marked when queued.
SECRET_KINDS = (
    'password_reset', 'invitation', 'signon_confirm', 'signature_received',
    'signature_earlier_text',
)


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_confirmed_at', portal.models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('session_nonce', sa.String(length=32), nullable=True))
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('secret', sa.Boolean(), server_default=sa.false(), nullable=False))

    # Accounts that exist already keep working: they count as confirmed since they registered.
    users = sa.table('users', sa.column('email_confirmed_at'), sa.column('created_at'))
    op.execute(users.update().values(email_confirmed_at=users.c.created_at))
    outbox = sa.table('outbox_messages', sa.column('secret', sa.Boolean), sa.column('kind', sa.String))
    op.execute(outbox.update().where(outbox.c.kind.in_(SECRET_KINDS)).values(secret=True))


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('secret')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_nonce')
        batch_op.drop_column('email_confirmed_at')
