"""signatory list corrections: a coordinator's change to a published signatory list

Revision ID: d4sign01
Revises: e5scope01
Create Date: 2026-11-30 06:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

import portal.models.base


# revision identifiers, used by Alembic.
revision = 'd4sign01'
down_revision = 'e5scope01'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('signatory_list_corrections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('signatories', sa.JSON(), nullable=False),
    sa.Column('removed', sa.JSON(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('previous_artifact_id', sa.Integer(), nullable=True),
    sa.Column('created_at', portal.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_signatory_list_corrections_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['previous_artifact_id'], ['artifacts.id'], name=op.f('fk_signatory_list_corrections_previous_artifact_id_artifacts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_signatory_list_corrections_review_id_reviews'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], name=op.f('fk_signatory_list_corrections_statement_id_statements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signatory_list_corrections')),
    sa.UniqueConstraint('review_id', 'version', name=op.f('uq_signatory_list_corrections_review_id'))
    )
    with op.batch_alter_table('signatory_list_corrections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signatory_list_corrections_statement_id'), ['statement_id'], unique=False)


def downgrade():
    with op.batch_alter_table('signatory_list_corrections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signatory_list_corrections_statement_id'))
    op.drop_table('signatory_list_corrections')
