#!/usr/bin/env bash
# Peak memory over a long run: twload at RATE (10,000/s) with server close against its built-in server for
# DURATION seconds (300), sampling the process's resident set (VmRSS) every second. Passes when the peak
# stays below 64 MiB and nothing grows after the first 10 s (at most 1 MiB above the RSS at 10 s).
# Root: the run happens in a private network namespace created here (loopback only) and ends by itself.
#   sudo Benchmarks/memory.sh             # RATE=10000 DURATION=300
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${RATE:-10000}
DURATION=${DURATION:-300}
. Benchmarks/namespace-setup.sh memory
export RATE DURATION
unshare -n bash -c '
  set -euo pipefail
  ip link set lo up
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  "$TWLOAD" --rate "$RATE" --duration "$DURATION" --close server --csv "$work/run.csv" > "$work/summary.txt" 2>&1 &
  pid=$!
  t=0
  while kill -0 "$pid" 2>/dev/null; do
    rss=$(awk "/^VmRSS:/ {print \$2}" "/proc/$pid/status" 2>/dev/null || true)
    [ -n "$rss" ] && echo "$t $rss" >> "$work/rss.txt"
    sleep 1
    t=$((t + 1))
  done
  wait "$pid" || true
'
awk -v d="$DURATION" -v rate="$RATE" '
  { rss[$1] = $2; if ($2 > peak) peak = $2; if ($1 >= 10 && $2 > late) late = $2; if ($1 == 10) at10 = $2; last = $1 }
  END {
    printf "twload --rate %d --close server, %d s (built-in server, namespace); VmRSS every second:\n", rate, d
    for (t = 0; t <= last; t += (last > 60 ? 30 : 5)) if (t in rss) printf "  %4d s  %7.1f MiB\n", t, rss[t] / 1024
    growth = late - at10
    ok = (peak < 64 * 1024 && growth <= 1024) ? "pass" : "FAIL"
    printf "peak %.1f MiB, at 10 s %.1f MiB, largest after 10 s %.1f MiB (growth %+.1f MiB): %s\n", peak / 1024, at10 / 1024, late / 1024, growth / 1024, ok
  }' "$work/rss.txt"
grep -E "^  attempted|^  errors|peak TIME_WAIT" "$work/summary.txt" || true
