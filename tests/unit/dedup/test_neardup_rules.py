"""The near-duplicate measures and their thresholds, at their edges (``crawler.dedup.neardup``)."""

from __future__ import annotations

import numpy as np
import pytest

from crawler.dedup import neardup
from crawler.dedup.neardup import Comparison, classify, compare, differing_facts, fact_contexts

EDGE = neardup.CONTAINMENT_THRESHOLD
ENOUGH = neardup.MIN_SHARED_SHINGLES


@pytest.mark.parametrize(
    ("comparison", "kind"),
    [
        (Comparison(0.3, EDGE, EDGE, ENOUGH, ()), "near"),  # each nearly all in the other, at the edge
        (Comparison(0.3, EDGE, EDGE - 0.01, ENOUGH, ()), "partial"),
        (Comparison(0.3, EDGE, 0.1, ENOUGH, ()), "partial"),  # contained at the edge, with enough shared
        (Comparison(0.3, EDGE, 0.1, ENOUGH - 1, ()), None),  # too little shared text
        (Comparison(0.3, EDGE - 0.01, 0.1, ENOUGH, ()), None),
        (Comparison(neardup.JACCARD_THRESHOLD, 0.6, 0.6, 5, ()), "near"),  # edits spread over the text
        (Comparison(neardup.JACCARD_THRESHOLD - 0.01, 0.6, 0.6, 5, ()), None),
        (Comparison(0.2, 0.3, 0.3, 5, (("c", "1", "2"),)), "template"),  # other numbers, jaccard at 0.2
        (Comparison(0.19, 0.3, 0.3, 5, (("c", "1", "2"),)), None),
        (Comparison(0.1, EDGE, 0.1, ENOUGH, (("c", "1", "2"),)), "template"),  # contained, other numbers
        (Comparison(0.1, EDGE, 0.1, ENOUGH - 1, (("c", "1", "2"),)), None),
    ],
)
def test_classify_at_the_thresholds(comparison, kind):
    assert classify(comparison) == kind


def test_compare_measures_and_texts_too_short():
    words = [f"كلمة{i}" for i in range(12)]
    a = neardup.TextProfile(neardup._shingles_of_words(words), {})
    b = neardup.TextProfile(neardup._shingles_of_words(words[:8] + ["اخرى", "غيرها"]), {})
    measured = compare(a, b)
    # a: 10 shingles, b: 8, in common: 6 → jaccard 6/12, a in b 6/10, b in a 6/8
    assert measured == Comparison(0.5, 0.6, 0.75, 6, ())
    third = neardup.TextProfile(neardup._shingles_of_words(words[:5]), {})
    assert compare(a, third) == Comparison(0.3, 0.3, 1.0, 3, ())
    assert compare(third, a).a_in_b == 1.0
    seventh = neardup.TextProfile(neardup._shingles_of_words(words[:9] + ["س", "ص", "ع", "ف", "ق", "ك"]), {})
    assert compare(a, seventh).jaccard == round(7 / 16, 4) == 0.4375
    assert compare(a, neardup.TextProfile(frozenset(), {})) == Comparison(0.0, 0.0, 0.0, 0, ())
    assert compare(neardup.TextProfile(frozenset(), {}), a) == Comparison(0.0, 0.0, 0.0, 0, ())


def test_shingles_need_three_words_and_keys_enough_shingles():
    assert neardup._shingles_of_words(["ا", "ب"]) == frozenset()
    assert neardup._shingles_of_words(["ا", "ب", "ج"]) == frozenset({"ا ب ج".encode()})
    words = [f"w{i}" for i in range(neardup.MIN_SHINGLES + 2)]  # exactly MIN_SHINGLES shingles
    shingles, keys = neardup.lsh_keys_of_words(words)
    assert len(shingles) == neardup.MIN_SHINGLES and len(keys) == neardup.BANDS
    assert neardup.lsh_keys_of_words(words[:-1])[1] == []


def test_the_signature_of_nothing_is_all_maxima():
    empty = neardup.signature(frozenset())
    assert empty.dtype == np.uint32 and empty.shape == (neardup.NUM_PERM,) and int(empty.max()) == 0xFFFFFFFF
    one = neardup.signature(frozenset({b"a b c"}))
    assert one.shape == (neardup.NUM_PERM,) and one.dtype == np.uint32


def test_facts_are_numbers_days_and_months_in_their_context():
    words = ["ارتفع", "سعر", "الذهب", "الى", "2500", "دولار", "للاوقيه", "يوم", "الخميس", "في", "السوق", "المحليه"]
    assert fact_contexts(words) == {"الذهب الى _ دولار للاوقيه": {"2500"}, "للاوقيه يوم _ في السوق": {"الخميس"}}
    assert fact_contexts(["في", "نوفمبر"]) == {}  # too little context
    assert fact_contexts(["قال", "5", "رجال"]) == {}  # two words around it: not enough
    assert fact_contexts(["وصل", "12", "شخصا", "الى"]) == {"وصل _ شخصا الى": {"12"}}  # three: enough
    # Facts next to each other are not each other's context: here none has three words around it.
    assert fact_contexts(["بلغ", "العدد", "12", "مارس", "2024", "في", "المدينه"]) == {}


def test_facts_differ_only_where_both_say_something_else():
    a = {"سعر الذهب _ دولار": {"2500"}, "يوم _ في": {"الخميس"}, "only a _": {"1"}}
    b = {"سعر الذهب _ دولار": {"2510"}, "يوم _ في": {"الخميس", "الجمعه"}}
    assert differing_facts(a, b) == (("سعر الذهب _ دولار", "2500", "2510"),)
    assert differing_facts({"c": {"1", "3"}}, {"c": {"2", "4"}}) == (("c", "1,3", "2,4"),)
    assert differing_facts({"c": {"1"}}, {"c": {"1"}}) == ()
