"""publication calendar date, the origin of its zone, the organisation credited as author

Revision ID: 0010
Revises: 0009
"""

from datetime import timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from alembic import op

import storage.models

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('articles', sa.Column('published_date', sa.Date(), nullable=True))
    op.add_column('articles', sa.Column('published_tz_from', sa.String(length=16), nullable=True))
    op.add_column('articles', sa.Column('author_organization', sa.Text(), nullable=True))
    # Existing rows: the day in the source's configured zone (published_at of a date-only
    # publication is that zone's midnight, so its day comes back exactly), else in UTC.
    bind = op.get_bind()
    articles = sa.table("articles", sa.column("id", sa.Integer), sa.column("source_id", sa.Integer),
                        sa.column("published_at", storage.models.UTCDateTime()),
                        sa.column("published_date", sa.Date), sa.column("published_tz_from", sa.String))
    sources = sa.table("sources", sa.column("id", sa.Integer), sa.column("timezone", sa.String))
    zones = {}
    for source_id, name in bind.execute(sa.select(sources.c.id, sources.c.timezone)).all():
        try:
            zones[source_id] = ZoneInfo(name) if name else None
        except (ZoneInfoNotFoundError, ValueError):
            zones[source_id] = None
    rows = bind.execute(sa.select(articles.c.id, articles.c.source_id, articles.c.published_at)
                        .where(articles.c.published_at.is_not(None))).all()
    for article_id, source_id, published in rows:
        zone = zones.get(source_id)
        bind.execute(articles.update().where(articles.c.id == article_id).values(
            published_date=published.astimezone(zone or timezone.utc).date()))  # the zone's origin is unknown
    op.create_index('ix_articles_source_id_published_date', 'articles', ['source_id', 'published_date'])


def downgrade() -> None:
    op.drop_index('ix_articles_source_id_published_date', table_name='articles')
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_column('author_organization')
        batch_op.drop_column('published_tz_from')
        batch_op.drop_column('published_date')
