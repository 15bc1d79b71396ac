# common.sh - what bench/report.sh and bench/sql.sh share, sourced by them
# from the project root with BENCH_NAME set and the SIZE argument as $1:
# the settings (SIZE, IISLENS, RUNS, OUT, GEN, LOG), a timer (now, secs)
# and bench_log, which builds bench/gen_log.c and generates the log of SIZE
# when either is missing or older than its source, then sets BYTES; and
# bench_folios FILE, which prints how the page cache holds FILE
# (bench/folios.c: `wc -l` reads a file in large folios faster).
SIZE=${1:-1G}
IISLENS=${IISLENS:-build/iislens}
RUNS=${BENCH_RUNS:-3}
OUT=build/bench
GEN=$OUT/gen_log
LOG=$OUT/bench-$SIZE.log

case $SIZE in
'' | *[!0-9.KMGTkmgtiB]*)
    echo "usage: bench/$BENCH_NAME [SIZE]   (SIZE like 200M or 1G; default 1G)" >&2
    exit 2 ;;
esac

now() { date +%s.%N; }
case $(now) in *N*) echo "$BENCH_NAME: needs a date(1) with %N (GNU coreutils)" >&2; exit 2 ;; esac
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

bench_log() {
    mkdir -p "$OUT"
    if [ ! -x "$GEN" ] || [ -n "$(find bench/gen_log.c -newer "$GEN")" ]; then
        ${CC:-cc} -std=c11 -O2 -Wall -Wextra -Wpedantic -o "$GEN" bench/gen_log.c
    fi
    if [ ! -f "$LOG" ] || [ -n "$(find "$GEN" -newer "$LOG")" ]; then
        t0=$(now)
        "$GEN" --size "$SIZE" > "$LOG.tmp"
        t1=$(now)
        mv "$LOG.tmp" "$LOG"
        gen_s=$(secs "$t0" "$t1")
        echo "generated $LOG: $(wc -c < "$LOG" | tr -d ' ') bytes in $gen_s s" \
             "($(awk -v b="$(wc -c < "$LOG")" -v s="$gen_s" 'BEGIN { printf "%.0f", b / 1e6 / s }') MB/s)"
    fi
    BYTES=$(wc -c < "$LOG" | tr -d ' ')
}

bench_folios() {
    if [ ! -x "$OUT/folios" ] || [ -n "$(find bench/folios.c -newer "$OUT/folios")" ]; then
        ${CC:-cc} -std=c11 -O2 -Wall -Wextra -Wpedantic -o "$OUT/folios" bench/folios.c ||
            { echo "page cache: unknown (bench/folios.c did not build)"; return 0; }
    fi
    "$OUT/folios" "$1" || echo "page cache: unknown"
}
