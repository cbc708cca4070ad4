#!/usr/bin/env bash
# A soak (issue 14): four twload loads at once for SECONDS (1800) beside `twload watch`, while the target
# servers are paused (SIGSTOP) and resumed (SIGCONT) at random; then four checks per twload process.
#   sudo Benchmarks/soak.sh [SECONDS]     # 1800 by default, at least 45
# SOAK_OUT=DIR keeps every CSV, stderr, sample and listing there (default: a new temporary directory, kept
# and printed). TWLOAD=PATH runs that binary instead of .build/release/twload, which is built only when it
# is missing (build it first after a change). RATE=200 is each load's rate (a whole number).
# Root: the script re-runs itself in a private network namespace (unshare -n) and checks that it is not
# the host's before it sets anything. Loopback only; tcp_tw_reuse=1 there, so client-closed connections
# reuse TIME_WAIT ports and a long soak does not run out. Every process started here is bounded in time
# and is stopped by its PID on exit; the nginx it runs lives in SOAK_OUT/nginx.
#
# The processes (each twload one writes its CSV and its stderr to SOAK_OUT):
#   client-close        twload --close client, against its built-in server (server_* columns filled)
#   server-close        twload --close server, against serve-server-close
#   linger0             twload --close client --linger 0, against serve-client-close
#   http                twload --protocol http --close server, against nginx (one worker, backlog 4096)
#   serve-server-close  twload serve --close server
#   serve-client-close  twload serve --close client
#   watch               twload watch, every TCP socket in the namespace
# Chaos: every 0.5-4 s one of the two `twload serve` processes or the nginx worker gets SIGSTOP, then
# SIGCONT 0.2-3 s later (SOAK_OUT/chaos.log). Only within the main stage, and each pause ends in it.
#
# The four client loads run one schedule (a profile), so they are quiet at the same moments:
#   warm-up RATE/s for 5 s | quiet 10 s | main RATE/s for SECONDS-25 s | quiet 10 s
# "Quiet" is a 0.001/s stage, the nearest thing twload has to a pause (a stage's rate must be above 0).
# The first one holds one attempt, at its first instant (RATE × 5 attempts before it is whole); it adds
# 0.01 of an attempt, so after the main stage (RATE × its seconds, whole) the next attempt would be due
# 990 s into the last quiet stage, which holds none.
#
# Checks, each a PASS or FAIL line per twload process; a table at the end; exit status 1 if any failed:
#  1. RSS flat: VmRSS every 5 s. The largest sample after the baseline must be less than 5 % above the
#     baseline, the sample at 60 s (at SECONDS/3 for runs under 180 s: 20 s for 60 s).
#  2. No fd leak: the number of /proc/PID/fd entries 1.5 s before the end of each quiet stage (13.5 s and
#     SECONDS-1.5 s) must be equal. This is exact, not a tolerance: at both moments no connection can be
#     open in any of these processes. The last attempts started 8.5 s earlier and --timeout is 2 s (a
#     timeout fires at most 100 ms late), the servers were not paused for the last 8.5 s, and a server
#     closes its side as soon as the client's FIN, RST or request arrives. Both moments come after the
#     warm-up at full rate, so every lazily opened descriptor exists at both. The census opens
#     /proc/net/sockstat and /proc/net/netstat for microseconds once an interval; taking the least of 5
#     reads 100 ms apart, half an interval away from the boundaries, skips those, while a leaked fd is
#     in every read. The listings are kept (NAME.fd-start.txt, NAME.fd-end.txt).
#  3. CSV = summary: every total the end-of-run summary prints (SummaryReport.swift) against the sum of
#     its CSV column: attempted, established, completed, failed, missed, active and passive closes, each
#     errno, connect and exchange timeouts, protocol errors, the built-in server's accepted, closed first,
#     client closed first and resets, and the tw_recycled, tw_overflow or failed figure when the "why"
#     line quotes one. Also equal: the elapsed time and the last row's elapsed_s, peak TIME_WAIT and the
#     largest tw_total; peak open must be at least the largest `open` (the summary's peak is within an
#     interval, the column is its end). Two totals have no column: `unfinished` must be 0 (the run ends
#     quiet), and the built-in server's `errors` is only shown. For watch: "N rows written" against
#     the CSV's rows. serve has no CSV: its counts are shown beside its client's.
#  4. No crash: exit status 0 (serve is stopped by SIGTERM, after which it exits 0), no signal death, and
#     no "Fatal error" on stderr.
set -euo pipefail
self=$(readlink -f "$0")
cd "$(dirname "$self")/.."
SOAK_SECONDS=${1:-1800}
RATE=${RATE:-200}
case "$SOAK_SECONDS$RATE" in *[!0-9]*) echo "soak: SECONDS and RATE must be whole numbers"; exit 2 ;; esac
[ "$SOAK_SECONDS" -ge 45 ] || { echo "soak: SECONDS must be at least 45 (5 s warm-up, 2 × 10 s quiet)"; exit 2; }

