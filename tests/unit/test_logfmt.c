/* test_logfmt.c - the W3C line splitter and the one-pass line scanner of
 * logfmt.c (64 bytes at a time, positions written without a branch per
 * value), every variant this CPU can run, against byte-by-byte references:
 * lines of every length around the block edges, spaces anywhere, up to and
 * past the 64-value limit; and the record a line fills. */
#include "logfmt.h"
#include "tap.h"

#include <stdint.h>
#include <stdlib.h>

/* The reference: values between single spaces; a trailing space adds no
 * empty value; -1 past IL_MAX_FIELDS values. */
static int ref_split(const char *s, size_t n, il_str *cols)
{
    int k = 0;
    size_t st = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == ' ') {
            if (k == IL_MAX_FIELDS)
                return -1;
            cols[k++] = (il_str){s + st, i - st};
            st = i + 1;
        }
    if (st < n || k == 0) {
        if (k == IL_MAX_FIELDS)
            return -1;
        cols[k++] = (il_str){s + st, n - st};
    }
    return k;
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static unsigned rnd(unsigned below)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % below);
}

/* Split with il_parse_w3c_cols under a layout of `want` OTHER columns, so
 * the value count decides success; returns the count or -1. */
static int lib_split(const char *s, size_t n, int want, il_str *cols)
{
    il_layout l;
    memset(&l, 0, sizeof l);
    l.n = (uint8_t)want;
    memset(l.at, -1, sizeof l.at);
    il_rec r;
    int ncol = -1;
    int rc = il_parse_w3c_cols(s, n, &l, IL_FMT_W3C, &r, cols, &ncol);
    if (rc == IL_BAD_FIELD_COUNT)
        return -1;
    return rc == -1 ? ncol : -2;
}

/* Every line shape against the reference, with the splitter variant in
 * force; returns the number of mismatches. */
static int against_reference(const char *variant)
{
    /* the line sits at the end of an exact-size heap block, so ASan sees
     * any read past it */
    int mismatches = 0, checked = 0, limit_seen = 0;
    for (size_t n = 0; n <= 300; n++) {
        for (int density = 0; density < 6; density++) {
            for (int rep = 0; rep < 8; rep++) {
                char *s = malloc(n ? n : 1);
                for (size_t i = 0; i < n; i++) {
                    unsigned p = density == 0 ? 0 : density == 5 ? 90 : (unsigned)density * 8;
                    s[i] = rnd(100) < p ? ' ' : (char)('a' + rnd(26));
                }
                if (n && rep == 1)
                    s[n - 1] = ' ';            /* trailing space */
                if (n > 64 && rep == 2)
                    s[63] = s[64] = ' ';       /* spaces on the block edge */
                il_str want[IL_MAX_FIELDS], got[IL_MAX_FIELDS];
                int kw = ref_split(s, n, want);
                if (kw < 0)
                    limit_seen++;
                /* ask for the reference count (or the limit when over) */
                int kg = lib_split(s, n, kw < 0 ? IL_MAX_FIELDS : kw, got);
                checked++;
                int ok = kg == kw;
                for (int c = 0; ok && c < kw; c++)
                    ok = got[c].p == want[c].p && got[c].n == want[c].n;
                if (!ok && mismatches++ < 5)
                    printf("# n=%zu density=%d rep=%d: want %d values, got %d\n", n, density,
                           rep, kw, kg);
                free(s);
            }
        }
    }
    TAP_EQ_U(mismatches, 0, "%s splitter equals the reference on %d lines of 0..300 bytes",
             variant, checked);
    TAP_OK(limit_seen > 100, "lines past the %d-value limit were among them (%d)",
           IL_MAX_FIELDS, limit_seen);
    return mismatches;
}

/* The one-pass line scanner (il_w3c_scan) against the reference: buffers
 * of random lines (LF and CRLF, empty ones, spaces anywhere, some past the
 * value limit), scanned line by line from every start, as the engine does.
 * A scan must either give exactly the line's end and spaces, or decline
 * (-1) only when the line end is not within the whole 64-byte blocks left
 * in the buffer or the line has too many values. */
