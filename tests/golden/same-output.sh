#!/usr/bin/env bash
# Proves a refactor changed no output: builds BASE (default: the merge base with origin/main, or
# HEAD~1) in a temporary worktree, builds the working tree, runs tests/golden/capture.sh with
# both binaries and diffs everything they wrote (JSON, CSV, tables' stderr, SVG charts, the
# HTML report). Exit 0 when byte-identical apart from the masked wall-clock fields.
#
#   tests/golden/same-output.sh            # against HEAD~1
#   tests/golden/same-output.sh v0.1.0     # against any revision
set -euo pipefail
cd "$(dirname "$0")/../.."
base="${1:-HEAD~1}"
work="$(mktemp -d)"
trap 'git worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

git worktree add --detach "$work/base" "$base" >/dev/null
# The capture script is the working tree's, so a new capture line applies to both builds.
(cd "$work/base" && CARGO_TARGET_DIR="$PWD/../base-target" cargo build --release --quiet)
cargo build --release --quiet
tests/golden/capture.sh "$work/base-target/release/triage-sim" "$work/before"
tests/golden/capture.sh target/release/triage-sim "$work/after"
if diff -r "$work/before" "$work/after" >"$work/diff"; then
  echo "same output: $(find "$work/after" -type f | wc -l) files byte-identical to $base"
else
  head -n 60 "$work/diff"
  echo "output differs from $base (above)" >&2
  exit 1
fi
