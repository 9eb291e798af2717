"""Pipelines run synchronously against a real SQLite file, without a crawl."""

import pytest
from scrapy.exceptions import DropItem
from sqlalchemy import select
from sqlalchemy.orm import Session

from crawler.text.urls import url_key
from pipelines.store import run_status
from storage.db import make_engine
from storage.models import ArticleUrl, CrawlRun
from tests.item_helpers import item, process, settle


def test_validate_drops_short_and_empty(pipelines, stats):
    validate = pipelines[0]
    with pytest.raises(DropItem):
        validate.process_item(item("https://e.com/1", text=""))
    with pytest.raises(DropItem):
        validate.process_item(item("https://e.com/2", text="قصير"))
    assert stats.get_value("validate/no_text") == 1 and stats.get_value("validate/too_short") == 1
    assert stats.get_value("source/s/pages_failed") == 2


def test_store_then_url_variants_are_aliases(pipelines, stats):
    engine = pipelines[2]
    process(pipelines, item("https://e.com/news/1", entry_url="https://e.com/news/1?utm_source=rss"))
    assert stats.get_value("store/inserted") == 1
    # The same article through a tracking URL and a canonical that points to the first URL.
    with pytest.raises(DropItem, match="duplicate"):
        process(pipelines, item("https://e.com/news/1?fbclid=z#top"))
    with pytest.raises(DropItem, match="duplicate"):
        process(pipelines, item("https://e.com/other-path", canonical_url="https://e.com/news/1"))
    assert stats.get_value("dedupe/url") == 2
    with Session(engine) as session:
        keys = set(session.scalars(select(ArticleUrl.url_key)))
    assert url_key("https://e.com/other-path") in keys  # the new URL is remembered


def test_same_body_same_source_is_an_alias(pipelines, stats):
    process(pipelines, item("https://e.com/news/1"))
    with pytest.raises(DropItem, match="content"):
        process(pipelines, item("https://e.com/news/1-copy"))
    assert stats.get_value("dedupe/content") == 1


def test_crawl_run_is_finished_with_counts(pipelines, stats):
    _, store, engine = pipelines
    process(pipelines, item("https://e.com/news/9"))
    stats.set_value("source/s/feeds_fetched", 1)
    store.spider_closed(None, "finished")
    with Session(make_engine(str(engine.url))) as session:
        run = session.scalars(select(CrawlRun)).one()
    assert run.status == "ok" and run.articles_new == 1 and run.finished_at is not None


def test_run_status():
    assert run_status("finished", {"feeds_fetched": 2}) == "ok"
    assert run_status("finished", {"feeds_fetched": 2, "pages_failed": 1}) == "partial"
    assert run_status("finished", {"feeds_fetched": 0, "feeds_failed": 2}) == "failed"
    assert run_status("shutdown", {}) == "interrupted"


def test_a_batch_sees_its_own_articles(pipelines, stats):
    """Two URLs of one article and a syndicated copy waiting in the same write batch."""
    _, store, _engine = pipelines
    store.batch_delay, store.batch_size = 10, 10
    from tests.world import generated_paragraphs, light_edit

    story = "\n\n".join(generated_paragraphs(5))
    first = store.enqueue(item("https://e.com/news/1", text=story))
    second = store.enqueue(item("https://e.com/news/1?utm_source=x", text=story))
    copy_text = light_edit(story)
    copy = item("https://other.net/story/7", text=copy_text, source="s")
    third = store.enqueue(copy)
    store.flush()
    assert settle(first).url == "https://e.com/news/1"
    with pytest.raises(DropItem, match=r"duplicate \(url\)"):
        settle(second)
    linked = settle(third)
    assert linked.verdict.duplicate_of is not None and linked.verdict.similarity >= 0.5
    assert stats.get_value("store/batches") == 1
