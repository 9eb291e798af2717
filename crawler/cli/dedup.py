"""`akhbar dedup explain ID1 ID2`: why two articles were, or were not, linked."""

from __future__ import annotations

import json

import click

from crawler.cli.common import EXIT_NOT_FOUND, db_option, fail, json_default, open_read_database


@click.group(name="dedup")
def dedup_group() -> None:
    """De-duplication: inspect how articles were linked."""


@dedup_group.command()
@click.argument("first", metavar="ID1", type=click.IntRange(min=1))
@click.argument("second", metavar="ID2", type=click.IntRange(min=1))
@click.option("--json", "as_json", is_flag=True, help="One JSON document instead of text.")
@db_option
def explain(first: int, second: int, as_json: bool, db_url: str | None) -> None:
    """Print the measures of a pair: Jaccard similarity, containment both ways, shared text, the
    numbers, dates or days that differ, the verdict the rules give, and how the two are stored."""
    from sqlalchemy.orm import Session

    from crawler.dedup import neardup
    from storage.repository import find_article

    engine = open_read_database(db_url)
    with Session(engine) as session:
        found = [find_article(session, article_id=i) for i in (first, second)]
        missing = [i for i, a in zip((first, second), found) if a is None]
        if missing:
            fail(f"no article {missing[0]}", EXIT_NOT_FOUND)
        articles = [a for a in found if a is not None]
        newer, older = sorted(articles, key=lambda a: a.id, reverse=True)
        comparison = neardup.compare(newer.text or "", older.text or "")
        stored = {
            a.id: {
                "duplicate_of": a.duplicate_of,
                "copy_kind": a.copy_kind,
                "similarity": a.similarity,
                "series_of": a.series_of,
                "published_at": a.published_at,
            }
            for a in (older, newer)
        }
    report = {
        "newer": newer.id,
        "older": older.id,
        "jaccard": comparison.jaccard,
        "containment": {f"{newer.id} in {older.id}": comparison.a_in_b, f"{older.id} in {newer.id}": comparison.b_in_a},
        "shared_shingles": comparison.shared,
        "numbers_that_differ": [
            {"context": c, str(newer.id): a, str(older.id): b} for c, a, b in comparison.numbers_differ
        ],
        "verdict": comparison.kind or "different",
        "thresholds": {
            "near/partial containment": neardup.CONTAINMENT_THRESHOLD,
            "near jaccard": neardup.JACCARD_THRESHOLD,
            "min shared shingles": neardup.MIN_SHARED_SHINGLES,
        },
        "stored": stored,
    }
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, default=json_default, indent=2))
        return
    click.echo(f"{newer.id} (newer) against {older.id} (older)")
    click.echo(f"  jaccard             {comparison.jaccard:.3f}   (near at ≥ {neardup.JACCARD_THRESHOLD})")
    click.echo(
        f"  containment         {newer.id} in {older.id}: {comparison.a_in_b:.3f}   "
        f"{older.id} in {newer.id}: {comparison.b_in_a:.3f}   (≥ {neardup.CONTAINMENT_THRESHOLD})"
    )
    click.echo(f"  shared shingles     {comparison.shared}   (partial needs ≥ {neardup.MIN_SHARED_SHINGLES})")
    if comparison.numbers_differ:
        click.echo("  numbers that differ (same words around them):")
        for context, a, b in comparison.numbers_differ[:20]:
            click.echo(f"    {context.replace('_', '…')}: {a} ≠ {b}")
    else:
        click.echo("  numbers that differ  none")
    click.echo(f"  verdict             {comparison.kind or 'different stories'}")
    for article_id, values in stored.items():
        shown = ", ".join(f"{k}={json_default(v) if k == 'published_at' and v else v}" for k, v in values.items())
        click.echo(f"  stored {article_id}: {shown}")
