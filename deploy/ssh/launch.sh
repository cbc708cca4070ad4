#!/usr/bin/env bash
# Runs N twload agents as one fleet (issue 16), one per host, over ssh; collects their folders and merges them.
#
# usage: launch.sh --hosts FILE --target HOST:PORT --rate R --duration D [--lead SECONDS | --start-at T]
#                  [--run-id ID] [--remote-out DIR] [--collect LOCALDIR] [--twload PATH] [--merge-with PATH]
#                  [--via ssh|netns] [--dry-run] [-- EXTRA RUN OPTIONS...]
#
#   --hosts FILE       one host a line (ssh destinations: host or user@host); blank lines and # comments are
#                      skipped. Agent I runs on the I-th host, counting from 0; N is the number of hosts.
#   --target, --rate (the whole fleet's), --duration, and the extra options: as for `twload run`
#   --lead SECONDS     start-at = now + SECONDS (default 15); or --start-at T (RFC 3339 in UTC, Unix seconds)
#   --run-id ID        default: the UTC time now, like 20261201-225800
#   --remote-out DIR   agents write to DIR/<run-id>/ on their hosts (default /tmp/twload-runs)
#   --collect DIR      their files are copied to DIR/<run-id>/agent-I/ here (default ./twload-runs), and
#                      merged into DIR/<run-id>/merged.csv and merged.json
#   --twload PATH      twload on the hosts (default: twload, from the remote PATH)
#   --merge-with PATH  twload here, for the merge (default: twload)
#   --via netns        each "host" is a network namespace on this machine, entered with `ip netns exec NAME
#                      sh -c` instead of `ssh NAME` (for tests on one box; needs root); all else is the same
#   --dry-run          print the commands, run none, exit 0
#
# Agent I runs `twload <deploy/agent-args.sh's arguments>` with JOB_COMPLETION_INDEX=I, the index substituted,
# under `timeout` (until start-at, the duration, and 60 s). The hosts need a POSIX login shell, coreutils'
# timeout, tar and twload. Every agent's exit status is reported; the files are copied back even from one that
# failed. Exit status: the first failed agent's (in index order) if any failed, else the merge's; 2 for a usage
# error, before anything runs.
set -euo pipefail
PROG=launch.sh
here=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../lib.sh
. "$here/lib.sh"

hosts_file='' target='' rate='' duration='' lead='' start_at='' run_id='' remote_out=/tmp/twload-runs
collect=./twload-runs twload=twload merge_with=twload via=ssh dry_run=0
while [ "$#" -gt 0 ]; do
    case $1 in
        --hosts) need_value "$1" "$#"; hosts_file=$2; shift 2 ;;
        --target) need_value "$1" "$#"; target=$2; shift 2 ;;
        --rate) need_value "$1" "$#"; rate=$2; shift 2 ;;
        --duration) need_value "$1" "$#"; duration=$2; shift 2 ;;
        --lead) need_value "$1" "$#"; lead=$2; shift 2 ;;
        --start-at) need_value "$1" "$#"; start_at=$2; shift 2 ;;
        --run-id) need_value "$1" "$#"; run_id=$2; shift 2 ;;
        --remote-out) need_value "$1" "$#"; remote_out=$2; shift 2 ;;
        --collect) need_value "$1" "$#"; collect=$2; shift 2 ;;
        --twload) need_value "$1" "$#"; twload=$2; shift 2 ;;
        --merge-with) need_value "$1" "$#"; merge_with=$2; shift 2 ;;
        --via) need_value "$1" "$#"; via=$2; shift 2 ;;
        --dry-run) dry_run=1; shift ;;
        -h | --help) sed -n '2,/^set /s/^# \{0,1\}//p' "$0"; exit 0 ;;
        --) shift; break ;;
        *) die "unknown option '$1'" ;;
    esac
done

