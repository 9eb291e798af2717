"""search, export cursors and views

Full-text search over the Arabic-normalised ``articles.search_text``: an FTS5 external-content
table kept in step by triggers on SQLite, a generated ``tsvector`` with a GIN index on PostgreSQL.
``commit_txid`` (PostgreSQL) orders exports by transaction.  Views ``articles_unique`` and
``source_health`` for people who use sqlite3/psql directly.

Note for later migrations: a batch operation that recreates ``articles`` on SQLite drops its
triggers; recreate them (see ``SQLITE_FTS`` here).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 16:03:00
"""

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SQLITE_FTS = [
    "CREATE VIRTUAL TABLE articles_fts USING fts5(search_text, content='articles', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
    "INSERT INTO articles_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER articles_fts_update AFTER UPDATE OF search_text ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO articles_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
]
POSTGRES_SEARCH = [
    "ALTER TABLE articles ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', coalesce(search_text, ''))) STORED",
    "CREATE INDEX ix_articles_search_vector ON articles USING gin (search_vector)",
    "ALTER TABLE articles ALTER COLUMN commit_txid SET DEFAULT (pg_current_xact_id()::text::bigint)",
]
ARTICLES_UNIQUE = "CREATE VIEW articles_unique AS SELECT * FROM articles WHERE duplicate_of IS NULL"
SOURCE_HEALTH = """CREATE VIEW source_health AS
SELECT s.id AS source_id, s.name AS source,
  (SELECT max(r.started_at) FROM crawl_runs r WHERE r.source_id = s.id) AS last_run_at,
  (SELECT r.status FROM crawl_runs r WHERE r.source_id = s.id ORDER BY r.started_at DESC, r.id DESC LIMIT 1)
    AS last_run_status,
  (SELECT max(r.finished_at) FROM crawl_runs r WHERE r.source_id = s.id AND r.status IN ('ok', 'partial'))
    AS last_success_at,
  (SELECT count(*) FROM articles a WHERE a.source_id = s.id AND a.fetched_at >= {day_ago}) AS articles_24h,
  (SELECT count(*) FROM articles a WHERE a.source_id = s.id AND a.fetched_at >= {week_ago}) AS articles_7d,
  (SELECT count(*) FROM feeds f WHERE f.source_id = s.id) AS feeds,
  (SELECT count(*) FROM feeds f WHERE f.source_id = s.id
     AND f.status IS NOT NULL AND f.status NOT IN ('ok', 'not modified', 'ill-formed')) AS feeds_failing
FROM sources s"""


# A frozen copy of crawler.text.arabic.search_key as it was when this migration was
# written: a migration must give the same result whatever the application code later becomes,
# and storage/ does not import the text rules.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad\u061c]")
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_FOLD = str.maketrans(
    {"\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627", "\u0649": "\u064a",
     "\u06cc": "\u064a", "\u06d2": "\u064a", "\u06a9": "\u0643", "\u0640": None, "\u0629": "\u0647"}
    | {chr(0x0660 + i): str(i) for i in range(10)} | {chr(0x06F0 + i): str(i) for i in range(10)}
)
_TOKEN = re.compile(r"[^\W_][\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]*", re.UNICODE)


def search_key(text: str) -> str:
    text = _DIACRITICS.sub("", _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)))
    text = re.sub(r"\s+", " ", text.translate(_FOLD)).strip().lower()
    return " ".join(_TOKEN.findall(text))


def _backfill_search_text() -> None:
    bind = op.get_bind()
    articles = sa.table("articles", sa.column("id", sa.Integer), sa.column("title", sa.Text),
                        sa.column("text", sa.Text), sa.column("search_text", sa.Text))
    rows = bind.execute(sa.select(articles.c.id, articles.c.title, articles.c.text)).all()
    for article_id, title, text in rows:
        bind.execute(articles.update().where(articles.c.id == article_id)
                     .values(search_text=search_key(f"{title or ''}\n{text or ''}")))


def upgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_text", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("commit_txid", sa.BigInteger(), nullable=True))
        batch_op.create_index(batch_op.f("ix_articles_commit_txid"), ["commit_txid"], unique=False)
    dialect = op.get_bind().dialect.name
    statements = SQLITE_FTS if dialect == "sqlite" else POSTGRES_SEARCH if dialect == "postgresql" else []
    for statement in statements:
        op.execute(statement)
    _backfill_search_text()
    if dialect == "sqlite":
        ago = "strftime('%Y-%m-%d %H:%M:%f', 'now', '{}')"
        day_ago, week_ago = ago.format("-1 day"), ago.format("-7 days")
    else:
        day_ago, week_ago = "now() - interval '1 day'", "now() - interval '7 days'"
    op.execute(ARTICLES_UNIQUE)
    op.execute(SOURCE_HEALTH.format(day_ago=day_ago, week_ago=week_ago))


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS source_health")
    op.execute("DROP VIEW IF EXISTS articles_unique")
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in ("articles_fts_insert", "articles_fts_delete", "articles_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS articles_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_articles_search_vector")
        op.execute("ALTER TABLE articles DROP COLUMN IF EXISTS search_vector")
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_articles_commit_txid"))
        batch_op.drop_column("commit_txid")
        batch_op.drop_column("search_text")
