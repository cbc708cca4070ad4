#!/usr/bin/env bash
# Does io_uring cut the client's CPU per short connection? (issue 20). Before building an io_uring engine
# into twload, the same closed-loop workload (50 connections in flight, `GET /` with `Connection: close`,
# read to the server's FIN, close) runs against one nginx worker on loopback through three plain C clients:
#   epoll        non-blocking sockets and edge-triggered epoll: twload's syscall pattern;
#   uring        liburing: a linked connect -> send -> recv chain, recv until EOF, an io_uring close;
#   uring-chain  one hard-linked connect -> send -> recv(MSG_WAITALL) -> close chain per connection;
# and twload itself (`--concurrency 50 --threads 1`). Median of ROUNDS rounds of SECONDS each: conn/s and the
# client's CPU (user + system) per 10k connections. The issue's bar for keeping io_uring: ≥ 10 % less CPU
# per connection, or ≥ 10 % more connections per second, than epoll.
# Loopback only; nginx lives in a temp dir and every process started here ends by itself or by its PID.
#   sudo Benchmarks/iouring.sh              # ROUNDS=3 SECONDS_EACH=5 CONCURRENCY=50
set -uo pipefail
cd "$(dirname "$0")/.."
. Benchmarks/nginx-conf.sh
ROUNDS=${ROUNDS:-3}
SECONDS_EACH=${SECONDS_EACH:-5}
CONCURRENCY=${CONCURRENCY:-50}
PORT=${PORT:-18181}
if [ ! -f /usr/include/liburing.h ] && [ "$(id -u)" = 0 ]; then
  apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq liburing-dev >/dev/null 2>&1
fi
[ -f /usr/include/liburing.h ] || { echo "iouring: needs liburing-dev"; exit 1; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || { echo "iouring: needs nginx"; exit 1; }
swift build -c release >/dev/null || exit 1
TWLOAD="$(swift build -c release --show-bin-path)/twload"
dir=$(mktemp -d)
NGINX_PID=
trap '[ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null; rm -rf "$dir"' EXIT
cc -O2 -Wall -o "$dir/epoll_loop" Benchmarks/iouring/epoll_loop.c || exit 1
cc -O2 -Wall -o "$dir/uring_loop" Benchmarks/iouring/uring_loop.c -luring || exit 1
nginx_conf "$dir" 1 "$PORT"
"$NGINX" -p "$dir" -c "$dir/nginx.conf" & NGINX_PID=$!
nginx_wait "$PORT"

# "conn/s cpu_s_per_10k failed" from a C client's "connections cpu_seconds failed". $1 = the client, $2 = its
# optional mode (uring_loop's `chain`).
c_client() {
  "$1" 127.0.0.1 "$PORT" "$CONCURRENCY" "$SECONDS_EACH" ${2:+"$2"} | awk -v s="$SECONDS_EACH" \
    '{printf "%.0f %.4f %d\n", $1 / s, ($1 > 0 ? $2 / $1 * 10000 : 0), $3}'
}
twload_client() {
  /usr/bin/time -f "%U %S" -o "$dir/time.txt" "$TWLOAD" --target 127.0.0.1:$PORT --protocol http --close server \
    --concurrency "$CONCURRENCY" --threads 1 --duration "$SECONDS_EACH" --csv "$dir/tw.csv" 2>/dev/null
  read -r u s < "$dir/time.txt"
  awk -F, -v s="$SECONDS_EACH" -v cpu="$(echo "$u + $s" | bc)" \
    'NR>1 {e+=$5; f+=$7} END {printf "%.0f %.4f %d\n", e / s, (e > 0 ? cpu / e * 10000 : 0), f}' "$dir/tw.csv"
}
declare -A runs
for round in $(seq "$ROUNDS"); do
  runs[epoll]+="$(c_client "$dir/epoll_loop");"
  runs[uring]+="$(c_client "$dir/uring_loop");"
  runs[uring-chain]+="$(c_client "$dir/uring_loop" chain);"
  runs[twload]+="$(twload_client);"
done
echo "median of $ROUNDS rounds of $SECONDS_EACH s, $CONCURRENCY connections in flight, 1 client thread, nginx 1 worker:"
printf '%-12s %10s %18s %8s %12s\n' client conn/s "CPU s / 10k conn" failed "CPU vs epoll"
base=""
for c in epoll uring uring-chain twload; do
  IFS=';' read -ra rs <<< "${runs[$c]}"
  med=$(printf '%s\n' "${rs[@]}" | awk 'NF' | sort -n | awk '{r[NR]=$0} END {print r[int((NR+1)/2)]}')
  read -r rate cpu failed <<< "$med"
  [ -z "$base" ] && base=$cpu
  printf '%-12s %10d %18.3f %8d %12s\n' "$c" "$rate" "$cpu" "$failed" "$(awk -v a="$cpu" -v b="$base" 'BEGIN {printf "%+.1f %%", (a / b - 1) * 100}')"
done
