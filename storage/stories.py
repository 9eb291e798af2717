"""The story index and the stories table: a write batch's look-ups of the articles that share
event terms with its own (one query per chunk of terms, bounded by the story window), and the
writes (terms, ``articles.story_id``, the ``stories`` rows recomputed from their articles).
The caller computes the terms and decides the stories (storage knows rows, not text rules)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.orm import Session

from storage.models import Article, Story, StoryTerm, table_of, utcnow

CHUNK = 500


class IndexedArticle(NamedTuple):
    """An article of the story index: its story and when it was reported."""

    story_id: int | None
    at: datetime
    story_started: datetime | None


class StoryIndex:
    """The articles between ``start`` and ``end`` that have any of ``terms``; articles written
    by the batch are added as they are decided."""

    def __init__(self, session: Session, terms: Iterable[int], start: datetime, end: datetime) -> None:
        self.session = session
        self.postings: dict[int, list[tuple[int, datetime]]] = defaultdict(list)
        self.terms_known: dict[int, list[tuple[int, int]]] = {}
        self.articles_known: dict[int, IndexedArticle] = {}
        wanted = sorted(set(terms))
        for offset in range(0, len(wanted), CHUNK):
            chunk = wanted[offset : offset + CHUNK]
            rows = session.execute(
                select(StoryTerm.term, StoryTerm.article_id, StoryTerm.at).where(
                    StoryTerm.term.in_(chunk), StoryTerm.at >= start, StoryTerm.at <= end
                )
            )
            for term, article_id, at in rows:
                self.postings[term].append((article_id, at))

    def sharing(self, terms: Iterable[int], start: datetime, end: datetime) -> dict[int, int]:
        """``{article id: terms shared}`` of the indexed articles between ``start`` and ``end``."""
        shared: dict[int, int] = defaultdict(int)
        for term in set(terms):
            for article_id, at in self.postings.get(term, ()):
                if start <= at <= end:
                    shared[article_id] += 1
        return shared

    def frequency(self, terms: Iterable[int], start: datetime, end: datetime) -> dict[int, int]:
        """How many indexed articles between ``start`` and ``end`` have each term."""
        return {term: len({a for a, at in self.postings.get(term, ()) if start <= at <= end}) for term in set(terms)}

    def terms_of(self, ids: Sequence[int]) -> dict[int, list[tuple[int, int]]]:
        """``{article id: [(term, kind)]}``."""
        missing = [i for i in ids if i not in self.terms_known]
        for offset in range(0, len(missing), CHUNK):
            chunk = missing[offset : offset + CHUNK]
            for article_id, term, kind in self.session.execute(
                select(StoryTerm.article_id, StoryTerm.term, StoryTerm.kind).where(StoryTerm.article_id.in_(chunk))
            ):
                self.terms_known.setdefault(article_id, []).append((term, kind))
        return {i: self.terms_known.get(i, []) for i in ids}

    def articles(self, ids: Sequence[int]) -> dict[int, IndexedArticle]:
        missing = [i for i in ids if i not in self.articles_known]
        for offset in range(0, len(missing), CHUNK):
            chunk = missing[offset : offset + CHUNK]
            for article_id, story_id, published_at, fetched_at, started in self.session.execute(
                select(Article.id, Article.story_id, Article.published_at, Article.fetched_at, Story.first_reported_at)
                .outerjoin(Story, Story.id == Article.story_id)
                .where(Article.id.in_(chunk))
            ):
                self.articles_known[article_id] = IndexedArticle(story_id, published_at or fetched_at, started)
        return {i: self.articles_known[i] for i in ids if i in self.articles_known}

    def add(self, article_id: int, story_id: int, at: datetime, terms: list[tuple[int, int]], indexed: bool) -> None:
        """An article of the batch, decided (``indexed``: its terms go into the index)."""
        started = self.articles_known.get(story_id)
        self.articles_known[article_id] = IndexedArticle(
            story_id, at, started.story_started if started and started.story_started else at
        )
        if indexed:
            self.terms_known[article_id] = terms
            for term, _ in terms:
                self.postings[term].append((article_id, at))


def write_stories(
    session: Session, assigned: dict[int, int], terms: list[dict[str, Any]], touched: Iterable[int]
) -> None:
    """Store the batch's decisions: ``assigned`` ``{article id: story id}``, the term rows
    (``term``, ``kind``, ``at``, ``article_id``), and the ``stories`` rows of ``touched`` stories
    recomputed from their articles."""
    if terms:
        session.execute(table_of(StoryTerm).insert(), terms)
    if assigned:
        session.execute(
            update(table_of(Article))
            .where(table_of(Article).c.id == bindparam("article_id"))
            .values(story_id=bindparam("new_story_id")),
            [{"article_id": a, "new_story_id": s} for a, s in assigned.items()],
        )
    refresh_stories(session, touched)


def refresh_stories(session: Session, story_ids: Iterable[int]) -> None:
    """The ``stories`` rows of these stories, recomputed from their articles."""
    ids = sorted(set(story_ids))
    for offset in range(0, len(ids), CHUNK):
        chunk = ids[offset : offset + CHUNK]
        rows = session.execute(
            select(
                Article.story_id,
                Article.id,
                Article.source_id,
                func.coalesce(Article.published_at, Article.fetched_at),
                Article.title,
            )
            .where(Article.story_id.in_(chunk))
            .order_by(Article.story_id, func.coalesce(Article.published_at, Article.fetched_at), Article.id)
        ).all()
        by_story: dict[int | None, list[Any]] = defaultdict(list)
        for row in rows:
            by_story[row[0]].append(row)
        session.execute(delete(Story).where(Story.id.in_(chunk)))
        now = utcnow()
        values = [
            {
                "id": story_id,
                "first_article_id": members[0][1],
                "first_source_id": members[0][2],
                "first_reported_at": members[0][3],
                "last_reported_at": members[-1][3],
                "articles": len(members),
                "sources": len({m[2] for m in members}),
                "title": members[0][4],
                "updated_at": now,
            }
            for story_id, members in by_story.items()
        ]
        if values:
            session.execute(table_of(Story).insert(), values)
