/* test_sql.c - `iislens sql` pieces in isolation (TAP): the rewriter
 * (hyphenated names, quoted names, string literals left alone, FROM
 * sources, TOP, INTO, IN lists, PROPCOUNT, the offset map) and the
 * functions, run through il_sql_run without logs. Run from the repository
 * root; tests/sql/check.sh runs it. */
#include "sql.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int contains(const char *hay, const char *needle)
{
    return hay && strstr(hay, needle) != NULL;
}

/* rewrite q with the standard names; returns the SQL (static buffer) */
static const char *rw(const char *q, il_sql_text *t)
{
    static char out[4096];
    il_status st = il_sql_rewrite(q, NULL, 0, t);
    snprintf(out, sizeof out, "%s", st == IL_OK && t->sql.data ? t->sql.data : "(error)");
    return out;
}

static int collect(const char *s, size_t n, void *ctx)
{
    il_buf_append((il_buf *)ctx, s, n);
    return 0;
}

/* one query, no logs, CSV without the header row */
static const char *run1(const char *q, const il_sql_opts *o)
{
    static char out[4096];
    il_buf b;
    il_buf_init(&b, 0);
    il_sql_result res;
    il_status st = il_sql_run(q, NULL, 0, o, collect, &b, &res);
    const char *body = b.data ? strstr(b.data, "\r\n") : NULL;
    if (st != IL_OK)
        snprintf(out, sizeof out, "ERROR %s", res.msg);
    else
        snprintf(out, sizeof out, "%s", body ? body + 2 : "");
    size_t l = strlen(out);
    if (l >= 2 && out[l - 2] == '\r')
        out[l - 2] = '\0';
    il_sql_result_free(&res);
    il_buf_free(&b);
    return out;
}

