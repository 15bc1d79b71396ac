#!/bin/sh
# check.sh BUILD [--update] - tests of `iislens sql` (TAP): the unit test of
# the rewriter and the functions (test_sql), every built-in query against
# its golden output on the bundled sample (tests/sql/golden) and on the real
# samples in ../shared/corpus/real (tests/sql/golden-real; skipped when the
# folder is absent), `sql` and `report` agreeing on the same files, the
# output formats, Log Parser's ways of naming sources, query errors with
# their position, empty inputs, a file that vanishes mid-query, a #Fields
# change part-way through a file, the HTTPERR/FTP/IIS native/NCSA columns,
# and the pushed-down filters giving the same rows as SQLite's own.
# --update rewrites the golden files from the current binary (review the
# diff: every golden was checked by hand when it was written).
set -u
B=${1:-build}
UPDATE=${2:-}
cd "$(dirname "$0")/../.." || exit 2
bin=$B/iislens
S=data/sample/LogFiles
R=../shared/corpus/real
tmp=${TMPDIR:-/tmp}/iislens-sql-check.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
n=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
export IISLENS_NO_PROGRESS=1
unset COLUMNS NO_COLOR

if ! "$bin" sql --list > /dev/null 2>&1; then
    skip "iislens sql" "this build has no SQLite (make SQLITE=0)"
    echo "1..$n"
    exit 0
fi

# the unit test, renumbered into this plan
if [ -x "$B/tests/test_sql" ]; then
    "$B/tests/test_sql" > "$tmp/unit.out" 2>&1
    rc=$?
    while IFS= read -r line; do
        case $line in
        "ok "*) ok 0 "test_sql: ${line#* - }" ;;
        "not ok "*) ok 1 "test_sql: ${line#* - }" ;;
        "#"*) echo "$line" ;;
        esac
    done < "$tmp/unit.out"
    [ $rc = 0 ] || grep -q '^not ok' "$tmp/unit.out" || ok 1 "test_sql exited with $rc"
else
    ok 1 "test_sql is built ($B/tests/test_sql)"
fi

# golden DIR NAME ARGS...: stdout of `iislens sql ARGS` equals DIR/NAME
golden() {
    dir=$1
    name=$2
    shift 2
    "$bin" sql "$@" > "$tmp/out" 2> "$tmp/err"
    rc=$?
    if [ "$UPDATE" = --update ]; then
        mkdir -p "$dir"
        cp "$tmp/out" "$dir/$name"
    fi
    if [ $rc = 0 ] && [ ! -s "$tmp/err" ] && cmp -s "$tmp/out" "$dir/$name"; then
        ok 0 "golden $dir/$name"
    else
        ok 1 "golden $dir/$name (rc $rc)"
        diff "$dir/$name" "$tmp/out" 2>&1 | head -n 10 | sed 's/^/#   /'
        head -n 3 "$tmp/err" | sed 's/^/#   /'
    fi
}

# every built-in query on the bundled sample, and each has a golden file
builtins=$("$bin" sql --list | awk '{ print $1 }')
nb=$(printf '%s\n' "$builtins" | grep -c .)
[ "$nb" -ge 20 ]; ok $? "--list shows $nb built-in queries (at least 20)"
for q in $builtins; do
    golden tests/sql/golden "$q.out" "$q" "$S"
