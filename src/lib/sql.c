/*
 * sql.c - `iislens sql` (see sql.h): the query rewriter, the `logs`
 * virtual table over the reader, Log Parser's functions and ours, the
 * built-in queries, and the table / CSV / JSON writers.
 *
 * Timestamps are text in UTC, "YYYY-MM-DD HH:MM:SS" (ISO 8601 with a space,
 * as Log Parser shows them), so they sort and compare as text. Integer
 * fields are INTEGER, NULL when not logged; text fields are as logged, NULL
 * for "-" (Log Parser's rule).
 */
#define _DEFAULT_SOURCE /* glob() under -std=c11 */

#include "sql.h"

#ifndef IL_HAVE_SQLITE

int il_sql_available(void)
{
    return 0;
}

#else

#include "internal.h"
#include "logfmt.h"
#include "platform.h"
#include "reader.h"
#include "source.h"
#include "strtab.h"

#include <ctype.h>
#include <stdarg.h>
#include <limits.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifndef _WIN32
#include <glob.h>
#endif

int il_sql_available(void)
{
    return 1;
}

/* ---- small helpers ------------------------------------------------------------ */

static char *dup_n(const char *s, size_t n)
{
    char *c = malloc(n + 1);
    if (c) {
        memcpy(c, s, n);
        c[n] = '\0';
    }
    return c;
}

static int is_ident_char(int c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '$' || (unsigned char)c >= 0x80;
}

static int is_ident_start(int c)
{
    return isalpha((unsigned char)c) || c == '_' || (unsigned char)c >= 0x80;
}

static int word_is(const char *s, size_t n, const char *kw)
{
    size_t k = strlen(kw);
    return n == k && il_casecmp(s, n, kw, k) == 0;
}

/* days since 1970-01-01 to a civil date (inverse of il_days_from_civil) */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* what: 0 full "YYYY-MM-DD HH:MM:SS", 1 date, 2 time */
static void fmt_ts(int64_t t, int what, char *out, size_t cap)
{
    int64_t days = floor_div(t, 86400), sec = t - days * 86400;
    int64_t y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    unsigned hh = (unsigned)(sec / 3600), mm = (unsigned)(sec / 60 % 60), ss = (unsigned)(sec % 60);
    if (what == 1)
        snprintf(out, cap, "%04lld-%02u-%02u", (long long)y, m, d);
    else if (what == 2)
        snprintf(out, cap, "%02u:%02u:%02u", hh, mm, ss);
    else
        snprintf(out, cap, "%04lld-%02u-%02u %02u:%02u:%02u", (long long)y, m, d, hh, mm, ss);
}

static int digits(const char *s, size_t n, size_t at, size_t k, unsigned *v)
{
    if (at + k > n)
        return 0;
    unsigned x = 0;
    for (size_t i = 0; i < k; i++) {
        if (s[at + i] < '0' || s[at + i] > '9')
            return 0;
        x = x * 10 + (unsigned)(s[at + i] - '0');
    }
    *v = x;
    return 1;
}

/* Parse a timestamp as text: "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS[.fff]]"
 * (space or T, optional Z), or a time of day "HH:MM[:SS[.fff]]". *kind:
 * 0 date and time, 1 date only, 2 time only (t = seconds into the day).
 * *prec: seconds one unit of the last part given spans (86400, 3600, 60, 1). */
static int parse_ts_text(const char *s, size_t n, int64_t *t, int *kind, int64_t *prec)
{
    unsigned y, mo, d, hh = 0, mi = 0, ss = 0;
    size_t i = 0;
    int64_t days = 0;
    int k = 2;
    int64_t p = 86400;
    while (n && (s[n - 1] == ' '))
        n--;
    if (n && (s[n - 1] == 'Z' || s[n - 1] == 'z'))
        n--;
    if (digits(s, n, 0, 4, &y) && n >= 10 && s[4] == '-' && digits(s, n, 5, 2, &mo) &&
        s[7] == '-' && digits(s, n, 8, 2, &d)) {
        if (mo < 1 || mo > 12 || d < 1 || d > 31)
            return 0;
        static const unsigned char mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        if (d > mdays[mo - 1] || (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)))
            return 0;
        days = il_days_from_civil(y, mo, d);
        i = 10;
        k = 1;
        if (i == n) {
            *t = days * 86400;
            *kind = 1;
            if (prec)
                *prec = 86400;
            return 1;
        }
        if (s[i] != ' ' && s[i] != 'T' && s[i] != 't')
            return 0;
        i++;
        k = 0;
    }
    if (!digits(s, n, i, 2, &hh) || hh > 23)
        return 0;
    i += 2;
    p = 3600;
    if (i < n) {
        if (s[i] != ':' || !digits(s, n, i + 1, 2, &mi) || mi > 59)
            return 0;
        i += 3;
        p = 60;
    } else if (k == 2) {
        return 0; /* a bare "12" is not a time */
    }
    if (i < n) {
        if (s[i] != ':' || !digits(s, n, i + 1, 2, &ss) || ss > 60)
            return 0;
        i += 3;
        p = 1;
        if (i < n && (s[i] == '.' || s[i] == ',')) {
            i++;
            while (i < n && s[i] >= '0' && s[i] <= '9')
                i++;
        }
    }
    if (i != n)
        return 0;
    *t = days * 86400 + hh * 3600 + mi * 60 + (ss > 59 ? 59 : ss);
    *kind = k;
    if (prec)
        *prec = p;
    return 1;
}

/* ---- built-in queries ------------------------------------------------------------- */

static const il_sql_builtin builtins[] = {
    {"top-urls", "the 10 URLs with the most requests",
     "SELECT TOP 10 cs-uri-stem AS Url, COUNT(*) AS Hits\n"
     "FROM logs\n"
     "WHERE cs-uri-stem IS NOT NULL AND Format <> 'httperr'\n"
     "GROUP BY cs-uri-stem\n"
     "ORDER BY Hits DESC, Url"},
    {"hits-per-hour", "requests per hour (UTC)",
     "SELECT QUANTIZE(TO_TIMESTAMP(date, time), 3600) AS Hour, COUNT(*) AS Hits\n"
     "FROM logs\n"
     "WHERE Format <> 'httperr'\n"
     "GROUP BY Hour\n"
     "ORDER BY Hour"},
    {"status-codes", "every status / sub-status / win32 triple with its count and meaning",
     "SELECT sc-status AS Status, sc-substatus AS Sub, sc-win32-status AS Win32, COUNT(*) AS Hits,\n"
     "       IIS_CLASS(sc-status, sc-substatus, sc-win32-status) AS Class,\n"
     "       IIS_EXPLAIN(sc-status, sc-substatus, sc-win32-status, Format) AS Meaning\n"
     "FROM logs\n"
     "WHERE Format <> 'httperr'\n"
     "GROUP BY Status, Sub, Win32, Format\n"
     "ORDER BY Hits DESC, Status, Sub, Win32"},
    {"slowest-pages", "the 25 URLs with the highest average time-taken (ms), with p95 and max",
     "SELECT TOP 25 cs-uri-stem AS Url, COUNT(*) AS Hits, TO_INT(AVG(time-taken)) AS AvgMs,\n"
     "       PERCENTILE(time-taken, 95) AS P95Ms, MAX(time-taken) AS MaxMs\n"
     "FROM logs\n"
     "WHERE time-taken IS NOT NULL AND cs-uri-stem IS NOT NULL\n"
     "GROUP BY cs-uri-stem\n"
     "ORDER BY AvgMs DESC, Url"},
    {"slow-requests", "the 25 slowest single requests",
     "SELECT TOP 25 TO_TIMESTAMP(date, time) AS Time, cs-uri-stem AS Url, sc-status AS Status,\n"
     "       time-taken AS Ms, c-ip AS Client\n"
     "FROM logs\n"
     "WHERE time-taken IS NOT NULL\n"
     "ORDER BY time-taken DESC, Time, Url"},
    {"errors-by-url", "URLs answered with status 400 or above (Windows-auth handshake legs left out), by code, with its meaning",
     "SELECT TOP 25 cs-uri-stem AS Url, sc-status AS Status, sc-substatus AS Sub,\n"
     "       sc-win32-status AS Win32, COUNT(*) AS Hits,\n"
     "       IIS_EXPLAIN(sc-status, sc-substatus, sc-win32-status) AS Meaning\n"
     "FROM logs\n"
     "WHERE sc-status >= 400 AND Format IN ('w3c'; 'iis'; 'ncsa')\n"
     "  AND IIS_CLASS(sc-status, sc-substatus, sc-win32-status) <> 'auth_handshake'\n"
     "GROUP BY Url, Status, Sub, Win32\n"
     "ORDER BY Hits DESC, Url, Status, Sub, Win32"},
    {"server-errors", "5xx responses by URL and code, first and last time",
     "SELECT TOP 25 cs-uri-stem AS Url, sc-status AS Status, sc-substatus AS Sub,\n"
     "       sc-win32-status AS Win32, COUNT(*) AS Hits,\n"
     "       MIN(TO_TIMESTAMP(date, time)) AS First, MAX(TO_TIMESTAMP(date, time)) AS Last\n"
     "FROM logs\n"
     "WHERE sc-status >= 500 AND sc-status < 600 AND Format IN ('w3c'; 'iis'; 'ncsa')\n"
     "GROUP BY Url, Status, Sub, Win32\n"
     "ORDER BY Hits DESC, Url, Status, Sub, Win32"},
    {"not-found", "the 25 most requested missing URLs (404)",
     "SELECT TOP 25 cs-uri-stem AS Url, sc-substatus AS Sub, COUNT(*) AS Hits,\n"
     "       COUNT(DISTINCT c-ip) AS Clients\n"
     "FROM logs\n"
     "WHERE sc-status = 404 AND Format IN ('w3c'; 'iis'; 'ncsa')\n"
     "GROUP BY Url, Sub\n"
     "ORDER BY Hits DESC, Url, Sub"},
    {"win32-by-url", "URLs whose requests ended with a non-zero win32 status, with its description",
     "SELECT TOP 25 cs-uri-stem AS Url, sc-win32-status AS Win32, COUNT(*) AS Hits,\n"
     "       WIN32_ERROR_DESCRIPTION(sc-win32-status) AS Description\n"
     "FROM logs\n"
     "WHERE sc-win32-status <> 0 AND Format <> 'httperr'\n"
     "GROUP BY Url, Win32\n"
     "ORDER BY Hits DESC, Url, Win32"},
    {"top-clients", "the 10 client addresses with the most requests, and their errors",
     "SELECT TOP 10 c-ip AS Client, COUNT(*) AS Hits,\n"
     "       SUM(CASE WHEN sc-status >= 400 THEN 1 ELSE 0 END) AS Status400Plus\n"
     "FROM logs\n"
     "WHERE c-ip IS NOT NULL AND Format <> 'httperr'\n"
     "GROUP BY c-ip\n"
     "ORDER BY Hits DESC, Client"},
    {"auth-failures-by-client", "failed logons (401 other than handshake legs) by client and user",
     "SELECT TOP 25 c-ip AS Client, cs-username AS User, COUNT(*) AS Failures,\n"
     "       MIN(TO_TIMESTAMP(date, time)) AS First, MAX(TO_TIMESTAMP(date, time)) AS Last\n"
     "FROM logs\n"
     "WHERE sc-status = 401 AND Format <> 'httperr'\n"
     "  AND IIS_CLASS(sc-status, sc-substatus, sc-win32-status) <> 'auth_handshake'\n"
     "GROUP BY Client, User\n"
     "ORDER BY Failures DESC, Client, User"},
    {"bytes-per-hour", "bytes sent and received per hour (UTC)",
     "SELECT QUANTIZE(TO_TIMESTAMP(date, time), 3600) AS Hour, COUNT(*) AS Hits,\n"
     "       SUM(sc-bytes) AS BytesSent, SUM(cs-bytes) AS BytesReceived\n"
     "FROM logs\n"
     "WHERE Format <> 'httperr'\n"
     "GROUP BY Hour\n"
     "ORDER BY Hour"},
    {"status-by-hour", "requests per hour and status code (UTC)",
     "SELECT QUANTIZE(TO_TIMESTAMP(date, time), 3600) AS Hour, sc-status AS Status, COUNT(*) AS Hits\n"
     "FROM logs\n"
     "WHERE Format <> 'httperr'\n"
     "GROUP BY Hour, Status\n"
     "ORDER BY Hour, Status"},
    {"errors-per-hour", "requests and errors (status 400 or above, and 5xx) per hour (UTC)",
     "SELECT QUANTIZE(TO_TIMESTAMP(date, time), 3600) AS Hour, COUNT(*) AS Hits,\n"
     "       SUM(CASE WHEN sc-status >= 400 THEN 1 ELSE 0 END) AS Status400Plus,\n"
     "       SUM(CASE WHEN sc-status >= 500 THEN 1 ELSE 0 END) AS Status5xx\n"
     "FROM logs\n"
     "WHERE Format <> 'httperr'\n"
     "GROUP BY Hour\n"
     "ORDER BY Hour"},
    {"top-user-agents", "the 10 most frequent user agents",
     "SELECT TOP 10 cs(User-Agent) AS UserAgent, COUNT(*) AS Hits\n"
     "FROM logs\n"
     "WHERE cs(User-Agent) IS NOT NULL\n"
     "GROUP BY cs(User-Agent)\n"
     "ORDER BY Hits DESC, UserAgent"},
    {"top-referers", "the 10 most frequent referers",
     "SELECT TOP 10 cs(Referer) AS Referer, COUNT(*) AS Hits\n"
     "FROM logs\n"
     "WHERE cs(Referer) IS NOT NULL\n"
     "GROUP BY cs(Referer)\n"
     "ORDER BY Hits DESC, Referer"},
    {"hits-by-extension", "requests, bytes and average time-taken per file extension",
     "SELECT TO_LOWERCASE(EXTRACT_EXTENSION(cs-uri-stem)) AS Extension, COUNT(*) AS Hits,\n"
     "       SUM(sc-bytes) AS Bytes, TO_INT(AVG(time-taken)) AS AvgMs\n"
     "FROM logs\n"
     "WHERE cs-uri-stem IS NOT NULL AND Format <> 'httperr'\n"
     "GROUP BY Extension\n"
     "ORDER BY Hits DESC, Extension"},
    {"methods", "requests per HTTP method (or FTP command)",
     "SELECT cs-method AS Method, COUNT(*) AS Hits\n"
     "FROM logs\n"
     "WHERE Format <> 'httperr'\n"
     "GROUP BY Method\n"
     "ORDER BY Hits DESC, Method"},
    {"hosts", "requests per host name (cs-host) and site",
     "SELECT cs-host AS Host, SiteId, COUNT(*) AS Hits\n"
     "FROM logs\n"
     "WHERE Format <> 'httperr'\n"
     "GROUP BY Host, SiteId\n"
     "ORDER BY Hits DESC, Host, SiteId"},
    {"client-aborts", "URLs whose clients went away before the response was sent",
     "SELECT TOP 25 cs-uri-stem AS Url, COUNT(*) AS Aborts, MAX(time-taken) AS MaxMs\n"
     "FROM logs\n"
     "WHERE IIS_CLASS(sc-status, sc-substatus, sc-win32-status) = 'client_abort'\n"
     "  AND Format <> 'httperr'\n"
     "GROUP BY Url\n"
     "ORDER BY Aborts DESC, Url"},
    {"latency-by-url", "time-taken percentiles (p50, p90, p99) of the 25 busiest URLs",
     "SELECT TOP 25 cs-uri-stem AS Url, COUNT(*) AS Hits, PERCENTILE(time-taken, 50) AS P50Ms,\n"
     "       PERCENTILE(time-taken, 90) AS P90Ms, PERCENTILE(time-taken, 99) AS P99Ms,\n"
     "       MAX(time-taken) AS MaxMs\n"
     "FROM logs\n"
     "WHERE time-taken IS NOT NULL AND cs-uri-stem IS NOT NULL\n"
     "GROUP BY Url\n"
     "ORDER BY Hits DESC, Url"},
    {"top-users", "the 10 authenticated users with the most requests",
     "SELECT TOP 10 cs-username AS User, COUNT(*) AS Hits, COUNT(DISTINCT c-ip) AS Clients\n"
     "FROM logs\n"
     "WHERE cs-username IS NOT NULL AND Format <> 'httperr'\n"
     "GROUP BY User\n"
     "ORDER BY Hits DESC, User"},
    {"httperr-reasons", "HTTP.sys (HTTPERR) events by reason, with their meaning",
     "SELECT s-reason AS Reason, COUNT(*) AS Events, IIS_EXPLAIN(s-reason) AS Meaning,\n"
     "       MIN(TO_TIMESTAMP(date, time)) AS First, MAX(TO_TIMESTAMP(date, time)) AS Last\n"
     "FROM logs\n"
     "WHERE Format = 'httperr'\n"
     "GROUP BY Reason\n"
     "ORDER BY Events DESC, Reason"},
    {"hits-per-day", "requests, errors and bytes per day (UTC)",
     "SELECT date AS Day, COUNT(*) AS Hits,\n"
     "       SUM(CASE WHEN sc-status >= 400 THEN 1 ELSE 0 END) AS Status400Plus,\n"
     "       SUM(sc-bytes) AS BytesSent\n"
     "FROM logs\n"
     "WHERE Format <> 'httperr'\n"
     "GROUP BY Day\n"
     "ORDER BY Day"},
};

const il_sql_builtin *il_sql_builtins(size_t *n)
{
    *n = sizeof builtins / sizeof builtins[0];
    return builtins;
}

const il_sql_builtin *il_sql_builtin_find(const char *name)
{
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
        if (strcmp(builtins[i].name, name) == 0)
            return &builtins[i];
    return NULL;
}

/* ---- the table's columns ---------------------------------------------------------- */

enum {
    SRC_FILE, SRC_LINE, SRC_FORMAT, SRC_SITEID, SRC_DATE, SRC_TIME, SRC_TS,
    SRC_STATUS, SRC_SUB, SRC_WIN32, SRC_SC_BYTES, SRC_CS_BYTES, SRC_TAKEN,
    SRC_TEXT, SRC_INT
};

/* for IIS native and NCSA records, which have no columns: the il_rec slice */
enum {
    RT_NONE, RT_URI, RT_QUERY, RT_METHOD, RT_CLIENT, RT_USER, RT_UA, RT_REFERER,
    RT_HOST, RT_SITE, RT_VERSION, RT_REASON
};

