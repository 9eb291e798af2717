import pytest

from crawler.extraction.bylines import person_names
from crawler.text.arabic import clean_stored_text, normalize_key, tokens
from crawler.text.urls import absolute_http_url, is_http_url, registered_domain, same_site, strip_tracking, url_key


def test_normalize_key_is_its_six_steps_in_one_pass():
    """normalize_key folds in one pass what its definition does in steps: NFKC, invisible
    controls, diacritics, letters and tatweel, digits, then ة and the hamza seats when asked."""
    import random
    import re
    import unicodedata

    from crawler.text import arabic as textnorm

    def stepwise(text: str, ta: bool, hamza: bool) -> str:
        text = re.sub(f"[{textnorm.INVISIBLE_CONTROLS}]", "", unicodedata.normalize("NFKC", text))
        text = re.sub("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]", "", text)
        text = text.translate(textnorm._LETTER_FOLD).translate(textnorm._DIGITS)
        text = text.translate(textnorm._TA_MARBUTA) if ta else text
        text = text.translate(textnorm._HAMZA_SEATS) if hamza else text
        return re.sub(r"\s+", " ", text).strip().lower()

    alphabet = (
        [chr(c) for c in range(0x0600, 0x0700)]
        + [chr(c) for c in range(0xFB50, 0xFC00)]
        + [chr(c) for c in range(0xFE70, 0xFF00)]
        + list(textnorm.INVISIBLE_CONTROLS)
        + list("aZ 0\t\n\u00a0")
    )
    rng = random.Random(5)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        for ta in (False, True):
            for hamza in (False, True):
                assert textnorm.normalize_key(text, fold_ta_marbuta=ta, fold_hamza_seats=hamza) == stepwise(
                    text, ta, hamza
                )
    body = "مسؤولية البرلمان، شؤون القضاء ٢٠٢٥ وأسئلة المرأة"
    assert (
        textnorm.body_keys(None, body).dedup
        == textnorm.dedup_key(body)
        == "مسووليه البرلمان، شوون القضا 2025 واسيله المراه"
    )


def test_normalize_key_folds_spelling_noise():
    assert normalize_key("أَحْمَد") == normalize_key("احمد") == normalize_key("إحمـــد")
    assert normalize_key("مستشفى") == normalize_key("مستشفي")
    assert normalize_key("کتاب") == normalize_key("كتاب")
    assert normalize_key("عام ٢٠٢٥ و۱۴۰۴") == "عام 2025 و1404"
    assert normalize_key("\u200fنص\u200b  مع   مسافات\u200e") == "نص مع مسافات"
    assert normalize_key("مدرسة") != normalize_key("مدرسه")
    assert normalize_key("مدرسة", fold_ta_marbuta=True) == normalize_key("مدرسه")
    assert normalize_key("مسؤول", fold_hamza_seats=True) == normalize_key("مسوول")
    assert normalize_key("ﻻ") == "لا"  # presentation forms (NFKC)


def test_tokens_keep_vocalised_words_whole():
    assert tokens("السَّلامُ عليكم، يا أحمد!") == ["السَّلامُ", "عليكم", "يا", "أحمد"]


def test_stored_text_keeps_what_the_reader_sees():
    stored = clean_stored_text("أَحْمَد\u200f  قال\n\n\n\nفقرة ثانية\r\n")
    assert stored == "أَحْمَد قال\n\nفقرة ثانية"


@pytest.mark.parametrize(
    "variant",
    [
        "https://www.example.com/news/%D8%AE%D8%A8%D8%B1/1",
        "http://example.com/news/خبر/1",
        "https://EXAMPLE.com:443/news/خبر/1/",
        "https://example.com/news/خبر/1?utm_source=twitter&utm_medium=social#comments",
        "https://example.com/news/خبر/1?fbclid=abc&gclid=x",
        "https://m.example.com/news/خبر/1",
        "https://example.com/amp/news/خبر/1",
        "https://example.com/news/خبر/1/amp/",
        "https://example.com/news/خبر/1?outputType=amp",
        "https://example.com/news/خبر/1?amp",
    ],
)
def test_url_key_folds_variants(variant):
    assert url_key(variant) == "https://example.com/news/%D8%AE%D8%A8%D8%B1/1"


def test_url_key_keeps_real_parameters():
    assert url_key("https://x.com/a?id=2&page=1") == "https://x.com/a?id=2&page=1"
    assert url_key("https://x.com/a?page=1&id=2") == url_key("https://x.com/a?id=2&page=1")
    assert url_key("https://x.com/a?ref=5") != url_key("https://x.com/a")  # bare ref can be an id
    assert url_key("https://x.com/a?id=2") != url_key("https://x.com/a?id=3")


