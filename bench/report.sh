#!/bin/sh
# report.sh [SIZE] - the log-engine benchmark. Times `iislens report` on a
# generated IIS log of SIZE (default 1G; 100M, 200M, 2G ... as gen_log reads
# them) against two references measured in the same run: `wc -l` (reading the
# bytes and nothing else: the floor) and mawk running bench/top5xx.awk (a
# smaller job than the report: triples and top 5xx URLs only).
#
# Each command runs 3 times, round-robin so a noisy neighbour hurts all rows
# alike, from a warm page cache; the table shows the median wall time. With
# GNU time at /usr/bin/time (Debian package `time`) every run goes through
# `time -v` (about a millisecond each) and the table shows peak RSS.
# Rows whose command does not exist yet say so and the rest still runs.
#
# Files: build/bench/gen_log (built from bench/gen_log.c when missing or
# older) and build/bench/bench-SIZE.log (generated when missing or older than
# the generator; delete it to regenerate). Environment: IISLENS (default
# build/iislens), CC (default cc), BENCH_RUNS (default 3), BENCH_FRESH
# (default 1: time a fresh copy of the log, build/bench/fresh-SIZE.log,
# written just before and removed after. `wc -l` reads a file written in
# one go faster than one whose page cache has aged, so the fresh copy is
# the harder case for the factor to `wc -l` and the same case every run;
# 0 times the generated log as it is; docs/BENCHMARKS.md). The header says
# how the page cache holds the timed file (bench/folios.c, built into
# build/bench/folios; it needs root, else "unknown"): a file held in
# 64 KiB folios, as a fresh copy is, reads faster than one in 4 KiB pages.
set -eu
cd "$(dirname "$0")/.."

BENCH_NAME=report.sh
# shellcheck source=bench/common.sh
. bench/common.sh

bench_log
if [ "${BENCH_FRESH:-1}" = 1 ]; then
    FRESH=$OUT/fresh-$SIZE.log
    trap 'rm -f "$FRESH"' EXIT
    trap 'exit 130' INT TERM # and so through the EXIT trap
    cp "$LOG" "$FRESH"
    LOG=$FRESH
fi

# the rows: label and command (the file is appended where FILE stands)
HAVE_MAWK=0
command -v mawk > /dev/null 2>&1 && HAVE_MAWK=1
HAVE_REPORT=0
"$IISLENS" report --help > /dev/null 2>&1 && HAVE_REPORT=1
TIMEV=""
/usr/bin/time -v true > /dev/null 2>&1 && TIMEV=/usr/bin/time

NROWS=4
label() {
    case $1 in
    1) echo "wc -l FILE" ;;
    2) echo "mawk -f bench/top5xx.awk FILE" ;;
    3) echo "iislens report FILE --format json" ;;
    4) echo "iislens report --threads 1 FILE --format json" ;;
    esac
}
available() {
    case $1 in
    1) return 0 ;;
    2) [ $HAVE_MAWK = 1 ] ;;
    *) [ $HAVE_REPORT = 1 ] ;;
    esac
}
# runs row k once; under GNU time (-v, report in $OUT/time.txt) when there is one
run_row() {
    set -- "$1" ${TIMEV:+$TIMEV -v -o "$OUT/time.txt"}
    k=$1
    shift
    case $k in
    1) "$@" wc -l "$LOG" ;;
    2) "$@" mawk -f bench/top5xx.awk "$LOG" ;;
    3) "$@" "$IISLENS" report "$LOG" --format json ;;
    4) "$@" "$IISLENS" report --threads 1 "$LOG" --format json ;;
    esac
}

echo "== iislens report vs wc -l and mawk: $LOG ($BYTES bytes)"
echo "   $(nproc) cores, $(uname -m), $(date -u +%Y-%m-%d)," \
     "$( [ $HAVE_MAWK = 1 ] && mawk -W version 2>&1 | head -1 || echo 'no mawk')," \
     "$RUNS runs each, median wall time, warm cache"
cat "$LOG" > /dev/null
echo "   $(bench_folios "$LOG")"

# T_k: the run times of row k; R_k: its biggest peak RSS in KiB; F_k: failure
t="" f="" kb=0
r=1
while [ $r -le $NROWS ]; do
    eval "T_$r=''; R_$r=0; F_$r=''"
    r=$((r + 1))
done
round=1
while [ $round -le "$RUNS" ]; do
    r=1
    while [ $r -le $NROWS ]; do
        if available $r && eval "[ -z \"\$F_$r\" ]"; then
            rc=0
            t0=$(now)
            run_row $r > /dev/null 2> "$OUT/err.txt" || rc=$?
            t1=$(now)
            if [ $rc != 0 ]; then
                eval "F_$r=\"failed (exit $rc): \$(head -1 \"$OUT/err.txt\")\""
            else
                eval "T_$r=\"\$T_$r \$(secs $t0 $t1)\""
                if [ -n "$TIMEV" ]; then
                    kb=$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$OUT/time.txt")
                    eval "[ \"\${kb:-0}\" -gt \$R_$r ] && R_$r=\$kb" || true
                fi
            fi
        fi
        r=$((r + 1))
    done
    round=$((round + 1))
done
rm -f "$OUT/time.txt" "$OUT/err.txt"

# median of the space-separated numbers in $1
median() {
    # shellcheck disable=SC2086 # split on purpose
    printf '%s\n' $1 | sort -n | awk '{ a[NR] = $1 } END {
        if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

WC=$(median "$T_1")
MAWK=""
[ $HAVE_MAWK = 1 ] && [ -z "$F_2" ] && MAWK=$(median "$T_2")
printf '%-46s %9s %7s %8s %10s  %s\n' "command" "median s" "GB/s" "x wc -l" "peak RSS" "runs (s)"
r=1
while [ $r -le $NROWS ]; do
    l=$(label $r)
    eval "t=\$T_$r; f=\$F_$r; kb=\$R_$r"
    if ! available $r; then
        case $r in
        2) printf '%-46s %s\n' "$l" "mawk: not installed (Debian package mawk)" ;;
        *) printf '%-46s %s\n' "$l" "iislens report: not built yet" ;;
        esac
    elif [ -n "$f" ]; then
        printf '%-46s %s\n' "$l" "$f"
    else
        m=$(median "$t")
        rss="-"
        [ "$kb" -gt 0 ] && rss=$(awk -v k="$kb" 'BEGIN { printf "%.1f MiB", k / 1024 }')
        awk -v l="$l" -v m="$m" -v b="$BYTES" -v wc="$WC" -v rss="$rss" -v runs="$t" 'BEGIN {
            printf "%-46s %9.3f %7.2f %8.1f %10s %s\n", l, m, b / 1e9 / m, m / wc, rss, runs }'
    fi
    r=$((r + 1))
done
for r in 3 4; do
    eval "t=\$T_$r; f=\$F_$r"
    if [ -n "$MAWK" ] && available $r && [ -z "$f" ]; then
        awk -v l="$(label $r)" -v a="$MAWK" -v m="$(median "$t")" 'BEGIN {
            printf "mawk / %s: %.2f\n", l, a / m }'
    fi
done
if [ $HAVE_REPORT = 0 ]; then
    echo "mawk / iislens report: n/a (iislens report not built yet)"
fi
[ -n "$TIMEV" ] || echo "(peak RSS needs GNU time at /usr/bin/time: Debian package 'time')"
