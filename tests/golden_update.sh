#!/bin/sh
# golden_update.sh BUILD - rewrites the expected out/err/rc of every golden
# case from the current binary. Use it after a deliberate change, then read
# `git diff tests/golden` before committing: the diff is the review.
set -u
B=${1:-build}
cd "$(dirname "$0")/.." || exit 2
for d in tests/golden/*/; do
    [ -f "$d/args" ] || continue
    set --
    while IFS= read -r a || [ -n "$a" ]; do set -- "$@" "$a"; done < "$d/args"
    input=/dev/null
    [ -f "$d/stdin" ] && input="$d/stdin"
    env -u COLUMNS -u NO_COLOR TERM=dumb "$B/iislens" "$@" < "$input" > "$d/out" 2> "$d/err"
    echo $? > "$d/rc"
    [ -s "$d/err" ] || rm -f "$d/err"
done
echo "updated $(ls -d tests/golden/*/ | wc -l) cases"