if [ -z "${SOAK_IN_NAMESPACE:-}" ]; then
  if [ "$(id -u)" != 0 ]; then echo "soak: needs root (network namespace)"; exit 1; fi
  if [ -z "${TWLOAD:-}" ]; then
    TWLOAD=.build/release/twload
    [ -x "$TWLOAD" ] || swift build -c release >/dev/null
  fi
  [ -x "$TWLOAD" ] || { echo "soak: no twload binary at $TWLOAD"; exit 1; }
  NGINX=$(command -v nginx || echo /usr/sbin/nginx)
  [ -x "$NGINX" ] || { echo "soak: nginx is required (.ci/run installs it)"; exit 1; }
  SOAK_OUT=${SOAK_OUT:-$(mktemp -d /tmp/twload-soak.XXXXXX)}
  mkdir -p "$SOAK_OUT"
  SOAK_OUT=$(readlink -f "$SOAK_OUT")
  TWLOAD=$(readlink -f "$TWLOAD")
  export TWLOAD NGINX SOAK_OUT RATE SOAK_HOST_NETNS="$(readlink /proc/self/ns/net)" SOAK_IN_NAMESPACE=1
  exec unshare -n -- bash "$self" "$SOAK_SECONDS"
fi

# From here on: inside the private namespace.
if [ "$(readlink /proc/self/ns/net)" = "$SOAK_HOST_NETNS" ]; then
  echo "soak: still in the host's network namespace; refusing to go on"
  exit 1
fi
ip link set lo up
sysctl -qw net.ipv4.tcp_tw_reuse=1
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

T=$SOAK_SECONDS
WARM=5
QUIET=10
MAIN=$((T - WARM - 2 * QUIET))
TIMEOUT=2
if [ "$T" -ge 180 ]; then BASE=60; else BASE=$(awk -v t="$T" 'BEGIN { print t / 3 }'); fi
out=$SOAK_OUT
started=$EPOCHREALTIME

cat > "$out/schedule.yaml" <<YAML
title: Soak schedule (Benchmarks/soak.sh)
description: |
  Warm-up, quiet, main, quiet. A quiet stage is 0.001/s: one attempt at its first instant, then none, so
  nothing is in flight at its end and descriptors can be counted exactly.
schedule:
  - rate: $RATE
    for: ${WARM}s
  - rate: 0.001
    for: ${QUIET}s
  - rate: $RATE
    for: ${MAIN}s
  - rate: 0.001
    for: ${QUIET}s
YAML

