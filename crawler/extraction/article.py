"""Article extraction: URL + bytes + headers (+ the feed entry) → :class:`ExtractedArticle`.

A pure function, so it can run in a worker process.  trafilatura finds the body; akhbar's own
rules choose the headline, the publication time (to the minute where the page gives it), the
byline and the language, because those are where trafilatura is weakest on Arabic pages:

* time: every timestamp of the page, the feed entry and the URL, decided from all its evidence
  (see :mod:`crawler.extraction.published`);
* headline: the ``<h1>`` that matches the page's metadata title, else that title without its
  " - اسم الموقع" suffix;
* byline: decided from all its evidence, people only (see :mod:`crawler.extraction.authors`).
"""

from __future__ import annotations

import copy
import re
from datetime import datetime, tzinfo
from functools import lru_cache
from typing import Any

import trafilatura
from trafilatura.settings import Extractor

from crawler.extraction.authors import author_candidates, choose_authors
from crawler.extraction.body import clean_body
from crawler.extraction.bylines import visible_byline_candidates
from crawler.extraction.cards import take_writer_cards
from crawler.extraction.language import detect_language
from crawler.extraction.page import drop_discarded_subtrees, page_text, parse_html, unwrap_layout_tables
from crawler.extraction.pagemeta import PageMetadata, clean_text, read_page_metadata
from crawler.extraction.published import decide_dates, default_tz_name, explicit_offsets, publication_date, zone_origin
from crawler.extraction.zones import infer_zone, page_locales
from crawler.items import ExtractedArticle, FeedEntry
from crawler.text.arabic import normalize_key, tokens
from crawler.text.encoding import decode_html
from crawler.text.urls import absolute_http_url, registered_domain, same_site, strip_tracking

# trafilatura's fast mode skips its readability/jusText fallbacks (two thirds of its time on a
# typical 100-160 KB page).  Measured with bench/extraction.py on the shared corpus and with the
# tests' pages: the same scores as the full mode, because akhbar's own clean-up and lead recovery
# cover what the fallbacks would add.
FAST_EXTRACTION = True
# trafilatura's options, built once: bare_extraction would build them from its configuration file
# for every page (~0.08 ms).  Body only (the metadata is akhbar's own), no comments, tables kept.
_EXTRACTION_OPTIONS = Extractor(
    output_format="python",
    fast=FAST_EXTRACTION,
    comments=False,
    tables=True,
    images=False,
    dedup=False,
    with_metadata=False,
)


def _extraction_options(url: str | None) -> Extractor:
    options = copy.copy(_EXTRACTION_OPTIONS)
    options.url = options.source = url
    return options


TITLE_SEPARATORS_RE = re.compile(r"\s+[-|–—:»«]{1,2}\s+|\s*\|\s*")
# --- headline -------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _title_key(text: str) -> str:
    """normalize_key of a headline, a heading or a site name: the same few strings are compared
    with each other many times on a page, and again on the next page of the site."""
    return normalize_key(text)


@lru_cache(maxsize=4096)
def _title_tokens(text: str) -> frozenset[str]:
    return frozenset(tokens(_title_key(text)))


