#!/usr/bin/env bash
# Setting up and tearing down the lab's NAT topology (issue 17): three namespaces, two veth pairs, the
# addresses and routes (ip -batch), the NAT (nft -f) and the sysctls. Passes when every one of RUNS (10)
# labs spends under 1 s outside its schedule: the whole process's wall clock (start, setup, the run, the
# drain, teardown, exit) minus the seconds the summary says the run itself lasted. Also prints the setup
# alone, from the lab's first note ("built in N ms"). Each lab starts right after the previous one ended,
# so a leftover would make it fail. Root; loopback-only traffic inside the lab's own namespaces.
#   Benchmarks/lab-topology.sh          # RUNS=10; TWLOAD= picks the binary (default: release build)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-10}
. Benchmarks/namespace-setup.sh lab-topology.sh
command -v nft >/dev/null 2>&1 || [ -x /usr/sbin/nft ] || { echo "lab-topology.sh: needs nft (nftables)"; exit 1; }
worst=0
for ((i = 0; i < RUNS; i++)); do
  start=$(date +%s%N)
  "$TWLOAD" lab --topology nat --nat-ports 40000-40099 --rate 20 --duration 200ms --csv /dev/null \
    2> "$work/err.txt"
  end=$(date +%s%N)
  built=$(sed -n 's/.*built in \([0-9]*\) ms.*/\1/p' "$work/err.txt" | head -1)
  ran=$(sed -n 's/^twload summary: \([0-9.]*\) s .*/\1/p' "$work/err.txt" | head -1)
  outside=$(awk -v s="$start" -v e="$end" -v r="$ran" 'BEGIN { printf "%d", (e - s) / 1e6 - r * 1000 }')
  echo "run $i: setup ${built} ms; outside the run (setup + teardown + process) ${outside} ms"
  [ "$outside" -gt "$worst" ] && worst=$outside
done
if [ "$worst" -lt 1000 ]; then
  echo "lab-topology.sh: PASS: worst ${worst} ms outside the run (< 1000 ms) over $RUNS NAT labs"
else
  echo "lab-topology.sh: FAIL: worst ${worst} ms outside the run (>= 1000 ms)"
  exit 1
fi
