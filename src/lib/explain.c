/*
 * explain.c - understands what an admin pastes or types and looks it up.
 *
 * Input comes in groups: one argument, or one line of standard input. A
 * group is one of
 *   - a "#Fields:" directive: remembered as the layout for log lines;
 *   - a W3C, FTP or HTTPERR log line (starts with a yyyy-mm-dd date): read
 *     with the remembered layout, or with the common IIS layouts when none
 *     was given;
 *   - code spellings: 403.14, "403 14 0", 500-100, HTTP Error 500.19,
 *     0x80070005, 2147942405, -2147024891, Timer_ConnectionIdle, ...
 * Every group yields queries (il_query); what cannot be read becomes an
 * IL_Q_ERROR query carrying the reason, so one bad token never hides the
 * good ones beside it.
 *
 * Ownership: the parser owns its query array; il_explain_queries() lends it
 * until the next parse call or il_explain_parser_free(). Resolution
 * (il_explain_resolve) only points into the static knowledge base.
 */
#include "iislens.h"
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_QUERIES 10000
#define MAX_TOKENS 128
#define MAX_FIELDS 128

typedef struct tok {
    const char *p;
    size_t n;
} tok;

/* Column positions of the fields explain cares about; -1 when absent. */
typedef struct layout {
    int nfields;
    int status, sub, win32, taken, uri, reason;
    int ftp;     /* FTP service log (x-session / x-fullpath present) */
    int httperr; /* HTTP.sys error log (s-reason present) */
} layout;

struct il_explain_parser {
    il_explain_opts opts;
    il_query *q;
    size_t n, cap;
    layout lay;
    int have_layout;
};

il_explain_parser *il_explain_parser_new(const il_explain_opts *opts)
{
    il_explain_parser *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    if (opts)
        p->opts = *opts;
    return p;
}

void il_explain_parser_free(il_explain_parser *p)
{
    if (!p)
        return;
    free(p->q);
    free(p);
}

const il_query *il_explain_queries(const il_explain_parser *p, size_t *n)
{
    *n = p->n;
    return p->q;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
           c == '\f';
}

static size_t tokenize(const char *s, size_t n, tok *t, size_t max)
{
    size_t k = 0, i = 0;
    while (i < n && k < max) {
        while (i < n && is_space(s[i]))
            i++;
        if (i >= n)
            break;
        size_t st = i;
        while (i < n && !is_space(s[i]))
            i++;
        t[k].p = s + st;
        t[k].n = i - st;
        k++;
    }
    return k;
}

static int tok_is(tok t, const char *w)
{
    return il_casecmp(t.p, t.n, w, strlen(w)) == 0;
}

static int all_digits(tok t)
{
    if (t.n == 0)
        return 0;
    for (size_t i = 0; i < t.n; i++)
        if (t.p[i] < '0' || t.p[i] > '9')
            return 0;
    return 1;
}

/* Copy a slice into a fixed field, truncating on a UTF-8 boundary. */
static void copy_text(char *dst, size_t cap, const char *s, size_t n)
{
    if (n >= cap) {
        n = cap - 1;
        /* do not cut a multi-byte sequence in half */
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, s, n);
    dst[n] = '\0';
}

static il_query *new_query(il_explain_parser *p, il_query_kind kind,
                           const char *text, size_t tn)
{
    if (p->n >= MAX_QUERIES)
        return NULL;
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        il_query *q = realloc(p->q, cap * sizeof *q);
        if (!q)
            return NULL;
        p->q = q;
        p->cap = cap;
    }
    il_query *q = &p->q[p->n++];
    memset(q, 0, sizeof *q);
    q->kind = kind;
    q->sub = -1;
    q->win32 = -1;
    q->time_taken = -1;
    copy_text(q->text, sizeof q->text, text, tn);
    return q;
}

/* Turn a query that turned out unreadable into an error query. */
static void make_error(il_query *q, const char *why)
{
    q->kind = IL_Q_ERROR;
    copy_text(q->detail, sizeof q->detail, why, strlen(why));
}

