from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from crawler.extraction.article import extract_article, strip_site_name
from crawler.extraction.errors import ExtractionError
from crawler.items import FeedEntry
from tests.conftest import FIXTURES
from tests.localserver import LocalServer
from tests.world import build_world, render

PAGES = FIXTURES / "pages"
FETCHED = datetime(2025, 11, 12, 8, 0, tzinfo=UTC)


def extract(name: str, **kwargs):
    body = (PAGES / name).read_bytes()
    return extract_article(
        "https://sawt-amman.example.jo/news/2025/11/11/platform",
        body,
        fetched_at=FETCHED,
        **kwargs,
    )


def test_seed_article_shape():
    item = extract("seed_shape.html", default_tz=ZoneInfo("Asia/Amman"))
    assert item.title == "الأردن يطلق منصة وطنية للتعليم المهني: خطوة نحو سوق العمل"
    # "الثلاثاء, 11 نوفمبر 2025 12:47 PM" in Amman (UTC+3) is 09:47 UTC.
    assert item.published_at == datetime(2025, 11, 11, 9, 47, tzinfo=UTC)
    assert item.published_from == "visible"
    assert item.text.startswith("أطلقت وزارة التربية والتعليم الأردنية، صباح الثلاثاء")
    assert item.text.endswith("مضاعفة هذا العدد خلال خمس سنوات.")
    for leak in (
        "مشاركة المقال",
        "اقرأ أيضا",
        "ارتفاع أعداد المتقدمين",
        "جميع الحقوق",
        "الأكثر قراءة",
        "12:47",
        "سوق العمل\n",
    ):
        assert leak not in item.text
    assert item.text.count("\n\n") == 4  # five paragraphs kept apart
    assert item.author is None and item.authors == []  # the meta author is the site itself
    assert item.language == "ar"


def test_time_zone_inferred_from_the_site_not_invented():
    item = extract("seed_shape.html")  # a .jo site printing local times, no zone configured
    assert item.published_at == datetime(2025, 11, 11, 9, 47, tzinfo=UTC)
    assert item.published_tz_from == "inferred" and item.published_tz == "Asia/Amman"


@pytest.mark.parametrize("template", ["wordpress", "portal", "jsonld", "levant"])
def test_world_templates(template):
    with LocalServer() as server:
        world = build_world(server, per_source=6)
    articles = [a for a in world.all_articles() if a.template == template]
    for article in articles:
        url = "https://news.example.com" + article.path
        item = extract_article(url, render(article).encode(), fetched_at=FETCHED, default_tz=ZoneInfo(article.tz))
        assert item.title == article.title
        assert item.published_at == article.published.astimezone(UTC), article.path
        assert item.authors == ([article.author] if article.author else [])
        assert item.text.startswith(article.body_start)
        assert item.text.endswith(article.body_end)
        for leak in ("مشاركة المقال", "اقرأ أيضا", "جميع الحقوق", "تابعوا آخر", "محافظ قنا"):
            assert leak not in item.text, (template, leak)
        assert "شارك" not in item.text.split("\n"), template


def test_feed_entry_fills_gaps_and_page_wins():
    html = (
        b"<html><body><article><h2>x</h2>"
        + ("<p>" + "نص عربي طويل " * 30 + "</p>").encode()
        + b"</article></body></html>"
    )
    entry = FeedEntry(
        link="https://e.com/a",
        title="عنوان من الخلاصة",
        published_at=datetime(2024, 5, 1, 10, 0, tzinfo=UTC),
        author="كتب: منى سالم",
    )
    item = extract_article("https://e.com/a", html, fetched_at=FETCHED, entry=entry)
    assert item.title == "عنوان من الخلاصة"
    assert item.published_at == entry.published_at and item.published_from == "feed"
    assert item.authors == ["منى سالم"]

    # A page with a title, time and byline of its own keeps them: the feed only fills gaps.
    own = (
        '<html><head><meta property="og:title" content="وزارة النقل تفتتح خطا جديدا">'
        '<meta property="article:published_time" content="2024-04-30T08:15:00+00:00"></head><body><article>'
        '<h1>وزارة النقل تفتتح خطا جديدا</h1><div class="byline">كتب: سامي حداد</div>'
        + "<p>"
        + "نص عربي طويل عن خط الحافلات الجديد " * 20
        + "</p></article></body></html>"
    ).encode()
    page = extract_article("https://e.com/a", own, fetched_at=FETCHED, entry=entry)
    assert page.title == "وزارة النقل تفتتح خطا جديدا"
    assert page.authors == ["سامي حداد"]
    assert page.published_at == datetime(2024, 4, 30, 8, 15, tzinfo=UTC) and page.published_from != "feed"


