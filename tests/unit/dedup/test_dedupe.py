"""De-duplication without a crawl: similarity, LSH keys, partial copies and series through the
store pipeline, the audit (the crawl of the syndication world is tests/integration/test_syndication.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from crawler.dedup import neardup
from storage.models import Article
from tests.conftest import REPO
from tests.world import PARAGRAPHS, SAME_EVENT_PAIRS, light_edit


def test_similarity_separates_copies_from_same_event_reports():
    original = "\n\n".join(PARAGRAPHS[:5])
    copy = light_edit(original)
    assert neardup.compare(copy, original).kind in ("near", "partial")
    for a, b in SAME_EVENT_PAIRS:
        comparison = neardup.compare(b, a)
        assert comparison.kind is None and max(comparison.jaccard, comparison.containment) < 0.1


def test_lsh_keys_are_stable_and_skip_short_texts():
    """Stable means the same in every process (crawls, workers and the writer compare keys made
    elsewhere): two child processes with other string-hash seeds make the same keys."""
    text = "\n\n".join(PARAGRAPHS[:4])
    here = [list(key) for key in neardup.lsh_keys(text)[1]]
    program = (
        "import json, sys; from crawler.dedup import neardup; print(json.dumps(neardup.lsh_keys(sys.stdin.read())[1]))"
    )
    for seed in ("1", "4242"):
        child = subprocess.run(
            [sys.executable, "-c", program],
            input=text,
            capture_output=True,
            text=True,
            cwd=REPO,
            env={**os.environ, "PYTHONHASHSEED": seed},
            timeout=60,
            check=True,
        )
        assert json.loads(child.stdout) == here, seed
    assert len(neardup.lsh_keys(text)[1]) == neardup.BANDS
    assert neardup.lsh_keys("نص قصير جدا")[1] == []


def test_lsh_keys_are_those_of_the_stored_index():
    """Databases hold buckets and fingerprints made by earlier versions: the keys must not move.
    The signature is datasketch's MinHash (affine32, seed 1), computed by akhbar's own array code."""
    import random

    from datasketch import MinHash

    shingle_set, keys = neardup.lsh_keys("\n\n".join(PARAGRAPHS[:4]))
    assert keys[:3] == [(0, 2600382362412487890), (1, 3235216195416429475), (2, -1265149680170395488)]
    found = neardup.fingerprints(shingle_set)
    assert found[:3] == [-3337764790356914880, -1509484381115970016, -1071439803533747800] and len(found) == 10
    assert found == sorted({h for h in map(neardup._hash63, shingle_set) if h % neardup.FINGERPRINT_MOD == 0})
    rng = random.Random(3)
    for size in (1, 2, 25, 400):
        shingles = frozenset(bytes(rng.randrange(256) for _ in range(rng.randint(1, 30))) for _ in range(size))
        reference = MinHash(num_perm=neardup.NUM_PERM, seed=1)
        reference.update_batch(list(shingles))
        assert neardup.signature(shingles).tolist() == reference.hashvalues.tolist()
    assert neardup.signature(frozenset()).tolist() == MinHash(num_perm=neardup.NUM_PERM, seed=1).hashvalues.tolist()
    words = ["أ", "ب", "ج", "دال", "x"] * 3
    assert neardup._shingles_of_words(words) == frozenset(
        " ".join(words[i : i + 3]).encode() for i in range(len(words) - 2)
    )


# --- second pass: partial copies, template series, time order -------------------------------------

from click.testing import CliRunner  # noqa: E402

from tests.dedup_cases import (  # noqa: E402
    base_articles,
    near_copy,
    partial_condensed,
    partial_first_half,
    partial_own_opening,
    template_series,
)
from tests.item_helpers import item, process  # noqa: E402


def test_numbers_are_content():
    gold = template_series("gold")
    comparison = neardup.compare(gold[1], gold[0])
    assert comparison.kind == "template" and comparison.numbers_differ
    indic = gold[0].translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))  # the same article, other digits
    assert neardup.compare(indic, gold[0]).kind == "near" and not neardup.compare(indic, gold[0]).numbers_differ
    story = base_articles()[3]
    dropped = "\n\n".join(story.split("\n\n")[1:])  # a copy that leaves numbers out is still a copy
    assert neardup.compare(dropped, story).kind in ("near", "partial")


@pytest.mark.parametrize("transform", [partial_own_opening, partial_first_half, partial_condensed, near_copy])
def test_partial_copies_are_linked(transform):
    import random

    for base in base_articles()[::3]:
        copy = transform(base, random.Random(1))
        comparison = neardup.compare(copy, base)
        assert comparison.kind in ("near", "partial"), (transform.__name__, comparison)
        sa, keys_a = neardup.lsh_keys(base)
        sb, keys_b = neardup.lsh_keys(copy)
        shared_prints = set(neardup.fingerprints(sa)) & set(neardup.fingerprints(sb))
        assert set(keys_a) & set(keys_b) or len(shared_prints) >= 0.4 * len(neardup.fingerprints(sb))


def test_store_links_partial_copies_series_and_later_originals(pipelines, stats):
    _, _, engine = pipelines
    base = base_articles()[4]
    t0 = datetime(2025, 5, 5, 9, 0, tzinfo=UTC)
    original = process(pipelines, item("https://a.example/story", text=base, published_at=t0))
    assert original.verdict.duplicate_of is None and original.verdict.copy_kind is None
    half = process(
        pipelines,
        item(
            "https://b.example/half",
            text=partial_first_half(base, __import__("random").Random(2)),
            published_at=t0 + timedelta(hours=2),
        ),
    )
    assert (
        half.verdict.duplicate_of is not None
        and half.verdict.copy_kind == "partial"
        and 0.8 <= half.verdict.similarity <= 1.0
    )
    gold = template_series("gold")
    days = [
        process(pipelines, item(f"https://gold.example/{n}", text=text, published_at=t0 + timedelta(days=n)))
        for n, text in enumerate(gold)
    ]
    assert all(day.verdict.duplicate_of is None for day in days)
    with Session(engine) as session:
        rows = {a.url: a for a in session.scalars(select(Article))}
        assert [rows[f"https://gold.example/{n}"].series_of for n in range(4)] == [None] + [
            rows["https://gold.example/0"].id
        ] * 3
        assert rows["https://b.example/half"].duplicate_of == rows["https://a.example/story"].id
        first_id = rows["https://a.example/story"].id
    # The agency's own version, found later but published an hour before "the original".
    agency = process(
        pipelines,
        item(
            "https://agency.example/wire",
            text=near_copy(base, __import__("random").Random(3)),
            published_at=t0 - timedelta(hours=1),
        ),
    )
    assert agency.verdict.duplicate_of is None
    with Session(engine) as session:
        rows = {a.url: a for a in session.scalars(select(Article))}
        wire = rows["https://agency.example/wire"]
        assert rows["https://a.example/story"].duplicate_of == wire.id and rows["https://a.example/story"].copy_kind
        assert rows["https://b.example/half"].duplicate_of == wire.id
        assert wire.duplicate_of is None and first_id != wire.id
    assert stats.get_value("dedupe/originals_found_later") == 1 and stats.get_value("dedupe/partial") == 1


def test_show_and_explain(pipelines, db_url):
    from crawler.cli import main

    base = base_articles()[2]
    process(pipelines, item("https://a.example/1", text=base))
    process(pipelines, item("https://b.example/1", text=partial_condensed(base, __import__("random").Random(4))))
    gold = template_series("weather")
    process(pipelines, item("https://w.example/1", text=gold[0]))
    process(pipelines, item("https://w.example/2", text=gold[1]))
    shown = json.loads(CliRunner().invoke(main, ["show", "1", "--json", "--db", db_url]).stdout)
    assert shown["copies"][0]["kind"] == "partial" and shown["copies"][0]["similarity"] >= 0.8
    explained = CliRunner().invoke(main, ["dedup", "explain", "3", "4", "--db", db_url])
    assert explained.exit_code == 0 and "verdict             template" in explained.stdout
    assert "≠" in explained.stdout
    report = json.loads(CliRunner().invoke(main, ["dedup", "explain", "1", "2", "--json", "--db", db_url]).stdout)
    assert report["verdict"] == "partial" and report["stored"]["2"]["duplicate_of"] == 1
    assert CliRunner().invoke(main, ["dedup", "explain", "1", "99", "--db", db_url]).exit_code == 4
