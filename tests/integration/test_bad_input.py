"""The fault suite: hostile and broken feeds and pages beside good articles, in one crawl.

Each fault must leave the crawl running, the good articles stored, and a count in the stats and
in the crawl run; no request may reach a forbidden target."""

from __future__ import annotations

import gzip
import os
import socket
import struct
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from crawler.feedparse.feed import parse_feed
from crawler.netguard import forbidden_reason, parse_allowlist
from storage.db import make_engine
from storage.models import Article, CrawlRun, Feed
from tests.conftest import FAST_CRAWL, run_akhbar
from tests.localserver import Route
from tests.world import make_articles, quote_path, render, rss

HTML = {"Content-Type": "text/html; charset=utf-8"}


def reset_connection(handler) -> None:
    """Answer with a TCP reset (SO_LINGER 0, then close the descriptor)."""
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    os.close(handler.connection.detach())
    handler.close_connection = True


def truncated_body(handler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Content-Length", "50000")
    handler.end_headers()
    handler.wfile.write("<html><body><p>نص مقطوع".encode())
    handler.wfile.flush()
    handler.connection.shutdown(socket.SHUT_RDWR)
    handler.close_connection = True


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title><link>http://x/1</link></item></channel></rss>"""


def build_fault_world(server):
    """Good articles in a normal feed, and one feed full of faulty links, plus faulty feeds."""
    base = server.url("")
    t0 = datetime(2024, 11, 5, 9, 30, tzinfo=UTC)
    good = make_articles("مرآة", "wordpress", "Africa/Cairo", "good", 0, 3, t0)
    other = make_articles("مرآة", "portal", "Africa/Cairo", "other", 3, 3, t0)
    for a in good + other:
        server.add(quote_path(a.path), Route(render(a).encode(), headers=HTML))
    bomb = gzip.compress(b"\x00" * (40 * 1024 * 1024))
    faults = {
        "/bad/5xx": Route(b"error", status=500),
        "/bad/404": Route(b"missing", status=404),
        "/bad/hang": Route(b"late", delay=6, headers=HTML),
        "/bad/truncated": Route(raw=truncated_body),
        "/bad/reset": Route(raw=reset_connection),
        "/bad/loop": Route(status=302, headers={"Location": "/bad/loop2"}),
        "/bad/loop2": Route(status=302, headers={"Location": "/bad/loop"}),
        "/bad/to-file": Route(status=302, headers={"Location": "file:///etc/passwd"}),
        "/bad/gzip-bomb": Route(bomb, headers={"Content-Type": "text/html", "Content-Encoding": "gzip"}),
        "/bad/huge": Route(b"<html><body>" + b"x" * (3 * 1024 * 1024) + b"</body></html>", headers=HTML),
        "/bad/garbage": Route(bytes(range(256)) * 40, headers=HTML),
        "/bad/empty": Route(b"", headers=HTML),
        "/bad/pdf": Route(
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF",
            headers={"Content-Type": "application/pdf"},
        ),
    }
    for path, route in faults.items():
        server.add(path, route)
    links = [base + p for p in faults if p != "/bad/loop2"] + [
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
    ]
    items = "".join(f"<item><title>t</title><link>{link}</link></item>" for link in links)
    server.add(
        "/faults/feed",
        Route(
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>{items}</channel></rss>'.encode(),
            headers={"Content-Type": "application/rss+xml"},
        ),
    )
    server.add("/good/feed", Route(rss(good, base, "good").encode(), headers={"Content-Type": "application/rss+xml"}))
    full = rss(other, base, "other").encode()
    cp1256 = rss(other, base, "جيد").split("?>", 1)[1].encode("cp1256")
    feeds = {
        "/feeds/truncated": Route(full[: int(len(full) * 0.7)], headers={"Content-Type": "application/rss+xml"}),
        "/feeds/html": Route("<html><body><h1>ليست خلاصة</h1></body></html>".encode(), headers=HTML),
        "/feeds/503": Route(b"busy", status=503),
        "/feeds/cp1256": Route(cp1256, headers={"Content-Type": "application/rss+xml; charset=windows-1256"}),
        "/feeds/laughs": Route(BILLION_LAUGHS, headers={"Content-Type": "application/rss+xml"}),
    }
    for path, route in feeds.items():
        server.add(path, route)
    sources = (
        "sources:\n"
        f'  - name: good\n    feeds: ["{base}/good/feed", "{base}/faults/feed"]\n    timezone: Africa/Cairo\n'
        "  - name: broken-feeds\n    feeds: [" + ", ".join(f'"{base}{p}"' for p in feeds) + "]\n"
        '  - name: metadata-feed\n    feeds: ["http://169.254.169.254/latest/feed"]\n'
    )
    return good + other, sources


def test_fault_world(server, sqlite_url, tmp_path):
    good, sources = build_fault_world(server)
    (tmp_path / "s.yaml").write_text(sources, encoding="utf-8")
    result = run_akhbar(
        "crawl",
        "--sources",
        str(tmp_path / "s.yaml"),
        "--db",
        sqlite_url,
        "--log-level",
        "INFO",
        *FAST_CRAWL,
        "-s",
        "DOWNLOAD_TIMEOUT=2",
        "-s",
        "RETRY_TIMES=1",
        "-s",
        "DOWNLOAD_MAXSIZE=1048576",
        "-s",
        "DOWNLOAD_WARNSIZE=0",
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    stats = result.stderr[result.stderr.index("Dumping Scrapy stats") :]
    engine = make_engine(sqlite_url)
    with Session(engine) as session:
        titles = set(session.scalars(select(Article.title)))
        feed_status = dict(session.execute(select(Feed.url, Feed.status)).all())
        runs = list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))
    engine.dispose()
    assert titles == {a.title for a in good}  # every good article, once, from two feeds
    base = server.url("")
    assert feed_status[f"{base}/feeds/503"] == "HTTP 503"
    assert feed_status[f"{base}/feeds/html"] == "parse error"
    assert feed_status[f"{base}/feeds/cp1256"] == "ok"
    assert feed_status[f"{base}/feeds/truncated"] == "ill-formed"
    assert feed_status[f"{base}/feeds/laughs"] in ("ill-formed", "parse error")
    assert feed_status["http://169.254.169.254/latest/feed"] == "forbidden address"
    good_run, broken_run, metadata_run = runs
    assert good_run.status == "partial" and good_run.articles_new == 3 and good_run.pages_failed >= 10
    assert broken_run.status == "partial" and broken_run.feeds_failed >= 2  # html, 503
    assert broken_run.articles_new == 3  # from the windows-1256 and the truncated feed
    assert metadata_run.status == "failed"
    for stat in (
        "guard/private_address",
        "guard/scheme",
        "article/not_html/pdf",
        "article/not_html/binary",
        "article/not_html/empty",
        "article/failed/timeout",
        "article/failed/too large",
        "article/failed/HTTP 500",
        "article/failed/HTTP 404",
        "article/failed/redirect limit",
        "article/failed/truncated",
        "article/failed/connection error",
        "feeds/problems",
        "feeds/skipped_entries",
    ):
        assert f"'{stat}'" in stats, stat
    # Nothing reached a forbidden target, and nothing huge was read to the end.
    assert "/latest/" not in " ".join(server.paths_requested())