def test_url_helpers():
    assert is_http_url("https://a.com/x") and not is_http_url("file:///etc/passwd")
    assert not is_http_url("javascript:alert(1)") and not is_http_url(None)
    assert absolute_http_url("/x/خبر", "https://a.com/feed") == "https://a.com/x/%D8%AE%D8%A8%D8%B1"
    assert absolute_http_url("mailto:a@b.c", "https://a.com/") is None
    assert registered_domain("https://www.albayan.ae/x") == "albayan.ae"
    assert registered_domain("https://news.bbc.co.uk/x") == "bbc.co.uk"
    assert registered_domain("http://52.16.95.170/x") is None
    assert same_site("https://www.youm7.com/a", "https://m.youm7.com/b")
    assert not same_site("https://www.youm7.com/a", "https://youm7.com.evil.net/b")
    assert not same_site("https://www.almadenahnews.com/a", "https://52.16.95.170/a")


@pytest.mark.parametrize(
    "raw, names",
    [
        ("كتب: محمد أحمد", ["محمد أحمد"]),
        ("كتبت أسماء نصار", ["أسماء نصار"]),
        ("بقلم د. سامي خليل وعلي حسن", ["سامي خليل", "علي حسن"]),  # a title is not part of the name
        ("إعداد: ريم سعيد، هالة يوسف", ["ريم سعيد", "هالة يوسف"]),
        ("حاوره: وليد العمري", ["وليد العمري"]),
        ("تقرير - نادية الشامي", ["نادية الشامي"]),
        ("وائل وهبة", ["وائل وهبة"]),  # a name that starts with و is not two authors
        ("Ziad Sankary", ["Ziad Sankary"]),
        ("(أبوظبي - البيان)", []),
        ("المصدر: وكالات", []),
        ("(رويترز)", []),
        ("رويترز", []),
        ("أ ف ب", []),
        ("المدينة نيوز", []),
        ("akhbarelyom", []),
        ("LBCI", []),
        ("https://www.facebook.com/someone", []),
        ("editor@example.com", []),
        ("فريق التحرير", []),
        ("Developed By Heba Musa", []),
    ],
)
def test_person_names(raw, names):
    assert person_names([raw], ["المدينة نيوز", "البيان"]) == names


def test_body_keys_equal_the_separate_keys():
    import random

    from crawler.text.arabic import body_keys, dedup_key, search_key, tokens
    from tests.world import HEADLINES, PARAGRAPHS

    rng = random.Random(1)
    noise = " أُعلِنَ ـــ Café ١٢٣ إئتلاف ؤ ئ ء  x\u200f ۝ آ ة "
    for title in (*HEADLINES, None, ""):
        text = "\n\n".join(rng.sample(PARAGRAPHS, 4)) + noise
        keys = body_keys(title, text)
        assert (keys.dedup, keys.search) == (dedup_key(text), search_key(f"{title or ''}\n{text}"))
        assert keys.words == tokens(dedup_key(text))
    # The dedup key's words come from the search key's: hamza seats, a lone ء, a word left
    # starting with "_" once its ء is gone, underscores and marks anywhere.
    alphabet = list("ءؤئاأإبةتيى _-.،") + ["\u064e", "\u0640", "x", "1", "__"]
    for _ in range(4000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 25)))
        keys = body_keys("عنوان", text)
        assert keys.words == tokens(dedup_key(text)) and keys.dedup == dedup_key(text), text


def test_only_http_urls_with_a_host_pass():
    assert is_http_url("http://a.com/x") and is_http_url(" HTTPS://a.com/x ")
    assert not is_http_url("http:///x") and not is_http_url("http://[::1")  # no host; unparseable
    assert absolute_http_url(123, "https://a.com/") is None  # type: ignore[arg-type]
    assert absolute_http_url("//cdn.a.com/i.jpg", "http://a.com/x") == "http://cdn.a.com/i.jpg"


def test_same_site_by_host_or_registered_domain():
    assert same_site("http://52.16.95.170/a", "http://52.16.95.170/b")  # the very same host, no domain
    assert same_site("https://news.bbc.co.uk/a", "https://www.bbc.co.uk/b")
    assert not same_site("https://a.example.com/x", "http://[::1")
    assert not same_site("http://[::1", "https://a.example.com/x")


@pytest.mark.parametrize(
    ("url", "stripped"),
    [
        ("https://e.com/a?id=1&utm_source=x&FBCLID=z#top", "https://e.com/a?id=1"),
        ("https://e.com/a?print=&id=2&gclid=q", "https://e.com/a?print=&id=2"),  # blank values stay
        ("https://e.com/a#comments", "https://e.com/a"),
        ("https://e.com/a?utm_medium=social", "https://e.com/a"),
        ("https://e.com/a?b=2&a=1", "https://e.com/a?b=2&a=1"),  # order kept: a URL to fetch, not a key
        ("https://e.com/a", "https://e.com/a"),
        ("http://[::1?utm_source=x", "http://[::1?utm_source=x"),  # unparseable: as given
    ],
)
def test_strip_tracking(url, stripped):
    assert strip_tracking(url) == stripped