typedef struct std_col {
    const char *iis;
    uint8_t src, rt;
} std_col;

static const std_col std_cols[] = {
    {"LogFilename", SRC_FILE, RT_NONE},
    {"LogRow", SRC_LINE, RT_NONE},
    {"Format", SRC_FORMAT, RT_NONE},
    {"SiteId", SRC_SITEID, RT_NONE},
    {"date", SRC_DATE, RT_NONE},
    {"time", SRC_TIME, RT_NONE},
    {"timestamp", SRC_TS, RT_NONE},
    {"s-sitename", SRC_TEXT, RT_SITE},
    {"s-computername", SRC_TEXT, RT_NONE},
    {"s-ip", SRC_TEXT, RT_NONE},
    {"cs-method", SRC_TEXT, RT_METHOD},
    {"cs-uri-stem", SRC_TEXT, RT_URI},
    {"cs-uri-query", SRC_TEXT, RT_QUERY},
    {"s-port", SRC_INT, RT_NONE},
    {"cs-username", SRC_TEXT, RT_USER},
    {"c-ip", SRC_TEXT, RT_CLIENT},
    {"cs-version", SRC_TEXT, RT_VERSION},
    {"cs(User-Agent)", SRC_TEXT, RT_UA},
    {"cs(Cookie)", SRC_TEXT, RT_NONE},
    {"cs(Referer)", SRC_TEXT, RT_REFERER},
    {"cs-host", SRC_TEXT, RT_HOST},
    {"sc-status", SRC_STATUS, RT_NONE},
    {"sc-substatus", SRC_SUB, RT_NONE},
    {"sc-win32-status", SRC_WIN32, RT_NONE},
    {"sc-bytes", SRC_SC_BYTES, RT_NONE},
    {"cs-bytes", SRC_CS_BYTES, RT_NONE},
    {"time-taken", SRC_TAKEN, RT_NONE},
    {"c-port", SRC_INT, RT_NONE},
    {"cs-uri", SRC_TEXT, RT_NONE},
    {"streamid", SRC_INT, RT_NONE},
    {"s-siteid", SRC_INT, RT_NONE},
    {"s-reason", SRC_TEXT, RT_REASON},
    {"s-queuename", SRC_TEXT, RT_NONE},
    {"x-session", SRC_TEXT, RT_NONE},
    {"x-fullpath", SRC_TEXT, RT_NONE},
};
#define NSTD (sizeof std_cols / sizeof std_cols[0])

void il_sql_ident(const char *iis, char *out, size_t cap)
{
    size_t k = 0;
    if (cap == 0)
        return;
    if (isdigit((unsigned char)iis[0]) && k + 1 < cap)
        out[k++] = '_';
    for (const char *p = iis; *p && k + 1 < cap; p++)
        out[k++] = (isalnum((unsigned char)*p) || *p == '_') ? *p : '_';
    out[k] = '\0';
}

typedef struct sqlcol {
    char *iis;     /* as IIS names it */
    char *ident;   /* as SQLite sees it */
    uint8_t src, rt;
} sqlcol;

typedef struct schema {
    sqlcol *c;
    size_t n;
} schema;

static void schema_free(schema *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->c[i].iis);
        free(s->c[i].ident);
    }
    free(s->c);
    s->c = NULL;
    s->n = 0;
}

static int schema_find_ident(const schema *s, const char *ident)
{
    for (size_t i = 0; i < s->n; i++)
        if (il_casecmp(s->c[i].ident, strlen(s->c[i].ident), ident, strlen(ident)) == 0)
            return (int)i;
    return -1;
}

static int schema_find_ident_exact(const schema *s, const char *ident)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->c[i].ident, ident) == 0)
            return (int)i;
    return -1;
}

static int schema_find_iis(const schema *s, const char *iis, size_t n)
{
    for (size_t i = 0; i < s->n; i++)
        if (il_casecmp(s->c[i].iis, strlen(s->c[i].iis), iis, n) == 0)
            return (int)i;
    return -1;
}

/* The standard columns plus every other field name the files use. */
static il_status schema_build(schema *s, const char *const *extra)
{
    size_t ne = 0;
    while (extra && extra[ne])
        ne++;
    s->c = calloc(NSTD + ne, sizeof *s->c);
    if (!s->c)
        return IL_E_NOMEM;
    char id[256];
    for (size_t i = 0; i < NSTD; i++) {
        il_sql_ident(std_cols[i].iis, id, sizeof id);
        s->c[i].iis = dup_n(std_cols[i].iis, strlen(std_cols[i].iis));
        s->c[i].ident = dup_n(id, strlen(id));
        s->c[i].src = std_cols[i].src;
        s->c[i].rt = std_cols[i].rt;
        s->n++;
        if (!s->c[i].iis || !s->c[i].ident)
            return IL_E_NOMEM;
    }
    for (size_t i = 0; i < ne; i++) {
        const char *nm = extra[i];
        if (!*nm || schema_find_iis(s, nm, strlen(nm)) >= 0)
            continue;
        il_sql_ident(nm, id, sizeof id);
        if (schema_find_ident(s, id) >= 0) { /* "a-b" and "a_b": the second gets a suffix */
            size_t l = strlen(id);
            for (int k = 2; k < 100 && schema_find_ident(s, id) >= 0; k++)
                snprintf(id + (l < sizeof id - 8 ? l : sizeof id - 8), 8, "_%d", k);
        }
        sqlcol *c = &s->c[s->n];
        c->iis = dup_n(nm, strlen(nm));
        c->ident = dup_n(id, strlen(id));
        c->src = SRC_TEXT;
        c->rt = RT_NONE;
        s->n++;
        if (!c->iis || !c->ident)
            return IL_E_NOMEM;
    }
    return IL_OK;
}

/* ---- the rewriter --------------------------------------------------------------------- */

enum { P_PLAIN, P_INLIST, P_PROP };

typedef struct paren {
    uint8_t kind;
    size_t out_start;         /* P_PROP: where the argument starts in the output */
    char agg[16];             /* P_PROP: COUNT, SUM ... */
} paren;

typedef struct rw {
    const char *q;
    size_t n, i;
    il_sql_text *t;
    const char *const *names;
    size_t nnames;
    paren st[64];
    int depth;
    struct {
        int depth;
        char num[24];
    } top[16];
    int ntop;
    int pending_in;
    char prop_agg[16];
    char prev[2][16];         /* the last two words, upper case ("" after punctuation) */
    int in_select;            /* between SELECT and FROM at depth 0 (for INTO) */
    int err;
} rw;

static void t_seg(rw *w, size_t in, size_t inlen, size_t out, size_t outlen)
{
    il_sql_text *t = w->t;
    if (t->nsegs) {
        il_sql_seg *l = &t->segs[t->nsegs - 1];
        if (l->inlen == l->outlen && inlen == outlen && l->in + l->inlen == in &&
            l->out + l->outlen == out) {
            l->inlen += inlen;
            l->outlen += outlen;
            return;
        }
    }
    if (t->nsegs == t->capsegs) {
        size_t nc = t->capsegs ? t->capsegs * 2 : 32;
        il_sql_seg *ns = realloc(t->segs, nc * sizeof *ns);
        if (!ns) {
            w->err = 1;
            return;
        }
        t->segs = ns;
        t->capsegs = nc;
    }
    t->segs[t->nsegs++] = (il_sql_seg){out, outlen, in, inlen};
}

static void emit_copy(rw *w, size_t from, size_t len)
{
    size_t out = w->t->sql.len;
    il_buf_append(&w->t->sql, w->q + from, len);
    t_seg(w, from, len, out, len);
}

/* Text replacing q[in, in + inlen). */
static void emit_repl(rw *w, size_t in, size_t inlen, const char *s, size_t n)
{
    size_t out = w->t->sql.len;
    il_buf_append(&w->t->sql, s, n);
    t_seg(w, in, inlen, out, n);
}

static void set_prev(rw *w, const char *s, size_t n)
{
    memcpy(w->prev[0], w->prev[1], sizeof w->prev[0]);
    size_t k = n < sizeof w->prev[1] - 1 ? n : sizeof w->prev[1] - 1;
    for (size_t j = 0; j < k; j++)
        w->prev[1][j] = (char)toupper((unsigned char)s[j]);
    w->prev[1][k] = '\0';
}

static size_t skip_space(const char *q, size_t n, size_t i)
{
    for (;;) {
        while (i < n && isspace((unsigned char)q[i]))
            i++;
        if (i + 1 < n && q[i] == '-' && q[i + 1] == '-') {
            while (i < n && q[i] != '\n')
                i++;
        } else if (i + 1 < n && q[i] == '/' && q[i + 1] == '*') {
            const char *e = il_memmem(q + i + 2, n - i - 2, "*/", 2);
            i = e ? (size_t)(e - q) + 2 : n;
        } else {
            return i;
        }
    }
}

/* End of a quoted run starting at q[i] (the quote), doubled quotes inside. */
static size_t quoted_end(const char *q, size_t n, size_t i, char close)
{
    size_t j = i + 1;
    while (j < n) {
        if (q[j] == close) {
            if (close != ']' && j + 1 < n && q[j + 1] == close) {
                j += 2;
                continue;
            }
            return j + 1;
        }
        j++;
    }
    return n;
}

/* The IIS names recognised: the table's, or the standard set. */
static size_t rw_nnames(const rw *w)
{
    return w->names ? w->nnames : NSTD;
}

static const char *rw_name(const rw *w, size_t k)
{
    return w->names ? w->names[k] : std_cols[k].iis;
}

static int name_char(int c)
{
    return isalnum(c) || c == '-' || c == '_';
}

/* Whether field name nm has the shape a bare name in a query can have:
 * letters, digits, - and _, then at most one "(...)" of the same at its
 * end (cs(User-Agent)). A name a log's #Fields invents with other bytes
 * (a lone ")", a comma) is reached in brackets or quotes only, so that it
 * can never swallow query text ("cs-uri-stem)" eating a call's ")"). */
static int bare_name(const char *nm)
{
    size_t i = 0;
    while (name_char((unsigned char)nm[i]))
        i++;
    if (i == 0 || nm[i] == '\0')
        return i > 0;
    if (nm[i] != '(')
        return 0;
    size_t j = ++i;
    while (name_char((unsigned char)nm[i]))
        i++;
    return i > j && nm[i] == ')' && nm[i + 1] == '\0';
}

/* Longest known field name written with - or () at q[i]; its length. */
static size_t match_name(const rw *w, size_t i, size_t *which)
{
    size_t best = 0;
    for (size_t k = 0; k < rw_nnames(w); k++) {
        const char *nm = rw_name(w, k);
        size_t l = strlen(nm);
        if (l <= best || i + l > w->n || strcspn(nm, "-()") == l || !bare_name(nm))
            continue;
        if (il_casecmp(w->q + i, l, nm, l) != 0)
            continue;
        char nx = i + l < w->n ? w->q[i + l] : '\0';
        if (is_ident_char(nx) && nm[l - 1] != ')')
            continue;
        if (nx == '-' && i + l + 1 < w->n && isalpha((unsigned char)w->q[i + l + 1]))
            continue; /* cs-uri in cs-uri-foo: a longer name we do not know */
        best = l;
        *which = k;
    }
    return best;
}

/* The known name spelled exactly (any case) as s[0, n), or -1. */
static long find_name(const rw *w, const char *s, size_t n)
{
    for (size_t k = 0; k < rw_nnames(w); k++) {
        const char *nm = rw_name(w, k);
        if (il_casecmp(nm, strlen(nm), s, n) == 0)
            return (long)k;
    }
    if (word_is(s, n, "RowNumber"))
        return -2;
    return -1;
}

static void emit_ident(rw *w, size_t in, size_t inlen, long k)
{
    char id[256];
    if (k == -2)
        snprintf(id, sizeof id, "LogRow");
    else
        il_sql_ident(rw_name(w, (size_t)k), id, sizeof id);
    emit_repl(w, in, inlen, id, strlen(id));
}

static int path_like(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strchr("./\\*?:~", s[i]))
            return 1;
    return 0;
}

/* One item of a FROM list at q[j]: [*start, *end) in the text, the path in
 * *path (malloc'd). 0 when there is none; *quoted set for '...' and "...". */
static int from_item(const rw *w, size_t j, size_t *end, char **path, int *quoted)
{
    const char *q = w->q;
    *quoted = 0;
    if (j >= w->n)
        return 0;
    if (q[j] == '\'' || q[j] == '"') {
        size_t e = quoted_end(q, w->n, j, q[j]);
        if (e > w->n || q[e - 1] != q[j] || e - j < 2)
            return 0;
        char *p = malloc(e - j);
        if (!p)
            return 0;
        size_t k = 0;
        for (size_t x = j + 1; x < e - 1; x++) {
            p[k++] = q[x];
            if (q[x] == q[j])
                x++; /* doubled quote */
        }
        p[k] = '\0';
        *end = e;
        *path = p;
        *quoted = q[j] == '\'' ? 1 : 2;
        return 1;
    }
    size_t e = j;
    while (e < w->n && !isspace((unsigned char)q[e]) && !strchr(",;()", q[e]))
        e++;
    if (e == j)
        return 0;
    *end = e;
    *path = dup_n(q + j, e - j);
    return *path != NULL;
}

static int same_sources(char **a, size_t na, char **b, size_t nb)
{
    if (na != nb)
        return 0;
    for (size_t i = 0; i < na; i++)
        if (strcmp(a[i], b[i]) != 0)
            return 0;
    return 1;
}

/* After FROM: a path, a wildcard or a comma-separated list of them becomes
 * `logs`; `logs`, a subquery or anything else stays. */
static void rw_from(rw *w)
{
    size_t j = skip_space(w->q, w->n, w->i);
    if (j >= w->n || w->q[j] == '(')
        return;
    size_t end;
    char *path;
    int quoted;
    if (!from_item(w, j, &end, &path, &quoted))
        return;
    if (quoted != 1 && (strcmp(path, "logs") == 0 || il_casecmp(path, strlen(path), "logs", 4) == 0)) {
        free(path);
        return;
    }
    if (!quoted && !path_like(path, strlen(path)) && !is_ident_start(path[0]) && path[0] != '-') {
        free(path);
        return;
    }
    char **list = NULL;
    size_t nl = 0, last = end;
    for (;;) {
        if (!quoted && word_is(path, strlen(path), "STDIN")) {
            free(path);
            path = dup_n("-", 1);
        }
        char **nlist = path ? realloc(list, (nl + 1) * sizeof *list) : NULL;
        if (!nlist) {
            free(path);
            w->err = 1;
            break;
        }
        list = nlist;
        list[nl++] = path;
        last = end;
        size_t k = skip_space(w->q, w->n, end);
        if (k >= w->n || w->q[k] != ',')
            break;
        size_t k2 = skip_space(w->q, w->n, k + 1);
        if (!from_item(w, k2, &end, &path, &quoted))
            break;
        if (!quoted && !path_like(path, strlen(path))) {
            free(path);
            break;
        }
    }
    il_sql_text *t = w->t;
    if (!w->err && t->nsources && !same_sources(t->sources, t->nsources, list, nl)) {
        snprintf(t->msg, sizeof t->msg,
                 "this query reads two different sets of logs; iislens sql reads one set per "
                 "query: name every file in one FROM (FROM a.log, b.log), or use a folder or a "
                 "wildcard");
        t->pos = (long)j;
        w->err = 2;
    }
    if (!w->err && !t->nsources) {
        t->sources = list;
        t->nsources = nl;
        list = NULL;
    }
    for (size_t x = 0; list && x < nl; x++)
        free(list[x]);
    free(list);
    if (w->err)
        return;
    emit_copy(w, w->i, j - w->i);
    emit_repl(w, j, last - j, "logs", 4);
    w->i = last;
}

/* INTO target (Log Parser's output clause): dropped, with a note. */
static void rw_into(rw *w, size_t word_at)
{
    size_t j = skip_space(w->q, w->n, w->i);
    size_t end;
    char *path;
    int quoted;
    if (!from_item(w, j, &end, &path, &quoted))
        return;
    il_sql_text *t = w->t;
    size_t l = strlen(t->notes);
    snprintf(t->notes + l, sizeof t->notes - l,
             "%sINTO %s ignored: iislens writes the result to standard output (choose it with "
             "--format, redirect it with >)",
             l ? "; " : "", path);
    free(path);
    emit_repl(w, word_at, end - word_at, " ", 1);
    w->i = end;
}

static void rw_close_tops(rw *w, int depth, size_t at)
{
    while (w->ntop && w->top[w->ntop - 1].depth == depth) {
        char s[48];
        snprintf(s, sizeof s, "\nLIMIT %s", w->top[w->ntop - 1].num);
        emit_repl(w, at, 0, s, strlen(s));
        w->ntop--;
    }
}

