"""The two places where a worker touches Scrapy's engine below its public surface.

Scrapy has no signal for "a download's output went through the spider and everything it led to
(requests queued, items stored) is done", which is when a worker may acknowledge the request it
took from the stream; and no public way to make an idle engine look at its scheduler sooner than
its 5-second heartbeat.  Both live here, checked by ``tests/unit/cluster/test_engine_shim.py``,
which fails when Scrapy changes the internals they rely on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scrapy.http import Request


def after_download_output(engine: Any, finished: Callable[[Request], None]) -> None:
    """Call ``finished(request)`` once the engine has fully handled a download's output."""
    original = engine._handle_downloader_output

    def handle_and_track(result: Any, request: Request) -> Any:
        def report(outcome: Any) -> Any:
            finished(request)
            return outcome

        deferred = original(result, request)
        deferred.addBoth(report)
        return deferred

    engine._handle_downloader_output = handle_and_track


def poll_again(engine: Any, seconds: float) -> None:
    """Make the engine look at its scheduler again in ``seconds`` (a worker waiting for work)."""
    slot = getattr(engine, "_slot", None)
    if slot is not None:
        slot.nextcall.schedule(seconds)
