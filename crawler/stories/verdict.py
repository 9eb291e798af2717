"""Does a new article report the event of a story already stored, or start one?

Online and single-pass: the new article is compared with the articles of the story window that
share a term with it (the storage's story index finds them), each term weighted by how rare it
is among them (an inverse document frequency over the window), and joins the story of the best
match when enough of the rarer side's weight is shared.  What keeps the same kind of event
apart: the window (a later development is a new story), the places (two earthquakes, two
countries' inflation figures: both reports name places and none in common), and the weights
(an event's words are shared by every report of it, the kind's words by every report of the
kind).  An opinion piece is a story of its own."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from crawler.stories.terms import EventTerms

STORY_WINDOW = timedelta(hours=36)  # a report joins articles published this close to it
STORY_SPAN = timedelta(hours=72)  # ... of a story that started no longer before it
MATCH_THRESHOLD = 0.21  # share of the smaller side's term weight found in the other (bench/stories.py)
MIN_SHARED = 3  # terms in common, at the least

_OPINION_PATH = re.compile(
    r"/(?:opinions?|columns?|columnists?|blogs?|views|editorials?|articles?-?opinion|ra2y|raay|araa|kottab|maqal\w*)(?:/|$)",
    re.I,
)
_OPINION_SECTIONS = frozenset(
    {
        "رأي",
        "راي",
        "آراء",
        "اراء",
        "مقالات",
        "مقال",
        "كتاب",
        "كتّاب",
        "أعمدة",
        "اعمدة",
        "وجهة نظر",
        "وجهات نظر",
        "أقلام",
        "اقلام",
        "مدونات",
    }
)


def is_opinion(url: str | None, categories: Sequence[str]) -> bool:
    """An opinion piece, from its address or its section: it is its own story."""
    if url and _OPINION_PATH.search(url.split("?")[0]):
        return True
    return any(c.strip() in _OPINION_SECTIONS for c in categories)


@dataclass(frozen=True, slots=True)
class StoredReport:
    """An article of the window, as the story index knows it."""

    article_id: int
    story_id: int
    at: datetime
    story_started: datetime
    terms: EventTerms


BACKGROUND = 50  # articles assumed beside the window, in which a term is rare: a thin window weighs terms alike


def weights(frequency: Mapping[int, int], reports: int) -> dict[int, float]:
    """Each term's weight from the number of window articles that have it (the new one counted)."""
    return {term: math.log((reports + BACKGROUND) / count) for term, count in frequency.items()}


def unseen_weight(reports: int) -> float:
    """The weight of a term no other article of the window has."""
    return math.log(reports + BACKGROUND)


def similarity(new: EventTerms, other: EventTerms, weight: Mapping[int, float], unseen: float) -> float:
    """The weight of the shared terms over the smaller side's total weight (0 when they share
    fewer than MIN_SHARED terms, none that either headline has, or name places and none in
    common); ``unseen``: the weight of
    a term whose frequency is unknown (the other's terms the new one lacks)."""
    if new.places and other.places and not set(new.places) & set(other.places):
        return 0.0
    mine, theirs = set(new.all()), set(other.all())
    shared = mine & theirs
    if len(shared) < MIN_SHARED or not shared & (new.title | other.title):
        return 0.0  # too little in common, or nothing of what either headline says
    total_mine = sum(weight.get(t, unseen) for t in mine)
    total_theirs = sum(weight.get(t, unseen) for t in theirs)
    smaller = min(total_mine, total_theirs)
    return sum(weight.get(t, unseen) for t in shared) / smaller if smaller > 0 else 0.0


def choose_story(
    new: EventTerms, at: datetime, reports: Sequence[StoredReport], frequency: Mapping[int, int], window_size: int
) -> tuple[int, float] | None:
    """(story id, similarity) of the story the new article joins, or None: it starts one.
    ``frequency``: how many window articles have each of the new article's terms (itself included);
    ``window_size``: how many articles the window holds."""
    weight = weights(frequency, window_size)
    unseen = unseen_weight(window_size)
    best: tuple[float, int] | None = None
    for report in reports:
        if abs(report.at - at) > STORY_WINDOW or at - report.story_started > STORY_SPAN:
            continue
        score = similarity(new, report.terms, weight, unseen)
        if score >= MATCH_THRESHOLD and (best is None or (score, -report.story_id) > (best[0], -best[1])):
            best = (score, report.story_id)
    return (best[1], best[0]) if best is not None else None