il_status il_sql_rewrite(const char *query, const char *const *names, size_t nnames,
                         il_sql_text *t)
{
    memset(t, 0, sizeof *t);
    il_buf_init(&t->sql, 0);
    t->pos = -1;
    rw w;
    memset(&w, 0, sizeof w);
    w.q = query;
    w.n = strlen(query);
    w.t = t;
    w.names = names;
    w.nnames = nnames;
    const char *q = query;
    while (w.i < w.n && !w.err) {
        size_t i = w.i;
        unsigned char c = (unsigned char)q[i];
        if (isspace(c)) {
            size_t j = i;
            while (j < w.n && isspace((unsigned char)q[j]))
                j++;
            emit_copy(&w, i, j - i);
            w.i = j;
        } else if ((c == '-' && i + 1 < w.n && q[i + 1] == '-') ||
                   (c == '/' && i + 1 < w.n && q[i + 1] == '*')) {
            size_t j = skip_space(q, w.n, i);
            emit_copy(&w, i, j - i);
            w.i = j;
        } else if (c == '\'') {
            size_t j = quoted_end(q, w.n, i, '\'');
            emit_copy(&w, i, j - i);
            w.i = j;
            set_prev(&w, "'", 1);
        } else if (c == '"' || c == '[' || c == '`') {
            size_t j = quoted_end(q, w.n, i, c == '[' ? ']' : (char)c);
            long k = j - i >= 2 ? find_name(&w, q + i + 1, j - i - 2) : -1;
            if (k != -1 && q[j - 1] == (c == '[' ? ']' : (char)c))
                emit_ident(&w, i, j - i, k);
            else
                emit_copy(&w, i, j - i);
            w.i = j;
            set_prev(&w, "\"", 1);
        } else if (is_ident_start(c)) {
            size_t which = 0, l = match_name(&w, i, &which);
            if (l) {
                emit_ident(&w, i, l, (long)which);
                w.i = i + l;
                set_prev(&w, "\"", 1);
                continue;
            }
            size_t j = i;
            while (j < w.n && is_ident_char(q[j]))
                j++;
            const char *s = q + i;
            size_t n = j - i;
            w.i = j;
            if ((word_is(s, n, "FROM") || word_is(s, n, "JOIN")) && !(strcmp(w.prev[1], "DISTINCT") == 0 &&
                                           (strcmp(w.prev[0], "IS") == 0 || strcmp(w.prev[0], "NOT") == 0))) {
                emit_copy(&w, i, n);
                if (w.depth == 0)
                    w.in_select = 0;
                rw_from(&w);
                set_prev(&w, s, n);
                continue;
            }
            if (word_is(s, n, "TOP") && (strcmp(w.prev[1], "SELECT") == 0 ||
                                         strcmp(w.prev[1], "DISTINCT") == 0 || strcmp(w.prev[1], "ALL") == 0)) {
                size_t k = skip_space(q, w.n, j), e = k;
                while (e < w.n && isdigit((unsigned char)q[e]))
                    e++;
                if (e > k && e - k < 19 && (e == w.n || !is_ident_char(q[e])) && w.ntop < 16) {
                    w.top[w.ntop].depth = w.depth;
                    memcpy(w.top[w.ntop].num, q + k, e - k);
                    w.top[w.ntop].num[e - k] = '\0';
                    w.ntop++;
                    emit_repl(&w, i, e - i, " ", 1);
                    w.i = e;
                    continue; /* prev stays SELECT: DISTINCT may follow */
                }
            }
            if (word_is(s, n, "INTO") && w.depth == 0 && w.in_select) {
                rw_into(&w, i);
                continue;
            }
            if (word_is(s, n, "SELECT") && w.depth == 0)
                w.in_select = 1;
            if (word_is(s, n, "RowNumber")) { /* Log Parser's W3C input calls LogRow so */
                emit_repl(&w, i, n, "LogRow", 6);
                set_prev(&w, "\"", 1);
                continue;
            }
            if (word_is(s, n, "ADD")) { /* Log Parser's ADD(a, b); ADD is an SQL keyword */
                size_t k = skip_space(q, w.n, j);
                if (k < w.n && q[k] == '(') {
                    emit_repl(&w, i, n, "\"ADD\"", 5);
                    set_prev(&w, "\"", 1);
                    continue;
                }
            }
            if (word_is(s, n, "IN")) {
                size_t k = skip_space(q, w.n, j);
                if (k < w.n && q[k] == '(')
                    w.pending_in = 1;
            }
            if (n > 4 && il_casecmp(s, 4, "PROP", 4) == 0 && n - 4 < sizeof w.prop_agg) {
                static const char *const aggs[] = {"COUNT", "SUM", "AVG", "MIN", "MAX"};
                size_t k = skip_space(q, w.n, j);
                for (size_t a = 0; a < 5; a++)
                    if (word_is(s + 4, n - 4, aggs[a]) && k < w.n && q[k] == '(') {
                        snprintf(w.prop_agg, sizeof w.prop_agg, "%s", aggs[a]);
                        char pre[32];
                        snprintf(pre, sizeof pre, "(%s", aggs[a]);
                        emit_repl(&w, i, n, pre, strlen(pre));
                        set_prev(&w, s, n);
                        goto next;
                    }
            }
            emit_copy(&w, i, n);
            set_prev(&w, s, n);
        } else if (isdigit(c) || (c == '.' && i + 1 < w.n && isdigit((unsigned char)q[i + 1]))) {
            size_t j = i;
            while (j < w.n && (isalnum((unsigned char)q[j]) || q[j] == '.' ||
                               ((q[j] == '+' || q[j] == '-') && (q[j - 1] == 'e' || q[j - 1] == 'E') &&
                                isdigit((unsigned char)q[i]))))
                j++;
            emit_copy(&w, i, j - i);
            w.i = j;
            set_prev(&w, "0", 1);
        } else if (c == '(') {
            if (w.depth < 64) {
                paren *p = &w.st[w.depth];
                memset(p, 0, sizeof *p);
                if (w.pending_in) {
                    p->kind = P_INLIST;
                } else if (w.prop_agg[0]) {
                    p->kind = P_PROP;
                    snprintf(p->agg, sizeof p->agg, "%s", w.prop_agg);
                }
            }
            w.pending_in = 0;
            w.prop_agg[0] = '\0';
            w.depth++;
            emit_copy(&w, i, 1);
            if (w.depth <= 64 && w.st[w.depth - 1].kind == P_PROP)
                w.st[w.depth - 1].out_start = t->sql.len;
            w.i = i + 1;
            set_prev(&w, "(", 1);
        } else if (c == ')') {
            rw_close_tops(&w, w.depth, i);
            emit_copy(&w, i, 1);
            if (w.depth > 0) {
                w.depth--;
                if (w.depth < 64 && w.st[w.depth].kind == P_PROP) {
                    paren *p = &w.st[w.depth];
                    size_t a = p->out_start, b = t->sql.len - 1; /* the argument, rewritten */
                    char *arg = dup_n(t->sql.data + a, b - a);
                    if (!arg) {
                        w.err = 1;
                        break;
                    }
                    il_buf tail;
                    il_buf_init(&tail, 0);
                    il_buf_printf(&tail, " * 1.0 / SUM(%s(%s)) OVER ())", p->agg, arg);
                    emit_repl(&w, i + 1, 0, tail.data, tail.len);
                    il_buf_free(&tail);
                    free(arg);
                }
            }
            w.i = i + 1;
            set_prev(&w, ")", 1);
        } else if (c == ';') {
            if (w.depth > 0 && w.depth <= 64 && w.st[w.depth - 1].kind == P_INLIST) {
                emit_repl(&w, i, 1, ",", 1);
            } else {
                rw_close_tops(&w, w.depth, i);
                emit_copy(&w, i, 1);
            }
            w.i = i + 1;
            set_prev(&w, ";", 1);
        } else {
            emit_copy(&w, i, 1);
            w.i = i + 1;
            set_prev(&w, "", 0);
        }
    next:;
    }
    if (!w.err)
        rw_close_tops(&w, 0, w.n);
    if (w.err == 2)
        return IL_E_PARSE;
    if (w.err || t->sql.overflow)
        return IL_E_NOMEM;
    if (!t->sql.data)
        il_buf_append(&t->sql, "", 0);
    return IL_OK;
}

long il_sql_map_offset(const il_sql_text *t, long off)
{
    if (off < 0)
        return -1;
    size_t o = (size_t)off;
    for (size_t i = 0; i < t->nsegs; i++) {
        const il_sql_seg *s = &t->segs[i];
        if (o >= s->out && o < s->out + s->outlen) {
            if (s->inlen == s->outlen)
                return (long)(s->in + (o - s->out));
            return (long)s->in;
        }
    }
    if (t->nsegs) {
        const il_sql_seg *s = &t->segs[t->nsegs - 1];
        return (long)(s->in + s->inlen);
    }
    return 0;
}

void il_sql_text_free(il_sql_text *t)
{
    il_buf_free(&t->sql);
    for (size_t i = 0; i < t->nsources; i++)
        free(t->sources[i]);
    free(t->sources);
    free(t->segs);
    memset(t, 0, sizeof *t);
    t->pos = -1;
}

/* ---- the session and the virtual table ------------------------------------------------- */

typedef struct sess {
    const il_sql_opts *o;
    const char **paths;
    size_t npaths;
    schema sc;
    int ts_col, status_col, siteid_col;
    il_reader *spare;         /* the reader opened for the schema, not yet read */
    char **ferr;              /* files that could not be read whole */
    size_t nferr;
    il_status fatal;
    char fatal_msg[512];
} sess;

typedef struct vtab {
    sqlite3_vtab base;
    sess *s;
} vtab;

typedef struct cursor {
    sqlite3_vtab_cursor base;
    sess *s;
    il_reader *r;
    il_row row;
    int eof;
    sqlite3_int64 rowid;
    int tf, sf;
    int64_t tlo, thi;
    int64_t slo, shi;
    /* the column layout of the current rows */
    int ncol;
    const char *np[IL_MAX_FIELDS];
    char *ncopy;              /* the names, NUL-separated, to compare */
    size_t file;
    uint64_t line;
    int8_t *raw;              /* per table column: index in row.col, or -1 */
    /* per file */
    size_t site_file;
    int64_t site_id;
    /* sc-status IN (...) pushed down: the values, sorted */
    int64_t *sset;
    size_t nsset;
    int sset_on;
    /* grouped delivery (GROUP BY / DISTINCT on the table's own columns) */
    struct grouped *g;
} cursor;

/* One value of a column, as SQLite gets it. */
typedef struct val {
    int type;             /* SQLITE_NULL, SQLITE_INTEGER, SQLITE_TEXT */
    int64_t i;
    const char *p;
    size_t n;
} val;

/* Rows grouped by the values of some columns: each distinct tuple once,
 * with how many rows had it. The planner's GROUP BY then needs no sorter. */
typedef struct grouped {
    int ncols, distinct;
    int cols[64];             /* table columns of the tuple, in order */
    unsigned char desc[64];   /* sorted descending on that column */
    size_t *order;            /* delivery order of the groups (sorted) */
    int *pos;                 /* per table column: place in the tuple, or -1 */
    unsigned char *arena;     /* encoded tuples, back to back */
    size_t alen, acap;
    size_t *off;              /* per group: start in arena (n + 1 entries) */
    uint64_t *cnt;
    size_t n, capn;
    uint32_t *slot;           /* hash slots: group + 1, 0 = empty */
    size_t nslot;
    uint64_t seed;            /* per run: log content cannot aim at one slot */
    size_t limit;             /* bytes the tuples may take (il_sql_opts) */
    int too_big;              /* grouped_add stopped at the limit */
    unsigned char *key;       /* scratch for one tuple */
    size_t klen, kcap;
    size_t at;                /* delivery: current group and rows left in it */
    uint64_t left;
} grouped;

static void grouped_free(grouped *g);
static int grouped_key(cursor *c, grouped *g);
static int grouped_add(grouped *g);
static const char *limit_text(char *out, size_t cap, size_t bytes);
static int grouped_sort(grouped *g);

static void sess_note_errors(sess *s, il_reader *r)
{
    for (size_t i = 0; i < il_reader_nfiles(r); i++) {
        const il_file_info *fi = il_reader_file(r, i);
        if (!fi->error[0])
            continue;
        int dup = 0;
        for (size_t k = 0; k < s->nferr && !dup; k++)
            dup = strcmp(s->ferr[k], fi->error) == 0;
        if (dup)
            continue;
        char **n = realloc(s->ferr, (s->nferr + 1) * sizeof *n);
        if (!n)
            return;
        s->ferr = n;
        char *e = dup_n(fi->error, strlen(fi->error));
        if (e)
            s->ferr[s->nferr++] = e;
    }
}

static int vt_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                      sqlite3_vtab **out, char **err)
{
    (void)argc;
    (void)argv;
    (void)err;
    sess *s = aux;
    il_buf b;
    il_buf_init(&b, 0);
    il_buf_puts(&b, "CREATE TABLE x(");
    for (size_t i = 0; i < s->sc.n; i++) {
        const sqlcol *c = &s->sc.c[i];
        int isint = c->src == SRC_LINE || c->src == SRC_SITEID || c->src == SRC_INT ||
                    (c->src >= SRC_STATUS && c->src <= SRC_TAKEN);
        il_buf_printf(&b, "%s\"%s\" %s", i ? ", " : "", c->ident, isint ? "INTEGER" : "TEXT");
    }
    il_buf_puts(&b, ")");
    if (b.overflow) {
        il_buf_free(&b);
        return SQLITE_NOMEM;
    }
    int rc = sqlite3_declare_vtab(db, b.data);
    il_buf_free(&b);
    if (rc != SQLITE_OK)
        return rc;
    vtab *v = sqlite3_malloc(sizeof *v);
    if (!v)
        return SQLITE_NOMEM;
    memset(v, 0, sizeof *v);
    v->s = s;
    *out = &v->base;
    return SQLITE_OK;
}

static int vt_disconnect(sqlite3_vtab *v)
{
    sqlite3_free(v);
    return SQLITE_OK;
}

/* idxStr: one pair of characters per argument: column (t timestamp, s
 * sc-status) and operator (= > g < l). */
static int vt_best_index(sqlite3_vtab *tab, sqlite3_index_info *ii)
{
    sess *s = ((vtab *)tab)->s;
    char str[512];
    int n = 0;
    double cost = 1e6, rows = 1e6;
    for (int i = 0; i < ii->nConstraint && n < 24; i++) {
        const struct sqlite3_index_constraint *c = &ii->aConstraint[i];
        if (!c->usable)
            continue;
        char col = c->iColumn == s->ts_col ? 't' : c->iColumn == s->status_col ? 's' : 0;
        char op = 0;
        switch (c->op) {
        case SQLITE_INDEX_CONSTRAINT_EQ: op = '='; break;
        case SQLITE_INDEX_CONSTRAINT_GT: op = '>'; break;
        case SQLITE_INDEX_CONSTRAINT_GE: op = 'g'; break;
        case SQLITE_INDEX_CONSTRAINT_LT: op = '<'; break;
        case SQLITE_INDEX_CONSTRAINT_LE: op = 'l'; break;
        default: break;
        }
        if (!col || !op)
            continue;
        /* Only constants: a value from another table (a join) or a list
         * taken one value at a time would make SQLite scan the logs again
         * for every value. An IN list on sc-status is taken all at once. */
        if (op == '=' && sqlite3_vtab_in(ii, i, -1)) {
            if (col != 's')
                continue;
            sqlite3_vtab_in(ii, i, 1);
            op = 'i';
        } else {
            sqlite3_value *rv = NULL;
            if (sqlite3_vtab_rhs_value(ii, i, &rv) != SQLITE_OK)
                continue;
        }
        str[2 * n] = col;
        str[2 * n + 1] = op;
        n++;
        ii->aConstraintUsage[i].argvIndex = n;
        ii->aConstraintUsage[i].omit = 0; /* SQLite checks again: our filter is a coarse one */
        double f = op == '=' ? (col == 's' ? 0.2 : 0.01) : 0.5;
        cost *= 0.5 + f / 2; /* the scan itself costs the same: only rows become fewer */
        rows *= f;
    }
    str[2 * n] = '\0';
    /* ORDER BY, GROUP BY or DISTINCT on columns that are all the query
     * uses of the table: count each distinct tuple while scanning, then
     * deliver the tuples sorted (so grouped too), each as many times as it
     * occurred (once for DISTINCT). SQLite then needs no sorter over the
     * rows, only our sort of the distinct tuples. */
    int distinct = sqlite3_vtab_distinct(ii);
    if (ii->nOrderBy > 0 && ii->nOrderBy <= 64) {
        sqlite3_uint64 ob = 0;
        int ok = 1;
        for (int i = 0; i < ii->nOrderBy && ok; i++) {
            int col = ii->aOrderBy[i].iColumn;
            if (col < 0 || col >= 63)
                ok = 0;
            else
                ob |= (sqlite3_uint64)1 << col;
        }
        if (ok && (ii->colUsed & ~ob) == 0) {
            size_t l = strlen(str);
            l += (size_t)snprintf(str + l, sizeof str - l, "|%c", distinct >= 2 ? 'd' : 'g');
            for (int i = 0; i < ii->nOrderBy && l < sizeof str - 8; i++)
                l += (size_t)snprintf(str + l, sizeof str - l, "%s%s%d", i ? "," : "",
                                      ii->aOrderBy[i].desc ? "-" : "", ii->aOrderBy[i].iColumn);
            ii->orderByConsumed = 1;
        }
    }
    if (str[0]) {
        ii->idxStr = sqlite3_mprintf("%s", str);
        if (!ii->idxStr)
            return SQLITE_NOMEM;
        ii->needToFreeIdxStr = 1;
    }
    ii->idxNum = n;
    ii->estimatedCost = cost;
    ii->estimatedRows = (sqlite3_int64)(rows < 1 ? 1 : rows);
    return SQLITE_OK;
}

static int vt_open(sqlite3_vtab *tab, sqlite3_vtab_cursor **out)
{
    sess *s = ((vtab *)tab)->s;
    cursor *c = sqlite3_malloc(sizeof *c);
    if (!c)
        return SQLITE_NOMEM;
    memset(c, 0, sizeof *c);
    c->s = s;
    c->raw = calloc(s->sc.n ? s->sc.n : 1, 1);
    if (!c->raw) {
        sqlite3_free(c);
        return SQLITE_NOMEM;
    }
    c->eof = 1;
    c->site_file = SIZE_MAX;
    *out = &c->base;
    return SQLITE_OK;
}

static void cur_release(cursor *c)
{
    if (c->r) {
        sess_note_errors(c->s, c->r);
        il_reader_close(c->r);
        c->r = NULL;
    }
}

static int vt_close(sqlite3_vtab_cursor *cur)
{
    cursor *c = (cursor *)cur;
    cur_release(c);
    grouped_free(c->g);
    free(c->sset);
    free(c->raw);
    free(c->ncopy);
    sqlite3_free(c);
    return SQLITE_OK;
}

/* Map the row's column names to table columns (when they changed). */
static void cur_layout(cursor *c)
{
    il_row *row = &c->row;
    int same = row->ncol == c->ncol && row->file == c->file && row->line == c->line + 1;
    for (int i = 0; same && i < row->ncol; i++)
        same = row->names[i] == c->np[i];
    c->file = row->file;
    c->line = row->line;
    if (same)
        return;
    if (row->ncol == c->ncol && c->ncopy) { /* a gap or a new file: compare the names */
        const char *p = c->ncopy;
        int eq = 1;
        for (int i = 0; eq && i < row->ncol; i++) {
            eq = strcmp(p, row->names[i]) == 0;
            p += strlen(p) + 1;
        }
        if (eq) {
            for (int i = 0; i < row->ncol; i++)
                c->np[i] = row->names[i];
            return;
        }
    }
    sess *s = c->s;
    memset(c->raw, -1, s->sc.n);
    size_t len = 1;
    for (int i = 0; i < row->ncol; i++) {
        c->np[i] = row->names[i];
        len += strlen(row->names[i]) + 1;
        int k = schema_find_iis(&s->sc, row->names[i], strlen(row->names[i]));
        if (k >= 0 && c->raw[k] < 0)
            c->raw[k] = (int8_t)i;
    }
    c->ncol = row->ncol;
    free(c->ncopy);
    c->ncopy = malloc(len);
    if (c->ncopy) {
        char *p = c->ncopy;
        for (int i = 0; i < row->ncol; i++) {
            size_t l = strlen(row->names[i]) + 1;
            memcpy(p, row->names[i], l);
            p += l;
        }
    }
}

