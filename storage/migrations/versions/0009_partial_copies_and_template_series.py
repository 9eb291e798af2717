"""partial copies and template series: copy_kind, series_of, the containment fingerprint index

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch copy of the table: its FTS triggers and views stay as they are).
    op.add_column('articles', sa.Column('copy_kind', sa.String(length=16), nullable=True))
    if op.get_bind().dialect.name == "sqlite":  # SQLite adds a REFERENCES column, but no named constraint
        op.execute("ALTER TABLE articles ADD COLUMN series_of INTEGER "
                   "CONSTRAINT fk_articles_series_of_articles REFERENCES articles (id) ON DELETE SET NULL")
    else:
        op.add_column('articles', sa.Column('series_of', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_articles_series_of_articles'), 'articles', 'articles', ['series_of'], ['id'],
                              ondelete='SET NULL')
    op.create_index(op.f('ix_articles_series_of'), 'articles', ['series_of'], unique=False)
    # Links made before this revision: the same body is "exact", the rest were near copies.
    op.execute("UPDATE articles SET copy_kind = CASE WHEN similarity >= 1.0 THEN 'exact' ELSE 'near' END "
               "WHERE duplicate_of IS NOT NULL")
    op.create_table('text_fingerprints',
                    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
                    sa.Column('fingerprint', sa.BigInteger(), nullable=False),
                    sa.Column('article_id', sa.Integer(), nullable=False),
                    sa.ForeignKeyConstraint(['article_id'], ['articles.id'],
                                            name=op.f('fk_text_fingerprints_article_id_articles'), ondelete='CASCADE'),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_text_fingerprints')))
    with op.batch_alter_table('text_fingerprints', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_text_fingerprints_article_id'), ['article_id'], unique=False)
        batch_op.create_index('ix_text_fingerprints_fingerprint', ['fingerprint'], unique=False)


def downgrade() -> None:
    op.drop_table('text_fingerprints')
    op.drop_index(op.f('ix_articles_series_of'), table_name='articles')
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_column('series_of')
        batch_op.drop_column('copy_kind')
