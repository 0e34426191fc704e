"""statement translations: one per language, with immutable revisions of their own

Revision ID: lang0001
Revises: d4sign01
Create Date: 2026-11-30 09:40:00.000000

The statement's own language column exists since the first migration; it keeps the codes stored
in it (the six UN languages are checked on input, portal/text/languages.py).
"""
from alembic import op
import sqlalchemy as sa

import portal.models.base


# revision identifiers, used by Alembic.
revision = 'lang0001'
down_revision = 'd4sign01'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('statement_translations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('current_revision_id', sa.Integer(), nullable=True),
    sa.Column('created_at', portal.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("language IN ('ar', 'en', 'es', 'fr', 'ru', 'zh')", name=op.f('ck_statement_translations_language_valid')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_statement_translations_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['current_revision_id'], ['translation_revisions.id'], name='fk_statement_translations_current_revision_id', use_alter=True),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], name=op.f('fk_statement_translations_statement_id_statements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statement_translations')),
    sa.UniqueConstraint('statement_id', 'language', name=op.f('uq_statement_translations_statement_id'))
    )
    with op.batch_alter_table('statement_translations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statement_translations_statement_id'), ['statement_id'], unique=False)

    op.create_table('translation_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('translation_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('source_revision_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('created_at', portal.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.Column('text_hash', sa.String(length=64), nullable=False),
    sa.Column('word_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_translation_revisions_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_translation_revisions_organization_id_organizations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['source_revision_id'], ['revisions.id'], name=op.f('fk_translation_revisions_source_revision_id_revisions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['translation_id'], ['statement_translations.id'], name=op.f('fk_translation_revisions_translation_id_statement_translations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_translation_revisions')),
    sa.UniqueConstraint('translation_id', 'number', name=op.f('uq_translation_revisions_translation_id'))
    )
    with op.batch_alter_table('translation_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_translation_revisions_source_revision_id'), ['source_revision_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_translation_revisions_translation_id'), ['translation_id'], unique=False)

    # The pointer to the current revision, once both tables exist (as statements.current_revision_id).
    if op.get_context().dialect.name != 'sqlite':
        op.create_foreign_key(
            'fk_statement_translations_current_revision_id', 'statement_translations',
            'translation_revisions', ['current_revision_id'], ['id'],
        )


def downgrade():
    if op.get_context().dialect.name != 'sqlite':
        op.drop_constraint(
            'fk_statement_translations_current_revision_id', 'statement_translations',
            type_='foreignkey',
        )
    with op.batch_alter_table('translation_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_translation_revisions_translation_id'))
        batch_op.drop_index(batch_op.f('ix_translation_revisions_source_revision_id'))
    op.drop_table('translation_revisions')
    with op.batch_alter_table('statement_translations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statement_translations_statement_id'))
    op.drop_table('statement_translations')
