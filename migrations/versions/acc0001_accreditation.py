"""accreditation: ECOSOC status and UN name on organizations, accreditations and constituencies
per process

Revision ID: acc0001
Revises: i18n0001
Create Date: 2026-11-30 10:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

import portal.models.base


# revision identifiers, used by Alembic.
revision = 'acc0001'
down_revision = 'i18n0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('accreditations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=17), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('created_at', portal.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('verified_at', portal.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('admitted_observer', 'accredited', 'registered')", name=op.f('ck_accreditations_kind_valid')),
    sa.CheckConstraint("state IN ('undeclared', 'declared', 'verified', 'rejected')", name=op.f('ck_accreditations_state_valid')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_accreditations_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['process_id'], ['processes.id'], name=op.f('fk_accreditations_process_id_processes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accreditations')),
    sa.UniqueConstraint('organization_id', 'process_id', 'kind', name=op.f('uq_accreditations_organization_id'))
    )
    with op.batch_alter_table('accreditations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accreditations_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_accreditations_process_id'), ['process_id'], unique=False)

    op.create_table('constituencies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('created_at', portal.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['process_id'], ['processes.id'], name=op.f('fk_constituencies_process_id_processes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_constituencies')),
    sa.UniqueConstraint('process_id', 'name', name=op.f('uq_constituencies_process_id'))
    )
    with op.batch_alter_table('constituencies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_constituencies_process_id'), ['process_id'], unique=False)

    op.create_table('organization_constituencies',
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('constituency_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['constituency_id'], ['constituencies.id'], name=op.f('fk_organization_constituencies_constituency_id_constituencies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_organization_constituencies_organization_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organization_id', 'constituency_id', name=op.f('pk_organization_constituencies'))
    )
    with op.batch_alter_table('organization_constituencies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organization_constituencies_constituency_id'), ['constituency_id'], unique=False)

    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ecosoc_status', sa.String(length=7), nullable=False, server_default='none'))
        batch_op.add_column(sa.Column('un_name', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('accreditation_state', sa.String(length=10), nullable=False, server_default='undeclared'))
        batch_op.add_column(sa.Column('ecosoc_verified_at', portal.models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint(batch_op.f('ck_organizations_ecosoc_status_valid'), "ecosoc_status IN ('general', 'special', 'roster', 'none')")
        batch_op.create_check_constraint(batch_op.f('ck_organizations_accreditation_state_valid'), "accreditation_state IN ('undeclared', 'declared', 'verified', 'rejected')")
    # The defaults only fill existing rows; the models set the value from now on.
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.alter_column('ecosoc_status', server_default=None)
        batch_op.alter_column('accreditation_state', server_default=None)


def downgrade():
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_organizations_accreditation_state_valid'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_organizations_ecosoc_status_valid'), type_='check')
        batch_op.drop_column('ecosoc_verified_at')
        batch_op.drop_column('accreditation_state')
        batch_op.drop_column('un_name')
        batch_op.drop_column('ecosoc_status')

    op.drop_table('organization_constituencies')
    op.drop_table('constituencies')
    op.drop_table('accreditations')
