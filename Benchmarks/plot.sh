#!/usr/bin/env bash
# twload plot on an hour of rows: renders a 3,600-row CSV with the release binary as SVG and as HTML, and
# prints the time and the size of each. Passes when each takes under 1 s (wall clock, best of RUNS=3) and
# each file is under 2 MB. No root, no traffic.
# Two CSVs, both with every column of a run:
#   collapse: the rows of docs/collapse.csv repeated with elapsed_s increasing (what a real hour looks like);
#   noisy:    every cell random, so no flat stretch is merged (the largest file a plot can make of an hour).
#   Benchmarks/plot.sh            # ROWS=3600 RUNS=3; TWLOAD= picks the binary (default: release build)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-3600}
RUNS=${RUNS:-3}
if [ -z "${TWLOAD:-}" ]; then
  swift build -c release >/dev/null
  TWLOAD="$(swift build -c release --show-bin-path)/twload"
fi
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

# The collapse run's rows (docs/collapse.csv has every column of a run), again and again, one second apart.
awk -F, -v rows="$ROWS" 'BEGIN { OFS = "," }
  NR == 1 { print; next }
  { line[n++] = $0 }
  END {
    for (i = 0; i < rows; i++) {
      split(line[i % n], c, ",")
      out = sprintf("%d.000", i + 1)
      for (k = 2; k in c; k++) out = out "," c[k]
      print out
    }
  }' docs/collapse.csv >"$work/collapse.csv"

# Every cell random.
head -1 "$work/collapse.csv" | awk -F, -v rows="$ROWS" 'BEGIN { srand(15) }
  {
    print
    for (i = 0; i < rows; i++) {
      out = sprintf("%d.000", i + 1)
      for (k = 2; k <= NF; k++) out = out "," int(1 + rand() * 100000)
      print out
    }
  }' >"$work/noisy.csv"

status=0
for csv in collapse noisy; do
  for format in svg html; do
    best=""
    for _ in $(seq "$RUNS"); do
      start=$(date +%s%N)
      "$TWLOAD" plot "$work/$csv.csv" -o "$work/$csv.$format"
      end=$(date +%s%N)
      ms=$(((end - start) / 1000000))
      if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
    done
    bytes=$(stat -c %s "$work/$csv.$format")
    verdict=pass
    if [ "$best" -ge 1000 ] || [ "$bytes" -ge 2000000 ]; then verdict=FAIL; status=1; fi
    printf '%-8s %-4s %5d rows: %4d ms, %8d bytes: %s\n' "$csv" "$format" "$ROWS" "$best" "$bytes" "$verdict"
  done
done
exit "$status"