pids=()
chaos_pid=""
targets=()
cleanup() {
  if [ -n "$chaos_pid" ]; then kill "$chaos_pid" 2>/dev/null || true; fi
  for p in "${targets[@]:-}"; do if [ -n "$p" ]; then kill -CONT "$p" 2>/dev/null || true; fi; done
  for p in "${pids[@]:-}"; do if [ -n "$p" ]; then kill "$p" 2>/dev/null || true; fi; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

listening() { ss -Hltn "( sport = :$1 )" | grep -q .; }
await_listen() {  # $1 port, $2 name
  for _ in $(seq 50); do listening "$1" && return 0; sleep 0.1; done
  echo "soak: $2 is not listening on $1"; exit 1
}

# The targets: bounded by --duration in case this script dies; normally stopped by SIGTERM at the end.
declare -A pid_of
"$TWLOAD" serve --listen 127.0.0.1:18081 --close server --duration $((T + 60)) \
  < /dev/null > /dev/null 2> "$out/serve-server-close.stderr" &
pid_of[serve-server-close]=$!
"$TWLOAD" serve --listen 127.0.0.1:18082 --close client --duration $((T + 60)) \
  < /dev/null > /dev/null 2> "$out/serve-client-close.stderr" &
pid_of[serve-client-close]=$!
mkdir -p "$out/nginx"
cat > "$out/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $out/nginx/nginx.pid;
error_log $out/nginx/error.log;
events { worker_connections 16384; }
http {
  access_log off;
  client_body_temp_path $out/nginx; proxy_temp_path $out/nginx; fastcgi_temp_path $out/nginx;
  uwsgi_temp_path $out/nginx; scgi_temp_path $out/nginx;
  server { listen 127.0.0.1:18080 backlog=4096; location / { return 200 "ok\n"; } }
}
CONF
"$NGINX" -e "$out/nginx/error.log" -p "$out/nginx" -c "$out/nginx/nginx.conf" < /dev/null > /dev/null 2>&1 &
nginx_pid=$!
pids+=("${pid_of[serve-server-close]}" "${pid_of[serve-client-close]}" "$nginx_pid")
nginx_workers() { cat /proc/"$nginx_pid"/task/*/children 2>/dev/null | tr ' ' '\n' | grep . || true; }
await_listen 18081 serve-server-close
await_listen 18082 serve-client-close
await_listen 18080 nginx
for _ in $(seq 50); do [ -n "$(nginx_workers)" ] && break; sleep 0.1; done
targets=("${pid_of[serve-server-close]}" "${pid_of[serve-client-close]}" $(nginx_workers))

common=(run --profile "$out/schedule.yaml" --interval 1s --timeout ${TIMEOUT}s --connect-timeout 1s)
start_load() {  # $1 name, then options
  local name=$1; shift
  "$TWLOAD" "${common[@]}" "$@" --csv "$out/$name.csv" < /dev/null > /dev/null 2> "$out/$name.stderr" &
  pid_of[$name]=$!
  pids+=("$!")
}
t0=$EPOCHREALTIME
start_load client-close --close client
start_load server-close --close server --target 127.0.0.1:18081
start_load linger0 --close client --linger 0 --target 127.0.0.1:18082
start_load http --protocol http --close server --target 127.0.0.1:18080
"$TWLOAD" watch --interval 1s --duration $((T + 2))s --csv "$out/watch.csv" < /dev/null > /dev/null 2> "$out/watch.stderr" &
pid_of[watch]=$!
pids+=("$!")
names=(client-close server-close linger0 http serve-server-close serve-client-close watch)

elapsed() { awk -v a="$EPOCHREALTIME" -v b="$t0" 'BEGIN { printf "%.1f", a - b }'; }
sleep_until() {  # seconds after t0
  local d
  d=$(awk -v t="$1" -v a="$EPOCHREALTIME" -v b="$t0" 'BEGIN { d = b + t - a; printf "%.3f", (d > 0 ? d : 0) }')
  sleep "$d"
}
rand() { echo $((RANDOM % ($2 - $1 + 1) + $1)); }  # a whole number in [$1, $2]

# Chaos, in the main stage only; each pause ends within it.
chaos() {
  local stopped=""
  trap 'if [ -n "$stopped" ]; then kill -CONT "$stopped" 2>/dev/null || true; fi; exit 0' TERM
  sleep_until $((WARM + QUIET))
  local end=$((WARM + QUIET + MAIN))
  while :; do
    sleep "$(rand 5 40 | awk '{ print $1 / 10 }')"
    local pause t
    pause=$(rand 2 30 | awk '{ print $1 / 10 }')
    t=$(elapsed)
    awk -v t="$t" -v p="$pause" -v e="$end" 'BEGIN { exit !(t + p < e) }' || break
    local all=("${targets[@]}")
    local victim=${all[$((RANDOM % ${#all[@]}))]}
    stopped=$victim
    kill -STOP "$victim" 2>/dev/null && echo "$t $victim $pause" >> "$out/chaos.log"
    sleep "$pause"
    kill -CONT "$victim" 2>/dev/null || true
    stopped=""
  done
}
: > "$out/chaos.log"
chaos &
chaos_pid=$!

echo "soak: ${T} s at ${RATE}/s per load in a private network namespace; $TWLOAD ($(date -r "$TWLOAD" '+built %F %T')); results in $out"
for n in "${names[@]}"; do : > "$out/$n.samples"; done

# Every 5 s: "t rss_kb fds rss_anon_kb rss_file_kb" per process (the two parts of VmRSS tell a heap that
# grows from code and libraries paged in late). At the two fd moments: the least of 5 reads 100 ms apart.
sample_all() {  # $1 = t
  for n in "${names[@]}"; do
    local p=${pid_of[$n]} rss
    rss=$(awk '/^VmRSS:/ { r = $2 } /^RssAnon:/ { a = $2 } /^RssFile:/ { f = $2 } END { if (r != "") print r, a, f }' \
      "/proc/$p/status" 2>/dev/null || true)
    if [ -n "$rss" ]; then
      set -- "$1" $rss
      echo "$1 $2 $(ls "/proc/$p/fd" 2>/dev/null | wc -l) $3 $4" >> "$out/$n.samples"
    fi
  done
}
count_fds() {  # $1 = start|end
  declare -A least
  for _ in 1 2 3 4 5; do
    for n in "${names[@]}"; do
      local c
      c=$(ls "/proc/${pid_of[$n]}/fd" 2>/dev/null | wc -l)
      [ "$c" -gt 0 ] || continue  # gone (a live one has at least 0, 1 and 2): no count, so the check fails
      if [ -z "${least[$n]:-}" ] || [ "$c" -lt "${least[$n]}" ]; then
        least[$n]=$c
        ls -l "/proc/${pid_of[$n]}/fd" 2>/dev/null | awk 'NR > 1 { print $(NF - 2), $NF }' > "$out/$n.fd-$1.txt"
      fi
    done
    sleep 0.1
  done
  for n in "${names[@]}"; do echo "$1 ${least[$n]} $(elapsed)" >> "$out/$n.fds"; done
}
for n in "${names[@]}"; do : > "$out/$n.fds"; done
fd_start_h=$(((WARM + QUIET) * 2 - 3))  # in half seconds: 1.5 s before the end of the first quiet stage
fd_end_h=$((T * 2 - 3))
for ((h = 1; h <= fd_end_h; h++)); do
  sleep_until "$(awk -v h="$h" 'BEGIN { print h / 2 }')"
  if [ $((h % 10)) = 0 ]; then sample_all $((h / 2)); fi
  if [ "$h" = "$fd_start_h" ]; then count_fds start; fi
  if [ "$h" = "$fd_end_h" ]; then count_fds end; fi
  if [ $((h % 120)) = 0 ]; then echo "soak: $((h / 2)) s of $T"; fi
done

# The end: the loads stop by themselves (schedule + drain), watch at T + 2 s; serve and nginx by SIGTERM.
declare -A status
for n in client-close server-close linger0 http; do
  if wait "${pid_of[$n]}"; then status[$n]=0; else status[$n]=$?; fi
done
kill "$chaos_pid" 2>/dev/null || true
wait "$chaos_pid" 2>/dev/null || true
chaos_pid=""
for p in "${targets[@]}"; do kill -CONT "$p" 2>/dev/null || true; done
targets=()
for n in serve-server-close serve-client-close; do kill -TERM "${pid_of[$n]}" 2>/dev/null || true; done
for n in serve-server-close serve-client-close watch; do
  if wait "${pid_of[$n]}"; then status[$n]=0; else status[$n]=$?; fi
done
kill -QUIT "$nginx_pid" 2>/dev/null || true
wait "$nginx_pid" 2>/dev/null || true
pids=()
wall=$(awk -v a="$EPOCHREALTIME" -v b="$started" 'BEGIN { printf "%.1f", a - b }')

# Check 3 for a load: its stderr's summary against its CSV. Prints one line per figure, then RESULT.
compare_summary() {  # $1 = csv, $2 = stderr
  awk -F, '
    BEGIN { max_open = 0 }
    FNR == NR {
      if (FNR == 1) { for (i = 1; i <= NF; i++) col[$i] = i; ncol = NF; next }
      rows++
      for (i = 1; i <= ncol; i++) sum[i] += $i
      last_elapsed = $col["elapsed_s"]
      if ($col["open"] + 0 > max_open) max_open = $col["open"] + 0
      if ($col["tw_total"] != "") { have_tw = 1; if ($col["tw_total"] + 0 > max_tw) max_tw = $col["tw_total"] + 0 }
      next
    }
    function after(s, label,   i) {  # the whole number after "label " in s, or "" if absent
      i = index(s, label " ")
      if (!i) return ""
      s = substr(s, i + length(label) + 1)
      if (!match(s, /^[0-9]+/)) return ""
      return substr(s, 1, RLENGTH)
    }
    function total(name) { return (name in col) ? sum[col[name]] + 0 : "no column" }
    function same(what, s, c) {
      ok = (s "" == c "")
      if (!ok) bad++
      printf "  %-29s summary %-10s csv %-10s %s\n", what, s, c, (ok ? "ok" : "DIFFERENT")
    }
    /^twload summary: / { summary = 1; elapsed = $0; sub(/^twload summary: /, "", elapsed); sub(/ s .*/, "", elapsed) }
    summary && /^  attempted / { counts = $0 }
    summary && /^  closes: / { closes = $0 }
    summary && /^  errors: / { errors = $0 }
    summary && /^  built-in server: / { server = $0 }
    summary && /^  why: / { why = $0 }
    END {
      if (!summary) { print "  no summary on stderr"; print "RESULT FAIL"; exit }
      same("elapsed_s (last row)", elapsed, last_elapsed)
      n = split("attempted established completed failed missed", k, " ")
      for (i = 1; i <= n; i++) same(k[i], after(counts, k[i]), total(k[i]))
      same("active_closes", after(closes, "active"), total("active_closes"))
      same("passive_closes", after(closes, "passive"), total("passive_closes"))
      m = split("EADDRNOTAVAIL:eaddrnotavail;EADDRINUSE:eaddrinuse;ECONNREFUSED:econnrefused;" \
                "ETIMEDOUT:etimedout;ECONNRESET:econnreset;EMFILE:emfile;other:other_errors;" \
                "connect:connect_timeouts;exchange:exchange_timeouts;protocol errors:protocol_errors", e, ";")
      for (i = 1; i <= m; i++) {
        split(e[i], lc, ":")
        v = after(errors, lc[1]); if (v == "") v = 0  # the summary leaves out what is zero
        same(lc[2], v, total(lc[2]))
      }
      if (server != "") {
        same("server_accepted", after(server, "accepted"), total("server_accepted"))
        same("server_active_closes", after(server, ", closed first"), total("server_active_closes"))
        same("server_passive_closes", after(server, "client closed first"), total("server_passive_closes"))
        same("server_resets", after(server, "resets"), total("server_resets"))
        printf "  %-29s summary %-10s (no CSV column; shown only)\n", "built-in server errors", after(server, "errors")
      } else if (total("server_accepted") != 0) {
        same("server_accepted (no line)", 0, total("server_accepted"))
      }
      if ((v = after(why, "took over")) != "") same("tw_recycled (why)", v, total("tw_recycled"))
      if ((v = after(why, "destroyed")) != "") same("tw_overflow (why)", v, total("tw_overflow"))
      if (match(why, /^  why: [0-9]+ connections failed/)) same("failed (why)", after(why, "why:"), total("failed"))
      same("peak TIME_WAIT: max tw_total", after(closes, "peak TIME_WAIT (namespace)"), (have_tw ? max_tw : ""))
      p = after(closes, "peak open")
      ok = (p != "" && p + 0 >= max_open); if (!ok) bad++
      printf "  %-29s summary %-10s csv %-10s %s\n", "peak open >= max open", p, max_open, (ok ? "ok" : "LOWER")
      u = after(counts, "unfinished")
      ok = (u == "0"); if (!ok) bad++
      printf "  %-29s summary %-10s (no CSV column; must be 0 after the quiet stage) %s\n", "unfinished", u, (ok ? "ok" : "NOT 0")
      print (bad ? "RESULT FAIL" : "RESULT PASS")
    }' "$1" "$2"
}

