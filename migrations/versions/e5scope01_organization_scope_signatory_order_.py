"""organization scope, signatory order, public sign-on uniqueness

Organizations get a scope (national, regional, international): existing ones with a country are
national, any without one international. Signatures and public sign-ons keep the same snapshot.
Statements get the lead's signatory order. Unconfirmed public sign-ons become unique per
statement and address (older duplicates are dropped: only the newest link ever worked).

Revision ID: e5scope01
Revises: a1auth0001
Create Date: 2026-11-30 06:15:51.179438

"""
from alembic import op
import sqlalchemy as sa

import portal.models.base


# revision identifiers, used by Alembic.
revision = 'e5scope01'
down_revision = 'a1auth0001'
branch_labels = None
depends_on = None


SCOPES = "scope IN ('national', 'regional', 'international')"
ORDERS = "signatory_order IN ('alphabetical', 'networks_first', 'by_region')"
PLACE = (
    "(scope = 'national' AND country IS NOT NULL AND region IS NULL)"
    " OR (scope = 'regional' AND region IS NOT NULL AND country IS NULL)"
    " OR (scope = 'international' AND country IS NULL AND region IS NULL)"
)
WAITING = sa.text('confirmed_at IS NULL')


def upgrade():
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scope', sa.String(length=13), nullable=False, server_default='national'))
        batch_op.add_column(sa.Column('region', sa.String(length=31), nullable=True))
        batch_op.add_column(sa.Column('possible_duplicate_of_id', sa.Integer(), nullable=True))
        batch_op.alter_column('country',
               existing_type=sa.VARCHAR(length=2),
               nullable=True)
        batch_op.create_foreign_key(batch_op.f('fk_organizations_possible_duplicate_of_id_organizations'), 'organizations', ['possible_duplicate_of_id'], ['id'], ondelete='SET NULL')
    op.execute("UPDATE organizations SET country = NULL, scope = 'international' WHERE country IS NULL OR country = ''")
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.alter_column('scope', server_default=None, existing_type=sa.String(length=13), existing_nullable=False)
        batch_op.create_check_constraint(op.f('ck_organizations_scope_valid'), SCOPES)
        batch_op.create_check_constraint(op.f('ck_organizations_place_consistent'), PLACE)

    op.execute(
        "DELETE FROM public_signons WHERE confirmed_at IS NULL AND EXISTS ("
        " SELECT 1 FROM public_signons newer WHERE newer.confirmed_at IS NULL"
        " AND newer.statement_id = public_signons.statement_id"
        " AND newer.email = public_signons.email AND newer.id > public_signons.id)"
    )
    with op.batch_alter_table('public_signons', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scope', sa.String(length=13), nullable=False, server_default='national'))
        batch_op.add_column(sa.Column('region', sa.String(length=31), nullable=True))
        batch_op.alter_column('country',
               existing_type=sa.VARCHAR(length=2),
               nullable=True)
        batch_op.create_index('uq_public_signons_waiting', ['statement_id', 'email'], unique=True, sqlite_where=WAITING, postgresql_where=WAITING)
    op.execute("UPDATE public_signons SET country = NULL, scope = 'international' WHERE country = ''")
    with op.batch_alter_table('public_signons', schema=None) as batch_op:
        batch_op.alter_column('scope', server_default=None, existing_type=sa.String(length=13), existing_nullable=False)
        batch_op.create_check_constraint(op.f('ck_public_signons_scope_valid'), SCOPES)

    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scope', sa.String(length=13), nullable=False, server_default='national'))
        batch_op.add_column(sa.Column('region', sa.String(length=31), nullable=False, server_default=''))
    op.execute("UPDATE signatures SET scope = 'international' WHERE country = ''")
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.alter_column('scope', server_default=None, existing_type=sa.String(length=13), existing_nullable=False)
        batch_op.alter_column('region', server_default=None, existing_type=sa.String(length=31), existing_nullable=False)
        batch_op.create_check_constraint(op.f('ck_signatures_scope_valid'), SCOPES)

    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signatory_order', sa.String(length=14), nullable=False, server_default='alphabetical'))
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.alter_column('signatory_order', server_default=None, existing_type=sa.String(length=14), existing_nullable=False)
        batch_op.create_check_constraint(op.f('ck_statements_signatory_order_valid'), ORDERS)


def downgrade():
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_statements_signatory_order_valid'), type_='check')
        batch_op.drop_column('signatory_order')

    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_signatures_scope_valid'), type_='check')
        batch_op.drop_column('region')
        batch_op.drop_column('scope')

    # Only national organizations fit the old schema's required country: the others get ''.
    op.execute("UPDATE public_signons SET country = '' WHERE country IS NULL")
    with op.batch_alter_table('public_signons', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_public_signons_scope_valid'), type_='check')
        batch_op.drop_index('uq_public_signons_waiting', sqlite_where=WAITING, postgresql_where=WAITING)
        batch_op.alter_column('country',
               existing_type=sa.VARCHAR(length=2),
               nullable=False)
        batch_op.drop_column('region')
        batch_op.drop_column('scope')

    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_organizations_place_consistent'), type_='check')
        batch_op.drop_constraint(op.f('ck_organizations_scope_valid'), type_='check')
    op.execute("UPDATE organizations SET country = '' WHERE country IS NULL")
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_organizations_possible_duplicate_of_id_organizations'), type_='foreignkey')
        batch_op.alter_column('country',
               existing_type=sa.VARCHAR(length=2),
               nullable=False)
        batch_op.drop_column('possible_duplicate_of_id')
        batch_op.drop_column('region')
        batch_op.drop_column('scope')
