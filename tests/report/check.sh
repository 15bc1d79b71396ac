#!/bin/sh
# check.sh BUILD - report tests on generated logs (TAP). Checks that the
# report does not depend on thread count or chunk size (chunk edges inside
# lines, CRLF pairs and directive blocks), that its status counts match an
# independent awk reference, that .gz and .zst inputs give the same counts,
# and that a corpus of broken input is counted line by line as malformed.
set -u
B=${1:-build}
cd "$(dirname "$0")/../.." || exit 2
bin=$B/iislens
tmp=${TMPDIR:-/tmp}/iislens-report-check.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
n=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }

gen=$B/bench/gen_log
if [ ! -x "$gen" ]; then
    mkdir -p "$B/bench"
    ${CC:-cc} -std=c11 -O2 -o "$gen" bench/gen_log.c || { echo "not ok 1 - build gen_log"; exit 1; }
fi
"$gen" --size 3M --seed 7 --fields-change 0.4 > "$tmp/gen.log"
printf '#Fields: date time cs-uri-stem sc-status\r\n2026-11-24 10:00:00 /tail 200\r\n' >> "$tmp/gen.log"

export IISLENS_NO_PROGRESS=1
"$bin" report --format json --threads 1 "$tmp/gen.log" > "$tmp/a.json"; ok $? "report runs (1 thread)"
for args in "--threads 2" "--threads 2 --chunk-size 4099" "--threads 2 --chunk-size 100003" \
            "--threads 1 --chunk-size 777" "--threads 3 --chunk-size 65536"; do
    "$bin" report --format json $args "$tmp/gen.log" > "$tmp/b.json"
    cmp -s "$tmp/a.json" "$tmp/b.json"; ok $? "same JSON with $args"
done

# malformed lines spread over many chunks (the first layout's lines again
# after the second #Fields: each is a field_count line): the first few named
# in the summary are the first in the file, whichever thread met them first
{ cat "$tmp/gen.log"; grep -v '^#' "$tmp/gen.log" | head -n 20000; } > "$tmp/mixed.log"
"$bin" report --format json --threads 1 "$tmp/mixed.log" > "$tmp/m1.json"
grep -q '"reason":"field_count","count":[1-9]' "$tmp/m1.json"; ok $? "the mixed log has field_count lines"
same=0
for round in 1 2 3; do
    for args in "--threads 2 --chunk-size 65536" "--threads 3 --chunk-size 4099"; do
        "$bin" report --format json $args "$tmp/mixed.log" > "$tmp/m2.json"
        cmp -s "$tmp/m1.json" "$tmp/m2.json" || same=1
    done
done
ok $same "malformed samples are the file's first, the same JSON for 1, 2 and 3 threads (3 rounds)"

"$bin" report --format csv --table codes "$tmp/gen.log" | tail -n +2 |
    awk -F, '{ print $2 "," $3 "," $4 "," $5 }' | sort > "$tmp/codes.iislens"
awk -f tests/report/ref_count.awk "$tmp/gen.log" 2> "$tmp/ref.err" | sort > "$tmp/codes.ref"
cmp -s "$tmp/codes.iislens" "$tmp/codes.ref"; ok $? "status counts match the awk reference"
grep -q '"malformed":0,' "$tmp/a.json"; ok $? "no malformed lines in the generated log"

if command -v gzip >/dev/null 2>&1; then
    gzip -c "$tmp/gen.log" > "$tmp/gen.log.gz"
    "$bin" report --format csv --table codes "$tmp/gen.log.gz" | tail -n +2 |
        awk -F, '{ print $2 "," $3 "," $4 "," $5 }' | sort > "$tmp/codes.gz"
    cmp -s "$tmp/codes.iislens" "$tmp/codes.gz"; ok $? ".gz gives the same counts"
fi
if command -v zstd >/dev/null 2>&1; then
    zstd -q -c "$tmp/gen.log" > "$tmp/gen.log.zst"
    "$bin" report --format csv --table codes "$tmp/gen.log.zst" | tail -n +2 |
        awk -F, '{ print $2 "," $3 "," $4 "," $5 }' | sort > "$tmp/codes.zst"
    cmp -s "$tmp/codes.iislens" "$tmp/codes.zst"; ok $? ".zst gives the same counts"
fi
"$bin" report --format csv --table codes - < "$tmp/gen.log" | tail -n +2 |
    awk -F, '{ print $2 "," $3 "," $4 "," $5 }' | sort > "$tmp/codes.stdin"
