#!/bin/sh
# shellcheck disable=SC2016 # the awk programs are single-quoted on purpose
# variation.sh [LINES] - what the variety of the data costs the report.
#
# Takes the first LINES data lines (default 2000000) of the benchmark log
# (build/bench/bench-1G.log, generated as bench/report.sh does) and writes
# variants of them in which one field holds the same value on every line,
# then times `iislens report --threads 1 FILE --format json` on each,
# interleaved in a new random order each round, and prints the median wall time and its difference to the
# unchanged lines. A field whose variants are much cheaper is one where the
# variety of values costs (branches that cannot be predicted, table
# entries and histogram buckets that are not in cache), not the work
# itself; "same line" repeats the first data line, so nothing varies.
# The variants keep the line count, not the byte count: "referer" makes
# the file smaller, "url-40" and "same line" change it too (the table
# shows both).
#
# Files: build/bench/var/*.log (kept; delete the folder to rebuild them).
# Environment: IISLENS (default build/iislens), BENCH_RUNS (default 7).
# Needs mawk or another awk (AWK) and shuf (coreutils). docs/BENCHMARKS.md has results.
set -eu
cd "$(dirname "$0")/.."
LINES=${1:-2000000}
case $LINES in
'' | *[!0-9]*) echo "usage: bench/variation.sh [LINES]" >&2; exit 2 ;;
esac
BENCH_NAME=variation.sh
set -- 1G # common.sh's SIZE: the benchmark log
# shellcheck source=bench/common.sh
. bench/common.sh
RUNS=${BENCH_RUNS:-7}
AWK=${AWK:-$(command -v mawk || command -v awk)}
bench_log
VAR=$OUT/var
mkdir -p "$VAR"

# the head of the log; the variants refer to fields by their #Fields names
BASE=$VAR/base-$LINES.log
if [ ! -f "$BASE" ] || [ -n "$(find "$LOG" -newer "$BASE")" ]; then
    "$AWK" -v n="$LINES" '/^#/ { print; next } { print; if (++d == n) exit }' "$LOG" > "$BASE.tmp"
    mv "$BASE.tmp" "$BASE"
fi
if [ "$(grep -c '^#Fields:' "$BASE")" != 1 ]; then
    echo "variation.sh: the first $LINES lines hold a #Fields change; use fewer" >&2
    exit 2
fi

# variant NAME AWK-STATEMENTS: f["field"] is the field's column
variant() {
    out=$VAR/$1-$LINES.log
    if [ ! -f "$out" ] || [ -n "$(find "$BASE" -newer "$out")" ]; then
        "$AWK" '
            { cr = sub(/\r$/, "") ? "\r" : "" } # IIS ends lines with CRLF
            /^#Fields:/ { for (i = 2; i <= NF; i++) f[$i] = i - 1; print $0 cr; next }
            /^#/ { print $0 cr; next }
            { '"$2"'; print $0 cr }' "$BASE" > "$out.tmp"
        mv "$out.tmp" "$out"
    fi
}
variant copy 'x = 0'
variant url '$f["cs-uri-stem"] = "/reports/Forecast/networking-17.aspx"'
variant url-40 's = $f["cs-uri-stem"] "________________________________________"; $f["cs-uri-stem"] = substr(s, 1, 40)'
variant query '$f["cs-uri-query"] = "-"'
variant url+query '$f["cs-uri-stem"] = "/reports/Forecast/networking-17.aspx"; $f["cs-uri-query"] = "-"'
variant client '$f["c-ip"] = "10.21.8.126"'
variant agent '$f["cs(User-Agent)"] = "Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+AppleWebKit/537.36+(KHTML,+like+Gecko)+Chrome/131.0.0.0+Safari/537.36"'
variant referer '$f["cs(Referer)"] = "-"'
variant status '$f["sc-status"] = "200"; $f["sc-substatus"] = "0"; $f["sc-win32-status"] = "0"'
variant time-taken '$f["time-taken"] = "100"'
variant time '$f["time"] = "00:00:03"'
variant same-line 'if (!first) first = $0; $0 = first'

NAMES="base copy url url-40 query url+query client agent referer status time-taken time same-line"
file() { [ "$1" = base ] && echo "$BASE" || echo "$VAR/$1-$LINES.log"; }
cat "$BASE" "$VAR"/*-"$LINES".log > /dev/null

echo "== the cost of varied data: iislens report --threads 1 on $LINES lines"
echo "   $(nproc) cores, $(uname -m), $(date -u +%Y-%m-%d), $RUNS runs each" \
     "(interleaved), median wall time, warm cache"
res=$(mktemp)
trap 'rm -f "$res"' EXIT
r=0
while [ $r -lt "$RUNS" ]; do
    # a new order each round: a file's place in the round must not matter
    # shellcheck disable=SC2086 # split on purpose
    for n in $(printf '%s\n' $NAMES | shuf); do
        s=$(now)
        "$IISLENS" report --threads 1 "$(file "$n")" --format json > /dev/null
        e=$(now)
        echo "$n $(secs "$s" "$e")" >> "$res"
    done
    r=$((r + 1))
done
printf '%-12s %-62s %8s %9s %8s\n' "variant" "what holds one value" "MB" "median ms" "vs base"
for n in $NAMES; do
    case $n in
    base) what="nothing: the log's own lines" ;;
    copy) what="nothing: base, written again as the variants are (a control)" ;;
    url) what="cs-uri-stem" ;;
    url-40) what="cs-uri-stem's length (40 bytes; the values stay distinct)" ;;
    query) what="cs-uri-query (-)" ;;
    url+query) what="cs-uri-stem and cs-uri-query" ;;
    client) what="c-ip" ;;
    agent) what="cs(User-Agent)" ;;
    referer) what="cs(Referer) (-)" ;;
    status) what="sc-status, sc-substatus, sc-win32-status (200 0 0)" ;;
    time-taken) what="time-taken (100)" ;;
    time) what="time (00:00:03; the date is one day already): one minute" ;;
    same-line) what="everything: the first data line, repeated" ;;
    esac
    mb=$(wc -c < "$(file "$n")" | awk '{ printf "%.0f", $1 / 1e6 }')
    grep "^$n " "$res" | awk '{ print $2 }' | sort -n |
        awk -v n="$n" -v w="$what" -v mb="$mb" '{ v[NR] = $1 * 1000 } END {
            m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            printf "%-12s %-62s %8s %9.0f", n, w, mb, m; print "" }'
done | awk 'NR == 1 { b = $NF } { d = $NF - b; printf "%s %+7.0f\n", $0, d }'
