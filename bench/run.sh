#!/bin/sh
# run.sh BUILD - `make bench`: builds and runs the benchmarks in bench/.
# Figures go to docs/BENCHMARKS.md by hand, with the command and machine.
# BENCH_ITERS sets bench_kb's iterations; BENCH_SIZE the size of the log
# report.sh generates and reads (default 1G, kept in build/bench/).
set -eu
B=${1:-build}
cd "$(dirname "$0")/.."
mkdir -p "$B/bench"
${CC:-cc} -std=c11 -O2 -Iinclude -o "$B/bench/bench_kb" bench/bench_kb.c "$B/libiislens.a" -lpthread
echo "== bench_kb (knowledge-base lookups; $(nproc) cores, $(uname -m))"
"$B/bench/bench_kb" "${BENCH_ITERS:-2000000}"
echo
IISLENS="$B/iislens" sh bench/report.sh "${BENCH_SIZE:-1G}"
