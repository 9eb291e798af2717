"""The look-up protocol of de-duplication: the questions the verdict asks of what is stored.

Results are positional, as the database returns them: ``links`` gives ``(duplicate_of,
published_at, series_of)`` per id, ``texts`` gives ``(text, duplicate_of, published_at,
series_of)``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol


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
    def links(self, ids: Sequence[int]) -> dict[int, tuple[int | None, Any, int | None]]: ...
    def texts(self, ids: Sequence[int]) -> dict[int, tuple[str, int | None, Any, int | None]]: ...