static il_status add_error(il_explain_parser *p, const char *text, size_t tn,
                           const char *why)
{
    il_query *q = new_query(p, IL_Q_ERROR, text, tn);
    if (!q)
        return p->n >= MAX_QUERIES ? IL_E_LIMIT : IL_E_NOMEM;
    copy_text(q->detail, sizeof q->detail, why, strlen(why));
    return IL_OK;
}

/* ---- layouts ------------------------------------------------------------ */

static void layout_reset(layout *l)
{
    memset(l, 0, sizeof *l);
    l->status = l->sub = l->win32 = l->taken = l->uri = l->reason = -1;
}

static void layout_from_names(layout *l, const tok *t, size_t n)
{
    layout_reset(l);
    l->nfields = (int)n;
    for (size_t i = 0; i < n; i++) {
        int ix = (int)i;
        if (tok_is(t[i], "sc-status"))
            l->status = ix;
        else if (tok_is(t[i], "sc-substatus"))
            l->sub = ix;
        else if (tok_is(t[i], "sc-win32-status"))
            l->win32 = ix;
        else if (tok_is(t[i], "time-taken"))
            l->taken = ix;
        else if (tok_is(t[i], "cs-uri-stem") || tok_is(t[i], "cs-uri"))
            l->uri = ix;
        else if (tok_is(t[i], "s-reason"))
            l->reason = ix;
        else if (tok_is(t[i], "x-session") || tok_is(t[i], "x-fullpath"))
            l->ftp = 1;
    }
    l->httperr = l->reason >= 0;
}

/* IIS's usual W3C layouts, for lines pasted without their #Fields line. */
static const char *const known_layouts[] = {
    /* IIS 8.5+ default */
    "date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username "
    "c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status "
    "time-taken",
    /* IIS 7.0/7.5 default */
    "date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username "
    "c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status time-taken",
    /* every standard field */
    "date time s-sitename s-computername s-ip cs-method cs-uri-stem "
    "cs-uri-query s-port cs-username c-ip cs-version cs(User-Agent) "
    "cs(Cookie) cs(Referer) cs-host sc-status sc-substatus sc-win32-status "
    "sc-bytes cs-bytes time-taken",
    /* HTTPERR, Windows Server 2008-2012 R2 */
    "date time c-ip c-port s-ip s-port cs-version cs-method cs-uri sc-status "
    "s-siteid s-reason s-queuename",
    /* HTTPERR, Windows Server 2016+ */
    "date time c-ip c-port s-ip s-port cs-version cs-method cs-uri streamid "
    "sc-status s-siteid s-reason s-queuename",
    /* FTP default */
    "date time c-ip cs-username s-ip s-port cs-method cs-uri-stem sc-status "
    "sc-win32-status sc-substatus x-session x-fullpath",
};

static int is_date(tok t)
{
    static const char pat[] = "dddd-dd-dd";
    if (t.n != 10)
        return 0;
    for (size_t i = 0; i < 10; i++) {
        char c = t.p[i];
        if (pat[i] == 'd' ? (c < '0' || c > '9') : c != pat[i])
            return 0;
    }
    return 1;
}

static int is_status_number(tok t, unsigned lo, unsigned hi, unsigned *out)
{
    uint64_t v;
    if (t.n != 3 || il_parse_uint(t.p, t.n, &v) != IL_OK || v < lo || v > hi)
        return 0;
    *out = (unsigned)v;
    return 1;
}

/* Guess a layout for a log line that came without #Fields. Returns 0 when
 * nothing fits. */
