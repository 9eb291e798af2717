"""The obvious pipeline, as a user would write it instead of akhbar (issue 26's yardstick; not in
the product): one Scrapy process, feedparser for the feeds, trafilatura's default extraction with
its metadata in the callback, one SQLAlchemy insert and commit per item into SQLite,
``CONCURRENT_REQUESTS=32``.

    .venv/bin/python bench/obvious_pipeline.py --sources sources.yaml --db sqlite:///obvious.db

Reads the feeds of an akhbar sources file; politeness off, as bench/throughput.py runs akhbar.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

import feedparser
import scrapy
import trafilatura
import yaml
from scrapy.crawler import CrawlerProcess
from sqlalchemy import DateTime, Integer, String, Text, create_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column


class Base(DeclarativeBase):
    pass


class Article(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    title: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str | None] = mapped_column(Text)
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class FeedSpider(scrapy.Spider):
    name = "obvious"

    def __init__(self, feeds: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.feeds = feeds

    async def start(self) -> Any:
        for url in self.feeds:
            yield scrapy.Request(url, callback=self.parse_feed)

    def parse_feed(self, response: scrapy.http.Response) -> Any:
        for entry in feedparser.parse(response.body).entries:
            if entry.get("link"):
                yield scrapy.Request(entry.link, callback=self.parse_article)

    def parse_article(self, response: scrapy.http.Response) -> Any:
        document = trafilatura.bare_extraction(response.text, url=response.url, with_metadata=True)
        if document is None:
            return
        data = document.as_dict() if hasattr(document, "as_dict") else dict(document)
        yield {
            "url": response.url,
            "title": data.get("title"),
            "author": data.get("author"),
            "published": data.get("date"),
            "text": data.get("text"),
        }


class SqlPipeline:
    def __init__(self, db_url: str) -> None:
        self.engine = create_engine(db_url)
        Base.metadata.create_all(self.engine)

    @classmethod
    def from_crawler(cls, crawler: Any) -> SqlPipeline:
        return cls(crawler.settings.get("OBVIOUS_DB_URL"))

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        with Session(self.engine) as session:
            session.add(Article(**item, fetched_at=datetime.now(UTC)))
            session.commit()
        return item


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", required=True)
    parser.add_argument("--db", required=True)
    args = parser.parse_args()
    with open(args.sources, encoding="utf-8") as handle:
        config = yaml.safe_load(handle)
    feeds = [feed for source in config["sources"] for feed in source.get("feeds", [])]
    process = CrawlerProcess(
        {
            "CONCURRENT_REQUESTS": 32,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 32,
            "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_ENABLED": False,
            "ROBOTSTXT_OBEY": False,
            "RETRY_TIMES": 0,
            "TELNETCONSOLE_ENABLED": False,
            "LOG_LEVEL": "INFO",
            "ITEM_PIPELINES": {f"{__name__}.SqlPipeline": 300},
            "OBVIOUS_DB_URL": args.db,
        }
    )
    process.crawl(FeedSpider, feeds=feeds)
    process.start()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
