"""Search snippets cut from the text as printed: the words the reader sees, in their own
spelling, with the words that matched the (normalised) query marked.

Full-text search matches on the normalised key (``crawler.text.arabic.search_key``: hamza
forms, ة/ه, ى/ي, diacritics and tatweel folded), and the databases' own snippet functions can
only cut from what they indexed, so they print "الفائده الامريكيه".  Here each printed word is
keyed the same way and compared with the query's words.
"""

from __future__ import annotations

import re
from collections.abc import Callable

SNIPPET_WORDS = 24
_WORD_RE = re.compile(r"\S+")


def snippet(
    text: str,
    query_key: str,
    key: Callable[[str], str],
    words: int = SNIPPET_WORDS,
    marks: tuple[str, str] = ("[", "]"),
) -> str:
    """About ``words`` printed words of ``text`` around the most query words, matches marked;
    ``…`` where the text goes on.  ``key`` is the normalisation the search used."""
    printed = _WORD_RE.findall(text)
    if not printed:
        return ""
    wanted = set(query_key.split())
    hits = [bool(wanted & set(key(word).split())) for word in printed]
    window = min(words, len(printed))
    best_start, best = 0, -1
    count = sum(hits[:window])
    for start in range(len(printed) - window + 1):
        if start:
            count += hits[start + window - 1] - hits[start - 1]
        if count > best:  # the first window with the most matches
            best_start, best = start, count
    # Start a little before the first match of the window, so that it reads in context.
    first = next((i for i in range(best_start, best_start + window) if hits[i]), best_start)
    start = max(0, min(best_start, first - 3))
    end = min(len(printed), start + window)
    shown = [f"{marks[0]}{word}{marks[1]}" if hits[i] else word for i, word in enumerate(printed[start:end], start)]
    return ("…" if start else "") + " ".join(shown) + ("…" if end < len(printed) else "")