static int guess_layout(const tok *t, size_t n, layout *l)
{
    size_t nk = sizeof known_layouts / sizeof known_layouts[0];
    for (size_t i = 0; i < nk; i++) {
        tok names[MAX_FIELDS];
        size_t k = tokenize(known_layouts[i], strlen(known_layouts[i]), names,
                            MAX_FIELDS);
        if (k != n)
            continue;
        layout cand;
        layout_from_names(&cand, names, k);
        unsigned st;
        if (cand.reason >= 0) {
            /* HTTPERR: the reason decides; sc-status may be "-" */
            if (!il_kb_httperr(t[cand.reason].p, t[cand.reason].n))
                continue;
        } else if (cand.status < 0 ||
                   !is_status_number(t[cand.status], 100, 699, &st)) {
            continue;
        }
        if (cand.sub >= 0 && !all_digits(t[cand.sub]))
            continue;
        *l = cand;
        return 1;
    }
    /* Any other layout: IIS always writes sc-status sc-substatus
     * sc-win32-status next to each other; take the rightmost such run. */
    for (size_t i = n >= 3 ? n - 3 + 1 : 0; i-- > 2;) {
        unsigned st;
        il_win32 w;
        if (is_status_number(t[i], 100, 599, &st) && all_digits(t[i + 1]) &&
            t[i + 1].n <= 4 && il_win32_parse(t[i + 2].p, t[i + 2].n, &w) == IL_OK) {
            layout_reset(l);
            l->nfields = (int)n;
            l->status = (int)i;
            l->sub = (int)i + 1;
            l->win32 = (int)i + 2;
            if (i + 3 < n && all_digits(t[n - 1]))
                l->taken = (int)n - 1;
            for (size_t j = 2; j < i; j++)
                if (t[j].n && t[j].p[0] == '/') {
                    l->uri = (int)j;
                    break;
                }
            return 1;
        }
    }
    return 0;
}

static int field_set(const tok *t, int ix)
{
    return ix >= 0 && !(t[ix].n == 1 && t[ix].p[0] == '-');
}

static il_status parse_log_line(il_explain_parser *p, const char *s, size_t n,
                                const tok *t, size_t nt)
{
    layout l;
    int guessed = 0;
    if (p->have_layout) {
        l = p->lay;
        if ((int)nt != l.nfields) {
            char why[160];
            snprintf(why, sizeof why,
                     "log line has %zu fields but the #Fields line lists %d",
                     nt, l.nfields);
            return add_error(p, s, n, why);
        }
    } else if (guess_layout(t, nt, &l)) {
        guessed = 1;
    } else {
        return add_error(p, s, n,
                         "looks like a log line, but its layout is unknown: "
                         "paste its #Fields line with it");
    }

    il_query *q;
    if (l.httperr && field_set(t, l.reason)) {
        q = new_query(p, IL_Q_HTTPERR, t[l.reason].p, t[l.reason].n);
        if (!q)
            return p->n >= MAX_QUERIES ? IL_E_LIMIT : IL_E_NOMEM;
        unsigned st;
        if (l.status >= 0 && is_status_number(t[l.status], 100, 999, &st))
            q->status = st;
    } else {
        unsigned st;
        if (l.status < 0 || !is_status_number(t[l.status], 100, 699, &st))
            return add_error(p, s, n, "log line has no readable sc-status");
        char text[64];
        int tl = snprintf(text, sizeof text, "%u", st);
        q = new_query(p, l.ftp || p->opts.force_ftp ? IL_Q_FTP : IL_Q_HTTP,
                      text, (size_t)tl);
        if (!q)
            return p->n >= MAX_QUERIES ? IL_E_LIMIT : IL_E_NOMEM;
        q->status = st;
        uint64_t v;
        if (field_set(t, l.sub) && il_parse_uint(t[l.sub].p, t[l.sub].n, &v) == IL_OK &&
            v <= 99999)
            q->sub = (long long)v;
        il_win32 w;
        if (field_set(t, l.win32) &&
            il_win32_parse(t[l.win32].p, t[l.win32].n, &w) == IL_OK)
            q->win32 = w.raw;
        /* text: the triple as a log shows it */
        size_t used = (size_t)tl;
        if (q->sub >= 0)
            used += (size_t)snprintf(q->text + used, sizeof q->text - used,
                                     " %lld", q->sub);
        if (q->win32 >= 0 && used < sizeof q->text)
            snprintf(q->text + used, sizeof q->text - used, " %lld", q->win32);
    }
    uint64_t v;
    if (field_set(t, l.taken) && il_parse_uint(t[l.taken].p, t[l.taken].n, &v) == IL_OK)
        q->time_taken = (long long)v;
    if (field_set(t, l.uri))
        copy_text(q->uri, sizeof q->uri, t[l.uri].p, t[l.uri].n);
    snprintf(q->detail, sizeof q->detail, "%s",
             guessed ? "from a log line (layout guessed: no #Fields line given)"
                     : "from a log line");
    return IL_OK;
}

