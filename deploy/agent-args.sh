#!/bin/sh
# The one definition of an agent's command line (issue 16), which deploy/k8s/render.sh and
# deploy/ssh/launch.sh both print from, so a Kubernetes Job and an ssh fleet run the same twload command.
#
# usage: agent-args.sh --agents N --run-id ID --start-at T --out DIR --target HOST:PORT --rate R --duration D
#                      [-- EXTRA TWLOAD RUN OPTIONS...]
#
# Prints twload's arguments (without the program name), one a line, the agent's index left as the text
# $(JOB_COMPLETION_INDEX):
#   run --agent $(JOB_COMPLETION_INDEX)/N --start-at T --run-id ID --out DIR --target HOST:PORT --rate R
#   --duration D EXTRA...
# A bad value exits 2 with one line on stderr naming the option; the message names $TWLOAD_DEPLOY_PROG (the
# script that called this one) when it is set. An argument may not hold a newline (one a line) nor `$(`
# (Kubernetes would expand it as a variable), and the extra options may not repeat the ones above.
set -eu
PROG=${TWLOAD_DEPLOY_PROG:-agent-args.sh}
. "$(dirname "$0")/lib.sh"

agents='' run_id='' start_at='' out='' target='' rate='' duration=''
while [ "$#" -gt 0 ]; do
    case $1 in
        --agents) need_value "$1" "$#"; agents=$2; shift 2 ;;
        --run-id) need_value "$1" "$#"; run_id=$2; shift 2 ;;
        --start-at) need_value "$1" "$#"; start_at=$2; shift 2 ;;
        --out) need_value "$1" "$#"; out=$2; shift 2 ;;
        --target) need_value "$1" "$#"; target=$2; shift 2 ;;
        --rate) need_value "$1" "$#"; rate=$2; shift 2 ;;
        --duration) need_value "$1" "$#"; duration=$2; shift 2 ;;
        --) shift; break ;;
        *) die "unknown option '$1'" ;;
    esac
done

# An option with no value yet: "--NAME is required".
required() {
    [ -n "$2" ] || die "$1 is required"
}

required --agents "$agents"
whole_number --agents "$agents" 1
required --run-id "$run_id"
matches "$run_id" '[A-Za-z0-9._-]{1,64}' \
    || die "--run-id: '$run_id' must be 1 to 64 letters, digits, '-', '_' or '.'"
required --start-at "$start_at"
matches "$start_at" '[0-9]+|[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z' \
    || die "--start-at: '$start_at' is neither RFC 3339 in UTC (2026-12-01T23:00:00Z) nor Unix seconds"
required --out "$out"
matches "$out" '/.*' || die "--out: '$out' is not an absolute path"
required --target "$target"
matches "$target" '(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):[0-9]{1,5}' \
    || die "--target: '$target' is not HOST:PORT or [IPv6]:PORT"
required --rate "$rate"
{ matches "$rate" '([0-9]+(\.[0-9]*)?|\.[0-9]+)k?' && matches "$rate" '.*[1-9].*'; } \
    || die "--rate: '$rate' is not a positive number (like 8000, 2.5 or 8k)"
required --duration "$duration"
{ matches "$duration" '([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|ms|s|m|h)?' && matches "$duration" '.*[1-9].*'; } \
    || die "--duration: '$duration' is not a positive duration (like 60, 90s, 5m or 1h)"

for arg in "$@"; do
    case $arg in
        --agent | --agent=* | --start-at | --start-at=* | --run-id | --run-id=* | --out | --out=* | --target \
            | --target=* | --rate | --rate=* | --duration | --duration=*)
            die "extra option '$arg': the launcher sets it" ;;
        *'$('*) die "extra option '$arg': '\$(' would be expanded by Kubernetes" ;;
        *'
'*) die "extra option '$arg': holds a newline" ;;
    esac
done
for arg in "$out" "$target"; do
    case $arg in *'$('*) die "'$arg': '\$(' would be expanded by Kubernetes" ;; esac
done

printf '%s\n' run --agent "$AGENT_INDEX_PLACEHOLDER/$agents" --start-at "$start_at" --run-id "$run_id" \
    --out "$out" --target "$target" --rate "$rate" --duration "$duration"
[ "$#" -eq 0 ] || printf '%s\n' "$@"
