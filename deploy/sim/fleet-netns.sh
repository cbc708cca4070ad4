#!/usr/bin/env bash
# A fleet on one box (issue 16): N agent network namespaces and a target namespace joined by veth pairs and
# a bridge in a switch namespace of their own, all on 198.18.0.0/24 (RFC 2544's benchmarking range), which
# exists only inside these namespaces: nothing is routed to or from the host, and the host's interfaces,
# sysctls and nftables are never touched.
#
# usage: fleet-netns.sh up PREFIX N     creates PREFIX-sw (the bridge), PREFIX-t (target, 198.18.0.1) and
#                                       PREFIX-a0 … PREFIX-a{N-1} (agent I at 198.18.0.(11+I)); prints the
#                                       agents' namespace names, one a line (a hosts file for
#                                       deploy/ssh/launch.sh --via netns)
#        fleet-netns.sh down PREFIX     ends every process in those namespaces (by PID) and deletes them
#
# Each agent namespace has TIME_WAIT reuse off (tcp_tw_reuse=0), as on a real path. Needs root and iproute2.
set -euo pipefail
die() { echo "fleet-netns.sh: error: $*" >&2; exit 2; }
[ "$#" -ge 2 ] || die "usage: fleet-netns.sh up PREFIX N | down PREFIX"
cmd=$1 prefix=$2
[[ "$prefix" =~ ^[a-z][a-z0-9]{0,7}$ ]] || die "PREFIX: '$prefix' must be 1 to 8 lower-case letters or digits"

down() {
    local ns pid
    for ns in $(ip netns list | awk '{print $1}' | grep -E "^$prefix-(sw|t|a[0-9]+)$" || true); do
        for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
        ip netns delete "$ns" 2>/dev/null || true
    done
}

case $cmd in
    down) down; exit 0 ;;
    up) ;;
    *) die "unknown command '$cmd' (up or down)" ;;
esac
[ "$#" -eq 3 ] && [[ "$3" =~ ^[0-9]+$ ]] && [ "$3" -ge 1 ] && [ "$3" -le 200 ] || die "N: expected 1 to 200 agents"
n=$3
trap 'down' ERR
sw="$prefix-sw"
ip netns add "$sw"
ip -n "$sw" link set lo up
ip -n "$sw" link add br0 type bridge
ip -n "$sw" link set br0 up

# join NS ADDRESS PORT: a veth pair from NS (eth0, ADDRESS/24) to the bridge (port PORT).
join() {
    ip netns add "$1"
    ip -n "$1" link set lo up
    ip -n "$sw" link add "$3" type veth peer name eth0 netns "$1"
    ip -n "$sw" link set "$3" master br0 up
    ip -n "$1" addr add "$2/24" dev eth0
    ip -n "$1" link set eth0 up
}

join "$prefix-t" 198.18.0.1 pt
for ((i = 0; i < n; i++)); do
    join "$prefix-a$i" "198.18.0.$((11 + i))" "pa$i"
    ip netns exec "$prefix-a$i" sysctl -qw net.ipv4.tcp_tw_reuse=0
    echo "$prefix-a$i"
done