/* ---- code spellings ------------------------------------------------------ */

/* Is `sub` a substatus of `status` rather than the start of a new code? */
static int takes_as_sub(unsigned status, uint64_t sub)
{
    size_t n;
    if (sub > 9999)
        return 0;
    if (sub < 100 || il_kb_http(status, (unsigned)sub, &n))
        return 1;
    /* 100..599 is also a status: prefer that reading when status.sub is not
     * a documented code but `sub` is a documented status. */
    if (sub <= 599 && il_kb_http((unsigned)sub, 0, &n))
        return 0;
    return 1;
}

static int parse_dotted(tok t, unsigned *status, uint64_t *sub,
                        uint64_t *win32, int *nparts)
{
    /* 403.14, 403.14.0, 500-100, 500-100.asp */
    size_t i = 0, part = 0;
    uint64_t v[3] = {0, 0, 0};
    while (part < 3) {
        size_t st = i;
        while (i < t.n && t.p[i] >= '0' && t.p[i] <= '9')
            i++;
        if (i == st || il_parse_uint(t.p + st, i - st, &v[part]) != IL_OK)
            return 0;
        part++;
        if (i == t.n)
            break;
        if (part == 1 && (t.p[i] == '.' || t.p[i] == '-')) {
            i++;
            continue;
        }
        if (part == 2 && t.p[i] == '.') {
            if (t.n - i == 4 && il_casecmp(t.p + i, 4, ".asp", 4) == 0) {
                i = t.n;
                break;
            }
            i++;
            continue;
        }
        return 0;
    }
    if (i != t.n || part < 2 || v[0] < 100 || v[0] > 699)
        return 0;
    *status = (unsigned)v[0];
    *sub = v[1];
    *win32 = v[2];
    *nparts = (int)part;
    return 1;
}

static const char *const filler_words[] = {
    "http", "error", "error:", "status", "code", "sc-status", "substatus",
    "win32", "sc-win32-status", "-", "ftp", "reply", "httperr", "s-reason",
};

static int is_filler(tok t)
{
    for (size_t i = 0; i < sizeof filler_words / sizeof filler_words[0]; i++)
        if (tok_is(t, filler_words[i]))
            return 1;
    return 0;
}

/* Make q->text the input from `start` to the end of token k. */
static void span_text(il_query *q, const char *start, tok k)
{
    copy_text(q->text, sizeof q->text, start, (size_t)(k.p + k.n - start));
}

