# Helpers the deploy/ scripts share (POSIX sh; sourced, never run). Each script sets PROG (its name, for
# error messages) before sourcing this file.

# Prints "PROG: error: MESSAGE" on stderr and exits 2, the status of a usage error.
die() {
    printf '%s: error: %s\n' "$PROG" "$*" >&2
    exit 2
}

# Succeeds when $1 matches the extended regular expression $2 as a whole. A value holding a newline never
# matches (grep would test its lines one by one).
matches() {
    case $1 in *'
'*) return 1 ;; esac
    printf '%s\n' "$1" | grep -Eq "^($2)\$"
}

# Checks an option's value: `need_value OPTION ARGC` fails when the option is the last argument.
need_value() {
    [ "$2" -ge 2 ] || die "$1: needs a value"
}

# Checks a whole number of at least $3: `whole_number OPTION VALUE MIN`.
whole_number() {
    matches "$2" '[0-9]+' || die "$1: '$2' is not a whole number"
    [ "${#2}" -le 9 ] || die "$1: '$2' is too large"
    [ "$2" -ge "$3" ] || die "$1: '$2' must be at least $3"
}

# The start time as Unix seconds: $1 is RFC 3339 in UTC with a Z (2026-12-01T23:00:00Z) or Unix seconds.
# Uses GNU date, or BSD date (macOS) for the RFC 3339 form.
epoch_of() {
    if matches "$1" '[0-9]+'; then
        printf '%s\n' "$1"
    else
        date -u -d "$1" +%s 2>/dev/null || date -u -j -f '%Y-%m-%dT%H:%M:%SZ' "$1" +%s 2>/dev/null \
            || die "--start-at: cannot read '$1' as a time (RFC 3339 with Z, or Unix seconds)"
    fi
}

# Unix seconds $1 as RFC 3339 in UTC (2026-12-01T23:00:00Z), with GNU or BSD date.
rfc3339_of() {
    date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || date -u -r "$1" +%Y-%m-%dT%H:%M:%SZ
}

# A twload duration (`30`, `90s`, `5m`, `1.5h`, `500ms`) in whole seconds, rounded up.
duration_seconds() {
    printf '%s\n' "$1" | awk '{
        n = $0; sub(/[a-z]+$/, "", n); u = substr($0, length(n) + 1)
        f = (u == "ns") ? 1e-9 : (u == "us") ? 1e-6 : (u == "ms") ? 1e-3 : (u == "m") ? 60 : (u == "h") ? 3600 : 1
        s = n * f; printf "%d\n", (s == int(s)) ? s : int(s) + 1
    }'
}

# The start time: --start-at as given, else now + lead (RFC 3339). $1 is --start-at (may be empty), $2 the lead.
start_at_from() {
    if [ -n "$1" ]; then
        printf '%s\n' "$1"
    else
        rfc3339_of "$(($(date -u +%s) + $2))"
    fi
}

# The default run id: the UTC time of rendering, e.g. 20261201-225800.
default_run_id() {
    date -u +%Y%m%d-%H%M%S
}

# $1 quoted for a POSIX shell: in single quotes, each ' written as '\''. Plain words stay as they are.
shell_quote() {
    if matches "$1" "[A-Za-z0-9_./:=@%+,-]+"; then
        printf '%s' "$1"
    else
        printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
    fi
}

# The agent's index in the argument list agent-args.sh prints. Kubernetes replaces it with the container's
# JOB_COMPLETION_INDEX; the ssh launcher replaces it with the host's line number.
AGENT_INDEX_PLACEHOLDER='$(JOB_COMPLETION_INDEX)'
