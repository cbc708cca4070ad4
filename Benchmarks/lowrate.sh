#!/usr/bin/env bash
# Low rate is cheap: CPU used by the whole twload process (client loop, built-in server, recorder, census)
# at --rate 10 for DURATION seconds (60), as a share of one core. Passes below 1 %.
# Root: the run happens in a private network namespace created here (loopback only) and ends by itself.
#   sudo Benchmarks/lowrate.sh            # DURATION=60 RATE=10
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${RATE:-10}
DURATION=${DURATION:-60}
. Benchmarks/namespace-setup.sh lowrate
export RATE DURATION
unshare -n bash -c '
  ip link set lo up
  /usr/bin/time -f "%e %U %S" -o "$work/time.txt" "$TWLOAD" --rate "$RATE" --duration "$DURATION" --csv /dev/null >/dev/null 2>&1
'
read -r elapsed user sys < "$work/time.txt"
awk -v e="$elapsed" -v u="$user" -v s="$sys" -v r="$RATE" 'BEGIN {
  pct = (u + s) / e * 100
  printf "twload --rate %d for %.1f s: user %.2f s, sys %.2f s = %.2f %% of one core: %s\n", r, e, u, s, pct, (pct < 1 ? "pass" : "FAIL")
}'