def test_unknown_is_none():
    html = "<html><body><div><p>" + "هذه فقرة بلا تاريخ ولا كاتب. " * 20 + "</p></div></body></html>"
    item = extract_article("https://e.com/a", html.encode(), fetched_at=FETCHED)
    assert item.published_at is None and item.author is None and item.modified_at is None


def test_rejects_future_and_word_dates():
    html = (
        "<html><head><meta property='article:published_time' content='2031-01-01T10:00:00Z'>"
        "<meta property='article:modified_time' content='الأربعاء'></head><body><p>"
        + "نص " * 100
        + "</p></body></html>"
    )
    item = extract_article("https://e.com/a", html.encode(), fetched_at=FETCHED)
    assert item.published_at is None


def test_arabic_text_in_published_time_meta():
    html = (
        "<html><head><meta property='article:published_time' content='الأربعاء، 07 أكتوبر 2020 - 12:09 م'>"
        "</head><body><h1>عنوان</h1><p>" + "نص " * 100 + "</p></body></html>"
    )
    item = extract_article("https://e.com/a", html.encode(), fetched_at=FETCHED, default_tz=ZoneInfo("Africa/Cairo"))
    assert item.published_at == datetime(2020, 10, 7, 10, 9, tzinfo=UTC)


def test_canonical_only_on_same_site():
    html = (
        "<html><head><link rel='canonical' href='https://evil.example.net/a'>"
        "<meta property='og:url' content='https://www.e.com/story/1'></head><body><p>"
        + "نص " * 100
        + "</p></body></html>"
    )
    item = extract_article("https://e.com/story/1?utm_source=x", html.encode(), fetched_at=FETCHED)
    assert item.canonical_url == "https://www.e.com/story/1"


def test_english_body_on_arabic_page_is_english():
    html = (
        "<html lang='ar'><body><article><p>"
        + "The minister announced a new plan for schools today. " * 10
        + "</p></article></body></html>"
    )
    item = extract_article("https://e.com/a", html.encode(), fetched_at=FETCHED)
    assert item.language == "en"


def test_windows_1256_page_without_declaration():
    text = (
        "<html><body><h1>عنوان الخبر</h1><p>"
        + "أعلنت الحكومة اليوم عن خطة جديدة للنقل العام في المدن. " * 8
        + "</p></body></html>"
    )
    item = extract_article("https://e.com/a", text.encode("cp1256"), fetched_at=FETCHED)
    assert "أعلنت الحكومة اليوم" in item.text


def test_unparseable_bytes():
    with pytest.raises(ExtractionError):
        extract_article("https://e.com/a", b"", fetched_at=FETCHED)


def test_strip_site_name():
    assert strip_site_name("عنوان الخبر - اليوم السابع", ["اليوم السابع"]) == "عنوان الخبر"
    assert strip_site_name("المدينة نيوز - عنوان الخبر", ["المدينة نيوز"]) == "عنوان الخبر"
    assert strip_site_name("عنوان - بقية العنوان", ["موقع"]) == "عنوان - بقية العنوان"


def other_cms(name: str, tz: str = "Asia/Riyadh"):
    body = (PAGES / name).read_bytes()
    return extract_article("https://site.example.com/a/1", body, fetched_at=FETCHED, default_tz=ZoneInfo(tz))


def test_drupal_moroccan_months_and_username_byline():
    item = other_cms("drupal_moroccan.html", "Africa/Casablanca")
    assert item.title == "الحكومة المغربية تعلن برنامجًا لدعم السكن"
    assert item.published_at == datetime(2024, 11, 20, 9, 15, tzinfo=UTC)  # Morocco UTC+1
    assert item.authors == ["سعيد الإدريسي"]
    assert item.text.startswith("أعلنت الحكومة المغربية") and item.text.endswith("عشرين في المئة.")
    assert "تابعونا" not in item.text and "صورة" not in item.text


