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

from storage.models import Article, Source, Story, StoryTerm, table_of, utcnow

CHUNK = 500
COMMON_TERM = 100  # articles of a story window a term may have and still be looked up


class IndexedArticle(NamedTuple):
    """An article of the story index: its story and when it was reported."""

    story_id: int | None
    at: datetime
    story_started: datetime | None


class StoryIndex:
    """The articles between ``start`` and ``end`` that have any of ``terms``; articles written
    by the batch are added as they are decided.  A term that more than ``common`` articles of the
    window have is counted (for its weight) but its articles are not loaded: it finds no event,
    and on a busy window it would load most of the index."""

    def __init__(
        self, session: Session, terms: Iterable[int], start: datetime, end: datetime, common: int = COMMON_TERM
    ) -> None:
        self.session = session
        self.postings: dict[int, list[tuple[int, datetime]]] = defaultdict(list)
        self.counts: dict[int, int] = defaultdict(int)  # articles of the window with each term
        self.terms_known: dict[int, list[tuple[int, int]]] = {}
        self.articles_known: dict[int, IndexedArticle] = {}
        self.indexed: set[int] = set()  # the articles whose postings the index holds
        wanted = sorted(set(terms))
        in_window = (StoryTerm.at >= start, StoryTerm.at <= end)
        for offset in range(0, len(wanted), CHUNK):
            chunk = wanted[offset : offset + CHUNK]
            counted = session.execute(
                select(StoryTerm.term, func.count())
                .where(StoryTerm.term.in_(chunk), *in_window)
                .group_by(StoryTerm.term)
            )
            self.counts.update({term: int(count) for term, count in counted})
            rare = [term for term in chunk if 0 < self.counts.get(term, 0) <= common]
            if not rare:
                continue
            for term, article_id, at in session.execute(
                select(StoryTerm.term, StoryTerm.article_id, StoryTerm.at).where(StoryTerm.term.in_(rare), *in_window)
            ):
                self.postings[term].append((article_id, at))
                self.indexed.add(article_id)

    def window_size(self) -> int:
        """The articles of the window, at the least: those loaded, and as many as its commonest term has."""
        return max(len(self.indexed), max(self.counts.values(), default=0))

    def sharing(self, terms: Iterable[int], start: datetime, end: datetime) -> dict[int, int]:
        """``{article id: rare terms shared}`` of the indexed articles between ``start`` and ``end``."""
        shared: dict[int, int] = defaultdict(int)
        for term in set(terms):
            for article_id, at in self.postings.get(term, ()):
                if start <= at <= end:
                    shared[article_id] += 1
        return shared

    def frequency(self, terms: Iterable[int]) -> dict[int, int]:
        """How many articles of the window have each term."""
        return {term: self.counts.get(term, 0) for term in set(terms)}

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
            self.indexed.add(article_id)
            self.terms_known[article_id] = terms
            for term, _ in terms:
                self.counts[term] += 1
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


class StoryRow(NamedTuple):
    story: Story
    outlets: list[tuple[str, datetime | None, int, str | None]]  # (source, reported at, article id, title), first first


def list_stories(
    session: Session,
    since: datetime | None = None,
    sources: Sequence[str] = (),
    min_sources: int = 1,
    limit: int = 50,
) -> list[StoryRow]:
    """The stories reported at or after ``since`` (newest report first) with at least
    ``min_sources`` outlets, one of them among ``sources`` when given; each with its reports."""
    statement = select(Story).where(Story.sources >= min_sources)
    if since is not None:
        statement = statement.where(Story.last_reported_at >= since)
    if sources:
        members = (
            select(Article.story_id).join(Source, Source.id == Article.source_id).where(Source.name.in_(list(sources)))
        )
        statement = statement.where(Story.id.in_(members))
    stories = list(session.scalars(statement.order_by(Story.last_reported_at.desc(), Story.id.desc()).limit(limit)))
    reports: dict[int | None, list[tuple[str, datetime | None, int, str | None]]] = defaultdict(list)
    ids = [s.id for s in stories]
    for offset in range(0, len(ids), CHUNK):
        at = func.coalesce(Article.published_at, Article.fetched_at)
        for story_id, name, when, article_id, title in session.execute(
            select(Article.story_id, Source.name, at, Article.id, Article.title)
            .join(Source, Source.id == Article.source_id)
            .where(Article.story_id.in_(ids[offset : offset + CHUNK]))
            .order_by(Article.story_id, at, Article.id)
        ):
            reports[story_id].append((name, when, article_id, title))
    return [StoryRow(s, reports[s.id]) for s in stories]


def clear_stories(session: Session, since: datetime | None) -> int:
    """Forget the stories of the articles reported at or after ``since`` (all when None), for a
    rebuild: their terms, their ``story_id``; the stories left are recomputed.  Returns how many
    articles are left without a story."""
    at = func.coalesce(Article.published_at, Article.fetched_at)
    chosen = select(Article.id).where(at >= since) if since is not None else select(Article.id)
    touched = {s for (s,) in session.execute(select(Article.story_id).where(Article.id.in_(chosen)).distinct()) if s}
    session.execute(delete(StoryTerm).where(StoryTerm.article_id.in_(chosen)))
    result = session.execute(update(Article).where(Article.id.in_(chosen)).values(story_id=None))
    session.execute(delete(Story).where(Story.id.in_(sorted(touched))))
    refresh_stories(session, touched)
    return int(getattr(result, "rowcount", 0) or 0)


def articles_without_story(session: Session, after: tuple[datetime, int] | None, limit: int) -> list[Any]:
    """The next ``limit`` articles without a story, in order of report time then id, after ``after``."""
    at = func.coalesce(Article.published_at, Article.fetched_at)
    statement = select(
        Article.id,
        at,
        Article.url,
        Article.title,
        Article.text,
        Article.categories,
        Article.duplicate_of,
        Article.fetched_at,
    ).where(Article.story_id.is_(None))
    if after is not None:
        statement = statement.where((at > after[0]) | ((at == after[0]) & (Article.id > after[1])))
    return list(session.execute(statement.order_by(at, Article.id).limit(limit)).all())
