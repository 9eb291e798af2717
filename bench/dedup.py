"""De-duplication benchmark: precision and recall of near-duplicate linking, and its cost.

    .venv/bin/python bench/dedup.py [--corpus ../shared/corpus] [--stored 10000 100000]

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

from crawler.keys import neardup  # noqa: E402
from crawler.extraction.article import extract_article  # noqa: E402
from tests.world import PARAGRAPHS, SAME_EVENT_PAIRS  # noqa: E402

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


TRANSFORMS = [spelling_noise, tatweel_and_diacritics, drop_sentence, add_sentence, dateline, word_edits,
              append_paragraph]


def corpus_bodies(corpus: Path) -> list[str]:
    import json
    from datetime import datetime, timezone

    bodies = []
    for line in (corpus / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        truth = json.loads(line)
        html = (corpus / "pages" / f"{truth['name']}.html").read_bytes()
        bodies.append(extract_article(truth["url"], html, source="x", fetched_at=datetime.now(timezone.utc)).text)
    return bodies


def measure_quality(bodies: list[str], rng: random.Random) -> None:
    positives: list[tuple[str, neardup.Similarity, bool]] = []
    for body in bodies:
        original = neardup.shingles(body)
        for transform in TRANSFORMS:
            variant = transform(body, rng)
            if rng.random() < 0.5:  # compose two edits half of the time
                variant = rng.choice(TRANSFORMS)(variant, rng)
            sim = neardup.similarity(original, neardup.shingles(variant))
            candidate = bool(set(neardup.lsh_keys(body)[1]) & set(neardup.lsh_keys(variant)[1]))
            positives.append((transform.__name__, sim, candidate))
    negatives: list[tuple[str, neardup.Similarity, bool]] = []
    for a, b in itertools.combinations(bodies, 2):
        sa, sb = neardup.shingles(a), neardup.shingles(b)
        candidate = bool(set(neardup.lsh_keys(a)[1]) & set(neardup.lsh_keys(b)[1]))
        negatives.append(("different pages", neardup.similarity(sa, sb), candidate))
    for a, b in SAME_EVENT_PAIRS:
        candidate = bool(set(neardup.lsh_keys(a)[1]) & set(neardup.lsh_keys(b)[1]))
        negatives.append(("same event", neardup.similarity(neardup.shingles(a), neardup.shingles(b)), candidate))
    linked_pos = [p for p in positives if p[2] and p[1].is_near_duplicate]
    linked_neg = [n for n in negatives if n[2] and n[1].is_near_duplicate]
    tp, fn, fp = len(linked_pos), len(positives) - len(linked_pos), len(linked_neg)
    print(f"thresholds: jaccard >= {neardup.JACCARD_THRESHOLD}, containment >= {neardup.CONTAINMENT_THRESHOLD}; "
          f"LSH {neardup.BANDS} bands x {neardup.ROWS} rows over {neardup.SHINGLE_WORDS}-word shingles")
    print(f"positives {len(positives)}, negatives {len(negatives)}")
    print(f"precision {tp / max(1, tp + fp):.3f}  recall {tp / max(1, len(positives)):.3f}  "
          f"(true links {tp}, missed {fn}, false links {fp})")
    print("similarity ranges (jaccard / containment):")
    for name in sorted({p[0] for p in positives}):
        sims = [p[1] for p in positives if p[0] == name]
        print(f"  {name:<24} jaccard {min(s.jaccard for s in sims):.2f}-{max(s.jaccard for s in sims):.2f}"
              f"  containment {min(s.containment for s in sims):.2f}-{max(s.containment for s in sims):.2f}"
              f"  lsh candidates {sum(p[2] for p in positives if p[0] == name)}/{len(sims)}")
    for name in ("different pages", "same event"):
        sims = [n[1] for n in negatives if n[0] == name]
        print(f"  {name:<24} jaccard max {max(s.jaccard for s in sims):.3f}  containment max "
              f"{max(s.containment for s in sims):.3f}")


def measure_cost(stored_counts: list[int], rng: random.Random) -> None:
    from sqlalchemy.orm import Session

    from storage.db import make_engine, upgrade
    from storage.models import LshBucket
    from storage.repository import near_duplicate_candidates

    print("look-up cost in the database LSH index (SQLite file):")
    for count in stored_counts:
        with tempfile.TemporaryDirectory() as folder:
            engine = make_engine(f"sqlite:///{folder}/bench.db")
            upgrade(engine)
            raw = engine.raw_connection()  # bulk load the index directly (no article rows needed)
            raw.execute("PRAGMA foreign_keys = OFF")
            raw.execute("BEGIN")
            raw.executemany(
                f"INSERT INTO {LshBucket.__tablename__} (band, bucket, article_id) VALUES (?, ?, ?)",
                ((band, rng.getrandbits(62), article_id) for article_id in range(1, count + 1)
                 for band in range(neardup.BANDS)),
            )
            raw.execute("COMMIT")
            raw.close()
            texts = [" ".join(rng.sample(PARAGRAPHS, 4)) for _ in range(200)]
            start = time.perf_counter()
            for text in texts:
                _, keys = neardup.lsh_keys(text)
                with Session(engine) as session:
                    near_duplicate_candidates(session, keys)
            per = (time.perf_counter() - start) / len(texts)
            engine.dispose()
        print(f"  {count:>8} stored signatures: {1000 * per:.2f} ms per article (shingles + MinHash + query)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(Path(__file__).resolve().parents[2] / "shared" / "corpus"))
    parser.add_argument("--stored", type=int, nargs="*", default=[10_000, 100_000])
    args = parser.parse_args()
    rng = random.Random(7)
    corpus = Path(args.corpus)
    bodies = corpus_bodies(corpus) if (corpus / "truth.jsonl").exists() else []
    if bodies:
        measure_quality(bodies + [" ".join(PARAGRAPHS[i: i + 5]) for i in range(0, 15, 5)], rng)
    else:
        print(f"corpus not found at {corpus}: quality measured on the test world's paragraphs only")
        measure_quality([" ".join(PARAGRAPHS[i: i + 5]) for i in range(0, 15, 5)], rng)
    measure_cost(args.stored, rng)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