done
for f in tests/sql/golden/*.out; do
    q=$(basename "$f" .out)
    printf '%s\n' "$builtins" | grep -qx -- "$q"; ok $? "golden $q.out belongs to a built-in query"
done
golden tests/sql/golden top-urls.csv --format csv top-urls "$S"
golden tests/sql/golden status-codes.json status-codes --format=json "$S"
golden tests/sql/golden httperr-reasons.ndjson --format ndjson httperr-reasons "$S"
golden tests/sql/golden show-top-urls.txt --show top-urls

# --top N: every built-in takes it; N rows at most, the first N of the full
# answer; 0 gives every row; a user's own query is told to use SELECT TOP
bad_top=""
for q in $builtins; do
    "$bin" sql --format ndjson "$q" "$S" > "$tmp/all.nd" 2> /dev/null
    "$bin" sql --format ndjson --top 2 "$q" "$S" > "$tmp/top2.nd" 2> "$tmp/err" || bad_top="$bad_top $q"
    head -n 2 "$tmp/all.nd" | cmp -s - "$tmp/top2.nd" || bad_top="$bad_top $q"
done
[ -z "$bad_top" ]; ok $? "--top 2 gives the first 2 rows of every built-in query${bad_top:+ (not:$bad_top)}"
"$bin" sql --format ndjson --top 0 top-urls "$S" | grep -c . > "$tmp/n_all"
"$bin" sql --format csv "SELECT COUNT(DISTINCT cs-uri-stem) FROM logs WHERE cs-uri-stem IS NOT NULL AND Format <> 'httperr'" "$S" |
    tail -n 1 | tr -d '\r' | cmp -s - "$tmp/n_all"; ok $? "--top 0 lifts the built-in's TOP 10: every URL"
"$bin" sql --top 3 "SELECT cs-uri-stem FROM logs" "$S" > /dev/null 2> "$tmp/err"
[ $? = 2 ] && grep -q "SELECT TOP" "$tmp/err"; ok $? "--top with a query of one's own: exit 2, SELECT TOP suggested"
"$bin" sql --top -1 top-urls "$S" > /dev/null 2>&1; [ $? = 2 ]; ok $? "--top -1 refused (exit 2)"

if [ -d "$R" ]; then
    for q in $builtins; do
        golden tests/sql/golden-real "$q.out" "$q" "$R"
    done
else
    skip "built-in queries on the real samples" "$R is absent"
fi

# --- sql and report agree ------------------------------------------------------------------
gen=$B/bench/gen_log
if [ ! -x "$gen" ]; then
    mkdir -p "$B/bench"
    ${CC:-cc} -std=c11 -O2 -o "$gen" bench/gen_log.c || { ok 1 "build gen_log"; exit 1; }
fi
"$gen" --size 2M --seed 11 --fields-change 0.5 > "$tmp/gen.log"
codes_q="SELECT CASE Format WHEN 'ftp' THEN 'ftp' ELSE 'http' END, IFNULL(sc-status, -1), sc-substatus,
         sc-win32-status, COUNT(*) FROM logs WHERE Format <> 'httperr' GROUP BY 1, 2, 3, 4"
for src in "$S" "$tmp/gen.log" "$R"; do
    [ -e "$src" ] || continue
    "$bin" report --format csv --table codes "$src" | tail -n +2 | cut -d, -f1-5 | tr -d '\r' | sort > "$tmp/codes.report"
    "$bin" sql --format csv "$codes_q" "$src" | tail -n +2 | tr -d '\r"' | sort > "$tmp/codes.sql"
    [ -s "$tmp/codes.sql" ] && cmp -s "$tmp/codes.report" "$tmp/codes.sql"
    ok $? "counts per code: sql = report on $src"
    "$bin" report --format csv --table urls "$src" | tail -n +2 | head -n 10 | tr -d '\r' > "$tmp/urls.report"
    "$bin" sql --format csv top-urls "$src" | tail -n +2 | tr -d '\r' > "$tmp/urls.sql"
    [ -s "$tmp/urls.sql" ] && cmp -s "$tmp/urls.report" "$tmp/urls.sql"
    ok $? "top URLs: sql = report on $src"
    req=$("$bin" report --format json "$src" | sed -n 's/.*"requests":\([0-9]*\),.*/\1/p' | head -n 1)
    cnt=$("$bin" sql --format csv "SELECT COUNT(*) FROM logs WHERE Format <> 'httperr'" "$src" | tail -n 1 | tr -d '\r')
    [ -n "$req" ] && [ "$req" = "$cnt" ]; ok $? "requests: sql = report on $src ($cnt)"
