"""The publication's calendar day and the zone its local times are read in: configured, stated
by the page, inferred from the site, or assumed UTC (and then said so)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from crawler.extraction.article import extract_article
from crawler.extraction.zones import country_of, infer_zone, stated_zone

FETCHED = datetime(2026, 1, 20, 12, 0, tzinfo=UTC)
BODY = "".join(
    f"<p>{s}</p>"
    for s in [
        "أعلنت وزارة الزراعة اليوم عن خطة جديدة لدعم صغار المزارعين في المحافظات الجنوبية عبر قروض ميسرة.",
        "وقال الوزير في مؤتمر صحفي إن الخطة تشمل توفير البذور المحسنة والأسمدة بأسعار مخفضة خلال الموسم المقبل.",
        "وأضاف أن الحكومة خصصت مبلغا إضافيا لصيانة قنوات الري وتحسين كفاءة استخدام المياه في الحقول.",
        "ورحب اتحاد المزارعين بالخطة ودعا إلى الإسراع في تنفيذها قبل بدء موسم الزراعة الشتوية.",
    ]
)


def page(date_line: str, head: str = "", lang: str = "ar") -> bytes:
    return (
        f'<html lang="{lang}"><head><meta charset="utf-8"><title>خطة لدعم المزارعين</title>{head}</head><body>'
        f'<article><h1>خطة جديدة لدعم صغار المزارعين في الجنوب</h1><div class="date">{date_line}</div>'
        f"{BODY}</article></body></html>"
    ).encode()


def extract(html: bytes, url: str | None = "https://news.example.com/a/1", tz: str | None = None):
    return extract_article(url, html, fetched_at=FETCHED, default_tz=ZoneInfo(tz) if tz else None)


def test_a_date_only_publication_keeps_its_day():
    item = extract(page("3 مارس 2025"), tz="Asia/Riyadh")
    assert item.published_has_time is False
    assert item.published_at == datetime(2025, 3, 2, 21, 0, tzinfo=UTC)  # local midnight, in UTC
    assert item.published_date == date(2025, 3, 3)  # ...but the day is the 3rd
    assert item.published_tz_from == "configured"


def test_a_time_late_at_night_is_dated_in_the_source_zone():
    head = '<meta property="article:published_time" content="2025-03-03T22:30:00+00:00">'
    item = extract(page("", head), tz="Asia/Riyadh")
    assert item.published_at == datetime(2025, 3, 3, 22, 30, tzinfo=UTC)
    assert item.published_date == date(2025, 3, 4) and item.published_tz_from == "page"


@pytest.mark.parametrize(
    "url, head, line, zone, origin",
    [
        ("https://akhbar.example.ma/x", "", "الأحد 5 يناير 2025 - 10:15", "Africa/Casablanca", "inferred"),
        (
            "https://news.example.com/x",
            '<meta property="og:locale" content="ar_SA">',
            "5 يناير 2025 10:15",
            "Asia/Riyadh",
            "inferred",
        ),
        (
            "https://news.example.com/x",
            '<link rel="alternate" hreflang="ar-EG" href="/ar">',
            "5 يناير 2025 10:15",
            "Africa/Cairo",
            "inferred",
        ),
        ("https://news.example.com/x", "", "الأحد 5 يناير 2025 - 10:15 بتوقيت مكة المكرمة", "Asia/Riyadh", "page"),
        ("https://news.example.com/x", "", "5 يناير 2025 10:15 (GMT+3)", "UTC+03:00", "page"),
        ("https://news.example.com/x", "", "5 يناير 2025 10:15 ت.غ", "UTC", "page"),
        (
            "https://news.example.com/x",
            "",
            "الأحد 5 يناير 2025 - 10:15 - الرباط 5 يناير / نونبر",
            "Africa/Casablanca",
            "inferred",
        ),
        ("https://news.example.com/x", "", "5 كانون الثاني 2025 10:15", "Asia/Baghdad", "inferred"),
    ],
)
def test_zone_inferred_when_none_is_configured(url, head, line, zone, origin):
    item = extract(page(line, head), url=url)
    assert item.published_tz_from == origin, (item.published_tz, item.published_tz_from)
    if origin == "inferred":  # a zone stated next to the time is the timestamp's own: no zone to report
        assert item.published_tz == zone
    expected = {"UTC+03:00": 3, "UTC": 0}.get(zone)
    offset = expected if expected is not None else ZoneInfo(zone).utcoffset(datetime(2025, 1, 5)).total_seconds() / 3600
    assert item.published_at == datetime(2025, 1, 5, 10, 15, tzinfo=UTC).replace(hour=int(10 - offset), minute=15)
    assert item.published_date == date(2025, 1, 5)


def test_configured_zone_wins_and_nothing_known_is_assumed_utc():
    configured = extract(page("الأحد 5 يناير 2025 - 10:15"), url="https://akhbar.example.ma/x", tz="Africa/Cairo")
    assert configured.published_tz_from == "configured" and configured.published_tz == "Africa/Cairo"
    stated = extract(page("الأحد 5 يناير 2025 - 10:15 بتوقيت مكة المكرمة"), tz="Africa/Cairo")
    assert stated.published_tz_from == "page"  # what the page states beats the configured zone
    assert stated.published_at == datetime(2025, 1, 5, 7, 15, tzinfo=UTC)
    plain = extract(page("5 يناير 2025 10:15"), url="https://news.example.com/x")
    assert plain.published_tz_from == "assumed-utc" and plain.published_tz is None
    assert plain.published_at == datetime(2025, 1, 5, 10, 15, tzinfo=UTC)
    offset = extract(
        page("5 يناير 2025", '<meta property="article:modified_time" content="2025-01-06T09:00:00+04:00">'),
        url="https://news.example.com/x",
    )
    assert offset.published_tz == "UTC+04:00" and offset.published_tz_from == "page"


def test_zone_helpers():
    assert country_of("https://www.almasryalyoum.example.eg/news", []) == ("EG", "the domain .eg")
    assert country_of("https://example.com", ["fr_FR", "ar-LB"]) == ("LB", "the locale 'ar-LB'")
    assert country_of(None, []) is None
    assert stated_zone("آخر تحديث 10:00 بتوقيت القاهرة").name == "Africa/Cairo"
    assert stated_zone("10:00 صباحا بتوقيت مكّة المكرمـة").name == "Asia/Riyadh"  # shadda, tatweel
    assert infer_zone(None, [], "الخميس 3 أيار 2024").name == "Asia/Baghdad"  # hamza spelled
    assert infer_zone(None, [], "قال الأب إن ابنه عاد") is None  # أب is not آب (August)
    assert stated_zone("نشر 10:00 GMT −2").name == "UTC-02:00"
    assert stated_zone("عمان - الأحد") is None and infer_zone(None, [], "لا شيء هنا") is None
    assert infer_zone(None, [], "20 شتنبر 2024").name == "Africa/Casablanca"
    assert infer_zone(None, [], "20 جوان 2024").name == "Africa/Algiers"


def test_extract_cli_says_a_guessed_zone_is_a_guess(tmp_path):
    from click.testing import CliRunner

    from crawler.cli import main

    saved = tmp_path / "p.html"
    saved.write_bytes(page("الأحد 5 يناير 2025 - 10:15"))
    result = CliRunner().invoke(main, ["extract", str(saved), "--url", "https://akhbar.example.ma/x"])
    assert result.exit_code == 0
    assert '"published_date": "2025-01-05"' in result.stdout and '"published_tz_from": "inferred"' in result.stdout
    assert "time zone inferred" in result.stderr and "Africa/Casablanca" in result.stderr


def test_published_date_is_stored_and_exported_as_a_date(pipelines, db_url, tmp_path):
    import json

    import pyarrow.parquet as pq
    from click.testing import CliRunner

    from crawler.cli import main
    from tests.item_helpers import item, process

    page_item = extract(page("3 مارس 2025"), tz="Asia/Riyadh")
    stored = item(
        "https://news.example.com/a/1",
        text=page_item.text,
        published_at=page_item.published_at,
        published_has_time=False,
        published_date=page_item.published_date,
        published_tz_from="configured",
    )
    process(pipelines, stored)
    out = CliRunner().invoke(main, ["export", "--db", db_url])
    row = json.loads(out.stdout)
    assert row["published_date"] == "2025-03-03" and row["published_at"] == "2025-03-02T21:00:00Z"
    assert row["published_tz_from"] == "configured"
    CliRunner().invoke(main, ["export", "--format", "parquet", "-o", str(tmp_path / "a.parquet"), "--db", db_url])
    table = pq.read_table(tmp_path / "a.parquet")
    assert str(table.schema.field("published_date").type) == "date32[day]"
    assert table.column("published_date")[0].as_py() == date(2025, 3, 3)
    csv_out = CliRunner().invoke(main, ["export", "--format", "csv", "--db", db_url]).stdout
    assert "2025-03-03" in csv_out
    shown = json.loads(CliRunner().invoke(main, ["show", "1", "--json", "--db", db_url]).stdout)
    assert shown["published_date"] == "2025-03-03"


def test_sources_discover_proposes_the_zone_extraction_would_infer():
    from crawler.sources.discovery import read_homepage

    homepage = (
        '<html lang="ar"><head><meta property="og:locale" content="ar_MA"></head><body>'
        '<div class="date">الأحد 5 نونبر 2024</div></body></html>'
    ).encode()
    findings = read_homepage(homepage, "https://news.example.com/", "text/html; charset=utf-8")
    assert findings.zone == "Africa/Casablanca" and findings.zone_why == "the locale 'ar_MA'"
    item = extract(page("الأحد 5 يناير 2025 - 10:15", '<meta property="og:locale" content="ar_MA">'))
    assert item.published_tz == findings.zone
