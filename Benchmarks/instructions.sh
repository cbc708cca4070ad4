#!/usr/bin/env bash
# User-space instructions per connection, counted by callgrind (repeatable: instructions, not seconds).
# Runs twload twice against its built-in server (1 event-loop thread, linger 0) with N1 and N2
# connections and reports the difference per connection, per thread, so start-up costs cancel out.
# Root: both runs happen in a private network namespace created here (loopback only), and end by themselves.
set -euo pipefail
cd "$(dirname "$0")/.."
N1=${N1:-1000}
N2=${N2:-5000}
if [ "$(id -u)" != 0 ]; then echo "instructions: needs root (network namespace)"; exit 1; fi
swift build -c release >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# valgrind 3.19 cannot read Swift 6.3's DWARF; the symbol table is enough for function names.
cp "$(swift build -c release --show-bin-path)/twload" "$work/twload"
objcopy --strip-debug "$work/twload"
export work N1 N2
unshare -n bash -c '
  ip link set lo up 2>/dev/null || true
  for n in $N1 $N2; do
    valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$work/cg.$n" \
      "$work/twload" --rate $n --duration 1 --threads 1 --linger 0 --csv /dev/null >/dev/null 2>&1
  done'
# Annotations go to files first: an early-exiting reader would SIGPIPE callgrind_annotate under pipefail.
for f in "$work"/cg.*-??; do callgrind_annotate "$f" > "$f.txt" 2>/dev/null || true; done
total() { awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}' "$1.txt" | head -n 1; }
role() {
  # Each thread's entry function (inlining can hide the functions below it).
  if grep -q "IntervalRecorder" "$1.txt"; then echo "main/recorder"
  elif grep -q "ClientWorker" "$1.txt"; then echo "client event loop"
  elif grep -q "ServerLoop" "$1.txt"; then echo "built-in server"
  else echo "sampler"; fi
}
echo "instructions per connection ($N2 - $N1 connections, release build):"
for f in "$work"/cg.$N1-??; do
  suffix=${f##*-}
  a=$(total "$f"); b=$(total "$work/cg.$N2-$suffix")
  printf '  %-18s %8d\n' "$(role "$f")" $(( (b - a) / (N2 - N1) ))
done
