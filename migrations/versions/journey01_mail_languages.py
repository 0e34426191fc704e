"""e-mail languages: the language a public signer asked in, and that of a person's last sign-in

Revision ID: journey01
Revises: i18n0001
Create Date: 2026-11-30 10:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'journey01'
down_revision = 'i18n0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('public_signons', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=8), nullable=True))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signed_in_locale', sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('signed_in_locale')
    with op.batch_alter_table('public_signons', schema=None) as batch_op:
        batch_op.drop_column('locale')
