#!/bin/sh
# Writes GitCommit.swift into $2: `let gitCommit: String? = "0638cde"` (with "-dirty" when tracked files
# differ from HEAD) when the package at $1 is the top of a git checkout, else `= nil` (a tarball, no git,
# or a package vendored inside someone else's repository, whose commit is not this package's).
# The file is rewritten only when its text changes, so an unchanged commit never recompiles anything.
set -u
root=$1
dir=$2
out="$dir/GitCommit.swift"
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE
commit=
if command -v git >/dev/null 2>&1 \
    && top=$(git -C "$root" rev-parse --show-toplevel 2>/dev/null) \
    && [ "$(cd "$top" && pwd -P)" = "$(cd "$root" && pwd -P)" ]; then
    commit=$(git -C "$root" rev-parse --short=7 HEAD 2>/dev/null) || commit=
    if [ -n "$commit" ] && ! git -C "$root" diff --quiet HEAD -- 2>/dev/null; then
        commit="$commit-dirty"
    fi
fi
if [ -n "$commit" ]; then value="\"$commit\""; else value=nil; fi
text="// Generated at build time by Plugins/GitCommit (git-commit.sh); not in the repository.
let gitCommit: String? = $value"
mkdir -p "$dir"
if [ "$(cat "$out" 2>/dev/null)" != "$text" ]; then
    printf '%s\n' "$text" > "$out.tmp" && mv "$out.tmp" "$out"
fi
