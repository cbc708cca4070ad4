# Shared set-up of the root benchmark scripts that run twload in a private network namespace.
# Sourced (not run) from the repository root by instructions.sh, pacing.sh, memory.sh and lowrate.sh:
#   . Benchmarks/namespace-setup.sh NAME
# It stops with a one-line reason unless root (unshare -n needs it), builds the release binary and sets
# TWLOAD to it, and sets `work` to a temporary directory removed on exit (kept when KEEP is set).
if [ "$(id -u)" != 0 ]; then echo "$1: needs root (network namespace)"; exit 1; fi
swift build -c release >/dev/null
TWLOAD="$(swift build -c release --show-bin-path)/twload"
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
export TWLOAD work
