"""Bylines decided from all their evidence (``crawler.extraction.authors``): the resolver on
candidate sets, then pages of each class in two CMS styles."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from crawler.extraction.article import extract_article
from crawler.extraction.authors import AuthorCandidate, choose_authors
from tests.unit.extraction import byline_held_out as held_out
from tests.unit.extraction.date_held_out import TEXT

FETCHED = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
BODY = "<p>" + "افتتح وزير الثقافة صباح اليوم معرض الكتاب الدولي بمشاركة مئات الناشرين من العالم العربي. " * 3 + "</p>"


def c(origin: str, *names: str, role: str | None = None, raw: str = "") -> AuthorCandidate:
    return AuthorCandidate(tuple(names), origin, raw or " ".join(names), role)


@pytest.mark.parametrize(
    ("candidates", "names", "origin"),
    [
        # the printed byline over a Latin transliteration, the editor, the desk
        ([c("jsonld", "Jad Nehme"), c("visible", "جاد نعمة", role="كتب")], ["جاد نعمة"], "visible"),
        ([c("meta", "رئيس التحرير سامي"), c("visible", "هالة يوسف", role="بقلم")], ["هالة يوسف"], "visible"),
        # agreement: the printed form
        ([c("jsonld", "سامي حداد"), c("visible", "سامي حداد", role="كتب")], ["سامي حداد"], "visible"),
        # other roles never make an author
        ([c("visible", "علي حسن", role="تصوير")], [], None),
        ([c("visible", "منى سالم", role="إعداد"), c("visible", "سامي نصر", role="تحرير")], ["منى سالم"], "visible"),
        ([c("jsonld", "سامي نصر"), c("visible", "سامي نصر", role="تحرير")], [], None),
        # no printed byline: the structured author, before an unlabelled author element...
        ([c("jsonld", "سامي حداد"), c("visible", "هالة يوسف")], ["سامي حداد"], "jsonld"),
        # ... unless it is in Latin letters and the element in Arabic
        ([c("meta", "Hala Youssef"), c("visible", "هالة يوسف")], ["هالة يوسف"], "visible"),
        ([c("visible", "هالة يوسف")], ["هالة يوسف"], "visible"),
        # the feed last
        ([c("feed", "سامي حداد")], ["سامي حداد"], "feed"),
        ([c("feed", "سامي حداد"), c("itemprop", "هالة يوسف")], ["هالة يوسف"], "itemprop"),
        ([c("jsonld")], [], None),
        ([c("feed", "سامي حداد"), c("card", "هالة يوسف")], ["هالة يوسف"], "card"),
        ([c("card", "هالة يوسف"), c("meta", "سامي حداد")], ["سامي حداد"], "meta"),
        # a Latin name in the metadata, the Arabic one printed only in a writer card
        ([c("meta", "Huda Mansour"), c("card", "هدى منصور")], ["هدى منصور"], "card"),
    ],
)
def test_the_resolver(candidates, names, origin):
    decision = choose_authors(candidates)
    assert (decision.names, decision.origin) == (names, origin), decision.reason


def wordpress(byline: str, head: str = "") -> bytes:
    return (
        f'<html lang="ar"><head><title>معرض الكتاب</title>{head}</head><body><div id="page">'
        '<article class="post"><header class="entry-header"><h1 class="entry-title">افتتاح معرض الكتاب</h1>'
        f'<div class="entry-meta">{byline}</div></header><div class="entry-content">{BODY}</div></article>'
        '<aside class="widget"><p>كتب: اسم في الشريط الجانبي</p></aside></div></body></html>'
    ).encode()


def custom(byline: str, head: str = "") -> bytes:
    return (
        f'<html lang="ar"><head><title>معرض الكتاب</title>{head}</head><body><div id="content">'
        f'<div class="news-title"><h1>افتتاح معرض الكتاب</h1></div><div class="news-info">{byline}</div>'
        f'<div class="news-text">{BODY}</div></div></body></html>'
    ).encode()


def jsonld(author: str) -> str:
    return (
        '<script type="application/ld+json">'
        + json.dumps(
            {"@type": "NewsArticle", "headline": "افتتاح معرض الكتاب", "author": {"@type": "Person", "name": author}}
        )
        + "</script>"
    )


CLASSES = {
    "meta disagrees with the printed byline": (
        '<span class="author">كتب: جاد نعمة</span>',
        jsonld("Jad Nehme"),
        ["جاد نعمة"],
    ),
    "the editor in meta": ("<p>بقلم: هالة يوسف</p>", '<meta name="author" content="رئيس التحرير">', ["هالة يوسف"]),
    "roles in one line": ("<p>إعداد: منى سالم | تحرير: سامي نصر</p>", "", ["منى سالم"]),
    "roles in their own elements": ("<p>تحرير: سامي نصر</p><p>إعداد: منى سالم</p>", "", ["منى سالم"]),
    "a photographer only": ('<p class="credit">تصوير: علي حسن</p>', "", []),
    "a dateline before the name (colon)": ('<span class="byline">بيروت: جاد نعمة</span>', "", ["جاد نعمة"]),
    "a dateline before the name (dash)": ('<span class="byline">بغداد - حيدر الجبوري</span>', "", ["حيدر الجبوري"]),
    "a lineage name": ("<p>كتب: محمد الأمين ولد بابا</p>", "", ["محمد الأمين ولد بابا"]),
    "two people, the conjunction glued": ("<p>كتب: سامي حداد وعمر خالد</p>", "", ["سامي حداد", "عمر خالد"]),
    "the role word in its own element": (
        '<div class="meta"><span>كتب:</span> <a href="/w/1">هالة يوسف</a></div>',
        "",
        ["هالة يوسف"],
    ),
    "a title before the name": ("<p>بقلم: الدكتورة هالة يوسف</p>", "", ["هالة يوسف"]),
}
# Classes whose byline is not by the headline: (markup after the body, expected, author_from).
AFTER_BODY = {
    "a writer card": (
        '<div class="card"><img src="/w.jpg" alt=""><h4>عن الكاتب</h4><strong>الدكتورة هالة يوسف</strong>'
        "<p>كاتبة وباحثة في الشؤون الاقتصادية، تكتب في الصحف العربية منذ عشرين عاما.</p></div>",
        ["هالة يوسف"],
    ),
}


@pytest.mark.parametrize("style", [wordpress, custom], ids=["wordpress", "custom"])
@pytest.mark.parametrize("case", sorted(CLASSES))
def test_bylines_of_each_class(case, style):
    byline, head, expected = CLASSES[case]
    article = extract_article("https://akhbar.example.com/news/1", style(byline, head), fetched_at=FETCHED)
    assert article.authors == expected, case
    assert article.author_from == ("visible" if expected else None)


@pytest.mark.parametrize("style", [wordpress, custom], ids=["wordpress", "custom"])
def test_a_writer_card_after_the_body(style):
    markup, expected = AFTER_BODY["a writer card"]
    page = style("").replace(BODY.encode(), (BODY + markup).encode())
    article = extract_article("https://akhbar.example.com/news/1", page, fetched_at=FETCHED)
    assert (article.authors, article.author_from) == (expected, "card")
    assert markup.split("<p>")[1][:20] not in article.text  # the card is not the article


def test_explain_records_the_candidates():
    evidence: dict = {}
    extract_article(
        "https://akhbar.example.com/news/1",
        wordpress('<span class="author">كتب: جاد نعمة</span>', jsonld("Jad Nehme")),
        fetched_at=FETCHED,
        explain=evidence,
    )
    decision = evidence["author"]
    assert {(x.origin, x.names) for x in decision.candidates} >= {
        ("jsonld", ("Jad Nehme",)),
        ("visible", ("جاد نعمة",)),
    }
    assert "Jad Nehme" in decision.reason


def test_extract_explain_prints_the_candidates(tmp_path):
    from click.testing import CliRunner

    from crawler.cli import main

    page = tmp_path / "page.html"
    page.write_bytes(custom('<span class="byline">كتب: جاد نعمة</span><p>تصوير: علي حسن</p>', jsonld("Jad Nehme")))
    result = CliRunner().invoke(main, ["extract", str(page), "--explain"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert (record["author"], record["author_from"]) == ("جاد نعمة", "visible")
    assert "author: جاد نعمة (from visible: the printed byline over the metadata's ['Jad Nehme'])" in result.stderr
    assert "- jsonld: 'Jad Nehme' → Jad Nehme" in result.stderr and "- visible [تصوير]:" in result.stderr
    plain = CliRunner().invoke(main, ["extract", str(page)])
    assert "explain" not in plain.stderr


def test_removing_a_card_keeps_the_text_after_it():
    from lxml import html

    from crawler.extraction.cards import take_writer_cards

    markup = (
        "<html><body><div><p>قبل</p><div><h4>عن الكاتب</h4><b>سامر الخطيب</b></div>نص بعد البطاقة"
        "<p>بعد</p></div></body></html>"
    )
    tree = html.fromstring(markup)
    assert take_writer_cards(tree, markup) == ["سامر الخطيب"]
    text = tree.text_content()
    assert "نص بعد البطاقة" in text and "عن الكاتب" not in text and "بعد" in text
    assert take_writer_cards(html.fromstring("<html><body><p>x</p></body></html>"), "<p>x</p>") == []


@pytest.mark.parametrize("style", held_out.STYLES, ids=lambda s: s.__name__)
@pytest.mark.parametrize("case", held_out.HELD_OUT, ids=lambda c: c[0])
def test_held_out_pages(case, style):
    _name, byline, head, parts, expected = case
    page = style(byline, head=head, **parts)
    assert extract_article("https://sahifa.example.net/node/1", page, fetched_at=FETCHED).authors == expected


MORE = [
    (style, case)
    for styles, cases in (
        (held_out.MORE_STYLES, held_out.HELD_OUT_MORE),
        (held_out.THIRD_STYLES, held_out.HELD_OUT_THIRD),
        (held_out.FOURTH_STYLES, held_out.HELD_OUT_FOURTH),
        (held_out.FIFTH_STYLES, held_out.HELD_OUT_FIFTH),
        (held_out.SIXTH_STYLES, held_out.HELD_OUT_SIXTH),
    )
    for style in styles
    for case in cases
]


@pytest.mark.parametrize(("style", "case"), MORE, ids=lambda x: x.__name__ if callable(x) else x[0])
def test_more_held_out_pages(case, style):
    """The byline, and a body without it: no byline line, no card and no headline at either end."""
    _name, byline, head, parts, expected = case
    page = style(byline, head=head, **parts)
    article = extract_article("https://alkhabar.example.org/news/1", page, fetched_at=FETCHED)
    assert article.authors == expected
    assert article.text.startswith(TEXT[0]) and article.text.endswith(TEXT[-1])
