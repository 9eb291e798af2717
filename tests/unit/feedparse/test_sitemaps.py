import gzip

from crawler.feedparse.sitemap import parse_sitemap, robots_sitemaps

NEWS = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://e.com/a/1</loc><news:news><news:publication><news:name>E</news:name><news:language>ar</news:language>
</news:publication><news:publication_date>2024-11-05T10:30:00+03:00</news:publication_date>
<news:title>\xd8\xb9\xd9\x86\xd9\x88\xd8\xa7\xd9\x86</news:title><news:keywords>\xd8\xa3, \xd8\xa8</news:keywords></news:news></url>
<url><loc>/a/2</loc><lastmod>2024-11-04</lastmod></url>
<url><loc>ftp://e.com/x</loc></url>
</urlset>"""
INDEX = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://e.com/s1.xml.gz</loc><lastmod>2024-11-05T00:00:00Z</lastmod></sitemap>
<sitemap><loc>https://e.com/s2.xml</loc></sitemap></sitemapindex>"""


def test_news_sitemap():
    parsed = parse_sitemap(NEWS, "https://e.com/news-sitemap.xml")
    assert parsed.kind == "urlset" and [e.link for e in parsed.entries] == ["https://e.com/a/1", "https://e.com/a/2"]
    first, second = parsed.entries
    assert first.title == "عنوان" and first.language == "ar" and first.tags == ["أ", "ب"]
    assert first.published_at.isoformat() == "2024-11-05T07:30:00+00:00"
    assert second.published_at.isoformat() == "2024-11-04T00:00:00+00:00"


def test_index_and_gzip():
    parsed = parse_sitemap(gzip.compress(INDEX), "https://e.com/sitemap.xml")
    assert parsed.kind == "sitemapindex"
    assert [u for u, _ in parsed.children] == ["https://e.com/s1.xml.gz", "https://e.com/s2.xml"]


def test_not_a_sitemap_and_hostile_input():
    assert parse_sitemap(b"<html><body>x</body></html>", "https://e.com/s").problem == "not a sitemap"
    assert parse_sitemap(b"", "https://e.com/s").problem == "empty body"
    assert parse_sitemap(b"\x1f\x8b\x08garbage", "https://e.com/s").problem.startswith("gzip")
    # Entities are never expanded: an expanded &c; would put 360 letters into the link.
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;">]><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://e.com/&c;</loc></url><url><loc>https://e.com/kept</loc></url></urlset>"
    )
    parsed = parse_sitemap(laughs, "https://e.com/s")
    links = [entry.link for entry in parsed.entries]
    assert "https://e.com/kept" in links, (parsed.problem, links)
    assert not any("aaaaaaaaaa" in link for link in links), links
    # The full billion laughs (10^9 letters if expanded) parses at once, to nothing harmful.
    billion = b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY l0 "llllllllll">'
    for level in range(1, 10):
        billion += f'<!ENTITY l{level} "{f"&l{level - 1};" * 10}">'.encode()
    billion += b']><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://e.com/&l9;</loc></url></urlset>'
    assert all(len(entry.link) < 100 for entry in parse_sitemap(billion, "https://e.com/s").entries)


def test_robots():
    robots = (
        b"User-agent: *\nDisallow: /admin\nSitemap: https://e.com/sitemap.xml\nsitemap: /news.xml\nSitemap: file:///x\n"
    )
    assert robots_sitemaps(robots, "https://e.com/robots.txt") == [
        "https://e.com/sitemap.xml",
        "https://e.com/news.xml",
    ]