def test_updated_time_is_kept_apart_and_byline_in_body():
    item = other_cms("updated_and_byline_in_body.html", "Asia/Amman")
    assert item.published_at == datetime(2024, 11, 17, 6, 5, tzinfo=UTC)  # Amman: UTC+3
    assert item.modified_at == datetime(2024, 11, 17, 15, 40, tzinfo=UTC)
    assert item.authors == ["كريم منصور"]  # not the sidebar's "كتب: عادل فهمي"
    assert item.text.startswith("أكد وزير الطاقة") and item.text.endswith("(وكالات)")
    assert "بقلم" not in item.text


def test_table_layout_hijri_date_windows_1256():
    item = other_cms("table_layout_hijri_cp1256.html")
    assert item.title == "افتتاح مستشفى جديد في تبوك"
    assert item.published_at == datetime(2024, 11, 16, 21, 0, tzinfo=UTC)  # 17 Nov, Riyadh
    assert item.text.startswith("تبوك - واس") and item.text.endswith("وزارة الصحة.")
    assert "|" not in item.text


def test_relative_time_against_fetch_time():
    item = other_cms("relative_time.html")
    assert item.published_at == datetime(2025, 11, 12, 5, 0, tzinfo=UTC)  # fetched 08:00
    assert "كلمات دالة" not in item.text


def test_sidebar_dates_are_not_publication_dates():
    html = (
        "<html><body><h1>عنوان الخبر الرئيسي اليوم</h1><div class='story'><p>"
        + "نص الخبر الكامل هنا. " * 40
        + "</p></div><aside><h3>أخبار متعلقة</h3>"
        + "<p>خبر آخر عن موضوع مختلف تمامًا</p>" * 30
        + "<span>10 نوفمبر 2024</span></aside></body></html>"
    )
    item = extract_article("https://e.com/a", html.encode(), fetched_at=FETCHED)
    assert item.published_at is None


@pytest.mark.parametrize(
    "raw, names",
    [
        ("كتب: سامي نصر و هالة يوسف", ["سامي نصر", "هالة يوسف"]),
        ("كتب سامي نصر وهالة يوسف", ["سامي نصر", "هالة يوسف"]),
        ("كتب: سامي نصر و", ["سامي نصر"]),
        ("بقلم: وليد عبد الله", ["وليد عبد الله"]),
        ("كتبت - وفاء الحسيني", ["وفاء الحسيني"]),
        ("متابعة: وائل جمال ووديع سعد", ["وائل جمال", "وديع سعد"]),
        ("تحرير: هبة زكريا، وعمر خالد", ["هبة زكريا", "عمر خالد"]),
        ("تحرير: هبة زكريا، وليد خالد", ["هبة زكريا", "وليد خالد"]),
        ("بواسطة: محمد علي", ["محمد علي"]),
        ("إعداد: د. أحمد سمير", ["أحمد سمير"]),
        ("بقلم الدكتور سامي نصر", ["سامي نصر"]),
        ("كتب: محمد علي (القاهرة)", ["محمد علي"]),
        ("كتب من القاهرة: محمد علي", ["محمد علي"]),
        ("تقرير - نادية حسن - بيروت", ["نادية حسن"]),
        ("حاوره: سمير عطا الله", ["سمير عطا الله"]),
        ("كتب: المحرر", []),
        ("بقلم: فريق التحرير", []),
    ],
)
def test_byline_forms(raw, names):
    from crawler.extraction.bylines import person_names

    assert person_names([raw]) == names


def test_arabic_is_recognised_by_its_letters_and_persian_urdu_are_not_taken_for_it():
    from crawler.extraction.language import detect_language, looks_arabic

    arabic = "أعلنت وزارة الموارد المائية عن بدء المرحلة الثانية من مشروع تبطين الترع في محافظات الصعيد. " * 4
    persian = "وزارت امور خارجه ایران روز یکشنبه اعلام کرد که گفتگوهای هسته‌ای در هفته آینده ادامه خواهد یافت. " * 4
    urdu = (
        "پاکستان کے وزیر اعظم نے آج اسلام آباد میں ایک اہم اجلاس کی صدارت کی جس میں معاشی صورتحال پر غور کیا گیا۔ " * 4
    )
    assert looks_arabic(arabic) and not looks_arabic(persian) and not looks_arabic(urdu)
    assert [detect_language(t) for t in (arabic, persian, urdu)] == ["ar", "fa", "ur"]
    quoted = arabic + "وقال الوزير محمد جواد ظریف إن الاتفاق ممكن."  # a Persian spelling quoted in Arabic
    assert detect_language(quoted) == "ar"
    assert detect_language("News in English about the markets and the weather today. " * 3) == "en"


