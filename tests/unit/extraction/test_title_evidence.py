"""The headline as printed: the page's own ``<h1>`` over a metadata title that says otherwise."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from crawler.extraction.article import extract_article

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
