"""Articles and pipeline calls for tests that run the item pipelines without a crawl."""

from datetime import UTC, datetime

from twisted.python.failure import Failure

from crawler.extraction.article import content_hash
from crawler.items import ArticleItem

TEXT = "أعلنت وزارة النقل عن افتتاح خط جديد للحافلات السريعة يربط شمال المدينة بجنوبها. " * 5


def item(url: str, text: str = TEXT, **kwargs) -> ArticleItem:
    return ArticleItem(
        url=url,
        source="s",
        text=text,
        fetched_at=datetime.now(UTC),
        title="خط حافلات جديد",
        content_hash=content_hash(text),
        **kwargs,
    )


def settle(deferred):
    """The result of an already-fired Deferred (raising its failure)."""
    results = []
    deferred.addBoth(results.append)
    if isinstance(results[0], Failure):
        results[0].raiseException()
    return results[0]


def process(pipes, it):
    validate, store, _ = pipes
    return settle(store.enqueue(validate.process_item(it)))