# The byline candidates as XPath defines them (the extraction walks the page in Python instead,
# without entering sidebars and menus): the two must always agree.
_FIRST_WORD = (
    "translate(substring-before(concat(normalize-space(translate(substring(text(), 1, 80), '-–—•|*', '      ')), ' '),"
    " ' '), ':：', '')"
)
_ICON = " or ".join(
    f"contains(@class, '{mark}')" for mark in ("user", "person", "pencil", "fa-pen", "icon-pen", "author", "writer")
)
BYLINE_CANDIDATES_XPATH = (
    "//*[@class or @rel][self::span or self::div or self::p or self::a or self::address or self::strong or self::li]"
    "[contains(@class, 'uthor') or contains(@class, 'yline') or contains(@class, 'yLine')"
    " or contains(@class, 'riter') or contains(@class, 'riteBy') or contains(@class, 'riteby')"
    " or contains(@class, 'eporter') or contains(concat(' ', normalize-space(@class), ' '), ' username ')"
    " or @rel='author']"
    " | //body//*[text()][self::span or self::p or self::div or self::strong or self::b or self::em or self::h4"
    " or self::h5 or self::h6 or self::li or self::a]"
    "[contains('|كتب|بقلم|إعداد|اعداد|تقرير|تحرير|حوار|حاور|حاوره|ترجمة|متابعة|بواسطة|تغطية|رصد|تصوير|إشراف|By|by|BY"
    "|Written|الكاتب|المحرر|مراسل|مراسلنا|مراسلتنا|نص|أجرى|اجرى|أجرت|اسم|أعد|اعد|أعدت|من|المؤلف|المؤلفة|Par|par|كتبت|كتبه|Written|', concat('|', "
    + _FIRST_WORD
    + ", '|'))]"
    " | //body//*[self::li or self::span or self::div or self::p or self::a]"
    "[not(node()[1][self::text()][normalize-space()])][*[1][self::i or self::span or self::svg][" + _ICON + "]]"
)


def _reference_candidates(tree):
    from lxml import etree

    from crawler.extraction.byline_elements import EXCLUDED_ANCESTORS, EXCLUDED_MARKERS

    def page_form(element) -> bool:
        return bool(element.xpath("boolean(.//h1 or .//table or .//article)")) or len(element.text_content()) > 2000

    def excluded(element):
        for ancestor in element.iterancestors():
            marker = f"{ancestor.get('class', '')} {ancestor.get('id', '')}".lower()
            if ancestor.tag in EXCLUDED_ANCESTORS and not (ancestor.tag == "form" and page_form(ancestor)):
                return True
            if any(word in marker for word in EXCLUDED_MARKERS):
                return True
        return False

    return [e for e in etree.XPath(BYLINE_CANDIDATES_XPATH)(tree) if not excluded(e)]


