"""The look-up protocol of de-duplication: the questions the verdict asks of what is stored.

Storage answers with rows of its own (``storage.copies.ArticleLink`` and ``ArticleText``, named
tuples); the verdict reads them by name, through :class:`StoredLink` and :class:`StoredText`
(storage imports no crawler code, and de-duplication no storage code)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Protocol


class StoredLink(Protocol):
    """How a stored article (or one of the batch) is linked."""

    @property
    def duplicate_of(self) -> int | None: ...
    @property
    def published_at(self) -> datetime | None: ...
    @property
    def series_of(self) -> int | None: ...


class StoredText(StoredLink, Protocol):
    """A stored article's text, with its links."""

    @property
    def text(self) -> str: ...


class CopyLookup(Protocol):
    """The questions de-duplication asks of what is stored: :class:`StoredLookup` answers each with
    a query, :class:`storage.batch_index.BatchIndex` a whole batch's from a few.
    Both live in :mod:`storage` and satisfy this protocol structurally (storage imports no crawler code)."""

    def owner_of_urls(self, keys: Sequence[str]) -> int | None: ...
    def same_source_body(self, source_id: int, content_hash: str) -> int | None: ...
    def same_body(self, content_hash: str) -> int | None: ...
    def near_candidates(self, keys: Sequence[tuple[int, int]], limit: int) -> list[int]: ...
    def containment_candidates(
        self, fingerprints: Sequence[int], min_shared: int, limit: int, stored_share: float = 0.0
    ) -> list[int]: ...
    def links(self, ids: Sequence[int]) -> Mapping[int, StoredLink]: ...
    def texts(self, ids: Sequence[int]) -> Mapping[int, StoredText]: ...