def _similarity(a: str, b: str) -> float:
    ta, tb = _title_tokens(a), _title_tokens(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / min(len(ta), len(tb))


def _covers(heading: str, title: str) -> bool:
    """Whether a heading says at least half of a title (not only its section's or site's name)."""
    ta, tb = _title_tokens(heading), _title_tokens(title)
    return bool(tb) and len(ta & tb) >= len(tb) / 2


def strip_site_name(title: str, site_names: list[str]) -> str:
    """``"Headline - Site"`` / ``"Site | Headline"`` → ``"Headline"`` (only a known site name,
    or a short tail that is not part of the headline, is cut)."""
    keys = {_title_key(s) for s in site_names if s}
    parts = TITLE_SEPARATORS_RE.split(title)
    if len(parts) < 2:
        return title
    separators = TITLE_SEPARATORS_RE.findall(title)
    first_key, last_key = _title_key(parts[0]), _title_key(parts[-1])
    if any(k and (last_key == k or k in last_key or last_key in k) for k in keys) and len(parts[-1]) < 50:
        return title[: len(title) - len(parts[-1]) - len(separators[-1])].strip()
    if any(k and (first_key == k or k in first_key or first_key in k) for k in keys) and len(parts[0]) < 50:
        return title[len(parts[0]) + len(separators[0]) :].strip()
    return title


def title_site_names(meta: PageMetadata) -> list[str]:
    """Site names as the page's own ``<title>``/og:title show them: in "Headline - Site" or
    "Site | Headline", the end segments other than the longest one (the headline), when short
    and not themselves a heading of the page."""
    headings = {_title_key(t) for label, t in meta.titles if label in ("h1", "h2", "h3")}
    names: list[str] = []
    for label in ("title", "og"):
        value = meta.title(label)
        if not value:
            continue
        parts = [p.strip() for p in TITLE_SEPARATORS_RE.split(value) if p.strip()]
        if len(parts) < 2:
            continue
        longest = max(parts, key=len)
        for part in (parts[0], parts[-1]):
            key = _title_key(part)
            if part is longest or len(part) > 40 or len(part.split()) > 5 or key in headings:
                continue
            if part not in names:
                names.append(part)
    return names


def choose_title(
    meta: PageMetadata, fallback: str | None, site_names: list[str], visible_text: str = "", body: str = ""
) -> tuple[str | None, str | None]:
    """The article headline and where it came from (see the module docstring): a heading that
    matches the metadata's title; else the page's one ``<h1>`` (its one ``<h2>`` when it has no
    ``<h1>`` but its logo) when it is the article's own heading (a full line printed before the
    body), even if the metadata say otherwise; else the metadata's title without the site's name."""
    reference = [t for label, t in meta.titles if label in ("jsonld", "og", "twitter", "title")]
    if fallback:
        reference.append(fallback)
    reference = [strip_site_name(t, site_names) for t in reference]
    for heading_tag in ("h1", "h2", "h3"):
        best, best_score = None, 0.0
        for label, text in meta.titles:
            if label != heading_tag or len(text) < 8 or len(text) > 300:
                continue
            score = max((_similarity(text, r) for r in reference if _covers(text, r)), default=0.0)
            if score > best_score:
                best, best_score = text, score
        if best and best_score >= 0.6:
            return best, heading_tag
        if best and heading_tag == "h1" and not reference:
            return best, heading_tag
    # The page's one <h1> (or, where the only <h1> is the logo or there is none, its one <h2>).
    level = "h1" if any(label == "h1" for label, _ in meta.titles) else "h2"
    printed = [text for label, text in meta.titles if label == level and 8 <= len(text) <= 300]
    if len(printed) == 1 and _own_heading(printed[0], visible_text, body, site_names):
        return printed[0], level
    for label in ("jsonld", "og", "twitter", "title"):
        value = meta.title(label)
        if value:
            return strip_site_name(value, site_names), label
    return (strip_site_name(fallback, site_names), "trafilatura") if fallback else (None, None)


OWN_HEADING_MIN_WORDS = 4  # a section's name or a logo is shorter


def _own_heading(heading: str, visible_text: str, body: str, site_names: list[str]) -> bool:
    """Whether the page's one ``<h1>`` is the article's headline: a full line of words, not the
    site's name, printed before the body's first words."""
    if len(heading.split()) < OWN_HEADING_MIN_WORDS or strip_site_name(heading, site_names) != heading:
        return False
    key = normalize_key(heading)
    page = normalize_key(visible_text)
    position = page.find(key)
    if position < 0:
        return False
    opening = normalize_key(body[:60])[:40]
    start = page.find(opening) if opening else -1
    return start < 0 or position < start


# --- body ---------------------------------------------------------------------------------------

LEAD_PROBE_CHARS = 40
LEAD_MAX_GAP = 1500


def recover_lead(text: str, description: str | None, visible_text: str) -> str:
    """Put back a lead paragraph that trafilatura dropped because it sits in its own container
    (it is usually also the page's description): the visible block that starts like the
    description and stands just before the extracted body."""
    if not text or not description or len(description) < LEAD_PROBE_CHARS:
        return text
    probe = normalize_key(description)[:LEAD_PROBE_CHARS]
    if probe in normalize_key(text[:2000]):
        return text
    first_line = normalize_key(text.split("\n", 1)[0])[:LEAD_PROBE_CHARS]
    lines = visible_text.split("\n")
    # Only a line's start is compared: normalise that much (diacritics and spaces can shrink it).
    keys = [normalize_key(line[: LEAD_PROBE_CHARS * 3]) for line in lines]
    lead_index = next((i for i, key in enumerate(keys) if key.startswith(probe)), None)
    body_index = next((i for i, key in enumerate(keys) if first_line and key.startswith(first_line)), None)
    if lead_index is None or body_index is None or lead_index >= body_index:
        return text
    if sum(len(line) for line in lines[lead_index + 1 : body_index]) > LEAD_MAX_GAP:
        return text
    return f"{' '.join(lines[lead_index].split())}\n\n{text}"


# --- the whole article --------------------------------------------------------------------------


def _site_names(meta: PageMetadata, url: str | None) -> list[str]:
    names = [meta.site_name, meta.title("logo"), *meta.publisher_names, *title_site_names(meta)]
    domain = registered_domain(url) if url else None
    if domain:
        names.append(domain.split(".")[0])
        names.append(domain)
    return [n for n in names if n]


def extract_article(
    url: str | None,
    body: bytes,
    *,
    fetched_at: datetime,
    content_type: str | None = None,
    entry: FeedEntry | None = None,
    default_tz: tzinfo | None = None,
    explain: dict[str, Any] | None = None,
) -> ExtractedArticle:
    """Extract one article (``fetched_at`` dates what the page says relative to now: "منذ 3 ساعات").  Raises :class:`ExtractionError` when the bytes are not readable HTML;
    an article without body text comes back with ``text == ""`` for the validator to judge.

    ``url`` None (a saved page whose address is unknown): the URL fields stay null and nothing is
    inferred from an address (no site name from the domain, no relative link made absolute)."""
    html_text, _encoding = decode_html(body, content_type)
    tree = parse_html(html_text)
    meta = read_page_metadata(tree)
    locales = page_locales(tree) if default_tz is None else []
    drop_discarded_subtrees(tree)
    cards = take_writer_cards(tree, html_text)
    # trafilatura is handed the same tree (one parse, not two); it works on a copy of it.
    visible_text = page_text(tree)
    site_names = _site_names(meta, url)
    visible = visible_byline_candidates(tree)
    unwrap_layout_tables(tree)  # (after the visible text and the bylines: a page form is one by its table)
    # Metadata is akhbar's own (trafilatura's costs up to a second a page in htmldate's search).
    document = trafilatura.bare_extraction(tree, options=_extraction_options(url))
    doc: dict[str, Any] = document.as_dict() if document is not None else {}  # type: ignore[union-attr]
    title, title_from = choose_title(
        meta, clean_text(doc.get("title")), site_names, visible_text, doc.get("text") or ""
    )
    if not title and entry is not None and entry.title:
        title, title_from = entry.title, "feed"
    text = recover_lead(clean_body(doc.get("text"), title), meta.description, visible_text)
    guess = None
    if default_tz is None:  # the operator configured no zone: what does the page say?
        guess = infer_zone(url, locales, visible_text[:20000], explicit_offsets(meta, fetched_at))
    zone_used = default_tz if default_tz is not None else (guess.zone if guess else None)
    dated, modified = decide_dates(meta, entry, url, visible_text, title, zone_used, fetched_at, html_text)
    published = dated.value
    decision = choose_authors(
        author_candidates(meta.authors, visible, entry.author if entry else None, site_names, cards)
    )
    if explain is not None:
        explain["author"] = decision
        explain["published"] = dated
        explain["titles"] = list(meta.titles)
    authors = decision.names
    canonical = None
    for candidate in (meta.canonical, meta.og_url) if url is not None else ():
        assert url is not None
        absolute = absolute_http_url(candidate, url)
        if absolute and same_site(url, absolute):
            canonical = absolute
            break
    language = detect_language(text, meta.lang)
    categories = meta.sections or [c for c in doc.get("categories") or [] if isinstance(c, str)][:10]
    tags = meta.tags or [t for t in doc.get("tags") or [] if isinstance(t, str) and "," not in t][:30]
    image = absolute_http_url(meta.image or doc.get("image"), url or "")
    description = meta.description or (entry.summary if entry else None)
    return ExtractedArticle(
        url=strip_tracking(url) if url else None,
        text=text,
        title=title,
        title_from=title_from,
        canonical_url=canonical,
        author="، ".join(authors) if authors else None,
        author_from=decision.origin,
        author_organization="، ".join(dict.fromkeys(meta.author_organizations)) or None,
        authors=authors,
        published_at=published.utc() if published else None,
        published_from=dated.origin,
        published_has_time=published.has_time if published else None,
        published_date=publication_date(published, zone_used) if published else None,
        published_tz_from=zone_origin(published, default_tz, guess) if published else None,
        published_tz=(default_tz_name(default_tz) if default_tz is not None else guess.name if guess else None)
        if published and not published.explicit_zone
        else None,
        modified_at=modified.utc() if modified else None,
        description=clean_text(description),
        image_url=image,
        language=language,
        categories=categories,
        tags=tags,
    )