static int row_passes(const cursor *c)
{
    const il_rec *r = &c->row.rec;
    if (c->tf && (r->t == INT64_MIN || r->t < c->tlo || r->t > c->thi))
        return 0;
    if (c->sf && (r->status < 0 || r->status < c->slo || r->status > c->shi))
        return 0;
    if (c->sset_on) {
        size_t lo = 0, hi = c->nsset;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (c->sset[mid] < r->status)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == c->nsset || c->sset[lo] != r->status)
            return 0;
    }
    return 1;
}

static int cmp_i64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return a < b ? -1 : a > b;
}

/* sc-status IN (...): the list's integers, or no filter when it has others. */
static int take_in_list(cursor *c, sqlite3_value *list)
{
    sqlite3_value *x = NULL;
    size_t n = 0;
    int ok = 1;
    for (int rc = sqlite3_vtab_in_first(list, &x); rc == SQLITE_OK && x; rc = sqlite3_vtab_in_next(list, &x)) {
        if (sqlite3_value_type(x) != SQLITE_INTEGER) {
            ok = 0;
            continue;
        }
        int64_t *ns = realloc(c->sset, (n + 1) * sizeof *ns);
        if (!ns)
            return 0;
        c->sset = ns;
        c->sset[n++] = sqlite3_value_int64(x);
    }
    if (ok && n) {
        qsort(c->sset, n, sizeof *c->sset, cmp_i64);
        c->nsset = n;
        c->sset_on = 1;
    }
    return 1;
}

/* The next row that passes the pushed-down filters: 1, or 0 at the end. */
static int cur_read(cursor *c)
{
    for (;;) {
        if (!c->r || il_reader_next(c->r, &c->row) != 1)
            return 0;
        if (!row_passes(c))
            continue;
        if (c->row.ncol > 0 && c->row.names)
            cur_layout(c);
        else
            c->ncol = -1;
        return 1;
    }
}

static int cur_advance(cursor *c)
{
    c->rowid++;
    if (c->g) {
        grouped *g = c->g;
        if (g->at < g->n && --g->left == 0 && ++g->at < g->n)
            g->left = g->distinct ? 1 : g->cnt[g->order[g->at]];
        c->eof = g->at >= g->n;
        return SQLITE_OK;
    }
    if (!cur_read(c)) {
        c->eof = 1;
        cur_release(c);
    }
    return SQLITE_OK;
}

static int vt_filter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc,
                     sqlite3_value **argv)
{
    cursor *c = (cursor *)cur;
    sess *s = c->s;
    cur_release(c);
    if (s->spare) {
        c->r = s->spare;
        s->spare = NULL;
    } else {
        char err[1024] = "";
        il_status st = il_reader_open(s->paths, s->npaths, &s->o->eo, &c->r, err, sizeof err);
        if (st != IL_OK) {
            s->fatal = st;
            snprintf(s->fatal_msg, sizeof s->fatal_msg, "%s", err);
            sqlite3_free(cur->pVtab->zErrMsg);
            cur->pVtab->zErrMsg = sqlite3_mprintf("%s", err);
            return st == IL_E_NOMEM ? SQLITE_NOMEM : SQLITE_ERROR;
        }
    }
    c->tf = c->sf = c->sset_on = 0;
    c->nsset = 0;
    c->tlo = INT64_MIN;
    c->thi = INT64_MAX;
    c->slo = INT64_MIN;
    c->shi = INT64_MAX;
    for (int i = 0; i < idxNum && i < argc && idxStr; i++) {
        char col = idxStr[2 * i], op = idxStr[2 * i + 1];
        sqlite3_value *v = argv[i];
        if (col == 't') {
            if (sqlite3_value_type(v) != SQLITE_TEXT)
                continue;
            const char *txt = (const char *)sqlite3_value_text(v);
            size_t n = (size_t)sqlite3_value_bytes(v);
            int64_t t, prec;
            int kind;
            /* only the text form the column has: "YYYY-MM-DD[ HH[:MM[:SS]]]" */
            if (!txt || n < 10 || n > 19 || strchr(txt, 'T') || strchr(txt, 'Z') ||
                !parse_ts_text(txt, n, &t, &kind, &prec) || kind == 2)
                continue;
            if (op == '>' || op == 'g') {
                if (t > c->tlo)
                    c->tlo = t;
            } else if (op == '<' || op == 'l') {
                if (t + prec - 1 < c->thi)
                    c->thi = t + prec - 1;
            } else if (n == 19) {
                if (t > c->tlo)
                    c->tlo = t;
                if (t < c->thi)
                    c->thi = t;
            } else {
                continue;
            }
            c->tf = 1;
        } else if (col == 's' && op == 'i') {
            if (!take_in_list(c, v))
                return SQLITE_NOMEM;
        } else if (col == 's') {
            if (sqlite3_value_type(v) != SQLITE_INTEGER)
                continue;
            sqlite3_int64 x = sqlite3_value_int64(v);
            if (x < INT32_MIN || x > INT32_MAX)
                continue;
            if ((op == '=' || op == 'g') && x > c->slo)
                c->slo = x;
            if (op == '>' && x + 1 > c->slo)
                c->slo = x + 1;
            if ((op == '=' || op == 'l') && x < c->shi)
                c->shi = x;
            if (op == '<' && x - 1 < c->shi)
                c->shi = x - 1;
            c->sf = 1;
        }
    }
    c->eof = 0;
    c->rowid = 0;
    c->ncol = 0;
    c->file = SIZE_MAX;
    grouped_free(c->g);
    c->g = NULL;
    const char *gs = idxStr ? strchr(idxStr, '|') : NULL;
    if (!gs) {
        if (!cur_read(c)) {
            c->eof = 1;
            cur_release(c);
        }
        return SQLITE_OK;
    }
    /* grouped: read everything now, keep one tuple per group */
    grouped *g = calloc(1, sizeof *g);
    if (!g || !(g->pos = malloc(s->sc.n * sizeof *g->pos))) {
        free(g);
        return SQLITE_NOMEM;
    }
    c->g = g;
    g->seed = il_random_seed();
    g->limit = s->o->group_limit ? s->o->group_limit : (size_t)1 << 30;
    g->distinct = gs[1] == 'd';
    for (size_t k = 0; k < s->sc.n; k++)
        g->pos[k] = -1;
    for (const char *p = gs + 2; *p && g->ncols < 64;) {
        int desc = *p == '-';
        int col = atoi(p + desc);
        if (col >= 0 && (size_t)col < s->sc.n && g->pos[col] < 0) {
            g->pos[col] = g->ncols;
            g->desc[g->ncols] = (unsigned char)desc;
            g->cols[g->ncols++] = col;
        }
        p = strchr(p, ',');
        if (!p)
            break;
        p++;
    }
    while (cur_read(c))
        if (!grouped_key(c, g) || !grouped_add(g)) {
            cur_release(c);
            if (!g->too_big)
                return SQLITE_NOMEM;
            s->fatal = IL_E_LIMIT;
            char lt[32];
            snprintf(s->fatal_msg, sizeof s->fatal_msg,
                     "the GROUP BY / DISTINCT values passed %s (%zu distinct so far): "
                     "narrow the query with WHERE, or group by fewer or shorter columns",
                     limit_text(lt, sizeof lt, g->limit), g->n);
            sqlite3_free(cur->pVtab->zErrMsg);
            cur->pVtab->zErrMsg = sqlite3_mprintf("%s", s->fatal_msg);
            return SQLITE_ERROR;
        }
    cur_release(c);
    if (!grouped_sort(g))
        return SQLITE_NOMEM;
    g->at = 0;
    g->left = g->n ? (g->distinct ? 1 : g->cnt[g->order[0]]) : 0;
    c->eof = g->n == 0;
    c->rowid = 1;
    return SQLITE_OK;
}

static int vt_next(sqlite3_vtab_cursor *cur)
{
    return cur_advance((cursor *)cur);
}

static int vt_eof(sqlite3_vtab_cursor *cur)
{
    return ((cursor *)cur)->eof;
}

static int vt_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *id)
{
    *id = ((cursor *)cur)->rowid;
    return SQLITE_OK;
}

static int is_dash(il_str v)
{
    return v.n == 0 || (v.n == 1 && v.p[0] == '-');
}

static il_str rec_text(const il_rec *r, int rt)
{
    switch (rt) {
    case RT_URI: return r->uri;
    case RT_QUERY: return r->query;
    case RT_METHOD: return r->method;
    case RT_CLIENT: return r->client;
    case RT_USER: return r->user;
    case RT_UA: return r->ua;
    case RT_REFERER: return r->referer;
    case RT_HOST: return r->host;
    case RT_SITE: return r->site;
    case RT_VERSION: return r->version;
    case RT_REASON: return r->reason;
    default: return (il_str){NULL, 0};
    }
}

/* W3SVC1 -> 1, FTPSVC2 -> 2; -1 when the folder does not say. */
static int64_t site_number(const char *site)
{
    static const char *const pre[] = {"W3SVC", "FTPSVC", "MSFTPSVC", "SMTPSVC"};
    for (size_t i = 0; i < 4; i++) {
        size_t l = strlen(pre[i]);
        if (il_casecmp(site, strlen(site) < l ? strlen(site) : l, pre[i], l) == 0 && site[l]) {
            int64_t v = 0;
            for (const char *p = site + l; *p; p++) {
                if (*p < '0' || *p > '9' || v > 100000000)
                    return -1;
                v = v * 10 + (*p - '0');
            }
            return v;
        }
    }
    return -1;
}

static int parse_int_text(il_str v, int64_t *out)
{
    size_t i = 0;
    int neg = 0;
    if (v.n && v.p[0] == '-') {
        neg = 1;
        i = 1;
    }
    if (i == v.n || v.n - i > 18)
        return 0;
    int64_t x = 0;
    for (; i < v.n; i++) {
        if (v.p[i] < '0' || v.p[i] > '9')
            return 0;
        x = x * 10 + (v.p[i] - '0');
    }
    *out = neg ? -x : x;
    return 1;
}

/* The value of table column i for the current row. Text points into the
 * row (or tb, or static memory) and is valid until the next row. */
static void cur_value(cursor *c, int i, val *v, char *tb, size_t tbcap)
{
    const sqlcol *col = &c->s->sc.c[i];
    const il_rec *r = &c->row.rec;
    v->type = SQLITE_NULL;
    switch (col->src) {
    case SRC_FILE: {
        const il_file_info *fi = il_reader_file(c->r, c->row.file);
        v->type = SQLITE_TEXT;
        v->p = fi ? fi->path : "";
        v->n = strlen(v->p);
        break;
    }
    case SRC_LINE:
        v->type = SQLITE_INTEGER;
        v->i = (int64_t)c->row.line;
        break;
    case SRC_FORMAT:
        v->type = SQLITE_TEXT;
        v->p = il_format_name((il_format)r->kind);
        v->n = strlen(v->p);
        break;
    case SRC_SITEID: {
        if (c->site_file != c->row.file) {
            const il_file_info *fi = il_reader_file(c->r, c->row.file);
            c->site_id = fi ? site_number(fi->site) : -1;
            c->site_file = c->row.file;
        }
        int64_t x = c->site_id;
        int k = c->s->siteid_col;
        if (x < 0 && k >= 0 && c->ncol > 0 && c->raw[k] >= 0) {
            int64_t y;
            if (parse_int_text(c->row.col[(int)c->raw[k]], &y))
                x = y;
        }
        if (x < 0 && r->site.n) {
            char sb[64];
            size_t l = r->site.n < sizeof sb - 1 ? r->site.n : sizeof sb - 1;
            memcpy(sb, r->site.p, l);
            sb[l] = '\0';
            x = site_number(sb);
        }
        if (x >= 0) {
            v->type = SQLITE_INTEGER;
            v->i = x;
        }
        break;
    }
    case SRC_DATE:
    case SRC_TIME:
    case SRC_TS:
        if (r->t != INT64_MIN) {
            fmt_ts(r->t, col->src == SRC_DATE ? 1 : col->src == SRC_TIME ? 2 : 0, tb, tbcap);
            v->type = SQLITE_TEXT;
            v->p = tb;
            v->n = strlen(tb);
        }
        break;
    case SRC_STATUS: v->i = r->status; goto num;
    case SRC_SUB: v->i = r->sub; goto num;
    case SRC_WIN32: v->i = r->win32; goto num;
    case SRC_SC_BYTES: v->i = r->sc_bytes; goto num;
    case SRC_CS_BYTES: v->i = r->cs_bytes; goto num;
    case SRC_TAKEN: v->i = r->taken; goto num;
    default: {
        il_str t = {NULL, 0};
        if (c->ncol > 0) {
            if (c->raw[i] >= 0)
                t = c->row.col[(int)c->raw[i]];
        } else {
            t = rec_text(r, col->rt);
        }
        if (is_dash(t))
            break;
        if (col->src == SRC_INT && parse_int_text(t, &v->i)) {
            v->type = SQLITE_INTEGER;
        } else {
            v->type = SQLITE_TEXT;
            v->p = t.p;
            v->n = t.n;
        }
        break;
    }
    }
    return;
num:
    if (v->i >= 0)
        v->type = SQLITE_INTEGER;
}

/* ---- grouped delivery ---- */

static void grouped_free(grouped *g)
{
    if (!g)
        return;
    free(g->order);
    free(g->pos);
    free(g->arena);
    free(g->off);
    free(g->cnt);
    free(g->slot);
    free(g->key);
    free(g);
}

static int key_put(grouped *g, const void *p, size_t n)
{
    if (g->klen + n > g->kcap) {
        size_t nc = g->kcap ? g->kcap * 2 : 256;
        while (nc < g->klen + n)
            nc *= 2;
        unsigned char *nk = realloc(g->key, nc);
        if (!nk)
            return 0;
        g->key = nk;
        g->kcap = nc;
    }
    memcpy(g->key + g->klen, p, n);
    g->klen += n;
    return 1;
}

/* "1 GiB", "512 MiB", "64 KiB": a limit, for a message. */
static const char *limit_text(char *out, size_t cap, size_t bytes)
{
    if (bytes >= ((size_t)1 << 30) && bytes % ((size_t)1 << 30) == 0)
        snprintf(out, cap, "%zu GiB", bytes >> 30);
    else if (bytes >= ((size_t)1 << 20))
        snprintf(out, cap, "%zu MiB", bytes >> 20);
    else
        snprintf(out, cap, "%zu KiB", bytes >> 10);
    return out;
}

/* Count the tuple in g->key; 0 when memory ran out or the tuples reached
 * g->limit (then g->too_big is set): the query stops with a limit error
 * rather than let attacker-made values (a scanner's random URLs) take the
 * machine's memory. */
static int grouped_add(grouped *g)
{
    if (g->alen + g->klen + g->capn * 16 + g->nslot * 4 > g->limit) {
        g->too_big = 1;
        return 0;
    }
    if ((g->n + 1) * 2 > g->nslot) {
        size_t ns = g->nslot ? g->nslot * 2 : 1024;
        uint32_t *sl = calloc(ns, sizeof *sl);
        if (!sl || ns > UINT32_MAX) {
            free(sl);
            return 0;
        }
        for (size_t k = 0; k < g->n; k++) {
            uint64_t h = il_hash_seeded(g->seed, g->arena + g->off[k], g->off[k + 1] - g->off[k]);
            size_t j = (size_t)h & (ns - 1);
            while (sl[j])
                j = (j + 1) & (ns - 1);
            sl[j] = (uint32_t)(k + 1);
        }
        free(g->slot);
        g->slot = sl;
        g->nslot = ns;
    }
    uint64_t h = il_hash_seeded(g->seed, g->key, g->klen);
    size_t j = (size_t)h & (g->nslot - 1);
    while (g->slot[j]) {
        size_t k = g->slot[j] - 1;
        if (g->off[k + 1] - g->off[k] == g->klen && memcmp(g->arena + g->off[k], g->key, g->klen) == 0) {
            g->cnt[k]++;
            return 1;
        }
        j = (j + 1) & (g->nslot - 1);
    }
    if (g->n + 2 > g->capn) {
        size_t nc = g->capn ? g->capn * 2 : 256;
        size_t *no = realloc(g->off, nc * sizeof *no);
        if (!no)
            return 0;
        g->off = no;
        uint64_t *nn = realloc(g->cnt, nc * sizeof *nn);
        if (!nn)
            return 0;
        g->cnt = nn;
        g->capn = nc;
    }
    if (g->alen + g->klen > g->acap) {
        size_t nc = g->acap ? g->acap * 2 : 4096;
        while (nc < g->alen + g->klen)
            nc *= 2;
        unsigned char *na = realloc(g->arena, nc);
        if (!na)
            return 0;
        g->arena = na;
        g->acap = nc;
    }
    memcpy(g->arena + g->alen, g->key, g->klen);
    g->off[g->n] = g->alen;
    g->alen += g->klen;
    g->off[g->n + 1] = g->alen;
    g->cnt[g->n] = 1;
    g->slot[j] = (uint32_t)(g->n + 1);
    g->n++;
    return 1;
}

/* Encode the current row's tuple into g->key. */
static int grouped_key(cursor *c, grouped *g)
{
    g->klen = 0;
    for (int k = 0; k < g->ncols; k++) {
        val v;
        char tb[32];
        cur_value(c, g->cols[k], &v, tb, sizeof tb);
        unsigned char tag = (unsigned char)v.type;
        if (!key_put(g, &tag, 1))
            return 0;
        if (v.type == SQLITE_INTEGER && !key_put(g, &v.i, sizeof v.i))
            return 0;
        if (v.type == SQLITE_TEXT) {
            uint32_t l = (uint32_t)v.n;
            if (!key_put(g, &l, sizeof l) || !key_put(g, v.p, v.n))
                return 0;
        }
    }
    return 1;
}