def test_byline_walk_finds_what_the_xpath_definition_finds():
    from crawler.extraction.byline_elements import byline_elements as _byline_candidates
    from crawler.extraction.page import parse_html as _tree
    from tests.world import TEMPLATES, make_articles, render

    pages = [
        render(a)
        for t in TEMPLATES
        for a in make_articles("موقع", t, "Asia/Amman", "p", 0, 4, datetime(2024, 11, 5, tzinfo=UTC))
    ]
    pages += [
        '<html><body class="nav-open"><p>كتب محمد علي</p></body></html>',
        '<html><body><aside><p>كتب محمد علي</p></aside><div class="post-author">سارة أحمد يوسف</div>'
        '<p><b>x</b>بقلم: نور الهدى</p><div class="sidebar"><span class="author">علي حسن</span></div>'
        '<div id="comments"><p>كتب زائر</p></div><footer><a rel="author">هيئة التحرير</a></footer>'
        '<li class="username">ليلى</li><h4>  مراسل  الوكالة</h4><em>By Sam Reed</em></body></html>',
        # a comment form holds no byline; a form that holds the page (ASP.NET WebForms) does
        '<html><body><form id="comment"><p>كتب زائر</p></form><form id="aspnetForm"><table><tr><td>'
        "<p>بقلم / هدى منصور</p></td></tr></table></form></body></html>",
        # a dash or a bullet before the byline word; an author icon before the name (not a clock)
        "<html><body><p>— تقرير: ليلى مراد</p><p>• مراسلنا: خالد العمر</p><p>كتب-وليد سعيد</p>"
        '<ul><li><i class="fa fa-user"></i> سامر الحلبي</li><li><i class="fa fa-clock"></i> 06/02/2025</li>'
        '<li>نص <i class="fa fa-user"></i> بعد النص</li></ul><span><svg class="icon-person"></svg>منى</span>'
        '<header><a href="/login"><i class="icon-user"></i> تسجيل الدخول</a></header></body></html>',
    ]
    for page in pages:
        tree = _tree(page)
        assert [e for e, _ in _byline_candidates(tree)] == _reference_candidates(tree)
    from crawler.extraction.bylines import person_names, visible_byline_candidates

    found = visible_byline_candidates(_tree(pages[-1]), limit=10)
    assert [(person_names([text], []), role) for text, role in found] == [
        (["ليلى مراد"], "تقرير"),
        (["خالد العمر"], "مراسل"),
        (["وليد سعيد"], "كتب"),
        (["سامر الحلبي"], None),
        ([], None),  # "تسجيل الدخول" by a user icon is an account link
    ]


