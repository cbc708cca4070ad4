#!/usr/bin/env bash
# Side by side: new short connections per second against the same nginx (loopback only), for twload (open
# loop at --rate 100000, and closed loop with the peers' 50 connections per thread) and the usual peers,
# plus twload against its own built-in server. Bounded: every tool runs for $SECONDS_EACH
# seconds (or a fixed count), everything started here is stopped by its PID, and nginx lives in a temp dir.
#   Benchmarks/compare.sh            # 3 rounds, prints one table (median of the rounds)
#   ONLY=builtin Benchmarks/compare.sh   # the built-in server's rows only (Benchmarks/find.sh uses them)
# Missing peers are installed with apt-get when root, or skipped with a note.
set -uo pipefail
cd "$(dirname "$0")/.."
. Benchmarks/nginx-conf.sh
SECONDS_EACH=${SECONDS_EACH:-10}
ROUNDS=${ROUNDS:-3}
PORT=${PORT:-18180}
URL="http://127.0.0.1:$PORT/"

need() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; }
if [ "$(id -u)" = 0 ]; then
  pkgs=()
  need nginx || pkgs+=(nginx-light); need wrk || pkgs+=(wrk); need ab || pkgs+=(apache2-utils)
  need h2load || pkgs+=(nghttp2-client); need httperf || pkgs+=(httperf)
  if [ ${#pkgs[@]} -gt 0 ]; then
    apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >/dev/null 2>&1 || echo "note: could not install ${pkgs[*]}"
  fi
fi
need nginx || { echo "compare: nginx is required"; exit 1; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

swift build -c release >/dev/null || exit 1
TWLOAD="$(swift build -c release --show-bin-path)/twload"
dir=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null; done; rm -rf "$dir"; }
trap cleanup EXIT
ulimit -n 65536 2>/dev/null || true

start_nginx() {  # $1 = worker count
  nginx_conf "$dir" "$1" "$PORT"
  "$NGINX" -p "$dir" -c "$dir/nginx.conf" & NGINX_PID=$!
  pids+=("$NGINX_PID")
  nginx_wait "$PORT" && return 0
  echo "compare: nginx did not start"; exit 1
}
stop_nginx() { kill "$NGINX_PID" 2>/dev/null; wait "$NGINX_PID" 2>/dev/null; }

# Runs "$@" and prints "connections_per_second errors cpu_seconds_per_10k". CPU is the client's user+sys
# over the whole process; it is divided by the connections the tool itself reports (not rate × the nominal
# duration: h2load, ab and httperf stop after a count, so their run time differs from SECONDS_EACH).
measure() {  # $1 = tool name for parsing, then the command
  local tool=$1; shift
  local out="$dir/out.txt"
  /usr/bin/time -f "%U %S" -o "$dir/time.txt" "$@" > "$out" 2>&1
  read -r u s < "$dir/time.txt"
  parse "$tool" "$out" | awk -v u="$u" -v s="$s" '{printf "%s %s %.4f", $1, $3, ($2 > 0 ? (u + s) / $2 * 10000 : 0)}'
}
parse() {  # tool output -> "conns_per_s connections errors"
  case "$1" in
    twload) awk -F, 'NR>1 {e+=$5; f+=$7} END {printf "%.0f %d %d", e/'"$SECONDS_EACH"', e, f}' "$dir/tw.csv" ;;
    wrk) awk '/Requests\/sec/ {r=$2} / requests in / {n=$1} /Socket errors|Non-2xx/ {gsub(/[^0-9 ]/," "); k=split($0,a," "); for(i=1;i<=k;i++) e+=a[i]} END {printf "%.0f %d %d", r, n, e}' "$2" ;;
    ab) awk '/Requests per second/ {r=$4} /Complete requests/ {n=$3} /Failed requests/ {e=$3} END {printf "%.0f %d %d", r, n, e}' "$2" ;;
    h2load) awk '/finished in/ {for(i=1;i<=NF;i++) if($i ~ /req\/s/) r=$(i-1)} /requests:/ {n=$0; sub(/.* done, /,"",n); sub(/ succeeded.*/,"",n); e=$0; sub(/.* failed, /,"",e); sub(/ errored.*/,"",e)} END {gsub(/,/,"",r); printf "%.0f %d %d", r, n+0, e+0}' "$2" ;;
    httperf) awk '/^Connection rate:/ {r=$3} /^Total: connections/ {n=$3} /^Errors: total/ {e=$3} END {printf "%.0f %d %d", r, n, e}' "$2" ;;
  esac
}