done
# same rows, whether the filters are pushed into the scan or SQLite applies them
t100=$("$bin" sql --format csv "SELECT timestamp FROM logs WHERE LogRow = 100" "$tmp/gen.log" | tail -n 1 | tr -d '\r"')
for w in "timestamp >= '2026-11-24 09:30' AND timestamp < '2026-11-24 10:15:07'" \
         "sc-status = 401" "sc-status >= 500 AND sc-status < 503" "sc-status IN (404; 500)" \
         "timestamp > '2026-11-24 09:59:59' AND sc-status > 200" "timestamp <= '2026-11-24 01'" \
         "timestamp = '$t100'" "timestamp > '2026-11-24T09:00'"; do
    "$bin" sql --format csv "SELECT LogRow, sc-status, timestamp FROM logs WHERE $w" "$tmp/gen.log" > "$tmp/p1"
    w2=$(printf '%s' "$w" | sed 's/timestamp/(timestamp || '"''"')/g; s/sc-status/(sc-status + 0)/g')
    "$bin" sql --format csv "SELECT LogRow, sc-status, timestamp FROM logs WHERE $w2" "$tmp/gen.log" > "$tmp/p2"
    [ "$(wc -l < "$tmp/p1")" -gt 1 ] || [ "$w" = "timestamp <= '2026-11-24 01'" ] || [ "$w" = "timestamp > '2026-11-24T09:00'" ]
    r1=$?
    cmp -s "$tmp/p1" "$tmp/p2" && [ $r1 = 0 ]; ok $? "pushed-down filter gives SQLite's rows: $w ($(($(wc -l < "$tmp/p1") - 1)) rows)"
done
# GROUP BY delivered grouped by the table = SQLite's sorter (a condition on
# another column of logs, always true, makes SQLite sort the rows itself)
for q in "SELECT cs-uri-stem, COUNT(*) AS n FROM logs GROUP BY cs-uri-stem ORDER BY n DESC, 1" \
         "SELECT DISTINCT c-ip FROM logs ORDER BY 1" \
         "SELECT sc-status, sc-substatus, COUNT(*), MAX(sc-status) FROM logs WHERE sc-status >= 400 GROUP BY 1, 2 ORDER BY 1, 2" \
         "SELECT X-Forwarded-For, date, COUNT(*) FROM logs GROUP BY 1, 2 ORDER BY 3 DESC, 1"; do
    "$bin" sql --format csv "$q" "$tmp/gen.log" > "$tmp/g1"
    case $q in
    *WHERE*) q2=$(printf '%s' "$q" | sed 's/ WHERE / WHERE LogRow > 0 AND /') ;;
    *) q2=$(printf '%s' "$q" | sed 's/FROM logs/FROM logs WHERE LogRow > 0/') ;;
    esac
    "$bin" sql --format csv "$q2" "$tmp/gen.log" > "$tmp/g2"
    [ "$(wc -l < "$tmp/g1")" -gt 2 ] && cmp -s "$tmp/g1" "$tmp/g2"; ok $? "grouped scan = sorter: $q"
done

# --- sources, options, formats ------------------------------------------------------------------
mkdir -p "$tmp/with space"
cp "$S/W3SVC1/u_ex261124.log" "$tmp/with space/u_ex261124.log"
gzip -c "$S/W3SVC1/u_ex261124.log" > "$tmp/with space/u_ex261125.log.gz"
c=$(cd "$tmp" && "$OLDPWD/$bin" sql --format csv "SELECT COUNT(*) FROM 'with space/u_ex*.log'" | tail -n 1 | tr -d '\r')
[ "$c" = 1139 ]; ok $? "FROM 'path with spaces/*.log' ($c)"
c=$("$bin" sql --format csv "SELECT COUNT(*) AS n FROM \"$tmp/with space/u_ex*.log.gz\"" | tail -n 1 | tr -d '\r')
[ "$c" = 1139 ]; ok $? "FROM a .gz file ($c)"
c=$("$bin" sql --format csv "SELECT COUNT(DISTINCT LogFilename) FROM logs" "$tmp/with space" | tail -n 1 | tr -d '\r')
[ "$c" = 2 ]; ok $? "FROM logs with a folder after the query ($c files)"
c=$("$bin" sql "SELECT COUNT(*) FROM $S/W3SVC1, $S/HTTPERR/httperr1.log" --format=csv | tail -n 1 | tr -d '\r')
[ "$c" = 1143 ]; ok $? "FROM a list of a folder and a file, options after the query ($c)"
c=$("$bin" sql --format csv "SELECT COUNT(*) FROM STDIN" < "$S/W3SVC1/u_ex261124.log" | tail -n 1 | tr -d '\r')
[ "$c" = 1139 ]; ok $? "FROM STDIN ($c)"
"$bin" sql --format json "SELECT sc-status, COUNT(*) AS n FROM logs WHERE sc-status >= 500 GROUP BY 1 ORDER BY 1" "$S" > "$tmp/j"
printf '[\n{"sc-status":500,"n":62},\n{"sc-status":502,"n":15},\n{"sc-status":503,"n":1}\n]\n' | cmp -s - "$tmp/j"
ok $? "JSON: an array of objects with IIS names and typed values"
"$bin" sql --format csv "SELECT '=cmd()' AS a, 'x,\"y\"' AS b, NULL AS c, 1.5 AS d, -3 AS e" > "$tmp/c"
printf 'a,b,c,d,e\r\n"'"'"'=cmd()","x,""y""",,1.5,-3\r\n' | cmp -s - "$tmp/c"
ok $? "CSV: RFC 4180 quoting, formula-safe text, numbers bare, NULL empty"
"$bin" sql "SELECT 'a'||char(27)||'[31m' AS t, 'CONTOSO\\bob' AS u, 12 AS n" > "$tmp/t"
printf 't          u             n\n---------  -----------  --\na\\x1b[31m  CONTOSO\\bob  12\n' | cmp -s - "$tmp/t"
ok $? "table: escapes control characters, keeps backslashes, numbers right-aligned"
"$bin" sql --width 40 "SELECT cs(User-Agent), COUNT(*) AS n FROM logs GROUP BY 1 ORDER BY 2 DESC LIMIT 2" "$S" > "$tmp/w"
awk 'length($0) > 40 { bad = 1 } END { exit bad }' "$tmp/w" && grep -q '\.\.\. ' "$tmp/w"
ok $? "table: --width 40 truncates cells with ..."

