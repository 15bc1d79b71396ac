/*
 * fuzz_logline.c - libFuzzer target for the line parsers of every log
 * format (W3C with and without #Fields, FTP, HTTPERR, IIS native, NCSA) and
 * for the aggregator that counts what they return. The first byte picks the
 * format; a first line starting with "#Fields:" sets the layout. Checks: no
 * crash or sanitizer report, every slice of a parsed record lies inside
 * the line it came from, and the values il_parse_w3c_cols hands `sql` are
 * the ones il_split_w3c finds.
 */
#include "agg.h"
#include "logfmt.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void inside(il_str s, const char *line, size_t n)
{
    if (s.n && (s.p < line || s.p + s.n > line + n))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static il_agg *agg;
    if (!agg)
        agg = il_agg_new(NULL, 1);
    if (size == 0 || !agg)
        return 0;
    il_format fmt = (il_format)(1 + data[0] % 5);
    const char *s = (const char *)data + 1;
    size_t n = size - 1;
    il_layout lay;
    memset(&lay, 0, sizeof lay);
    const char *nl = memchr(s, '\n', n);
    if (nl && n > 8 && memcmp(s, "#Fields:", 8) == 0) {
        il_layout_parse(&lay, s + 8, (size_t)(nl - s) - 8);
        n -= (size_t)(nl - s) + 1;
        s = nl + 1;
    }
    /* copy to an exact-size block so reads past the line are caught */
    char *line = malloc(n ? n : 1);
    if (!line)
        return 0;
    memcpy(line, s, n);
    il_rec r;
    int rc;
    if (fmt == IL_FMT_IIS)
        rc = il_parse_iis(line, n, &r, 3600);
    else if (fmt == IL_FMT_NCSA)
        rc = il_parse_ncsa(line, n, &r);
    else
        rc = il_parse_w3c(line, n, lay.n ? &lay : NULL, fmt, &r);
    if (rc == -1) {
        il_str f[] = {r.uri, r.query, r.method, r.client, r.user, r.ua,
                      r.referer, r.host, r.site, r.xff, r.reason, r.version};
        for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
            inside(f[i], line, n);
        il_agg_add(agg, &r);
    } else if (rc < 0 || rc >= IL__BAD_COUNT) {
        abort();
    }
    if (fmt != IL_FMT_IIS && fmt != IL_FMT_NCSA) {
        /* the sql path's parse returns the same result and the same values
         * as il_split_w3c finds */
        il_rec r2;
        il_str cols[IL_MAX_FIELDS], ref[IL_MAX_FIELDS];
        int ncol = -1;
        int rc2 = il_parse_w3c_cols(line, n, lay.n ? &lay : NULL, fmt, &r2, cols, &ncol);
        if (rc2 != rc)
            abort();
        if (rc2 == -1) {
            int k = il_split_w3c(line, n, ref, IL_MAX_FIELDS);
            if (k != ncol)
                abort();
            for (int c = 0; c < k; c++)
                if (cols[c].p != ref[c].p || cols[c].n != ref[c].n)
                    abort();
        }
    }
    il_detect_format(line, n, fmt == IL_FMT_FTP ? "LogFiles/FTPSVC2/u_ex1.log" : "x.log");
    free(line);
    return 0;
}