fail=0
verdict() {  # $1 check, $2 name, $3 PASS|FAIL, $4 detail
  printf '%s %-18s %-22s %s\n' "$3" "$2" "$1" "$4"
  [ "$3" = PASS ] || fail=1
}
declare -A rss_start rss_max growth fds_start fds_end csv_ok
echo
echo "soak: checks (details in $out/*.check.txt)"
for n in "${names[@]}"; do
  # 1. RSS: the baseline sample is the first at or after BASE seconds.
  read -r rs rm g bt da df < <(awk -v b="$BASE" '
    $1 >= b && base == "" { base = $2; bt = $1; anon = $4; file = $5; next }
    base != "" { if ($2 > max) max = $2; lanon = $4; lfile = $5 }
    END {
      if (base == "") { print "- - - - - -"; exit }
      if (max == "") { max = base; lanon = anon; lfile = file }
      printf "%d %d %.2f %s %+d %+d\n", base, max, (max - base) * 100 / base, bt, lanon - anon, lfile - file
    }' "$out/$n.samples")
  rss_start[$n]=$rs rss_max[$n]=$rm growth[$n]=$g
  if [ "$g" != - ] && awk -v g="$g" 'BEGIN { exit !(g < 5) }'; then r=PASS; else r=FAIL; fi
  verdict "1 rss-flat" "$n" "$r" \
    "VmRSS ${rs} kB at ${bt} s, largest after ${rm} kB: ${g} % (limit < 5 %); to the last: anon ${da}, file ${df} kB"

  # 2. fds at the two quiet moments.
  fs=$(awk '$1 == "start" { print $2 }' "$out/$n.fds")
  fe=$(awk '$1 == "end" { print $2 }' "$out/$n.fds")
  fds_start[$n]=${fs:--} fds_end[$n]=${fe:--}
  if [ -n "$fs" ] && [ "$fs" = "$fe" ]; then r=PASS; else r=FAIL; fi
  verdict "2 fds-no-leak" "$n" "$r" "open fds ${fs:-?} at $((WARM + QUIET - 2)).5 s, ${fe:-?} at $((T - 2)).5 s (both quiet)"
  if [ "$r" = FAIL ] && [ -f "$out/$n.fd-start.txt" ] && [ -f "$out/$n.fd-end.txt" ]; then
    diff <(awk '{ print $2 }' "$out/$n.fd-start.txt" | sed 's/[0-9]\+/N/g' | sort | uniq -c) \
      <(awk '{ print $2 }' "$out/$n.fd-end.txt" | sed 's/[0-9]\+/N/g' | sort | uniq -c) | sed 's/^/    /' || true
  fi

  # 3. CSV totals against the summary.
  case $n in
    serve-*)
      csv_ok[$n]=n/a
      s=$(grep -h '^twload serve:' "$out/$n.stderr" || echo "no counts")
      client=$([ "$n" = serve-server-close ] && echo server-close || echo linger0)
      est=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "established") c = i; next } { s += $c } END { print s + 0 }' "$out/$client.csv")
      echo "n/a  $n: no CSV; ${s#twload serve: } (its client $client established $est)" > "$out/$n.check.txt"
      printf '%s %-18s %-22s %s\n' "n/a " "$n" "3 csv=summary" "no CSV; ${s#twload serve: }; $client established $est"
      ;;
    watch)
      said=$(sed -n 's/^twload: watch: \([0-9]*\) rows written.*/\1/p' "$out/watch.stderr")
      rows=$(($(wc -l < "$out/watch.csv") - 1))
      if [ -n "$said" ] && [ "$said" = "$rows" ]; then r=PASS; else r=FAIL; fi
      csv_ok[$n]=$([ $r = PASS ] && echo OK || echo FAIL)
      echo "watch: stderr says ${said:-nothing} rows written, the CSV has $rows" > "$out/$n.check.txt"
      verdict "3 csv=summary" "$n" "$r" "stderr: ${said:-?} rows written; CSV: $rows rows"
      ;;
    *)
      compare_summary "$out/$n.csv" "$out/$n.stderr" > "$out/$n.check.txt" || true
      if grep -q '^RESULT PASS' "$out/$n.check.txt"; then r=PASS; else r=FAIL; fi
      csv_ok[$n]=$([ $r = PASS ] && echo OK || echo FAIL)
      checked=$(grep -c ' ok$' "$out/$n.check.txt" || true)
      verdict "3 csv=summary" "$n" "$r" "$checked figures equal$([ $r = PASS ] || echo "; see $out/$n.check.txt")"
      [ "$r" = PASS ] || grep -v ' ok$' "$out/$n.check.txt" | sed 's/^/    /'
      ;;
  esac

  # 4. Exit status and stderr.
  st=${status[$n]:-?}
  fatal=$(grep -c -E 'Fatal error|Segmentation fault|Illegal instruction|Assertion failed' "$out/$n.stderr" || true)
  if [ "$st" = 0 ] && [ "$fatal" = 0 ]; then r=PASS; else r=FAIL; fi
  how=$([ "$st" != "?" ] && [ "$st" -gt 128 ] && echo " (signal $((st - 128))?)" || true)
  verdict "4 no-crash" "$n" "$r" "exit status $st$how, $fatal fatal line(s) on stderr"
