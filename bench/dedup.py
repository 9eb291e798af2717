"""De-duplication benchmark: precision and recall of copy linking per kind, and its cost.

    .venv/bin/python bench/dedup.py [--corpus ../shared/corpus] [--stored 10000 100000]

1. The labelled set (tests/dedup_cases.py): near and partial copies (another opening, the first
   half with a "read the rest" line, a condensed version) of Arabic articles of 150-800 words,
   daily template news (a series, never a copy), different reports of one event and different
   stories; each pair goes through the real path (SQLite file, LSH and fingerprint look-ups,
   ``crawler.dedup.verdict.link_copy``).

Positives are syndicated variants of the corpus pages' bodies made by our own transformations
(spelling noise, tatweel, diacritics, a sentence dropped or added, an agency dateline, light word
edits, a paragraph appended); negatives are every pair of different pages, and pairs of different
reports on the same event (tests/world.py).  Then the cost of a look-up in the database-backed
LSH index is timed with 10k and 100k stored signatures (SQLite file, real queries).
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from crawler.dedup import neardup
from crawler.extraction.article import extract_article
from tests.world import PARAGRAPHS, SAME_EVENT_PAIRS

DIACRITICS = "\u064e\u064f\u0650\u0651\u0652"


def spelling_noise(text: str, rng: random.Random) -> str:
    swaps = {"أ": "ا", "إ": "ا", "ى": "ي", "ة": "ه"}
    return "".join(swaps.get(c, c) if rng.random() < 0.5 else c for c in text)


def tatweel_and_diacritics(text: str, rng: random.Random) -> str:
    out = []
    for c in text:
        out.append(c)
        if "\u0621" <= c <= "\u064a" and rng.random() < 0.08:
            out.append(rng.choice(["\u0640", rng.choice(DIACRITICS)]))
    return "".join(out)


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!؟])\s+", text) if s.strip()]


def drop_sentence(text: str, rng: random.Random) -> str:
    parts = sentences(text)
    if len(parts) > 3:
        parts.pop(rng.randrange(1, len(parts)))
    return " ".join(parts)


def add_sentence(text: str, rng: random.Random) -> str:
    parts = sentences(text)
    parts.insert(rng.randrange(0, len(parts) + 1), rng.choice(PARAGRAPHS))
    return " ".join(parts)


def dateline(text: str, rng: random.Random) -> str:
    return rng.choice(["القاهرة - وكالات: ", "(رويترز) - ", "عمّان - الراصد: "]) + text + " (أ ف ب)"


def word_edits(text: str, rng: random.Random) -> str:
    words = text.split()
    for _ in range(max(1, len(words) // 40)):
        i = rng.randrange(len(words))
        words[i] = rng.choice(["كما", "وقد", "أيضًا", "الرسمي", "اليوم"])
    return " ".join(words)


def append_paragraph(text: str, rng: random.Random) -> str:
    return text + "\n\n" + " ".join(rng.sample(PARAGRAPHS, 2))


# The partial re-posts of the labelled set, applied to real outlets' bodies too (the labelled set's
# own articles come from one generator of sentences).
from datetime import UTC

from tests.dedup_cases import partial_condensed, partial_first_half, partial_own_opening

TRANSFORMS = [
    spelling_noise,
    tatweel_and_diacritics,
    drop_sentence,
    add_sentence,
    dateline,
    word_edits,
    append_paragraph,
    partial_own_opening,
    partial_first_half,
    partial_condensed,
]


def corpus_bodies(corpus: Path) -> list[str]:
    import json
    from datetime import datetime

    bodies = []
    for line in (corpus / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        truth = json.loads(line)
        html = (corpus / "pages" / f"{truth['name']}.html").read_bytes()
        bodies.append(extract_article(truth["url"], html, fetched_at=datetime.now(UTC)).text)
    return bodies


def candidates_of(a: str, b: str) -> bool:
    """Whether the indexes would offer ``a`` as a candidate for ``b``: a shared LSH band, or
    enough shared fingerprints (the rules of crawler.dedup.verdict.link_copy)."""
    shingles_a, keys_a = neardup.lsh_keys(a)
    shingles_b, keys_b = neardup.lsh_keys(b)
    prints_b = neardup.fingerprints(shingles_b)
    shared = set(neardup.fingerprints(shingles_a)) & set(prints_b)
    return bool(set(keys_a) & set(keys_b)) or len(shared) >= max(2, len(prints_b) * neardup.MIN_FINGERPRINT_MATCH)


def measure_quality(bodies: list[str], rng: random.Random) -> None:
    """Variants of the bodies must be linked; different pages and reports of one event must not."""
    positives: list[tuple[str, neardup.Comparison, bool]] = []
    for body in bodies:
        for transform in TRANSFORMS:
            variant = transform(body, rng)
            if rng.random() < 0.5:  # compose two edits half of the time
                variant = rng.choice(TRANSFORMS)(variant, rng)
            comparison = neardup.compare(variant, body)
            linked = candidates_of(body, variant) and comparison.kind in ("near", "partial")
            positives.append((transform.__name__, comparison, linked))
    negatives: list[tuple[str, neardup.Comparison, bool]] = []
    pairs = [("different pages", a, b) for a, b in itertools.combinations(bodies, 2)]
    pairs += [("same event", a, b) for a, b in SAME_EVENT_PAIRS]
    for name, a, b in pairs:
        comparison = neardup.compare(b, a)
        negatives.append((name, comparison, candidates_of(a, b) and comparison.kind in ("near", "partial")))
    linked_pos = [p for p in positives if p[2]]
    linked_neg = [n for n in negatives if n[2]]
    tp, fn, fp = len(linked_pos), len(positives) - len(linked_pos), len(linked_neg)
    print(
        f"thresholds: jaccard >= {neardup.JACCARD_THRESHOLD}, containment >= {neardup.CONTAINMENT_THRESHOLD}; "
        f"LSH {neardup.BANDS} bands x {neardup.ROWS} rows over {neardup.SHINGLE_WORDS}-word shingles"
    )
    print(f"positives {len(positives)}, negatives {len(negatives)}")
    print(
        f"precision {tp / max(1, tp + fp):.3f}  recall {tp / max(1, len(positives)):.3f}  "
        f"(true links {tp}, missed {fn}, false links {fp})"
    )
    print("similarity ranges (jaccard / containment):")
    for name in sorted({p[0] for p in positives}):
        sims = [p[1] for p in positives if p[0] == name]
        print(
            f"  {name:<24} jaccard {min(s.jaccard for s in sims):.2f}-{max(s.jaccard for s in sims):.2f}"
            f"  containment {min(s.containment for s in sims):.2f}-{max(s.containment for s in sims):.2f}"
            f"  linked {sum(p[2] for p in positives if p[0] == name)}/{len(sims)}"
        )
    for name in ("different pages", "same event"):
        sims = [n[1] for n in negatives if n[0] == name]
        print(
            f"  {name:<24} jaccard max {max(s.jaccard for s in sims):.3f}  containment max "
            f"{max(s.containment for s in sims):.3f}"
        )


def measure_labelled() -> None:
    """Each pair through the real look-up and verdict, on a SQLite file holding the stored text(s)."""
    import shutil
    from collections import Counter, defaultdict
    from datetime import datetime

    from sqlalchemy.orm import Session

    from crawler.dedup.keys import content_hash
    from crawler.dedup.verdict import link_copy
    from storage.copies import StoredLookup
    from storage.db import make_engine, upgrade
    from storage.repository import insert_article
    from tests.dedup_cases import base_articles, labelled_pairs
    from tests.item_helpers import item

    bases = base_articles()
    results: dict[str, list[tuple[str, str | None, bool]]] = defaultdict(list)
    with tempfile.TemporaryDirectory() as folder:
        empty = Path(folder) / "empty.db"
        engine = make_engine(f"sqlite:///{empty}")
        upgrade(engine)
        engine.dispose()
        for expected, case, stored, new in labelled_pairs():
            work = Path(folder) / "work.db"
            shutil.copy(empty, work)
            engine = make_engine(f"sqlite:///{work}")
            background = [b for b in bases if b not in (stored, new)] if expected in ("near", "partial") else []
            with Session(engine) as session, session.begin():
                session.execute(text_sql("INSERT INTO sources (name, created_at) VALUES ('s', '2025-01-01')"))
                ids = {}
                for n, body in enumerate([stored, *background]):
                    shingle_set, keys = neardup.lsh_keys(body)
                    ids[body] = insert_article(
                        session,
                        {
                            "source_id": 1,
                            "url": f"https://e.com/{n}",
                            "url_key": f"e.com/{n}",
                            "text": body,
                            "fetched_at": datetime(2025, 5, 1, tzinfo=UTC),
                            "content_hash": content_hash(body),
                        },
                        {},
                        keys,
                        neardup.fingerprints(shingle_set),
                    )
            with Session(engine) as session:
                link = link_copy(StoredLookup(session), item(None, new, title=None))
            engine.dispose()
            right_target = link is not None and link.stored_id == ids[stored]
            results[expected].append((case, link.kind if link else None, right_target))
    print("labelled set (tests/dedup_cases.py), through link_copy on a SQLite file:")
    print(f"  {'expected':<10} {'pairs':>5} {'linked':>7} {'recall':>7} {'false links':>12}  verdicts")
    for expected in ("near", "partial", "template", "different"):
        rows = results[expected]
        copies = sum(1 for _, kind, right in rows if kind in ("exact", "near", "partial") and right)
        wrong = (
            sum(1 for _, kind, _ in rows if kind in ("exact", "near", "partial"))
            if expected in ("template", "different")
            else sum(1 for _, kind, right in rows if kind in ("near", "partial") and not right)
        )
        series = sum(1 for _, kind, right in rows if kind == "template" and right)
        verdicts = dict(Counter(kind or "none" for _, kind, _ in rows))
        recall = f"{copies / len(rows):.3f}" if expected in ("near", "partial") else "—"
        linked = copies if expected in ("near", "partial") else series if expected == "template" else 0
        print(f"  {expected:<10} {len(rows):>5} {linked:>7} {recall:>7} {wrong:>12}  {verdicts}")
    copies_linked = sum(1 for e in ("near", "partial") for _, k, r in results[e] if k in ("near", "partial") and r)
    false_links = sum(
        1 for e in ("template", "different") for _, k, _ in results[e] if k in ("exact", "near", "partial")
    )
    positives = len(results["near"]) + len(results["partial"])
    print(
        f"  copies: recall {copies_linked / positives:.3f}, precision "
        f"{copies_linked / max(1, copies_linked + false_links):.3f}; template pairs recognised as a series: "
        f"{sum(1 for _, k, r in results['template'] if k == 'template' and r)}/{len(results['template'])}"
    )


def text_sql(sql: str):  # a fixed statement, no parameters
    from sqlalchemy import text

    return text(sql)


def measure_cost(stored_counts: list[int], rng: random.Random) -> None:
    """The look-ups of a new article against N stored ones: before this change (LSH bands only)
    and now (LSH bands and containment fingerprints), shingling and hashing included."""
    from sqlalchemy.orm import Session

    from storage.copies import containment_candidates, near_duplicate_candidates
    from storage.db import make_engine, upgrade
    from storage.models import LshBucket, TextFingerprint

    print("look-up cost per new article (SQLite file; shingles, MinHash, fingerprints and queries):")
    for count in stored_counts:
        with tempfile.TemporaryDirectory() as folder:
            engine = make_engine(f"sqlite:///{folder}/bench.db")
            upgrade(engine)
            raw = engine.raw_connection()  # bulk load the indexes directly (no article rows needed)
            raw.execute("PRAGMA foreign_keys = OFF")
            raw.execute("BEGIN")
            raw.executemany(
                f"INSERT INTO {LshBucket.__tablename__} (band, bucket, article_id) VALUES (?, ?, ?)",
                (
                    (band, rng.getrandbits(62), article_id)
                    for article_id in range(1, count + 1)
                    for band in range(neardup.BANDS)
                ),
            )
            raw.executemany(  # ~50 fingerprints an article: a 400-word body
                f"INSERT INTO {TextFingerprint.__tablename__} (fingerprint, article_id) VALUES (?, ?)",
                (
                    (rng.getrandbits(58) * neardup.FINGERPRINT_MOD, article_id)
                    for article_id in range(1, count + 1)
                    for _ in range(50)
                ),
            )
            raw.execute("COMMIT")
            raw.close()
            texts = [" ".join(rng.sample(PARAGRAPHS, 4)) for _ in range(200)]
            timings: dict[str, float] = {}
            for mode in ("before", "now") * 5:  # alternated, the best round of each (least disturbed)
                start = time.perf_counter()
                for text in texts:
                    shingle_set, keys = neardup.lsh_keys(text)
                    with Session(engine) as session:
                        near_duplicate_candidates(session, keys, neardup.MAX_CANDIDATES)
                        if mode == "now":
                            prints = neardup.fingerprints(shingle_set)
                            containment_candidates(session, prints, max(2, int(len(prints) * 0.4)))
                timings[mode] = min(timings.get(mode, float("inf")), (time.perf_counter() - start) / len(texts))
            # The added parts alone, which vary less than the whole on a shared machine.
            shingle_sets = [neardup.lsh_keys(text)[0] for text in texts]
            start = time.perf_counter()
            prints = [neardup.fingerprints(shingle_set) for shingle_set in shingle_sets]
            fingerprinting = (time.perf_counter() - start) / len(texts)
            with Session(engine) as session:
                start = time.perf_counter()
                for values in prints:
                    containment_candidates(session, values, max(2, int(len(values) * 0.4)))
                querying = (time.perf_counter() - start) / len(texts)
            engine.dispose()
        print(
            f"  {count:>8} stored: {1000 * timings['before']:.2f} ms before, {1000 * timings['now']:.2f} ms now "
            f"({timings['now'] / timings['before']:.2f}x); the added parts alone: fingerprints "
            f"{1000 * fingerprinting:.2f} ms + their query {1000 * querying:.2f} ms "
            f"(+{100 * (fingerprinting + querying) / timings['before']:.0f} % of before)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(Path(__file__).resolve().parents[2] / "shared" / "corpus"))
    parser.add_argument("--stored", type=int, nargs="*", default=[10_000, 100_000])
    args = parser.parse_args()
    rng = random.Random(7)
    corpus = Path(args.corpus)
    bodies = corpus_bodies(corpus) if (corpus / "truth.jsonl").exists() else []
    if bodies:
        measure_quality(bodies + [" ".join(PARAGRAPHS[i : i + 5]) for i in range(0, 15, 5)], rng)
    else:
        print(f"corpus not found at {corpus}: quality measured on the test world's paragraphs only")
        measure_quality([" ".join(PARAGRAPHS[i : i + 5]) for i in range(0, 15, 5)], rng)
    measure_labelled()
    measure_cost(args.stored, rng)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