declare -A results
run_round() {  # $1 = nginx workers, $2 = client threads
  local w=$1 t=$2 n=$((SECONDS_EACH * 100000))
  start_nginx "$w"
  results["twload t$t nginx$w"]+="$(measure twload "$TWLOAD" --target 127.0.0.1:$PORT --protocol http --close server --rate 100000 --duration $SECONDS_EACH --threads $t --csv "$dir/tw.csv");"
  # Closed loop with the peers' connection count (wrk and h2load keep 50 per thread).
  results["twload-closed t$t nginx$w"]+="$(measure twload "$TWLOAD" --target 127.0.0.1:$PORT --protocol http --close server --concurrency $((t * 50)) --duration $SECONDS_EACH --threads $t --csv "$dir/tw.csv");"
  # The same closed loop on the experimental io_uring engine (issue 20's keep-or-delete measurement).
  results["twload-uring t$t nginx$w"]+="$(measure twload "$TWLOAD" --target 127.0.0.1:$PORT --protocol http --close server --concurrency $((t * 50)) --duration $SECONDS_EACH --threads $t --engine io_uring --csv "$dir/tw.csv");"
  need wrk && results["wrk t$t nginx$w"]+="$(measure wrk wrk -t$t -c$((t * 50)) -d${SECONDS_EACH}s -H 'Connection: close' "$URL");"
  [ "$t" = 1 ] && need ab && results["ab t1 nginx$w"]+="$(measure ab timeout $((SECONDS_EACH + 5)) ab -q -t $SECONDS_EACH -n $n -c 50 "$URL");"
  # h2load with -D and a server that closes never finishes its last connections (it waits forever
  # after "Stopped all clients"), so it gets a request count sized for its usual ~20k/s instead.
  need h2load && results["h2load t$t nginx$w"]+="$(measure h2load timeout $((SECONDS_EACH * 3 + 10)) h2load --h1 -t $t -c $((t * 50)) -n $((SECONDS_EACH * 20000)) -H 'Connection: close' "$URL" < /dev/null);"
  [ "$t" = 1 ] && need httperf && results["httperf t1 nginx$w"]+="$(measure httperf timeout $((SECONDS_EACH + 10)) httperf --server 127.0.0.1 --port $PORT --uri / --rate 30000 --num-conns $((SECONDS_EACH * 30000)) --timeout 2 --hog);"
  stop_nginx
}

builtin_round() {  # twload against its own built-in server, per close mode
  results["twload builtin client-close"]+="$(measure twload "$TWLOAD" --rate 100000 --duration $SECONDS_EACH --close client --csv "$dir/tw.csv");"
  results["twload builtin server-close"]+="$(measure twload "$TWLOAD" --rate 100000 --duration $SECONDS_EACH --close server --csv "$dir/tw.csv");"
  results["twload builtin linger-0"]+="$(measure twload "$TWLOAD" --rate 100000 --duration $SECONDS_EACH --close client --linger 0 --csv "$dir/tw.csv");"
}

for round in $(seq "$ROUNDS"); do
  [ "${ONLY:-}" = builtin ] || for w in 1 2; do for t in 1 2; do run_round $w $t; done; done
  builtin_round
done

# Median of the rounds per tool (by conn/s), its CPU-seconds per 10k connections, and its ratio to twload
# on the same target with the same client threads (ab and httperf have one thread).
printf '%s\n' "${!results[@]}" | sort | while IFS= read -r key; do
  IFS=';' read -ra runs <<< "${results[$key]}"
  printf '%s\n' "${runs[@]}" | awk 'NF' | sort -n | awk -v k="$key" -v s="$SECONDS_EACH" '
    {r[NR]=$1; e[NR]=$2; c[NR]=$3}
    END {m=int((NR+1)/2); if (m==0) exit; printf "%s|%d|%.3f|%d|%d\n", k, r[m], c[m], e[m], NR}'
done > "$dir/medians.txt"
echo "median of $ROUNDS rounds of ${SECONDS_EACH} s each (loopback; nginx keepalive_timeout 0):"
awk -F'|' '
  {split($1, w, " "); tool=w[1]; group=(w[2] == "builtin" ? "builtin" : w[3] " " w[2]); rate[$1]=$2; row[NR]=$0
   if (tool == "twload") tw[group]=$2}
  END {
    printf "%-10s %-10s %-16s %10s %18s %8s %14s\n", "target", "threads", "tool", "conn/s", "CPU s / 10k conn", "errors", "vs twload"
    for (i = 1; i <= NR; i++) {
      split(row[i], f, "|"); split(f[1], w, " "); tool=w[1]
      if (w[2] == "builtin") { target="builtin"; threads="t1"; mode=w[3]; group="builtin" }
      else { target=w[3]; threads=w[2]; mode=""; group=w[3] " " w[2] }
      ratio = (group != "builtin" && tw[group] > 0) ? sprintf("%.2f", f[2] / tw[group]) : "-"
      printf "%-10s %-10s %-16s %10d %18.3f %8d %14s\n", target, threads, tool (mode != "" ? " " mode : ""), f[2], f[3], f[4], ratio
    }
  }' "$dir/medians.txt" | (read -r header; echo "$header"; sort -k1,1 -k2,2 -k4,4nr)