/* Decode element k of a tuple; returns the position after it. */
static const unsigned char *tuple_elem(const unsigned char *p, val *v)
{
    int tag = *p++;
    v->type = tag;
    if (tag == SQLITE_INTEGER) {
        memcpy(&v->i, p, sizeof v->i);
        p += sizeof v->i;
    } else if (tag == SQLITE_TEXT) {
        uint32_t l;
        memcpy(&l, p, sizeof l);
        p += sizeof l;
        v->p = (const char *)p;
        v->n = l;
        p += l;
    }
    return p;
}

/* SQLite's order: NULL, then numbers, then text (BINARY collation). */
static int val_cmp(const val *a, const val *b)
{
    int ra = a->type == SQLITE_NULL ? 0 : a->type == SQLITE_INTEGER ? 1 : 2;
    int rb = b->type == SQLITE_NULL ? 0 : b->type == SQLITE_INTEGER ? 1 : 2;
    if (ra != rb)
        return ra < rb ? -1 : 1;
    if (ra == 1)
        return a->i < b->i ? -1 : a->i > b->i;
    if (ra == 2) {
        size_t m = a->n < b->n ? a->n : b->n;
        int c = m ? memcmp(a->p, b->p, m) : 0;
        if (c)
            return c < 0 ? -1 : 1;
        return a->n < b->n ? -1 : a->n > b->n;
    }
    return 0;
}

static int group_cmp(const grouped *g, size_t x, size_t y)
{
    const unsigned char *p = g->arena + g->off[x];
    const unsigned char *q = g->arena + g->off[y];
    for (int k = 0; k < g->ncols; k++) {
        val a = {SQLITE_NULL, 0, NULL, 0}, b = {SQLITE_NULL, 0, NULL, 0};
        p = tuple_elem(p, &a);
        q = tuple_elem(q, &b);
        int c = val_cmp(&a, &b);
        if (c)
            return g->desc[k] ? -c : c;
    }
    return 0;
}

/* Sort the groups (a merge sort: qsort has no context argument in C11). */
static int grouped_sort(grouped *g)
{
    size_t n = g->n;
    g->order = malloc((n ? n : 1) * sizeof *g->order);
    size_t *tmp = malloc((n ? n : 1) * sizeof *tmp);
    if (!g->order || !tmp) {
        free(tmp);
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        g->order[i] = i;
    size_t *a = g->order, *b = tmp;
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                b[k++] = group_cmp(g, a[j], a[i]) < 0 ? a[j++] : a[i++];
            while (i < mid)
                b[k++] = a[i++];
            while (j < hi)
                b[k++] = a[j++];
        }
        size_t *t = a;
        a = b;
        b = t;
    }
    if (a != g->order) {
        memcpy(g->order, a, n * sizeof *a);
        free(a);
    } else {
        free(b);
    }
    return 1;
}

static void grouped_value(const grouped *g, int i, val *v)
{
    v->type = SQLITE_NULL;
    int want = g->pos[i];
    if (want < 0 || g->at >= g->n)
        return;
    const unsigned char *p = g->arena + g->off[g->order[g->at]];
    for (int k = 0; k <= want; k++)
        p = tuple_elem(p, v);
}

static int vt_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int i)
{
    cursor *c = (cursor *)cur;
    val v;
    char tb[32];
    if (c->g)
        grouped_value(c->g, i, &v);
    else
        cur_value(c, i, &v, tb, sizeof tb);
    if (v.type == SQLITE_INTEGER)
        sqlite3_result_int64(ctx, v.i);
    else if (v.type == SQLITE_TEXT)
        sqlite3_result_text(ctx, v.p, (int)v.n, SQLITE_TRANSIENT);
    else
        sqlite3_result_null(ctx);
    return SQLITE_OK;
}

static const sqlite3_module logs_module = {
    .iVersion = 0,
    .xCreate = NULL, /* eponymous only: the table `logs` exists without CREATE */
    .xConnect = vt_connect,
    .xBestIndex = vt_best_index,
    .xDisconnect = vt_disconnect,
    .xDestroy = vt_disconnect,
    .xOpen = vt_open,
    .xClose = vt_close,
    .xFilter = vt_filter,
    .xNext = vt_next,
    .xEof = vt_eof,
    .xColumn = vt_column,
    .xRowid = vt_rowid,
};

/* ---- functions ------------------------------------------------------------------------------ */

typedef struct fctx {
    const il_sql_opts *o;
    size_t pct_bytes;   /* PERCENTILE values held, over every group */
    int limit_hit;      /* PERCENTILE stopped at its budget */
} fctx;

static int arg_null(sqlite3_value *v)
{
    return sqlite3_value_type(v) == SQLITE_NULL;
}

static const char *arg_text(sqlite3_value *v, size_t *n)
{
    const char *s = (const char *)sqlite3_value_text(v);
    *n = s ? (size_t)sqlite3_value_bytes(v) : 0;
    return s;
}

static void result_ts(sqlite3_context *ctx, int64_t t, int kind)
{
    char b[32];
    fmt_ts(t, kind, b, sizeof b);
    sqlite3_result_text(ctx, b, -1, SQLITE_TRANSIENT);
}

/* A timestamp argument: text as the table writes it (or ISO with T/Z),
 * or a number of seconds since 1970. */
static int arg_ts(sqlite3_value *v, int64_t *t, int *kind)
{
    int ty = sqlite3_value_type(v);
    if (ty == SQLITE_INTEGER || ty == SQLITE_FLOAT) {
        *t = sqlite3_value_int64(v);
        *kind = 0;
        return 1;
    }
    size_t n;
    const char *s = arg_text(v, &n);
    return s && parse_ts_text(s, n, t, kind, NULL);
}

static void fn_quantize(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (arg_null(argv[0]) || arg_null(argv[1]))
        { sqlite3_result_null(ctx); return; }
    int ty = sqlite3_value_numeric_type(argv[0]);
    if (ty == SQLITE_INTEGER) {
        sqlite3_int64 x = sqlite3_value_int64(argv[0]), q = sqlite3_value_int64(argv[1]);
        if (sqlite3_value_numeric_type(argv[1]) == SQLITE_INTEGER) {
            if (q <= 0)
                { sqlite3_result_error(ctx, "QUANTIZE: the second argument must be above 0", -1); return; }
            { sqlite3_result_int64(ctx, floor_div(x, q) * q); return; }
        }
    }
    if (ty == SQLITE_INTEGER || ty == SQLITE_FLOAT) {
        double x = sqlite3_value_double(argv[0]), q = sqlite3_value_double(argv[1]);
        if (!(q > 0))
            { sqlite3_result_error(ctx, "QUANTIZE: the second argument must be above 0", -1); return; }
        { sqlite3_result_double(ctx, floor(x / q) * q); return; }
    }
    int64_t t;
    int kind;
    if (!arg_ts(argv[0], &t, &kind))
        { sqlite3_result_error(ctx, "QUANTIZE: the first argument is neither a number nor a timestamp", -1); return; }
    sqlite3_int64 q = sqlite3_value_int64(argv[1]);
    if (q <= 0)
        { sqlite3_result_error(ctx, "QUANTIZE: the second argument must be above 0 (seconds)", -1); return; }
    t = floor_div(t, q) * q;
    result_ts(ctx, t, kind == 1 && q % 86400 == 0 ? 1 : kind);
}

static const char *const month_names[] = {"January", "February", "March", "April", "May", "June", "July",
                                          "August", "September", "October", "November", "December"};
static const char *const day_names[] = {"Thursday", "Friday", "Saturday", "Sunday", "Monday", "Tuesday", "Wednesday"};

static size_t run_of(const char *f, size_t i, char ch)
{
    size_t k = 0;
    while (f[i + k] == ch)
        k++;
    return k;
}

/* Parse s by a Log Parser timestamp format (yyyy yy MM M MMM dd d hh h mm
 * m ss s l ll lll tt; other characters literal). */
