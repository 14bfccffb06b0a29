#!/usr/bin/env bash
# Sets up everything the tests need, then runs them: the README's test command.
#   bash tests/run.sh            # whole suite
#   bash tests/run.sh -k privacy # pytest arguments pass through
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -e ".[all,test]"
exec "$VENV/bin/python" -m pytest -q "$@"
