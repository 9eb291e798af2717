"""Arabic text normalisation.

Two different jobs:

* :func:`normalize_key` makes *keys* for de-duplication and search: NFKC, invisible controls,
  diacritics and tatweel removed, hamza/alef/ya/kaf variants folded, digits to ASCII, spaces
  collapsed; ``fold_ta_marbuta``/``fold_hamza_seats`` for looser dedup keys.
* :func:`clean_stored_text` prepares text that is *stored*: NFC with only the invisible
  controls removed — what the reader sees is kept.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import NamedTuple

# Bidi marks, embeddings, isolates, zero-width characters, BOM, soft hyphen, Arabic letter mark.
INVISIBLE_CONTROLS = (
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff\u00ad\u061c"
)
_INVISIBLE_RE = re.compile(f"[{INVISIBLE_CONTROLS}]")
DIACRITICS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"  # a character class's ranges
_DIACRITICS_RE = re.compile(f"[{DIACRITICS}]")
TATWEEL = "\u0640"
_LETTER_FOLD = str.maketrans(
    {
        "\u0623": "\u0627",
        "\u0625": "\u0627",
        "\u0622": "\u0627",
        "\u0671": "\u0627",  # أإآٱ → ا
        "\u0649": "\u064a",
        "\u06cc": "\u064a",
        "\u06d2": "\u064a",  # ى ی ے → ي
        "\u06a9": "\u0643",  # ک → ك
        TATWEEL: None,
    }
)
_DIGITS = str.maketrans({chr(0x0660 + i): str(i) for i in range(10)} | {chr(0x06F0 + i): str(i) for i in range(10)})
_TA_MARBUTA = str.maketrans({"\u0629": "\u0647"})  # ة → ه
_HAMZA_SEATS = str.maketrans({"\u0624": "\u0648", "\u0626": "\u064a", "\u0621": None})  # ؤ→و ئ→ي ء→∅
_SPACES_RE = re.compile(r"\s+")
# Word characters for Arabic text: letters and marks together, so a vocalised word stays whole
# (stdlib ``\W`` treats combining diacritics as non-word characters and splits on them).
_TOKEN_RE = re.compile(rf"[^\W_][\w{DIACRITICS}]*")


def _folding(*tables: Mapping[int, str | None]) -> tuple[re.Pattern[str] | None, tuple[tuple[str, str], ...]]:
    """(the characters to delete, as one pattern; the (character, replacement) pairs) of
    :func:`str.maketrans` tables.  No target of one table is a source of another, so applying
    them together equals applying them in turn."""
    table = {chr(source): target or "" for mapping in tables for source, target in mapping.items()}
    deleted = "".join(re.escape(char) for char, target in table.items() if not target)
    return (re.compile(f"[{deleted}]") if deleted else None), tuple((c, t) for c, t in table.items() if t)


def _fold(text: str, folding: tuple[re.Pattern[str] | None, tuple[tuple[str, str], ...]]) -> str:
    """``text`` through a :func:`_folding`: one pass deletes, then str.replace of each character
    present (str.translate with a dict costs ~70 ns for every character; a regular-expression
    callback ~250 ns for each one that changes)."""
    deleted, replaced = folding
    if deleted is not None:
        text = deleted.sub("", text)
    for source, target in replaced:
        if source in text:
            text = text.replace(source, target)
    return text


_DIGIT_FOLDING = _folding(_DIGITS)


def ascii_digits(text: str) -> str:
    """Arabic-Indic (٠-٩) and Persian (۰-۹) digits → 0-9."""
    return _fold(text, _DIGIT_FOLDING)


def strip_invisible(text: str) -> str:
    return _INVISIBLE_RE.sub("", text)


def raw_index(text: str, position: int) -> int:
    """Where in ``text`` the character at ``position`` of its form without invisible controls,
    diacritics and tatweel stands (the positions crawler.extraction.arabic_dates reports)."""
    kept = 0
    for index, char in enumerate(text):
        if _INVISIBLE_RE.match(char) or _DIACRITICS_RE.match(char) or char == TATWEEL:
            continue
        if kept == position:
            return index
        kept += 1
    return len(text)


def strip_diacritics(text: str) -> str:
    return _DIACRITICS_RE.sub("", text).replace(TATWEEL, "")


_REMOVED = {ord(c): None for c in INVISIBLE_CONTROLS} | {
    ord(c): None for c in map(chr, range(0x0600, 0x0700)) if _DIACRITICS_RE.match(c)
}
# normalize_key folds each character on its own, so its six steps (invisible controls,
# diacritics, letters, digits, then optionally ة and the hamza seats) are one folding.
_KEY_FOLDINGS = {
    (ta, hamza): _folding(
        _REMOVED, _LETTER_FOLD, _DIGITS, *([_TA_MARBUTA] if ta else []), *([_HAMZA_SEATS] if hamza else [])
    )
    for ta in (False, True)
    for hamza in (False, True)
}
_SEAT_FOLDING = _folding(_HAMZA_SEATS)


def normalize_key(text: str, *, fold_ta_marbuta: bool = False, fold_hamza_seats: bool = False) -> str:
    """The normalised form used for keys (dedup, search, comparisons), never for display."""
    text = _fold(unicodedata.normalize("NFKC", text), _KEY_FOLDINGS[fold_ta_marbuta, fold_hamza_seats])
    return _SPACES_RE.sub(" ", text).strip().lower()


def tokens(text: str) -> list[str]:
    """Word tokens of already-normalised text (punctuation dropped)."""
    return _TOKEN_RE.findall(text)


def clean_stored_text(text: str) -> str:
    """NFC, invisible controls removed, each line's spaces collapsed, blank-line runs collapsed."""
    text = strip_invisible(unicodedata.normalize("NFC", text)).replace("\r\n", "\n").replace("\r", "\n")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def search_key(text: str) -> str:
    """The form both indexed text and queries take for full-text search: :func:`normalize_key`
    with ة/ه folded too, punctuation dropped (أحمد = احمد, diacritics and tatweel ignored)."""
    return " ".join(tokens(normalize_key(text, fold_ta_marbuta=True)))


def dedup_key(text: str) -> str:
    """The normalised body that de-duplication works on (content hash and shingles): the loosest
    folding, ة/ه and the hamza seats included."""
    return normalize_key(text, fold_ta_marbuta=True, fold_hamza_seats=True)


class BodyKeys(NamedTuple):
    dedup: str  # dedup_key(text): its hash is the content hash
    search: str  # search_key(title + "\n" + text)
    words: list[str]  # tokens(dedup): what the body's shingles are made of


def body_keys(title: str | None, text: str) -> BodyKeys:
    """The body's keys with the body normalised and tokenised once: the dedup and search keys
    differ only in the hamza-seat folding, applied last; the dedup key's words are the search
    key's body words with their seats folded (a word that was only ء is gone, one left starting
    with "_" loses it, as tokens() would read them)."""
    folded = normalize_key(text, fold_ta_marbuta=True)  # spaces collapsed, lower-cased
    words = tokens(folded)
    search = " ".join(tokens(normalize_key(title or "", fold_ta_marbuta=True)) + words)
    dedup_words = [word.lstrip("_") for word in _fold(" ".join(words), _SEAT_FOLDING).split(" ")]
    return BodyKeys(
        _SPACES_RE.sub(" ", _fold(folded, _SEAT_FOLDING)).strip(), search, [word for word in dedup_words if word]
    )
