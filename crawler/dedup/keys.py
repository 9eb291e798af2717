"""An article's identity keys: the content hash, the search text, the LSH keys, the
containment fingerprints (from one normalisation of the body) and its event terms.  Computed in the extraction
worker, off the crawl's main thread."""

from __future__ import annotations

import hashlib

from crawler.dedup import neardup
from crawler.items import IdentityKeys
from crawler.stories.terms import event_terms
from crawler.text.arabic import body_keys, dedup_key


def content_hash(text: str, key: str | None = None) -> str:
    """SHA-256 of the Arabic-normalised body (``key``, when the caller has it: dedup_key(text)):
    equal for copies that differ only in spelling noise."""
    return hashlib.sha256((dedup_key(text) if key is None else key).encode()).hexdigest()


def identity_keys(title: str | None, text: str) -> IdentityKeys:
    """The keys of a body (none for an empty one; no LSH keys or fingerprints for a body too
    short to compare)."""
    if not text:
        return IdentityKeys()
    keys = body_keys(title, text)
    shingle_set, lsh_keys = neardup.lsh_keys_of_words(keys.words)
    return IdentityKeys(
        content_hash=content_hash(text, keys.dedup),
        search_text=keys.search,
        lsh_keys=lsh_keys,
        fingerprints=neardup.fingerprints(shingle_set) if lsh_keys else [],
        story_terms=event_terms(title, text).kinds(),
    )