static il_status parse_codes(il_explain_parser *p, const tok *t, size_t nt)
{
    il_query *cur = NULL;  /* the code still taking sub/win32 */
    const char *cur_start = NULL;
    int cur_dotted = 0;
    int stop_after = -1;   /* "HTTP Error 500.19 - Internal..." */
    unsigned hi = p->opts.force_ftp ? 699 : 599;
#define NEWQ(kind, tk)                                                        \
    do {                                                                      \
        cur = new_query(p, (kind), (tk).p, (tk).n);                           \
        if (!cur)                                                             \
            return p->n >= MAX_QUERIES ? IL_E_LIMIT : IL_E_NOMEM;             \
        cur_start = (tk).p;                                                   \
    } while (0)

    if (nt >= 3 && tok_is(t[0], "http") &&
        (tok_is(t[1], "error") || tok_is(t[1], "error:")))
        stop_after = 2; /* only the code after "HTTP Error" counts */

    for (size_t i = 0; i < nt; i++) {
        tok k = t[i];
        if (stop_after >= 0 && (int)i > stop_after)
            break;
        unsigned st;
        uint64_t sub, w32;
        int nparts;
        il_win32 w;
        if (!p->opts.force_win32 && parse_dotted(k, &st, &sub, &w32, &nparts)) {
            NEWQ(p->opts.force_ftp ? IL_Q_FTP : IL_Q_HTTP, k);
            cur->status = st;
            cur->sub = (long long)sub;
            if (nparts == 3) {
                if (w32 > 0xFFFFFFFFu) {
                    make_error(cur, "win32 status is larger than 32 bits");
                    cur = NULL;
                    continue;
                }
                cur->win32 = (long long)w32;
                cur = NULL;
            } else if (sub > 99999) {
                make_error(cur, "sub-status is too large to be an IIS sub-status");
                cur = NULL;
            }
            cur_dotted = 1;
            continue;
        }
        if (il_win32_parse(k.p, k.n, &w) == IL_OK || all_digits(k)) {
            int plain = all_digits(k);
            uint64_t v = 0;
            if (plain && il_parse_uint(k.p, k.n, &v) != IL_OK)
                v = UINT64_MAX; /* more digits than any code can have */
            if (!p->opts.force_win32 && cur && cur->sub < 0 && plain &&
                takes_as_sub(cur->status, v)) {
                cur->sub = (long long)v;
                span_text(cur, cur_start, k);
                if (v > 99999) {
                    make_error(cur, "sub-status is too large to be an IIS sub-status");
                    cur = NULL;
                }
                continue;
            }
            /* a win32 value follows a sub-status (a hex or signed value,
             * which cannot be a sub-status, may follow the status alone) */
            if (!p->opts.force_win32 && cur && cur->win32 < 0 &&
                (cur->sub >= 0 || !plain) &&
                !(cur_dotted && plain && v >= 100 && v <= hi)) {
                if (il_win32_parse(k.p, k.n, &w) != IL_OK) {
                    char why[160];
                    /* k is a slice, not a C string: bound the read */
                    snprintf(why, sizeof why,
                             "win32 status %.*s%s is not a 32-bit value",
                             (int)(k.n > 40 ? 40 : k.n), k.p,
                             k.n > 40 ? "..." : "");
                    il_status rc = add_error(p, k.p, k.n, why);
                    if (rc)
                        return rc;
                    cur = NULL;
                    continue;
                }
                cur->win32 = w.raw;
                span_text(cur, cur_start, k);
                cur = NULL;
                continue;
            }
            if (!p->opts.force_win32 && plain && v >= 100 && v <= hi) {
                NEWQ(p->opts.force_ftp ? IL_Q_FTP : IL_Q_HTTP, k);
                cur->status = (unsigned)v;
                cur_dotted = 0;
                continue;
            }
            if (il_win32_parse(k.p, k.n, &w) != IL_OK) {
                il_status rc = add_error(
                    p, k.p, k.n,
                    "number is too large to be a status or a win32 value");
                if (rc)
                    return rc;
                cur = NULL;
                continue;
            }
            NEWQ(IL_Q_WIN32, k);
            cur->win32 = w.raw;
            cur = NULL;
            continue;
        }
        const il_kb_entry *he = il_kb_httperr(k.p, k.n);
        if (he) {
            NEWQ(IL_Q_HTTPERR, k);
            copy_text(cur->text, sizeof cur->text, he->key, strlen(he->key));
            cur = NULL;
            continue;
        }
        if (is_filler(k))
            continue;
        char why[160];
        snprintf(why, sizeof why, "not a status code, win32 value or HTTPERR "
                                  "reason that iislens recognises");
        il_status rc = add_error(p, k.p, k.n, why);
        if (rc)
            return rc;
        cur = NULL;
    }
    return IL_OK;
#undef NEWQ
}