static int parse_by_format(const char *s, size_t n, const char *f, int64_t *out)
{
    unsigned y = 1970, mo = 1, d = 1, h = 0, mi = 0, se = 0;
    int pm = -1;
    size_t i = 0, j = 0;
    while (f[j]) {
        char ch = f[j];
        size_t k = strchr("yMdhHmsltT", ch) ? run_of(f, j, ch) : 1;
        if (!strchr("yMdhHmsltT", ch)) {
            if (i >= n || s[i] != ch)
                return 0;
            i++;
            j++;
            continue;
        }
        if ((ch == 'M' && k >= 3)) {
            int found = 0;
            for (unsigned m = 0; m < 12 && !found; m++) {
                size_t l = k == 3 ? 3 : strlen(month_names[m]);
                if (i + l <= n && il_casecmp(s + i, l, month_names[m], l) == 0) {
                    mo = m + 1;
                    i += l;
                    found = 1;
                }
            }
            if (!found)
                return 0;
           
        } else if (ch == 't' || ch == 'T') {
            if (i + 2 > n)
                return 0;
            pm = (s[i] == 'P' || s[i] == 'p');
            i += 2;
        } else {
            size_t maxd = ch == 'y' ? (k <= 2 ? 2 : 4) : ch == 'l' ? 3 : 2;
            size_t mind = k == 1 ? 1 : (ch == 'y' ? k : k > maxd ? maxd : k);
            unsigned v = 0;
            size_t got = 0;
            while (got < maxd && i < n && s[i] >= '0' && s[i] <= '9') {
                v = v * 10 + (unsigned)(s[i] - '0');
                i++;
                got++;
            }
            if (got < mind || got == 0)
                return 0;
            switch (ch) {
            case 'y': y = got <= 2 ? 2000 + v : v; break;
            case 'M': mo = v; break;
            case 'd': d = v; break;
            case 'h': case 'H': h = v; break;
            case 'm': mi = v; break;
            case 's': se = v; break;
            default: break;
            }
        }
        j += k;
    }
    if (i != n || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
        return 0;
    if (pm == 1 && h < 12)
        h += 12;
    if (pm == 0 && h == 12)
        h = 0;
    *out = il_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + (se > 59 ? 59 : se);
    return 1;
}

static void format_ts(il_buf *b, int64_t t, const char *f)
{
    int64_t days = floor_div(t, 86400), sec = t - days * 86400;
    int64_t y;
    unsigned mo, d;
    civil_from_days(days, &y, &mo, &d);
    unsigned h = (unsigned)(sec / 3600), mi = (unsigned)(sec / 60 % 60), se = (unsigned)(sec % 60);
    for (size_t j = 0; f[j];) {
        char ch = f[j];
        if (!strchr("yMdhHmsltT", ch)) {
            il_buf_putc(b, ch);
            j++;
            continue;
        }
        size_t k = run_of(f, j, ch);
        switch (ch) {
        case 'y':
            if (k <= 2)
                il_buf_printf(b, "%02lld", (long long)(y % 100));
            else
                il_buf_printf(b, "%04lld", (long long)y);
            break;
        case 'M':
            if (k >= 4)
                il_buf_puts(b, month_names[mo - 1]);
            else if (k == 3)
                il_buf_append(b, month_names[mo - 1], 3);
            else
                il_buf_printf(b, k == 2 ? "%02u" : "%u", mo);
            break;
        case 'd':
            if (k >= 3) {
                const char *dn = day_names[((days % 7) + 7) % 7];
                il_buf_append(b, dn, k == 3 ? 3 : strlen(dn));
            } else {
                il_buf_printf(b, k == 2 ? "%02u" : "%u", d);
            }
            break;
        case 'h': case 'H': il_buf_printf(b, k >= 2 ? "%02u" : "%u", h); break;
        case 'm': il_buf_printf(b, k >= 2 ? "%02u" : "%u", mi); break;
        case 's': il_buf_printf(b, k >= 2 ? "%02u" : "%u", se); break;
        case 'l': il_buf_puts(b, k >= 3 ? "000" : k == 2 ? "00" : "0"); break;
        default: il_buf_puts(b, h >= 12 ? "PM" : "AM"); break;
        }
        j += k;
    }
}

static void fn_to_timestamp(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    for (int i = 0; i < argc; i++)
        if (arg_null(argv[i]))
            { sqlite3_result_null(ctx); return; }
    int64_t t;
    int kind;
    if (argc == 1) {
        if (!arg_ts(argv[0], &t, &kind))
            { sqlite3_result_error(ctx, "TO_TIMESTAMP: not a timestamp (expected 2026-11-24 09:14:02)", -1); return; }
        { result_ts(ctx, t, kind); return; }
    }
    int64_t t1 = 0, t2 = 0;
    int k1 = -1, k2 = -1;
    /* TO_TIMESTAMP(date, time): a date and a time of day */
    if (arg_ts(argv[0], &t1, &k1) && arg_ts(argv[1], &t2, &k2) && k1 == 1 && k2 == 2) {
        result_ts(ctx, t1 + t2, 0);
        return;
    }
    /* TO_TIMESTAMP(text, format) */
    size_t n, fn;
    const char *s = arg_text(argv[0], &n), *f = arg_text(argv[1], &fn);
    if (s && f && parse_by_format(s, n, f, &t))
        { result_ts(ctx, t, 0); return; }
    sqlite3_result_null(ctx); /* Log Parser: a value that does not fit the format is NULL */
}

static int64_t local_offset(const fctx *fc, int64_t t)
{
    return fc->o->tz_fixed ? fc->o->tz_offset : il_plat_utc_offset(t);
}

/* The full timestamp (date and time) in v into *t; else the result is set
 * (NULL for NULL, else the error err) and 0 returned. */
static int full_ts_arg(sqlite3_context *ctx, sqlite3_value *v, const char *err, int64_t *t)
{
    int kind;
    if (arg_null(v)) {
        sqlite3_result_null(ctx);
        return 0;
    }
    if (!arg_ts(v, t, &kind) || kind != 0) {
        sqlite3_result_error(ctx, err, -1);
        return 0;
    }
    return 1;
}

static void fn_to_localtime(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const fctx *fc = sqlite3_user_data(ctx);
    int64_t t;
    if (!full_ts_arg(ctx, argv[0],
                     "TO_LOCALTIME: not a timestamp (use TO_TIMESTAMP(date, time))", &t))
        return;
    result_ts(ctx, t + local_offset(fc, t), 0);
}

static void fn_to_utctime(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const fctx *fc = sqlite3_user_data(ctx);
    int64_t t;
    if (!full_ts_arg(ctx, argv[0], "TO_UTCTIME: not a timestamp", &t))
        return;
    int64_t u = t - local_offset(fc, t);
    u = t - local_offset(fc, u); /* the offset in force at that UTC time */
    result_ts(ctx, u, 0);
}

static void fn_to_date_time(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    int which = (int)(intptr_t)sqlite3_user_data(ctx);
    int64_t t;
    int kind;
    if (arg_null(argv[0]))
        { sqlite3_result_null(ctx); return; }
    if (!arg_ts(argv[0], &t, &kind))
        { sqlite3_result_error(ctx, "not a timestamp", -1); return; }
    if (which == 2 && kind != 2)
        t = t - floor_div(t, 86400) * 86400;
    result_ts(ctx, t, which);
}

static void fn_to_string(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    if (arg_null(argv[0]))
        { sqlite3_result_null(ctx); return; }
    if (argc == 1) {
        size_t n;
        const char *s = arg_text(argv[0], &n);
        { sqlite3_result_text(ctx, s ? s : "", (int)n, SQLITE_TRANSIENT); return; }
    }
    int64_t t;
    int kind;
    size_t fn;
    const char *f = arg_text(argv[1], &fn);
    if (!f || !arg_ts(argv[0], &t, &kind))
        { sqlite3_result_null(ctx); return; }
    il_buf b;
    il_buf_init(&b, 4096);
    format_ts(&b, t, f);
    sqlite3_result_text(ctx, b.data ? b.data : "", (int)b.len, SQLITE_TRANSIENT);
    il_buf_free(&b);
}

static void fn_case(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    int upper = (int)(intptr_t)sqlite3_user_data(ctx);
    if (arg_null(argv[0]))
        { sqlite3_result_null(ctx); return; }
    size_t n;
    const char *s = arg_text(argv[0], &n);
    char *o = sqlite3_malloc((int)n + 1);
    if (!o)
        { sqlite3_result_error_nomem(ctx); return; }
    for (size_t i = 0; i < n; i++)
        o[i] = (char)(upper ? toupper((unsigned char)s[i]) : tolower((unsigned char)s[i]));
    o[n] = '\0';
    sqlite3_result_text(ctx, o, (int)n, sqlite3_free);
}

/* the last part of a path (after / or \) */
static size_t last_sep(const char *s, size_t n)
{
    size_t k = n;
    while (k > 0 && s[k - 1] != '/' && s[k - 1] != '\\')
        k--;
    return k; /* index of the file name's first character */
}

static void fn_extract(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    int which = (int)(intptr_t)sqlite3_user_data(ctx); /* 0 extension, 1 filename, 2 path */
    if (arg_null(argv[0]))
        { sqlite3_result_null(ctx); return; }
    size_t n;
    const char *s = arg_text(argv[0], &n);
    size_t f = last_sep(s, n);
    if (which == 1)
        { sqlite3_result_text(ctx, s + f, (int)(n - f), SQLITE_TRANSIENT); return; }
    if (which == 2) { /* the folder, without the last separator ("/" for the root) */
        if (f == 0)
            sqlite3_result_null(ctx);
        else
            sqlite3_result_text(ctx, s, (int)(f == 1 ? 1 : f - 1), SQLITE_TRANSIENT);
        return;
    }
    const char *dot = NULL;
    for (size_t i = f; i < n; i++)
        if (s[i] == '.')
            dot = s + i;
    if (!dot)
        { sqlite3_result_null(ctx); return; }
    sqlite3_result_text(ctx, dot + 1, (int)(s + n - dot - 1), SQLITE_TRANSIENT);
}

/* EXTRACT_TOKEN / EXTRACT_PREFIX / EXTRACT_SUFFIX(s, index, separator):
 * tokens counted from 0; the token, everything before the separator that
 * ends it, or everything after the separator that starts it. */
static void fn_token(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    int which = (int)(intptr_t)sqlite3_user_data(ctx); /* 0 token, 1 prefix, 2 suffix */
    if (arg_null(argv[0]) || arg_null(argv[1]))
        { sqlite3_result_null(ctx); return; }
    size_t n, sn = 1;
    const char *s = arg_text(argv[0], &n);
    const char *sep = ",";
    if (argc > 2) {
        if (arg_null(argv[2]))
            { sqlite3_result_null(ctx); return; }
        sep = arg_text(argv[2], &sn);
    }
    sqlite3_int64 idx = sqlite3_value_int64(argv[1]);
    if (idx < 0 || sn == 0)
        { sqlite3_result_null(ctx); return; }
    size_t start = 0;
    for (sqlite3_int64 k = 0; k < idx; k++) {
        const char *p = il_memmem(s + start, n - start, sep, sn);
        if (!p)
            { sqlite3_result_null(ctx); return; }
        start = (size_t)(p - s) + sn;
    }
    const char *p = il_memmem(s + start, n - start, sep, sn);
    size_t end = p ? (size_t)(p - s) : n;
    if (which == 0)
        { sqlite3_result_text(ctx, s + start, (int)(end - start), SQLITE_TRANSIENT); return; }
    if (which == 1)
        { sqlite3_result_text(ctx, s, (int)end, SQLITE_TRANSIENT); return; }
    if (!p)
        { sqlite3_result_null(ctx); return; }
    sqlite3_result_text(ctx, s + end + sn, (int)(n - end - sn), SQLITE_TRANSIENT);
}

static void fn_strcat(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    il_buf b;
    il_buf_init(&b, 0);
    for (int i = 0; i < argc; i++) {
        size_t n;
        const char *s = arg_null(argv[i]) ? NULL : arg_text(argv[i], &n);
        if (s)
            il_buf_append(&b, s, n);
    }
    if (b.overflow) {
        il_buf_free(&b);
        { sqlite3_result_error_toobig(ctx); return; }
    }
    sqlite3_result_text(ctx, b.data ? b.data : "", (int)b.len, SQLITE_TRANSIENT);
    il_buf_free(&b);
}

static void fn_strlen(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (arg_null(argv[0]))
        { sqlite3_result_null(ctx); return; }
    size_t n;
    const char *s = arg_text(argv[0], &n);
    sqlite3_int64 k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    sqlite3_result_int64(ctx, k);
}

static void fn_index_of(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (arg_null(argv[0]) || arg_null(argv[1]))
        { sqlite3_result_null(ctx); return; }
    size_t n, m;
    const char *s = arg_text(argv[0], &n), *f = arg_text(argv[1], &m);
    const char *p = m ? il_memmem(s, n, f, m) : s;
    sqlite3_result_int64(ctx, p ? (sqlite3_int64)(p - s) : -1);
}

static void fn_replace_str(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (arg_null(argv[0]))
        { sqlite3_result_null(ctx); return; }
    size_t n, m = 0, r = 0;
    const char *s = arg_text(argv[0], &n);
    const char *f = arg_null(argv[1]) ? NULL : arg_text(argv[1], &m);
    const char *to = arg_null(argv[2]) ? "" : arg_text(argv[2], &r);
    if (!f || !m)
        { sqlite3_result_text(ctx, s, (int)n, SQLITE_TRANSIENT); return; }
    il_buf b;
    il_buf_init(&b, 0);
    size_t i = 0;
    while (i < n) {
        const char *p = il_memmem(s + i, n - i, f, m);
        if (!p) {
            il_buf_append(&b, s + i, n - i);
            break;
        }
        il_buf_append(&b, s + i, (size_t)(p - s) - i);
        il_buf_append(&b, to ? to : "", r);
        i = (size_t)(p - s) + m;
    }
    sqlite3_result_text(ctx, b.data ? b.data : "", (int)b.len, SQLITE_TRANSIENT);
    il_buf_free(&b);
}

static void fn_arith(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    int op = (int)(intptr_t)sqlite3_user_data(ctx); /* + - * / */
    if (arg_null(argv[0]) || arg_null(argv[1]))
        { sqlite3_result_null(ctx); return; }
    int ta = sqlite3_value_numeric_type(argv[0]), tb = sqlite3_value_numeric_type(argv[1]);
    if (ta == SQLITE_INTEGER && tb == SQLITE_INTEGER && op != '/') {
        sqlite3_int64 a = sqlite3_value_int64(argv[0]), b = sqlite3_value_int64(argv[1]), r;
        int ovf = op == '+' ? __builtin_add_overflow(a, b, &r)
                : op == '-' ? __builtin_sub_overflow(a, b, &r)
                            : __builtin_mul_overflow(a, b, &r);
        if (!ovf)
            { sqlite3_result_int64(ctx, r); return; }
    }
    if (ta == SQLITE_INTEGER && tb == SQLITE_INTEGER && op == '/') {
        sqlite3_int64 a = sqlite3_value_int64(argv[0]), b = sqlite3_value_int64(argv[1]);
        if (b == 0)
            { sqlite3_result_null(ctx); return; }
        if (!(a == INT64_MIN && b == -1))
            { sqlite3_result_int64(ctx, a / b); return; }
    }
    double a = sqlite3_value_double(argv[0]), b = sqlite3_value_double(argv[1]);
    if (op == '/' && b == 0)
        { sqlite3_result_null(ctx); return; }
    sqlite3_result_double(ctx, op == '+' ? a + b : op == '-' ? a - b : op == '*' ? a * b : a / b);
}

static void fn_to_int(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    int ty = sqlite3_value_numeric_type(argv[0]);
    if (ty == SQLITE_INTEGER)
        { sqlite3_result_int64(ctx, sqlite3_value_int64(argv[0])); return; }
    if (ty == SQLITE_FLOAT) {
        double d = sqlite3_value_double(argv[0]);
        if (d >= -9.2e18 && d <= 9.2e18)
            { sqlite3_result_int64(ctx, (sqlite3_int64)d); return; }
    }
    sqlite3_result_null(ctx);
}

static void fn_to_real(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    int ty = sqlite3_value_numeric_type(argv[0]);
    if (ty == SQLITE_INTEGER || ty == SQLITE_FLOAT)
        { sqlite3_result_double(ctx, sqlite3_value_double(argv[0])); return; }
    sqlite3_result_null(ctx);
}

static void fn_reversedns(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    sqlite3_result_value(ctx, argv[0]); /* no network look-ups: the address itself */
}

static int arg_code(sqlite3_value *v, long long *out)
{
    if (arg_null(v)) {
        *out = -1;
        return 1;
    }
    int ty = sqlite3_value_numeric_type(v);
    if (ty != SQLITE_INTEGER)
        return 0;
    *out = sqlite3_value_int64(v);
    return 1;
}

static void fn_win32_desc(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (arg_null(argv[0]))
        { sqlite3_result_null(ctx); return; }
    il_win32 w;
    if (sqlite3_value_numeric_type(argv[0]) == SQLITE_INTEGER) {
        sqlite3_int64 v = sqlite3_value_int64(argv[0]);
        if (v < INT32_MIN || v > (sqlite3_int64)UINT32_MAX)
            { sqlite3_result_null(ctx); return; }
        il_win32_decode((uint32_t)v, &w);
    } else {
        size_t n;
        const char *s = arg_text(argv[0], &n);
        if (!s || il_win32_parse(s, n, &w) != IL_OK)
            { sqlite3_result_null(ctx); return; }
    }
    const il_kb_entry *e = il_kb_win32(w.code);
    if (!e)
        { sqlite3_result_null(ctx); return; }
    sqlite3_result_text(ctx, e->title, -1, SQLITE_STATIC);
}

/* What `iislens explain --short` says about a triple (or a reason). */
static void fn_iis_explain(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    if (arg_null(argv[0]))
        { sqlite3_result_null(ctx); return; }
    if (argc == 1 && sqlite3_value_numeric_type(argv[0]) != SQLITE_INTEGER) {
        size_t n;
        const char *s = arg_text(argv[0], &n);
        const il_kb_entry *e = s ? il_kb_httperr(s, n) : NULL;
        if (!e)
            { sqlite3_result_null(ctx); return; }
        { sqlite3_result_text(ctx, e->title, -1, SQLITE_STATIC); return; }
    }
    long long st, sub = -1, w32 = -1;
    int ftp = 0;
    if (!arg_code(argv[0], &st) || (argc > 1 && !arg_code(argv[1], &sub)) ||
        (argc > 2 && !arg_code(argv[2], &w32)))
        { sqlite3_result_error(ctx, "IIS_EXPLAIN: expected numbers (status, substatus, win32)", -1); return; }
    if (argc > 3 && !arg_null(argv[3])) {
        size_t n;
        const char *s = arg_text(argv[3], &n);
        ftp = s && il_casecmp(s, n, "ftp", 3) == 0;
    }
    if (st < 0 || st > 999 || sub > 4294967295LL || w32 > 4294967295LL)
        { sqlite3_result_null(ctx); return; }
    il_query q;
    memset(&q, 0, sizeof q);
    q.kind = ftp ? IL_Q_FTP : IL_Q_HTTP;
    q.status = (unsigned)st;
    q.sub = sub;
    q.win32 = w32;
    q.time_taken = -1;
    il_explanation e;
    il_explain_resolve(&q, &e);
    const char *t;
    if (e.combo)
        t = e.combo->title;
    else if (e.nhttp)
        t = e.ftp_sub && q.sub > 0 ? e.ftp_sub->title : e.http[0]->title;
    else if (e.unknown_sub && e.generic)
        t = "undocumented sub-status";
    else
        t = "not a documented code";
    sqlite3_result_text(ctx, t, -1, SQLITE_STATIC);
}

static void fn_iis_class(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    if (arg_null(argv[0]))
        { sqlite3_result_null(ctx); return; }
    long long st, sub = -1, w32 = -1;
    if (!arg_code(argv[0], &st) || (argc > 1 && !arg_code(argv[1], &sub)) ||
        (argc > 2 && !arg_code(argv[2], &w32)))
        { sqlite3_result_error(ctx, "IIS_CLASS: expected numbers (status, substatus, win32)", -1); return; }
    if (st < 0 || st > 999)
        { sqlite3_result_null(ctx); return; }
    sqlite3_result_text(ctx, il_class_name(il_classify((unsigned)st, sub, w32)), -1, SQLITE_STATIC);
}

/* PERCENTILE(x, p): exact, nearest rank, p in 0..100. */
typedef struct pct {
    double *v;
    size_t n, cap;
    double p;
    int allint, pset, bad;
} pct;

static void pct_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    pct *a = sqlite3_aggregate_context(ctx, sizeof *a);
    if (!a)
        { sqlite3_result_error_nomem(ctx); return; }
    if (!a->pset) {
        int ty = sqlite3_value_numeric_type(argv[1]);
        double p = sqlite3_value_double(argv[1]);
        if ((ty != SQLITE_INTEGER && ty != SQLITE_FLOAT) || !(p >= 0 && p <= 100)) {
            a->bad = 1;
            { sqlite3_result_error(ctx, "PERCENTILE: the second argument must be a number from 0 to 100", -1); return; }
        }
        a->p = p;
        a->pset = 1;
        a->allint = 1;
    }
    int ty = sqlite3_value_numeric_type(argv[0]);
    if (ty != SQLITE_INTEGER && ty != SQLITE_FLOAT)
        return; /* NULL and text are left out, like AVG */
    if (a->n == a->cap) {
        /* every value is kept (the answer is exact), so all groups together
         * share one budget: the grouped scan's limit */
        fctx *fc = sqlite3_user_data(ctx);
        size_t limit = fc->o->group_limit ? fc->o->group_limit : (size_t)1 << 30;
        size_t nc = a->cap ? a->cap * 2 : 64;
        size_t more = (nc - a->cap) * sizeof *a->v;
        if (fc->pct_bytes + more > limit) {
            a->bad = 1;
            fc->limit_hit = 1;
            char msg[200], lt[32];
            snprintf(msg, sizeof msg, "PERCENTILE: its values passed %s (it keeps every value "
                     "to be exact): narrow the query with WHERE, or use fewer groups",
                     limit_text(lt, sizeof lt, limit));
            sqlite3_result_error(ctx, msg, -1);
            return;
        }
        double *nv = realloc(a->v, nc * sizeof *nv);
        if (!nv) {
            a->bad = 1;
            { sqlite3_result_error_nomem(ctx); return; }
        }
        fc->pct_bytes += more;
        a->v = nv;
        a->cap = nc;
    }
    if (ty != SQLITE_INTEGER)
        a->allint = 0;
    a->v[a->n++] = sqlite3_value_double(argv[0]);
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

static void pct_final(sqlite3_context *ctx)
{
    pct *a = sqlite3_aggregate_context(ctx, 0);
    if (a) {
        fctx *fc = sqlite3_user_data(ctx);
        size_t held = a->cap * sizeof *a->v;
        fc->pct_bytes -= held < fc->pct_bytes ? held : fc->pct_bytes;
    }
    if (!a || a->bad || a->n == 0) {
        if (a)
            free(a->v);
        { sqlite3_result_null(ctx); return; }
    }
    qsort(a->v, a->n, sizeof *a->v, cmp_double);
    double r = ceil(a->p / 100.0 * (double)a->n);
    size_t k = r < 1 ? 0 : (size_t)r - 1;
    if (k >= a->n)
        k = a->n - 1;
    double v = a->v[k];
    if (a->allint)
        sqlite3_result_int64(ctx, (sqlite3_int64)v);
    else
        sqlite3_result_double(ctx, v);
    free(a->v);
}

typedef struct fn_def {
    const char *name;
    int nargs;
    void (*fn)(sqlite3_context *, int, sqlite3_value **);
    intptr_t data;
} fn_def;

static const fn_def fn_defs[] = {
    {"QUANTIZE", 2, fn_quantize, 0},
    {"TO_TIMESTAMP", 1, fn_to_timestamp, 0},
    {"TO_TIMESTAMP", 2, fn_to_timestamp, 0},
    {"TO_LOCALTIME", 1, fn_to_localtime, -1},
    {"TO_UTCTIME", 1, fn_to_utctime, -1},
    {"TO_DATE", 1, fn_to_date_time, 1},
    {"TO_TIME", 1, fn_to_date_time, 2},
    {"TO_STRING", 1, fn_to_string, 0},
    {"TO_STRING", 2, fn_to_string, 0},
    {"TO_LOWERCASE", 1, fn_case, 0},
    {"TO_UPPERCASE", 1, fn_case, 1},
    {"TO_INT", 1, fn_to_int, 0},
    {"TO_REAL", 1, fn_to_real, 0},
    {"EXTRACT_EXTENSION", 1, fn_extract, 0},
    {"EXTRACT_FILENAME", 1, fn_extract, 1},
    {"EXTRACT_PATH", 1, fn_extract, 2},
    {"EXTRACT_TOKEN", 2, fn_token, 0},
    {"EXTRACT_TOKEN", 3, fn_token, 0},
    {"EXTRACT_PREFIX", 3, fn_token, 1},
    {"EXTRACT_SUFFIX", 3, fn_token, 2},
    {"STRCAT", -1, fn_strcat, 0},
    {"STRLEN", 1, fn_strlen, 0},
    {"INDEX_OF", 2, fn_index_of, 0},
    {"REPLACE_STR", 3, fn_replace_str, 0},
    {"ADD", 2, fn_arith, '+'},
    {"SUB", 2, fn_arith, '-'},
    {"MUL", 2, fn_arith, '*'},
    {"DIV", 2, fn_arith, '/'},
    {"REVERSEDNS", 1, fn_reversedns, 0},
    {"WIN32_ERROR_DESCRIPTION", 1, fn_win32_desc, 0},
    {"IIS_EXPLAIN", 1, fn_iis_explain, 0},
    {"IIS_EXPLAIN", 2, fn_iis_explain, 0},
    {"IIS_EXPLAIN", 3, fn_iis_explain, 0},
    {"IIS_EXPLAIN", 4, fn_iis_explain, 0},
    {"IIS_CLASS", 1, fn_iis_class, 0},
    {"IIS_CLASS", 2, fn_iis_class, 0},
    {"IIS_CLASS", 3, fn_iis_class, 0},
};

static int register_functions(sqlite3 *db, fctx *fc)
{
    for (size_t i = 0; i < sizeof fn_defs / sizeof fn_defs[0]; i++) {
        const fn_def *d = &fn_defs[i];
        void *data = d->data == -1 ? (void *)fc : (void *)d->data;
        int flags = SQLITE_UTF8 | SQLITE_INNOCUOUS | (d->data == -1 ? 0 : SQLITE_DETERMINISTIC);
        int rc = sqlite3_create_function_v2(db, d->name, d->nargs, flags, data, d->fn, NULL, NULL, NULL);
        if (rc != SQLITE_OK)
            return rc;
    }
    return sqlite3_create_function_v2(db, "PERCENTILE", 2, SQLITE_UTF8 | SQLITE_INNOCUOUS, fc, NULL,
                                      pct_step, pct_final, NULL);
}

static int authorizer(void *ctx, int action, const char *a, const char *b, const char *c, const char *d)
{
    (void)ctx;
    (void)a;
    (void)b;
    (void)c;
    (void)d;
    switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_FUNCTION:
    case SQLITE_RECURSIVE:
        return SQLITE_OK;
    default:
        return SQLITE_DENY;
    }
}

/* ---- output ------------------------------------------------------------------------------------ */

typedef struct outw {
    il_sql_write_fn fn;
    void *ctx;
    il_buf b;
    int failed;
} outw;

static void out_flush(outw *w, int force)
{
    if (w->b.len && (force || w->b.len >= 65536)) {
        if (!w->failed && w->fn(w->b.data, w->b.len, w->ctx) != 0)
            w->failed = 1;
        il_buf_reset(&w->b);
    }
}

/* A header bare when it is plain printable ASCII (cs-uri-stem, COUNT(*)),
 * else as any text field: names can come from a log's #Fields line, so
 * control bytes and broken UTF-8 get the same treatment as values. */
static void csv_header(il_buf *b, const char *s)
{
    size_t n = strlen(s);
    int bare = !(n && strchr("=+-@", s[0]));
    for (size_t i = 0; bare && i < n; i++)
        bare = s[i] >= 0x20 && s[i] < 0x7F && s[i] != ',' && s[i] != '"';
    if (bare)
        il_buf_append(b, s, n);
    else
        il_buf_csv_str(b, s, n);
}