def test_private_addresses_are_refused_without_allowlist(world, server, sqlite_url, tmp_path):
    localhost = world.sources_yaml.replace("127.0.0.1", "localhost")
    (tmp_path / "local.yaml").write_text(localhost, encoding="utf-8")
    result = run_akhbar(
        "crawl",
        "--sources",
        str(tmp_path / "local.yaml"),
        "--db",
        sqlite_url,
        "--log-level",
        "INFO",
        *FAST_CRAWL,
        AKHBAR_PRIVATE_ALLOWLIST="",
    )
    assert result.returncode == 5  # every feed refused: the crawl says so (exit 5)
    literal = run_akhbar(
        "crawl",
        "--sources",
        str(tmp_path / "sources.yaml"),
        "--db",
        sqlite_url,
        "--log-level",
        "INFO",
        *FAST_CRAWL,
        AKHBAR_PRIVATE_ALLOWLIST="",
    )
    assert literal.returncode == 5
    assert server.paths_requested() == []  # neither the name nor the literal got through
    for output in (result.stderr, literal.stderr):
        assert "'guard/private_address': 4" in output, output[-1500:]


@pytest.mark.parametrize(
    "address, reason",
    [
        ("127.0.0.1", "loopback"),
        ("10.2.3.4", "private"),
        ("192.168.1.1", "private"),
        ("172.16.0.1", "private"),
        ("169.254.169.254", "link-local"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::1", "loopback"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("::ffff:127.0.0.1", "loopback"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "not global"),
        ("8.8.8.8", None),
        ("2a00:1450::1", None),
    ],
)
def test_forbidden_addresses(address, reason):
    assert forbidden_reason(address) == reason


def test_allowlist():
    allow = parse_allowlist("127.0.0.0/8, 10.1.0.0/16")
    assert forbidden_reason("127.0.0.1", allow) is None and forbidden_reason("10.1.2.3", allow) is None
    assert forbidden_reason("10.2.0.1", allow) == "private"
    with pytest.raises(ValueError, match="not-a-cidr"):
        parse_allowlist("not-a-cidr")


def test_billion_laughs_is_harmless():
    feed = parse_feed(BILLION_LAUGHS, "https://e.com/feed", "application/rss+xml")
    assert len(feed.title or "") < 10_000