# --- errors --------------------------------------------------------------------------------------
# err NAME RC QUERY ARGS...: exit code and the exact message (tests/sql/errors/NAME.err)
err() {
    name=$1
    want=$2
    shift 2
    "$bin" sql "$@" > "$tmp/out" 2> "$tmp/err"
    rc=$?
    [ "$UPDATE" = --update ] && mkdir -p tests/sql/errors && cp "$tmp/err" "tests/sql/errors/$name.err"
    if [ $rc = "$want" ] && cmp -s "$tmp/err" "tests/sql/errors/$name.err"; then
        ok 0 "error $name (rc $rc)"
    else
        ok 1 "error $name (rc $rc, want $want)"
        diff "tests/sql/errors/$name.err" "$tmp/err" 2>&1 | head -n 8 | sed 's/^/#   /'
    fi
}
err unknown-column 2 "SELECT TOP 3 cs-uri-stm, COUNT(*) FROM $S GROUP BY 1"
err unknown-column-paren 2 "SELECT cs(User-Agnt) FROM logs" "$S"
err syntax 2 "SELECT cs-uri-stem FORM $S"
err unclosed 2 "SELECT TOP 3 cs-uri-stem FROM logs WHERE (sc-status = 1" "$S"
err multiline 2 "SELECT date,
       COUNT(*) AS Hits
FROM logs
GROUP BY date ORDER BY Hitz" "$S"
err unknown-function 2 "SELECT REVERSE_DNS(c-ip) FROM logs" "$S"
err no-files 2 "SELECT COUNT(*) FROM logs"
err no-match 2 "SELECT COUNT(*) FROM nothing/u_ex*.log"
err two-sources 2 "SELECT a.c-ip FROM $S/W3SVC1 a JOIN $S/HTTPERR b ON a.c-ip = b.c-ip"
err from-and-paths 2 "SELECT COUNT(*) FROM $S" "$S"
err not-select 2 "DELETE FROM logs" "$S"
err two-statements 2 "SELECT 1; SELECT 2"
err no-query 2
err bad-format 2 --format xml top-urls "$S"
err unknown-builtin 2 --show top-url
err into-note 0 "SELECT COUNT(*) INTO out.csv FROM logs" "$S"
err runtime 2 "SELECT PERCENTILE(time-taken, 200) FROM logs" "$S"
err escape 2 "SELECT \"$(printf 'x\033[2Jy')\" FROM logs" "$S"

# --- inputs --------------------------------------------------------------------------------------
: > "$tmp/empty.log"
"$bin" sql --format csv "SELECT * FROM logs" "$tmp/empty.log" > "$tmp/e"
rc=$?
[ $rc = 0 ] && [ "$(wc -l < "$tmp/e")" = 1 ] && head -n 1 "$tmp/e" | grep -q '^LogFilename,LogRow,Format,SiteId,date,time,timestamp,s-sitename'
ok $? "an empty file: the header row only"
[ "$("$bin" sql --format json "SELECT * FROM logs" "$tmp/empty.log")" = "[]" ]; ok $? "an empty file: JSON []"
[ -z "$("$bin" sql --format ndjson "SELECT * FROM logs" "$tmp/empty.log")" ]; ok $? "an empty file: no NDJSON lines"
c=$("$bin" sql --format csv "SELECT COUNT(*) FROM logs" "$tmp/empty.log" | tail -n 1 | tr -d '\r')
[ "$c" = 0 ]; ok $? "an empty file: COUNT(*) is 0"

