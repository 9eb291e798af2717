"""monitoring counters: fetches per feed by outcome, failures per run by reason, articles by fetch time

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op



revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('feeds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fetches_ok', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('fetches_not_modified', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('fetches_failed', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('crawl_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failure_reasons', sa.JSON(), nullable=True))
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.create_index('ix_articles_source_id_fetched_at', ['source_id', 'fetched_at'], unique=False)
    # What the bounded fetch history still knows, as a starting point for the counters.
    feeds, events = sa.table("feeds", sa.column("id"), sa.column("fetches_ok"), sa.column("fetches_not_modified"),
                             sa.column("fetches_failed")), sa.table("feed_events", sa.column("feed_id"),
                                                                      sa.column("status"))
    for column, condition in (("fetches_not_modified", events.c.status == "not modified"),
                              ("fetches_ok", events.c.status.in_(("ok", "ill-formed"))),
                              ("fetches_failed", events.c.status.not_in(("ok", "ill-formed", "not modified")))):
        count = sa.select(sa.func.count()).where(events.c.feed_id == feeds.c.id, condition).scalar_subquery()
        op.execute(feeds.update().values({column: count}))


def downgrade() -> None:
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_index('ix_articles_source_id_fetched_at')
    with op.batch_alter_table('crawl_runs', schema=None) as batch_op:
        batch_op.drop_column('failure_reasons')
    with op.batch_alter_table('feeds', schema=None) as batch_op:
        batch_op.drop_column('fetches_failed')
        batch_op.drop_column('fetches_not_modified')
        batch_op.drop_column('fetches_ok')
