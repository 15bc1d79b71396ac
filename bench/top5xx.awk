# top5xx.awk - the reference job for `iislens report` in bench/report.sh:
# a deliberately small subset of the report, written the way an admin would
# with awk. Counts sc-status/sc-substatus/sc-win32-status triples and the
# cs-uri-stem of every 5xx line, then prints the top 20 triples and the top
# 10 URLs with 5xx. Columns come from the latest #Fields directive, so a
# layout change in the middle of a file is followed.
#
# Usage: mawk -f bench/top5xx.awk u_ex261124.log   (plain POSIX awk works too)

BEGIN { st = sub_ = w32 = uri = 0; strip = 0; lines = 0 }

/^#/ {
    if ($1 == "#Fields:") {
        sub(/\r$/, "")
        st = sub_ = w32 = uri = 0
        for (i = 2; i <= NF; i++) {
            if ($i == "sc-status") st = i - 1
            else if ($i == "sc-substatus") sub_ = i - 1
            else if ($i == "sc-win32-status") w32 = i - 1
            else if ($i == "cs-uri-stem") uri = i - 1
        }
        # a CR only matters when a wanted column is the last one
        last = NF - 1
        strip = (st == last || sub_ == last || w32 == last || uri == last)
    }
    next
}

st == 0 || NF < 2 { next }

{
    if (strip) sub(/\r$/, "")
    lines++
    s = $st
    triple[s " " (sub_ ? $sub_ : "-") " " (w32 ? $w32 : "-")]++
    if (s >= 500 && s < 600 && uri) bad[$uri]++
}

# prints the n biggest counts of array a (ties: smaller key first)
function top(a, n, title,    k, best, bk, i, done) {
    print title
    for (i = 1; i <= n; i++) {
        best = -1
        for (k in a)
            if (!(k in done) && (a[k] > best || (a[k] == best && k < bk))) {
                best = a[k]
                bk = k
            }
        if (best < 0) break
        done[bk] = 1
        printf "%12d  %6.2f%%  %s\n", best, 100 * best / lines, bk
    }
}

END {
    printf "%d log lines\n", lines
    if (!lines) exit
    top(triple, 20, "top 20 sc-status sc-substatus sc-win32-status:")
    top(bad, 10, "top 10 cs-uri-stem with a 5xx status:")
}
