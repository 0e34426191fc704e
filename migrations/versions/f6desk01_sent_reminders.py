"""sent reminders (deadline and lead reminders, each sent once)

Revision ID: f6desk01
Revises: 3e931206705c
Create Date: 2026-11-30 06:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

import portal.models.base


# revision identifiers, used by Alembic.
revision = 'f6desk01'
down_revision = '3e931206705c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sent_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=19), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('deadline_at', portal.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.Column('recipients', sa.Integer(), nullable=False),
    sa.Column('created_at', portal.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('lead', 'signon_deadline', 'submission_deadline')", name=op.f('ck_sent_reminders_kind_valid')),
    sa.ForeignKeyConstraint(['sent_by_id'], ['users.id'], name=op.f('fk_sent_reminders_sent_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], name=op.f('fk_sent_reminders_statement_id_statements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sent_reminders')),
    sa.UniqueConstraint('statement_id', 'key', name=op.f('uq_sent_reminders_statement_id'))
    )


def downgrade():
    op.drop_table('sent_reminders')