# a file that vanishes while the query runs: standard input is read first,
# and b.log is removed before standard input ends
cp "$S/W3SVC1/u_ex261124.log" "$tmp/b.log"
{ cat "$S/HTTPERR/httperr1.log"; sleep 2; rm -f "$tmp/b.log"; } |
    "$bin" sql --format csv "SELECT COUNT(*) AS n FROM logs" - "$tmp/b.log" > "$tmp/v" 2> "$tmp/verr"
rc=$?
[ $rc = 3 ] && [ "$(tail -n 1 "$tmp/v" | tr -d '\r')" = 4 ] && grep -q 'b.log' "$tmp/verr"
ok $? "a file that vanishes mid-query: exit 3, named on stderr, the other rows counted (rc $rc)"
head -c 3000 "$tmp/with space/u_ex261125.log.gz" > "$tmp/cut.log.gz"
"$bin" sql --format csv "SELECT COUNT(*) FROM logs" "$tmp/cut.log.gz" "$S/HTTPERR" > "$tmp/v" 2> "$tmp/verr"
rc=$?
c=$(tail -n 1 "$tmp/v" | tr -d '\r')
[ $rc = 3 ] && [ "$c" -gt 4 ] && grep -q 'cut.log.gz' "$tmp/verr"; ok $? "a truncated .gz: exit 3, rows read before the damage counted ($c)"

# #Fields changes part-way: columns by name, new fields NULL before the change
{
    printf '#Software: Microsoft Internet Information Services 10.0\r\n#Fields: date time cs-uri-stem sc-status time-taken\r\n'
    printf '2026-11-24 10:00:00 /a 200 5\r\n2026-11-24 10:00:01 /b 404 6\r\n'
    printf '#Fields: date time s-ip cs-uri-stem cs-host sc-status sc-substatus time-taken X-Forwarded-For\r\n'
    printf '2026-11-24 10:00:02 10.0.0.1 /c www.example.org 500 19 7 203.0.113.9\r\n'
    printf '#Date: 2026-11-25 00:00:00\r\n#Fields: time sc-status cs-uri-stem\r\n'
    printf '10:00:03 302 /d\r\n'
} > "$tmp/change.log"
"$bin" sql --format csv "SELECT LogRow, timestamp, cs-uri-stem, sc-status, sc-substatus, time-taken, s-ip, cs-host, X-Forwarded-For FROM logs" "$tmp/change.log" > "$tmp/ch"
printf '%s\r\n' 'LogRow,timestamp,cs-uri-stem,sc-status,sc-substatus,time-taken,s-ip,cs-host,X-Forwarded-For' \
    '3,"2026-11-24 10:00:00","/a",200,,5,,,' '4,"2026-11-24 10:00:01","/b",404,,6,,,' \
    '6,"2026-11-24 10:00:02","/c",500,19,7,"10.0.0.1","www.example.org","203.0.113.9"' \
    '9,"2026-11-25 10:00:03","/d",302,,,,,' | cmp -s - "$tmp/ch"
ok $? "#Fields changing twice in one file: each row's columns by name"
# the same change past the first 64 KiB of the file (found by a full directive scan)
{
    printf '#Fields: date time cs-uri-stem sc-status\r\n'
    i=0
    while [ $i -lt 3000 ]; do printf '2026-11-24 10:00:00 /filler-line-to-pass-64-KiB 200\r\n'; i=$((i + 1)); done
    printf '#Fields: date time cs-uri-stem sc-status X-Custom-Late\r\n2026-11-24 10:00:09 /late 200 hello\r\n'
} > "$tmp/late.log"
c=$("$bin" sql --format csv "SELECT X-Custom-Late, COUNT(*) FROM logs GROUP BY 1 ORDER BY 1" "$tmp/late.log" | tr -d '\r' | tr '\n' ' ')
[ "$c" = 'X-Custom-Late,COUNT(*) ,3000 "hello",1 ' ]; ok $? "a custom field first seen past 64 KiB is a column ($c)"

