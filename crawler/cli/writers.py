"""Writers for ``akhbar export``: JSON lines, CSV and Parquet, streamed in constant memory.

The schema is documented in docs/schema.md.  Timestamps are UTC: ISO 8601 with ``Z`` in JSONL
and CSV, ``timestamp[us, tz=UTC]`` in Parquet; lists (authors, categories, tags) are JSON arrays
in JSONL, JSON text in CSV and ``list<string>`` in Parquet.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TextIO

from crawler.cli.common import iso_utc, json_default

LIST_FIELDS = ("authors", "categories", "tags")
TIME_FIELDS = ("published_at", "modified_at", "fetched_at")
PARQUET_BATCH = 1000


def parquet_schema() -> Any:
    import pyarrow as pa

    text, ts = pa.string(), pa.timestamp("us", tz="UTC")
    return pa.schema(
        [
            ("id", pa.int64()),
            ("source", text),
            ("url", text),
            ("canonical_url", text),
            ("title", text),
            ("title_from", text),
            ("author", text),
            ("authors", pa.list_(text)),
            ("author_from", text),
            ("author_organization", text),
            ("published_at", ts),
            ("published_date", pa.date32()),
            ("published_has_time", pa.bool_()),
            ("published_from", text),
            ("published_tz_from", text),
            ("modified_at", ts),
            ("fetched_at", ts),
            ("language", text),
            ("description", text),
            ("image_url", text),
            ("categories", pa.list_(text)),
            ("tags", pa.list_(text)),
            ("duplicate_of", pa.int64()),
            ("similarity", pa.float64()),
            ("copy_kind", text),
            ("series_of", pa.int64()),
            ("story_id", pa.int64()),
            ("worker", text),
            ("text", text),
        ]
    )


def counted_progress() -> Any:
    """A rich progress bar on stderr: description, bar, done of total, time left."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(file=sys.stderr),
    )


def _with_progress(records: Iterable[dict[str, Any]], total: int, show: bool) -> Iterator[dict[str, Any]]:
    if not show:
        yield from records
        return
    with counted_progress() as progress:
        task = progress.add_task("exporting", total=total)
        for record in records:
            yield record
            progress.advance(task)


@contextmanager
def atomic_output(path: str) -> Iterator[str]:
    """A temporary path beside ``path``, renamed to ``path`` only when the block completes: an
    interrupted or failed export never leaves a half-written file under the final name."""
    final = Path(path)
    temporary = final.with_name(f".{final.name}.partial-{os.getpid()}")
    try:
        yield str(temporary)
        os.replace(temporary, final)
    finally:
        temporary.unlink(missing_ok=True)


def write_export(
    records: Iterable[dict[str, Any]], fmt: str, output: str | None, total: int, progress: bool = False
) -> int:
    """Write ``records`` in ``fmt`` to ``output`` (stdout when None); returns the count.  A file
    appears under its name only once it is complete."""
    records = _with_progress(records, total, progress)
    if output is None:
        return _write_text(records, fmt, sys.stdout)
    with atomic_output(output) as temporary:
        if fmt == "parquet":
            return _write_parquet(records, temporary)
        with open(temporary, "w", encoding="utf-8", newline="") as stream:
            return _write_text(records, fmt, stream)


def _write_text(records: Iterable[dict[str, Any]], fmt: str, stream: TextIO) -> int:
    count = 0
    if fmt == "jsonl":
        for record in records:
            stream.write(json.dumps(record, ensure_ascii=False, default=json_default) + "\n")
            count += 1
        return count
    writer: Any = None
    for record in records:
        row = {
            k: (
                json.dumps(v, ensure_ascii=False)
                if k in LIST_FIELDS and v is not None
                else iso_utc(v)
                if k in TIME_FIELDS
                else v.isoformat()
                if isinstance(v, date)
                else v
            )
            for k, v in record.items()
        }
        if writer is None:
            writer = csv.DictWriter(stream, fieldnames=list(row))
            writer.writeheader()
        writer.writerow(row)
        count += 1
    return count


def _write_parquet(records: Iterable[dict[str, Any]], output: str) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    count = 0
    with pq.ParquetWriter(output, schema, compression="zstd") as writer:
        batch: list[dict[str, Any]] = []
        for record in records:
            batch.append({k: v.astimezone(UTC) if isinstance(v, datetime) else v for k, v in record.items()})
            if len(batch) >= PARQUET_BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                count += len(batch)
                batch = []
        if batch or count == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            count += len(batch)
    return count
