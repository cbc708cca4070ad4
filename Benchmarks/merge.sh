#!/usr/bin/env bash
# twload merge on an hour of a fleet: AGENTS (8) agents × ROWS (3,600) one-second intervals, each with its CSV,
# its manifest and its five histogram logs. Passes when the merge takes under 5 s (wall clock, best of RUNS=3)
# and its peak resident set stays under 256 MiB (GNU time's maximum RSS). No root.
# The agents' files are one real agent's, repeated: a 3 s run at 2,000/s on loopback against the built-in
# server (so each interval's histograms hold about 2,000 real samples), its rows and log lines written again
# and again with rising interval_index and timestamps, for agent 0 … AGENTS-1.
#   Benchmarks/merge.sh            # AGENTS=8 ROWS=3600 RUNS=3; TWLOAD= picks the binary (default: release build)
set -euo pipefail
cd "$(dirname "$0")/.."
AGENTS=${AGENTS:-8}
ROWS=${ROWS:-3600}
RUNS=${RUNS:-3}
if [ -z "${TWLOAD:-}" ]; then
  swift build -c release >/dev/null
  TWLOAD="$(swift build -c release --show-bin-path)/twload"
fi
[ -x /usr/bin/time ] || { echo "merge.sh: needs GNU time (/usr/bin/time, Debian's time package)" >&2; exit 2; }
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

"$TWLOAD" --rate 2000 --duration 3 --agent 0/1 --run-id bench --out "$work/seed" --quiet
for ((a = 0; a < AGENTS; a++)); do
  dir="$work/agent-$a"
  mkdir -p "$dir"
  # The CSV: the seed's rows again and again; interval_index (last column) and agent (the one before
  # run_id's neighbour) rewritten, elapsed_s rising.
  awk -F, -v rows="$ROWS" -v agent="$a" 'BEGIN { OFS = "," }
    NR == 1 { print; next }
    { line[n++] = $0 }
    END {
      for (i = 0; i < rows; i++) {
        split(line[i % n], c, ",")
        k = length(c)
        c[1] = sprintf("%d.000", i + 1); c[k - 1] = agent; c[k] = i
        out = c[1]
        for (j = 2; j <= k; j++) out = out "," c[j]
        print out
      }
    }' "$work/seed/agent-0.csv" >"$dir/agent-$a.csv"
  sed -e "s/\"index\": 0,/\"index\": $a,/" -e "s/\"count\": 1,/\"count\": $AGENTS,/" "$work/seed/agent-0.json" \
    >"$dir/agent-$a.json"
  for log in "$work"/seed/agent-0.*.hlog; do
    name=${log##*/agent-0.}
    awk -F, -v rows="$ROWS" 'BEGIN { OFS = "," }
      /^#/ || /^"/ { print; next }
      { line[n++] = $0 }
      END {
        for (i = 0; i < rows; i++) {
          split(line[i % n], c, ",")
          print sprintf("%d.000", i), c[2], c[3], c[4]
        }
      }' "$log" >"$dir/agent-$a.$name"
  done
done
echo "merge.sh: $AGENTS agents × $ROWS intervals, $(du -sh "$work" | cut -f1) of input"

status=0
best="" peak=0
for _ in $(seq "$RUNS"); do
  /usr/bin/time -f "%e %M" -o "$work/time" "$TWLOAD" merge "$work"/agent-* -o "$work/merged.csv" \
    --summary-json "$work/merged.json" 2>"$work/merge.err" || { cat "$work/merge.err" >&2; exit 1; }
  read -r seconds kib <"$work/time"
  if [ -z "$best" ] || awk -v a="$seconds" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$seconds; fi
  [ "$kib" -gt "$peak" ] && peak=$kib
done
rows=$(($(wc -l <"$work/merged.csv") - 1))
attempted=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "attempted") c = i; next } { s += $c } END { print s }' \
  "$work/merged.csv")
printf 'twload merge: %s agents × %s intervals → %s rows (attempted %s): best %.2f s, peak RSS %.1f MiB\n' \
  "$AGENTS" "$ROWS" "$rows" "$attempted" "$best" "$(awk -v k="$peak" 'BEGIN { print k / 1024 }')"
awk -v s="$best" 'BEGIN { exit !(s < 5) }' || { echo "FAIL: $best s is not under 5 s"; status=1; }
[ "$peak" -lt $((256 * 1024)) ] || { echo "FAIL: peak RSS $peak KiB is not under 256 MiB"; status=1; }
[ "$rows" = "$ROWS" ] || { echo "FAIL: $rows merged rows, expected $ROWS"; status=1; }
[ $status = 0 ] && echo PASS
exit $status
