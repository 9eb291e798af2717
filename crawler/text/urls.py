"""URL identity: the key under which an article URL is remembered, and which URLs may be fetched.

``url_key`` folds the variants that lead to the same article into one string: scheme
(http/https), host case, ``www.``/``m.``/``amp.`` host prefixes, default ports, fragments,
tracking parameters, query order, percent-encoding (an IRI and its %-encoded form are one URL),
AMP path and query forms and a trailing slash.  It is an identity key, not a URL to fetch.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import tldextract
from w3lib.url import canonicalize_url, safe_url_string

# Query parameters that only say where a click came from.  (courlan.clean_url is not used: it
# drops every bare `ref`/`source`, which some CMSs use as article ids.)  ``ref``/``source``-style names are
# removed only where they are known trackers (``ref_src``, ``ref_url``), never as a bare ``ref``
# or ``source``, which some CMSs use as real article ids.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "rb_clickid",
        "s_cid",
        "vero_conv",
        "vero_id",
        "wickedid",
        "ref_src",
        "ref_url",
        "cmpid",
        "ncid",
        "sr_share",
        "spm",
        "xtor",
        "__twitter_impression",
        "amp",
        "outputtype",
    }
)
TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_", "hsa_", "stm_")
HOST_PREFIXES = ("www.", "m.", "mobile.", "amp.")
AMP_PATH_RE = re.compile(r"(/amp/?$|^/amp(?=/)|\.amp(?=$|\.html?$))", re.IGNORECASE)
DEFAULT_PORTS = {"http": 80, "https": 443}

# Offline public-suffix list (the snapshot bundled with tldextract): no fetch at run time.
_TLD_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def is_http_url(url: str | None) -> bool:
    if not url:
        return False
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def absolute_http_url(link: str | None, base: str) -> str | None:
    """``link`` made absolute against ``base`` and %-encoded, or None unless it is http(s)."""
    if not link or not isinstance(link, str):
        return None
    try:
        url = urljoin(base, link.strip())
    except ValueError:
        return None
    if not is_http_url(url):
        return None
    return safe_url_string(url)


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


@lru_cache(maxsize=65_536)
def url_key(url: str) -> str:
    """The identity key of an article URL (see the module docstring)."""
    canonical = canonicalize_url(url.strip(), keep_fragments=False)
    parts = urlsplit(canonical)
    host = (parts.hostname or "").lower().rstrip(".")
    for prefix in HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix) :]
            break
    port = parts.port
    netloc = host if port is None or port == DEFAULT_PORTS.get(parts.scheme) else f"{host}:{port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    path = AMP_PATH_RE.sub("", parts.path) or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    return urlunsplit(("https", netloc, path, urlencode(sorted(query)), ""))


def strip_tracking(url: str) -> str:
    """The URL without its tracking parameters and fragment, otherwise as given."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if not parts.query and not parts.fragment:
        return url
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def registered_domain(url: str) -> str | None:
    """``www.albayan.ae`` → ``albayan.ae``; None for an IP address or an unparseable URL."""
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    extracted = _TLD_EXTRACT(host)
    if not extracted.suffix or not extracted.domain:
        return None
    return f"{extracted.domain}.{extracted.suffix}".lower()


def same_site(url: str, other: str) -> bool:
    """Whether both URLs are on the same registered domain (for ``rel=canonical``/``og:url``), or
    on the very same host."""
    try:
        host, other_host = urlsplit(url).hostname, urlsplit(other).hostname
    except ValueError:
        return False
    if host and host == other_host:
        return True
    domain = registered_domain(url)
    return domain is not None and domain == registered_domain(other)
