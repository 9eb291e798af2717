"""Machine-readable metadata of an HTML page: JSON-LD, OpenGraph/article meta tags, itemprop,
``<time datetime>``, ``rel=canonical``, ``<html lang>``.  A pure function of a parsed tree.

Values are returned raw (as the page states them), with a label saying where each came from;
choosing between them is :mod:`crawler.extraction.article`'s job.
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

logger = logging.getLogger(__name__)

ARTICLE_TYPES = {
    "newsarticle",
    "article",
    "reportagenewsarticle",
    "blogposting",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "reviewnewsarticle",
    "liveblogposting",
    "socialmediaposting",
    "webpage",
    "report",
}
PUBLISHED_META = (
    ("property", "article:published_time"),
    ("name", "article:published_time"),
    ("itemprop", "datePublished"),
    ("name", "pubdate"),
    ("name", "publishdate"),
    ("name", "publish-date"),
    ("name", "date"),
    ("name", "dc.date.issued"),
    ("name", "dc.date"),
    ("name", "sailthru.date"),
    ("property", "og:published_time"),
    ("name", "parsely-pub-date"),
)
MODIFIED_META = (
    ("property", "article:modified_time"),
    ("itemprop", "dateModified"),
    ("property", "og:updated_time"),
    ("name", "lastmod"),
    ("name", "last-modified"),
)
AUTHOR_META = (
    ("name", "author"),
    ("itemprop", "author"),
    ("property", "article:author"),
    ("name", "dc.creator"),
    ("name", "byl"),
    ("name", "parsely-author"),
    ("name", "sailthru.author"),
)
MAX_JSONLD_BYTES = 500_000


@dataclass(slots=True)
class PageMetadata:
    lang: str | None = None
    titles: list[tuple[str, str]] = field(default_factory=list)
    site_name: str | None = None
    description: str | None = None
    image: str | None = None
    canonical: str | None = None
    og_url: str | None = None
    published: list[tuple[str, str]] = field(default_factory=list)
    modified: list[tuple[str, str]] = field(default_factory=list)
    authors: list[tuple[str, str]] = field(default_factory=list)
    author_organizations: list[str] = field(default_factory=list)  # JSON-LD authors typed Organization
    sections: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    publisher_names: list[str] = field(default_factory=list)

    def title(self, label: str) -> str | None:
        return next((value for lab, value in self.titles if lab == label), None)


def clean_text(value: Any) -> str | None:
    """Whitespace-collapsed text with HTML entities decoded (JSON-LD often double-escapes)."""
    if not isinstance(value, str):
        return None
    value = html.unescape(html.unescape(value)) if "&" in value else value
    value = " ".join(value.replace("\u00a0", " ").split())
    return value or None


def _meta_index(metas: list[Any]) -> dict[tuple[str, str], list[str]]:
    """Every ``<meta>`` content by (attribute, lower-cased name)."""
    index: dict[tuple[str, str], list[str]] = {}
    for element in metas:
        content = clean_text(element.get("content"))
        if not content:
            continue
        for attribute in ("property", "name", "itemprop", "http-equiv"):
            value = element.get(attribute)
            if value:
                index.setdefault((attribute, value.lower()), []).append(content)
    return index


def _walk_jsonld(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, list):
        for item in node:
            yield from _walk_jsonld(item)
    elif isinstance(node, dict):
        yield node
        if "@graph" in node:
            yield from _walk_jsonld(node["@graph"])
        main = node.get("mainEntity")
        if isinstance(main, (dict, list)):
            yield from _walk_jsonld(main)


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.lower() for k in kinds if isinstance(k, str)}


def _names(value: Any) -> list[str]:
    """Author/publisher names from a JSON-LD value (a string, a Person, or a list of them)."""
    if isinstance(value, str):
        return [v for v in [clean_text(value)] if v]
    if isinstance(value, dict):
        name = clean_text(value.get("name"))
        return [name] if name else []
    if isinstance(value, list):
        return [name for item in value for name in _names(item)]
    return []


ORGANIZATION_TYPES = {"organization", "newsmediaorganization", "corporation", "newsorganization"}


def _people_and_organizations(value: Any) -> tuple[list[str], list[str]]:
    """JSON-LD ``author``: the people, and the organisations named as author (a broadcaster's desk)."""
    items = value if isinstance(value, list) else [value]
    people: list[str] = []
    organizations: list[str] = []
    for item in items:
        if isinstance(item, dict) and _types(item) & ORGANIZATION_TYPES:
            organizations.extend(_names(item))
        else:
            people.extend(_names(item))
    return people, organizations


def jsonld_objects(scripts: list[Any]) -> list[dict[str, Any]]:
    """Every JSON-LD object of the page's ``ld+json`` scripts (``@graph`` flattened);
    unparseable blocks are skipped."""
    objects: list[dict[str, Any]] = []
    for script in scripts:
        raw = script.text or ""
        if not raw.strip() or len(raw) > MAX_JSONLD_BYTES:
            continue
        raw = raw.strip().removeprefix("<!--").removesuffix("-->").strip().rstrip(";")
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            try:  # a common CMS bug: raw newlines or tabs inside strings, trailing commas
                data = json.loads(re.sub(r",\s*([}\]])", r"\1", raw.replace("\n", " ")), strict=False)
            except ValueError:
                logger.debug("unparseable JSON-LD block skipped")
                continue
        objects.extend(_walk_jsonld(data))
    return objects


def _read_jsonld(scripts: list[Any], meta: PageMetadata) -> None:
    for node in jsonld_objects(scripts):
        types = _types(node)
        if not types & ARTICLE_TYPES:
            continue
        label = "jsonld"
        for key, target in (
            ("datePublished", meta.published),
            ("dateCreated", meta.published),
            ("dateModified", meta.modified),
        ):
            value = node.get(key)
            if isinstance(value, str) and clean_text(value):
                target.append((f"{label}:{key}", clean_text(value) or ""))
        headline = clean_text(node.get("headline")) or (clean_text(node.get("name")) if types - {"webpage"} else None)
        if headline and "webpage" not in types:
            meta.titles.append((label, headline))
        for value in (node.get("author"), node.get("creator")):
            people, organizations = _people_and_organizations(value)
            meta.authors.extend((label, name) for name in people)
            meta.author_organizations.extend(organizations)
        meta.publisher_names.extend(_names(node.get("publisher")))
        section = node.get("articleSection")
        for value in section if isinstance(section, list) else [section]:
            text = clean_text(value)
            if text and text not in meta.sections:
                meta.sections.append(text)
        keywords = node.get("keywords")
        for value in keywords if isinstance(keywords, list) else str(keywords or "").split(","):
            text = clean_text(value)
            if text and text not in meta.tags:
                meta.tags.append(text)


# The elements read for metadata, found in one walk of the page (an XPath per question walked it
# once each) and told apart below, in document order; itemprop (on any element) and the headings
# of the body in two more.
_METADATA_TAGS = ("meta", "script", "title", "link", "time")
_ITEMPROP = etree.XPath("//*[@itemprop]")
_JSONLD_TYPE = str.maketrans("JSONLD", "jsonld")
_CANONICAL = str.maketrans("CANONICAL", "canonical")


class _Elements:
    """The page's metadata elements by role (an element may have two roles)."""

    def __init__(self, tree: Any) -> None:
        self.metas: list[Any] = []
        self.jsonld: list[Any] = []
        self.titles: list[Any] = []
        self.canonical_hrefs: list[str] = []
        self.published_times: list[Any] = []
        for element in tree.iter(*_METADATA_TAGS):
            tag = element.tag
            if tag == "meta":
                self.metas.append(element)
            elif tag == "script":
                if "ld+json" in (element.get("type") or "").translate(_JSONLD_TYPE):
                    self.jsonld.append(element)
            elif tag == "title":
                self.titles.append(element)
            elif tag == "link":
                href = element.get("href")
                if href is not None and (element.get("rel") or "").translate(_CANONICAL) == "canonical":
                    self.canonical_hrefs.append(href)
            elif (
                tag == "time"
                and element.get("datetime") is not None
                and ("publish" in (element.get("class") or "") or element.get("pubdate") is not None)
            ):
                self.published_times.append(element)
        self.itemprops: list[Any] = _ITEMPROP(tree)
        body = tree.find("body")
        self.headings: list[Any] = (
            list(body.iter("h1", "h2", "h3"))
            if body is not None
            else tree.xpath("//body//h1 | //body//h2 | //body//h3")
        )

    def title(self) -> str:
        """``string(//head/title)``, else ``string(//title)``."""
        in_head = next((t for t in self.titles if t.getparent() is not None and t.getparent().tag == "head"), None)
        texts = [t.xpath("string()") for t in (in_head, self.titles[0] if self.titles else None) if t is not None]
        return next((text for text in texts if text), "")


# A subtitle or a note inside a heading (<h1>Headline <small>تقرير خاص</small></h1>) is not the
# headline; a heading that is only a link to the home page is the site's logo ("logo" in titles).
_HEADING_ASIDES = frozenset(("small", "sub", "sup"))
_HOME_PATH_RE = re.compile(r"/?(?:(?:ar|en|index\.(?:html?|php|aspx?))/?)?")


def _heading_text(heading: Any) -> str | None:
    if not len(heading):
        return clean_text(heading.text)
    parts = [heading.text or ""]
    for child in heading:
        if child.tag == "br":
            parts.append(" ")
        elif child.tag not in _HEADING_ASIDES:
            parts.append(etree.tostring(child, method="text", encoding="unicode", with_tail=False))
        parts.append(child.tail or "")
    return clean_text("".join(parts))


def _links_home(heading: Any, text: str) -> bool:
    links = heading.findall(".//a") if len(heading) else []
    if len(links) != 1:
        return False
    href = (links[0].get("href") or "").strip()
    if not href or href.startswith("#") or clean_text(links[0].text_content()) != text:
        return False
    return _HOME_PATH_RE.fullmatch(urlsplit(href).path) is not None


def read_page_metadata(tree: Any) -> PageMetadata:
    """Collect the page's machine-readable metadata from an lxml HTML tree."""
    meta = PageMetadata()
    elements = _Elements(tree)
    index = _meta_index(elements.metas)

    def metas(attribute: str, name: str) -> list[str]:
        return index.get((attribute, name.lower()), [])

    root = tree.getroottree().getroot()
    lang = (root.get("lang") if root.tag == "html" else None) or tree.xpath("string(//html/@lang)")
    meta.lang = clean_text(lang)
    _read_jsonld(elements.jsonld, meta)
    for attribute, name in (("property", "og:title"), ("name", "twitter:title")):
        for value in metas(attribute, name):
            meta.titles.append((name.split(":")[0], value))
    for heading in elements.headings:
        text = _heading_text(heading)
        if text:
            meta.titles.append(("logo" if _links_home(heading, text) else heading.tag, text))
    title = elements.title()
    if clean_text(title):
        meta.titles.append(("title", clean_text(title) or ""))
    meta.site_name = next(iter(metas("property", "og:site_name")), None)
    meta.description = next(iter(metas("property", "og:description") + metas("name", "description")), None)
    meta.image = next(iter(metas("property", "og:image") + metas("name", "twitter:image")), None)
    canonical = elements.canonical_hrefs
    meta.canonical = clean_text(canonical[0]) if canonical else None
    meta.og_url = next(iter(metas("property", "og:url")), None)
    for attribute, name in PUBLISHED_META:
        meta.published.extend((f"meta:{name}", v) for v in metas(attribute, name))
    for attribute, name in MODIFIED_META:
        meta.modified.extend((f"meta:{name}", v) for v in metas(attribute, name))
    itemprops = elements.itemprops
    for element in itemprops:
        if element.get("datetime") is None:
            continue
        if element.get("itemprop") in ("datePublished", "dateCreated"):
            meta.published.append((f"itemprop:{element.get('itemprop')}", element.get("datetime")))
        elif element.get("itemprop") == "dateModified":
            meta.modified.append(("itemprop:dateModified", element.get("datetime")))
    for element in elements.published_times:
        meta.published.append(("time:published", element.get("datetime")))
    # A plain <time datetime> in the article's header (the first one after the headline, not in a
    # related list, a sidebar or a footer, not an "updated" time): the lowest-ranked machine value.
    plain = tree.xpath(
        "(//h1/following::time[@datetime][not(ancestor::aside or ancestor::footer or ancestor::nav"
        " or contains(@class, 'updat') or contains(@class, 'modif'))])[1]"
    )
    if plain:
        meta.published.append(("time:datetime", plain[0].get("datetime")))
    for attribute, name in AUTHOR_META:
        meta.authors.extend((f"meta:{name}", v) for v in metas(attribute, name))
    for element in (e for e in itemprops if e.get("itemprop") == "author" and e.tag != "meta"):
        name_el = element.xpath(".//*[@itemprop='name']")
        target = name_el[0] if name_el else element
        text = clean_text(etree.tostring(target, method="text", encoding="unicode"))
        if text and len(text) < 120:
            meta.authors.append(("itemprop:author", text))
    for value in metas("property", "article:section"):
        if value not in meta.sections:
            meta.sections.append(value)
    for value in metas("property", "article:tag") + [
        t for k in metas("name", "keywords") + metas("name", "news_keywords") for t in k.split(",")
    ]:
        value = clean_text(value) or ""
        if value and value not in meta.tags:
            meta.tags.append(value)
    return meta
