#!/bin/sh
# check.sh BUILD - tests of `iislens report --format html` (TAP).
#
# Without a browser: the page's JSON data block, with the page's extra
# escapes undone, is byte for byte `report --format json`; the block holds no
# raw < > & U+2028 U+2029; the CSP hashes equal sha256sum of the inline
# script and style; the page refers to nothing outside itself; its size; long
# strings are cut; the text report lets no control character from the logs
# through to a terminal.
# With Debian's chromium (headless; else those lines are "ok N # SKIP"): the
# sample page renders with no console message, no script error, no CSP
# violation and no network request, with the expected number of chart
# series; a screenshot is not blank; hostile log content (script, img
# onerror, </script>, javascript:, svg onload in URL, query, user agent,
# referer, user name and file name) is shown as text and never runs, with
# and without the page's CSP (a planted payload proves the check can see a
# run); an 80-year timeline with 40 failing codes stays under 2 MB and draws
# in time.
set -u
B=${1:-build}
cd "$(dirname "$0")/../.." || exit 2
bin=$B/iislens
tmp=${TMPDIR:-/tmp}/iislens-html-check.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
export IISLENS_NO_PROGRESS=1
n=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }
note() { echo "# $*"; }

mkdir -p "$B/tests"
tool=$B/tests/html_pagetool
png=$B/tests/html_pngstat
for t in pagetool pngstat; do
    out=$B/tests/html_$t
    if [ ! -x "$out" ] || [ "tests/html/$t.c" -nt "$out" ]; then
        ${CC:-cc} -std=c11 -O2 -o "$out" "tests/html/$t.c" -lz || { echo "not ok 1 - build $t"; exit 1; }
    fi
done

# ---- the sample -------------------------------------------------------------------
sample=data/sample/LogFiles
"$bin" report --format html -o "$tmp/sample.html" "$sample"; ok $? "report --format html -o writes the sample page"
"$bin" report --format json "$sample" > "$tmp/sample.json"
"$tool" json "$tmp/sample.html" > "$tmp/page.json"; ok $? "the data block holds no raw < > & U+2028 U+2029"
cmp -s "$tmp/sample.json" "$tmp/page.json"; ok $? "the page's JSON equals report --format json (sample)"
"$bin" report --format html "$sample" > "$tmp/stdout.html"
cmp -s "$tmp/sample.html" "$tmp/stdout.html"; ok $? "the page on stdout equals the page written with -o"
size=$(wc -c < "$tmp/sample.html")
note "sample page: $size bytes ($(wc -c < "$tmp/sample.json") bytes of JSON)"
[ "$size" -lt 2000000 ]; ok $? "sample page under 2 MB"

# CSP: the hashes in the policy are those of the inline script and style
b64sha() {
    hex=$(sha256sum | cut -c1-64)
    oct=$(printf '%s' "$hex" | awk '{ h = "0123456789abcdef"
        for (i = 1; i <= length($0); i += 2)
            printf "\\%03o", (index(h, substr($0, i, 1)) - 1) * 16 + index(h, substr($0, i + 1, 1)) - 1 }')
    # shellcheck disable=SC2059
    printf "$oct" | base64
}
csp=$("$tool" csp "$tmp/sample.html")
want="default-src 'none'; script-src 'sha256-$("$tool" script "$tmp/sample.html" | b64sha)'; style-src 'sha256-$("$tool" style "$tmp/sample.html" | b64sha)'; img-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'"
[ "$csp" = "$want" ]; ok $? "CSP script and style hashes equal sha256sum of the inline script and style"

# nothing outside the page: no src/href but #fragments, no url(), no @import, no address but the SVG namespace
sed -e 's|http://www.w3.org/2000/svg||g' "$tmp/sample.html" |
    grep -Eio '(src|srcset|href) *=|url\(|@import|<link|<iframe|<object|<embed|https?:|//[a-z0-9.-]+\.[a-z]{2,}/' |
    grep -v '^href *=$' > "$tmp/ext.txt"