/* A value's text for output; *num set for numbers. NULL for SQL NULL. */
static const char *cell_text(sqlite3_stmt *st, int i, size_t *n, int *num, int *finite)
{
    int ty = sqlite3_column_type(st, i);
    *num = ty == SQLITE_INTEGER || ty == SQLITE_FLOAT;
    *finite = 1;
    if (ty == SQLITE_NULL) {
        *n = 0;
        return NULL;
    }
    if (ty == SQLITE_FLOAT) {
        double d = sqlite3_column_double(st, i);
        *finite = isfinite(d) != 0;
    }
    const char *s = (const char *)sqlite3_column_text(st, i);
    *n = (size_t)sqlite3_column_bytes(st, i);
    return s ? s : "";
}

/* Display width of escaped terminal text (code points). */
static size_t disp_width(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        w += ((unsigned char)s[i] & 0xC0) != 0x80;
    return w;
}

/* Byte length of the first `cols` code points of s. */
static size_t disp_prefix(const char *s, size_t n, size_t cols)
{
    size_t i = 0, w = 0;
    while (i < n) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (w == cols)
                break;
            w++;
        }
        i++;
    }
    return i;
}

/* Where rewritten text [a, b) came from in the user's text, when both ends
 * fall on the edges of what the rewriter replaced (a span starting or
 * ending inside a replacement, such as the COUNT(*) inside PROPCOUNT's
 * expansion, is not the user's): 1 and *ua, *ub, else 0. */
static int map_span(const il_sql_text *t, size_t a, size_t b, size_t *ua, size_t *ub)
{
    int have_a = 0, have_b = 0;
    for (size_t i = 0; i < t->nsegs; i++) {
        const il_sql_seg *g = &t->segs[i];
        int same = g->inlen == g->outlen;
        if (a >= g->out && a < g->out + g->outlen) {
            if (!same && a != g->out)
                return 0;
            *ua = g->in + (same ? a - g->out : 0);
            have_a = 1;
        }
        if (b > g->out && b <= g->out + g->outlen) {
            if (!same && b != g->out + g->outlen)
                return 0;
            *ub = same ? g->in + (b - g->out) : g->in + g->inlen;
            have_b = 1;
        }
    }
    return have_a && have_b && *ub > *ua;
}

/* The header of a result column SQLite names by its expression's text in
 * the rewritten query: that expression as the user typed it (found where
 * the text first appears with edges the offset map can follow), its runs
 * of white space made one space. So ADD(...), which the rewriter quotes
 * for SQLite, and PROPCOUNT(*), which it expands, read as written. 0 when
 * the text is not found. */
static int header_as_typed(const il_sql_text *t, const char *query, const char *name, il_buf *out)
{
    size_t n = strlen(name), qn = strlen(query);
    const char *hay = t->sql.data;
    size_t hn = t->sql.len, from = 0;
    while (n && hay && from < hn) {
        const char *p = il_memmem(hay + from, hn - from, name, n);
        if (!p)
            return 0;
        size_t a = (size_t)(p - hay), ua = 0, ub = 0;
        if (map_span(t, a, a + n, &ua, &ub) && ub <= qn) {
            int space = 0;
            for (size_t i = ua; i < ub; i++) {
                char c = query[i];
                if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                    space = 1;
                    continue;
                }
                if (space && out->len)
                    il_buf_putc(out, ' ');
                space = 0;
                il_buf_putc(out, c);
            }
            return 1;
        }
        from = a + 1;
    }
    return 0;
}

/* The header name of a result column: declared names back to IIS's. */
static void header_name(const schema *sc, const il_sql_text *t, const char *query,
                        const char *name, il_buf *out)
{
    int k = schema_find_ident_exact(sc, name);
    if (k >= 0) {
        il_buf_puts(out, sc->c[k].iis);
        return;
    }
    if (!strpbrk(name, "()+-*/|<>=!, '\"")) { /* an alias: as written */
        il_buf_puts(out, name);
        return;
    }
    if (header_as_typed(t, query, name, out))
        return;
    /* an expression: map the declared names inside it */
    size_t n = strlen(name);
    for (size_t i = 0; i < n;) {
        if (name[i] == '\'') {
            size_t e = quoted_end(name, n, i, '\'');
            il_buf_append(out, name + i, e - i);
            i = e;
        } else if (is_ident_start(name[i]) && (i == 0 || !is_ident_char(name[i - 1]))) {
            size_t e = i;
            while (e < n && is_ident_char(name[e]))
                e++;
            char id[256];
            size_t l = e - i < sizeof id - 1 ? e - i : sizeof id - 1;
            memcpy(id, name + i, l);
            id[l] = '\0';
            int kk = schema_find_ident_exact(sc, id);
            if (kk >= 0 && !(e < n && name[e] == '('))
                il_buf_puts(out, sc->c[kk].iis);
            else
                il_buf_append(out, name + i, e - i);
            i = e;
        } else {
            il_buf_putc(out, name[i++]);
        }
    }
}

typedef struct table {
    il_buf text;        /* every cell, escaped, back to back */
    size_t *off;        /* per cell: start in text (cells = rows * ncol + 1) */
    uint8_t *isnull;
    size_t ncell, cap;
    int ncol;
    int *numeric;       /* per column: every non-NULL value is a number */
    int *seen;          /* per column: some non-NULL value */
} table;

/* Terminal-safe text (il_buf_term_str) with backslashes shown as they are:
 * DOMAIN\user and C:\paths stay readable; only the escapes themselves
 * start with a backslash then. */
static void term_text(il_buf *b, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        const char *bs = memchr(s + i, '\\', n - i);
        size_t e = bs ? (size_t)(bs - s) : n;
        if (e > i)
            il_buf_term_str(b, s + i, e - i);
        if (bs)
            il_buf_putc(b, '\\');
        i = e + 1;
    }
}

static int table_add(table *t, const char *s, size_t n, int null)
{
    if (t->ncell + 2 > t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 1024;
        size_t *no = realloc(t->off, nc * sizeof *no);
        if (!no)
            return 0;
        t->off = no;
        uint8_t *nn = realloc(t->isnull, nc);
        if (!nn)
            return 0;
        t->isnull = nn;
        t->cap = nc;
    }
    t->off[t->ncell] = t->text.len;
    t->isnull[t->ncell] = (uint8_t)null;
    if (!null)
        term_text(&t->text, s, n);
    t->ncell++;
    t->off[t->ncell] = t->text.len;
    return !t->text.overflow;
}

static void table_free(table *t)
{
    il_buf_free(&t->text);
    free(t->off);
    free(t->isnull);
    free(t->numeric);
    free(t->seen);
}

static void table_write(table *t, unsigned width, outw *w)
{
    int nc = t->ncol;
    size_t *wid = calloc((size_t)nc, sizeof *wid);
    if (!wid) {
        w->failed = 2;
        return;
    }
    size_t rows = t->ncell / (size_t)nc;
    for (size_t c = 0; c < t->ncell; c++) {
        size_t n = t->off[c + 1] - t->off[c];
        size_t dw = t->isnull[c] ? 1 : disp_width(t->text.data + t->off[c], n);
        if (dw > wid[c % (size_t)nc])
            wid[c % (size_t)nc] = dw;
    }
    if (width) { /* narrow the widest columns until the table fits */
        size_t total = 0;
        for (int i = 0; i < nc; i++)
            total += wid[i] + (i ? 2 : 0);
        while (total > width) {
            int big = 0;
            for (int i = 1; i < nc; i++)
                if (wid[i] > wid[big])
                    big = i;
            if (wid[big] <= 12)
                break;
            wid[big]--;
            total--;
        }
    }
    for (size_t r = 0; r < rows; r++) {
        if (r == 1) { /* a rule under the header */
            for (int i = 0; i < nc; i++) {
                if (i)
                    il_buf_puts(&w->b, "  ");
                for (size_t k = 0; k < wid[i]; k++)
                    il_buf_putc(&w->b, '-');
            }
            il_buf_putc(&w->b, '\n');
        }
        size_t line_start = w->b.len;
        for (int i = 0; i < nc; i++) {
            size_t c = r * (size_t)nc + (size_t)i;
            const char *s = t->isnull[c] ? "-" : t->text.data + t->off[c];
            size_t n = t->isnull[c] ? 1 : t->off[c + 1] - t->off[c];
            size_t dw = disp_width(s, n);
            int trunc = dw > wid[i];
            if (trunc) {
                n = disp_prefix(s, n, wid[i] > 3 ? wid[i] - 3 : 0);
                dw = disp_width(s, n) + 3;
            }
            if (i)
                il_buf_puts(&w->b, "  ");
            int right = t->numeric[i] && t->seen[i];
            if (right)
                for (size_t k = dw; k < wid[i]; k++)
                    il_buf_putc(&w->b, ' ');
            il_buf_append(&w->b, s, n);
            if (trunc)
                il_buf_puts(&w->b, "...");
            if (!right)
                for (size_t k = dw; k < wid[i]; k++)
                    il_buf_putc(&w->b, ' ');
        }
        while (w->b.len > line_start && w->b.data[w->b.len - 1] == ' ')
            w->b.len--;
        il_buf_putc(&w->b, '\n');
        out_flush(w, 0);
    }
    free(wid);
}

/* ---- running a query ------------------------------------------------------------------------------ */

static void res_msg(il_sql_result *res, const char *fmt, ...) IL_PRINTF(2, 3);
static void res_msg(il_sql_result *res, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(res->msg, sizeof res->msg, fmt, ap);
    va_end(ap);
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 99;
    size_t d[64][64];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
            size_t m = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < m)
                m = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < m)
                m = d[i - 1][j - 1] + cost;
            d[i][j] = m;
        }
    return d[la][lb];
}

/* The field-like word (letters, digits, _ - ( )) at q[pos] (or the one pos is inside). */
static void word_at(const char *q, long pos, char *out, size_t cap)
{
    size_t n = strlen(q), i = pos < 0 ? n : (size_t)pos, e;
    out[0] = '\0';
    if (i >= n)
        return;
    while (i > 0 && (is_ident_char(q[i - 1]) || q[i - 1] == '-'))
        i--;
    e = i;
    int depth = 0;
    while (e < n && (is_ident_char(q[e]) || q[e] == '-' || q[e] == '(' || (q[e] == ')' && depth > 0))) {
        if (q[e] == '(') {
            depth++;
            if (e + 1 < n && !is_ident_start(q[e + 1]))
                break;
        }
        if (q[e] == ')' && --depth == 0) {
            e++;
            break;
        }
        e++;
    }
    while (e > i && (q[e - 1] == '-' || q[e - 1] == '('))
        e--;
    size_t l = e - i < cap - 1 ? e - i : cap - 1;
    memcpy(out, q + i, l);
    out[l] = '\0';
}

static void hint_columns(il_sql_result *res, const schema *sc)
{
    il_buf b;
    il_buf_init(&b, 0);
    il_buf_puts(&b, "columns are: ");
    for (size_t i = 0; i < sc->n; i++)
        il_buf_printf(&b, "%s%s", i ? ", " : "", sc->c[i].iis);
    free(res->hint);
    res->hint = b.data ? dup_n(b.data, b.len) : NULL;
    il_buf_free(&b);
}

static void unknown_column(il_sql_result *res, const schema *sc, const char *w, const char *where)
{
    const char *best = NULL;
    size_t bd = 99;
    for (size_t i = 0; i < sc->n; i++) {
        size_t d = edit_distance(w, sc->c[i].iis);
        size_t d2 = edit_distance(w, sc->c[i].ident);
        if (d2 < d)
            d = d2;
        if (d < bd) {
            bd = d;
            best = sc->c[i].iis;
        }
    }
    if (best && bd <= 2 + strlen(w) / 6)
        res_msg(res, "no column named %s%s (did you mean %s?)", w, where, best);
    else
        res_msg(res, "no column named %s%s", w, where);
    hint_columns(res, sc);
}

/* 1 when byte off of the rewritten text is one the rewriter added (LIMIT). */
static int added_text(const il_sql_text *t, long off)
{
    for (size_t i = 0; off >= 0 && i < t->nsegs; i++)
        if ((size_t)off >= t->segs[i].out && (size_t)off < t->segs[i].out + t->segs[i].outlen)
            return t->segs[i].inlen == 0;
    return 0;
}

/* Turn a prepare error into words for an admin. */
static void explain_error(sqlite3 *db, const il_sql_text *t, const char *query, const schema *sc,
                          int have_logs, il_sql_result *res)
{
    const char *m = sqlite3_errmsg(db);
    int off = sqlite3_error_offset(db);
    res->pos = off >= 0 ? il_sql_map_offset(t, off) : -1;
    char w[256];
    if (strncmp(m, "no such column: ", 16) == 0) {
        const char *name = m + 16;
        /* SQLite names the part before a '-' (cs of cs-uri-stm): show what was typed */
        word_at(query, res->pos, w, sizeof w);
        size_t nl = strlen(name);
        if (strlen(w) < nl || il_casecmp(w, nl, name, nl) != 0)
            snprintf(w, sizeof w, "%s", name);
        unknown_column(res, sc, w, "");
    } else if (strncmp(m, "no such table: ", 15) == 0) {
        const char *name = m + 15;
        if (il_casecmp(name, strlen(name), "logs", 4) == 0 && !have_logs)
            res_msg(res, "the query reads FROM logs, but no log files were given: name them after "
                         "the query (iislens sql \"...\" LogFiles/W3SVC1) or in FROM (FROM u_ex*.log)");
        else
            res_msg(res, "unknown table %s: the logs are the table `logs`, or name files in FROM "
                         "(FROM u_ex*.log, FROM LogFiles/W3SVC1)", name);
    } else if (strncmp(m, "no such function: ", 18) == 0) {
        const char *name = m + 18;
        word_at(query, res->pos, w, sizeof w);
        static const char *const field_prefix[] = {"cs", "sc", "s", "c"}; /* cs(Header) fields */
        int field = 0;
        for (size_t i = 0; i < 4; i++)
            field |= il_casecmp(name, strlen(name), field_prefix[i], strlen(field_prefix[i])) == 0;
        if (field && w[0] && strchr(w, '(')) {
            unknown_column(res, sc, w, " in these logs");
        } else {
            static const char *const sqlite_fns[] = {
                "COUNT", "SUM", "AVG", "MIN", "MAX", "TOTAL", "GROUP_CONCAT", "LOWER", "UPPER",
                "SUBSTR", "LENGTH", "ROUND", "ABS", "COALESCE", "IFNULL", "NULLIF", "REPLACE",
                "TRIM", "LTRIM", "RTRIM", "INSTR", "PRINTF", "FORMAT", "DATE", "TIME", "DATETIME",
                "STRFTIME", "JULIANDAY", "UNIXEPOCH", "CAST", "HEX", "TYPEOF", "IIF", "LIKE", "GLOB"};
            const char *best = NULL;
            size_t bd = 99;
            for (size_t i = 0; i < sizeof fn_defs / sizeof fn_defs[0] + sizeof sqlite_fns / sizeof sqlite_fns[0] + 1; i++) {
                size_t nf = sizeof fn_defs / sizeof fn_defs[0];
                const char *f = i < nf ? fn_defs[i].name : i == nf ? "PERCENTILE" : sqlite_fns[i - nf - 1];
                size_t d = edit_distance(name, f);
                if (d < bd) {
                    bd = d;
                    best = f;
                }
            }
            if (best && bd <= 1 + strlen(name) / 5)
                res_msg(res, "unknown function %s (did you mean %s? docs/SQL.md lists the functions)", name, best);
            else
                res_msg(res, "unknown function %s (docs/SQL.md lists the functions)", name);
        }
    } else if (strstr(m, "syntax error") && (added_text(t, off) || (size_t)res->pos >= strlen(query))) {
        res_msg(res, "the query ends too early (a parenthesis or a quote not closed?)");
        res->pos = (long)strlen(query);
    } else if (strstr(m, "syntax error")) {
        const char *q1 = strchr(m, '"'), *q2 = q1 ? strchr(q1 + 1, '"') : NULL;
        if (q1 && q2)
            res_msg(res, "syntax error near %.*s", (int)(q2 - q1 - 1), q1 + 1);
        else
            res_msg(res, "syntax error");
    } else if (strstr(m, "incomplete input")) {
        res_msg(res, "the query ends too early (a parenthesis or a quote not closed?)");
        res->pos = (long)strlen(query);
    } else if (strstr(m, "not authorized") || strstr(m, "may not be modified")) {
        res_msg(res, "iislens sql runs SELECT queries only");
    } else if (strncmp(m, "unrecognized token: ", 20) == 0) {
        res_msg(res, "cannot read %s (a quote not closed?)", m + 20);
    } else {
        res_msg(res, "%s", m);
    }
}

static il_status expand_sources(const il_sql_text *t, char ***out, size_t *nout, il_sql_result *res)
{
    char **list = NULL;
    size_t n = 0;
    for (size_t i = 0; i < t->nsources; i++) {
        const char *p = t->sources[i];
#ifndef _WIN32
        if (strpbrk(p, "*?[")) {
            glob_t g;
            int rc = glob(p, 0, NULL, &g);
            if (rc == GLOB_NOMATCH) {
                res_msg(res, "FROM %s: no file matches", p);
                goto fail_usage;
            }
            if (rc != 0) {
                res_msg(res, "FROM %s: cannot list the files", p);
                goto fail_usage;
            }
            char **nl = realloc(list, (n + g.gl_pathc) * sizeof *nl);
            if (!nl) {
                globfree(&g);
                goto fail_nomem;
            }
            list = nl;
            for (size_t k = 0; k < g.gl_pathc; k++) {
                list[n] = dup_n(g.gl_pathv[k], strlen(g.gl_pathv[k]));
                if (!list[n]) {
                    globfree(&g);
                    goto fail_nomem;
                }
                n++;
            }
            globfree(&g);
            continue;
        }
#endif
        char **nl = realloc(list, (n + 1) * sizeof *nl);
        if (!nl)
            goto fail_nomem;
        list = nl;
        list[n] = dup_n(p, strlen(p));
        if (!list[n])
            goto fail_nomem;
        n++;
    }
    *out = list;
    *nout = n;
    return IL_OK;
fail_nomem:
    res_msg(res, "out of memory");
    for (size_t i = 0; i < n; i++)
        free(list[i]);
    free(list);
    return IL_E_NOMEM;
fail_usage:
    for (size_t i = 0; i < n; i++)
        free(list[i]);
    free(list);
    return IL_E_USAGE;
}

