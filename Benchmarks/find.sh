#!/usr/bin/env bash
# `twload find` against what a person measures by hand (issue 18). Loopback only, in this host's namespace
# like compare.sh; every process started here ends by its PID, nginx lives in a temp dir. About 15 minutes.
#  1. The built-in server with --close server, then --linger 0, beside the saturated rate compare.sh measures
#     (ONLY=builtin, the median of its rounds): established ÷ 10 s at --rate 100000, with no bound on lag.
#     find asks the same question with throughput criteria (no failure, established ≥ 99 % of the schedule):
#     PASS within 10 %. With its default criteria (lag and connect p99 under 10 ms too) it reports the knee
#     below saturation, printed beside it.
#  2. Debian nginx with 1 worker (keepalive_timeout 0, so it closes first): find's maximum beside a manual
#     stepped search, one `twload run --duration 10s` per rate from 70 % to 130 % of find's maximum in 5 %
#     steps, each judged by the same default criteria (--fail-on), up to the first that fails. PASS within 10 %.
#   Benchmarks/find.sh          # DWELL=10s, ROUNDS=3 (compare.sh's)
set -uo pipefail
cd "$(dirname "$0")/.."
. Benchmarks/nginx-conf.sh
DWELL=${DWELL:-10s}
export ROUNDS=${ROUNDS:-3}
PORT=${PORT:-18181}
swift build -c release >/dev/null || exit 1
TWLOAD="$(swift build -c release --show-bin-path)/twload"
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || { echo "find.sh: nginx is required"; exit 1; }
dir=$(mktemp -d)
nginx_pid=
cleanup() { [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
ulimit -n 65536 2>/dev/null || true
status=0

# "highest rate held for 10 s: 27200/s, ..." -> 27200
find_max() { sed -n 's/^highest rate held for [0-9.]* s: \([0-9.]*\)\/s.*/\1/p' "$1" | head -1; }
within() {  # $1 label, $2 find's, $3 reference
  awk -v l="$1" -v f="$2" -v r="$3" 'BEGIN {
    if (r <= 0 || f <= 0) { printf "%s: find %s/s, reference %s/s: FAIL (no figure)\n", l, f, r; exit 1 }
    d = (f - r) / r * 100; ok = (d <= 10 && d >= -10)
    printf "%s: find %d/s, reference %d/s (%+.1f %%): %s\n", l, f, r, d, ok ? "PASS" : "FAIL"; exit !ok }'
}

echo "== 1. the built-in server: compare.sh (ONLY=builtin, $ROUNDS rounds) beside find --dwell $DWELL"
ONLY=builtin bash Benchmarks/compare.sh | tee "$dir/compare.txt"
throughput=(--criteria "failed == 0" --criteria "established >= 0.99 * target")
for mode in server-close linger-0; do
  ref=$(awk -v m="$mode" '$1 == "builtin" && $4 == m {print $5}' "$dir/compare.txt")
  args=(--close server)
  [ "$mode" = linger-0 ] && args=(--close client --linger 0)
  "$TWLOAD" find "${args[@]}" "${throughput[@]}" --dwell "$DWELL" --min 1000 --csv /dev/null 2> "$dir/find-$mode.txt"
  cat "$dir/find-$mode.txt"
  within "built-in $mode, throughput criteria" "$(find_max "$dir/find-$mode.txt")" "$ref" || status=1
  "$TWLOAD" find "${args[@]}" --dwell "$DWELL" --min 1000 --csv /dev/null 2> "$dir/knee-$mode.txt"
  cat "$dir/knee-$mode.txt"
  knee=$(find_max "$dir/knee-$mode.txt")
  awk -v m="$mode" -v k="$knee" -v r="$ref" 'BEGIN { printf "built-in %s, default criteria (the knee): find %d/s, %.0f %% of the saturated %d/s\n", m, k, k / r * 100, r }'
done

echo "== 2. nginx, 1 worker: find beside a manual stepped run"
nginx_conf "$dir" 1 "$PORT"
"$NGINX" -p "$dir" -c "$dir/nginx.conf" & nginx_pid=$!
nginx_wait "$PORT"
target=(--target 127.0.0.1:$PORT --protocol http --close server)
"$TWLOAD" find "${target[@]}" --dwell "$DWELL" --min 500 --csv "$dir/find-nginx.csv" 2> "$dir/find-nginx.txt"
cat "$dir/find-nginx.txt"
found=$(find_max "$dir/find-nginx.txt")
# By hand: one run per rate, judged by the same criteria, until one fails.
criteria=(--fail-on "failed == 0" --fail-on "missed == 0" --fail-on "established >= 0.99 * target"
  --fail-on "lag_p99_us < 10000" --fail-on "connect_p99_us < 10000")
manual=0
for pct in $(seq 70 5 130); do
  rate=$(awk -v m="$found" -v p="$pct" 'BEGIN { printf "%d", m * p / 100 }')
  if "$TWLOAD" run "${target[@]}" --rate "$rate" --duration "$DWELL" "${criteria[@]}" --csv /dev/null --quiet \
    2> "$dir/manual.txt"; then
    echo "  by hand, $rate/s: held"; manual=$rate
  else
    echo "  by hand, $rate/s: failed: $(tr '\n' ' ' < "$dir/manual.txt")"; break
  fi
done
within "nginx 1 worker" "$found" "$manual" || status=1
kill "$nginx_pid" 2>/dev/null; wait "$nginx_pid" 2>/dev/null; nginx_pid=
exit $status
