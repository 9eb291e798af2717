"""Writer cards: "عن الكاتب", "الكاتب في سطور" (or the like) as a heading, the writer's name in an element after it,
a photo and a short biography.  The name is a byline candidate (crawler.extraction.authors);
the card is not part of the article's text."""

from __future__ import annotations

from typing import Any

from lxml import etree

from crawler.extraction.bylines import MAX_NAME_WORDS
from crawler.extraction.page import element_text

HEADINGS = ("عن الكاتب", "نبذة عن الكاتب", "حول الكاتب", "الكاتب في سطور", "About the author")
_CARD_XPATH = etree.XPath(
    "//body//*[" + " or ".join(f"starts-with(normalize-space(text()), '{h}')" for h in HEADINGS) + "]"
)
MARKERS = ("الكاتب", "About the author")  # the page's text must hold one before the tree is searched
MAX_CARD_CHARS = 800  # a card is short; a longer block around the heading is not only a card


def take_writer_cards(tree: Any, html_text: str) -> list[str]:
    """The line naming the writer in each writer card (the first short line after its heading);
    the cards are removed from ``tree`` (``html_text``: the page's markup, to skip pages without one)."""
    found: list[str] = []
    if not any(marker in html_text for marker in MARKERS):
        return found
    for heading in _CARD_XPATH(tree)[:2]:
        for element in heading.itersiblings():
            text = element_text(element)
            if 2 <= len(text.split()) <= MAX_NAME_WORDS + 1:
                found.append(text)
                break
        card = heading.getparent()
        if card is not None and card.getparent() is not None and len(element_text(card)) <= MAX_CARD_CHARS:
            _remove_keeping_tail(card)
    return found


def _remove_keeping_tail(element: Any) -> None:
    """Remove ``element``, not the text that follows it."""
    parent, tail = element.getparent(), element.tail
    if tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)
