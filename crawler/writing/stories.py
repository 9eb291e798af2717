"""The stories of a write batch's new articles, decided in the batch's transaction once their
rows exist: a copy joins its original's story, an opinion piece starts its own, any other
article joins the story of the best match among the articles of the story window that share
its event terms (``crawler.stories.verdict``), or starts one.  Articles of the batch see the
ones before them.  Cost per article: the index's rows of the window for its terms, not the
whole table."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from crawler.dedup.verdict import CopyLink
from crawler.items import ArticleItem, ExtractedArticle, IdentityKeys, Provenance, StorageVerdict
from crawler.stories.terms import EventTerms, event_terms
from crawler.stories.verdict import STORY_WINDOW, StoredReport, choose_story, is_opinion
from storage.stories import StoryIndex, articles_without_story, clear_stories, write_stories

CANDIDATES = 30  # window articles compared with a new one (those sharing most terms)
MIN_RARE_SHARED = 3  # rare terms a candidate shares at the least (the verdict asks for 3 of all kinds)


@dataclass(frozen=True, slots=True)
class NewArticle:
    """A stored article whose story is to be decided: ``same_as`` is the article whose story it
    shares whatever its terms (its original, or the copy it turned out to be the original of)."""

    article_id: int
    item: ArticleItem
    same_as: int | None


def new_article(article_id: int, item: ArticleItem, verdict: StorageVerdict, link: CopyLink | None) -> NewArticle:
    same_as = verdict.duplicate_of
    if same_as is None and link is not None and link.reverse:
        same_as = link.stored_id
    return NewArticle(article_id, item, same_as)


def _at(item: ArticleItem) -> datetime:
    return item.article.published_at or item.fetch.fetched_at


def assign_stories(session: Session, articles: Sequence[NewArticle], stats: Any) -> dict[int, int]:
    """``{article id: story id}`` of the new articles, written with the index's rows and the
    stories they touched."""
    if not articles:
        return {}
    times = [_at(a.item) for a in articles]
    index = StoryIndex(
        session,
        (term for a in articles for term, _ in a.item.keys.story_terms),
        min(times) - STORY_WINDOW,
        max(times) + STORY_WINDOW,
    )
    assigned: dict[int, int] = {}
    term_rows: list[dict[str, Any]] = []
    for article, at in zip(articles, times):
        rows = article.item.keys.story_terms
        terms = EventTerms.from_kinds(rows)
        indexed = True
        if article.same_as is not None:
            known = index.articles([article.same_as]).get(article.same_as)
            story = assigned.get(article.same_as) or (known.story_id if known else None) or article.same_as
            indexed = False  # a copy's terms are its original's
            stats.inc_value("stories/copies")
        elif is_opinion(article.item.url, article.item.article.categories):
            story = article.article_id
            indexed = False
            stats.inc_value("stories/opinion")
        else:
            story = _choose(index, article, terms, at, stats)
        assigned[article.article_id] = story
        index.add(article.article_id, story, at, rows, indexed)
        if indexed:
            term_rows += [{"term": t, "kind": k, "at": at, "article_id": article.article_id} for t, k in rows]
    write_stories(session, assigned, term_rows, set(assigned.values()))
    return assigned


def _choose(index: StoryIndex, article: NewArticle, terms: EventTerms, at: datetime, stats: Any) -> int:
    start, end = at - STORY_WINDOW, at + STORY_WINDOW
    shared = index.sharing(terms.all(), start, end)
    ids = sorted((a for a, n in shared.items() if n >= MIN_RARE_SHARED), key=lambda a: (-shared[a], a))[:CANDIDATES]
    known = index.articles(ids)
    stored_terms = index.terms_of(ids)
    reports = [
        StoredReport(
            a,
            known[a].story_id or a,
            known[a].at,
            known[a].story_started or known[a].at,
            EventTerms.from_kinds(stored_terms[a]),
        )
        for a in ids
        if a in known
    ]
    window = index.window_size() + 1
    frequency = {t: n + 1 for t, n in index.frequency(terms.all()).items()}
    choice = choose_story(terms, at, reports, frequency, window)
    if choice is None:
        stats.inc_value("stories/started")
        return article.article_id
    stats.inc_value("stories/joined")
    return choice[0]


REBUILD_CHUNK = 500


def rebuild_stories(engine: Engine, since: datetime | None, progress: Callable[[int, int], None] | None = None) -> int:
    """Decide the stories of the stored articles reported at or after ``since`` (all when None)
    again, in order of report time, as the write path would have; one transaction per chunk.
    ``progress(done, total)`` after each chunk.  Returns the number of articles assigned."""
    with Session(engine) as session, session.begin():
        total = clear_stories(session, since)
    done, after = 0, None
    while True:
        with Session(engine) as session, session.begin():
            rows = articles_without_story(session, after, REBUILD_CHUNK)
            if not rows:
                break
            articles = []
            for article_id, at, url, title, text, categories, duplicate_of, fetched_at in rows:
                item = ArticleItem(
                    ExtractedArticle(url=url, text=text, title=title, published_at=at, categories=categories or []),
                    Provenance(source="", fetched_at=fetched_at),
                    IdentityKeys(story_terms=event_terms(title, text).kinds()),
                )
                articles.append(NewArticle(article_id, item, duplicate_of))
            assign_stories(session, articles, NO_STATS)
            after = (rows[-1][1], rows[-1][0])
        done += len(rows)
        if progress is not None:
            progress(done, max(total, done))
    return done


class _NoStats:
    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        pass


NO_STATS = _NoStats()