cmp -s "$tmp/codes.iislens" "$tmp/codes.stdin"; ok $? "stdin gives the same counts"

# lines around --max-line (256), LF and CRLF: the one-pass scan and the
# general path agree that only lines longer than the limit (CR not counted)
# are too_long, wherever chunk edges fall
{
    printf '#Fields: date time cs-uri-stem sc-status\r\n'
    for len in 254 255 256 257 258; do
        for eol in lf crlf; do
            pad=$((len - 25))   # "2026-11-24 10:00:00 /" + pad + " 200" = len
            url=$(head -c "$pad" /dev/zero | tr '\0' 'u')
            if [ $eol = lf ]; then printf '2026-11-24 10:00:00 /%s 200\n' "$url"
            else printf '2026-11-24 10:00:00 /%s 200\r\n' "$url"; fi
        done
    done
} > "$tmp/maxline.log"
for args in "--threads 1" "--threads 2 --chunk-size 300" "--threads 1 --chunk-size 64"; do
    "$bin" report --format json --max-line 256 $args "$tmp/maxline.log" > "$tmp/ml.json"
    grep -q '"requests":6,' "$tmp/ml.json" && grep -q '"reason":"too_long","count":4' "$tmp/ml.json"
    ok $? "lines of 254..258 bytes at --max-line 256: 6 counted, 4 too long ($args)"
done

# a time-only log whose #Date follows #Fields in the same directive block
# (IIS writes #Date first; hand-joined files do not): records still get the day
printf '#Software: x\r\n#Fields: time cs-uri-stem sc-status\r\n#Date: 2026-11-24 00:00:00\r\n09:00:00 /a 200\r\n09:30:00 /b 404\r\n' > "$tmp/datelate.log"
for args in "--threads 1" "--threads 2 --chunk-size 50"; do
    "$bin" report --format json $args "$tmp/datelate.log" > "$tmp/dl.json"
    grep -q '"first":"2026-11-24T09:00:00Z","last":"2026-11-24T09:30:00Z"' "$tmp/dl.json" &&
        grep -q '"malformed":0,' "$tmp/dl.json"
    ok $? "#Date after #Fields dates the block's records ($args)"
done

# broken input: each bad line is counted, the good ones around it still are
{
    printf '#Fields: date time cs-uri-stem sc-status sc-substatus sc-win32-status time-taken\r\n'
    printf '2026-11-24 09:00:00 /ok1 200 0 0 5\r\n'
    printf '2026-11-24 09:00:01 /short 200 0\r\n'                  # field_count
    printf '\000\000\000\000\000\000\r\n'                          # binary
    printf '2026-11-24 09:00:02 /ok2 200 0 0 5\r\n'
    printf '2026-13-24 09:00:03 /badtime 200 0 0 5\r\n'            # time
    printf '2026-11-24 09:00:04 /badstatus OK 0 0 5\r\n'           # status
    printf '2026-11-24 09:00:05 /badnum 200 x 0 5\r\n'             # number
    head -c 70000 /dev/zero | tr '\0' 'a'; printf '\r\n'           # too_long
    printf '2026-11-24 09:00:06 /ok3 500 19 13 5'                  # no final newline
} > "$tmp/bad.log"
"$bin" report --format json "$tmp/bad.log" > "$tmp/bad.json"
for want in '"requests":3,' '"malformed":6,' '"reason":"field_count","count":1' \
            '"reason":"binary","count":1' '"reason":"time","count":1' \
            '"reason":"status","count":1' '"reason":"number","count":1' \
            '"reason":"too_long","count":1' '"file":"[^"]*bad.log","line":3}'; do
    grep -q "$want" "$tmp/bad.json"; ok $? "broken input: $want"
done
"$bin" report --format json --threads 2 --chunk-size 50 "$tmp/bad.log" > "$tmp/bad2.json"
cmp -s "$tmp/bad.json" "$tmp/bad2.json"; ok $? "broken input: same result with 50-byte chunks"

head -c 2000 "$tmp/gen.log.gz" > "$tmp/cut.log.gz" 2>/dev/null
"$bin" report --format json "$tmp/cut.log.gz" > "$tmp/cut.json" 2> "$tmp/cut.err"
rc=$?
[ $rc = 3 ]; ok $? "truncated .gz: exit code 3 (got $rc)"
grep -q 'truncated gzip' "$tmp/cut.err"; ok $? "truncated .gz: the message says so"
grep -q '"requests":[1-9]' "$tmp/cut.json"; ok $? "truncated .gz: the lines before the damage are counted"