grep -o 'href="[^#][^"]*"' "$tmp/sample.html" >> "$tmp/ext.txt"
[ ! -s "$tmp/ext.txt" ]; ok $? "the page refers to nothing outside itself"
grep -Ei 'innerHTML|outerHTML|insertAdjacentHTML|document\.write' "$tmp/sample.html" > /dev/null
[ $? = 1 ]; ok $? "the page's script builds no HTML from strings"

# ---- hostile log content ---------------------------------------------------------------
mkdir -p "$tmp/logs"
P1="<script>document.title='PWNED'</script>"
P2="\"><img/src=\"x\"/onerror=\"document.title='PWNED'\">"
P3="</script><script>document.title='PWNED'</script>"
P4="javascript:document.title='PWNED'"
P5="<svg/onload=document.title='PWNED'>"
P6="<!--<script>\\u003c&amp;$(printf '\342\200\250')x$(printf '\342\200\251')"
ESC=$(printf '\033')
T1="${ESC}[31mRED${ESC}]0;TITLE$(printf '\007')${ESC}[2J"
T2="$(printf '\233')31m$(printf '\302\233')2J$(printf '\r\b\177')"
evil="$tmp/logs/<svg onload=document.title='PWNED'>.log"
{
    echo "#Software: Microsoft Internet Information Services 10.0"
    echo "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken"
    i=0
    for p in "$P1" "$P2" "$P3" "$P4" "$P5" "$P6" "$T1" "$T2"; do
        i=$((i + 1))
        for s in 200 500 404 401; do
            printf '2026-11-24 10:0%d:%02d 10.0.0.1 GET /%s %s 443 %s 10.0.0.%d %s %s %s 0 0 %d\n' \
                "$i" "$((s % 60))" "$p" "$p" "$p" "$i" "$p" "$p" "$s" "$((i * 10))"
        done
        printf '2026-11-24 10:0%d:59 10.0.0.1 GET /legacy/x.asp |12|800a0009|%s 443 - 10.0.0.9 UA - 500 0 0 5\n' "$i" "$p"
    done
    echo "2026-11-24 10:09:00 this line is $P1 malformed"
} > "$evil"
"$bin" report --format html -o "$tmp/evil.html" "$tmp/logs"; rc=$?
[ "$rc" = 0 ]; ok $? "page from hostile logs written (rc $rc)"
"$bin" report --format json "$tmp/logs" > "$tmp/evil.json"
"$tool" json "$tmp/evil.html" > "$tmp/evil-page.json"; ok $? "hostile logs: the data block holds no raw < > & U+2028 U+2029"
cmp -s "$tmp/evil.json" "$tmp/evil-page.json"; ok $? "hostile logs: the page's JSON equals report --format json"
grep -c 'PWNED' "$tmp/evil.json" > /dev/null; ok $? "hostile logs: the payloads reach the JSON (the test tests something)"

# the terminal report: control characters from the logs are shown escaped
"$bin" report --width 200 "$tmp/logs" > "$tmp/evil.txt"
"$tool" ctl "$tmp/evil.txt"; ok $? "text report: no raw control character (ESC, BEL, CR, BS, DEL, C1, 0x9B) from the logs"
grep -F '\x1b[31mRED' "$tmp/evil.txt" > /dev/null; ok $? "text report: ESC shown as \\x1b"

# ---- size: long strings are cut, the page stays small --------------------------------------
long=$(awk 'BEGIN { for (i = 0; i < 3000; i++) printf "abcdefghij"; }')
{
    echo "#Fields: date time cs-uri-stem cs(User-Agent) sc-status sc-substatus sc-win32-status"
    for i in 1 2 3 4 5 6 7 8 9; do
        printf '2026-11-24 10:00:0%d /%d%s UA%d%s 500 0 0\n' "$i" "$i" "$long" "$i" "$long"
    done
} > "$tmp/long.log"
"$bin" report --format html -o "$tmp/long.html" "$tmp/long.log"
"$bin" report --format json "$tmp/long.log" > "$tmp/long.json"
longest() { grep '"key":' "$1" | awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }'; }
lj=$(longest "$tmp/long.json")
"$tool" json "$tmp/long.html" > "$tmp/long-page.json"
lp=$(longest "$tmp/long-page.json")
note "page with 30,000-byte URLs and agents: $(wc -c < "$tmp/long.html") bytes (longest key line: $lj bytes in the JSON, $lp in the page)"
[ "$lp" -lt 1100 ] && [ "$lj" -gt 2000 ]; ok $? "strings over 1 KB are cut in the page"
grep -F '\u2026' "$tmp/long-page.json" > /dev/null; ok $? "a cut string ends in U+2026"

