"""Unit tests start with the rule caches empty: a result cached by an earlier test would hide
what the code does now (and hides from mutation testing which tests reach a function)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from crawler.extraction import article
from crawler.stories import terms
from crawler.text import urls

CACHED = (urls.url_key, article._title_key, article._title_tokens, terms.stem)


@pytest.fixture(autouse=True)
def empty_rule_caches() -> Iterator[None]:
    for function in CACHED:
        function.cache_clear()
    yield
