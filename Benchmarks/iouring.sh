#!/usr/bin/env bash
# Does io_uring cut the client's CPU per short connection? (issue 20). Before building an io_uring engine
# into twload, the same closed-loop workload (50 connections in flight, `GET /` with `Connection: close`,
# read to the server's FIN, close) runs against one nginx worker on loopback through three plain C clients:
#   epoll        non-blocking sockets and edge-triggered epoll: twload's syscall pattern;
#   uring        liburing: a linked connect -> send -> recv chain, recv until EOF, an io_uring close;
#   uring-chain  one hard-linked connect -> send -> recv(MSG_WAITALL) -> close chain per connection;
# and twload itself (`--concurrency`, on epoll and on `--engine io_uring`), and wrk when it is installed.
# Median of ROUNDS rounds of SECONDS each: conn/s and the client's CPU (user + system) per 10k connections.
# The issue's bar for keeping io_uring: ≥ 10 % less CPU per connection, or ≥ 10 % more connections per
# second, than epoll.
# THREADS=N (default 1) runs N copies of each C client side by side (N × CONCURRENCY in flight, like
# twload --threads N and wrk -tN): the bare C clients then bound what any client of that design reaches
# against the same nginx, measurement-free, which says whether a lead over wrk is within reach at all.
# Loopback only; nginx lives in a temp dir and every process started here ends by itself or by its PID.
#   sudo Benchmarks/iouring.sh              # ROUNDS=3 SECONDS_EACH=5 CONCURRENCY=50 THREADS=1
set -uo pipefail
cd "$(dirname "$0")/.."
. Benchmarks/nginx-conf.sh
ROUNDS=${ROUNDS:-3}
SECONDS_EACH=${SECONDS_EACH:-5}
CONCURRENCY=${CONCURRENCY:-50}
THREADS=${THREADS:-1}
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

# "conn/s cpu_s_per_10k failed" from THREADS copies of a C client side by side, each printing "connections
# cpu_seconds failed". $1 = the client, $2 = its optional mode (uring_loop's `chain`).
c_client() {
  local i cpids=()
  for i in $(seq "$THREADS"); do
    "$1" 127.0.0.1 "$PORT" "$CONCURRENCY" "$SECONDS_EACH" ${2:+"$2"} > "$dir/c.$i" & cpids+=($!)
  done
  wait "${cpids[@]}"
  cat "$dir"/c.* | awk -v s="$SECONDS_EACH" '{n+=$1; cpu+=$2; f+=$3}
    END {printf "%.0f %.4f %d\n", n / s, (n > 0 ? cpu / n * 10000 : 0), f}'
  rm -f "$dir"/c.*
}
twload_client() {  # extra twload options (the engine)
  /usr/bin/time -f "%U %S" -o "$dir/time.txt" "$TWLOAD" --target 127.0.0.1:$PORT --protocol http --close server \
    --concurrency $((CONCURRENCY * THREADS)) --threads "$THREADS" --duration "$SECONDS_EACH" --csv "$dir/tw.csv" \
    "$@" 2>/dev/null
  read -r u s < "$dir/time.txt"
  awk -F, -v s="$SECONDS_EACH" -v cpu="$(echo "$u + $s" | bc)" \
    'NR>1 {e+=$5; f+=$7} END {printf "%.0f %.4f %d\n", e / s, (e > 0 ? cpu / e * 10000 : 0), f}' "$dir/tw.csv"
}
wrk_client() {
  /usr/bin/time -f "%U %S" -o "$dir/time.txt" wrk -t"$THREADS" -c$((CONCURRENCY * THREADS)) -d"${SECONDS_EACH}s" \
    -H 'Connection: close' "http://127.0.0.1:$PORT/" > "$dir/wrk.txt" 2>&1
  read -r u s < "$dir/time.txt"
  awk -v cpu="$(echo "$u + $s" | bc)" '/Requests\/sec/ {r=$2} / requests in / {n=$1}
    /Socket errors|Non-2xx/ {gsub(/[^0-9 ]/," "); k=split($0,a," "); for(i=1;i<=k;i++) e+=a[i]}
    END {printf "%.0f %.4f %d\n", r, (n > 0 ? cpu / n * 10000 : 0), e}' "$dir/wrk.txt"
}
clients=(epoll uring uring-chain twload twload-uring)
command -v wrk >/dev/null && clients+=(wrk)
declare -A runs
for round in $(seq "$ROUNDS"); do
  runs[epoll]+="$(c_client "$dir/epoll_loop");"
  runs[uring]+="$(c_client "$dir/uring_loop");"
  runs[uring-chain]+="$(c_client "$dir/uring_loop" chain);"
  runs[twload]+="$(twload_client);"
  runs[twload-uring]+="$(twload_client --engine io_uring);"
  command -v wrk >/dev/null && runs[wrk]+="$(wrk_client);"
done
echo "median of $ROUNDS rounds of $SECONDS_EACH s, $CONCURRENCY connections in flight per thread, $THREADS client" \
  "thread(s) (the C clients: that many processes), nginx 1 worker:"
printf '%-12s %10s %18s %8s %12s %10s\n' client conn/s "CPU s / 10k conn" failed "CPU vs epoll" "vs wrk"
base=""
wrk_rate=$(tr ';' '\n' <<< "${runs[wrk]:-}" | awk 'NF' | sort -n | awk '{r[NR]=$1} END {print r[int((NR+1)/2)]+0}')
for c in "${clients[@]}"; do
  IFS=';' read -ra rs <<< "${runs[$c]}"
  med=$(printf '%s\n' "${rs[@]}" | awk 'NF' | sort -n | awk '{r[NR]=$0} END {print r[int((NR+1)/2)]}')
  read -r rate cpu failed <<< "$med"
  [ -z "$base" ] && base=$cpu
  printf '%-12s %10d %18.3f %8d %12s %10s\n' "$c" "$rate" "$cpu" "$failed" \
    "$(awk -v a="$cpu" -v b="$base" 'BEGIN {printf "%+.1f %%", (a / b - 1) * 100}')" \
    "$(awk -v a="$rate" -v b="$wrk_rate" 'BEGIN {if (b > 0) printf "%.2f×", a / b; else print "-"}')"
done