int main(void)
{
    il_sql_text t;

    /* a log's #Fields can name a column "cs-uri-stem)": such a name is
     * not matched bare (it ate the call's ")" and broke a valid query,
     * found by fuzz_sql), only in brackets */
    {
        static const char *const names[] = {"cs-uri-stem", "cs-uri-stem)", "cs(User-Agent)", "X-Forwarded-For"};
        il_sql_text tn;
        memset(&tn, 0, sizeof tn);
        il_status s1 = il_sql_rewrite("SELECT EXTRACT_EXTENSION(cs-uri-stem), [cs-uri-stem)], cs(User-Agent), "
                                      "x-forwarded-for FROM logs",
                                      names, 4, &tn);
        TAP_EQ_S(s1 == IL_OK && tn.sql.data ? tn.sql.data : "(error)",
                 "SELECT EXTRACT_EXTENSION(cs_uri_stem), cs_uri_stem_, cs_User_Agent_, X_Forwarded_For FROM logs",
                 "a log's odd field name does not swallow query text");
        il_sql_text_free(&tn);
    }

    /* names */
    TAP_EQ_S(rw("SELECT cs-uri-stem, COUNT(*) FROM u_ex*.log GROUP BY cs-uri-stem", &t),
             "SELECT cs_uri_stem, COUNT(*) FROM logs GROUP BY cs_uri_stem", "hyphenated names and FROM");
    TAP_OK(t.nsources == 1 && strcmp(t.sources[0], "u_ex*.log") == 0, "FROM source collected");
    TAP_EQ_U(il_sql_map_offset(&t, 7), 7, "offset of a renamed column maps to its start");
    TAP_EQ_U(il_sql_map_offset(&t, (long)strlen("SELECT cs_uri_stem, COUNT(*) FROM logs GROUP BY ")),
             strlen("SELECT cs-uri-stem, COUNT(*) FROM u_ex*.log GROUP BY "),
             "offsets after a replaced FROM source map back");
    il_sql_text_free(&t);
    TAP_EQ_S(rw("SELECT [cs-uri-stem], \"sc-status\", `time-taken`, CS(user-agent), cs(Referer) FROM logs", &t),
             "SELECT cs_uri_stem, sc_status, time_taken, cs_User_Agent_, cs_Referer_ FROM logs",
             "quoted, bracketed and case-insensitive names");
    TAP_OK(t.nsources == 0, "FROM logs names no files");
    il_sql_text_free(&t);
    TAP_EQ_S(rw("SELECT 'cs-uri-stem', \"not-a-field\" FROM logs WHERE cs-uri-query LIKE '%sc-status%'", &t),
             "SELECT 'cs-uri-stem', \"not-a-field\" FROM logs WHERE cs_uri_query LIKE '%sc-status%'",
             "string literals and unknown quoted names are left alone");
    il_sql_text_free(&t);
    TAP_EQ_S(rw("SELECT sc-status - 1, sc-status-1, time-taken/1000, cs-uri-foo FROM logs", &t),
             "SELECT sc_status - 1, sc_status-1, time_taken/1000, cs-uri-foo FROM logs",
             "arithmetic next to names; unknown longer names untouched");
    il_sql_text_free(&t);
    TAP_EQ_S(rw("SELECT date, time -- cs-uri-stem\n/* sc-status */ FROM logs", &t),
             "SELECT date, time -- cs-uri-stem\n/* sc-status */ FROM logs", "comments left alone");
    il_sql_text_free(&t);
    TAP_EQ_S(rw("SELECT RowNumber, LogRow FROM logs", &t), "SELECT LogRow, LogRow FROM logs",
             "RowNumber (W3C input) is LogRow");
    il_sql_text_free(&t);
    const char *custom[] = {"date", "X-Forwarded-For", "cs(X-ARR-LOG-ID)"};
    il_sql_rewrite("SELECT X-Forwarded-For, cs(x-arr-log-id) FROM logs", custom, 3, &t);
    TAP_EQ_S(t.sql.data, "SELECT X_Forwarded_For, cs_X_ARR_LOG_ID_ FROM logs", "custom field names");
    il_sql_text_free(&t);

    /* FROM */
    TAP_EQ_S(rw("SELECT * FROM 'my logs/u_ex*.log' WHERE sc-status = 500", &t),
             "SELECT * FROM logs WHERE sc_status = 500", "quoted path with spaces");
    TAP_OK(t.nsources == 1 && strcmp(t.sources[0], "my logs/u_ex*.log") == 0, "quoted path collected");
    il_sql_text_free(&t);
    rw("SELECT * FROM LogFiles/W3SVC1, other/u_ex26*.log.gz, 'it''s.log' ORDER BY 1", &t);
    TAP_OK(t.nsources == 3 && strcmp(t.sources[0], "LogFiles/W3SVC1") == 0 &&
               strcmp(t.sources[1], "other/u_ex26*.log.gz") == 0 && strcmp(t.sources[2], "it's.log") == 0,
           "a list of files, folders and wildcards");
    TAP_EQ_S(t.sql.data, "SELECT * FROM logs ORDER BY 1", "the list becomes logs");
    il_sql_text_free(&t);
    rw("SELECT COUNT(*) FROM STDIN", &t);
    TAP_OK(t.nsources == 1 && strcmp(t.sources[0], "-") == 0, "FROM STDIN is standard input");
    il_sql_text_free(&t);
    rw("SELECT c-ip FROM a.log WHERE c-ip IN (SELECT c-ip FROM a.log WHERE sc-status = 401)", &t);
    TAP_OK(t.nsources == 1 && contains(t.sql.data, "IN (SELECT c_ip FROM logs WHERE"),
           "the same files in a subquery");
    il_sql_text_free(&t);
    TAP_OK(il_sql_rewrite("SELECT * FROM a.log JOIN b.log ON 1", NULL, 0, &t) == IL_E_PARSE &&
               t.pos == 25 && contains(t.msg, "one set per query"),
           "two different sources: an error at the second");
    il_sql_text_free(&t);
    TAP_EQ_S(rw("SELECT a IS NOT DISTINCT FROM b FROM logs", &t), "SELECT a IS NOT DISTINCT FROM b FROM logs",
             "IS NOT DISTINCT FROM is no source");
    il_sql_text_free(&t);

    /* Log Parser syntax */
    TAP_EQ_S(rw("SELECT TOP 10 cs-uri-stem FROM logs ORDER BY 1", &t),
             "SELECT   cs_uri_stem FROM logs ORDER BY 1\nLIMIT 10", "TOP n becomes LIMIT n");
    il_sql_text_free(&t);
    TAP_EQ_S(rw("SELECT DISTINCT TOP 3 c-ip FROM logs;", &t), "SELECT DISTINCT   c_ip FROM logs\nLIMIT 3;",
             "DISTINCT TOP n, before the semicolon");
    il_sql_text_free(&t);
    TAP_EQ_S(rw("SELECT * FROM (SELECT TOP 2 c-ip FROM logs) ORDER BY 1 -- last", &t),
             "SELECT * FROM (SELECT   c_ip FROM logs\nLIMIT 2) ORDER BY 1 -- last", "TOP in a subquery");
    il_sql_text_free(&t);
    TAP_EQ_S(rw("SELECT TOP 1 date FROM logs -- end", &t), "SELECT   date FROM logs -- end\nLIMIT 1",
             "LIMIT after a trailing comment");
    il_sql_text_free(&t);
    TAP_EQ_S(rw("SELECT sc-status INTO DATAGRID FROM logs", &t), "SELECT sc_status   FROM logs",
             "INTO target dropped");
    TAP_OK(contains(t.notes, "INTO DATAGRID ignored"), "with a note");
    il_sql_text_free(&t);
    TAP_EQ_S(rw("SELECT * FROM logs WHERE sc-status IN (401; 403) AND cs-method IN ('GET';'HEAD')", &t),
             "SELECT * FROM logs WHERE sc_status IN (401, 403) AND cs_method IN ('GET','HEAD')",
             "IN lists with semicolons");
    il_sql_text_free(&t);
    TAP_EQ_S(rw("SELECT sc-status, MUL(PROPCOUNT(*), 100) FROM logs GROUP BY sc-status", &t),
             "SELECT sc_status, MUL((COUNT(*) * 1.0 / SUM(COUNT(*)) OVER ()), 100) FROM logs GROUP BY sc_status",
             "PROPCOUNT(*)");
    il_sql_text_free(&t);
    TAP_EQ_S(rw("SELECT PROPSUM(sc-bytes) FROM logs", &t),
             "SELECT (SUM(sc_bytes) * 1.0 / SUM(SUM(sc_bytes)) OVER ()) FROM logs", "PROPSUM(x)");
    il_sql_text_free(&t);

    /* functions */
    il_sql_opts o;
    il_sql_default_opts(&o);
    o.format = IL_SQL_CSV;
    TAP_EQ_S(run1("SELECT QUANTIZE('2026-11-24 09:14:59', 300), QUANTIZE(1234, 100), QUANTIZE(-1, 10), QUANTIZE(7.5, 2)", &o),
             "\"2026-11-24 09:10:00\",1200,-10,6.0", "QUANTIZE on timestamps and numbers");
    TAP_EQ_S(run1("SELECT QUANTIZE('09:14:59', 3600), QUANTIZE('2026-11-24T09:14:59Z', 86400), QUANTIZE(NULL, 5)", &o),
             "\"09:00:00\",\"2026-11-24 00:00:00\",", "QUANTIZE on times of day, ISO T/Z and NULL");
    TAP_EQ_S(run1("SELECT TO_TIMESTAMP('2026-11-24', '09:14:02'), TO_TIMESTAMP('24/11/2026 9:05', 'dd/MM/yyyy h:mm'), "
                  "TO_TIMESTAMP('Nov 24 26 01:02:03 PM', 'MMM dd yy hh:mm:ss tt'), TO_TIMESTAMP('junk', 'yyyy-MM-dd')", &o),
             "\"2026-11-24 09:14:02\",\"2026-11-24 09:05:00\",\"2026-11-24 13:02:03\",",
             "TO_TIMESTAMP(date, time) and with a format");
    TAP_EQ_S(run1("SELECT TO_TIMESTAMP(0), TO_DATE('2026-11-24 09:14:02'), TO_TIME('2026-11-24 09:14:02'), "
                  "TO_STRING('2026-11-24 09:14:02', 'yyyy/MM/dd ddd hh.mm')", &o),
             "\"1970-01-01 00:00:00\",\"2026-11-24\",\"09:14:02\",\"2026/11/24 Tue 09.14\"",
             "TO_TIMESTAMP(seconds), TO_DATE, TO_TIME, TO_STRING with a format");
    o.tz_fixed = 1;
    o.tz_offset = 2 * 3600;
    TAP_EQ_S(run1("SELECT TO_LOCALTIME('2026-11-24 23:30:00'), TO_UTCTIME('2026-11-25 01:30:00')", &o),
             "\"2026-11-25 01:30:00\",\"2026-11-24 23:30:00\"", "TO_LOCALTIME and TO_UTCTIME with --tz +02:00");
    o.tz_fixed = 0;
    TAP_EQ_S(run1("SELECT TO_LOWERCASE('/App/Default.ASPX'), TO_UPPERCASE('get'), STRCAT('a', 'b'), "
                  "STRCAT(NULL, 'x'), STRLEN('héllo')", &o),
             "\"/app/default.aspx\",\"GET\",\"ab\",\"x\",5", "case, STRCAT, STRLEN");
    TAP_EQ_S(run1("SELECT EXTRACT_EXTENSION('/img/logo.PNG'), EXTRACT_EXTENSION('/a.b/c'), "
                  "EXTRACT_FILENAME('C:\\inetpub\\logs\\u_ex1.log'), EXTRACT_PATH('/a/b/c.txt'), EXTRACT_PATH('/c.txt')", &o),
             "\"PNG\",,\"u_ex1.log\",\"/a/b\",\"/\"", "EXTRACT_EXTENSION, EXTRACT_FILENAME, EXTRACT_PATH");
    TAP_EQ_S(run1("SELECT EXTRACT_PREFIX('a,b,c', 1, ','), EXTRACT_PREFIX('10.0.0.1', 0, ','), "
                  "EXTRACT_TOKEN('a,b,c', 2, ','), EXTRACT_TOKEN('a,b,c', 3, ','), EXTRACT_SUFFIX('a,b,c', 0, ',')", &o),
             "\"a,b\",\"10.0.0.1\",\"c\",,\"b,c\"", "EXTRACT_PREFIX, EXTRACT_TOKEN, EXTRACT_SUFFIX");
    TAP_EQ_S(run1("SELECT ADD(1, 2), SUB(1, 2), MUL(3, 4), DIV(7, 2), DIV(7.0, 2), DIV(1, 0), TO_INT(2.9), TO_REAL(2), "
                  "INDEX_OF('abc', 'c'), REPLACE_STR('a-b-c', '-', '+')", &o),
             "3,-1,12,3,3.5,,2,2.0,2,\"a+b+c\"", "arithmetic and string helpers");
    TAP_EQ_S(run1("SELECT WIN32_ERROR_DESCRIPTION(64), WIN32_ERROR_DESCRIPTION(2147942405), "
                  "WIN32_ERROR_DESCRIPTION(-2147024891), WIN32_ERROR_DESCRIPTION('0x80070005'), WIN32_ERROR_DESCRIPTION(4242424)", &o),
             "\"Client disconnected before the response finished\",\"Access denied (auth challenge or permissions)\","
             "\"Access denied (auth challenge or permissions)\",\"Access denied (auth challenge or permissions)\",",
             "WIN32_ERROR_DESCRIPTION with HRESULTs decoded");
    TAP_EQ_S(run1("SELECT IIS_EXPLAIN(500, 19, 13), IIS_EXPLAIN(404, 0), IIS_EXPLAIN(404, 77, 0), IIS_EXPLAIN('Timer_ConnectionIdle')", &o),
             "\"Config error: malformed or unknown element\",\"Not found\",\"undocumented sub-status\","
             "\"Idle keep-alive connection closed\"",
             "IIS_EXPLAIN: combination rule first, like explain --short");
    TAP_EQ_S(run1("SELECT IIS_CLASS(200, 0, 64), IIS_CLASS(401, 2, 5), IIS_CLASS(500, 19, 13), IIS_CLASS(302), IIS_CLASS(NULL, 0, 0)", &o),
             "\"client_abort\",\"auth_handshake\",\"server_error\",\"redirect\",", "IIS_CLASS");
    TAP_EQ_S(run1("SELECT PERCENTILE(x, 50), PERCENTILE(x, 100), PERCENTILE(x, 0), PERCENTILE(x, 75) "
                  "FROM (SELECT 4 AS x UNION ALL SELECT 1 UNION ALL SELECT NULL UNION ALL SELECT 3 UNION ALL SELECT 2)", &o),
             "2,4,1,3", "PERCENTILE: exact, nearest rank, NULLs left out");
    TAP_EQ_S(run1("SELECT PERCENTILE(x, 50) FROM (SELECT 1.5 AS x UNION ALL SELECT 2.5)", &o), "1.5",
             "PERCENTILE of reals");
    TAP_OK(contains(run1("SELECT PERCENTILE(1, 101)", &o), "ERROR PERCENTILE: the second argument"),
           "PERCENTILE: p outside 0..100 is an error");
    TAP_OK(contains(run1("SELECT QUANTIZE('2026-11-24 09:00:00', 0)", &o), "must be above 0"),
           "QUANTIZE by 0 is an error");

    /* errors, with their position in the user's text */
    il_buf b;
    il_buf_init(&b, 0);
    il_sql_result res;
    TAP_OK(il_sql_run("SELECT TOP 5 NOSUCHFUNC(1)", NULL, 0, &o, collect, &b, &res) == IL_E_PARSE &&
               contains(res.msg, "unknown function NOSUCHFUNC") && res.pos == 13,
           "unknown function, at its position");
    il_sql_result_free(&res);
    TAP_OK(il_sql_run("SELECT 1 FROM logs", NULL, 0, &o, collect, &b, &res) == IL_E_PARSE &&
               contains(res.msg, "no log files were given"),
           "FROM logs without files");
    il_sql_result_free(&res);
    TAP_OK(il_sql_run("SELECT 1 FROM nothing/here*.log", NULL, 0, &o, collect, &b, &res) == IL_E_USAGE &&
               contains(res.msg, "no file matches"),
           "a wildcard that matches nothing");
    il_sql_result_free(&res);
    TAP_OK(il_sql_run("ATTACH 'x.db' AS x", NULL, 0, &o, collect, &b, &res) == IL_E_PARSE &&
               contains(res.msg, "SELECT queries only"),
           "no ATTACH (nothing but SELECT)");
    il_sql_result_free(&res);
    TAP_OK(il_sql_run("SELECT 1; SELECT 2", NULL, 0, &o, collect, &b, &res) == IL_E_PARSE && res.pos == 9,
           "one statement only");
    il_sql_result_free(&res);
    TAP_OK(il_sql_run("  ", NULL, 0, &o, collect, &b, &res) == IL_E_PARSE && contains(res.msg, "empty"),
           "an empty query");
    il_sql_result_free(&res);

    /* headers read as typed: ADD is quoted for SQLite and PROPCOUNT(*)
     * expanded, but their columns are named as the user wrote them, white
     * space made one space; the COUNT(*) inside PROPCOUNT's expansion is
     * not the later COUNT(*)'s header */
    il_buf_reset(&b);
    o.format = IL_SQL_CSV;
    il_status hst = il_sql_run("SELECT ADD(1,\n   2), PROPCOUNT(*), COUNT(*), SUB(3, 1) AS d, EXTRACT_TOKEN('a|b', 1, '|')",
                    NULL, 0, &o, collect, &b, &res);
    {
        const char *want = "\"ADD(1, 2)\",PROPCOUNT(*),COUNT(*),d,\"EXTRACT_TOKEN('a|b', 1, '|')\"\r\n";
        TAP_OK(hst == IL_OK && b.data && strncmp(b.data, want, strlen(want)) == 0,
               "expression headers as the user typed them");
        if (!(hst == IL_OK && b.data && strncmp(b.data, want, strlen(want)) == 0))
            printf("# got: %.*s\n", (int)(b.data ? b.len : 0), b.data ? b.data : "");
    }
    il_sql_result_free(&res);
    il_buf_free(&b);

    /* robustness: random token soup never fails to rewrite (or fails
     * cleanly) and every output offset maps inside the query */
    static const char *const tok[] = {"SELECT", "TOP", "10", "FROM", "logs", "u_ex*.log", "'a b/*.log'",
                                      "\"cs-uri-stem\"", "[sc-status]", "cs(User-Agent)", "INTO", "x.csv",
                                      "IN", "(", ")", ";", ",", "'it''s'", "--c\n", "/*", "*/", "PROPCOUNT",
                                      "PROPSUM", "*", "JOIN", "b.log", "DISTINCT", "IS", "NOT", "-", "'",
                                      "\"", "[", "`", "time-taken", "ADD", "RowNumber", "\n", " "};
    unsigned seed = 12345;
    int fine = 1;
    for (int k = 0; k < 3000 && fine; k++) {
        char q[600];
        size_t l = 0;
        int nt = (int)(seed % 24);
        for (int j = 0; j < nt; j++) {
            seed = seed * 1103515245u + 12345u;
            const char *x = tok[(seed >> 8) % (sizeof tok / sizeof tok[0])];
            size_t xl = strlen(x);
            if (l + xl + 2 >= sizeof q)
                break;
            memcpy(q + l, x, xl);
            l += xl;
            q[l++] = (seed >> 20) & 1 ? ' ' : '\0';
            if (!q[l - 1])
                l--;
        }
        q[l] = '\0';
        seed = seed * 1103515245u + 12345u;
        il_status st = il_sql_rewrite(q, NULL, 0, &t);
        if (st == IL_OK) {
            for (size_t o2 = 0; o2 <= t.sql.len && fine; o2++) {
                long m = il_sql_map_offset(&t, (long)o2);
                fine = m >= 0 && (size_t)m <= l;
            }
        } else {
            fine = st == IL_E_PARSE && t.msg[0] && t.pos >= 0 && (size_t)t.pos <= l;
        }
        if (!fine)
            printf("# query: %s\n", q);
        il_sql_text_free(&t);
    }
    TAP_OK(fine, "3000 random queries rewrite cleanly, offsets inside the query");

    /* built-ins are all well-formed and unique */
    size_t n;
    const il_sql_builtin *bi = il_sql_builtins(&n);
    int ok = n >= 20;
    for (size_t i = 0; i < n; i++) {
        ok &= bi[i].name && bi[i].description && bi[i].sql && contains(bi[i].sql, "FROM logs");
        for (size_t k = 0; k < i; k++)
            ok &= strcmp(bi[i].name, bi[k].name) != 0;
        ok &= il_sql_builtin_find(bi[i].name) == &bi[i];
    }
    TAP_OK(ok, "%zu built-in queries, named uniquely, reading FROM logs", n);
    for (size_t i = 0; i < n; i++)
        ok &= strncmp(bi[i].sql, "SELECT ", 7) == 0;
    TAP_OK(ok, "every built-in starts with SELECT (--top rewrites it there)");

    /* a GROUP BY over attacker-made distinct values stops at the limit with
     * a message, instead of growing without bound; under it, it runs */
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char path[512];
    snprintf(path, sizeof path, "%s/iislens-sql-groups-%d.log", tmp, rand());
    FILE *fp = fopen(path, "wb");
    if (fp) {
        fputs("#Fields: date time cs-uri-stem sc-status\r\n", fp);
        for (int i = 0; i < 30000; i++)
            fprintf(fp, "2026-11-24 09:00:00 /scan/%08d/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 404\r\n", i);
        fclose(fp);
    }
    const char *paths[] = {path};
    il_sql_opts lo = o;
    lo.format = IL_SQL_CSV;
    lo.group_limit = (size_t)1 << 20;
    il_buf_reset(&b);
    il_status gst = il_sql_run("SELECT cs-uri-stem, COUNT(*) FROM logs GROUP BY cs-uri-stem", paths, 1, &lo,
                               collect, &b, &res);
    TAP_OK(fp && gst == IL_E_LIMIT && contains(res.msg, "GROUP BY / DISTINCT values passed 1 MiB ("),
           "GROUP BY past group_limit: IL_E_LIMIT, said in words (%s)", res.msg);
    il_sql_result_free(&res);
    lo.group_limit = (size_t)16 << 20;
    il_buf_reset(&b);
    gst = il_sql_run("SELECT COUNT(*) FROM (SELECT cs-uri-stem FROM logs GROUP BY cs-uri-stem)", paths, 1, &lo,
                     collect, &b, &res);
    TAP_OK(gst == IL_OK && b.data && contains(b.data, "30000"), "the same GROUP BY under a larger limit: 30000 groups");
    il_sql_result_free(&res);
    /* PERCENTILE keeps every value: all its groups share the same budget */
    lo.group_limit = (size_t)128 << 10;
    il_buf_reset(&b);
    gst = il_sql_run("SELECT PERCENTILE(sc-status, 50) FROM logs", paths, 1, &lo, collect, &b, &res);
    TAP_OK(gst == IL_E_LIMIT && contains(res.msg, "PERCENTILE: its values passed 128 KiB"),
           "PERCENTILE past the budget: an error in words (%s)", res.msg);
    il_sql_result_free(&res);
    lo.group_limit = (size_t)1 << 20;
    il_buf_reset(&b);
    gst = il_sql_run("SELECT PERCENTILE(sc-status, 50) FROM logs", paths, 1, &lo, collect, &b, &res);
    TAP_OK(gst == IL_OK && b.data && contains(b.data, "404"), "PERCENTILE under the budget: 404");
    il_sql_result_free(&res);
    il_buf_free(&b);
    remove(path);
    return tap_done();
}
