"""the cluster worker that ran a crawl run or stored an article

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('crawl_runs', sa.Column('worker', sa.String(length=255), nullable=True))
    op.add_column('articles', sa.Column('worker', sa.String(length=255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_column('worker')
    with op.batch_alter_table('crawl_runs', schema=None) as batch_op:
        batch_op.drop_column('worker')
