"""The byline rules at their edges (``crawler.extraction.bylines``): what can be a person's name,
how a raw byline is split, the outlet's own name in its spellings, and the limits."""

from __future__ import annotations

import pytest

from crawler.extraction.bylines import (
    MAX_BYLINE_CHARS,
    MAX_NAME_WORDS,
    _site_keys,
    is_person_name,
    person_names,
    split_byline,
)


@pytest.mark.parametrize(
    ("name", "person"),
    [
        ("سامي حداد", True),
        ("س" * 30 + " " + "ح" * 29, True),  # 60 characters
        ("س" * 30 + " " + "ح" * 30, False),  # 61
        (" ".join(["محمد"] * MAX_NAME_WORDS), True),
        (" ".join(["محمد"] * (MAX_NAME_WORDS + 1)), False),
        ("", False),
        ("   ", False),
        ("HTTPS://x.org/a", False),
        ("WWW.SITE.COM", False),
        ("علي 2", False),
        ("علي (القاهرة)", False),
        ("admin", False),
        ("Ziad Sankary", True),
        ("أ ب", False),  # every word of two letters or fewer: initials, not a name
        ("أحمد ب", True),
        ("وكالة الأنباء", False),
        ("قسم الاخبار المحلية", False),
    ],
)
def test_is_person_name(name, person):
    assert is_person_name(name) is person


def test_the_outlets_own_name_in_its_spellings_is_not_a_person():
    sites = ["البيان", "المدينة نيوز", None, ""]
    assert not is_person_name("البيان", sites)
    assert not is_person_name("بيان", sites)  # without the article
    assert not is_person_name("المدينة نيوز", sites) and not is_person_name("المدينةنيوز", sites)
    assert not is_person_name("تحرير المدينةنيوز اليوم", sites)  # contains the compact name
    assert is_person_name("نور بيان", ["نور"])  # a site key of three letters or fewer is not searched inside
    assert is_person_name("سامي حداد", sites)
    assert _site_keys(["المدينة نيوز", None, ""]) == {"المدينة نيوز", "المدينةنيوز", "مدينة نيوز"}


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("كتب:\u00a0سامي\u00a0حداد", ["سامي حداد"]),
        ("بقلم: بقلم سامي حداد", ["بقلم سامي حداد"]),  # the prefix is removed once
        ("سامي حداد - القاهرة", ["سامي حداد"]),
        ("سامي حداد -", ["سامي حداد"]),
        (" : سامي حداد . ", ["سامي حداد"]),
        ("سامي حداد،  ، هالة يوسف", ["سامي حداد", "هالة يوسف"]),
        ("د. سامي حداد", ["سامي حداد"]),
    ],
)
def test_split_byline(raw, names):
    assert split_byline(raw) == names


def test_person_names_in_order_once_within_the_limit():
    assert person_names(["كتب: سامي حداد", "سامي  حداد", "", "هالة يوسف"]) == ["سامي حداد", "هالة يوسف"]
    long = "كتب: سامي حداد" + " " * (MAX_BYLINE_CHARS - len("كتب: سامي حداد"))
    assert len(long) == MAX_BYLINE_CHARS and person_names([long]) != []
    assert person_names([long + "و"]) == []  # over the limit: not a byline
    assert person_names(["هالة يوسف", "سامي حداد"]) == ["هالة يوسف", "سامي حداد"]


def test_a_byline_block_that_also_prints_the_date():
    from crawler.extraction.bylines import person_names, without_date

    assert without_date("ندى حمدان 6 فبراير 2025") == "ندى حمدان"
    assert without_date("ندى حمدان الخميس، 6 فبراير 2025") == "ندى حمدان"  # the day name goes too
    assert without_date("الخميس 6 فبراير 2025 | ندى حمدان") == "ندى حمدان"  # the date first
    assert without_date("كتب: سامي حداد - 06/02/2025 13:45") == "كتب: سامي حداد"
    assert without_date("سامي حداد") == "سامي حداد" and without_date("فريق 2") == "فريق 2"
    assert person_names(["نَدَى حمدان 6 فبراير 2025"]) == ["نَدَى حمدان"]  # positions past diacritics


ROLE_PHRASES = [
    ("أجرى الحوار: سمير قاسم", ["سمير قاسم"], "حوار"),
    ("اسم الكاتب: ريما حداد", ["ريما حداد"], "الكاتب"),
    ("إعداد وتحرير: باسل نمر", ["باسل نمر"], "إعداد"),
    ("ترجمة وتحرير: باسل نمر", [], "ترجمة"),
    ("أعد التقرير: لمى سعد", ["لمى سعد"], "إعداد"),
    ("من مراسلنا في دمشق: زياد حمود", ["زياد حمود"], "مراسل"),
    ("من مراسلتنا: هبة الله", ["هبة الله"], "مراسلة"),
    ("تقرير خاص - نادين خوري", ["نادين خوري"], "تقرير"),
    ("كتبت – دعاء حسن", ["دعاء حسن"], "كتب"),
    ("بقلم الأستاذة: منال صبري", ["منال صبري"], "بقلم"),
    ("تنسيق: عبير سالم", [], None),
    ("المؤلف: طه حسين", ["طه حسين"], "المؤلف"),
    ("Par Karim Bensalem", ["Karim Bensalem"], "by"),
    ("من جهته، قال وزير المالية إن الموازنة متوازنة.", [], None),  # "من" opening a sentence
]


@pytest.mark.parametrize(("line", "people", "role"), ROLE_PHRASES)
def test_role_phrases_of_more_than_one_word(line, people, role):
    """Found after the fifth held-out set: the longer role phrases outlets print (each read in two
    page styles; the role as the resolver reads it)."""
    from datetime import UTC, datetime

    from crawler.extraction.article import extract_article
    from crawler.extraction.bylines import byline_label
    from tests.unit.extraction.byline_held_out import FIFTH_STYLES

    for style in FIFTH_STYLES:
        page = style(f"<p>{line}</p>")
        article = extract_article("https://w.example.com/n/1", page, fetched_at=datetime(2025, 2, 8, tzinfo=UTC))
        assert article.authors == people, style.__name__
    assert byline_label(line) == role
