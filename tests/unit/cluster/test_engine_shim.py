"""The engine shim holds against the Scrapy installed: a request is reported finished after its
item went through the pipelines, and an idle engine looks again when asked, not at its 5-second
heartbeat.  A Scrapy that renames or reshapes these internals fails here first."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_a_request_is_finished_after_its_item_and_idle_polls_come_early():
    result = subprocess.run(
        [sys.executable, "-m", "tests.unit.cluster.shim_crawl"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    events = report["events"]
    for url in ("data:,one", "data:,two"):
        assert f"done {url}" in events, events
        assert events.index(f"item {url}") < events.index(f"done {url}"), events
    assert report["reason"] == "finished", report  # idle polls came before the 3 s watchdog
    assert report["idles"] == 4, report
