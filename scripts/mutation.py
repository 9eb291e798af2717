#!/usr/bin/env python3
"""Mutation testing of one rule package at a time (mutmut 3), printing its score.

    .venv/bin/python scripts/mutation.py urls            # one target
    .venv/bin/python scripts/mutation.py --list          # the targets and their files
    .venv/bin/python scripts/mutation.py dedup --survivors

Each run works in a temporary copy of the tracked files (the checkout is never touched), mutates
the target's modules, and runs the unit tests (``tests/unit``, not the slow ones) against each
mutant.  The score is killed / (every mutant - the equivalent ones), where a mutant no test
reaches counts as not killed.  Equivalent mutants are listed, with the reason, in
docs/testing.md as ``- `MUTANT_NAME`: reason``.  Not part of CI (minutes per target); the habit
and the figures are in docs/testing.md.  Exit code: 0 when the score reaches --min (default 0).
"""

from __future__ import annotations

import argparse
import fnmatch
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGETS: dict[str, list[str]] = {
    "urls": ["crawler/text/urls.py"],
    "dedup": ["crawler/dedup/neardup.py", "crawler/dedup/verdict.py"],
    "dates": ["crawler/extraction/published.py", "crawler/extraction/arabic_dates.py", "crawler/text/timestamps.py"],
    "bylines": ["crawler/extraction/bylines.py"],
    "feeds": ["crawler/feedparse/feed.py", "crawler/feedparse/sitemap.py"],
    "batch": ["crawler/writing/batch.py"],
    "arabic": ["crawler/text/arabic.py"],
}
EQUIVALENT = re.compile(r"^- `([\w.]+__mutmut_[\d*]+)`: (.+)$", re.MULTILINE)  # a name, or a * pattern
STATUS = re.compile(r"^\s*([\w.]+__mutmut_\d+): (.+)$", re.MULTILINE)


# The behaviour tests; the layout and docs tests read the tree, which mutmut rewrites.
TEST_SELECTION = [
    "tests/unit",
    "-m",
    "not slow",
    "--ignore=tests/unit/test_layout.py",
    "--ignore=tests/unit/test_docs.py",
]


def mutmut_config(files: list[str], top_level: list[str]) -> str:
    def strings(values: list[str]) -> str:
        return ", ".join(f'"{value}"' for value in values)

    return (
        "\n[tool.mutmut]\n"
        f"source_paths = [{strings(files)}]\n"
        f"pytest_add_cli_args_test_selection = [{strings(TEST_SELECTION)}]\n"
        f"also_copy = [{strings(top_level)}]\n"
    )


def copy_tracked_tree(destination: Path) -> list[str]:
    """Copy the tracked files; returns the top-level names (mutmut copies them next to the mutants)."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    top_level = set()
    for name in filter(None, files.decode().split("\0")):
        source = REPO / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
            top_level.add(name.split("/", 1)[0])
    return sorted(top_level - {"pyproject.toml", "tests"})


def equivalents() -> dict[str, str]:
    testing = REPO / "docs" / "testing.md"
    return dict(EQUIVALENT.findall(testing.read_text(encoding="utf-8"))) if testing.exists() else {}


def run_target(name: str, children: int, keep: Path | None, show_survivors: bool) -> float:
    files = TARGETS[name]
    work = keep or Path(tempfile.mkdtemp(prefix=f"akhbar-mutation-{name}-"))
    if keep is None or not (work / "pyproject.toml").exists():
        top_level = copy_tracked_tree(work)
        with (work / "pyproject.toml").open("a", encoding="utf-8") as config:
            config.write(mutmut_config(files, top_level))
    mutmut = str(Path(sys.executable).parent / "mutmut")
    print(f"{name}: mutating {', '.join(files)} in {work}", file=sys.stderr)
    subprocess.run([mutmut, "run", "--max-children", str(children)], cwd=work, stdout=subprocess.DEVNULL, check=False)
    results = subprocess.run([mutmut, "results", "--all", "true"], cwd=work, capture_output=True, text=True)
    statuses = dict(STATUS.findall(results.stdout))
    known = equivalents()

    def listed_equivalent(mutant: str) -> bool:
        return any(fnmatch.fnmatchcase(mutant, pattern) for pattern in known)

    counted = {mutant: status for mutant, status in statuses.items() if not listed_equivalent(mutant)}
    tally = Counter(counted.values())
    killed = tally["killed"]
    score = killed / len(counted) if counted else 1.0
    listed = len(statuses) - len(counted)
    print(
        f"{name}: {killed}/{len(counted)} killed = {score:.1%} "
        f"({', '.join(f'{status} {n}' for status, n in sorted(tally.items()))}; {listed} equivalent, listed)"
    )
    if show_survivors:
        for mutant, status in sorted(counted.items()):
            if status != "killed":
                print(f"  {status}: {mutant}")
    if keep is None:
        shutil.rmtree(work, ignore_errors=True)
    return score


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("targets", nargs="*", help=f"targets ({', '.join(TARGETS)}); default: all")
    parser.add_argument("--list", action="store_true", help="list the targets and their modules")
    parser.add_argument("--survivors", action="store_true", help="list the mutants that were not killed")
    parser.add_argument("--children", type=int, default=2, help="mutants run at once [default: 2]")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (for `mutmut show NAME`)")
    parser.add_argument("--min", type=float, default=0.0, help="exit 1 when a score is below this (0-1)")
    args = parser.parse_args()
    if args.list:
        for name, files in TARGETS.items():
            print(f"{name}: {' '.join(files)}")
        return 0
    unknown = [name for name in args.targets if name not in TARGETS]
    if unknown:
        parser.error(f"unknown target(s): {', '.join(unknown)}")
    scores = [run_target(name, args.children, args.keep, args.survivors) for name in (args.targets or list(TARGETS))]
    return 0 if all(score >= args.min for score in scores) else 1


if __name__ == "__main__":
    sys.exit(main())
