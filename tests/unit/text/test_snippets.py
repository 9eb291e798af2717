"""Search snippets in the printed spelling (``crawler.text.snippets``)."""

from __future__ import annotations

from crawler.text.arabic import search_key
from crawler.text.snippets import snippet

TEXT = (
    "قالت مصادر مطلعة إن سعر الذهب يقفز إلى مستوى قياسي جديد بعد قرار الفائدة الأمريكية، "
    "في حين تراجعت أسعار النفط. وأضافت المصادر أن الأسواق تترقب بيانات التضخم الأسبوع المقبل."
)


def test_the_snippet_keeps_the_printed_spelling_and_marks_the_matches():
    cut = snippet(TEXT, search_key("الفائده الامريكيه"), search_key, words=10)
    assert "[الفائدة] [الأمريكية،]" in cut
    assert "الفائده" not in cut and "الامريكيه" not in cut
    assert cut.startswith("…") and cut.endswith("…")
    assert len(cut.strip("…").split()) == 10


def test_the_window_with_the_most_matches_wins():
    cut = snippet(TEXT, search_key("الاسواق التضخم"), search_key, words=8)
    assert "[الأسواق]" in cut and "[التضخم]" in cut and cut.startswith("…")
    assert snippet(TEXT, search_key("قالت"), search_key, words=5) == "[قالت] مصادر مطلعة إن سعر…"


def test_short_texts_and_no_match():
    assert snippet("سعر الذهب", search_key("الذهب"), search_key) == "سعر [الذهب]"
    assert snippet("", search_key("الذهب"), search_key) == ""
    assert snippet("سعر النفط اليوم", search_key("الذهب"), search_key, words=2) == "سعر النفط…"
    assert snippet("إلى أين", search_key("الى"), search_key, marks=("<b>", "</b>")) == "<b>إلى</b> أين"
