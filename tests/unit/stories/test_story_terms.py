"""Event terms and the story verdict, without a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from crawler.stories.terms import event_terms, term_hash
from crawler.stories.verdict import MATCH_THRESHOLD, STORY_WINDOW, StoredReport, choose_story, is_opinion, similarity
from tests.story_cases import REPORTS

T = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)


def terms_of(event: str, n: int = 0):
    report = [r for r in REPORTS if r.event == event][n]
    return event_terms(report.title, report.text)


def test_places_are_read_in_every_form_and_years_are_not_numbers():
    terms = event_terms("زلزال في ملاطية التركية", "ضرب زلزال بقوة ٦٫١ درجات تركيا في عام 2025 وأصيب 37 شخصا")
    assert terms.places == (term_hash("p:تركيا"),)  # التركية and تركيا: one place
    assert set(terms.numbers) == {term_hash("n:6.1"), term_hash("n:37")}  # Arabic-Indic digits read; 2025 is a year


def test_related_story_links_after_the_body_are_not_the_event():
    with_links = event_terms("عنوان", "نص الخبر عن افتتاح المترو\n\nاقرأ أيضا: زلزال بقوة 6.1 درجات يضرب تركيا")
    assert with_links == event_terms("عنوان", "نص الخبر عن افتتاح المترو")


def test_reports_naming_places_none_in_common_are_never_one_story():
    turkey, iran = terms_of("quake-turkey"), terms_of("quake-iran")
    assert turkey.places and iran.places
    assert similarity(turkey, iran, {}, 1.0) == 0.0
    assert similarity(turkey, terms_of("quake-turkey", 1), {}, 1.0) > MATCH_THRESHOLD


def test_a_story_is_joined_only_within_its_window_and_span():
    new, other = terms_of("verdict"), terms_of("verdict", 1)
    near = StoredReport(1, 1, T - timedelta(hours=2), T - timedelta(hours=2), other)
    joined = choose_story(new, T, [near], {}, 1)
    assert joined is not None and joined[0] == 1
    far = StoredReport(1, 1, T - STORY_WINDOW - timedelta(minutes=1), T - STORY_WINDOW, other)
    assert choose_story(new, T, [far], {}, 1) is None
    old_story = StoredReport(1, 1, T - timedelta(hours=2), T - timedelta(days=4), other)
    assert choose_story(new, T, [old_story], {}, 1) is None  # a story started days ago: a new development


def test_opinion_pieces_by_address_or_section():
    assert is_opinion("https://ammon.example.jo/articles/opinion/15502", [])
    assert is_opinion("https://x.example/news/1", ["مقالات"])
    assert not is_opinion("https://x.example/news/opinion-poll-results", ["اقتصاد"])


def test_a_shared_paragraph_without_a_word_of_either_headline_is_not_an_event():
    """Pages that open with the same stock paragraph (a section's standing text, a CMS's filler)
    but report other things: nothing either headline says is shared."""
    stock = (
        "تتابع الجهات المختصة تنفيذ الخطة الوطنية للتنمية المستدامة بالتعاون مع الشركاء المحليين والدوليين "
        "في إطار رؤية شاملة تهدف إلى تحسين جودة الخدمات المقدمة للمواطنين في مختلف المحافظات. "
    )
    fair = event_terms("افتتاح معرض الكتاب بمشاركة ثلاثمئة دار نشر", stock + "وافتتح المعرض بحضور الوزير.")
    beach = event_terms("إغلاق شواطئ قبل موسم الاصطياف", stock + "وأغلقت الشواطئ أمام المصطافين.")
    assert len(set(fair.all()) & set(beach.all())) >= 10
    assert similarity(fair, beach, {}, 1.0) == 0.0
