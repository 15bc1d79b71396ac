#!/bin/sh
# run.sh BUILD - runs every test of `make test` and ends with the line
# "N passed, N failed". Unit tests speak TAP; golden cases compare the
# command's stdout, stderr and exit code with files; fuzz regressions replay
# the corpus and every crash ever found. When build/iislens.exe and wine are
# present, the explain and report golden cases also run against the Windows
# binary.
set -u
B=${1:-build}
cd "$(dirname "$0")/.." || exit 2
pass=0
fail=0

# tap NAME CMD... : run a TAP producer, count its results
tap() {
    name=$1
    shift
    out=$("$@" 2>&1)
    rc=$?
    p=$(printf '%s\n' "$out" | grep -c '^ok ')
    f=$(printf '%s\n' "$out" | grep -c '^not ok ')
    printf '%s\n' "$out" | grep -A3 '^not ok ' | sed "s|^|  $name: |"
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        printf '%s\n' "$out" | tail -n 20 | sed "s|^|  $name: |"
        echo "not ok - $name exited with $rc"
        f=$((f + 1))
    fi
    echo "$name: $p passed, $f failed"
    pass=$((pass + p))
    fail=$((fail + f))
}

# golden BIN LABEL DIR... : compare each case's out/err/rc
golden() {
    bin=$1
    label=$2
    shift 2
    gp=0
    gf=0
    tmp=${TMPDIR:-/tmp}/iislens-golden.$$
    mkdir -p "$tmp"
    for d in "$@"; do
        [ -f "$d/args" ] || continue
        set --
        while IFS= read -r a || [ -n "$a" ]; do set -- "$@" "$a"; done < "$d/args"
        input=/dev/null
        [ -f "$d/stdin" ] && input="$d/stdin"
        env -u COLUMNS -u NO_COLOR TERM=dumb $bin "$@" < "$input" > "$tmp/out" 2> "$tmp/err"
        rc=$?
        want_rc=$(cat "$d/rc" 2>/dev/null || echo 0)

        ok=1
        cmp -s "$tmp/out" "$d/out" || ok=0
        if [ -f "$d/err" ]; then cmp -s "$tmp/err" "$d/err" || ok=0
        else [ -s "$tmp/err" ] && ok=0; fi

        [ "$rc" = "$want_rc" ] || ok=0
        if [ $ok = 1 ]; then
            gp=$((gp + 1))
        else
            gf=$((gf + 1))
            echo "not ok - $label $d (rc $rc, want $want_rc)"
            diff "$d/out" "$tmp/out" | head -n 10 | sed 's/^/    /'
            [ -f "$d/err" ] && diff "$d/err" "$tmp/err" | head -n 5 | sed 's/^/    /'
        fi
    done
    rm -rf "$tmp"
    echo "$label: $gp passed, $gf failed"
    pass=$((pass + gp))
    fail=$((fail + gf))
}

for t in test_buf test_logfmt test_logfmt_portable test_code test_kb test_explain test_source test_agg test_reader; do
    tap "$t" "$B/tests/$t"
done
tap test_real "$B/tests/test_real" ../shared/corpus/real
for t in explain logline engine report filter sql; do
    if [ "$t" = sql ] && [ ! -x "$B/tests/fuzz_replay_sql" ]; then
        echo "ok - fuzz-regress-sql # SKIP this build has no SQLite (make SQLITE=0)"
        continue
    fi
    tap "fuzz-regress-$t" "$B/tests/fuzz_replay_$t" "tests/fuzz/corpus/$t" "tests/fuzz/regress/$t"
done
tap report-check sh tests/report/check.sh "$B"
tap html-check sh tests/html/check.sh "$B"
tap readme-check sh tests/readme_check.sh "$B"
tap sql-check sh tests/sql/check.sh "$B"
golden "$B/iislens" golden tests/golden/*/

WINE=""
for w in wine64 /usr/lib/wine/wine64 wine; do
    if command -v "$w" >/dev/null 2>&1; then WINE=$w; break; fi
done
if [ -f build/iislens.exe ] && [ -n "$WINE" ]; then
    export WINEDEBUG=-all WINEPREFIX="$PWD/build/wineprefix"
    $WINE build/iislens.exe version >/dev/null 2>&1 # create the prefix quietly
    golden "$WINE build/iislens.exe" windows tests/golden/explain-*/ tests/golden/report-*/
else
    echo "windows: skipped (no build/iislens.exe or no wine)"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
