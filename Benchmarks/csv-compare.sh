#!/usr/bin/env bash
# Compares the CSV of a fixed run (--rate 500 --duration 3, one thread, built-in server) made by the
# current build with the one made by an earlier commit, column by column: the header must be byte for byte
# the same, and so must every cell that does not depend on timing. Timing cells (wall clock, latencies,
# the census gauges sampled at a boundary, and the last row's end and mean rate) are listed, not compared.
#   sudo Benchmarks/csv-compare.sh [REV]      # REV defaults to fbc6bb3, the build before the target split
# Root: each run happens in its own private network namespace with tcp_tw_reuse=0 (loopback only), and
# ends by itself after 3 s plus the drain. The earlier commit is built in a temporary git worktree.
set -euo pipefail
cd "$(dirname "$0")/.."
REV=${1:-fbc6bb3}
. Benchmarks/namespace-setup.sh csv-compare
git worktree add -q --detach "$work/base" "$REV"
trap 'git worktree remove --force "$work/base" >/dev/null 2>&1 || true; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
(cd "$work/base" && swift build -c release >/dev/null)
BASE="$(cd "$work/base" && swift build -c release --show-bin-path)/twload"
run() {  # $1 binary, $2 output
  unshare -n bash -c "ip link set lo up; sysctl -qw net.ipv4.tcp_tw_reuse=0; \
    '$1' --rate 500 --duration 3 --threads 1 --csv '$2' 2>/dev/null"
}
run "$BASE" "$work/before.csv"
run "$TWLOAD" "$work/after.csv"
python3 - "$work/before.csv" "$work/after.csv" "$REV" <<'PY'
import csv, re, sys
before, after, rev = sys.argv[1:]
hb, ha = open(before).readline(), open(after).readline()
print(f"header ({len(hb.split(','))} columns): " + ("byte for byte identical to " + rev if hb == ha else "DIFFERENT"))
rb, ra = list(csv.reader(open(before)))[1:], list(csv.reader(open(after)))[1:]
names = hb.strip().split(",")
def timing(name, last):
    return (name == "unix_ms" or name.endswith("_us") or name == "tcpext_tw" or name.startswith("tw_")
            and name not in ("tw_recycled", "tw_overflow") or re.match(r"(client|server)_[a-z_0-9]+$", name)
            and not name.startswith("server_a") and not name.startswith("server_p") and name != "server_resets"
            or last and name in ("elapsed_s", "target_rate"))
bad = []
timed = set()
for i, (b, a) in enumerate(zip(rb, ra)):
    last = i == len(rb) - 1
    for n, x, y in zip(names, b, a):
        if timing(n, last):
            timed.add(n)
        elif x != y:
            bad.append(f"row {i + 1} {n}: {x} -> {y}")
print(f"rows: {len(rb)} before, {len(ra)} after")
print("timing cells, not compared: " + ", ".join(sorted(timed)))
print("every other cell identical" if not bad and len(rb) == len(ra) else "DIFFERENT:\n  " + "\n  ".join(bad))
sys.exit(0 if hb == ha and not bad and len(rb) == len(ra) else 1)
PY
