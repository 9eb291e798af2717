"""Where bylines stand on a page: the elements that may hold one, found in one walk of the tree.

An element is a candidate when its class names an author, a byline, a writer or a reporter (or
``rel="author"``), when its own text opens with a byline word (كتب, بقلم, إعداد, مراسلنا ...), or
when it opens with an author icon (``<i class="fa fa-user">``) and the name after it; never inside
an aside, a footer, a menu, a comment form or a related list.  What the text says (which people,
which role) is :mod:`crawler.extraction.bylines`'s concern.
"""

from __future__ import annotations

import re
from typing import Any

from crawler.extraction.page import is_page_form

BYLINE_PREFIX_WORDS = (
    "كتب",
    "بقلم",
    "إعداد",
    "اعداد",
    "تقرير",
    "تحرير",
    "حوار",
    "حاور",
    "حاوره",
    "ترجمة",
    "متابعة",
    "بواسطة",
    "تغطية",
    "رصد",
    "تصوير",
    "إشراف",
    "By",
    "by",
    "BY",
    "Written",
    "الكاتب",
    "المحرر",
    "مراسل",
    "مراسلنا",
    "مراسلتنا",
    "نص",  # "نص وتصوير: name" (text and photographs): the writer
    # the first words of longer role phrases: "أجرى الحوار", "اسم الكاتب", "أعد التقرير",
    # "من مراسلنا في دمشق"; the author in French
    "أجرى",
    "اجرى",
    "أجرت",
    "اسم",
    "أعد",
    "اعد",
    "أعدت",
    "من",
    "المؤلف",
    "المؤلفة",
    "Par",
    "par",
)
# What is a byline candidate (tests/unit/extraction/test_extract.py keeps the same rule as XPath): a span, div,
# p, a, address, strong or li whose class names an author, byline, writer or reporter (or
# rel="author"); or, inside <body>, a span, p, div, strong, b, em, h4-h6, li or a whose own first
# text starts with a byline word (after a dash or a bullet: "— تقرير: فلان"); or, inside <body>,
# an li, span, div, p or a that opens with an author icon (an i, span or svg whose class says
# user, person, pencil or author: <i class="fa fa-user"></i> فلان); never inside an aside, footer, nav, a form (unless it holds the
# page: ASP.NET WebForms wrap everything in one), or an element whose
# class or id says comment, related, sidebar, footer, widget, most-read, popular, menu...
_CLASS_TAGS = ("span", "div", "p", "a", "address", "strong", "li")
_PREFIX_TAGS = ("span", "p", "div", "strong", "b", "em", "h4", "h5", "h6", "li", "a")
# Class words without their first letter: "Author"/"author", "ByLine"/"byline" both match.
_CLASS_MARKS = ("uthor", "yline", "yLine", "riter", "riteBy", "riteby", "eporter")
_PREFIX_WORDS = frozenset(BYLINE_PREFIX_WORDS + ("كتبت", "كتبه", "Written"))
_FIRST_WORD_RE = re.compile(r"[^\s\-–—•|*]+")  # words apart from dashes and bullets ("— تقرير:")
_ICON_HOLDERS = ("li", "span", "div", "p", "a")
_ICON_TAGS = ("i", "span", "svg")
ICON_MARKS = ("user", "person", "pencil", "fa-pen", "icon-pen", "author", "writer")
_ICON_MARK_RE = re.compile("|".join(ICON_MARKS))


def _first_text(element: Any) -> str | None:
    """XPath's ``text()`` in a string context: the element's first text node."""
    if element.text is not None:
        return element.text  # type: ignore[no-any-return]
    for child in element:
        if child.tail is not None:
            return child.tail  # type: ignore[no-any-return]
    return None


EXCLUDED_ANCESTORS = {"aside", "footer", "nav", "form"}
EXCLUDED_MARKERS = (
    "comment",
    "related",
    "sidebar",
    "footer",
    "widget",
    "most-read",
    "mostread",
    "popular",
    "recommend",
    "newsletter",
    "nav",
    "menu",
)


# Every element of the page is asked these two questions: one regular expression each, not a
# substring test per word.
_EXCLUDED_MARKER_RE = re.compile("|".join(map(re.escape, EXCLUDED_MARKERS)))
_CLASS_MARK_RE = re.compile("|".join(map(re.escape, _CLASS_MARKS)))


def _excludes_descendants(element: Any) -> bool:
    """Sidebars, related lists, footers, comment forms...: nothing inside is a byline."""
    if element.tag in EXCLUDED_ANCESTORS:
        return element.tag != "form" or not is_page_form(element)
    class_name, identifier = element.get("class"), element.get("id")
    if class_name is None and identifier is None:
        return False
    return _EXCLUDED_MARKER_RE.search(f"{class_name or ''} {identifier or ''}".lower()) is not None


def _by_class(element: Any) -> bool:
    marker = element.get("class")
    return (
        marker is not None and (_CLASS_MARK_RE.search(marker) is not None or "username" in marker.split())
    ) or element.get("rel") == "author"


def _by_prefix(element: Any) -> bool:
    text = _first_text(element)
    if not text:
        return False
    first = _FIRST_WORD_RE.search(text, 0, 80)  # (the first word, a dash or a bullet not one)
    return first is not None and first.group().strip(":：") in _PREFIX_WORDS


def _by_icon(element: Any) -> bool:
    """An element that opens with an author icon, the name after it."""
    if not len(element) or (element.text or "").strip():
        return False
    icon = element[0]
    return icon.tag in _ICON_TAGS and _ICON_MARK_RE.search(icon.get("class") or "") is not None


def byline_elements(tree: Any) -> list[tuple[Any, bool]]:
    """(element, found by its class) in document order, outside excluded regions: one walk that
    never enters a sidebar, a menu or a footer (on news pages they hold most of the markup)."""
    found = []
    stack = [(tree, False)]
    pop, push = stack.pop, stack.extend
    while stack:
        element, in_body = pop()
        tag = element.tag
        if not isinstance(tag, str):
            continue
        if tag in _CLASS_TAGS and _by_class(element):
            found.append((element, True))
        elif in_body and tag in _PREFIX_TAGS and _by_prefix(element):
            found.append((element, False))
        elif in_body and tag in _ICON_HOLDERS and _by_icon(element):
            found.append((element, True))
        if len(element) and not _excludes_descendants(element):
            inside = in_body or tag == "body"
            push([(child, inside) for child in reversed(element)])
    return found
