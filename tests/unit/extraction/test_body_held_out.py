"""Held-out body pages: the article's text among the boilerplate news pages put around and inside
it (a share widget, "اقرأ أيضا" and "شاهد أيضا" lines, follow-us and newsletter boxes, a tags line,
an image caption, a copyright line, a source line, a related list), in the six page styles of the
held-out sets.  Written after the rules; first run 58 of 60: on the ASP.NET table layout the
paragraphs of a table cell split by <br> were run into one line, with an "اقرأ أيضا" inside it
(a cell holding an article now reads as blocks: page.unwrap_layout_tables).  60 of 60 after."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.extraction.article import extract_article
from crawler.text.arabic import normalize_key
from tests.unit.extraction.byline_held_out import MORE_STYLES, THIRD_STYLES
from tests.unit.extraction.date_held_out import STYLES, TEXT

NOISE = {
    "share widget": ("", "<div class='share'><span>مشاركة المقال</span><a>فيسبوك</a><a>تويتر</a><a>واتساب</a></div>"),
    "read also inline": ("<p><strong>اقرأ أيضا:</strong> <a href='/n/2'>الحكومة تعلن خطة جديدة لدعم الأسر</a></p>", ""),
    "follow us": ("", "<p>تابعونا على فيسبوك وتويتر وإنستغرام لمزيد من الأخبار العاجلة</p>"),
    "newsletter": (
        "",
        "<div class='nl'><p>اشترك في النشرة البريدية ليصلك كل جديد</p><input type='email'><button>اشترك</button></div>",
    ),
    "tags line": ("", "<div class='tags'>الكلمات المفتاحية: <a>الموازنة</a> <a>البرلمان</a></div>"),
    "image caption": ("<figure><img src='/a.jpg'><figcaption>جانب من جلسة البرلمان (أرشيف)</figcaption></figure>", ""),
    "watch also video": ("<p>شاهد أيضا: فيديو جلسة البرلمان كاملة</p>", ""),
    "copyright": ("", "<p>جميع الحقوق محفوظة © 2025 صحيفة الوطن</p>"),
    "source line": ("", "<p>المصدر: وكالات</p>"),
    "related after body": (
        "",
        "<div class='related-posts'><h3>مواضيع ذات صلة</h3><ul><li><a>الحكومة تستقيل</a></li><li><a>النواب يصوتون</a></li></ul></div>",
    ),
}
LEAKS = [
    "مشاركة المقال",
    "اقرأ أيضا",
    "تابعونا",
    "اشترك",
    "الكلمات المفتاحية",
    "شاهد أيضا",
    "جميع الحقوق",
    "مواضيع ذات صلة",
    "الحكومة تعلن خطة",
    "فيسبوك",
]


@pytest.mark.parametrize("style", STYLES + MORE_STYLES + THIRD_STYLES, ids=lambda s: s.__name__)
@pytest.mark.parametrize("noise", sorted(NOISE))
def test_the_body_without_boilerplate(noise, style):
    inside, after = NOISE[noise]
    page = style("06/02/2025 13:45", inside=inside, after=after)
    article = extract_article("https://x.example.com/n/1", page, fetched_at=datetime(2025, 2, 8, tzinfo=UTC))
    assert article.text.startswith(TEXT[0]) and article.text.endswith(TEXT[-1])
    key = normalize_key(article.text)
    assert [leak for leak in LEAKS if normalize_key(leak) in key] == []
    assert article.text.count("\n\n") >= len(TEXT) - 1  # one paragraph per paragraph
