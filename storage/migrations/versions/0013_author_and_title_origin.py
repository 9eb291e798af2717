"""where the byline and the headline came from: articles.author_from, articles.title_from

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Rows stored before this revision keep NULL: their bylines were chosen by kind of source.
    op.add_column('articles', sa.Column('author_from', sa.String(length=16), nullable=True))
    op.add_column('articles', sa.Column('title_from', sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_column('title_from')
        batch_op.drop_column('author_from')