il_status il_explain_parse(il_explain_parser *p, const char *s, size_t n)
{
    /* strip a UTF-8 BOM and surrounding blanks */
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
        s += 3;
        n -= 3;
    }
    while (n && is_space(*s)) {
        s++;
        n--;
    }
    while (n && is_space(s[n - 1]))
        n--;
    if (n == 0)
        return IL_OK;
    if (s[0] == '#') {
        static const char fields[] = "#Fields:";
        if (n >= sizeof fields - 1 &&
            il_casecmp(s, sizeof fields - 1, fields, sizeof fields - 1) == 0) {
            tok t[MAX_FIELDS];
            size_t rest = n - (sizeof fields - 1);
            size_t k = tokenize(s + sizeof fields - 1, rest, t, MAX_FIELDS);
            if (k == MAX_FIELDS)
                return add_error(p, s, n, "#Fields line has too many fields");
            layout_from_names(&p->lay, t, k);
            p->have_layout = 1;
        }
        return IL_OK; /* other directives carry nothing to explain */
    }
    tok t[MAX_TOKENS];
    size_t nt = tokenize(s, n, t, MAX_TOKENS);
    if (nt == MAX_TOKENS)
        return add_error(p, s, n, "too many words in one input line");
    if (is_date(t[0]))
        return parse_log_line(p, s, n, t, nt);
    return parse_codes(p, t, nt);
}

il_status il_explain_parse_args(il_explain_parser *p, int argc,
                                char *const *argv)
{
    /* Consecutive one-word arguments form one group, so `403 14 0` typed
     * without quotes reads like "403 14 0". */
    il_buf group;
    il_buf_init(&group, 1 << 20);
    il_status rc = IL_OK;
    for (int i = 0; i < argc && rc == IL_OK; i++) {
        const char *a = argv[i];
        size_t an = strlen(a);
        int spaced = 0;
        for (size_t j = 0; j < an; j++)
            if (is_space(a[j]))
                spaced = 1;
        if (spaced) {
            if (group.len)
                rc = il_explain_parse(p, group.data, group.len);
            il_buf_reset(&group);
            if (rc == IL_OK)
                rc = il_explain_parse(p, a, an);
            continue;
        }
        if (group.len)
            il_buf_putc(&group, ' ');
        il_buf_append(&group, a, an);
        if (group.overflow) {
            rc = IL_E_LIMIT;
            break;
        }
    }
    if (rc == IL_OK && group.len)
        rc = il_explain_parse(p, group.data, group.len);
    il_buf_free(&group);
    return rc;
}

/* ---- resolution ----------------------------------------------------------- */

static void nearest_subs(unsigned status, long long sub, il_explanation *e)
{
    size_t n;
    const il_kb_entry *all = il_kb_all(IL_KB_HTTP, &n);
    uint32_t cand[64];
    size_t nc = 0;
    for (size_t i = 0; i < n && nc < 64; i++)
        if (all[i].code == status && all[i].sub != 0 &&
            (nc == 0 || cand[nc - 1] != all[i].sub))
            cand[nc++] = all[i].sub;
    /* pick the closest few, then keep them in numeric order */
    size_t want = nc < 5 ? nc : 5;
    for (size_t k = 0; k < want; k++) {
        size_t best = k;
        for (size_t j = k + 1; j < nc; j++) {
            long long dj = (long long)cand[j] - sub, db = (long long)cand[best] - sub;
            if (dj < 0)
                dj = -dj;
            if (db < 0)
                db = -db;
            if (dj < db)
                best = j;
        }
        uint32_t tmp = cand[k];
        cand[k] = cand[best];
        cand[best] = tmp;
    }
    for (size_t a = 1; a < want; a++)
        for (size_t b = a; b > 0 && cand[b - 1] > cand[b]; b--) {
            uint32_t tmp = cand[b];
            cand[b] = cand[b - 1];
            cand[b - 1] = tmp;
        }
    for (size_t k = 0; k < want; k++)
        e->nearest[e->nnearest++] = cand[k];
}

