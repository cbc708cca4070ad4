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
# The census walks the kernel's whole TCP hash, every namespace's sockets included, so a table still full
# of another run's TIME_WAIT sockets (they last 60 s) costs this run CPU that is not its own.
tw=$(awk '/^TCP:/ { for (i = 1; i < NF; i++) if ($i == "tw") print $(i + 1) }' /proc/net/sockstat)
if [ "${tw:-0}" -gt 1000 ]; then
  echo "note: $tw TIME_WAIT sockets in this namespace at the start (a recent run's); each census sample walks them"
fi
unshare -n bash -c '
  ip link set lo up
  /usr/bin/time -f "%e %U %S" -o "$work/time.txt" "$TWLOAD" --rate "$RATE" --duration "$DURATION" --csv /dev/null >/dev/null 2>&1
'
read -r elapsed user sys < "$work/time.txt"
awk -v e="$elapsed" -v u="$user" -v s="$sys" -v r="$RATE" 'BEGIN {
  pct = (u + s) / e * 100
  printf "twload --rate %d for %.1f s: user %.2f s, sys %.2f s = %.2f %% of one core: %s\n", r, e, u, s, pct, (pct < 1 ? "pass" : "FAIL")
}'