[ -n "$hosts_file" ] || die "--hosts is required"
[ -r "$hosts_file" ] || die "--hosts: cannot read '$hosts_file'"
case $via in ssh | netns) ;; *) die "--via: '$via' is neither ssh nor netns" ;; esac
hosts=()
while IFS= read -r line || [ -n "$line" ]; do
    line=${line%%#*}
    line=$(printf '%s' "$line" | tr -d '[:space:]')
    [ -n "$line" ] || continue
    matches "$line" '[A-Za-z0-9_.@:%+-]+' && [ "${line#-}" = "$line" ] \
        || die "--hosts: '$line' is not a host name"
    for seen in "${hosts[@]+"${hosts[@]}"}"; do
        [ "$seen" != "$line" ] || die "--hosts: '$line' is listed twice (one agent per host: ports are per host)"
    done
    hosts+=("$line")
done <"$hosts_file"
agents=${#hosts[@]}
[ "$agents" -gt 0 ] || die "--hosts: '$hosts_file' lists no hosts"
[ -z "$lead" ] || [ -z "$start_at" ] || die "--lead and --start-at: give one, not both"
[ -z "$lead" ] || whole_number --lead "$lead" 0
matches "$remote_out" '/.*' || die "--remote-out: '$remote_out' is not an absolute path"
[ -n "$run_id" ] || run_id=$(default_run_id)
start_at=$(start_at_from "$start_at" "${lead:-15}")
out="$remote_out/$run_id"

args_text=$(TWLOAD_DEPLOY_PROG=$PROG "$here/agent-args.sh" --agents "$agents" --run-id "$run_id" \
    --start-at "$start_at" --out "$out" --target "$target" --rate "$rate" --duration "$duration" -- "$@") \
    || exit $?
mapfile -t args <<<"$args_text"

# Every command is bounded: an agent by the time until start-at, its run and a minute; its transport (ssh)
# by half a minute more; a copy by five minutes.
wait_s=$(($(epoch_of "$start_at") - $(date -u +%s)))
[ "$wait_s" -ge 0 ] || wait_s=0
agent_timeout=$((wait_s + $(duration_seconds "$duration") + 60))
transport_timeout=$((agent_timeout + 30))
copy_timeout=300
local_dir="$collect/$run_id"

# The words given, each quoted for a POSIX shell, on one line.
quoted() {
    local word sep=''
    for word in "$@"; do
        printf '%s%s' "$sep" "$(shell_quote "$word")"
        sep=' '
    done
}

# The command that runs the shell command $2 on host $1: ssh, or sh in the network namespace $1.
transport() {
    if [ "$via" = ssh ]; then
        printf '%s\0' ssh -o BatchMode=yes -o ConnectTimeout=10 -- "$1" "$2"
    else
        printf '%s\0' ip netns exec "$1" sh -c "$2"
    fi
}

# Agent $1's command on host $2 (NUL-separated words).
agent_command() {
    local i=$1 host=$2 arg agent_args=()
    for arg in "${args[@]}"; do agent_args+=("${arg//"$AGENT_INDEX_PLACEHOLDER"/$i}"); done
    printf '%s\0' timeout -k 10 "$transport_timeout"
    transport "$host" "mkdir -p -- $(shell_quote "$out") && exec env JOB_COMPLETION_INDEX=$i $(quoted timeout -k 10 \
        "$agent_timeout" "$twload" "${agent_args[@]}")"
}

# The command that writes agent $1's files on host $2 (agent-I.*) to stdout as a tar stream.
copy_command() {
    printf '%s\0' timeout "$copy_timeout"
    transport "$2" "cd -- $(shell_quote "$out") && tar cf - agent-$1.*"
}

merge_command=("$merge_with" merge)
for i in "${!hosts[@]}"; do merge_command+=("$local_dir/agent-$i"); done
merge_command+=(--expect "$agents" -o "$local_dir/merged.csv" --summary-json "$local_dir/merged.json")

if [ "$dry_run" = 1 ]; then
    echo "# run $run_id: $agents agents from $start_at"
    quoted mkdir -p -- "$local_dir"; echo
    for i in "${!hosts[@]}"; do
        echo "# agent $i on ${hosts[$i]}, in the background; output to $local_dir/agent-$i.log"
        mapfile -d '' -t command < <(agent_command "$i" "${hosts[$i]}")
        quoted "${command[@]}"; echo
    done
    echo "# after all agents end: copy each agent's files back"
    for i in "${!hosts[@]}"; do
        mapfile -d '' -t command < <(copy_command "$i" "${hosts[$i]}")
        echo "$(quoted mkdir -p -- "$local_dir/agent-$i") && $(quoted "${command[@]}") | $(quoted tar xf - -C \
            "$local_dir/agent-$i")"
    done
    quoted "${merge_command[@]}"; echo
    exit 0
fi

mkdir -p -- "$local_dir"
pids=()
# On an interrupt, stop the agents this script started (by their process ids), then exit.
trap 'for p in "${pids[@]+"${pids[@]}"}"; do kill "$p" 2>/dev/null || true; done; exit 130' INT TERM
echo "$PROG: run $run_id: $agents agents from $start_at" >&2
for i in "${!hosts[@]}"; do
    mapfile -d '' -t command < <(agent_command "$i" "${hosts[$i]}")
    "${command[@]}" </dev/null >"$local_dir/agent-$i.log" 2>&1 &
    pids+=("$!")
done
first_failure=0
for i in "${!hosts[@]}"; do
    status=0
    wait "${pids[$i]}" || status=$?
    echo "$PROG: agent $i on ${hosts[$i]}: exit $status (log: $local_dir/agent-$i.log)" >&2
    [ "$status" = 0 ] || [ "$first_failure" != 0 ] || first_failure=$status
done
trap - INT TERM
for i in "${!hosts[@]}"; do
    mkdir -p -- "$local_dir/agent-$i"
    mapfile -d '' -t command < <(copy_command "$i" "${hosts[$i]}")
    if ! "${command[@]}" </dev/null | tar xf - -C "$local_dir/agent-$i"; then
        echo "$PROG: agent $i on ${hosts[$i]}: could not copy $out/agent-$i.* back" >&2
    fi
done
merge_status=0
"${merge_command[@]}" || merge_status=$?
echo "$PROG: merge: exit $merge_status ($local_dir/merged.csv, $local_dir/merged.json)" >&2
if [ "$first_failure" != 0 ]; then exit "$first_failure"; fi
exit "$merge_status"
