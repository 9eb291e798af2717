"""Publication times decided from all their evidence (``crawler.extraction.published``): the
resolver on candidate sets, then fixture pages of each class of #25 in two CMS styles and
regions (no page here is from a real outlet: the markup is written after common arrangements)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from crawler.extraction.article import extract_article
from crawler.extraction.published import DateCandidate, choose_published
from crawler.text.timestamps import DateValue
from tests.unit.extraction import date_held_out as held_out
from tests.unit.extraction import date_held_out_more as held_out_more

CAIRO = ZoneInfo("Africa/Cairo")
BEIRUT = ZoneInfo("Asia/Beirut")
BAGHDAD = ZoneInfo("Asia/Baghdad")
RIYADH = ZoneInfo("Asia/Riyadh")
ALGIERS = ZoneInfo("Africa/Algiers")
RABAT = ZoneInfo("Africa/Casablanca")
FETCHED = datetime(2025, 3, 12, 12, 0, tzinfo=UTC)
TITLE = "افتتاح الدورة الجديدة لمعرض الكتاب الدولي بمشاركة واسعة"
PARAGRAPHS = [
    "افتتح وزير الثقافة صباح اليوم الدورة الجديدة لمعرض الكتاب الدولي بمشاركة مئات الناشرين من العالم العربي.",
    "وقال الوزير في كلمة الافتتاح إن المعرض يستقبل الزوار يوميا حتى نهاية الشهر بأسعار مخفضة للطلاب.",
    "وأضاف أن الدورة الحالية تحتفي بالأدب المترجم وتخصص جناحا لكتب الأطفال وورشا للكتابة الإبداعية.",
    "ويشارك في المعرض هذا العام أكثر من خمسمئة دار نشر من ثلاثين بلدا عربيا وأجنبيا بحسب المنظمين.",
    "وتقام على هامش المعرض ندوات فكرية يومية يشارك فيها كتاب ونقاد وأكاديميون من عدة بلدان عربية.",
    "كما يستضيف المعرض أمسيات شعرية وعروضا مسرحية للأطفال في القاعة الرئيسية طوال أيام الدورة.",
    "وأكد مدير المعرض أن إدارة المعرض وفرت حافلات مجانية لنقل الزوار من وسط المدينة إلى أرض المعارض.",
    "ودعا الناشرون إلى تمديد ساعات العمل في عطلة نهاية الأسبوع لاستيعاب الإقبال الكبير المتوقع من العائلات.",
    "وشهد اليوم الأول توقيع عشرات الكتب الجديدة لروائيين وشعراء شباب في أجنحة دور النشر المشاركة.",
    "وقالت إحدى الزائرات إنها تحرص على زيارة المعرض كل عام برفقة أبنائها لاقتناء كتب الأطفال والقصص المصورة.",
    "ويختتم المعرض فعالياته بحفل توزيع جوائز أفضل دار نشر وأفضل كتاب مترجم وأفضل كتاب للطفل.",
]
# (The body is longer than the window searched around the headline: a date after it is found by
# the search of the text after the headline.)


def wordpress(dateline: str, *, head: str = "", inside: str = "", after: str = "", above: str = "") -> bytes:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:2]) + inside + "".join(f"<p>{p}</p>" for p in PARAGRAPHS[2:])
    return (
        f'<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{TITLE} – المدونة</title>{head}</head>'
        '<body class="single-post"><div id="page"><header id="masthead"><p class="site-title">المدونة</p></header>'
        f'<main id="main"><article class="post">{above}<header class="entry-header">'
        f'<h1 class="entry-title">{TITLE}</h1><div class="entry-meta">{dateline}</div></header>'
        f'<div class="entry-content">{body}</div>{after}</article></main>'
        '<aside class="widget-area"><p>الأكثر قراءة</p></aside></div></body></html>'
    ).encode()


def portal(dateline: str, *, head: str = "", inside: str = "", after: str = "", above: str = "") -> bytes:
    body = "<br><br>".join(PARAGRAPHS[:2]) + inside + "<br><br>".join(PARAGRAPHS[2:])
    return (
        f'<html lang="ar"><head><meta charset="utf-8"><title>{TITLE} | بوابة الأخبار</title>{head}</head><body>'
        '<div class="top-bar"><a href="/">الرئيسية</a> <a href="/politics">سياسة</a></div>'
        f'<div class="container"><div class="col-md-8">{above}<div class="news-title"><h1>{TITLE}</h1></div>'
        f'<div class="news-info">{dateline}</div><div class="news-text">{body}</div>{after}</div>'
        '<div class="col-md-4 sidebar"><div class="most-read">الأكثر قراءة</div></div></div></body></html>'
    ).encode()


STYLES = [wordpress, portal]
URL = "https://akhbar.example.com/news/123"


def extract(page: bytes, tz, url: str = URL, fetched: datetime = FETCHED):
    return extract_article(url, page, fetched_at=fetched, default_tz=tz)


def local(article, tz) -> datetime:
    return article.published_at.astimezone(tz).replace(tzinfo=None)


def jsonld(**fields: str) -> str:
    return (
        '<script type="application/ld+json">'
        + json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": TITLE, **fields})
        + "</script>"
    )


def meta(prop: str, value: str) -> str:
    return f'<meta property="{prop}" content="{value}">'


# --- the resolver on candidate sets -------------------------------------------------------------


def d(text: str, tz=CAIRO, *, explicit: bool = False) -> DateValue:
    value = datetime.fromisoformat(text)
    has_time = "T" in text
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return DateValue(value, has_time, explicit_zone=explicit or "+" in text[10:] or text.endswith("Z"))


def cand(origin: str, text: str, role: str = "published", place: str | None = None, **kw) -> DateCandidate:
    return DateCandidate(d(text, **kw), origin, role, place, text)


@pytest.mark.parametrize(
    ("candidates", "expected", "origin"),
    [
        # the machine-readable time when nothing disagrees
        ([cand("jsonld:datePublished", "2025-03-09T10:30:00+02:00")], "2025-03-09T10:30:00+02:00", "jsonld"),
        # a date-only machine value takes the time of a same-day visible line
        (
            [cand("itemprop:datePublished", "2025-03-09"), cand("visible", "2025-03-09T10:30", place="after-headline")],
            "2025-03-09T10:30:00+02:00",
            "itemprop:datePublished+visible",
        ),
        # a modification is never the publication, wherever it stands
        (
            [
                cand("visible", "2025-03-09T18:05", "modified", "after-headline"),
                cand("visible", "2025-03-09T10:30", "published", "after-headline"),
            ],
            "2025-03-09T10:30:00+02:00",
            "visible",
        ),
        # a print edition's date is not the publication
        (
            [
                cand("visible", "2025-03-10", "edition", "before-headline"),
                cand("visible", "2025-03-09T22:15", "published", "after-headline"),
            ],
            "2025-03-09T22:15:00+02:00",
            "visible",
        ),
        # a rebuild time in the machine dates loses to the visible line and the URL that agree ...
        (
            [
                cand("jsonld:datePublished", "2025-11-30T02:00:00+03:00"),
                cand("meta:og:updated_time", "2025-11-30T02:00:00+03:00", "modified"),
                cand("visible", "2025-03-09T10:30", place="after-headline"),
                cand("url", "2025-03-09"),
            ],
            "2025-03-09T10:30:00+02:00",
            "visible",
        ),
        # ... and to other meta evidence that agrees with the page
        (
            [
                cand("meta:article:published_time", "2025-11-30T02:00:00+03:00"),
                cand("itemprop:datePublished", "2025-03-09"),
                cand("visible", "2025-03-09T10:30", place="after-headline"),
            ],
            "2025-03-09T10:30:00+02:00",
            "itemprop:datePublished+visible",
        ),
        # ... but an article updated months later keeps its machine publication time
        (
            [
                cand("jsonld:datePublished", "2025-03-09T10:30:00+02:00"),
                cand("jsonld:dateModified", "2025-11-30T02:00:00+02:00", "modified"),
                cand("visible", "2025-11-30T02:00", "modified", "after-headline"),
            ],
            "2025-03-09T10:30:00+02:00",
            "jsonld",
        ),
        # ... and one visible date alone (the site's "today" in the header) does not overturn it
        (
            [
                cand("jsonld:datePublished", "2025-03-01T10:30:00+02:00"),
                cand("visible", "2025-03-09", place="before-headline"),
            ],
            "2025-03-01T10:30:00+02:00",
            "jsonld",
        ),
        # a false Z: the meta clock equals the local clock printed on the page
        (
            [
                cand("meta:article:published_time", "2025-03-09T14:30:00Z"),
                cand("visible", "2025-03-09T14:30", place="after-headline"),
            ],
            "2025-03-09T14:30:00+02:00",
            "meta:article:published_time+visible",
        ),
        # a true Z: the page prints the local time, two hours later
        (
            [
                cand("meta:article:published_time", "2025-03-09T14:30:00Z"),
                cand("visible", "2025-03-09T16:30", place="after-headline"),
            ],
            "2025-03-09T14:30:00+00:00",
            "meta",
        ),
        # a relative time by the headline loses to an absolute date after the body
        (
            [
                cand("relative", "2025-03-12T09:00", place="after-headline"),
                cand("visible", "2025-03-12T09:15", place="after-body"),
            ],
            "2025-03-12T09:15:00+02:00",
            "visible",
        ),
        ([cand("relative", "2025-03-12T09:00", place="after-headline")], "2025-03-12T09:00:00+02:00", "relative"),
        # an embedded post's date is never the article's
        (
            [cand("visible", "2025-03-11", place="embed"), cand("url", "2025-03-12")],
            "2025-03-12T00:00:00+02:00",
            "url",
        ),
        ([cand("visible", "2025-03-11", place="embed")], None, None),
        # the feed's time when the page has none; the page's when they disagree by days
        ([cand("feed", "2025-03-09T08:30:00+00:00")], "2025-03-09T08:30:00+00:00", "feed"),
    ],
)
def test_the_resolver(candidates, expected, origin):
    decision = choose_published(candidates, CAIRO)
    if expected is None:
        assert decision.value is None, decision.reason
        return
    assert decision.value is not None, decision.reason
    assert decision.value.value == datetime.fromisoformat(expected), decision.reason
    assert decision.origin is not None and decision.origin.startswith(origin), (decision.origin, decision.reason)


# --- pages of each class --------------------------------------------------------------------------

# (dateline by the headline, extra markup, zone, expected local publication time); every page of
# a class is built in each of the STYLES.
LABEL_SPLIT = {
    "spans, Egypt": (
        '<span class="lbl">آخر تحديث:</span> <span class="val">الأحد 09 مارس 2025 - 06:05 م</span> '
        '<span class="lbl">نُشر في:</span> <span class="val">الأحد 09 مارس 2025 - 10:30 ص</span>',
        CAIRO,
        datetime(2025, 3, 9, 10, 30),
    ),
    "blocks with icons, Lebanon": (
        '<div class="dates"><div><i class="icon-clock"></i> تاريخ التحديث</div><div>الأحد 09 آذار 2025 | 18:05</div>'
        "<div><i class='icon-pen'></i> تاريخ النشر</div><div>الأحد 09 آذار 2025 | 10:30</div></div>",
        BEIRUT,
        datetime(2025, 3, 9, 10, 30),
    ),
}


@pytest.mark.parametrize("style", STYLES, ids=lambda s: s.__name__)
@pytest.mark.parametrize("case", sorted(LABEL_SPLIT))
def test_a_modification_label_in_its_own_element(case, style):
    dateline, tz, expected = LABEL_SPLIT[case]
    article = extract(style(dateline), tz)
    assert local(article, tz) == expected
    assert article.modified_at is not None and article.modified_at.astimezone(tz).hour == 18


TWEET = (
    '<blockquote class="twitter-tweet"><p lang="ar" dir="rtl">افتتاح المعرض غدا بمشاركة واسعة</p>'
    '— وزارة الثقافة (@culture) <a href="https://twitter.com/culture/status/1">March 11, 2025</a></blockquote>'
)
FACEBOOK = (
    '<div class="fb-post" data-href="https://www.facebook.com/x/posts/1"><blockquote cite="https://www.facebook.com/x">'
    "<p>المعرض يفتح أبوابه</p>Posted by وزارة الثقافة on Monday, March 10, 2025</blockquote></div>"
)
INSTAGRAM = (
    '<blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram.com/p/1/">'
    "<p>A post shared by وزارة الثقافة (@culture)</p><p>10 مارس 2025</p></blockquote>"
)
EMBEDS = {
    "a tweet, the date after the body, Saudi": (TWEET, "نشر بتاريخ 12 مارس 2025 - 09:15", RIYADH, (12, 9, 15)),
    "a Facebook post, a numeric date after the body, Iraq": (FACEBOOK, "12/03/2025 | 09:15", BAGHDAD, (12, 9, 15)),
    "an Instagram post, Morocco": (INSTAGRAM, "الأربعاء 12 مارس 2025 - 09:15", RABAT, (12, 9, 15)),
}


@pytest.mark.parametrize("style", STYLES, ids=lambda s: s.__name__)
@pytest.mark.parametrize("case", sorted(EMBEDS))
def test_dates_inside_embedded_posts(case, style):
    embed, date_after, tz, (day, hour, minute) = EMBEDS[case]
    article = extract(style("منذ 3 ساعات", inside=embed, after=f'<div class="post-date">{date_after}</div>'), tz)
    assert local(article, tz) == datetime(2025, 3, day, hour, minute)
    # with no date of its own on the page, the article is not dated by the embed
    undated = extract(style("", inside=embed), tz)
    assert undated.published_at is None


RELATED = (
    '<div class="related-news"><h3>أخبار ذات صلة</h3><ul>'
    '<li><span>10 مارس 2025</span> <a href="/n/1">وزير الثقافة يزور أجنحة المعرض ويلتقي الناشرين العرب</a></li>'
    '<li><span>08 مارس 2025</span> <a href="/n/2">إعلان القائمة القصيرة لجوائز الكتاب العربي لهذا العام</a></li>'
    "</ul></div>"
)


@pytest.mark.parametrize("style", STYLES, ids=lambda s: s.__name__)
@pytest.mark.parametrize(
    ("relative", "absolute", "tz", "expected"),
    [
        ("منذ 5 ساعات", "نُشر في 12-03-2025 الساعة 07:40", CAIRO, datetime(2025, 3, 12, 7, 40)),
        ("قبل ساعتين", "تاريخ النشر: 12 آذار 2025 - 11:20", BEIRUT, datetime(2025, 3, 12, 11, 20)),
    ],
)
def test_a_relative_time_by_the_headline_and_the_absolute_one_after_the_body(relative, absolute, tz, expected, style):
    # a related-news block with dates of its own stands between the body and the date line
    article = extract(style(relative, after=f'{RELATED}<div class="date-line">{absolute}</div>'), tz)
    assert local(article, tz) == expected
    assert article.published_from == "visible"


REBUILD = "2025-11-30T02:00:00+03:00"
AFTER_REBUILD = datetime(2025, 12, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("style", STYLES, ids=lambda s: s.__name__)
def test_a_cms_rebuild_time_against_the_visible_date_and_the_url(style):
    head = jsonld(datePublished=REBUILD, dateModified=REBUILD) + meta("og:updated_time", REBUILD)
    page = style("الأحد 09 مارس 2025 - 10:30", head=head)
    article = extract(page, RIYADH, url="https://akhbar.example.com/news/2025/03/09/book-fair", fetched=AFTER_REBUILD)
    assert local(article, RIYADH) == datetime(2025, 3, 9, 10, 30)
    # without the rebuild signature the machine time stands (an article updated later)
    updated = jsonld(datePublished="2025-03-09T10:30:00+03:00", dateModified=REBUILD)
    article = extract(style("آخر تحديث: 30 نوفمبر 2025 - 02:00", head=updated), RIYADH, fetched=AFTER_REBUILD)
    assert local(article, RIYADH) == datetime(2025, 3, 9, 10, 30)


@pytest.mark.parametrize("style", STYLES, ids=lambda s: s.__name__)
def test_a_cms_rebuild_time_against_other_meta_evidence(style):
    head = (
        meta("article:published_time", "2025-11-30T02:00:00Z")
        + meta("article:modified_time", "2025-11-30T02:00:00Z")
        + '<meta itemprop="datePublished" content="2025-03-09">'
    )
    article = extract(style("2025/03/09 10:30", head=head), BAGHDAD, fetched=AFTER_REBUILD)
    assert local(article, BAGHDAD) == datetime(2025, 3, 9, 10, 30)


FALSE_Z = {
    # (head, the clock printed as the meta's, the true local clock of 14:30Z, zone, publication in UTC)
    "meta, Egypt": (
        meta("article:published_time", "2025-03-09T14:30:00Z"),
        "الأحد 09 مارس 2025 - 02:30 م",
        "الأحد 09 مارس 2025 - 04:30 م",
        CAIRO,
        datetime(2025, 3, 9, 12, 30),
    ),
    "JSON-LD with milliseconds, Iraq": (
        jsonld(datePublished="2025-03-09T14:30:00.000Z"),
        "14:30 | 09.03.2025",
        "17:30 | 09.03.2025",
        BAGHDAD,
        datetime(2025, 3, 9, 11, 30),
    ),
}


@pytest.mark.parametrize("style", STYLES, ids=lambda s: s.__name__)
@pytest.mark.parametrize("case", sorted(FALSE_Z))
def test_a_false_z(case, style):
    head, same_clock, true_local, tz, expected_utc = FALSE_Z[case]
    article = extract(style(same_clock, head=head), tz)
    assert article.published_at.replace(tzinfo=None) == expected_utc
    # a true Z: the page prints the local clock, not the UTC one
    article = extract(style(true_local, head=head), tz)
    assert article.published_at == datetime(2025, 3, 9, 14, 30, tzinfo=UTC)


FORMATS = {
    "Algerian 21سا40د after the date": (
        "نشر في 09 مارس 2025 على الساعة 21سا40د",
        ALGIERS,
        datetime(2025, 3, 9, 21, 40),
    ),
    "Algerian 21سا40د before the date": ("21سا40د , 09-03-2025", ALGIERS, datetime(2025, 3, 9, 21, 40)),
    "Persian digits": ("۰۹ مارس ۲۰۲۵ - ۱۴:۵۶", BAGHDAD, datetime(2025, 3, 9, 14, 56)),
    "Persian and Arabic-Indic digits mixed": ("٠٩/٠٣/٢٠٢٥ - ۱۴:۴۵", BAGHDAD, datetime(2025, 3, 9, 14, 45)),
    "Hijri then Gregorian with the time": (
        "الأحد 9 رمضان 1446 هـ الموافق 09 مارس 2025 م - 10:30 ص",
        RIYADH,
        datetime(2025, 3, 9, 10, 30),
    ),
    "Hijri date only": ("الأحد 9 رمضان 1446 هـ", RIYADH, datetime(2025, 3, 9)),
    "three lines: Hijri, Gregorian, time": (
        "<span>الأحد 9 رمضان 1446 هـ</span><span>09 مارس 2025 م</span><span>10:30 ص</span>",
        RIYADH,
        datetime(2025, 3, 9, 10, 30),
    ),
    "GMT written ت.غ": ("09.03.2025 08:30 ت.غ", CAIRO, datetime(2025, 3, 9, 10, 30)),
    "three lines: day name, numeric date, time": (
        "<ul class='meta'><li>الأحد</li><li>2025/03/09</li><li>22:10</li></ul>",
        CAIRO,
        datetime(2025, 3, 9, 22, 10),
    ),
}


@pytest.mark.parametrize("style", STYLES, ids=lambda s: s.__name__)
@pytest.mark.parametrize("case", sorted(FORMATS))
def test_date_formats(case, style):
    dateline, tz, expected = FORMATS[case]
    assert local(extract(style(dateline), tz), tz) == expected


EDITIONS = {
    "issue number, Gulf": ('<div class="issue">العدد 16423 - الاثنين 10 مارس 2025</div>', RIYADH),
    "print edition, Egypt": ('<div class="edition">النسخة الورقية: الاثنين 10-03-2025</div>', CAIRO),
}


@pytest.mark.parametrize("style", STYLES, ids=lambda s: s.__name__)
@pytest.mark.parametrize("case", sorted(EDITIONS))
def test_a_print_edition_tag_above_the_headline(case, style):
    tag, tz = EDITIONS[case]
    article = extract(style("الأحد 09 مارس 2025 - 22:15", above=tag), tz)
    assert local(article, tz) == datetime(2025, 3, 9, 22, 15)


def test_explain_records_the_date_candidates():
    evidence: dict = {}
    head = jsonld(datePublished=REBUILD) + meta("og:updated_time", REBUILD)
    extract_article(
        "https://akhbar.example.com/news/2025/03/09/book-fair",
        wordpress("الأحد 09 مارس 2025 - 10:30", head=head),
        fetched_at=AFTER_REBUILD,
        default_tz=RIYADH,
        explain=evidence,
    )
    decision = evidence["published"]
    origins = {c.origin for c in decision.candidates}
    assert {"jsonld:datePublished", "meta:og:updated_time", "visible", "url"} <= origins
    assert decision.origin == "visible" and "url" in decision.reason


def test_extract_explain_prints_the_date_candidates(tmp_path):
    from click.testing import CliRunner

    from crawler.cli import main

    page = tmp_path / "page.html"
    head = jsonld(datePublished=REBUILD) + meta("og:updated_time", REBUILD)
    page.write_bytes(wordpress("الأحد 09 مارس 2025 - 10:30", head=head, inside=TWEET))
    url = "https://akhbar.example.com/news/2025/03/09/book-fair"
    result = CliRunner().invoke(main, ["extract", str(page), "--url", url, "--timezone", "Asia/Riyadh", "--explain"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["published_from"] == "visible"
    assert "disagrees with url, visible" in result.stderr
    assert "- meta:og:updated_time [modified]: '2025-11-30T02:00:00+03:00'" in result.stderr
    assert "- visible [published, embed]: 'march 11, 2025' → 2025-03-11T00:00:00+03:00" in result.stderr
    # and the title's candidates
    assert f"title: {TITLE} (from h1)" in result.stderr and f"- title: '{TITLE} – المدونة'" in result.stderr


@pytest.mark.parametrize("style", held_out.STYLES, ids=lambda s: s.__name__)
@pytest.mark.parametrize("case", held_out.HELD_OUT, ids=lambda c: c[0])
def test_held_out_pages(case, style):
    _name, dateline, parts, tz, url, fetched, expected = case
    article = extract_article(url, style(dateline, **parts), fetched_at=fetched, default_tz=tz)
    assert local(article, tz) == expected


@pytest.mark.parametrize("style", held_out_more.STYLES, ids=lambda s: s.__name__)
@pytest.mark.parametrize("case", held_out_more.HELD_OUT, ids=lambda c: c[0])
def test_more_held_out_pages(case, style):
    _name, dateline, parts, tz, fetched, expected = case
    page = held_out_more.page(style, dateline, parts)
    article = extract_article("https://alwatan.example.com/news/1", page, fetched_at=fetched, default_tz=tz)
    assert local(article, tz) == expected


@pytest.mark.parametrize("style", STYLES, ids=lambda s: s.__name__)
def test_a_relative_word_in_the_prose_is_no_date(style):
    """The words "مساء أمس" in the article's first sentence dates an event, not the article: a page without a
    date stays undated (a third probe of dates found it: the fetch day minus one was stored)."""
    prose = "<p>أقر مجلس النواب مساء أمس مشروع القانون بعد جلسة استمرت منذ ساعات الصباح.</p>"
    page = style("", inside=prose)
    assert extract(page, CAIRO).published_at is None
    # the same words as a date line of their own are one
    dated = extract(style("أمس", inside=prose), CAIRO)
    assert (local(dated, CAIRO).date(), dated.published_has_time) == (date(2025, 3, 11), False)
    assert dated.published_from == "relative"
