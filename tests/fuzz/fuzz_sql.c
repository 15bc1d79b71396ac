/*
 * fuzz_sql.c - libFuzzer target for `iislens sql`: the query rewriter, and
 * the virtual table, functions and writers over logs an attacker wrote.
 * The first byte picks the mode:
 *   even: the rest is a query, rewritten (not run). Checks: the rewriter
 *         returns OK or a parse error whose position lies in the query;
 *         every segment of the offset map lies inside both texts; every
 *         offset of the rewritten text maps into the query or to -1.
 *   odd:  the next byte picks one of a fixed list of queries (each
 *         built-in query, and queries that pass log fields to every
 *         function, format strings included), the rest is a log it reads,
 *         and the first byte picks the output format and width. Checks: JSON and each NDJSON line parse and are
 *         UTF-8; CSV is RFC 4180 quoting with no control character and no
 *         spreadsheet formula; the table holds no control character but
 *         newline. Fixed queries, so that SQLite's own run time stays
 *         bounded: the fuzzing is of our code, not of SQLite.
 * A finding is abort(), so libFuzzer keeps the input.
 */
#define _DEFAULT_SOURCE /* mkstemps */
#include "sql.h"
#include "../unit/json_check.h"
#include "fuzz_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const queries[] = {
    "SELECT cs-uri-stem, EXTRACT_EXTENSION(cs-uri-stem), EXTRACT_FILENAME(cs-uri-stem), "
    "EXTRACT_PATH(cs-uri-stem), EXTRACT_TOKEN(cs-uri-query, 1, '|'), "
    "EXTRACT_TOKEN(cs-uri-query, 0, cs-uri-stem), EXTRACT_PREFIX(cs-uri-query, 0, '&'), "
    "EXTRACT_SUFFIX(cs-uri-query, 1, cs-username), TO_LOWERCASE(cs(User-Agent)), "
    "TO_UPPERCASE(cs-username), STRLEN(cs(Referer)), INDEX_OF(cs-uri-stem, cs-uri-query), "
    "REPLACE_STR(cs-uri-stem, cs-username, cs-uri-query), STRCAT(cs-uri-stem, '?', cs-uri-query), "
    "REVERSEDNS(c-ip) FROM logs",
    "SELECT TO_INT(cs-uri-query), TO_REAL(cs-uri-query), TO_STRING(time-taken), "
    "QUANTIZE(time-taken, 7), QUANTIZE(sc-bytes, sc-status), ADD(time-taken, sc-bytes), "
    "SUB(sc-status, 1), MUL(time-taken, sc-substatus), DIV(sc-bytes, sc-substatus), "
    "WIN32_ERROR_DESCRIPTION(sc-win32-status), IIS_EXPLAIN(sc-status, sc-substatus, sc-win32-status), "
    "IIS_CLASS(sc-status, sc-substatus, sc-win32-status), IIS_EXPLAIN(cs-uri-query) FROM logs",
    "SELECT TO_TIMESTAMP(date, time), TO_TIMESTAMP(cs-uri-query, cs-uri-stem), "
    "TO_TIMESTAMP(cs-uri-query, 'yyyy-MM-dd hh:mm:ss'), TO_LOCALTIME(timestamp), "
    "TO_UTCTIME(timestamp), TO_DATE(timestamp), TO_TIME(timestamp), "
    "TO_STRING(timestamp, cs-uri-query), TO_STRING(TO_TIMESTAMP(cs-uri-stem, 'yyyy'), cs(Referer)) "
    "FROM logs",
    "SELECT cs-uri-stem, COUNT(*), PERCENTILE(time-taken, 95), PROPCOUNT(*) FROM logs "
    "GROUP BY cs-uri-stem ORDER BY COUNT(*) DESC",
    "SELECT * FROM logs",
};
#define NQUERIES (sizeof queries / sizeof queries[0])

static int collect(const char *s, size_t n, void *ctx)
{
    il_buf_append(ctx, s, n);
    return 0;
}

static void fuzz_rewrite(const char *q, size_t qn)
{
    il_sql_text t;
    memset(&t, 0, sizeof t);
    il_status st = il_sql_rewrite(q, NULL, 0, &t);
    if (st == IL_E_PARSE) {
        if (t.pos < -1 || t.pos > (long)qn)
            abort();
    } else if (st == IL_OK) {
        size_t out = t.sql.len;
        for (size_t i = 0; i < t.nsegs; i++) {
            const il_sql_seg *g = &t.segs[i];
            if (g->out > out || g->outlen > out - g->out || g->in > qn || g->inlen > qn - g->in)
                abort();
        }
        for (size_t off = 0; off <= out; off++) {
            long m = il_sql_map_offset(&t, (long)off);
            if (m < -1 || m > (long)qn)
                abort();
        }
    } else if (st != IL_E_NOMEM) {
        abort();
    }
    il_sql_text_free(&t);
}

static void fuzz_run(unsigned opt, unsigned pick, const uint8_t *data, size_t size)
{
    char path[] = "/tmp/iislens-fuzz-XXXXXX.log";
    if (!fuzz_write_tmp(path, data, size))
        return;
    size_t nb;
    const il_sql_builtin *b = il_sql_builtins(&nb);
    size_t k = pick % (NQUERIES + nb);
    const char *q = k < NQUERIES ? queries[k] : b[k - NQUERIES].sql;
    il_sql_opts o;
    il_sql_default_opts(&o);
    o.format = (il_sql_format)((opt >> 1) & 3);
    o.width = opt & 8 ? 40 + (opt >> 4) * 5 : 0;
    o.eo.max_line = 2048;
    o.table_limit = 1 << 20;
    o.group_limit = 1 << 20;
    il_buf out;
    il_buf_init(&out, 0);
    il_sql_result res;
    const char *paths[] = {path};
    il_status st = il_sql_run(q, paths, 1, &o, collect, &out, &res);
    if ((st == IL_OK || st == IL_E_IO) && !out.overflow) { /* IL_E_IO: written, a file cut short */
        switch (o.format) {
        case IL_SQL_JSON:
            if (!json_valid(out.data, out.len))
                abort();
            fuzz_check_utf8(out.data, out.len);
            break;
        case IL_SQL_NDJSON:
            for (size_t i = 0; i < out.len;) {
                const char *nl = memchr(out.data + i, '\n', out.len - i);
                size_t e = nl ? (size_t)(nl - out.data) : out.len;
                if (!json_valid(out.data + i, e - i))
                    abort();
                i = e + 1;
            }
            fuzz_check_utf8(out.data, out.len);
            break;
        case IL_SQL_CSV:
            fuzz_check_csv(out.data, out.len);
            break;
        default:
            fuzz_check_text(out.data, out.len, 0);
            break;
        }
    } else if (st == IL_E_PARSE || st == IL_E_USAGE) {
        abort(); /* fixed queries and an existing file: never the user's mistake */
    }
    il_sql_result_free(&res);
    il_buf_free(&out);
    unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned opt;
    if (!fuzz_take_byte(&data, &size, &opt))
        return 0;
    unsigned pick;
    if (opt & 1) { /* a second byte picks the query */
        if (fuzz_take_byte(&data, &size, &pick))
            fuzz_run(opt, pick, data, size);
        return 0;
    }
    char *q = malloc(size + 1); /* the rewriter takes a C string */
    if (!q)
        return 0;
    memcpy(q, data, size);
    q[size] = '\0';
    fuzz_rewrite(q, strlen(q));
    free(q);
    return 0;
}