void il_sql_default_opts(il_sql_opts *o)
{
    memset(o, 0, sizeof *o);
    il_engine_default_opts(&o->eo);
    o->format = IL_SQL_TABLE;
}

static il_status from_sqlite(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_NOMEM: return IL_E_NOMEM;
    case SQLITE_TOOBIG:
    case SQLITE_FULL: return IL_E_LIMIT;
    case SQLITE_IOERR: return IL_E_IO;
    default: return IL_E_PARSE;
    }
}

/* Step through the statement writing rows. */
static il_status write_rows(sqlite3 *db, sqlite3_stmt *st, const schema *sc, const il_sql_text *t,
                            const char *query, const il_sql_opts *o, outw *w, il_sql_result *res)
{
    int nc = sqlite3_column_count(st);
    char **names = calloc((size_t)(nc ? nc : 1), sizeof *names);
    if (!names)
        return IL_E_NOMEM;
    il_status ret = IL_OK;
    for (int i = 0; i < nc; i++) {
        il_buf h;
        il_buf_init(&h, 0);
        const char *nm = sqlite3_column_name(st, i);
        header_name(sc, t, query, nm ? nm : "", &h);
        names[i] = dup_n(h.data ? h.data : "", h.len);
        il_buf_free(&h);
        if (!names[i]) {
            ret = IL_E_NOMEM;
            goto done;
        }
    }
    table tb;
    memset(&tb, 0, sizeof tb);
    if (o->format == IL_SQL_TABLE) {
        il_buf_init(&tb.text, o->table_limit ? o->table_limit : ((size_t)64 << 20));
        tb.ncol = nc;
        tb.numeric = calloc((size_t)(nc ? nc : 1), sizeof *tb.numeric);
        tb.seen = calloc((size_t)(nc ? nc : 1), sizeof *tb.seen);
        if (!tb.numeric || !tb.seen) {
            table_free(&tb);
            ret = IL_E_NOMEM;
            goto done;
        }
        for (int i = 0; i < nc; i++) {
            tb.numeric[i] = 1;
            if (!table_add(&tb, names[i], strlen(names[i]), 0)) {
                table_free(&tb);
                ret = IL_E_NOMEM;
                goto done;
            }
        }
    } else if (o->format == IL_SQL_CSV) {
        for (int i = 0; i < nc; i++) {
            if (i)
                il_buf_putc(&w->b, ',');
            csv_header(&w->b, names[i]);
        }
        il_buf_puts(&w->b, "\r\n");
    } else if (o->format == IL_SQL_JSON) {
        il_buf_putc(&w->b, '[');
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && !w->failed) {
        if (o->format == IL_SQL_TABLE) {
            for (int i = 0; i < nc; i++) {
                size_t n;
                int num, fin;
                const char *s = cell_text(st, i, &n, &num, &fin);
                if (s) {
                    tb.seen[i] = 1;
                    if (!num)
                        tb.numeric[i] = 0;
                }
                if (!table_add(&tb, s, n, s == NULL)) {
                    res_msg(res, "the result is too large for a table (over %zu MB): use --format csv "
                                 "or ndjson, or add a LIMIT",
                            (o->table_limit ? o->table_limit : ((size_t)64 << 20)) >> 20);
                    table_free(&tb);
                    ret = IL_E_LIMIT;
                    goto done;
                }
            }
        } else if (o->format == IL_SQL_CSV) {
            for (int i = 0; i < nc; i++) {
                size_t n;
                int num, fin;
                const char *s = cell_text(st, i, &n, &num, &fin);
                if (i)
                    il_buf_putc(&w->b, ',');
                if (!s)
                    continue;
                if (num)
                    il_buf_append(&w->b, s, n);
                else
                    il_buf_csv_str(&w->b, s, n);
            }
            il_buf_puts(&w->b, "\r\n");
        } else {
            if (o->format == IL_SQL_JSON)
                il_buf_puts(&w->b, res->rows ? ",\n" : "\n");
            il_buf_putc(&w->b, '{');
            for (int i = 0; i < nc; i++) {
                size_t n;
                int num, fin;
                const char *s = cell_text(st, i, &n, &num, &fin);
                il_buf_puts(&w->b, i ? ",\"" : "\"");
                il_buf_json_str(&w->b, names[i], strlen(names[i]));
                il_buf_puts(&w->b, "\":");
                if (!s || (num && !fin)) {
                    il_buf_puts(&w->b, "null");
                } else if (num) {
                    il_buf_append(&w->b, s, n);
                } else {
                    il_buf_putc(&w->b, '"');
                    il_buf_json_str(&w->b, s, n);
                    il_buf_putc(&w->b, '"');
                }
            }
            il_buf_putc(&w->b, '}');
            if (o->format == IL_SQL_NDJSON)
                il_buf_putc(&w->b, '\n');
        }
        res->rows++;
        if (w->b.overflow) {
            ret = IL_E_NOMEM;
            break;
        }
        out_flush(w, 0);
    }
    if (ret == IL_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        const char *m = sqlite3_errmsg(db);
        res_msg(res, "%s", m);
        ret = from_sqlite(rc);
    }
    if (o->format == IL_SQL_TABLE) {
        if (ret == IL_OK)
            table_write(&tb, o->width, w);
        table_free(&tb);
    } else if (o->format == IL_SQL_JSON && ret == IL_OK) {
        il_buf_puts(&w->b, res->rows ? "\n]\n" : "]\n");
    }
done:
    for (int i = 0; i < nc; i++)
        free(names[i]);
    free(names);
    return ret;
}

/* Only whitespace, comments and semicolons after the statement. */
static int tail_empty(const char *s)
{
    size_t n = strlen(s), i = 0;
    for (;;) {
        i = skip_space(s, n, i);
        if (i < n && s[i] == ';') {
            i++;
            continue;
        }
        return i == n;
    }
}

/* The table's columns: the standard set, the names of the files' first
 * directive blocks, and `later` (from a full scan). */
static il_status build_columns(sess *s, char **later, size_t nlater)
{
    schema_free(&s->sc);
    const char *const *first = s->spare ? il_reader_field_names(s->spare) : NULL;
    size_t nf = 0;
    while (first && first[nf])
        nf++;
    const char **all = malloc((nf + nlater + 1) * sizeof *all);
    if (!all)
        return IL_E_NOMEM;
    for (size_t i = 0; i < nf; i++)
        all[i] = first[i];
    for (size_t i = 0; i < nlater; i++)
        all[nf + i] = later[i];
    all[nf + nlater] = NULL;
    il_status st = schema_build(&s->sc, all);
    free(all);
    s->ts_col = schema_find_iis(&s->sc, "timestamp", 9);
    s->status_col = schema_find_iis(&s->sc, "sc-status", 9);
    s->siteid_col = schema_find_iis(&s->sc, "s-siteid", 8);
    return st;
}

static int add_unique(char ***list, size_t *n, const char *s, size_t len)
{
    for (size_t i = 0; i < *n; i++)
        if (il_casecmp((*list)[i], strlen((*list)[i]), s, len) == 0)
            return 1;
    if (*n >= 1024)
        return 1;
    char **nl = realloc(*list, (*n + 1) * sizeof *nl);
    if (!nl)
        return 0;
    *list = nl;
    nl[*n] = dup_n(s, len);
    if (!nl[*n])
        return 0;
    (*n)++;
    return 1;
}

static int fields_line(const char *p, size_t n, char ***list, size_t *nl)
{
    if (n && p[n - 1] == '\r')
        n--;
    if (n < 8 || il_casecmp(p, 8, "#Fields:", 8) != 0)
        return 1;
    p += 8;
    n -= 8;
    while (n && *p == ' ') {
        p++;
        n--;
    }
    il_str cols[IL_MAX_FIELDS];
    int nc = il_split_w3c(p, n, cols, IL_MAX_FIELDS);
    for (int i = 0; i < nc; i++)
        if (cols[i].n && !add_unique(list, nl, cols[i].p, cols[i].n))
            return 0;
    return 1;
}

/* Every #Fields name of every file (standard input excepted), read whole. */
static il_status scan_all_fields(il_reader *r, char ***list, size_t *nl)
{
    if (!r)
        return IL_OK;
    size_t cap = (size_t)1 << 20;
    char *buf = malloc(cap);
    if (!buf)
        return IL_E_NOMEM;
    for (size_t f = 0; f < il_reader_nfiles(r); f++) {
        const char *path = il_reader_file(r, f)->path;
        if (strcmp(path, "-") == 0)
            continue;
        il_source *src = il_source_open(path, NULL, 0);
        if (!src)
            continue;
        size_t have = 1;
        buf[0] = '\n'; /* the file's start is a line start */
        int64_t got;
        while ((got = il_source_read(src, buf + have, cap - have, NULL, 0)) > 0) {
            have += (size_t)got;
            size_t i = 0, keep = have - 1; /* keep the last byte: it may be the \n before a # */
            for (;;) {
                const char *h = il_memmem(buf + i, have - i, "\n#", 2);
                if (!h)
                    break;
                size_t ls = (size_t)(h - buf) + 1;
                const char *nlp = memchr(buf + ls, '\n', have - ls);
                if (!nlp) {
                    keep = ls - 1;
                    break;
                }
                if (!fields_line(buf + ls, (size_t)(nlp - buf) - ls, list, nl)) {
                    il_source_close(src);
                    free(buf);
                    return IL_E_NOMEM;
                }
                i = (size_t)(nlp - buf);
            }
            if (have - keep > cap / 2) /* a directive line longer than half the buffer */
                keep = have - 1;
            memmove(buf, buf + keep, have - keep);
            have -= keep;
        }
        if (have > 1 && buf[0] == '\n' && buf[1] == '#' && !fields_line(buf + 1, have - 1, list, nl)) {
            il_source_close(src);
            free(buf);
            return IL_E_NOMEM;
        }
        il_source_close(src);
    }
    free(buf);
    return IL_OK;
}

/* The error was a name the table does not have. */
static int unknown_name_error(const il_sql_result *res)
{
    return strncmp(res->msg, "no column named ", 16) == 0;
}

/* Rewrite the query for the table's columns, open SQLite and prepare it. */
static il_status prepare(sess *s, const char *query, il_sql_text *t2, fctx *fc, sqlite3 **dbp,
                         sqlite3_stmt **stp, il_sql_result *res)
{
    il_status ret;
    {
        const char **nm = malloc((s->sc.n ? s->sc.n : 1) * sizeof *nm);
        if (!nm) {
            res_msg(res, "out of memory");
            return IL_E_NOMEM;
        }
        for (size_t i = 0; i < s->sc.n; i++)
            nm[i] = s->sc.c[i].iis;
        ret = il_sql_rewrite(query, nm, s->sc.n, t2);
        free(nm);
        if (ret != IL_OK) {
            res_msg(res, "%s", t2->msg[0] ? t2->msg : "out of memory");
            res->pos = t2->pos;
            return ret;
        }
    }
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_MEMORY, NULL);
    *dbp = db;
    if (rc != SQLITE_OK) {
        res_msg(res, "cannot start SQLite: %s", db ? sqlite3_errmsg(db) : "out of memory");
        return IL_E_NOMEM;
    }
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL);
    /* "text" is a name, never a string: a misspelt "cs-uri-stm" is an error */
    sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DML, 0, (int *)NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DDL, 0, (int *)NULL);
    sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
    sqlite3_limit(db, SQLITE_LIMIT_WORKER_THREADS, (int)il_plat_ncpu());
    sqlite3_exec(db, "PRAGMA threads = 8; PRAGMA cache_size = -65536; PRAGMA temp_store = FILE", NULL, NULL, NULL);
    rc = register_functions(db, fc);
    if (rc == SQLITE_OK && s->npaths)
        rc = sqlite3_create_module_v2(db, "logs", &logs_module, s, NULL);
    if (rc == SQLITE_OK && s->npaths) { /* connect the table now: its declaration is not a SELECT */
        sqlite3_stmt *pre = NULL;
        rc = sqlite3_prepare_v2(db, "SELECT 1 FROM logs LIMIT 0", -1, &pre, NULL);
        sqlite3_finalize(pre);
    }
    if (rc != SQLITE_OK) {
        res_msg(res, "cannot set up SQLite: %s", sqlite3_errmsg(db));
        return from_sqlite(rc);
    }
    sqlite3_set_authorizer(db, authorizer, NULL);

    const char *tail = NULL;
    rc = sqlite3_prepare_v2(db, t2->sql.data, (int)t2->sql.len, stp, &tail);
    if (rc != SQLITE_OK) {
        if (s->fatal != IL_OK) {
            res_msg(res, "%s", s->fatal_msg);
            return s->fatal == IL_E_NOMEM ? IL_E_NOMEM : IL_E_USAGE;
        }
        explain_error(db, t2, query, &s->sc, s->npaths > 0, res);
        return from_sqlite(rc);
    }
    if (!*stp) {
        res_msg(res, "the query is empty");
        return IL_E_PARSE;
    }
    if (tail && !tail_empty(tail)) {
        res_msg(res, "one query at a time: remove what follows the first ';'");
        res->pos = il_sql_map_offset(t2, (long)(tail - t2->sql.data));
        return IL_E_PARSE;
    }
    return IL_OK;
}

il_status il_sql_run(const char *query, const char *const *paths, size_t npaths,
                     const il_sql_opts *o, il_sql_write_fn out, void *ctx, il_sql_result *res)
{
    memset(res, 0, sizeof *res);
    res->pos = -1;
    il_status ret = IL_OK;
    il_sql_text t1, t2;
    memset(&t2, 0, sizeof t2);
    sess s;
    memset(&s, 0, sizeof s);
    s.o = o;
    s.ts_col = s.status_col = -1;
    char **expanded = NULL;
    size_t nexp = 0;
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    outw w;
    memset(&w, 0, sizeof w);
    w.fn = out;
    w.ctx = ctx;
    il_buf_init(&w.b, (size_t)256 << 20);
    fctx fc = {o, 0, 0};

    /* 1. the files: from FROM, or the paths given */
    ret = il_sql_rewrite(query, NULL, 0, &t1);
    if (ret != IL_OK) {
        res_msg(res, "%s", t1.msg[0] ? t1.msg : "out of memory");
        res->pos = t1.pos;
        il_sql_text_free(&t1);
        goto end;
    }
    snprintf(res->notes, sizeof res->notes, "%s", t1.notes);
    if (t1.nsources && npaths) {
        res_msg(res, "the query names its logs in FROM; leave out the paths after the query, or "
                     "write FROM logs to read them");
        il_sql_text_free(&t1);
        ret = IL_E_USAGE;
        goto end;
    }
    if (t1.nsources) {
        ret = expand_sources(&t1, &expanded, &nexp, res);
        if (ret != IL_OK) {
            il_sql_text_free(&t1);
            goto end;
        }
        s.paths = (const char **)expanded;
        s.npaths = nexp;
    } else {
        s.paths = (const char **)paths;
        s.npaths = npaths;
    }
    il_sql_text_free(&t1);

    /* 2. the table's columns: the standard ones and what the files use */
    if (s.npaths) {
        char err[1024] = "";
        ret = il_reader_open(s.paths, s.npaths, &o->eo, &s.spare, err, sizeof err);
        if (ret != IL_OK) {
            res_msg(res, "%s", err);
            goto end;
        }
    }
    char **later = NULL; /* names of later #Fields blocks, after a full scan */
    size_t nlater = 0;
    for (int attempt = 0;; attempt++) {
        ret = build_columns(&s, later, nlater);
        if (ret != IL_OK) {
            res_msg(res, "out of memory");
            break;
        }
        il_sql_text_free(&t2);
        ret = prepare(&s, query, &t2, &fc, &db, &st, res);
        if (ret == IL_OK || attempt > 0 || !s.npaths || !unknown_name_error(res))
            break;
        /* a column the first 64 KiB of the files did not show: look at
         * every #Fields line once, then try again */
        size_t before = s.sc.n;
        if (scan_all_fields(s.spare, &later, &nlater) != IL_OK) {
            ret = IL_E_NOMEM;
            res_msg(res, "out of memory");
            break;
        }
        schema tmp = s.sc;
        memset(&s.sc, 0, sizeof s.sc);
        if (build_columns(&s, later, nlater) != IL_OK || s.sc.n == before) {
            schema_free(&s.sc);
            s.sc = tmp;
            break; /* nothing new: the error stands */
        }
        schema_free(&tmp);
        schema_free(&s.sc);
        if (st)
            sqlite3_finalize(st);
        st = NULL;
        sqlite3_close(db);
        db = NULL;
        free(res->hint);
        res->hint = NULL;
        res->pos = -1;
        res->msg[0] = '\0';
    }
    for (size_t i = 0; i < nlater; i++)
        free(later[i]);
    free(later);
    if (ret != IL_OK)
        goto end;

    /* 5. the rows */
    ret = write_rows(db, st, &s.sc, &t2, query, o, &w, res);
    if (ret != IL_OK && fc.limit_hit)
        ret = IL_E_LIMIT; /* res->msg already says which limit */
    if (ret != IL_OK && s.fatal != IL_OK) {
        res_msg(res, "%s", s.fatal_msg);
        ret = s.fatal;
    }
    if (ret == IL_OK || ret == IL_E_LIMIT)
        out_flush(&w, 1);
    if (w.failed && ret == IL_OK) {
        res_msg(res, "cannot write the output");
        ret = IL_E_IO;
    }

end:
    if (st)
        sqlite3_finalize(st);
    if (db)
        sqlite3_close(db);
    if (s.spare) {
        sess_note_errors(&s, s.spare);
        il_reader_close(s.spare);
    }
    res->file_errors = s.ferr;
    res->nfile_errors = s.nferr;
    if (ret == IL_OK && s.nferr)
        ret = IL_E_IO;
    schema_free(&s.sc);
    il_sql_text_free(&t2);
    for (size_t i = 0; i < nexp; i++)
        free(expanded[i]);
    free(expanded);
    il_buf_free(&w.b);
    return ret;
}

void il_sql_result_free(il_sql_result *res)
{
    free(res->hint);
    for (size_t i = 0; i < res->nfile_errors; i++)
        free(res->file_errors[i]);
    free(res->file_errors);
    memset(res, 0, sizeof *res);
    res->pos = -1;
}

#endif /* IL_HAVE_SQLITE */
