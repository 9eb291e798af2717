"""Articles and pipeline calls for tests that run the item pipelines without a crawl."""

from dataclasses import fields, replace
from datetime import UTC, datetime
from typing import Any

from twisted.python.failure import Failure

from crawler.dedup.keys import identity_keys
from crawler.items import ArticleItem, ExtractedArticle, IdentityKeys, Provenance

TEXT = "أعلنت وزارة النقل عن افتتاح خط جديد للحافلات السريعة يربط شمال المدينة بجنوبها. " * 5


def _names(part: type) -> set[str]:
    return {f.name for f in fields(part)}


def item(url: str | None, text: str = TEXT, **kwargs: Any) -> ArticleItem:
    """An article as the crawl would make it; each keyword goes to the part that has the field
    (``source``, ``feed_url``... to the provenance, ``lsh_keys``... to the identity keys, the
    rest to the extracted article); the keys not given are computed from the text."""
    article = {"title": "خط حافلات جديد", **{k: v for k, v in kwargs.items() if k in _names(ExtractedArticle)}}
    fetch = {
        "source": "s",
        "fetched_at": datetime.now(UTC),
        **{k: v for k, v in kwargs.items() if k in _names(Provenance)},
    }
    given_keys = {k: v for k, v in kwargs.items() if k in _names(IdentityKeys)}
    unknown = set(kwargs) - _names(ExtractedArticle) - _names(Provenance) - _names(IdentityKeys)
    assert not unknown, f"no part of an ArticleItem has {unknown}"
    extracted = ExtractedArticle(url=url, text=text, **article)
    computed = identity_keys(extracted.title, text)
    keys = IdentityKeys(**{f: given_keys.get(f, getattr(computed, f)) for f in _names(IdentityKeys)})
    return ArticleItem(extracted, Provenance(**fetch), keys)


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


def from_source(article: ArticleItem, source: str) -> ArticleItem:
    """The same article fetched for another source."""
    return replace(article, fetch=replace(article.fetch, source=source))
