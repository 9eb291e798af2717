"""Publication times on page styles not in the corpus: date lines in every common arrangement,
table-layout (ASP.NET WebForms) pages, the best timestamp among several, relative times, and
cookie notices that never open or close a body.  Fixture pages written for these tests."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from crawler.extraction.article import extract_article

FETCHED = datetime(2026, 1, 20, 12, 0, tzinfo=UTC)
RIYADH = ZoneInfo("Asia/Riyadh")
SENTENCES = [
    "أعلنت هيئة الطيران المدني اليوم عن تشغيل خطوط جوية جديدة تربط العاصمة بعدد من المدن الإقليمية.",
    "وقال رئيس الهيئة في بيان صحفي إن الرحلات الجديدة ستبدأ مطلع الشهر المقبل بمعدل ثلاث رحلات أسبوعيا.",
    "وأوضح أن الخطة تهدف إلى تنشيط السياحة الداخلية وتخفيف الضغط على الطرق البرية بين المدن.",
    "وأشار إلى أن أسعار التذاكر ستكون في متناول المسافرين مع عروض خاصة للطلاب وكبار السن.",
    "ورحبت غرف التجارة بالقرار مؤكدة أنه سيسهم في تنشيط الحركة الاقتصادية في المناطق البعيدة.",
]
TITLE = "تشغيل خطوط جوية جديدة بين العاصمة والمدن الإقليمية"
COOKIES = (
    '<div class="cc-banner">نستخدم ملفات تعريف الارتباط لتحسين تجربتك. بمتابعة التصفح فإنك توافق على '
    '<a href="/privacy">سياسة الخصوصية</a>. <button>موافق</button></div>'
)


def article_page(date_html: str, head: str = "", after_body: str = "") -> bytes:
    body = "".join(f"<p>{s}</p>" for s in SENTENCES)
    return (
        f'<html lang="ar"><head><meta charset="utf-8"><title>{TITLE}</title>{head}</head><body>{COOKIES}'
        f'<nav><a href="/">الرئيسية</a><a href="/news">أخبار</a></nav><article><h1>{TITLE}</h1>'
        f'<div class="meta">{date_html}</div><div class="content">{body}</div>{after_body}</article>'
        f"<footer>جميع الحقوق محفوظة 2026</footer>{COOKIES}</body></html>"
    ).encode()


def extract(html: bytes, url: str = "https://news.example.com/2026/01/05/story", tz=RIYADH):
    return extract_article(url, html, fetched_at=FETCHED, default_tz=tz)


def local(item):
    return item.published_at.astimezone(RIYADH).replace(tzinfo=None)


def test_hijri_and_gregorian_on_one_line_with_the_time_after():
    item = extract(article_page("السبت 2 رجب 1447هـ - 20 ديسمبر 2025م | 08:40 مساءً"))
    assert local(item) == datetime(2025, 12, 20, 20, 40) and item.published_has_time


def test_arabic_indic_digits_with_the_period_after_the_time():
    assert local(extract(article_page("الاثنين ٥ يناير ٢٠٢٦ - ١١:١٥ م"))) == datetime(2026, 1, 5, 23, 15)
    assert local(extract(article_page("الاثنين ٥ يناير ٢٠٢٦ - ١١:١٥ ص"))) == datetime(2026, 1, 5, 11, 15)


def webforms_page() -> bytes:
    paragraphs = "<br><br>".join(SENTENCES)
    return (
        f'<html><head><meta charset="windows-1256"><title>{TITLE} - بوابة الأخبار</title></head><body>'
        f'<form id="aspnetForm" action="./News.aspx?id=5"><table width="100%"><tr><td class="top">'
        f'<span id="ctl00_lblToday">اليوم: الثلاثاء 20 يناير 2026</span> | <a href="/">الرئيسية</a> | '
        f'<a href="/Sections.aspx?s=1">محليات</a> | <a href="/Sections.aspx?s=2">اقتصاد</a></td></tr>'
        f'<tr><td valign="top"><table><tr><td><span id="ctl00_ContentPlaceHolder1_lblTitle" class="title">{TITLE}'
        f'</span></td></tr><tr><td><span id="ctl00_ContentPlaceHolder1_lblDate">الاثنين 5 يناير 2026 - 11:15 ص'
        f'</span></td></tr><tr><td><span id="ctl00_ContentPlaceHolder1_lblBody">{paragraphs}</span></td></tr>'
        f'</table></td><td width="200">{COOKIES}<b>الأكثر قراءة</b><br><a href="/N.aspx?id=3">خبر آخر</a></td>'
        f'</tr><tr><td colspan="2">جميع الحقوق محفوظة © بوابة الأخبار 2026</td></tr></table></form>'
        f"</body></html>"
    ).encode("cp1256")


def test_webforms_table_layout():
    item = extract(webforms_page(), url="https://portal.example.com/News.aspx?id=5")
    assert item.title == TITLE
    assert local(item) == datetime(2026, 1, 5, 11, 15)
    assert item.text.startswith(SENTENCES[0][:40]), item.text[:120]
    assert item.text.rstrip().endswith(SENTENCES[-1][-30:]), item.text[-120:]
    assert item.text.split("\n\n") == SENTENCES  # the cell's paragraphs, one by one
    for noise in ("ملفات تعريف الارتباط", "سياسة الخصوصية", "اليوم: الثلاثاء", "الأكثر قراءة", "جميع الحقوق"):
        assert noise not in item.text


def test_cookie_notices_never_open_or_close_a_body():
    item = extract(article_page("5 يناير 2026 10:00"))
    assert item.text.startswith(SENTENCES[0][:40]) and item.text.rstrip().endswith(SENTENCES[-1][-30:])
    assert "ملفات تعريف الارتباط" not in item.text and "سياسة الخصوصية" not in item.text


def test_a_machine_time_with_an_offset_beats_a_visible_day():
    head = '<meta property="article:published_time" content="2026-01-06T00:30:00+03:00">'
    item = extract(article_page("6 يناير 2026", head), url="https://news.example.com/2026/01/05/late-story")
    assert local(item) == datetime(2026, 1, 6, 0, 30) and item.published_has_time
    timed = extract(
        article_page('<time datetime="2026-01-06T00:30:00+03:00">6 يناير 2026</time>'),
        url="https://news.example.com/2026/01/05/late-story",
    )
    assert local(timed) == datetime(2026, 1, 6, 0, 30)


def test_a_modification_line_before_the_publication_line():
    item = extract(article_page("آخر تحديث: 7 يناير 2026 - 10:00 | نشر في: 5 يناير 2026 - 09:00"))
    assert local(item) == datetime(2026, 1, 5, 9, 0)
    assert item.modified_at.astimezone(RIYADH).replace(tzinfo=None) == datetime(2026, 1, 7, 10, 0)


def test_a_relative_time_loses_to_an_absolute_date_anywhere():
    after = '<div class="footer-date">نشر بتاريخ: 18 يناير 2026 - 14:20</div>'
    item = extract(article_page("منذ 3 ساعات", after_body=after))
    assert local(item) == datetime(2026, 1, 18, 14, 20) and item.published_from == "visible"
    alone = extract(article_page("منذ 3 ساعات"), url="https://news.example.com/story-5")
    assert alone.published_from == "relative"
    assert alone.published_at == datetime(2026, 1, 20, 9, 0, tzinfo=UTC)
    # the day in the URL takes the time of a relative one on that day; one on another day does not
    dated = extract(article_page("منذ 3 ساعات"), url="https://news.example.com/2026/01/20/story")
    assert (dated.published_at, dated.published_from) == (datetime(2026, 1, 20, 9, 0, tzinfo=UTC), "url+relative")
    older = extract(article_page("منذ 3 ساعات"), url="https://news.example.com/2026/01/05/story")
    assert (local(older), older.published_from, older.published_has_time) == (datetime(2026, 1, 5), "url", False)


def test_consent_notices_inside_the_article_text():
    notice_ar = "<p>يستخدم موقعنا الكوكيز لتحسين تجربتك، ويمكنك معرفة المزيد في صفحة سياسة الخصوصية الخاصة بنا.</p>"
    notice_en = "<p>We use cookies to personalise content. By continuing you accept our Privacy Policy.</p>"
    html = article_page("5 يناير 2026 10:00").replace(
        b'<div class="content">', f'<div class="content">{notice_ar}'.encode()
    )
    html = html.replace(b"</div></article>", f"{notice_en}</div></article>".encode())
    item = extract(html)
    assert item.text.startswith(SENTENCES[0][:40]) and item.text.rstrip().endswith(SENTENCES[-1][-30:]), item.text


def test_broadcaster_bylines_people_only_and_the_organisation_apart():
    ld = (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
        f'"headline": "{TITLE}", "datePublished": "2026-01-05T09:00:00+03:00", "author": ['
        '{"@type": "Person", "name": "سامي نصر"}, {"@type": "Person", "name": "هالة يوسف"}, '
        '{"@type": "NewsMediaOrganization", "name": "الإذاعة العربية الدولية"}]}</script>'
    )
    item = extract(article_page('<div class="byline-block">سامي نصر وهالة يوسف - الإذاعة العربية الدولية</div>', ld))
    assert item.authors == ["سامي نصر", "هالة يوسف"] and item.author == "سامي نصر، هالة يوسف"
    assert item.author_organization == "الإذاعة العربية الدولية"
    desk = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "x", '
        '"author": {"@type": "Organization", "name": "قسم الأخبار"}}</script>'
    )
    only_desk = extract(article_page("5 يناير 2026", desk))
    assert only_desk.author is None and only_desk.author_organization == "قسم الأخبار"


def test_the_dates_by_the_headline_with_their_roles():
    """Each date around the headline with the role its label gives, the nearest first."""
    from crawler.extraction.date_lines import headline_dates, headline_window

    title = "افتتاح خط جوي جديد بين العاصمة والمدن الإقليمية"
    updated = f"الرئيسية\n{title}\nنشر في 19 يناير 2026 - 10:15\nآخر تحديث: 20 يناير 2026 - 08:30\n{SENTENCES[0]}"
    found = [
        (d.role, d.place, d.value.value.day, d.value.value.hour)
        for d in headline_dates(updated, headline_window(updated, title), RIYADH, FETCHED)
    ]
    assert found == [("published", "after-headline", 19, 10), ("modified", "after-headline", 20, 8)]
    assert headline_window(updated, None) is None and headline_dates(updated, None, RIYADH, FETCHED) == []
    assert headline_window(updated, "عنوان لا يرد في الصفحة") is None