def _reference_page_text(tree) -> str:
    """The visible text as a walk defines it (the extraction has libxslt make it): blocks on their
    own lines, skipped subtrees out with their tails kept, a <form> kept only when it is the page."""
    import re

    from crawler.extraction.date_lines import EMBED_END, EMBED_START, RELATED_END, RELATED_START
    from crawler.extraction.page import BLOCK_TAGS, EMBED_CLASSES, RELATED_CLASSES, SKIPPED_TAGS

    parts: list[str] = []

    def is_page_form(element) -> bool:
        return bool(element.xpath("boolean(.//h1 or .//table or .//article)")) or len(element.text_content()) > 2000

    def marks(element) -> tuple[str, str] | None:
        classes = element.get("class") or ""
        if any(name in classes for name in EMBED_CLASSES.get(element.tag, ())):
            return "\n" + EMBED_START, EMBED_END + "\n"
        if any(name in classes for name in RELATED_CLASSES.get(element.tag, ())) and not element.xpath(".//h1"):
            return "\n" + RELATED_START, RELATED_END + "\n"
        return None

    def walk(element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in SKIPPED_TAGS and not (tag == "form" and is_page_form(element)):
            parts.append(element.tail or "")
            return
        opening, closing = (marks(element) if tag else None) or (("\n", "\n") if tag in BLOCK_TAGS else ("", ""))
        parts.append(opening)
        parts.append(element.text or "" if tag else "")
        for child in element:
            walk(child)
        parts.append(closing)
        parts.append(element.tail or "")

    body = tree.find("body")
    for child in [body] if body is not None else [tree]:
        walk(child)
    return re.sub(r"[ \t\u00a0]*\n[\s]*", "\n", "".join(parts))


TRICKY_PAGES = [
    "<html><body><div>أول<script>var a = 1;</script> بعد النص<br>سطر<span>داخل</span>ذيل</div>"
    "<aside><p>جانبي</p></aside>ذيل الجانب<form><input name=q>بحث</form>بعد النموذج"
    "<form><h1>عنوان داخل نموذج الصفحة</h1><p>نص المقال</p></form><footer>تذييل</footer>آخر</body></html>",
    "<html><head><title>عنوان</title></head><p>بلا body صريح</p><nav>قائمة</nav><p>فقرة\u00a0 \t</p></html>",
    "<div><svg><text>رسم</text></svg>نص<template><p>قالب</p></template><noscript>بلا</noscript></div>",
    '<div class="post"><h1>عنوان</h1><p>نص</p><blockquote class="twitter-tweet"><p>تغريدة</p>March 11, 2025'
    '</blockquote>ذيل<div class="fb-post">منشور</div><div class="related-posts"><p>خبر 10 مارس 2025</p></div>'
    '<aside class="related">جانبي</aside><div class="related-wrap"><h1>عنوان آخر</h1></div></div>',
]


@pytest.mark.parametrize("page", ["world", "fixtures", "tricky"])
def test_visible_text_is_the_walk_definition(page):
    from crawler.extraction.page import drop_discarded_subtrees, page_text
    from crawler.extraction.page import parse_html as _tree
    from tests.world import TEMPLATES, make_articles

    if page == "world":
        pages = [
            render(a)
            for t in TEMPLATES
            for a in make_articles("موقع", t, "Africa/Cairo", "v", 0, 3, datetime(2024, 11, 5, tzinfo=UTC))
        ]
    elif page == "fixtures":
        pages = [p.read_bytes().decode("utf-8", "replace") for p in sorted(PAGES.glob("*.html"))]
    else:
        pages = TRICKY_PAGES
    for html in pages:
        tree = _tree(html)
        assert page_text(tree) == _reference_page_text(tree)
        drop_discarded_subtrees(tree)
        assert page_text(tree) == _reference_page_text(tree) == _reference_page_text(_tree(html))
    if page == "tricky":
        lines = page_text(_tree(TRICKY_PAGES[0])).split("\n")
        assert lines == [
            "",
            "أول بعد النص",
            "سطر",
            "داخل",
            "ذيل",
            "ذيل الجانببعد النموذج",
            "عنوان داخل نموذج الصفحة",
            "نص المقال",
            "آخر",
        ]
        # embedded posts and related blocks marked (not an <aside>, nor a block holding a headline)
        assert page_text(_tree(TRICKY_PAGES[3])).split("\n") == [
            "",
            "عنوان",
            "نص",
            "\ue000",
            "تغريدة",
            "March 11, 2025\ue001",
            "ذيل",
            "\ue000منشور\ue001",
            "\ue002",
            "خبر 10 مارس 2025",
            "\ue003",
            "عنوان آخر",
            "",
        ]


def test_discarded_subtrees_change_nothing_trafilatura_extracts():
    """Scripts, styles, SVG, asides, footers and the head's elements are removed before
    trafilatura sees the tree: what it extracts is the same (JSON-LD stays, for its baseline)."""
    import trafilatura

    from crawler.extraction.page import drop_discarded_subtrees
    from crawler.extraction.page import parse_html as _tree
    from tests.world import TEMPLATES, make_articles

    pages = [
        render(a)
        for t in TEMPLATES
        for a in make_articles("موقع", t, "Africa/Cairo", "d", 0, 3, datetime(2024, 11, 5, tzinfo=UTC))
    ]
    pages += [p.read_bytes().decode("utf-8", "replace") for p in sorted(PAGES.glob("*.html"))] + TRICKY_PAGES
    pages.append(
        '<html><head><title>العنوان</title><meta name="description" content="وصف">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "articleBody": "'
        + "نص المقال الكامل كما تنشره الصفحة في بياناتها. "
        * 20
        + '"}</script><noscript><p>نص</p>'
        "</noscript></head><body><aside>"
        "<p>الأكثر قراءة</p></aside><div>قصير</div><footer>حقوق النشر</footer></body></html>"
    )
    for html in pages:
        kept, pruned = _tree(html), _tree(html)
        drop_discarded_subtrees(pruned)
        assert (
            pruned.xpath(
                "count(//script[not(@type='application/ld+json')] | //style | //svg | //aside | //footer"
                " | //head/*[not(self::script[@type='application/ld+json'])])"
            )
            == 0
        )
        assert pruned.xpath("count(//script[@type='application/ld+json'])") == kept.xpath(
            "count(//script[@type='application/ld+json'])"
        )
        options = {"with_metadata": False, "include_tables": True, "fast": True, "deduplicate": False}
        before, after = trafilatura.bare_extraction(kept, **options), trafilatura.bare_extraction(pruned, **options)
        assert (before.text if before else None) == (after.text if after else None)


def test_page_metadata_read_in_one_walk_answers_each_question_as_its_xpath():
    """The metadata elements are found in one walk; each answer is what its XPath gives."""
    from crawler.extraction.page import parse_html as _tree
    from crawler.extraction.pagemeta import read_page_metadata

    html = (
        '<html lang="ar-EG"><head><title></title><link rel="alternate" href="/amp">'
        '<link REL="Canonical"><link rel="CANONICAL" href="https://site.example/a/1">'
        '<link rel="canonical" href="https://site.example/other">'
        '<script type="Application/LD+JSON">{"@type": "NewsArticle", "headline": "عنوان البيانات",'
        ' "datePublished": "2024-11-05T10:00:00+02:00"}</script><script>var x = "ld+json";</script>'
        '<meta property="og:title" content="عنوان أوج"><meta itemprop="dateModified" content="x">'
        '</head><body><title>عنوان في الجسم</title><h2>قسم</h2><div><h1 itemprop="headline">العنوان الرئيسي</h1></div>'
        '<time datetime="2024-11-05T09:00" class="date publish">٥ نوفمبر</time>'
        '<time datetime="2024-11-05T09:30" pubdate>٥ نوفمبر</time><span itemprop="datePublished" datetime="2024-11-05">'
        "</span><h3>متعلق</h3></body></html>"
    )
    meta = read_page_metadata(_tree(html))
    assert meta.lang == "ar-EG"
    assert meta.canonical == "https://site.example/a/1"
    assert meta.titles == [
        ("jsonld", "عنوان البيانات"),
        ("og", "عنوان أوج"),
        ("h2", "قسم"),
        ("h1", "العنوان الرئيسي"),
        ("h3", "متعلق"),
    ]  # string(//head/title) or string(//title): both the empty one
    assert meta.published == [
        ("jsonld:datePublished", "2024-11-05T10:00:00+02:00"),
        ("itemprop:datePublished", "2024-11-05"),
        ("time:published", "2024-11-05T09:00"),
        ("time:published", "2024-11-05T09:30"),
        ("time:datetime", "2024-11-05T09:00"),
    ]
    assert read_page_metadata(_tree(html.replace("<title></title>", ""))).titles[-1] == ("title", "عنوان في الجسم")


def test_the_parser_makes_plain_html_elements_and_changes_nothing_trafilatura_extracts():
    import lxml.html
    import trafilatura

    from crawler.extraction.page import HTML_PARSER
    from crawler.extraction.page import parse_html as _tree
    from tests.world import TEMPLATES, make_articles

    stock = lxml.html.HTMLParser(collect_ids=False, remove_comments=True, remove_pis=True)
    pages = [
        render(a)
        for t in TEMPLATES
        for a in make_articles("موقع", t, "Asia/Beirut", "f", 0, 2, datetime(2024, 11, 5, tzinfo=UTC))
    ]
    pages += [p.read_bytes().decode("utf-8", "replace") for p in sorted(PAGES.glob("*.html"))] + TRICKY_PAGES
    options = {"with_metadata": False, "include_tables": True, "fast": True, "deduplicate": False}
    for html in pages:
        tree = _tree(html)
        assert (
            all(isinstance(e, lxml.html.HtmlElement) for e in tree.iter()) and tree.getroottree().parser is HTML_PARSER
        )
        ours = trafilatura.bare_extraction(tree, **options)
        theirs = trafilatura.bare_extraction(lxml.html.document_fromstring(html, parser=stock), **options)
        assert (ours.text if ours else None) == (theirs.text if theirs else None)


def test_a_page_libxslt_cannot_render_is_an_extraction_error(monkeypatch):
    from lxml import etree

    from crawler.extraction import page

    def refuse(_tree):
        raise etree.XSLTApplyError("maximum template depth exceeded")

    monkeypatch.setattr(page, "_VISIBLE_TEXT", refuse)
    with pytest.raises(ExtractionError, match="visible text"):
        extract_article(
            "https://site.example/a",
            "<html><body><p>نص</p></body></html>".encode(),
            fetched_at=datetime(2026, 11, 30, tzinfo=UTC),
        )


def test_an_elements_text_keeps_its_parts_apart():
    from crawler.extraction.page import element_text, parse_html

    tree = parse_html("<html><body><div id='card'><h4>الكاتب في سطور</h4><b>د. هشام النجار</b>أستاذ <i>جامعي</i></div>")
    assert element_text(tree.get_element_by_id("card")) == "الكاتب في سطور د. هشام النجار أستاذ جامعي"
