/* test_code.c - every spelling of a code that `iislens explain` accepts, and
 * garbage it must refuse without crashing: win32 forms, dotted, spaced and
 * hyphenated statuses, "HTTP Error" pastes, HTTPERR reasons, log lines with
 * and without #Fields, and hostile input. */
#include "iislens.h"
#include "tap.h"

#include <stdlib.h>

static il_explain_parser *P;

/* Parse s (as one group) with fresh state; returns the query count. */
static size_t parse(const char *s, int force_win32, int force_ftp)
{
    il_explain_opts o = {force_win32, force_ftp};
    il_explain_parser_free(P);
    P = il_explain_parser_new(&o);
    il_explain_parse(P, s, strlen(s));
    size_t n;
    il_explain_queries(P, &n);
    return n;
}

static const il_query *Q(size_t i)
{
    size_t n;
    const il_query *q = il_explain_queries(P, &n);
    return i < n ? &q[i] : NULL;
}

static void expect(const char *s, int w, int f, il_query_kind kind,
                   unsigned status, long long sub, long long win32)
{
    size_t n = parse(s, w, f);
    const il_query *q = Q(0);
    int ok = n == 1 && q && q->kind == kind && q->status == status &&
             q->sub == sub && q->win32 == win32;
    char label[80];
    size_t j = 0;
    for (const char *c = s; *c && j < sizeof label - 1; c++)
        label[j++] = (*c >= 0x20 && *c < 0x7F) ? *c : '?';
    label[j] = '\0';
    TAP_OK(ok, "'%s' -> kind %d status %u sub %lld win32 %lld", label,
           (int)kind, status, sub, win32);
    if (!ok && q)
        printf("#   got n=%zu kind %d status %u sub %lld win32 %lld (%s)\n", n,
               (int)q->kind, q->status, q->sub, q->win32, q->detail);
}

static void expect_error(const char *label, const char *s)
{
    size_t n = parse(s, 0, 0);
    const il_query *q = Q(0);
    TAP_OK(n == 1 && q->kind == IL_Q_ERROR, "refused: %s", label);
}

static void win32(const char *s, int ok, uint32_t raw, uint32_t code)
{
    il_win32 w;
    il_status st = il_win32_parse(s, strlen(s), &w);
    if (!ok) {
        TAP_OK(st == IL_E_PARSE, "win32 '%s' refused", s);
        return;
    }
    TAP_OK(st == IL_OK && w.raw == raw && w.code == code,
           "win32 '%s' -> raw %u code %u", s, raw, code);
}

