"""The parsed page: the HTML parsed once (as trafilatura parses it), the subtrees every reader
drops, and the page's visible text, in which embedded posts and related blocks are marked."""

from __future__ import annotations

import re
from typing import Any

import lxml.html
from lxml import etree

from crawler.extraction.date_lines import EMBED_END, EMBED_START, RELATED_END, RELATED_START
from crawler.extraction.errors import ExtractionError

SKIPPED_TAGS = {
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "nav",
    "footer",
    "aside",
    "form",
    "select",
    "option",
    "button",
    "iframe",
    "head",
}
BLOCK_TAGS = {
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "br",
    "section",
    "article",
    "header",
    "time",
    "span",
    "td",
    "tr",
    "ul",
    "ol",
    "figure",
    "figcaption",
    "blockquote",
}


# Subtrees that every reader of the page drops: trafilatura deletes them in its main extraction
# (MANUALLY_CLEANED), in its baseline and in its page-length measure (BASIC_CLEAN_XPATH), and
# akhbar's visible text and byline search skip them.  Removed once, after the page's metadata is
# read (JSON-LD stays: trafilatura's baseline reads articleBody from it), they are no longer
# copied and searched again by each of trafilatura's passes.  The output is the same.
DISCARDED_TAGS = ("script", "style", "svg", "aside", "footer")


def drop_discarded_subtrees(tree: Any) -> None:
    """Remove :data:`DISCARDED_TAGS` subtrees, keeping the text that follows each (its tail), and
    the document head's elements but its JSON-LD (read already; trafilatura's main extraction
    deletes the head, its baseline and page measure read the body)."""
    head = tree.find("head")
    for element in [e for e in head if not _is_json_ld(e)] if head is not None else []:
        element.drop_tree()
    for element in [e for e in tree.iter(*DISCARDED_TAGS) if not _is_json_ld(e)]:
        element.drop_tree()


def _is_json_ld(element: Any) -> bool:
    return bool(element.tag == "script" and element.get("type") == "application/ld+json")


# As trafilatura parses (it is handed this tree): comments and processing instructions dropped.
HTML_PARSER = lxml.html.HTMLParser(collect_ids=False, remove_comments=True, remove_pis=True)
# Every element an HtmlElement, its class chosen in C: lxml.html's own lookup calls a Python
# function for each element object made (~1,500 a page, mostly in trafilatura's passes) only to
# give form controls classes of their own, which neither akhbar nor trafilatura uses.
HTML_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement,
        comment=lxml.html.HtmlComment,
        pi=lxml.html.HtmlProcessingInstruction,
        entity=lxml.html.HtmlEntity,
    )
)


PAGE_FORM_CHARS = 2000
LAYOUT_CELL_CHARS = 400  # a table cell this long, its paragraphs split by <br>, holds an article


def unwrap_layout_tables(tree: Any) -> None:
    """Tables that lay a page out become blocks: a cell of an old table-layout page holding the
    article's paragraphs split by ``<br>`` (trafilatura reads a table cell as one line and would
    run the paragraphs, and an "اقرأ أيضا" between them, together).  A data table is left alone."""
    for table in list(tree.iter("table")):
        if table.tag == "table" and any(
            cell.find(".//br") is not None and len(cell.text_content()) > LAYOUT_CELL_CHARS for cell in table.iter("td")
        ):
            for element in table.iter("table", "thead", "tbody", "tfoot", "tr", "td", "th"):
                element.tag = "div"


def is_page_form(element: Any) -> bool:
    """Whether a ``<form>`` holds the page (ASP.NET WebForms wrap everything in one): it holds a
    heading, a table or an article, or over 2,000 characters of text (as _VISIBLE_TEXT decides)."""
    return any(element.find(f".//{tag}") is not None for tag in ("h1", "table", "article")) or (
        len(element.text_content()) > PAGE_FORM_CHARS
    )


def parse_html(html_text: str) -> Any:
    try:
        return lxml.html.document_fromstring(html_text, parser=HTML_PARSER)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"unparseable HTML: {exc}") from None


# The page's visible text, made by libxslt (a walk in Python cost twice as much): each block element
# on its own lines, SKIPPED_TAGS left out with what they hold (the text after one is kept), and a
# <form> left out unless it is the page itself (ASP.NET WebForms wraps the whole page in one: a
# form holding a heading, a table or an article, or over 2,000 characters of text).
# An embedded post (a tweet, an Instagram or TikTok post, WordPress's embed block, a Facebook post)
# and a related-news or most-read block are kept, but marked (crawler.extraction.date_lines): the
# dates printed there belong to other posts and articles.  Each pattern names its tags: a test of
# every element's class costs libxslt ~1 ms a page, the tests of these few tags a third of that.
EMBED_CLASSES = {
    "blockquote": ("twitter-tweet", "instagram-media", "tiktok-embed"),
    "figure": ("wp-block-embed",),
    "div": ("fb-post", "fb-video"),
}
RELATED_CLASSES = {
    "div": ("related", "most-read", "read-also"),
    "section": ("related", "most-read"),
    "ul": ("related",),
}


def _class_pattern(classes: dict[str, tuple[str, ...]], extra: str = "") -> str:
    """An XSLT pattern: these tags with one of their class names."""
    return " | ".join(
        f"{tag}[@class][{' or '.join(f'contains(@class, {name!r})' for name in names)}]{extra}"
        for tag, names in classes.items()
    )


_VISIBLE_TEXT = etree.XSLT(
    etree.XML(f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:template match="{"|".join(sorted(SKIPPED_TAGS - {"form"}))}" priority="2"/>
<xsl:template match="form[not(.//h1 or .//table or .//article) and string-length(.) &lt;= {PAGE_FORM_CHARS}]" priority="2"/>
<xsl:template match="{_class_pattern(EMBED_CLASSES)}" priority="1">
<xsl:text>&#10;{EMBED_START}</xsl:text><xsl:apply-templates/><xsl:text>{EMBED_END}&#10;</xsl:text></xsl:template>
<xsl:template match="{_class_pattern(RELATED_CLASSES, "[not(.//h1)]")}" priority="1">
<xsl:text>&#10;{RELATED_START}</xsl:text><xsl:apply-templates/><xsl:text>{RELATED_END}&#10;</xsl:text></xsl:template>
<xsl:template match="{"|".join(sorted(BLOCK_TAGS))}">
<xsl:text>&#10;</xsl:text><xsl:apply-templates/><xsl:text>&#10;</xsl:text></xsl:template>
</xsl:stylesheet>"""),
    access_control=etree.XSLTAccessControl.DENY_ALL,
)


def page_text(tree: Any) -> str:
    """The page's visible text in reading order, one block per line (scripts, nav, footer out)."""
    body = tree.find("body")
    try:
        text = str(_VISIBLE_TEXT(body if body is not None else tree))
    except etree.XSLTError as exc:  # libxslt's limits (depth, memory) on a pathological page
        raise ExtractionError(f"visible text: {exc}") from None
    return re.sub(r"[ \t\u00a0]*\n[\s]*", "\n", text)


def element_text(element: Any) -> str:
    """An element's text, whitespace collapsed, with a space between the texts of its parts (a
    heading, a name and a biography in elements of their own are not run together)."""
    return " ".join(" ".join(element.itertext()).split())
