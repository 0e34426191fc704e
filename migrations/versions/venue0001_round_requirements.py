"""round requirements: a venue profile as a round's coordinator adjusted it

Revision ID: venue0001
Revises: acc0001
Create Date: 2026-11-30 10:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

import portal.models.base


# revision identifiers, used by Alembic.
revision = 'venue0001'
down_revision = 'acc0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('round_requirements',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('profile', sa.String(length=20), nullable=False),
    sa.Column('word_limit', sa.Integer(), nullable=True),
    sa.Column('reduced_word_limit', sa.Integer(), nullable=True),
    sa.Column('count_footnotes', sa.Boolean(), nullable=False),
    sa.Column('count_signatories', sa.Boolean(), nullable=False),
    sa.Column('count_cover', sa.Boolean(), nullable=False),
    sa.Column('languages', sa.String(length=60), nullable=False),
    sa.Column('title_languages', sa.String(length=60), nullable=False),
    sa.Column('footnotes', sa.String(length=11), nullable=False),
    sa.Column('lead', sa.String(length=8), nullable=False),
    sa.Column('signers', sa.String(length=8), nullable=False),
    sa.Column('others', sa.String(length=14), nullable=False),
    sa.Column('grouping', sa.String(length=12), nullable=False),
    sa.Column('deliverable', sa.String(length=4), nullable=False),
    sa.Column('updated_at', portal.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("footnotes IN ('allowed', 'discouraged', 'forbidden')", name=op.f('ck_round_requirements_footnotes_valid')),
    sa.CheckConstraint("lead IN ('anyone', 'ecosoc', 'admitted')", name=op.f('ck_round_requirements_lead_valid')),
    sa.CheckConstraint("signers IN ('anyone', 'ecosoc', 'admitted')", name=op.f('ck_round_requirements_signers_valid')),
    sa.CheckConstraint("others IN ('excluded', 'title_footnote', 'also_on_behalf')", name=op.f('ck_round_requirements_others_valid')),
    sa.CheckConstraint("grouping IN ('round_order', 'alphabetical', 'by_status')", name=op.f('ck_round_requirements_grouping_valid')),
    sa.CheckConstraint("deliverable IN ('pdf', 'docx')", name=op.f('ck_round_requirements_deliverable_valid')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_round_requirements_round_id_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', name=op.f('pk_round_requirements'))
    )


def downgrade():
    op.drop_table('round_requirements')