static void scanner_against_reference(const char *variant)
{
    int wrong = 0, scanned = 0, declined = 0, checked = 0;
    for (int rep = 0; rep < 400; rep++) {
        size_t cap = 64 + (size_t)rnd(3000);
        char *buf = malloc(cap); /* exact size: ASan sees any overrun */
        for (size_t i = 0; i < cap; i++) {
            unsigned x = rnd(1000);
            buf[i] = x < 8 ? '\n' : x < 12 ? '\r' : x < 12 + (unsigned)(rep % 6) * 80 ? ' '
                                                    : (char)('a' + x % 26);
        }
        size_t i = 0;
        while (i < cap) {
            const char *nl = memchr(buf + i, '\n', cap - i);
            if (!nl)
                break;
            size_t want_len = (size_t)(nl - (buf + i));
            uint32_t end[IL_SCAN_END_CAP];
            size_t len = 0;
            int k = il_w3c_scan(buf + i, cap - i, 65536, end, &len);
            il_str ref[IL_MAX_FIELDS];
            int spaces = 0;
            for (size_t j = 0; j < want_len; j++)
                spaces += buf[i + j] == ' ';
            (void)ref;
            checked++;
            if (k >= 0) {
                scanned++;
                int ok = len == want_len && k == spaces;
                for (int c = 0, j = 0; ok && (size_t)j < want_len; j++)
                    if (buf[i + j] == ' ')
                        ok = end[c++] == (uint32_t)j;
                if (!ok && wrong++ < 5)
                    printf("# %s: line at %zu: want len %zu with %d spaces, got %zu with %d\n",
                           variant, i, want_len, spaces, len, k);
            } else {
                declined++;
                /* allowed only if the '\n' lies past the last whole block
                 * or the line has more than IL_MAX_FIELDS values */
                size_t whole = (cap - i) / 64 * 64;
                if (want_len < whole && spaces < IL_MAX_FIELDS && wrong++ < 5)
                    printf("# %s: line at %zu (len %zu, %d spaces) declined\n", variant, i,
                           want_len, spaces);
            }
            i += want_len + 1;
        }
        free(buf);
    }
    TAP_EQ_U(wrong, 0, "%s scanner equals the reference on %d lines (%d scanned, %d declined)",
             variant, checked, scanned, declined);
    TAP_OK(scanned > checked / 2, "%s scanner took most lines", variant);
}

