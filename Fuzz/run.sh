#!/usr/bin/env bash
# Builds twload's libFuzzer targets with AddressSanitizer, replays every saved regression input, then fuzzes
# each target for SECONDS (default 30) from its committed seed corpus.
#
#   Fuzz/run.sh [SECONDS] [TARGET...]      TARGET: profile threshold values http sockdiag hlog (default: all)
#
# The committed corpus is only read: new inputs go to a scratch directory that is deleted afterwards. A
# crash, a failed invariant, a timeout (an input slower than FUZZ_TIMEOUT s, default 10), a leak or an
# out-of-memory is a finding: the input is kept under Fuzz/.runs/TARGET/ (FUZZ_OUT overrides the place),
# its path and a stack summary are printed, and the script exits 1. One line per target says how it went.
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
all_targets=(profile threshold values http sockdiag hlog)
seconds="${1:-30}"
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")
out="${FUZZ_OUT:-$here/.runs}"
per_input_timeout="${FUZZ_TIMEOUT:-10}"

case "$seconds" in '' | *[!0-9]*) echo "fuzz: SECONDS must be a whole number (got '$seconds')" >&2; exit 2 ;; esac

binary_of() {
    case "$1" in
        profile) echo FuzzProfile ;;
        threshold) echo FuzzThreshold ;;
        values) echo FuzzValues ;;
        http) echo FuzzHTTP ;;
        sockdiag) echo FuzzSockDiag ;;
        hlog) echo FuzzHistogramLog ;;
        *) return 1 ;;
    esac
}
for t in "${targets[@]}"; do
    binary_of "$t" >/dev/null || { echo "fuzz: unknown target '$t' (known: ${all_targets[*]})" >&2; exit 2; }
done

# Coverage must be asked for explicitly: `--sanitize=fuzzer` alone leaves optimized Swift modules without
# counters, and libFuzzer then fuzzes blind. A scratch path of its own keeps builds with other flags apart.
scratch_build="$here/.build/libfuzzer"
mkdir -p "$out"
echo "fuzz: building the targets (release, libFuzzer + AddressSanitizer)"
build_start=$(date +%s)
# SwiftPM 6.3.1 passes its sanitizers to swiftc as separate -sanitize= options in a random order, and only
# the last one counts: about every other build had no AddressSanitizer. The one -Xswiftc option comes last.
if ! swift build --package-path "$here" --scratch-path "$scratch_build" -c release \
    --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address \
    -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp \
    >"$out/build.log" 2>&1 </dev/null; then
    grep -E "error:" "$out/build.log" | head -20
    echo "fuzz: build failed; full log in $out/build.log" >&2
    exit 1
fi
echo "fuzz: built in $(($(date +%s) - build_start)) s"
bin="$scratch_build/release"

# Fuzzing blind or without ASan would pass for the wrong reason: check that twload's own code carries both.
probe="$bin/TwloadEngine.build/HTTPResponseParser.swift.o"
if command -v objdump >/dev/null 2>&1 && [ -f "$probe" ]; then
    counters=$(objdump -h "$probe" | grep -c __sancov_cntrs)
    checks=$(objdump -dr "$probe" | grep -c __asan_report)
    if [ "${counters:-0}" -eq 0 ] || [ "${checks:-0}" -eq 0 ]; then
        echo "fuzz: $probe lacks coverage counters or AddressSanitizer checks; remove $scratch_build and retry" >&2
        exit 1
    fi
fi

# Swift's own crash backtracer and ASan's report fight over the crashed process; libFuzzer's report is enough.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}detect_odr_violation=0"

# The targets never resolve host names (they skip any that is not an IP literal), and they run in a
# network namespace of their own when the machine allows it, so that not even a stray lookup leaves it.
isolate=()
if command -v unshare >/dev/null 2>&1 && unshare -n true 2>/dev/null; then
    isolate=(unshare -n)
fi

# The first lines of a finding worth reading: the message, and the top frames in twload or the harness.
summarize() {
    local log="$1"
    grep -m1 -E "Fatal error|fuzz invariant|ERROR: AddressSanitizer|ERROR: LeakSanitizer|ERROR: libFuzzer|SUMMARY:" \
        "$log" | sed 's/^/    /'
    grep -E "^ +#[0-9]+ 0x[0-9a-f]+ in .*/Sources/" "$log" | grep -v "FuzzCheck.swift" | head -6 \
        | sed -E 's/^ +(#[0-9]+) 0x[0-9a-f]+ in ([^ ]+) (.*)$/\1 \2 \3/' \
        | { if command -v swift >/dev/null; then swift demangle --simplified; else cat; fi; } \
        | cut -c1-200 | sed 's/^/    /'
}

status=0
for t in "${targets[@]}"; do
    exe="$bin/$(binary_of "$t")"
    dir="$out/$t"
    rm -rf "$dir"
    mkdir -p "$dir"

    # Regressions: every saved input runs once and must pass.
    regressions=()
    if [ -d "$here/Regressions/$t" ]; then
        while IFS= read -r -d '' f; do regressions+=("$f"); done \
            < <(find "$here/Regressions/$t" -type f ! -name '*.md' -print0 | sort -z)
    fi
    if [ ${#regressions[@]} -gt 0 ]; then
        if ! "${isolate[@]}" "$exe" -timeout="$per_input_timeout" -rss_limit_mb=2048 "${regressions[@]}" \
            >"$dir/regressions.log" 2>&1 </dev/null; then
            failed=$(grep -E "^Running: " "$dir/regressions.log" | tail -1 | sed 's/^Running: //')
            echo "fuzz: $t: FAIL regression ${failed:-?} crashes again (log: $dir/regressions.log)"
            summarize "$dir/regressions.log"
            status=1
            continue
        fi
    fi

    # Fuzzing: new inputs go to a scratch corpus; the committed seeds are read, never written.
    scratch="$(mktemp -d)"
    start=$(date +%s)
    "${isolate[@]}" "$exe" "$scratch" "$here/Corpus/$t" \
        -max_total_time="$seconds" -timeout="$per_input_timeout" -rss_limit_mb=2048 \
        -artifact_prefix="$dir/" -print_final_stats=1 >"$dir/fuzz.log" 2>&1 </dev/null
    rc=$?
    elapsed=$(($(date +%s) - start))
    rm -rf "$scratch"

    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/fuzz.log" | tail -1)
    cov=$(grep -oE "cov: [0-9]+" "$dir/fuzz.log" | tail -1 | cut -d' ' -f2)
    finding=$(find "$dir" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \
        -o -name 'leak-*' -o -name 'slow-unit-*' \) ! -name 'slow-unit-*' | head -1)
    if [ $rc -eq 0 ] && [ -z "$finding" ]; then
        printf 'fuzz: %-9s ok    %4d s  %10s runs  cov %5s  %d regressions replayed\n' \
            "$t" "$elapsed" "${runs:-?}" "${cov:-?}" "${#regressions[@]}"
    else
        printf 'fuzz: %-9s FOUND %4d s  %10s runs  input: %s  (log: %s)\n' \
            "$t" "$elapsed" "${runs:-?}" "${finding:-none saved, exit $rc}" "$dir/fuzz.log"
        summarize "$dir/fuzz.log"
        if [ -n "$finding" ] && [ "$(stat -c %s "$finding")" -le 4096 ]; then
            echo "    input (base64): $(base64 -w0 "$finding")"
        fi
        echo "    keep it: cp '$finding' '$here/Regressions/$t/'   (then fix, and the replay checks it stays fixed)"
        status=1
    fi
done
exit $status
