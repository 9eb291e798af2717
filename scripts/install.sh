#!/usr/bin/env bash
# Create .venv (Python 3.11) and install akhbar with pinned dependencies.
#   scripts/install.sh          runtime only
#   scripts/install.sh --test   runtime and test tools
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3.11}
command -v "$python" >/dev/null 2>&1 || python=python3
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
# The system pip (23.x) cannot resolve lxml's extras: upgrade it inside the venv first.
.venv/bin/python -m pip install --quiet --disable-pip-version-check "pip==26.3"
requirements=requirements.txt
[ "${1:-}" = "--test" ] && requirements=requirements-dev.txt
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