int main(void)
{
    static const char *names[] = {"portable", "AVX2/BMI", "AVX-512"};
    int best = il_logfmt_simd(0);
    for (int v = 0; v <= 2; v++) {
        if (v > best) {
            printf("# no %s variant on this CPU or build\n", names[v]);
            continue;
        }
        il_logfmt_simd(v);
        if (v < 2) /* the splitter has no AVX-512 variant */
            against_reference(names[v]);
        scanner_against_reference(names[v]);
    }
    il_logfmt_simd(best);

    /* exactly at the limit: 64 values fit, 65 do not, wherever they fall */
    for (int extra = 0; extra < 2; extra++) {
        char line[400];
        size_t n = 0;
        for (int v = 0; v < IL_MAX_FIELDS + extra; v++) {
            if (v)
                line[n++] = ' ';
            line[n++] = (char)('a' + v % 26);
            if (v % 3 == 0)
                line[n++] = 'x';
        }
        il_str cols[IL_MAX_FIELDS];
        int k = lib_split(line, n, IL_MAX_FIELDS, cols);
        TAP_EQ_U((unsigned)(k + 1), extra ? 0u : (unsigned)IL_MAX_FIELDS + 1,
                 "%d values: %s", IL_MAX_FIELDS + extra, extra ? "too many" : "fit");
    }

    /* a real line: the record's fields land where #Fields puts them */
    static const char fields[] = "date time s-ip cs-method cs-uri-stem cs-uri-query s-port "
                                 "cs-username c-ip cs(User-Agent) cs(Referer) sc-status "
                                 "sc-substatus sc-win32-status time-taken";
    static const char line[] =
        "2026-11-24 09:14:03 10.0.1.20 GET /app/Default.aspx id=7 443 - 203.0.113.9 "
        "Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+AppleWebKit/537.36+(KHTML,+like+Gecko)"
        "+Chrome/131.0.0.0+Safari/537.36 https://www.contoso.com/ 500 19 13 1590";
    il_layout l;
    TAP_OK(il_layout_parse(&l, fields, sizeof fields - 1), "the IIS default #Fields parse");
    il_rec r;
    TAP_OK(il_parse_w3c_lean(line, sizeof line - 1, &l, IL_FMT_W3C, &r) == -1, "line parses");
    TAP_EQ_U(r.status, 500, "sc-status");
    TAP_EQ_U(r.sub, 19, "sc-substatus");
    TAP_EQ_U(r.win32, 13, "sc-win32-status");
    TAP_EQ_U(r.taken, 1590, "time-taken");
    TAP_OK(r.uri.n == 17 && memcmp(r.uri.p, "/app/Default.aspx", 17) == 0, "cs-uri-stem");
    TAP_OK(r.client.n == 11 && memcmp(r.client.p, "203.0.113.9", 11) == 0, "c-ip");
    TAP_OK(r.ua.n > 100 && r.ua.p[r.ua.n - 1] == '6', "cs(User-Agent) whole");
    TAP_EQ_U(il_parse_w3c_lean(line, sizeof line - 6, &l, IL_FMT_W3C, &r), IL_BAD_FIELD_COUNT,
             "one value short is a field_count line");

    /* numbers of every length, digits or not, against a digit-by-digit
     * reference (the parser reads them by shape or a word at a time) */
    {
        static const char alphabet[] = "0123456789012345678901234567890123456789a-+/:.";
        int bad = 0, tried = 0;
        char buf[400];
        for (int rep = 0; rep < 20000; rep++) {
            char num[24];
            size_t nl = 1 + rnd(rep % 4 == 0 ? 20 : rep % 4 == 1 ? 3 : 10);
            for (size_t i = 0; i < nl; i++)
                num[i] = alphabet[rnd(rep % 3 == 0 ? (unsigned)sizeof alphabet - 1 : 10)];
            num[nl] = 0;
            /* the reference: all digits, at most 19 of them */
            int want_ok = nl <= 19;
            unsigned long long want = 0;
            for (size_t i = 0; i < nl && want_ok; i++) {
                if (num[i] < '0' || num[i] > '9')
                    want_ok = 0;
                else
                    want = want * 10 + (unsigned)(num[i] - '0');
            }
            if (want_ok && want > 9223372036854775807ull)
                want_ok = 0;
            if (nl == 1 && num[0] == '-')
                want_ok = 2; /* "-": not logged */
            int n = snprintf(buf, sizeof buf,
                             "2026-11-24 09:14:03 10.0.1.20 GET /a - 443 - 203.0.113.9 UA - 200 0 0 %s",
                             num);
            int rc = il_parse_w3c_lean(buf, (size_t)n, &l, IL_FMT_W3C, &r);
            tried++;
            int ok = want_ok == 2 ? rc == -1 && r.taken == -1
                     : want_ok   ? rc == -1 && (unsigned long long)r.taken == want
                                 : rc == IL_BAD_NUMBER;
            if (!ok && bad++ < 5)
                printf("# time-taken \"%s\": rc %d, taken %lld\n", num, rc, (long long)r.taken);
            /* the same value as sc-status (three digits up to 999, else
             * bad_status) and as sc-substatus (up to 99999, else
             * bad_number) */
            n = snprintf(buf, sizeof buf,
                         "2026-11-24 09:14:03 10.0.1.20 GET /a - 443 - 203.0.113.9 UA - %s 0 0 5", num);
            rc = il_parse_w3c_lean(buf, (size_t)n, &l, IL_FMT_W3C, &r);
            ok = want_ok == 2 ? rc == -1 && r.status == -1
                 : want_ok && want <= 999 ? rc == -1 && (unsigned long long)r.status == want
                                          : rc == IL_BAD_STATUS;
            if (!ok && bad++ < 5)
                printf("# sc-status \"%s\": rc %d, status %d\n", num, rc, (int)r.status);
            n = snprintf(buf, sizeof buf,
                         "2026-11-24 09:14:03 10.0.1.20 GET /a - 443 - 203.0.113.9 UA - 404 %s 0 5", num);
            rc = il_parse_w3c_lean(buf, (size_t)n, &l, IL_FMT_W3C, &r);
            ok = want_ok == 2 ? rc == -1 && r.sub == -1
                 : want_ok && want <= 99999 ? rc == -1 && (unsigned long long)r.sub == want
                                            : rc == IL_BAD_NUMBER;
            if (!ok && bad++ < 5)
                printf("# sc-substatus \"%s\": rc %d, sub %d\n", num, rc, (int)r.sub);
        }
        TAP_EQ_U(bad, 0, "time-taken, sc-status and sc-substatus read right in %d lines each",
                 tried);
    }
    return tap_done();
}
