"""Who wrote the article, decided from all the evidence: the authors that JSON-LD, the meta tags,
itemprop and the feed name, and the bylines printed on the page with the role word before them.

A printed byline with an author's role word (كتب, بقلم, إعداد, تقرير, حوار, by) is what readers
see and cite: it wins over the structured authors, which often hold the editor, the desk, or the
name in Latin letters; when they agree, the printed form is kept.  Other roles (تحرير the editor,
تصوير the photographer, ترجمة, تدقيق, إشراف, مونتاج, تصميم) never make an author.  An author
element without a role word (class="author") counts after the structured authors, unless these
are in Latin letters and it (or a writer card) is in Arabic; then a writer card ("عن الكاتب") after the body, and
the feed's author last.  The decision records
where the names came from (``author_from``) and why."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from crawler.extraction.bylines import byline_label, person_names
from crawler.text.arabic import normalize_key

# Role words as crawler.extraction.bylines.byline_label spells them.
AUTHOR_ROLES = frozenset(
    normalize_key(role)
    for role in ("كتب", "بقلم", "تقرير", "حوار", "by", "written by", "بواسطة", "الكاتب", "الكاتبة", "متابعة", "رصد")
    + ("تغطية", "مراسل", "مراسلة", "author", "المؤلف")
) | {"إعداد"}
OTHER_ROLES = frozenset(
    normalize_key(role)
    for role in (
        "تحرير",
        "تصوير",
        "ترجمة",
        "تدقيق",
        "إشراف",
        "مونتاج",
        "تصميم",
        "المحرر",
        "المحررة",
        "متابعة",
        "رصد",
        "تغطية",
    )
)
_ARABIC = re.compile(r"[\u0600-\u06ff]")


@dataclass(frozen=True, slots=True)
class AuthorCandidate:
    """One piece of evidence: the people it names, where it came from (jsonld, meta, itemprop,
    visible, feed), the role word printed before it, and its raw text."""

    names: tuple[str, ...]
    origin: str
    raw: str
    role: str | None = None


@dataclass(frozen=True, slots=True)
class AuthorDecision:
    names: list[str]
    origin: str | None  # author_from: where the chosen names came from; None when there is no author
    reason: str
    candidates: list[AuthorCandidate] = field(default_factory=list)


def author_candidates(
    structured: Iterable[tuple[str, str]],
    visible: Iterable[tuple[str, str | None]],
    feed_author: str | None,
    site_names: Sequence[str | None],
    cards: Iterable[str] = (),
) -> list[AuthorCandidate]:
    """The candidates of a page: ``structured`` (label, name) pairs from its metadata (labels such
    as ``jsonld:author``, ``meta:author``, ``itemprop:author``), ``visible`` (text, role word) bylines,
    the feed entry's author."""
    found = []
    for label, raw in structured:
        role = byline_label(raw)  # "رئيس التحرير: فلان" in an author tag names the editor
        found.append(AuthorCandidate(tuple(person_names([raw], site_names)), label.split(":", 1)[0], raw, role))
    for raw, role in visible:
        found.append(AuthorCandidate(tuple(person_names([raw], site_names)), "visible", raw, role))
    for raw in cards:
        found.append(AuthorCandidate(tuple(person_names([raw], site_names)), "card", raw))
    if feed_author:
        found.append(AuthorCandidate(tuple(person_names([feed_author], site_names)), "feed", feed_author))
    return found


def _keys(names: Iterable[str]) -> set[str]:
    return {normalize_key(n).replace(" ", "") for n in names}


def _agree(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether two lists name the same people (one name may hold the other: "سامي" / "سامي حداد")."""
    left, right = _keys(a), _keys(b)
    return bool(left & right) or any(x in y or y in x for x in left for y in right if min(len(x), len(y)) >= 4)


def _merge(candidates: Iterable[AuthorCandidate]) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    for candidate in candidates:
        for name in candidate.names:
            key = normalize_key(name).replace(" ", "")
            if key not in seen:
                seen.add(key)
                names.append(name)
    return names


def choose_authors(candidates: list[AuthorCandidate]) -> AuthorDecision:
    """The authors of the page, with where they came from and why."""
    with_names = [c for c in candidates if c.names]
    other_roles = [c for c in with_names if c.role in OTHER_ROLES]
    printed = [c for c in with_names if c.origin == "visible" and c.role in AUTHOR_ROLES]
    classed = [c for c in with_names if c.origin == "visible" and c.role is None]
    structured = [c for c in with_names if c.origin not in ("visible", "feed", "card") and c.role not in OTHER_ROLES]
    cards = [c for c in with_names if c.origin == "card"]
    feed = [c for c in with_names if c.origin == "feed"]
    excluded = {n for c in other_roles for n in _keys(c.names)}
    if printed:
        names = _merge(printed)
        if structured and _agree(names, _merge(structured)):
            return AuthorDecision(names, "visible", "the printed byline, as the metadata says", candidates)
        if structured:
            return AuthorDecision(
                names, "visible", f"the printed byline over the metadata's {_merge(structured)}", candidates
            )
        return AuthorDecision(names, "visible", "the printed byline", candidates)
    if structured:
        names = [n for n in _merge(structured) if _keys([n]) - excluded]
        # the name printed in Arabic (an author element, else a writer card) over one in Latin letters
        arabic_printed = [c for c in classed + cards if _ARABIC.search(" ".join(c.names))]
        if names and arabic_printed and not any(_ARABIC.search(n) for n in names):
            origin = arabic_printed[0].origin
            chosen = [c for c in arabic_printed if c.origin == origin]
            return AuthorDecision(
                _merge(chosen), origin, f"the author printed in Arabic over {names} in Latin", candidates
            )
        if names:
            origin = structured[0].origin
            return AuthorDecision(names, origin, f"the {origin} author", candidates)
    if classed:
        names = [n for n in _merge(classed) if _keys([n]) - excluded]
        if names:
            return AuthorDecision(names, "visible", "the author element on the page", candidates)
    if cards:
        return AuthorDecision(_merge(cards), "card", "the writer card after the body", candidates)
    if feed:
        return AuthorDecision(_merge(feed), "feed", "the feed entry's author", candidates)
    reason = (
        "only other roles (" + ", ".join(sorted({c.role or "" for c in other_roles})) + ")"
        if other_roles
        else "no author"
    )
    return AuthorDecision([], None, reason, candidates)
