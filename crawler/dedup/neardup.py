"""Near-duplicate detection for syndicated copies: MinHash over word shingles of the
Arabic-normalised body, banded for LSH, confirmed by the true similarity of the two texts.

Pure functions.  The LSH index itself lives in the database (``lsh_buckets``), so it survives
restarts, is shared by concurrent crawls, and a look-up costs one indexed query whatever the
number of stored articles.

Two candidate look-ups, both indexed: LSH bands (``band_keys``) find texts that are nearly equal;
*fingerprints* (``fingerprints``: the shingles whose hash falls in a fixed 1/``FINGERPRINT_MOD``
sample, the same sample in every text) find texts that are mostly *contained* in another (a
re-post of the first half, a condensed version, an agency's own opening), whose Jaccard
similarity is too low for LSH.

The verdict (:func:`classify`, thresholds measured with ``bench/dedup.py``, see docs/extraction.md):

* ``near``: each text's 3-word shingles at least ``CONTAINMENT_THRESHOLD`` contained in the
  other, or a Jaccard similarity of at least ``JACCARD_THRESHOLD`` (edits all over the text);
* ``partial``: at least ``CONTAINMENT_THRESHOLD`` of one text's shingles in the other but not the
  other way round (half an article, a condensed version, another opening), with at least
  ``MIN_SHARED_SHINGLES`` shingles in common;
* ``template``: the two texts say the same sentences with other numbers, dates or day names
  (daily gold prices, prayer times, weather): a *series*, never a copy;
* None: different stories.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass

import numpy as np

from crawler.text.arabic import dedup_key, tokens

SHINGLE_WORDS = 3
NUM_PERM = 64
BANDS = 16
ROWS = NUM_PERM // BANDS
MIN_SHINGLES = 25  # shorter bodies are not indexed: too little text to tell copies apart
JACCARD_THRESHOLD = 0.5
CONTAINMENT_THRESHOLD = 0.8
MAX_CANDIDATES = 8  # confirmed on their texts, most shared bands first
MIN_SHARED_SHINGLES = 20  # a partial copy shares at least this much text (about 20 words)
FINGERPRINT_MOD = 8  # one shingle in 8 (by hash) is a fingerprint
MIN_FINGERPRINT_MATCH = 0.4  # candidates share at least this share of the new text's fingerprints
_SEED = 1


@dataclass(frozen=True, slots=True)
class Comparison:
    """Every measure of a pair of texts (``a`` the newer, ``b`` the stored one)."""

    jaccard: float
    a_in_b: float  # share of a's shingles found in b
    b_in_a: float
    shared: int  # shingles in common
    numbers_differ: tuple[tuple[str, str, str], ...]  # (context, value in a, value in b)

    @property
    def containment(self) -> float:
        """The larger of the two containments: how much of the shorter text is in the longer."""
        return max(self.a_in_b, self.b_in_a)

    @property
    def kind(self) -> str | None:
        return classify(self)

    @property
    def score(self) -> float:
        """The similarity stored with a link: Jaccard for a near copy, containment for a partial one."""
        return round(self.jaccard if self.kind == "near" else max(self.a_in_b, self.b_in_a), 4)


def classify(comparison: Comparison) -> str | None:
    """``near``, ``partial``, ``template`` or None (see the module's documentation)."""
    a_in_b, b_in_a = comparison.a_in_b, comparison.b_in_a
    contained = comparison.shared >= MIN_SHARED_SHINGLES and max(a_in_b, b_in_a) >= CONTAINMENT_THRESHOLD
    if comparison.numbers_differ and (contained or comparison.jaccard >= 0.2):
        return "template"
    if min(a_in_b, b_in_a) >= CONTAINMENT_THRESHOLD:
        return "near"  # each text is nearly all in the other
    if contained:
        return "partial"  # one text is mostly in the other, not the other way round
    if comparison.jaccard >= JACCARD_THRESHOLD:
        return "near"  # edits spread over the whole text
    return None


# Tokens that carry a story's facts in template news: numbers (digits already folded to ASCII by
# dedup_key), day names and month names of every region, as dedup_key spells them.
_DAY_NAMES = {"السبت", "الاحد", "الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعه"}
_MONTH_NAMES = {
    "يناير",
    "فبراير",
    "مارس",
    "ابريل",
    "مايو",
    "يونيو",
    "يوليو",
    "اغسطس",
    "سبتمبر",
    "اكتوبر",
    "نوفمبر",
    "ديسمبر",
    "جانفي",
    "فيفري",
    "افريل",
    "ماي",
    "جوان",
    "جويليه",
    "اوت",
    "نونبر",
    "دجنبر",
    "شتنبر",
    "يوليوز",
    "غشت",
    "كانون",
    "شباط",
    "اذار",
    "نيسان",
    "ايار",
    "حزيران",
    "تموز",
    "اب",
    "ايلول",
    "تشرين",
    "محرم",
    "صفر",
    "ربيع",
    "جمادي",
    "رجب",
    "شعبان",
    "رمضان",
    "شوال",
    "القعده",
    "الحجه",
}
_CONTEXT_WORDS = 2


def _is_fact(token: str) -> bool:
    return token.isdigit() or token in _DAY_NAMES or token in _MONTH_NAMES


def fact_contexts(words: list[str]) -> dict[str, set[str]]:
    """``{context: values}``: each number, day or month name of a dedup-normalised text's words,
    keyed by the words around it (two before, two after)."""
    found: dict[str, set[str]] = {}
    for i, word in enumerate(words):
        if not _is_fact(word):
            continue
        before = [w for w in words[max(0, i - _CONTEXT_WORDS) : i] if not _is_fact(w)]
        after = [w for w in words[i + 1 : i + 1 + _CONTEXT_WORDS] if not _is_fact(w)]
        if len(before) + len(after) < 3:  # too little context to say "the same sentence"
            continue
        found.setdefault(f"{' '.join(before)} _ {' '.join(after)}", set()).add(word)
    return found


def differing_facts(a: dict[str, set[str]], b: dict[str, set[str]]) -> tuple[tuple[str, str, str], ...]:
    """Where two texts (their :func:`fact_contexts`) say the same words around a different
    number, date or day.  Values that one text only lacks (a copy that left a sentence out) are
    not a difference."""
    return tuple(
        (context, ",".join(sorted(a[context])), ",".join(sorted(b[context])))
        for context in sorted(a.keys() & b.keys())
        if not (a[context] <= b[context] or b[context] <= a[context])
    )


@dataclass(frozen=True, slots=True)
class TextProfile:
    """What comparing needs of one text, computed once however many texts it is compared with."""

    shingles: frozenset[bytes]
    facts: dict[str, set[str]]


def profile(text: str) -> TextProfile:
    words = tokens(dedup_key(text))
    return TextProfile(_shingles_of_words(words), fact_contexts(words))


def compare(a: str | TextProfile, b: str | TextProfile) -> Comparison:
    """Every measure of a newer text ``a`` against a stored text ``b`` (texts or their profiles)."""
    a = a if isinstance(a, TextProfile) else profile(a)
    b = b if isinstance(b, TextProfile) else profile(b)
    if not a.shingles or not b.shingles:
        return Comparison(0.0, 0.0, 0.0, 0, ())
    common = len(a.shingles & b.shingles)
    return Comparison(
        round(common / len(a.shingles | b.shingles), 4),
        round(common / len(a.shingles), 4),
        round(common / len(b.shingles), 4),
        common,
        differing_facts(a.facts, b.facts),
    )


def _hash63(data: bytes) -> int:
    """A stable signed 63-bit hash (fits every database's BIGINT): LSH buckets and fingerprints."""
    value: int = struct.unpack(">q", hashlib.blake2b(data, digest_size=8).digest())[0]
    return value >> 1


def fingerprints(shingle_set: frozenset[bytes]) -> list[int]:
    """The text's sampled shingle hashes (a fixed 1/FINGERPRINT_MOD of all shingles): a text
    contained in another has its fingerprints contained in the other's.  Each is
    :func:`_hash63` of its shingle, computed for the whole set at once."""
    blake2b = hashlib.blake2b
    hashes = (
        np.frombuffer(b"".join([blake2b(shingle, digest_size=8).digest() for shingle in shingle_set]), dtype=">i8") >> 1
    )
    return sorted(set(hashes[hashes % FINGERPRINT_MOD == 0].tolist()))


def _shingles_of_words(words: list[str]) -> frozenset[bytes]:
    if len(words) < SHINGLE_WORDS:
        return frozenset()
    runs = zip(*(words[i:] for i in range(SHINGLE_WORDS)))  # (w0, w1, w2), (w1, w2, w3), ...
    return frozenset(map(str.encode, map(" ".join, runs)))


# The signature is datasketch's MinHash (scheme "affine32", seed 1, SHA-1 32-bit shingle hashes):
# the stored LSH buckets were made with it.  It is computed here in a few array operations because
# datasketch's update_batch costs more than the rest of a body's keys (a Python call per shingle,
# a sketch object per page); tests/unit/dedup/test_dedupe.py keeps the two equal.
_UINT32_MAX = np.uint32(0xFFFFFFFF)


def _draw_permutations(seed: int, num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine permutations ``h → a·h + b mod 2³²`` (odd ``a``), drawn as it draws them."""
    generator = np.random.RandomState(seed)
    a = generator.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


_PERMUTATIONS = _draw_permutations(_SEED, NUM_PERM)


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, which datasketch applies to each hash before permuting."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    mixed: np.ndarray = values ^ (values >> np.uint32(16))
    return mixed


def signature(shingle_set: frozenset[bytes]) -> np.ndarray:
    """The MinHash signature (NUM_PERM unsigned 32-bit values) of a set of shingles."""
    if not shingle_set:
        return np.full(NUM_PERM, _UINT32_MAX, dtype=np.uint32)
    sha1 = hashlib.sha1
    hashes = np.frombuffer(b"".join([sha1(shingle).digest()[:4] for shingle in shingle_set]), dtype="<u4")
    a, b = _PERMUTATIONS
    minima: np.ndarray = (_fmix32(hashes.astype(np.uint32)).reshape(-1, 1) * a + b).min(axis=0)
    return minima


def band_keys(sig: np.ndarray) -> list[tuple[int, int]]:
    """``(band, bucket)`` pairs: the bucket is a signed 63-bit hash of the band's rows."""
    rows = sig.astype(np.uint64).tobytes()  # each band's rows as 64-bit values, as the index was built
    width = ROWS * 8
    return [(band, _hash63(rows[band * width : (band + 1) * width])) for band in range(BANDS)]


def lsh_keys(text: str) -> tuple[frozenset[bytes], list[tuple[int, int]]]:
    """Shingles and LSH keys of a body; no keys for a body too short to compare."""
    return lsh_keys_of_words(tokens(dedup_key(text)))


def lsh_keys_of_words(words: list[str]) -> tuple[frozenset[bytes], list[tuple[int, int]]]:
    """:func:`lsh_keys` of the words of a dedup key (``tokens(dedup_key(text))``)."""
    shingle_set = _shingles_of_words(words)
    if len(shingle_set) < MIN_SHINGLES:
        return shingle_set, []
    return shingle_set, band_keys(signature(shingle_set))