# ---- a long timeline: 4100 weeks (80 years), 40 failing codes in every one ------------------
awk 'BEGIN {
    print "#Fields: date time cs-uri-stem sc-status sc-substatus sc-win32-status"
    for (w = 0; w < 4100; w++) {
        z = 4 + w * 7 + 719468                     # days since 0000-03-01 (1970-01-05 + w weeks)
        era = int(z / 146097); doe = z - era * 146097
        yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
        doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100)); mp = int((5 * doy + 2) / 153)
        d = doy - int((153 * mp + 2) / 5) + 1; m = mp < 10 ? mp + 3 : mp - 9; y = yoe + era * 400 + (m <= 2)
        printf "%04d-%02d-%02d 12:00:00 /ok 200 0 0\n", y, m, d
        for (k = 0; k < 40; k++)
            printf "%04d-%02d-%02d 12:00:01 /f%d 500 %d 0\n", y, m, d, k, k
    }
}' > "$tmp/weeks.log"
"$bin" report --format html --top 50 -o "$tmp/weeks.html" "$tmp/weeks.log"
wsize=$(wc -c < "$tmp/weeks.html")
note "page with 4100 weeks of data and 40 failing codes in each: $wsize bytes"
[ "$wsize" -le 2097152 ]; ok $? "the page stays within 2 MB for the longest timeline ($wsize bytes)"

# ---- in the browser -------------------------------------------------------------------------
CHROME=""
for c in chromium chromium-browser; do
    if command -v "$c" > /dev/null 2>&1; then CHROME=$c; break; fi
done
# chrome PAGE OUTPREFIX [ARGS...]: dump the DOM after load; stderr with console messages
chrome() {
    page=$1
    pre=$2
    shift 2
    rm -rf "$tmp/profile"
    mkdir -p "$tmp/profile"
    TO=""
    command -v timeout > /dev/null 2>&1 && TO="timeout 120"
    $TO "$CHROME" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
        --disable-component-update --disable-sync --disable-default-apps --disable-extensions \
        --host-resolver-rules='MAP * ~NOTFOUND' --user-data-dir="$tmp/profile" \
        --enable-logging=stderr --v=0 "$@" "file://$page" > "$pre.out" 2> "$pre.err"
}
attr() { grep -o "<body[^>]*>" "$1" | grep -o " data-$2=\"[^\"]*\"" | sed 's/.*="\(.*\)"/\1/'; }
consoles() { grep -c ':CONSOLE' "$1"; }

if [ -z "$CHROME" ]; then
    for t in "sample renders" "no console message" "chart series" "no network request" "screenshot" \
             "hostile: no run" "hostile: text" "hostile without CSP" "planted payload seen" \
             "80-year timeline" "time zone labels" "empty input" \
             "sort" "filter" "hover" "legend"; do
        skip "chromium not installed ($t)"
    done
