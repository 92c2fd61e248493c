#!/usr/bin/env bash
# Writes the output of every shipped scenario and of every planning command the README and
# docs/planning.md show into OUT_DIR, using the triage-sim binary BIN. Machine-dependent fields
# (`wall_s`, the progress bar) are masked so that two builds can be compared byte for byte.
#
#   tests/golden/capture.sh target/release/triage-sim /tmp/golden-new
#
# tests/golden/same-output.sh runs this for two revisions and diffs the results.
set -euo pipefail
bin="$(realpath "$1")"
out="$2"
mkdir -p "$out"
cd "$(dirname "$0")/../.."

mask() {
  sed -E 's/"wall_s": ?[0-9.eE+-]+/"wall_s": MASKED/g; s/^run,,wall_s,[^,]*,/run,,wall_s,MASKED,/;
    s/ in [0-9.]+ s \([0-9.]+ M events\/s\)/ in MASKED s/g'
}
capture() {
  local name="$1"; shift
  if "$bin" --threads 2 "$@" >"$out/$name.raw" 2>"$out/$name.stderr"; then
    echo "exit 0" >>"$out/$name.stderr"
  else
    echo "exit $?" >>"$out/$name.stderr"
  fi
  mask <"$out/$name.raw" >"$out/$name"
  rm "$out/$name.raw"
  mask <"$out/$name.stderr" >"$out/$name.stderr.masked" && mv "$out/$name.stderr.masked" "$out/$name.stderr"
}

for scenario in scenarios/*.toml; do
  name="$(basename "$scenario" .toml)"
  capture "run-$name.json" run "$scenario" --format json
  capture "run-$name.csv" run "$scenario" --format csv
  capture "check-$name.txt" check "$scenario"
done
capture "erlang-c.json" erlang --rate-per-hour 200 --aht-s 180 --agents 14 --target-s 20 --format json
capture "erlang-a.json" erlang --rate-per-hour 200 --aht-s 180 --agents 14 --target-s 20 --patience-s 300 --format json

s2024=scenarios/staffordshire-2024.toml
capture staff-999.json staff "$s2024" --channel 999 --set channels.999.target.fraction=0.97 --replications 4 --format json
capture staff-999.csv staff "$s2024" --channel 999 --set channels.999.target.fraction=0.97 --replications 4 --format csv
capture staff-nights.json staff "$s2024" --group nights --replications 4 --format json
capture staff-mix.json staff "$s2024" --vary triage.officers=2..4 --replications 2 \
  --set handlers.cost_per_handler=42000 --set triage.cost_per_officer=55000 --format json
capture staff-every-hour.json staff scenarios/mm14-patience.toml --every-interval hour-of-week --format json
capture staff-by-interval.json staff "$s2024" --by-interval --format json
capture staff-by-interval.csv staff "$s2024" --by-interval --format csv
capture compare.json compare scenarios/staffordshire-2023.toml "$s2024" --replications 4 --format json
capture compare.csv compare scenarios/staffordshire-2023.toml "$s2024" --replications 4 --format csv
capture sweep-1d.json sweep scenarios/mm14-patience.toml --vary handlers.count=12..16 --format json
capture sweep-1d.csv sweep scenarios/mm14-patience.toml --vary handlers.count=12..16 --format csv
capture sweep-2d.json sweep scenarios/mm14-patience.toml --vary handlers.count=13..15 \
  --vary channels.calls.arrivals.rate_per_hour=180..220:20 --format json

# Charts and the report: SVG text is deterministic too.
charts="$out/charts"
mkdir -p "$charts"
capture chart-staff.log staff "$s2024" --channel 999 --set channels.999.target.fraction=0.97 --replications 4 --chart "$charts/staffing-curve.svg"
capture chart-hour.log run scenarios/staffordshire-2022.toml --replications 4 --chart "$charts/hour-of-week.svg"
capture chart-wait.log run "$s2024" --replications 2 --chart-kind wait --chart "$charts/wait.svg"
capture chart-trend.log run "$s2024" --replications 2 --chart-kind trend --chart "$charts/trend.svg"
capture chart-compare.log compare scenarios/staffordshire-2023.toml "$s2024" --replications 4 --chart "$charts/compare.svg"
capture chart-interval.log staff "$s2024" --by-interval --chart "$charts/interval.svg"
capture chart-sweep-1d.log sweep scenarios/mm14-patience.toml --vary handlers.count=12..16 --chart "$charts/sweep-1d.svg"
capture chart-sweep-2d.log sweep scenarios/mm14-patience.toml --vary handlers.count=13..15 \
  --vary channels.calls.arrivals.rate_per_hour=180..220:20 --chart "$charts/sweep-2d.svg"
capture report.log report "$s2024" --replications 2 -o "$charts/report.html"
# The report names its own -o path in "Reproduce"; the two builds write to different folders.
sed -i -E "s# -o [^ <]*/charts/report.html# -o OUT/charts/report.html#" "$charts/report.html"