static void resolve_win32(const il_query *q, il_explanation *e)
{
    if (q->win32 < 0)
        return;
    il_win32_decode((uint32_t)q->win32, &e->w);
    e->win32 = il_kb_win32(e->w.code);
    if (!e->win32 && e->w.code != e->w.raw)
        e->win32 = il_kb_win32(e->w.raw);
    e->unknown_win32 = e->win32 == NULL;
}

void il_explain_resolve(const il_query *q, il_explanation *e)
{
    memset(e, 0, sizeof *e);
    e->q = q;
    size_t n = 0;
    switch (q->kind) {
    case IL_Q_HTTP: {
        unsigned sub = q->sub < 0 ? 0 : (unsigned)q->sub;
        const il_kb_entry *h = q->sub > 99999 ? NULL : il_kb_http(q->status, sub, &n);
        for (size_t i = 0; i < n && i < 4; i++)
            e->http[e->nhttp++] = &h[i];
        if (!h) {
            e->generic = il_kb_http(q->status, 0, &n);
            if (e->generic) {
                e->unknown_sub = 1;
            } else {
                e->unknown_status = 1;
            }
            nearest_subs(q->status, (long long)sub, e);
        }
        resolve_win32(q, e);
        if (q->win32 >= 0) {
            e->combo = il_kb_combo_find(0, q->status, q->sub < 0 ? 0 : q->sub, e->w.code);
            if (!e->combo && e->w.code != e->w.raw)
                e->combo = il_kb_combo_find(0, q->status, q->sub < 0 ? 0 : q->sub, e->w.raw);
        } else {
            const il_kb_combo *c = il_kb_combo_find(0, q->status, q->sub, -1);
            if (c && c->win32 < 0)
                e->combo = c;
        }
        e->cls = e->combo ? e->combo->cls
                 : e->nhttp ? e->http[0]->cls
                 : e->generic ? e->generic->cls
                              : il_class_of_status(q->status);
        break;
    }
    case IL_Q_FTP: {
        const il_kb_entry *f = il_kb_ftp(q->status);
        if (f)
            e->http[e->nhttp++] = f;
        else
            e->unknown_status = 1;
        if (q->sub >= 0 && q->sub <= 99999) {
            e->ftp_sub = il_kb_ftp_sub((unsigned)q->sub);
            e->unknown_sub = e->ftp_sub == NULL;
        } else if (q->sub > 99999) {
            e->unknown_sub = 1;
        }
        resolve_win32(q, e);
        e->combo = il_kb_combo_find(1, q->status, q->sub, q->win32 >= 0 ? (long long)e->w.code : -1);
        if (e->combo && q->win32 < 0 && e->combo->win32 >= 0)
            e->combo = NULL;
        e->cls = e->combo ? e->combo->cls
                 : (e->ftp_sub && q->sub > 0) ? e->ftp_sub->cls
                 : f ? f->cls
                     : IL_CLASS_UNKNOWN;
        break;
    }
    case IL_Q_WIN32:
        resolve_win32(q, e);
        e->cls = e->win32 ? e->win32->cls : IL_CLASS_UNKNOWN;
        break;
    case IL_Q_HTTPERR:
        e->httperr = il_kb_httperr(q->text, strlen(q->text));
        e->cls = e->httperr ? e->httperr->cls : IL_CLASS_UNKNOWN;
        break;
    case IL_Q_ERROR:
        e->cls = IL_CLASS_UNKNOWN;
        break;
    }
}

int il_explanation_complete(const il_explanation *e)
{
    if (e->q->kind == IL_Q_ERROR)
        return 0;
    if (e->q->kind == IL_Q_HTTPERR)
        return e->httperr != NULL;
    return !e->unknown_status && !e->unknown_sub && !e->unknown_win32;
}