int main(void)
{
    /* sc-win32-status forms */
    win32("64", 1, 64, 64);
    win32("0", 1, 0, 0);
    win32("2147942405", 1, 2147942405u, 5);
    win32("-2147024891", 1, 2147942405u, 5);
    win32("0x80070005", 1, 0x80070005u, 5);
    win32("0X8007000d", 1, 0x8007000Du, 13);
    win32("2148074254", 1, 2148074254u, 2148074254u);
    win32("-2146893042", 1, 2148074254u, 2148074254u);
    win32("2147954402", 1, 2147954402u, 12002);
    win32("4294967295", 1, 4294967295u, 4294967295u);
    win32("4294967296", 0, 0, 0);
    win32("-2147483649", 0, 0, 0);
    win32("-5", 0, 0, 0);
    win32("0x", 0, 0, 0);
    win32("0x123456789", 0, 0, 0);
    win32("12a", 0, 0, 0);
    win32("", 0, 0, 0);
    win32("123456789012345678901234567890", 0, 0, 0);

    /* HTTP spellings */
    expect("403.14", 0, 0, IL_Q_HTTP, 403, 14, -1);
    expect("403 14", 0, 0, IL_Q_HTTP, 403, 14, -1);
    expect("403 14 0", 0, 0, IL_Q_HTTP, 403, 14, 0);
    expect("403.14.0", 0, 0, IL_Q_HTTP, 403, 14, 0);
    expect("500 19 13", 0, 0, IL_Q_HTTP, 500, 19, 13);
    expect("  500\t19   13 \r\n", 0, 0, IL_Q_HTTP, 500, 19, 13);
    expect("500-100", 0, 0, IL_Q_HTTP, 500, 100, -1);
    expect("500-100.ASP", 0, 0, IL_Q_HTTP, 500, 100, -1);
    expect("HTTP Error 500.19", 0, 0, IL_Q_HTTP, 500, 19, -1);
    expect("HTTP Error 403.14 - Forbidden", 0, 0, IL_Q_HTTP, 403, 14, -1);
    expect("http error 404.3", 0, 0, IL_Q_HTTP, 404, 3, -1);
    expect("401 1 2148074254", 0, 0, IL_Q_HTTP, 401, 1, 2148074254LL);
    expect("401 2 5", 0, 0, IL_Q_HTTP, 401, 2, 5);
    expect("200 0 64", 0, 0, IL_Q_HTTP, 200, 0, 64);
    expect("500.19 0x8007000D", 0, 0, IL_Q_HTTP, 500, 19, 0x8007000DLL);
    expect("500 19 -2147024883", 0, 0, IL_Q_HTTP, 500, 19, 0x8007000DLL);
    expect("502 3 12002", 0, 0, IL_Q_HTTP, 502, 3, 12002);
    expect("404", 0, 0, IL_Q_HTTP, 404, -1, -1);
    expect("\xEF\xBB\xBF" "404.0", 0, 0, IL_Q_HTTP, 404, 0, -1);

    /* win32 alone */
    expect("0x80070005", 0, 0, IL_Q_WIN32, 0, -1, 0x80070005LL);
    expect("2147942405", 0, 0, IL_Q_WIN32, 0, -1, 2147942405LL);
    expect("-2147024891", 0, 0, IL_Q_WIN32, 0, -1, 2147942405LL);
    expect("64", 0, 0, IL_Q_WIN32, 0, -1, 64);
    expect("1326", 0, 0, IL_Q_WIN32, 0, -1, 1326);
    expect("200", 1, 0, IL_Q_WIN32, 0, -1, 200);   /* --win32 200 */
    expect("64", 1, 0, IL_Q_WIN32, 0, -1, 64);     /* --win32 64 */

    /* FTP and HTTPERR */
    expect("550 2", 0, 1, IL_Q_FTP, 550, 2, -1);
    expect("550.2", 0, 1, IL_Q_FTP, 550, 2, -1);
    expect("530 35 1326", 0, 1, IL_Q_FTP, 530, 35, 1326);
    expect("631", 0, 1, IL_Q_FTP, 631, -1, -1);
    TAP_OK(parse("Timer_ConnectionIdle", 0, 0) == 1 &&
               Q(0)->kind == IL_Q_HTTPERR &&
               strcmp(Q(0)->text, "Timer_ConnectionIdle") == 0,
           "HTTPERR reason");
    TAP_OK(parse("timer_connectionidle", 0, 0) == 1 &&
               Q(0)->kind == IL_Q_HTTPERR &&
               strcmp(Q(0)->text, "Timer_ConnectionIdle") == 0,
           "HTTPERR reason, any case, shown as HTTP.sys spells it");
    TAP_OK(parse("Version_N/S", 0, 0) == 1 && Q(0)->kind == IL_Q_HTTPERR,
           "HTTPERR reason with a slash");

    /* several codes in one group */
    TAP_OK(parse("403.14 500.19", 0, 0) == 2 && Q(0)->status == 403 &&
               Q(1)->status == 500 && Q(1)->sub == 19,
           "two dotted codes");
    TAP_OK(parse("403.14 500", 0, 0) == 2 && Q(1)->status == 500 &&
               Q(0)->win32 == -1,
           "a status after a dotted code starts a new code");
    TAP_OK(parse("404 500", 0, 0) == 2 && Q(0)->sub == -1 && Q(1)->status == 500,
           "404 500 is two statuses (404.500 is not a code, 500 is)");
    TAP_OK(parse("403 501", 0, 0) == 1 && Q(0)->sub == 501,
           "403 501 is 403.501 (Dynamic IP Restrictions)");
    TAP_OK(parse("403.14 Timer_ConnectionIdle 64", 0, 0) == 3 &&
               Q(1)->kind == IL_Q_HTTPERR && Q(2)->kind == IL_Q_WIN32,
           "mixed kinds in one group");

    /* arguments: bare numbers continue, spaced arguments stand alone */
    {
        il_explain_parser_free(P);
        P = il_explain_parser_new(NULL);
        char a0[] = "403", a1[] = "14", a2[] = "0", a3[] = "500 19 13",
             a4[] = "0x80070005";
        char *argv[] = {a0, a1, a2, a3, a4};
        il_explain_parse_args(P, 5, argv);
        size_t n;
        const il_query *q = il_explain_queries(P, &n);
        TAP_OK(n == 3 && q[0].sub == 14 && q[0].win32 == 0 && q[1].sub == 19 &&
                   q[2].kind == IL_Q_WIN32,
               "argv: 403 14 0 / \"500 19 13\" / 0x80070005");
    }

    /* log lines */
    expect("2026-11-24 09:14:02 10.0.0.5 GET /app/ - 443 - 10.1.2.3 "
           "Mozilla/5.0+(Windows+NT+10.0) - 500 19 13 15",
           0, 0, IL_Q_HTTP, 500, 19, 13);
    TAP_OK(Q(0)->time_taken == 15 && strcmp(Q(0)->uri, "/app/") == 0,
           "default W3C layout: uri and time-taken");
    expect("2026-11-24 09:14:02 ... /app/ - 443 - 10.1.2.3 ... 500 19 13 15",
           0, 0, IL_Q_HTTP, 500, 19, 13);
    {
        il_explain_parser_free(P);
        P = il_explain_parser_new(NULL);
        const char *f = "#Fields: date time cs-uri-stem sc-win32-status "
                        "sc-status sc-substatus time-taken";
        const char *l = "2026-11-24 09:14:02 /login 2148074254 401 1 3";
        il_explain_parse(P, f, strlen(f));
        il_explain_parse(P, l, strlen(l));
        const il_query *q = Q(0);
        TAP_OK(q && q->kind == IL_Q_HTTP && q->status == 401 && q->sub == 1 &&
                   q->win32 == 2148074254LL && q->time_taken == 3 &&
                   strcmp(q->uri, "/login") == 0,
               "#Fields decides the columns, in any order");
        const char *bad = "2026-11-24 09:14:02 /login 401 1";
        il_explain_parse(P, bad, strlen(bad));
        TAP_OK(Q(1) && Q(1)->kind == IL_Q_ERROR,
               "a line that does not fit #Fields is refused, not misread");
    }
    {
        il_explain_parser_free(P);
        P = il_explain_parser_new(NULL);
        const char *f = "#Fields: date time c-ip cs-username s-ip s-port "
                        "cs-method cs-uri-stem sc-status sc-win32-status "
                        "sc-substatus x-session x-fullpath";
        const char *l = "2026-11-24 09:14:02 10.0.0.9 bob 10.0.0.1 21 PASS "
                        "*** 530 1326 35 9c0b4a1e-1234 -";
        il_explain_parse(P, f, strlen(f));
        il_explain_parse(P, l, strlen(l));
        const il_query *q = Q(0);
        TAP_OK(q && q->kind == IL_Q_FTP && q->status == 530 && q->sub == 35 &&
                   q->win32 == 1326,
               "FTP log line: win32 before sub-status, read by name");
    }
    {
        size_t n = parse("2026-11-24 09:14:02 10.0.0.9 50123 10.0.0.1 80 "
                         "HTTP/1.1 GET /big 400 - FieldLength -", 0, 0);
        TAP_OK(n == 1 && Q(0)->kind == IL_Q_HTTPERR && Q(0)->status == 400 &&
                   strcmp(Q(0)->text, "FieldLength") == 0,
               "HTTPERR line without #Fields");
        n = parse("2026-11-24 09:14:02 10.0.0.9 50123 10.0.0.1 443 HTTP/2.0 "
                  "GET / 1 - 3 Timer_ConnectionIdle -", 0, 0);
        TAP_OK(n == 1 && Q(0)->kind == IL_Q_HTTPERR,
               "HTTPERR line, newer layout with streamid");
    }
    expect_error("a date line with no readable layout", "2026-11-24 hello world");

    /* garbage */
    TAP_EQ_U(parse("", 0, 0), 0, "empty input gives nothing");
    TAP_EQ_U(parse(" \t\r\n", 0, 0), 0, "blank input gives nothing");
    TAP_EQ_U(parse("#Software: Microsoft Internet Information Services 10.0", 0, 0), 0,
             "other directives give nothing");
    expect_error("30-digit number", "123456789012345678901234567890");
    expect_error("negative status", "-403");
    expect_error("small negative", "-5");
    expect_error("fullwidth digits", "\xef\xbc\x94\xef\xbc\x90\xef\xbc\x94");
    expect_error("binary bytes", "\xff\xfe\x01");
    expect_error("four-part dotted code", "403.14.5.6");
    expect_error("status out of range", "999.1");
    expect_error("huge sub-status", "404.123456789012");
    expect_error("an English word", "forbidden!");
    {
        size_t len = 200000;
        char *s = malloc(len + 1);
        memset(s, '9', len);
        s[len] = '\0';
        expect_error("200000-digit number", s);
        for (size_t i = 0; i < len; i += 2)
            s[i] = ' ';
        parse(s, 0, 0);
        TAP_OK(Q(0) && Q(0)->kind == IL_Q_ERROR, "100000 words: refused as too many");
        free(s);
    }
    {
        il_explain_parser_free(P);
        P = il_explain_parser_new(NULL);
        il_status st = IL_OK;
        for (int i = 0; i < 20000 && st == IL_OK; i++)
            st = il_explain_parse(P, "404", 3);
        size_t n;
        il_explain_queries(P, &n);
        TAP_OK(st == IL_E_LIMIT && n == 10000, "query list is capped at 10000");
    }
    {
        il_query q;
        memset(&q, 0, sizeof q);
        q.kind = IL_Q_HTTP;
        q.status = 404;
        q.sub = 77;
        q.win32 = -1;
        il_explanation e;
        il_explain_resolve(&q, &e);
        TAP_OK(e.unknown_sub && e.generic && e.nnearest > 0 &&
                   !il_explanation_complete(&e),
               "undocumented 404.77: generic 404 entry and nearest codes");
        q.status = 599;
        q.sub = -1;
        il_explain_resolve(&q, &e);
        TAP_OK(e.unknown_status && e.nhttp == 0, "599 is not documented");
    }
    il_explain_parser_free(P);
    return tap_done();
}
