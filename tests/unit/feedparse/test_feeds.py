from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from crawler.feedparse.feed import parse_feed

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>أخبار الوطن</title>
<link>https://example.com/</link><ttl>15</ttl>
<item><title>افتتاح جسر جديد على النيل</title><link>https://example.com/news/1?utm_source=rss</link>
<guid isPermaLink="false">news-1</guid><pubDate>Tue, 05 Nov 2024 10:30:00 +0200</pubDate>
<dc:creator>سارة المصري</dc:creator><category>محليات</category><category>نقل</category>
<description>&lt;p&gt;افتتح المحافظ جسرًا جديدًا&lt;/p&gt;</description></item>
<item><title>خبر بلا منطقة زمنية</title><link>/news/2</link><pubDate>Tue, 05 Nov 2024 10:30:00</pubDate></item>
<item><title>رابط غير مسموح</title><link>javascript:alert(1)</link></item>
<item><title>رابط مكرر</title><link>https://example.com/news/1?utm_source=rss</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>موقع</title><id>urn:x</id><updated>2024-11-05T10:00:00Z</updated>
<entry><title>عنوان أول</title><link href="https://example.org/a/1"/><id>urn:1</id>
<updated>2024-11-05T09:00:00+03:00</updated><author><name>ليلى حداد</name></author></entry>
</feed>"""


def test_rss_entries():
    feed = parse_feed(
        RSS.encode(), "https://example.com/feed", "application/rss+xml", default_tz=ZoneInfo("Africa/Cairo")
    )
    assert feed.is_feed and feed.problem is None and feed.title == "أخبار الوطن"
    assert feed.ttl_minutes == 15
    assert [e.link for e in feed.entries] == ["https://example.com/news/1?utm_source=rss", "https://example.com/news/2"]
    first, second = feed.entries
    assert first.title == "افتتاح جسر جديد على النيل"
    assert first.published_at.isoformat() == "2024-11-05T08:30:00+00:00"
    assert first.author == "سارة المصري" and first.guid == "news-1"
    assert first.tags == ["محليات", "نقل"] and "جسرًا" in first.summary
    # Printed without an offset: the source's time zone (Cairo, UTC+2 in November 2024).
    assert second.published_at.isoformat() == "2024-11-05T08:30:00+00:00"
    assert feed.skipped_entries == 2


def test_atom_entries():
    feed = parse_feed(ATOM.encode(), "https://example.org/atom", "application/atom+xml")
    assert feed.version.startswith("atom")
    entry = feed.entries[0]
    assert entry.link == "https://example.org/a/1" and entry.author == "ليلى حداد"
    assert entry.published_at.isoformat() == "2024-11-05T06:00:00+00:00"


def test_rss_1_0():
    rdf = """<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
    <channel rdf:about="https://e.com/"><title>دويتشه فيله</title><link>https://e.com/</link></channel>
    <item rdf:about="https://e.com/a/1"><title>خبر</title><link>https://e.com/a/1</link>
    <dc:date>2024-11-05T10:00:00Z</dc:date></item></rdf:RDF>"""
    feed = parse_feed(rdf.encode(), "https://e.com/rdf")
    assert [e.link for e in feed.entries] == ["https://e.com/a/1"]
    assert feed.entries[0].published_at.isoformat() == "2024-11-05T10:00:00+00:00"


def test_windows_1256_charset_only_in_header():
    body = RSS.split("?>", 1)[1].encode("cp1256")  # no XML declaration: the header alone says it
    feed = parse_feed(body, "https://example.com/feed", "application/rss+xml; charset=windows-1256")
    assert feed.entries[0].title == "افتتاح جسر جديد على النيل"
    assert feed.entries[0].author == "سارة المصري"


@pytest.mark.parametrize(
    "body, problem",
    [
        (b"", "empty body"),
        (b"   \n", "empty body"),
        (b"<html><body><h1>\xd8\xa3\xd8\xae\xd8\xa8\xd8\xa7\xd8\xb1</h1></body></html>", "not a feed"),
        (b"\x00\x01\x02binary", None),
    ],
)
def test_not_a_feed_is_reported_not_raised(body, problem):
    feed = parse_feed(body, "https://example.com/feed", "text/html")
    assert not feed.entries
    assert feed.problem is not None
    if problem:
        assert problem in feed.problem


def test_truncated_feed_keeps_entries_before_the_cut():
    truncated = RSS.encode()[: RSS.encode().index(b"<item><title>\xd8\xae\xd8\xa8\xd8\xb1")]
    feed = parse_feed(truncated, "https://example.com/feed", "application/rss+xml")
    assert feed.problem  # bozo: reported
    assert feed.entries and feed.entries[0].link.startswith("https://example.com/news/1")


def test_entry_cap():
    feed = parse_feed(RSS.encode(), "https://example.com/feed", max_entries=1)
    assert len(feed.entries) == 1


MALFORMED = Path(__file__).resolve().parents[4] / "shared" / "corpus" / "feeds-malformed"


@pytest.mark.skipif(not MALFORMED.exists(), reason="shared corpus not present")
def test_shared_malformed_feeds_never_raise():
    files = [p for p in MALFORMED.rglob("*") if p.is_file() and p.suffix != ".tsv"]
    assert files
    for path in files:
        parse_feed(path.read_bytes(), f"https://example.com/{path.name}", None)


def test_windows_1256_declared_nowhere_is_detected():
    body = RSS.split("?>", 1)[1].encode("cp1256")
    feed = parse_feed(body, "https://example.com/feed", "application/rss+xml")
    assert feed.entries[0].title == "افتتاح جسر جديد على النيل"


def test_utf16_with_bom():
    feed = parse_feed(
        RSS.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"), "https://e.com/f", "text/xml"
    )
    assert feed.entries[0].title == "افتتاح جسر جديد على النيل"


def test_log_records_mask_passwords(caplog):
    import logging

    from crawler import logmask

    logmask.install()
    logging.getLogger("akhbar.test").warning("db is %s", "postgresql+psycopg://user:s3cret@db/news")
    assert "s3cret" not in caplog.text and "user:***@db" in caplog.text
