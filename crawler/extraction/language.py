"""Language of the body text (py3langid, offline).  Short texts fall back to ``<html lang>``.

Arabic itself is recognised by its letters before the statistical model is asked: a sample whose
letters are nearly all of the Arabic alphabet proper, without the letters that Persian, Urdu,
Kurdish and Pashto add to the script (پ چ ژ گ ک ی ے ں ٹ ڈ ڑ ە ێ ۆ ڵ ڕ ټ ځ څ ډ ړ ږ ښ ګ ڼ ۍ ې),
is Arabic.  py3langid costs about a millisecond a page whatever the text; this costs a pass over
the sample.  Every other text (including Persian and Urdu) goes to py3langid as before.
"""

from __future__ import annotations

import re

import py3langid

MIN_DETECTION_CHARS = 40
SAMPLE_CHARS = 1000  # a bounded sample: the cost of identification does not grow with the page
OTHER_ARABIC_SCRIPT_LETTERS = frozenset("پچژگکیےۓںٹڈڑھەێۆڵڕۊټځڅډړږښګڼۍېۀۃ")
ARABIC_SHARE = 0.9  # of the sample's letters
OTHER_LETTERS_SHARE = 0.005  # a Persian or Urdu name quoted in an Arabic text is not Persian


_ARABIC_LETTERS_RE = re.compile("[\u0621-\u064a]+")  # every one a letter (str.isalpha)


def looks_arabic(sample: str) -> bool:
    # Runs of Arabic letters are counted by a regular expression; only what is left (spaces,
    # punctuation, digits, other letters: a fifth of an Arabic text) is looked at character by character.
    rest = _ARABIC_LETTERS_RE.sub("", sample)
    arabic = len(sample) - len(rest)
    letters, others = arabic, 0
    for char in rest:
        if char.isalpha():
            letters += 1
            others += char in OTHER_ARABIC_SCRIPT_LETTERS
    return letters > 0 and arabic >= ARABIC_SHARE * letters and others <= OTHER_LETTERS_SHARE * letters


def detect_language(text: str, declared: str | None = None) -> str | None:
    """ISO 639-1 code of ``text``; the page's declared language when the text is too short."""
    declared_code = declared.split("-")[0].lower() if declared else None
    if len(text) < MIN_DETECTION_CHARS:
        return declared_code
    sample = text[:SAMPLE_CHARS]
    if looks_arabic(sample):
        return "ar"
    code, _score = py3langid.classify(sample)
    return str(code)
