#!/bin/sh
# readme_check.sh BUILD - the README's console examples are true: every
# "$ iislens ..." block is run, and every line it shows (other than "...")
# must appear in the command's real output. TAP output.
set -u
B=${1:-build}
cd "$(dirname "$0")/.." || exit 2
tmp=${TMPDIR:-/tmp}/iislens-readme.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
awk -v dir="$tmp" '
    /^```console$/ { inb = 1; n++; f = dir "/block" n; next }
    /^```$/ && inb { inb = 0; close(f); next }
    inb { print > f }
' README.md
n=0
for f in "$tmp"/block*; do
    [ -f "$f" ] || continue
    cmd=$(head -n 1 "$f" | sed 's/^\$ iislens //')
    IISLENS_NO_PROGRESS=1 NO_COLOR=1 sh -c "\"$B/iislens\" $cmd" > "$tmp/out" 2>/dev/null
    bad=0
    tail -n +2 "$f" | while IFS= read -r line; do
        case "$line" in *...|"") continue ;; esac
        grep -qxF -- "$line" "$tmp/out" || { echo "#   not in the output: $line"; exit 1; }
    done || bad=1
    n=$((n + 1))
    if [ $bad = 0 ]; then echo "ok $n - README: iislens $cmd"; else echo "not ok $n - README: iislens $cmd"; fi
done
echo "1..$n"
