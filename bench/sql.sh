#!/bin/sh
# sql.sh [SIZE] - the `iislens sql` benchmark: the same GROUP BY query over a
# generated IIS log of SIZE (default 1G) by iislens sql and by lnav's SQL
# (Debian package lnav; installed with apt-get when missing and run as root),
# in one run, plus two iislens rows for context:
#
#   iislens sql  "SELECT cs-uri-stem, COUNT(*) AS hits FROM FILE
#                 GROUP BY cs-uri-stem ORDER BY hits DESC LIMIT 10"
#   lnav -n -c  ';SELECT cs_uri_stem, count(*) AS hits FROM w3c_log
#                 GROUP BY cs_uri_stem ORDER BY hits DESC LIMIT 10' FILE
#   iislens sql  "SELECT COUNT(*) FROM FILE"      (the scan alone: the reader)
#   the first query with the grouped scan defeated (WHERE LogRow > 0: a
#   column outside the GROUP BY), so SQLite sorts every row itself
#
# Both answers are compared first (same 10 URLs and counts). Each command
# runs BENCH_RUNS times (default 3), round-robin, from a warm page cache;
# the table shows the median wall time. Files: build/bench/gen_log and
# build/bench/bench-SIZE.log, shared with bench/report.sh (generated when
# missing). Environment: IISLENS (default build/iislens), CC, BENCH_RUNS.
set -eu
cd "$(dirname "$0")/.."

BENCH_NAME=sql.sh
# shellcheck source=bench/common.sh
. bench/common.sh
median() {
    # shellcheck disable=SC2086 # split on purpose
    printf '%s\n' $1 | sort -n | awk '{ a[NR] = $1 } END {
        if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

if ! "$IISLENS" sql --list > /dev/null 2>&1; then
    echo "sql.sh: $IISLENS has no sql command (build it with SQLite: make)" >&2
    exit 2
fi
if ! command -v lnav > /dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null 2>&1; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q lnav > /dev/null
    else
        echo "sql.sh: lnav is not installed (Debian package lnav)" >&2
        exit 2
    fi
fi

bench_log

Q_IIS="SELECT cs-uri-stem, COUNT(*) AS hits FROM $LOG GROUP BY cs-uri-stem ORDER BY hits DESC LIMIT 10"
Q_LNAV=";SELECT cs_uri_stem, count(*) AS hits FROM w3c_log GROUP BY cs_uri_stem ORDER BY hits DESC LIMIT 10"
Q_COUNT="SELECT COUNT(*) FROM $LOG"
Q_SORT="SELECT cs-uri-stem, COUNT(*) AS hits FROM $LOG WHERE LogRow > 0 GROUP BY cs-uri-stem ORDER BY hits DESC LIMIT 10"

label() {
    case $1 in
    1) echo "iislens sql GROUP BY cs-uri-stem" ;;
    2) echo "lnav -n -c ';SELECT ... GROUP BY cs_uri_stem'" ;;
    3) echo "iislens sql SELECT COUNT(*) (scan only)" ;;
    4) echo "iislens sql GROUP BY, SQLite's sorter" ;;
    esac
}
run_row() {
    case $1 in
    1) "$IISLENS" sql --format csv "$Q_IIS" ;;
    2) lnav -n -c "$Q_LNAV" "$LOG" ;;
    3) "$IISLENS" sql --format csv "$Q_COUNT" ;;
    4) "$IISLENS" sql --format csv "$Q_SORT" ;;
    esac
}

cat "$LOG" > /dev/null
# the same answer from both
run_row 1 | tail -n +2 | tr -d '\r"' | tr ',' ' ' > "$OUT/sql-iislens.txt"
run_row 2 | awk 'NR > 1 && NF >= 2 { print $1, $2 }' > "$OUT/sql-lnav.txt"
if cmp -s "$OUT/sql-iislens.txt" "$OUT/sql-lnav.txt"; then
    same="yes"
else
    same="NO (see $OUT/sql-iislens.txt and $OUT/sql-lnav.txt)"
fi

r=1
while [ $r -le 4 ]; do eval "T_$r=''"; r=$((r + 1)); done
round=1
while [ $round -le "$RUNS" ]; do
    r=1
    while [ $r -le 4 ]; do
        t0=$(now)
        run_row $r > /dev/null 2>&1
        t1=$(now)
        eval "T_$r=\"\$T_$r \$(secs $t0 $t1)\""
        r=$((r + 1))
    done
    round=$((round + 1))
done

echo "== iislens sql vs lnav: $LOG ($BYTES bytes)"
echo "   $(nproc) cores, $(uname -m), $(date -u +%Y-%m-%d), $(lnav -V 2>&1 | head -n 1)," \
     "SQLite $("$IISLENS" sql --format csv 'SELECT sqlite_version()' | tail -n 1 | tr -d '\r"'), $RUNS runs each, median wall time, warm cache"
echo "   same top 10 from both: $same"
printf '%-48s %9s %7s  %s\n' "command" "median s" "MB/s" "runs (s)"
r=1
while [ $r -le 4 ]; do
    eval "t=\$T_$r"
    m=$(median "$t")
    eval "M_$r=$m"
    awk -v l="$(label $r)" -v m="$m" -v b="$BYTES" -v runs="$t" 'BEGIN {
        printf "%-48s %9.3f %7.0f %s\n", l, m, b / 1e6 / m, runs }'
    r=$((r + 1))
done
awk -v a="$M_2" -v b="$M_1" 'BEGIN { printf "lnav / iislens sql: %.1fx (target: at least 5x)\n", a / b }'