# the formats' own columns
"$bin" sql --format csv "SELECT Format, c-ip, c-port, cs-uri, streamid, sc-status, s-siteid, SiteId, s-reason, s-queuename FROM logs ORDER BY LogRow LIMIT 2" "$S/HTTPERR" > "$tmp/h"
printf '%s\r\n' 'Format,c-ip,c-port,cs-uri,streamid,sc-status,s-siteid,SiteId,s-reason,s-queuename' \
    '"httperr","10.20.1.31",51822,"/media/town-hall.mp4",,,1,1,"Timer_MinBytesPerSecond","DefaultAppPool"' \
    '"httperr","10.20.1.15",51990,"/app/",,503,1,1,"AppOffline","AppPool_App"' | cmp -s - "$tmp/h"
ok $? "HTTPERR columns"
mkdir -p "$tmp/FTPSVC2"
printf '#Fields: date time c-ip cs-username s-ip s-port cs-method cs-uri-stem sc-status sc-win32-status sc-substatus x-session x-fullpath\r\n2026-11-24 10:00:00 10.0.0.7 bob 10.0.0.1 21 RETR /a.zip 550 2 0 abc-123 /ftproot/a.zip\r\n' > "$tmp/FTPSVC2/u_ex261124.log"
"$bin" sql --format csv "SELECT Format, SiteId, cs-username, sc-status, sc-substatus, sc-win32-status, x-session, x-fullpath, IIS_EXPLAIN(sc-status, sc-substatus, sc-win32-status, Format) AS m FROM logs" "$tmp/FTPSVC2" > "$tmp/f"
grep -q '^"ftp",2,"bob",550,0,2,"abc-123","/ftproot/a.zip","' "$tmp/f"; ok $? "FTP columns (win32 before substatus, read by name)"
printf '10.0.0.9, -, 11/24/2026, 10:00:00, W3SVC1, WEB1, 10.0.0.1, 15, 100, 2000, 404, 2, GET, /missing.htm, -,\r\n' > "$tmp/in261124.log"
"$bin" sql --format csv "SELECT Format, timestamp, c-ip, cs-method, cs-uri-stem, sc-status, s-sitename, SiteId FROM logs" "$tmp/in261124.log" > "$tmp/i"
printf '%s\r\n' 'Format,timestamp,c-ip,cs-method,cs-uri-stem,sc-status,s-sitename,SiteId' \
    '"iis","2026-11-24 10:00:00","10.0.0.9","GET","/missing.htm",404,"W3SVC1",1' | cmp -s - "$tmp/i"
ok $? "IIS native columns"
printf '10.0.0.8 - alice [24/Nov/2026:11:00:00 +0100] "GET /x.html?a=1 HTTP/1.1" 200 512\n' > "$tmp/nc261124.log"
"$bin" sql --format csv "SELECT Format, timestamp, c-ip, cs-username, cs-method, cs-uri-stem, cs-uri-query, cs-version, sc-status FROM logs" "$tmp/nc261124.log" > "$tmp/nc"
printf '%s\r\n' 'Format,timestamp,c-ip,cs-username,cs-method,cs-uri-stem,cs-uri-query,cs-version,sc-status' \
    '"ncsa","2026-11-24 10:00:00","10.0.0.8","alice","GET","/x.html","a=1","HTTP/1.1",200' | cmp -s - "$tmp/nc"
ok $? "NCSA columns (time converted to UTC)"
TZ=Europe/Berlin "$bin" sql --format csv "SELECT TO_LOCALTIME('2026-07-01 10:00:00'), TO_LOCALTIME('2026-12-01 10:00:00')" | tail -n 1 > "$tmp/tz"
printf '"2026-07-01 12:00:00","2026-12-01 11:00:00"\r\n' | cmp -s - "$tmp/tz"; ok $? "TO_LOCALTIME: the machine's zone, DST included"
"$bin" sql --tz +05:30 --format csv "SELECT TO_LOCALTIME('2026-07-01 10:00:00')" | tail -n 1 > "$tmp/tz"
printf '"2026-07-01 15:30:00"\r\n' | cmp -s - "$tmp/tz"; ok $? "TO_LOCALTIME with --tz +05:30"

echo "1..$n"