else
    note "$("$CHROME" --version 2> /dev/null)"
    abs=$(cd "$tmp" && pwd)
    chrome "$abs/sample.html" "$tmp/s" --log-net-log="$abs/net.json" --dump-dom
    r=$(attr "$tmp/s.out" rendered) e=$(attr "$tmp/s.out" errors) v=$(attr "$tmp/s.out" csp)
    [ "$r" = ok ] && [ "$e" = 0 ] && [ "$v" = 0 ]
    ok $? "sample page renders (rendered=$r, script errors=$e, CSP violations=$v)"
    c=$(consoles "$tmp/s.err")
    [ "$c" = 0 ]; ok $? "sample page: no console message ($c)"
    grep ':CONSOLE' "$tmp/s.err" | head -n 5 | sed 's/^/# /'
    se=$(attr "$tmp/s.out" series) er=$(attr "$tmp/s.out" error-series) sp=$(attr "$tmp/s.out" sparks)
    paths=$(grep -o '<path [^>]*class="series s-[a-z_]*"' "$tmp/s.out" | wc -l)
    rows=$(attr "$tmp/s.out" rows) res=$(attr "$tmp/s.out" resources)
    [ "$se" = 7 ] && [ "$er" = 3 ] && [ "$sp" = 11 ] && [ "$paths" = 10 ]
    ok $? "sample charts: 7 class series, 3 error series, 11 failing-code sparklines, 10 series paths ($se, $er, $sp, $paths; $rows table rows)"
    lt=$(grep -o 'id="chart-latency-time" data-series="[0-9]*"' "$tmp/s.out" | sed 's/.*series="//; s/"//')
    ltp=$(grep -o '<path [^>]*class="lt-p[0-9]*"' "$tmp/s.out" | wc -l)
    [ "$lt" = 3 ] && [ "$ltp" = 3 ]; ok $? "sample: latency over time drawn as p50, p90, p99 lines ($lt series, $ltp paths)"
    # the page loads nothing: no resource entries, and the net log names no host but the browser's own services
    urls=$(grep -o '"url":"[a-z]*://[^"/]*' "$tmp/net.json" 2> /dev/null | sed 's/.*:\/\///' | sort -u |
           grep -Ev '(^|\.)(google\.com|googleapis\.com|gstatic\.com|gvt1\.com|googleusercontent\.com)$')
    [ "$res" = 0 ] && [ -z "$urls" ]; ok $? "sample page: no network request (resources=$res${urls:+, hosts: $urls})"

    rm -rf "$tmp/profile"
    shot=$tmp/shot.png
    $TO "$CHROME" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
        --disable-component-update --disable-sync --host-resolver-rules='MAP * ~NOTFOUND' \
        --user-data-dir="$tmp/profile" --hide-scrollbars --window-size=1280,2000 --screenshot="$shot" \
        "file://$abs/sample.html" > /dev/null 2>&1
    st=$("$png" "$shot" 2> /dev/null)
    set -- $st
    [ "${3:-0}" -ge 50 ] && [ "${4:-0}" -ge 100 ]
    ok $? "screenshot 1280x2000 is not blank (${st:-no PNG}: width height colours ink-per-mille)"

    chrome "$abs/evil.html" "$tmp/x" --dump-dom
    title=$(grep -o '<title>[^<]*</title>' "$tmp/x.out" | head -n 1)
    r=$(attr "$tmp/x.out" rendered) e=$(attr "$tmp/x.out" errors)
    inj=$(grep -Eic '<img|<svg[^>]*onload|<script>document|href="javascript' "$tmp/x.out")
    [ "$r" = ok ] && [ "$e" = 0 ] && [ "$inj" = 0 ] && ! echo "$title" | grep -q PWNED
    ok $? "hostile logs: page renders, nothing injected or run ($title, rendered=$r, errors=$e, injected elements=$inj)"
    shown=0
    for t in '&lt;script&gt;document.title=' '"&gt;&lt;img/src="x"/onerror=' '&lt;/script&gt;&lt;script&gt;' \
             "javascript:document.title='PWNED'" '&lt;svg/onload=document.title=' "&lt;svg onload=document.title='PWNED'&gt;.log"; do
        grep -F "$t" "$tmp/x.out" > /dev/null && shown=$((shown + 1))
    done
    [ "$shown" = 6 ]; ok $? "hostile logs: every payload shown as text ($shown of 6)"

    # the same page without its CSP: the page itself must not run log content
    grep -v 'http-equiv="Content-Security-Policy"' "$tmp/evil.html" > "$tmp/evil-nocsp.html"
    chrome "$abs/evil-nocsp.html" "$tmp/y" --dump-dom
    title=$(grep -o '<title>[^<]*</title>' "$tmp/y.out" | head -n 1)
    inj=$(grep -Eic '<img|<svg[^>]*onload|<script>document|href="javascript' "$tmp/y.out")
    [ "$(attr "$tmp/y.out" rendered)" = ok ] && [ "$inj" = 0 ] && ! echo "$title" | grep -q PWNED
    ok $? "hostile logs without the CSP: nothing injected or run ($title)"
    # control: a payload planted as HTML in that page does run, and the checks above see it
    sed 's|<main id="app">|<main id="app"><svg onload="document.title='"'PWNED'"'"></svg>|' "$tmp/evil-nocsp.html" > "$tmp/planted.html"
    chrome "$abs/planted.html" "$tmp/z" --dump-dom
    grep -q '<title>PWNED</title>' "$tmp/z.out"; ok $? "control: a planted payload is seen to run"

    # sorting, filtering, tooltip, legend and the lazy timeline table, driven by tests/html/harness.html
    grep -v 'http-equiv="Content-Security-Policy"' "$tmp/sample.html" |
        awk -v f=tests/html/harness.html '$0 == "</body>" { while ((getline l < f) > 0) print l } { print }' > "$tmp/harness.html"
    chrome "$abs/harness.html" "$tmp/h" --window-size=1280,2000 --virtual-time-budget=2000 --dump-dom
    h=$(grep -o '<body[^>]*>' "$tmp/h.out" | grep -o ' data-h-[a-z-]*="[^"]*"' | tr '\n' ' ')
    [ "$(attr "$tmp/h.out" h-sort-asc)" = / ] && [ "$(attr "$tmp/h.out" h-sort-desc)" = /reports/q3.aspx ] &&
        [ "$(attr "$tmp/h.out" h-sort-count)" = 161 ]
    ok $? "click on a header sorts the table, again reverses it, a count column sorts largest first ($h)"
    [ "$(attr "$tmp/h.out" h-filtered)" = 4 ]; ok $? "typing APP in the filter box leaves the 4 URLs with app"
    attr "$tmp/h.out" h-tip | grep -F '2026-11-24 09:15:00 UTC (5 min)server error: 43' | grep -qF 'total 128'
    ok $? "hover on the chart shows that bucket's values"
    [ "$(attr "$tmp/h.out" h-series)" = 6 ] && [ "$(attr "$tmp/h.out" h-timeline)" = 12 ]
    ok $? "a click on a legend entry hides that series; opening 'as a table' draws the 12 buckets"

    chrome "$abs/weeks.html" "$tmp/w" --dump-dom
    r=$(attr "$tmp/w.out" rendered) ms=$(attr "$tmp/w.out" ms) sp=$(attr "$tmp/w.out" sparks)
    nb=$(grep -o 'id="chart-all" data-series="[0-9]*" data-buckets="[0-9]*"' "$tmp/w.out" | sed 's/.*buckets="//; s/"//')
    note "80-year page drawn in ${ms:-?} ms"
    [ "$r" = ok ] && [ "${nb:-0}" -ge 48 ] && [ "${nb:-9999}" -le 512 ] && [ "$sp" = 40 ] && [ "${ms:-99999}" -lt 5000 ]
    ok $? "80 years and 40 failing codes: rendered=$r, buckets=$nb, sparklines=$sp, ${ms:-?} ms"

    "$bin" report --format html --tz +02:00 -o "$tmp/tz.html" "$sample"
    chrome "$abs/tz.html" "$tmp/t" --dump-dom
    grep -F 'per 5 min, UTC+02:00' "$tmp/t.out" > /dev/null && grep -F '>11:00<' "$tmp/t.out" > /dev/null
    ok $? "time axis in the report's zone (--tz +02:00: labels from 11:00, zone UTC+02:00)"

    : > "$tmp/empty.log"
    "$bin" report --format html -o "$tmp/empty.html" "$tmp/empty.log"
    chrome "$abs/empty.html" "$tmp/e" --dump-dom
    r=$(attr "$tmp/e.out" rendered) e=$(attr "$tmp/e.out" errors) c=$(consoles "$tmp/e.err")
    [ "$r" = ok ] && [ "$e" = 0 ] && [ "$c" = 0 ]; ok $? "empty input: the page renders (rendered=$r, errors=$e, console=$c)"
fi

echo "1..$n"
