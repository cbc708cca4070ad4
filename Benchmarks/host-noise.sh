#!/usr/bin/env bash
# How steady is this machine on its own? A CPU-only loop (awk; no twload, no network, no system calls in
# the loop but time()) counts its iterations in each wall-clock second for DURATION seconds (30) and prints
# the spread: the slowest and fastest second as a share of the median second, plus the CPU steal that
# /proc/stat recorded meanwhile. On a quiet machine the spread is a few per cent. On a shared VM it can be
# 20 % or more, and then any rate chosen as a share of a ceiling measured a minute earlier can exceed what
# the machine can do for some seconds of a run (see README "Performance", Pacing).
# Needs no root and sends no traffic.
#   Benchmarks/host-noise.sh              # DURATION=30
set -euo pipefail
DURATION=${DURATION:-30}
steal() { awk '/^cpu /{print $9}' /proc/stat; }
hz=$(getconf CLK_TCK)
before=$(steal)
awk -v d="$DURATION" 'BEGIN {
  t = systime(); while (systime() == t) {}        # start on a second boundary
  for (s = 0; s < d; s++) {
    t = systime(); n = 0
    while (systime() == t) { for (i = 0; i < 1000; i++) x += i; n++ }
    c[s] = n
  }
  # insertion sort of the per-second counts (d is small)
  for (i = 1; i < d; i++) { v = c[i]; for (j = i - 1; j >= 0 && c[j] > v; j--) c[j + 1] = c[j]; c[j + 1] = v }
  med = (d % 2) ? c[(d - 1) / 2] : (c[d / 2 - 1] + c[d / 2]) / 2
  printf "CPU-only loop, %d one-second samples: slowest %.0f %%, fastest %.0f %% of the median second\n", d, c[0] / med * 100, c[d - 1] / med * 100
}'
after=$(steal)
awk -v s=$((after - before)) -v hz="$hz" -v d="$DURATION" 'BEGIN { printf "CPU steal recorded meanwhile: %.0f ms (all CPUs, %d s)\n", s * 1000 / hz, d }'
