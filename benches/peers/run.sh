#!/usr/bin/env bash
# Side-by-side benchmark of triage-sim against SimPy and Ciw (see BENCHMARKS.md).
# Creates a pinned virtual environment in benches/peers/.venv, builds triage-sim, runs compare.py.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$here/.venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet -r "$here/requirements.txt"
fi
(cd "$root" && cargo build --release --quiet)
exec "$venv/bin/python" "$here/compare.py"