printf 'not a log at all\n\001\002\003\n' > "$tmp/junk.log"
"$bin" report --format json "$tmp/junk.log" > "$tmp/junk.json"; ok $? "junk file: report still written"
grep -q '"requests":0,' "$tmp/junk.json"; ok $? "junk file: no requests invented"

"$bin" report "$tmp/missing.log" > /dev/null 2> "$tmp/missing.err"
[ $? = 2 ]; ok $? "missing file: exit code 2"
grep -q 'missing.log' "$tmp/missing.err"; ok $? "missing file: message names it"
# control characters from the log never reach a terminal through CSV or JSON
printf '#Fields: date time cs-uri-stem sc-status\n2026-11-24 09:00:00 /a\302\233b\177c\033d 200\n' > "$tmp/ctl.log"
"$bin" report --format csv --table urls "$tmp/ctl.log" > "$tmp/ctl.csv"
LC_ALL=C grep -q "$(printf '[\001-\010\016-\037\177\233]')" "$tmp/ctl.csv"; [ $? = 1 ]; ok $? "CSV: no control bytes from the log"
grep -q '"/a?b?c?d"' "$tmp/ctl.csv"; ok $? "CSV: they are shown as ?"
"$bin" report --format json "$tmp/ctl.log" | grep -q '"/a\\u009bb\\u007fc\\u001bd"'; ok $? "JSON: escaped as \\uXXXX"

# filters, on the bundled sample (counts checked against grep/awk on the file)
sample=data/sample/LogFiles/W3SVC1/u_ex261124.log
want5=$(awk '!/^#/ && $12 ~ /^5/' "$sample" | wc -l | tr -d ' ')
"$bin" report --format json --status 5xx "$sample" | grep -q "\"requests\":$want5,"; ok $? "--status 5xx keeps the $want5 5xx lines"
want=$(grep -c ' 500 19 13 ' "$sample")
"$bin" report --format json --status 500.19.13 "$sample" | grep -q "\"requests\":$want,"; ok $? "--status 500.19.13 keeps $want lines"
want=$(grep -c ' 404 [0-9]* ' "$sample")
"$bin" report --format json --status '404.*' "$sample" | grep -q "\"requests\":$want,"; ok $? "--status 404.* keeps $want lines"
want=$(grep -c '^2026-11-24 09:1[4-9]' "$sample")
"$bin" report --format json --since 2026-11-24T09:14 --until 2026-11-24T09:20 "$sample" | grep -q "\"requests\":$want,"; ok $? "--since/--until keep the $want lines of 09:14-09:19"
want=$(awk '$5 ~ /^\/app\//' "$sample" | wc -l | tr -d ' ')
"$bin" report --format json --url /app/ "$sample" | grep -q "\"requests\":$want,"; ok $? "--url /app/ keeps $want lines"
want=$(awk '$9 ~ /^203\.0\.113\./' "$sample" | wc -l | tr -d ' ')
"$bin" report --format json --client 203.0.113.0/24 "$sample" | grep -q "\"requests\":$want,"; ok $? "--client 203.0.113.0/24 keeps $want lines"
"$bin" report --format json --site W3SVC1 data/sample/LogFiles | grep -q '"requests":1139,'; ok $? "--site W3SVC1 (from the folder name)"
"$bin" report --format json --site W3SVC9 data/sample/LogFiles | grep -q '"requests":0,'; ok $? "--site W3SVC9 keeps nothing"
"$bin" report --status 99x "$sample" > /dev/null 2>&1; [ $? = 2 ]; ok $? "--status with a bad pattern: exit code 2"
"$bin" report --client 300.1.1.1 "$sample" > /dev/null 2>&1; [ $? = 2 ]; ok $? "--client with a bad address: exit code 2"
# IPv4 clients as dual-stack servers and proxies write them (::ffff:a.b.c.d,
# also in hex) are IPv4 to --client; a NAT64 address (64:ff9b::/96) is not
printf '#Fields: date time c-ip cs-uri-stem sc-status\n2026-11-24 09:00:00 203.0.113.7 /a 200\n2026-11-24 09:00:01 ::ffff:203.0.113.8 /b 200\n2026-11-24 09:00:02 ::FFFF:CB00:7109 /c 200\n2026-11-24 09:00:03 64:ff9b::203.0.113.7 /d 200\n2026-11-24 09:00:04 198.51.100.1 /e 200\n' > "$tmp/mapped.log"
"$bin" report --format json --client 203.0.113.0/24 "$tmp/mapped.log" | grep -q '"requests":3,'; ok $? "--client 203.0.113.0/24 also keeps ::ffff:203.0.113.x clients"
"$bin" report --format json --client ::ffff:203.0.113.0/120 "$tmp/mapped.log" | grep -q '"requests":3,'; ok $? "--client ::ffff:203.0.113.0/120 is 203.0.113.0/24"
"$bin" report --format json --client 64:ff9b::/96 "$tmp/mapped.log" | grep -q '"requests":1,'; ok $? "--client 64:ff9b::/96 keeps the NAT64 client only"
"$bin" report --client ::ffff:1.2.3.4/64 "$tmp/mapped.log" > /dev/null 2>&1; [ $? = 2 ]; ok $? "--client: a mapped address with a prefix under 96 is refused"