done

pauses=$(wc -l < "$out/chaos.log")
echo
echo "soak: ${T} s, wall time ${wall} s; $pauses pauses (SIGSTOP/SIGCONT): $(
  awk -v a="${pid_of[serve-server-close]}" -v b="${pid_of[serve-client-close]}" '
    { k = ($2 == a ? "serve-server-close" : $2 == b ? "serve-client-close" : "nginx-worker"); c[k]++; s[k] += $3 }
    END { for (k in c) printf "%s %d (%.1f s) ", k, c[k], s[k] }' "$out/chaos.log")"
printf '%-18s %12s %10s %8s %10s %8s %14s %6s\n' process rss_start_kb rss_max_kb growth% fds_start fds_end csv=summary exit
for n in "${names[@]}"; do
  printf '%-18s %12s %10s %8s %10s %8s %14s %6s\n' "$n" "${rss_start[$n]}" "${rss_max[$n]}" "${growth[$n]}" \
    "${fds_start[$n]}" "${fds_end[$n]}" "${csv_ok[$n]}" "${status[$n]:-?}"
done
echo "(rss_start_kb is the sample at ${BASE} s; rss_max_kb the largest after it)"
if [ "$fail" = 0 ]; then echo "soak: PASS"; else echo "soak: FAIL"; fi
exit "$fail"
