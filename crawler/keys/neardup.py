"""Near-duplicate detection for syndicated copies: MinHash over word shingles of the
Arabic-normalised body, banded for LSH, confirmed by the true similarity of the two texts.

Pure functions.  The LSH index itself lives in the database (``lsh_buckets``), so it survives
restarts, is shared by concurrent crawls, and a look-up costs one indexed query whatever the
number of stored articles.

Thresholds (measured with ``bench/dedup.py``, see the README): a pair is a near duplicate when
the Jaccard similarity of their 3-word shingle sets is at least ``JACCARD_THRESHOLD``, or when
the shorter text's shingles are at least ``CONTAINMENT_THRESHOLD`` contained in the longer one
(a copy that dropped or added paragraphs).
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

from crawler.extraction.textnorm import dedup_key, tokens

SHINGLE_WORDS = 3
NUM_PERM = 64
BANDS = 16
ROWS = NUM_PERM // BANDS
MIN_SHINGLES = 25  # shorter bodies are not indexed: too little text to tell copies apart
JACCARD_THRESHOLD = 0.5
CONTAINMENT_THRESHOLD = 0.8
MAX_CANDIDATES = 8  # confirmed on their texts, most shared bands first
_SEED = 1


@dataclass(frozen=True, slots=True)
class Similarity:
    jaccard: float
    containment: float

    @property
    def score(self) -> float:
        return max(self.jaccard, self.containment)

    @property
    def is_near_duplicate(self) -> bool:
        return self.jaccard >= JACCARD_THRESHOLD or self.containment >= CONTAINMENT_THRESHOLD


def shingles(text: str) -> frozenset[bytes]:
    """3-word shingles of the Arabic-normalised text (diacritics, tatweel, hamza, ى/ي, ة/ه folded)."""
    return shingles_of_key(dedup_key(text))


def shingles_of_key(key: str) -> frozenset[bytes]:
    """Shingles of text already passed through :func:`crawler.extraction.textnorm.dedup_key`."""
    words = tokens(key)
    if len(words) < SHINGLE_WORDS:
        return frozenset()
    return frozenset(" ".join(words[i: i + SHINGLE_WORDS]).encode() for i in range(len(words) - SHINGLE_WORDS + 1))


def signature(shingle_set: frozenset[bytes]) -> np.ndarray:
    minhash = MinHash(num_perm=NUM_PERM, seed=_SEED)
    minhash.update_batch(list(shingle_set))
    return minhash.hashvalues


def band_keys(sig: np.ndarray) -> list[tuple[int, int]]:
    """``(band, bucket)`` pairs: the bucket is a signed 63-bit hash of the band's rows."""
    keys = []
    for band in range(BANDS):
        rows = sig[band * ROWS: (band + 1) * ROWS].astype(np.uint64).tobytes()
        digest = hashlib.blake2b(rows, digest_size=8).digest()
        keys.append((band, struct.unpack(">q", digest)[0] >> 1))
    return keys


def lsh_keys(text: str) -> tuple[frozenset[bytes], list[tuple[int, int]]]:
    """Shingles and LSH keys of a body; no keys for a body too short to compare."""
    return lsh_keys_of_key(dedup_key(text))


def lsh_keys_of_key(key: str) -> tuple[frozenset[bytes], list[tuple[int, int]]]:
    """:func:`lsh_keys` of text already passed through :func:`crawler.extraction.textnorm.dedup_key`."""
    shingle_set = shingles_of_key(key)
    if len(shingle_set) < MIN_SHINGLES:
        return shingle_set, []
    return shingle_set, band_keys(signature(shingle_set))


def similarity(a: frozenset[bytes], b: frozenset[bytes]) -> Similarity:
    if not a or not b:
        return Similarity(0.0, 0.0)
    common = len(a & b)
    return Similarity(common / len(a | b), common / min(len(a), len(b)))
