"""stories across outlets: articles.story_id, the stories table, the story index

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch copy of the table: its FTS triggers and views stay as they are).
    # Rows stored before this revision keep a NULL story until `akhbar stories rebuild`.
    op.add_column('articles', sa.Column('story_id', sa.Integer(), nullable=True))
    op.create_index(op.f('ix_articles_story_id'), 'articles', ['story_id'], unique=False)
    op.create_table('stories',
                    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
                    sa.Column('first_article_id', sa.Integer(), nullable=True),
                    sa.Column('first_source_id', sa.Integer(), nullable=True),
                    sa.Column('first_reported_at', sa.DateTime(timezone=True), nullable=True),
                    sa.Column('last_reported_at', sa.DateTime(timezone=True), nullable=True),
                    sa.Column('articles', sa.Integer(), nullable=False),
                    sa.Column('sources', sa.Integer(), nullable=False),
                    sa.Column('title', sa.Text(), nullable=True),
                    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
                    sa.ForeignKeyConstraint(['first_article_id'], ['articles.id'],
                                            name=op.f('fk_stories_first_article_id_articles'), ondelete='SET NULL'),
                    sa.ForeignKeyConstraint(['first_source_id'], ['sources.id'],
                                            name=op.f('fk_stories_first_source_id_sources'), ondelete='SET NULL'),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_stories')))
    op.create_index(op.f('ix_stories_last_reported_at'), 'stories', ['last_reported_at'], unique=False)
    op.create_table('story_terms',
                    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
                    sa.Column('term', sa.BigInteger(), nullable=False),
                    sa.Column('kind', sa.SmallInteger(), nullable=False),
                    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
                    sa.Column('article_id', sa.Integer(), nullable=False),
                    sa.ForeignKeyConstraint(['article_id'], ['articles.id'],
                                            name=op.f('fk_story_terms_article_id_articles'), ondelete='CASCADE'),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_story_terms')))
    op.create_index(op.f('ix_story_terms_article_id'), 'story_terms', ['article_id'], unique=False)
    op.create_index('ix_story_terms_term_at', 'story_terms', ['term', 'at'], unique=False)


def downgrade() -> None:
    op.drop_table('story_terms')
    op.drop_table('stories')
    op.drop_index(op.f('ix_articles_story_id'), table_name='articles')
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_column('story_id')
