#!/bin/sh
# ab.sh [-t THREADS] [-n ROUNDS] FILE BINARY... - compare builds of iislens
# on one file: runs `BINARY report --threads THREADS FILE --format json`
# for each binary in turn, ROUNDS times (interleaved, so a busy neighbour
# on a shared machine slows every binary alike), and prints the median and
# minimum wall time of each. Used for the A/B figures in docs/BENCHMARKS.md;
# bench/report.sh gives the absolute figures and ratios.
#   sh bench/ab.sh -t 2 -n 7 build/bench/bench-1G.log /tmp/old/iislens build/iislens
set -eu
THREADS=1
ROUNDS=5
while [ $# -gt 0 ]; do
    case $1 in
    -t) THREADS=$2; shift 2 ;;
    -n) ROUNDS=$2; shift 2 ;;
    *) break ;;
    esac
done
if [ $# -lt 2 ]; then
    echo "usage: bench/ab.sh [-t THREADS] [-n ROUNDS] FILE BINARY..." >&2
    exit 2
fi
FILE=$1
shift
now() { date +%s%N; }
case $(now) in *N*) echo "ab.sh: needs a date(1) with %N (GNU coreutils)" >&2; exit 2 ;; esac
out=$(mktemp)
trap 'rm -f "$out"' EXIT
r=0
while [ $r -lt "$ROUNDS" ]; do
    i=0
    for b in "$@"; do
        s=$(now)
        "$b" report --threads "$THREADS" "$FILE" --format json > /dev/null
        e=$(now)
        echo "$i $(( (e - s) / 1000000 ))" >> "$out"
        i=$((i + 1))
    done
    r=$((r + 1))
done
i=0
for b in "$@"; do
    awk -v i=$i '$1 == i { print $2 }' "$out" | sort -n |
        awk -v b="$b" -v t="$THREADS" '{ v[NR] = $1 } END {
            printf "%-40s threads %s  median %d ms  min %d ms  (%d runs)\n", b, t, v[int((NR + 1) / 2)], v[1], NR }'
    i=$((i + 1))
done
