"""Read-side queries for operators and analysts: search, listing, incremental export.

Export cursors never skip nor repeat a row, even while crawls are writing:
* SQLite serialises writers (``BEGIN IMMEDIATE``), so ids become visible in order: the cursor
  is the last id exported (``id:N``).
* On PostgreSQL a sequence id can commit after a higher one, so rows carry the id of their
  inserting transaction (``commit_txid``) and an export takes only rows of transactions older
  than its snapshot's ``xmin`` (all finished); the cursor is that ``xmin`` (``txid:N``), and the
  next export starts there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Engine, Float, Integer, Select, Text, column, func, literal_column, select, text
from sqlalchemy.orm import Session

from storage.models import Article, Source


class CursorError(ValueError):
    """An export cursor that does not belong to this kind of database."""


@dataclass(frozen=True, slots=True)
class SearchHit:
    article_id: int
    title: str | None
    source: str
    published_at: datetime | None
    snippet: str
    rank: float


SelectT = TypeVar("SelectT", bound=Select[*tuple[Any, ...]])


def _filters(statement: SelectT, sources: Sequence[str], since: datetime | None) -> SelectT:
    if sources:
        statement = statement.where(Source.name.in_(list(sources)))
    if since is not None:
        statement = statement.where(func.coalesce(Article.published_at, Article.fetched_at) >= since)
    return statement


def search(
    engine: Engine,
    query_key: str,
    sources: Sequence[str] = (),
    since: datetime | None = None,
    limit: int = 20,
    make_snippet: Callable[[str], str] | None = None,
) -> list[SearchHit]:
    """Articles matching every word of the normalised query, best first.  The snippet is cut by
    ``make_snippet`` from the text as printed when given (``crawler.text.snippets``), else by the
    database from the normalised search text."""
    words = query_key.split()
    if not words:
        return []
    with Session(engine) as session:
        if engine.dialect.name == "sqlite":
            match = " ".join('"' + w.replace('"', '""') + '"' for w in words)
            fts = (
                text(
                    "SELECT rowid AS id, bm25(articles_fts) AS rank, "
                    "snippet(articles_fts, 0, '[', ']', '…', 16) AS snippet "
                    "FROM articles_fts WHERE articles_fts MATCH :match"
                )
                .columns(column("id", Integer), column("rank", Float), column("snippet", Text))
                .subquery("hits")
            )
            statement = (
                select(Article.id, Article.title, Source.name, Article.published_at, fts.c.snippet, fts.c.rank)
                .join(fts, fts.c.id == Article.id)
                .join(Source, Source.id == Article.source_id)
                .order_by(fts.c.rank, Article.id)
            )
            params = {"match": match}
        else:
            tsquery = func.plainto_tsquery("simple", " ".join(words))
            vector: Any = literal_column("articles.search_vector")
            rank = func.ts_rank(vector, tsquery)
            statement = (
                select(
                    Article.id,
                    Article.title,
                    Source.name,
                    Article.published_at,
                    func.ts_headline(
                        "simple", Article.search_text, tsquery, "StartSel=[, StopSel=], MaxWords=24, MinWords=10"
                    ),
                    rank,
                )
                .join(Source, Source.id == Article.source_id)
                .where(vector.op("@@")(tsquery))
                .order_by(rank.desc(), Article.id)
            )
            params = {}
        statement = _filters(statement, sources, since).limit(limit)
        rows = session.execute(statement, params).all()
        snippets = [r[4] or "" for r in rows]
        if make_snippet is not None and rows:
            found = session.execute(select(Article.id, Article.text).where(Article.id.in_([r[0] for r in rows])))
            texts: dict[int, str] = dict(found.all())
            # Cut from what was indexed, in its printed form: the title, then the body.
            snippets = [make_snippet(f"{r[1] or ''}\n{texts.get(r[0]) or ''}") for r in rows]
    return [SearchHit(r[0], r[1], r[2], r[3], snippet, float(r[5] or 0)) for r, snippet in zip(rows, snippets)]


def list_articles(
    engine: Engine, sources: Sequence[str] = (), since: datetime | None = None, limit: int = 50
) -> list[tuple[Article, str]]:
    """The newest articles (by publication time, else fetch time) with their source names."""
    with Session(engine) as session:
        newest = func.coalesce(Article.published_at, Article.fetched_at)
        statement = (
            _filters(select(Article, Source.name).join(Source, Source.id == Article.source_id), sources, since)
            .order_by(newest.desc(), Article.id.desc())
            .limit(limit)
        )
        rows = [(article, name) for article, name in session.execute(statement)]
        for article, _ in rows:
            session.expunge(article)
    return rows


def parse_cursor(cursor: str | None, dialect: str) -> int | None:
    if not cursor:
        return None
    kind, _, value = cursor.partition(":")
    expected = "txid" if dialect == "postgresql" else "id"
    if kind != expected or not value.isdigit():
        raise CursorError(f"not a cursor of this database: {cursor!r} (expected {expected}:N)")
    return int(value)


def export_rows(
    engine: Engine,
    sources: Sequence[str] = (),
    since: datetime | None = None,
    after: str | None = None,
    batch: int = 1000,
) -> tuple[int, Iterator[tuple[Article, str]], Any]:
    """``(row count, rows, next cursor)`` for an export; rows stream in batches of ``batch``
    inside one read transaction (one snapshot), so memory stays constant."""
    dialect = engine.dialect.name
    position = parse_cursor(after, dialect)
    session = Session(engine)
    statement = _filters(select(Article, Source.name).join(Source, Source.id == Article.source_id), sources, since)
    if dialect == "postgresql":
        session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
        horizon = int(
            session.execute(text("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")).scalar_one()
        )
        txid = func.coalesce(Article.commit_txid, 0)
        statement = statement.where(txid < horizon)
        if position is not None:
            statement = statement.where(txid >= position)
        statement = statement.order_by(txid, Article.id)
        next_cursor = f"txid:{horizon}"
    else:
        top = session.scalar(select(func.max(Article.id))) or 0
        statement = statement.where(Article.id <= top)
        if position is not None:
            statement = statement.where(Article.id > position)
        statement = statement.order_by(Article.id)
        next_cursor = f"id:{max(top, position or 0)}"
    count = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0

    def rows() -> Iterator[tuple[Article, str]]:
        try:
            for article, name in session.execute(statement.execution_options(yield_per=batch)):
                yield article, name
                session.expunge(article)
        finally:
            session.close()

    return int(count), rows(), next_cursor
