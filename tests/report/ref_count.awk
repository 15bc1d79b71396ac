# ref_count.awk - an independent, deliberately simple reference for the
# report's status counts: for every data line whose value count matches the
# latest #Fields, count "status,substatus,win32"; count lines that do not
# match as malformed. Used by tests/report/check.sh on generated logs.
BEGIN { nf = 0; bad = 0 }
{ sub(/\r$/, "") }
/^#Fields:/ {
    nf = NF - 1; st = sb = w = 0
    for (i = 2; i <= NF; i++) {
        if ($i == "sc-status") st = i - 1
        if ($i == "sc-substatus") sb = i - 1
        if ($i == "sc-win32-status") w = i - 1
    }
    next
}
/^#/ || NF == 0 { next }
{
    if (NF != nf) { bad++; next }
    k = $st "," (sb ? $sb : "") "," (w ? $w : "")
    c[k]++
}
END {
    for (k in c) print k "," c[k]
    print "malformed," bad > "/dev/stderr"
}
