#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what is needed, then runs pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
exec .venv/bin/python -m pytest -n 2 -q "$@"
