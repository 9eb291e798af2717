#!/usr/bin/env bash
# Install with the test tools, then run what CI runs: ruff (lint and format), mypy, the whole suite.
#   scripts/test.sh              everything
#   scripts/test.sh -m "not slow"   extra arguments go to pytest (here: the fast loop)
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh --test || exit 1
status=0
echo "== ruff check" && .venv/bin/ruff check . || status=1
echo "== ruff format --check" && .venv/bin/ruff format --check . || status=1
echo "== mypy" && .venv/bin/mypy || status=1
echo "== pytest"
.venv/bin/python -m pytest -n 2 "$@"
tests=$?
if [ "$tests" -eq 5 ]; then
  echo "pytest collected no tests: failing" >&2
  tests=1
fi
[ "$tests" -ne 0 ] && status=$tests
exit "$status"