# time zones: DST-correct local buckets (Berlin goes to summer time at 01:00 UTC)
printf '#Fields: date time cs-uri-stem sc-status\n2026-03-29 00:30:00 /a 200\n2026-03-29 01:30:00 /b 200\n' > "$tmp/dst.log"
if "$bin" report --tz Europe/Berlin --format json "$tmp/dst.log" > "$tmp/dst.json" 2>/dev/null; then
    grep -q '"start":"2026-03-29T01:30:00+01:00"' "$tmp/dst.json"; ok $? "--tz Europe/Berlin: winter time before the switch"
    "$bin" report --tz Europe/Berlin "$tmp/dst.log" | grep -q '2026-03-29 03:30:00 *1'; ok $? "--tz Europe/Berlin: summer time after the switch"
else
    echo "ok $((n = n + 1)) # SKIP no zoneinfo for Europe/Berlin on this machine"
fi
printf '192.168.114.201, -, 03/29/26, 1:30:00, W3SVC2, SERVER, 172.21.13.45, 4502, 163, 3223, 200, 0, GET, /a, -,\n192.168.114.201, -, 03/29/26, 3:30:00, W3SVC2, SERVER, 172.21.13.45, 4502, 163, 3223, 200, 0, GET, /b, -,\n' > "$tmp/in260329.log"
if "$bin" report --tz Europe/Berlin --format json "$tmp/in260329.log" > "$tmp/in.json" 2>/dev/null; then
    grep -q '"first":"2026-03-29T00:30:00Z","last":"2026-03-29T01:30:00Z"' "$tmp/in.json"; ok $? "IIS native local times read in the --tz zone, DST included"
else
    echo "ok $((n = n + 1)) # SKIP no zoneinfo for Europe/Berlin on this machine"
fi
"$bin" report --native-tz -08:00 --format json "$tmp/in260329.log" | grep -q '"first":"2026-03-29T09:30:00Z"'; ok $? "--native-tz -08:00"
"$bin" report --tz +05:30 "$tmp/dst.log" | grep -q '2026-03-29 06:00:00 to 2026-03-29 07:00:00'; ok $? "--tz +05:30 shifts the time range"
"$bin" report --tz Nowhere/Nothing "$tmp/dst.log" > /dev/null 2>&1; [ $? = 2 ]; ok $? "--tz with an unknown zone: exit code 2"
# first and last seen: a code's or client's line without a time (a block
# whose #Fields has no date/time) does not make it "first seen in 1970"
printf '#Fields: cs-uri-stem c-ip sc-status\r\n/a 10.0.0.1 500\r\n#Fields: date time cs-uri-stem c-ip sc-status\r\n2026-11-24 09:00:00 /a 10.0.0.1 500\r\n2026-11-24 09:05:00 /a 10.0.0.1 500\r\n' > "$tmp/nt.log"
"$bin" report --format json "$tmp/nt.log" > "$tmp/nt.json"
[ "$(grep -o '"first":"2026-11-24T09:00:00Z","last":"2026-11-24T09:05:00Z"' "$tmp/nt.json" | wc -l)" -ge 3 ] &&
    ! grep -q 1970 "$tmp/nt.json"; ok $? "first/last seen of the run, a code and a client skip lines without a time"
printf '#Fields: cs-uri-stem c-ip sc-status\r\n/a 10.0.0.1 500\r\n' > "$tmp/nt2.log"
"$bin" report --format json "$tmp/nt2.log" > "$tmp/nt2.json"
[ "$(grep -o '"first":null,"last":null' "$tmp/nt2.json" | wc -l)" -ge 3 ] &&
    ! grep -q 1970 "$tmp/nt2.json"; ok $? "a log without times: first/last seen are null, not 1970"

echo "1..$n"
