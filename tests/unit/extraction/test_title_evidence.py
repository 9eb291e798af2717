"""The headline as printed: the page's own ``<h1>`` over a metadata title that says otherwise."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from crawler.extraction.article import extract_article
from tests.unit.extraction.date_held_out import TEXT

FETCHED = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
BODY = "<p>" + "أعلنت وزارة النقل صباح اليوم افتتاح خط جديد للحافلات السريعة يربط شمال المدينة بجنوبها. " * 3 + "</p>"
PRINTED = "وزارة النقل تفتتح خطا جديدا للحافلات السريعة"
META = "افتتاح خط الباص السريع الجديد | أخبار محلية"


def gulf(h1: str, head: str) -> bytes:
    return (
        f'<html lang="ar"><head>{head}</head><body><header><a class="logo">صحيفة الخليج</a></header>'
        f'<main><article><h1 class="headline">{h1}</h1><div class="article-body">{BODY}</div></article></main>'
        "</body></html>"
    ).encode()


def maghreb(h1: str, head: str) -> bytes:
    return (
        f'<html lang="ar"><head>{head}</head><body><div id="wrapper"><div class="post-title"><h1>{h1}</h1></div>'
        f'<div class="post-content">{BODY}</div></div></body></html>'
    ).encode()


def og(title: str) -> str:
    return f'<title>{title}</title><meta property="og:title" content="{title}">'


def ld(title: str) -> str:
    return f'<script type="application/ld+json">{json.dumps({"@type": "NewsArticle", "headline": title})}</script>'


@pytest.mark.parametrize("style", [gulf, maghreb], ids=["gulf", "maghreb"])
@pytest.mark.parametrize("head", [og(META), ld(META)], ids=["og", "jsonld"])
def test_the_printed_headline_wins(style, head):
    article = extract_article("https://akhbar.example.com/news/1", style(PRINTED, head), fetched_at=FETCHED)
    assert (article.title, article.title_from) == (PRINTED, "h1")


@pytest.mark.parametrize("style", [gulf, maghreb], ids=["gulf", "maghreb"])
def test_a_short_h1_is_a_section_not_the_headline(style):
    article = extract_article("https://akhbar.example.com/news/1", style("أخبار محلية", og(META)), fetched_at=FETCHED)
    assert article.title_from == "og" and article.title.startswith("افتتاح خط الباص")


def test_a_matching_heading_is_taken_as_printed():
    page = gulf(PRINTED, og(PRINTED + " - صحيفة الخليج"))
    article = extract_article("https://akhbar.example.com/news/1", page, fetched_at=FETCHED)
    assert (article.title, article.title_from) == (PRINTED, "h1")


HEADLINE = "ارتفاع أسعار الذهب في الأسواق المحلية مع تراجع الدولار"
HELD_OUT_BODY = "".join(f"<p>{t}</p>" for t in TEXT)


def held_out_page(head: str, top: str) -> bytes:
    return f"<html lang='ar'><head>{head}</head><body>{top}<div class='content'>{HELD_OUT_BODY}</div></body></html>".encode()


# Held-out headline pages, written after the rules: first run 10 of 12 (the line-break case was added later).  The misses: a logo in
# the only <h1> (a link to the home page) taken as the headline, and a subtitle in <small> inside
# the <h1> run into it.  12 of 12 after reading both generally.
HELD_OUT = [
    (
        "logo h1, headline h2",
        "<title>الذهب يرتفع | موقع المال</title><meta property='og:title' content='الذهب يرتفع'>",
        f"<h1 class='logo'><a href='/'>موقع المال</a></h1><h2 class='article-title'>{HEADLINE}</h2>",
        HEADLINE,
    ),
    (
        "SEO og:title, printed h1",
        "<title>سعر الذهب اليوم في مصر - موقع المال</title><meta property='og:title' content='سعر الذهب اليوم في مصر'>",
        f"<h1>{HEADLINE}</h1>",
        HEADLINE,
    ),
    (
        "two h1: logo and headline",
        f"<title>{HEADLINE} - المال</title>",
        f"<h1 class='site'>المال</h1><h1 class='post-title'>{HEADLINE}</h1>",
        HEADLINE,
    ),
    ("related h1 after body", f"<title>{HEADLINE} | المال</title>", f"<h1>{HEADLINE}</h1>", HEADLINE),
    (
        "suffix only in title",
        f"<title>{HEADLINE} - جريدة المال الاقتصادية</title><meta property='og:site_name' content='جريدة المال الاقتصادية'>",
        "",
        HEADLINE,
    ),
    (
        "div title, no heading",
        f"<title>{HEADLINE} :: المال</title>",
        f"<div class='news-title'>{HEADLINE}</div>",
        HEADLINE,
    ),
    (
        "kicker above h1",
        f"<title>{HEADLINE} - المال</title>",
        f"<span class='kicker'>عاجل</span><h1>{HEADLINE}</h1>",
        HEADLINE,
    ),
    (
        "h1 with subtitle inside",
        f"<title>{HEADLINE} - المال</title>",
        f"<h1>{HEADLINE}<small class='sub'>تقرير خاص</small></h1>",
        HEADLINE,
    ),
    ("title prefixed by site", f"<title>المال | {HEADLINE}</title>", "", HEADLINE),
    (
        "jsonld headline differs (truncated)",
        "<script type='application/ld+json'>"
        + json.dumps({"@type": "NewsArticle", "headline": HEADLINE[:40] + "..."})
        + f"</script><title>{HEADLINE[:40]}... - المال</title>",
        f"<h1>{HEADLINE}</h1>",
        HEADLINE,
    ),
    (
        "h1 is the section name",
        f"<title>{HEADLINE} - المال</title><meta property='og:title' content='{HEADLINE}'>",
        f"<h1>اقتصاد</h1><h2>{HEADLINE}</h2>",
        HEADLINE,
    ),
    (
        "english og, arabic h1",
        "<meta property='og:title' content='Gold prices rise as the dollar falls'><title>Gold prices rise</title>",
        f"<h1>{HEADLINE}</h1>",
        HEADLINE,
    ),
    (
        "a line break in the h1",
        f"<title>{HEADLINE} - المال</title>",
        "<h1>" + " ".join(HEADLINE.split()[:4]) + "<br>" + " ".join(HEADLINE.split()[4:]) + "</h1>",
        HEADLINE,
    ),
]


@pytest.mark.parametrize("case", HELD_OUT, ids=lambda c: c[0])
def test_held_out_headlines(case):
    _name, head, top, expected = case
    article = extract_article("https://almal.example.com/news/5", held_out_page(head, top), fetched_at=FETCHED)
    assert article.title == expected
    assert article.text.startswith(TEXT[0])
