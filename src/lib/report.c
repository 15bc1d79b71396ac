/*
 * report.c - the report: what an engine run counted, sorted, explained with
 * the knowledge base, ranked into findings, and written as text, JSON or
 * CSV.
 *
 * Building (il_report_build) reads the merged aggregator once: top-N
 * tables by count, the status triples with their class and title, the top
 * URLs and clients of every failing triple, the time series in a bucket
 * size chosen from the time range, and the findings. The renderers only
 * format that view. Log-derived strings are escaped for each output:
 * terminal-safe text, JSON strings, CSV fields (quoted; a leading = + - @
 * is prefixed with ' so spreadsheets do not run it as a formula).
 */
#include "report.h"
#include "internal.h"
#include "platform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TOP 50
#define MAX_FAILS 40
#define FAIL_TOP 5
#define MAX_FINDINGS 10
#define MAX_BUCKETS 48

typedef struct kv {
    const char *k;
    size_t kn;
    uint64_t n;
    const void *val;
} kv;

typedef struct trow {
    il_triple_key k;
    uint32_t idx;        /* in the aggregator's triple table */
    const il_triple_stat *s;
    il_class cls;
    const char *title;
    const char *cause;   /* what it means / why, for failures */
    const char *action;  /* " ; "-separated */
    int documented;
    int say_win32_0;     /* label it "(win32 0)": a row without win32 has
                            the same status and sub-status */
} trow;

typedef struct fail {
    const trow *t;
    kv urls[FAIL_TOP], clients[FAIL_TOP];
    size_t nurls, nclients;
    uint64_t *series;    /* per bucket */
} fail;

typedef struct finding {
    uint64_t score;
    char kind[24];
    char text[400];
    char evidence[400];
} finding;

struct il_report {
    const il_run *run;
    const il_agg *a;
    il_report_opts o;
    trow *tri;
    size_t ntri;
    kv urls[MAX_TOP], clients[MAX_TOP], agents[MAX_TOP], methods[MAX_TOP],
        sites[MAX_TOP], reasons[MAX_TOP], asp[MAX_TOP], urlscan[MAX_TOP];
    size_t nurls, nclients, nagents, nmethods, nsites, nreasons, nasp, nurlscan;
    fail fails[MAX_FAILS];
    size_t nfails;
    int64_t bucket, t0;
    size_t nb;
    uint64_t (*series)[IL__CLASS_COUNT];
    il_usketch *blat;    /* latency per time bucket (from minute or hour histograms) */
    finding find[MAX_FINDINGS];
    size_t nfind;
    uint64_t errors, raw_errors, bad_total;
};

/* ---- helpers ---------------------------------------------------------------- */

static int kv_before(const kv *a, const kv *b)
{
    if (a->n != b->n)
        return a->n > b->n;
    size_t m = a->kn < b->kn ? a->kn : b->kn;
    int c = memcmp(a->k, b->k, m);
    return c ? c < 0 : a->kn < b->kn;
}

/* Insert x into the sorted top list (length *n, capacity cap). */
static void top_insert(kv *list, size_t *n, size_t cap, kv x)
{
    if (*n == cap && !kv_before(&x, &list[cap - 1]))
        return;
    size_t i = *n < cap ? (*n)++ : cap - 1;
    while (i > 0 && kv_before(&x, &list[i - 1])) {
        list[i] = list[i - 1];
        i--;
    }
    list[i] = x;
}

static size_t top_of(const il_strtab *t, kv *list, size_t cap)
{
    size_t n = 0;
    uint32_t cnt = il_strtab_count(t);
    for (uint32_t i = 0; i < cnt; i++) {
        kv x;
        x.k = il_strtab_key(t, i, &x.kn);
        x.val = il_strtab_val(t, i);
        x.n = *(const uint64_t *)x.val; /* every value starts with its count */
        top_insert(list, &n, cap, x);
    }
    return n;
}

static void civil(int64_t t, char *out, size_t cap, int with_date)
{
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    int64_t sec = t - days * 86400;
    /* days since 1970-01-01 to y-m-d (inverse of il_days_from_civil) */
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned d = doy - (153 * mp + 2) / 5 + 1;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    unsigned yy = (unsigned)(y < 0 ? 0 : y > 9999 ? 9999 : y);
    unsigned hh = (unsigned)(sec / 3600) % 24, mi = (unsigned)(sec / 60 % 60),
             ss = (unsigned)(sec % 60);
    if (with_date)
        snprintf(out, cap, "%04u-%02u-%02u %02u:%02u:%02u", yy % 10000, m % 13, d % 32,
                 hh, mi, ss);
    else
        snprintf(out, cap, "%02u:%02u", hh, mi);
}

/* UTC seconds to the report's local seconds (civil time written as if UTC). */
static int64_t local_of(const il_report *r, int64_t t)
{
    if (!r->o.tz_local)
        return t + r->o.tz_offset;
    return t + il_plat_utc_offset(t);
}

static void fmt_time(const il_report *r, int64_t t, char *out, size_t cap)
{
    if (t == INT64_MIN || t == INT64_MAX) {
        snprintf(out, cap, "-");
        return;
    }
    civil(local_of(r, t), out, cap, 1);
}

/* A bucket start (local seconds) as ISO 8601: UTC with Z when the report is
 * in UTC, else local time with its offset. */
static void iso_bucket(const il_report *r, int64_t local, char *out, size_t cap)
{
    char b[64];
    civil(local, b, sizeof b, 1);
    b[10] = 'T';
    int64_t off = r->o.tz_local ? il_plat_utc_offset(local - il_plat_utc_offset(local))
                                : r->o.tz_offset;
    if (off == 0 && !r->o.tz_local) {
        snprintf(out, cap, "\"%sZ\"", b);
        return;
    }
    int64_t a = off < 0 ? -off : off;
    snprintf(out, cap, "\"%s%c%02d:%02d\"", b, off < 0 ? '-' : '+', (int)(a / 3600),
             (int)(a / 60 % 60));
}

/* "s" after a count other than 1 ("1 line", "2 lines"). */
static const char *plural(uint64_t n)
{
    return n == 1 ? "" : "s";
}

static void iso_utc(int64_t t, char *out, size_t cap)
{
    if (t == INT64_MIN || t == INT64_MAX) {
        snprintf(out, cap, "null");
        return;
    }
    char b[64];
    civil(t, b, sizeof b, 1);
    b[10] = 'T';
    snprintf(out, cap, "\"%sZ\"", b);
}

static void code_str(const trow *t, char *out, size_t cap)
{
    const il_triple_key *k = &t->k;
    int n = k->status < 0 ? snprintf(out, cap, "%s-", k->proto ? "FTP " : "")
                          : snprintf(out, cap, "%s%d", k->proto ? "FTP " : "", k->status);
    if (k->sub >= 0 && k->status >= 0 && n > 0 && (size_t)n < cap) /* not "-.0" */
        n += snprintf(out + n, cap - (size_t)n, ".%d", k->sub);
    /* win32 0 is the usual value and goes unsaid, except where a row
     * that logged no win32 would read the same ("200" from a log without
     * sc-substatus and sc-win32-status, "200 (win32 0)" from one with the
     * second only) */
    if ((k->win32 > 0 || (k->win32 == 0 && t->say_win32_0)) && n > 0 && (size_t)n < cap)
        snprintf(out + n, cap - (size_t)n, " (win32 %lld)", (long long)k->win32);
}

static void describe(trow *t)
{
    const il_triple_key *k = &t->k;
    t->documented = 1;
    if (k->status < 0) {
        t->title = k->proto ? "no reply code logged (FTP connection or data channel event)"
                            : "no status logged";
        t->cause = "";
        t->action = "";
        return;
    }
    if (k->proto == 0) {
        il_win32 w;
        long long w32 = -1;
        if (k->win32 >= 0) {
            il_win32_decode((uint32_t)k->win32, &w);
            w32 = w.code;
        }
        const il_kb_combo *c = il_kb_combo_find(0, (unsigned)k->status, k->sub < 0 ? 0 : k->sub, w32);
        if (c && w32 < 0 && c->win32 >= 0)
            c = NULL;
        size_t n;
        const il_kb_entry *e = il_kb_http((unsigned)k->status, k->sub < 0 ? 0 : (unsigned)k->sub, &n);
        if (!e) {
            e = il_kb_http((unsigned)k->status, 0, &n);
            t->documented = 0;
        }
        if (c) {
            t->title = c->title;
            t->cause = c->reading;
            t->action = c->action;
        } else if (e) {
            t->title = t->documented ? e->title : "undocumented sub-status";
            t->cause = e->meaning;
            t->action = e->action;
        } else {
            t->title = "not a documented status";
            t->cause = "";
            t->action = "";
            t->documented = 0;
        }
        return;
    }
    const il_kb_entry *f = il_kb_ftp((unsigned)k->status);
    const il_kb_entry *s = k->sub > 0 ? il_kb_ftp_sub((unsigned)k->sub) : NULL;
    const il_kb_entry *e = s ? s : f;
    t->title = e ? e->title : "not a documented FTP reply";
    t->cause = e ? e->meaning : "";
    t->action = e ? e->action : "";
    t->documented = f != NULL && (k->sub <= 0 || s != NULL);
}

static int trow_before(const trow *a, const trow *b)
{
    if (a->s->n != b->s->n)
        return a->s->n > b->s->n;
    if (a->k.proto != b->k.proto)
        return a->k.proto < b->k.proto;
    if (a->k.status != b->k.status)
        return a->k.status < b->k.status;
    if (a->k.sub != b->k.sub)
        return a->k.sub < b->k.sub;
    return a->k.win32 < b->k.win32;
}

static int cmp_trow(const void *x, const void *y)
{
    const trow *a = x, *b = y;
    return trow_before(a, b) ? -1 : trow_before(b, a) ? 1 : 0;
}

/* The time bucket of a UTC minute. r->t0 is in local seconds; buckets are
 * local (so days start at local midnight, DST included). */
static size_t bucket_of(const il_report *r, int64_t minute)
{
    int64_t t = local_of(r, minute * 60);
    if (t < r->t0)
        return 0;
    size_t i = (size_t)((t - r->t0) / r->bucket);
    return i < r->nb ? i : r->nb - 1;
}

static int is_bot(const char *ua, size_t n)
{
    static const char *const marks[] = {
        "bot",   "crawl",  "spider", "slurp",   "curl/",   "wget",  "python-",
        "go-http-client", "zgrab", "masscan", "nmap", "nikto", "sqlmap", "scanner",
        "headless", "httpclient", "java/", "libwww"};
    for (size_t m = 0; m < sizeof marks / sizeof marks[0]; m++) {
        size_t ml = strlen(marks[m]);
        for (size_t i = 0; i + ml <= n; i++)
            if (il_casecmp(ua + i, ml, marks[m], ml) == 0)
                return 1;
    }
    return 0;
}

static void add_finding(il_report *r, uint64_t score, const char *kind,
                        const char *text, const char *evidence)
{
    finding f;
    memset(&f, 0, sizeof f);
    f.score = score;
    snprintf(f.kind, sizeof f.kind, "%s", kind);
    snprintf(f.text, sizeof f.text, "%s", text);
    snprintf(f.evidence, sizeof f.evidence, "%s", evidence);
    size_t i = r->nfind < MAX_FINDINGS ? r->nfind++ : MAX_FINDINGS - 1;
    if (r->nfind == MAX_FINDINGS && i == MAX_FINDINGS - 1 && r->find[i].score >= score &&
        r->find[i].kind[0])
        return;
    while (i > 0 && (r->find[i - 1].score < score ||
                     (r->find[i - 1].score == score && strcmp(r->find[i - 1].text, text) > 0))) {
        r->find[i] = r->find[i - 1];
        i--;
    }
    r->find[i] = f;
}

/* A short printable copy of log text for a finding (escaped, truncated). */
static void safe(char *out, size_t cap, const char *s, size_t n)
{
    il_buf b;
    il_buf_init(&b, 1 << 12);
    il_buf_term_str(&b, s, n > 120 ? 120 : n);
    snprintf(out, cap, "%s%s", b.data ? b.data : "", n > 120 ? "..." : "");
    il_buf_free(&b);
}

/* "/app/" plus a star when most of a failing triple's top URLs share a
 * first folder; else the top URL and its share. */
static void url_scope(const fail *f, char *out, size_t cap)
{
    if (f->nurls == 0) {
        snprintf(out, cap, "-");
        return;
    }
    const kv *top = &f->urls[0];
    const char *slash = top->kn > 1 ? memchr(top->k + 1, '/', top->kn - 1) : NULL;
    uint64_t same = 0;
    if (slash) {
        size_t pl = (size_t)(slash - top->k) + 1;
        for (size_t i = 0; i < f->nurls; i++)
            if (f->urls[i].kn >= pl && memcmp(f->urls[i].k, top->k, pl) == 0)
                same += f->urls[i].n;
        if (f->nurls > 1 && same * 10 >= f->t->s->n * 8) {
            char p[200];
            safe(p, sizeof p, top->k, pl);
            snprintf(out, cap, "%s*", p);
            return;
        }
    }
    char u[200];
    safe(u, sizeof u, top->k, top->kn);
    snprintf(out, cap, "%s (%.0f%%)", u, 100.0 * (double)top->n / (double)f->t->s->n);
}

static void build_findings(il_report *r)
{
    char text[400], ev[400], code[64], t1[64], t2[64], scope[260];
    for (size_t i = 0; i < r->nfails; i++) {
        const fail *f = &r->fails[i];
        const trow *t = f->t;
        if (t->cls != IL_CLASS_SERVER_ERROR || t->s->n < 3)
            continue;
        code_str(t, code, sizeof code);
        fmt_time(r, t->s->first, t1, sizeof t1);
        fmt_time(r, t->s->last, t2, sizeof t2);
        url_scope(f, scope, sizeof scope);
        snprintf(text, sizeof text, "%llu x %s: %s", (unsigned long long)t->s->n, code, t->title);
        int w = snprintf(ev, sizeof ev, "from %s to %s, on %s", t1, t2, scope);
        if (t->s->taken_n && w > 0 && (size_t)w < sizeof ev)
            snprintf(ev + w, sizeof ev - (size_t)w, "; average time-taken %llu ms",
                     (unsigned long long)(t->s->taken_sum / t->s->taken_n));
        add_finding(r, 3000000 + t->s->n, "server_error", text, ev);
    }
    uint32_t nc = il_strtab_count(r->a->clients);
    for (uint32_t i = 0; i < nc; i++) {
        size_t kl;
        const char *k = il_strtab_key(r->a->clients, i, &kl);
        const il_client_stat *c = il_strtab_val(r->a->clients, i);
        char who[160];
        if (c->auth_fail >= 10) {
            safe(who, sizeof who, k, kl);
            fmt_time(r, c->first, t1, sizeof t1);
            fmt_time(r, c->last, t2, sizeof t2);
            snprintf(text, sizeof text, "%llu failed logons (401 security failures) from %s",
                     (unsigned long long)c->auth_fail, who);
            snprintf(ev, sizeof ev, "between %s and %s; possible password guessing or a "
                     "service with an expired password", t1, t2);
            add_finding(r, 2000000 + c->auth_fail, "auth_failures", text, ev);
        }
        if (c->not_found >= 20 && c->not_found * 2 >= c->n) {
            safe(who, sizeof who, k, kl);
            snprintf(text, sizeof text, "%s requested %llu missing or blocked URLs (404)",
                     who, (unsigned long long)c->not_found);
            snprintf(ev, sizeof ev, "%llu of its %llu requests; looks like a scanner",
                     (unsigned long long)c->not_found, (unsigned long long)c->n);
            add_finding(r, 1000000 + c->not_found, "scanner", text, ev);
        }
    }
    for (size_t i = 0; i < r->nreasons; i++) {
        const il_kb_entry *e = il_kb_httperr(r->reasons[i].k, r->reasons[i].kn);
        if (!e || e->cls != IL_CLASS_SERVER_ERROR)
            continue;
        snprintf(text, sizeof text, "HTTP.sys %s (%llu event%s): %s", e->key,
                 (unsigned long long)r->reasons[i].n, plural(r->reasons[i].n),
                 e->title);
        snprintf(ev, sizeof ev, "in the HTTPERR log; the request never reached the site's log");
        add_finding(r, 2500000 + r->reasons[i].n, "httperr", text, ev);
    }
    for (size_t i = 0; i < r->nurls; i++) {
        const il_url_stat *u = r->urls[i].val;
        if (u->aborts >= 10 && u->aborts * 5 >= u->n) {
            char url[200];
            safe(url, sizeof url, r->urls[i].k, r->urls[i].kn);
            snprintf(text, sizeof text, "clients gave up on %s %llu times", url,
                     (unsigned long long)u->aborts);
            snprintf(ev, sizeof ev, "%llu of %llu requests ended in a client abort; "
                     "max time-taken %llu ms", (unsigned long long)u->aborts,
                     (unsigned long long)u->n, (unsigned long long)u->taken_max);
            add_finding(r, 500000 + u->aborts, "client_aborts", text, ev);
        }
    }
    if (r->bad_total) {
        snprintf(text, sizeof text, "%llu log lines could not be read",
                 (unsigned long long)r->bad_total);
        snprintf(ev, sizeof ev, "see the malformed-line summary for the reasons and the first lines");
        add_finding(r, 100000 + r->bad_total, "malformed", text, ev);
    }
}

il_report *il_report_build(const il_run *run, const il_report_opts *o)
{
    il_report *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->run = run;
    r->a = run->agg;
    r->o = *o;
    if (r->o.top == 0)
        r->o.top = 10;
    if (r->o.top > MAX_TOP)
        r->o.top = MAX_TOP;
    const il_agg *a = r->a;
    for (int b = 0; b < IL__BAD_COUNT; b++)
        r->bad_total += a->bad[b];

    /* status triples */
    uint32_t nt = il_strtab_count(a->triples);
    r->tri = calloc(nt ? nt : 1, sizeof *r->tri);
    if (!r->tri) {
        il_report_free(r);
        return NULL;
    }
    for (uint32_t i = 0; i < nt; i++) {
        size_t kl;
        const char *k = il_strtab_key(a->triples, i, &kl);
        trow *t = &r->tri[r->ntri++];
        memcpy(&t->k, k, sizeof t->k);
        t->idx = i;
        t->s = il_strtab_val(a->triples, i);
        t->cls = (il_class)t->s->cls;
        describe(t);
        if (il_class_is_error(t->cls))
            r->errors += t->s->n;
        if (t->k.status >= 400)
            r->raw_errors += t->s->n;
        if (t->k.win32 == 0) {
            il_triple_key none = t->k; /* the same with win32 not logged */
            none.win32 = -1;
            t->say_win32_0 = il_strtab_find(a->triples, &none, sizeof none) != NULL;
        }
    }
    qsort(r->tri, r->ntri, sizeof *r->tri, cmp_trow);

    r->nurls = top_of(a->urls, r->urls, MAX_TOP);
    r->nclients = top_of(a->clients, r->clients, MAX_TOP);
    r->nagents = top_of(a->agents, r->agents, MAX_TOP);
    r->nmethods = top_of(a->methods, r->methods, MAX_TOP);
    r->nsites = top_of(a->sites, r->sites, MAX_TOP);
    r->nreasons = top_of(a->reasons, r->reasons, MAX_TOP);
    r->nasp = top_of(a->asp, r->asp, MAX_TOP);
    r->nurlscan = top_of(a->urlscan, r->urlscan, MAX_TOP);

    /* time buckets: the smallest step giving at most MAX_BUCKETS rows */
    static const int64_t steps[] = {60,     300,    900,     3600,   10800,
                                    21600,  86400,  604800,  2419200, 31449600};
    if (a->first != INT64_MAX && a->last != INT64_MIN) {
        int64_t span = a->last - a->first + 1;
        r->bucket = steps[sizeof steps / sizeof steps[0] - 1];
        for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
            if ((span + steps[i] - 1) / steps[i] + 1 <= MAX_BUCKETS) {
                r->bucket = steps[i];
                break;
            }
        int64_t f = local_of(r, a->first), l = local_of(r, a->last);
        r->t0 = f >= 0 ? f / r->bucket * r->bucket : (f - r->bucket + 1) / r->bucket * r->bucket;
        r->nb = (size_t)((l - r->t0) / r->bucket + 1);
        if (r->nb > 512) /* times decades apart (bad clocks): the rest joins the last */
            r->nb = 512;
        r->series = calloc(r->nb, sizeof *r->series);
        if (r->series) {
            uint32_t nm = il_strtab_count(a->minutes);
            for (uint32_t i = 0; i < nm; i++) {
                size_t kl;
                int64_t minute;
                memcpy(&minute, il_strtab_key(a->minutes, i, &kl), sizeof minute);
                const il_time_stat *ts = il_strtab_val(a->minutes, i);
                size_t b = bucket_of(r, minute);
                for (int c = 0; c < IL__CLASS_COUNT; c++)
                    r->series[b][c] += ts->by_class[c];
            }
        }
    }

    /* latency per bucket: minute histograms under an hour per bucket,
     * hour histograms above (an hour that straddles two buckets counts in
     * the one holding its start) */
    if (r->nb && (r->blat = calloc(r->nb, sizeof *r->blat)) != NULL) {
        int hourly = r->bucket >= 3600;
        const il_strtab *lt = hourly ? a->lat_hour : a->lat_min;
        uint32_t nl = il_strtab_count(lt);
        for (uint32_t i = 0; i < nl; i++) {
            size_t kl;
            int64_t v;
            memcpy(&v, il_strtab_key(lt, i, &kl), sizeof v);
            il_usketch_merge(&r->blat[bucket_of(r, hourly ? v * 60 : v)], il_strtab_val(lt, i));
        }
    }

    /* failing triples: their top URLs, clients and series */
    for (size_t i = 0; i < r->ntri && r->nfails < MAX_FAILS; i++)
        if (il_class_is_error(r->tri[i].cls)) {
            fail *f = &r->fails[r->nfails++];
            f->t = &r->tri[i];
            f->series = r->nb ? calloc(r->nb, sizeof *f->series) : NULL;
        }
    /* fail_of[triple index]: its place in fails + 1, 0 if not failing */
    uint32_t *fail_of = calloc(nt ? nt : 1, sizeof *fail_of);
    if (!fail_of) {
        il_report_free(r);
        return NULL;
    }
    for (size_t j = 0; j < r->nfails; j++)
        fail_of[r->fails[j].t->idx] = (uint32_t)j + 1;
    const il_pairtab *pt[2] = {a->t_url, a->t_client};
    const il_strtab *names[2] = {a->urls, a->clients};
    for (int which = 0; which < 2; which++) {
        uint32_t np = il_pairtab_count(pt[which]);
        for (uint32_t i = 0; i < np; i++) {
            uint64_t key, n = il_pairtab_at(pt[which], i, &key);
            uint32_t t = il_pair_a(key);
            int64_t b = il_pair_b(key);
            if (t >= nt || !fail_of[t] || b < 0 || b >= il_strtab_count(names[which]))
                continue; /* "other" triple, URL or client */
            fail *f = &r->fails[fail_of[t] - 1];
            kv x = {NULL, 0, n, NULL};
            x.k = il_strtab_key(names[which], (uint32_t)b, &x.kn);
            if (which == 0)
                top_insert(f->urls, &f->nurls, FAIL_TOP, x);
            else
                top_insert(f->clients, &f->nclients, FAIL_TOP, x);
        }
    }
    uint32_t np = il_pairtab_count(a->t_minute);
    for (uint32_t i = 0; i < np && r->nb; i++) {
        uint64_t key, n = il_pairtab_at(a->t_minute, i, &key);
        uint32_t t = il_pair_a(key);
        if (t < nt && fail_of[t] && r->fails[fail_of[t] - 1].series)
            r->fails[fail_of[t] - 1].series[bucket_of(r, il_pair_b(key))] += n;
    }
    free(fail_of);
    build_findings(r);
    return r;
}

void il_report_free(il_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nfails; i++)
        free(r->fails[i].series);
    free(r->series);
    free(r->blat);
    free(r->tri);
    free(r);
}

/* What family an ASP error number in "page  number|text" belongs to. */
static const char *asp_kind(const char *k, size_t n)
{
    const char *sep = il_memmem(k, n, "  ", 2);
    if (!sep)
        return "";
    const char *e = sep + 2;
    size_t en = n - (size_t)(e - k);
    if (en >= 8 && il_casecmp(e, 8, "ASP_0113", 8) == 0)
        return "ASP engine: the script ran longer than the ASP script time-out "
               "(IIS Manager > ASP > Limits Properties > Script Time-out)";
    if (en >= 4 && il_casecmp(e, 4, "ASP_", 4) == 0)
        return "ASP engine error (ASP_0xxx): the page or its includes could not be processed";
    if (en >= 4 && il_casecmp(e, 4, "800a", 4) == 0)
        return "VBScript runtime error (800Axxxx) in the page's code: fix the script at the line given";
    if (en >= 8 && memcmp(e, "80004005", 8) == 0)
        return "unspecified COM error, most often from the data provider (ODBC/OLE DB): "
               "check the connection string, the database and its permissions";
    if (en >= 4 && il_casecmp(e, 4, "8004", 4) == 0)
        return "COM or OLE DB error (8004xxxx), usually the database call the page made";
    return "error written by the page or a component (Response.AppendToLog or ASP)";
}

/* ---- text ----------------------------------------------------------------------- */

static void term(il_buf *b, const char *s, size_t n, size_t maxw)
{
    /* escaped; a long value keeps its start and its end (where user agents
     * and URLs differ most) around "...", cut on UTF-8 character starts */
    if (maxw > 8 && n > maxw) {
        size_t head = (maxw - 3) / 2, tail = maxw - 3 - head;
        while (head > 0 && ((unsigned char)s[head] & 0xC0) == 0x80)
            head--;
        size_t from = n - tail;
        while (from < n && ((unsigned char)s[from] & 0xC0) == 0x80)
            from++;
        il_buf_term_str(b, s, head);
        il_buf_puts(b, "...");
        il_buf_term_str(b, s + from, n - from);
    } else {
        il_buf_term_str(b, s, n);
    }
}

static void head(il_buf *b, const il_report *r, const char *title)
{
    if (r->o.color)
        il_buf_printf(b, "\n\033[1m%s\033[0m\n", title);
    else
        il_buf_printf(b, "\n%s\n", title);
}

static double pct(uint64_t a, uint64_t b)
{
    return b ? 100.0 * (double)a / (double)b : 0.0;
}

static void human_bytes(uint64_t v, char *out, size_t cap)
{
    static const char *const u[] = {"B", "KB", "MB", "GB", "TB", "PB"};
    double d = (double)v;
    int i = 0;
    while (d >= 1024 && i < 5) {
        d /= 1024;
        i++;
    }
    snprintf(out, cap, i ? "%.1f %s" : "%.0f %s", d, u[i]);
}

static void kv_table(il_buf *b, const il_report *r, const char *title,
                     const kv *list, size_t n, uint64_t total, int bots)
{
    if (n == 0)
        return;
    head(b, r, title);
    size_t lim = n < r->o.top ? n : r->o.top;
    size_t w = r->o.width > 30 ? r->o.width - 22 : 60;
    for (size_t i = 0; i < lim; i++) {
        il_buf_printf(b, "  %10llu %5.1f%%  ", (unsigned long long)list[i].n,
                      pct(list[i].n, total));
        if (bots) { /* user agents: IIS logs spaces as '+' */
            char dec[IL_STRTAB_MAX_KEY];
            term(b, dec, il_unplus(dec, sizeof dec, (il_str){list[i].k, list[i].kn}), w);
        } else {
            term(b, list[i].k, list[i].kn, w);
        }
        if (bots && is_bot(list[i].k, list[i].kn))
            il_buf_puts(b, "  [bot]");
        il_buf_putc(b, '\n');
    }
}

static void latency_line(il_buf *b, const char *label, const il_sketch *s)
{
    if (s->n == 0)
        return;
    il_buf_printf(b, "  %-16s %10llu %8llu %8llu %8llu %10llu\n", label,
                  (unsigned long long)s->n,
                  (unsigned long long)il_sketch_quantile(s, 0.50),
                  (unsigned long long)il_sketch_quantile(s, 0.90),
                  (unsigned long long)il_sketch_quantile(s, 0.99),
                  (unsigned long long)s->max);
}

void il_report_text(il_buf *b, const il_report *r)
{
    const il_agg *a = r->a;
    const il_run *run = r->run;
    char t1[64], t2[64], by[32];
    il_buf_puts(b, r->o.color ? "\033[1miislens report\033[0m\n" : "iislens report\n");

    head(b, r, "Summary");
    il_buf_printf(b, "  files      %zu (", run->nfiles);
    unsigned fmts[IL__FMT_COUNT] = {0};
    for (size_t i = 0; i < run->nfiles; i++)
        fmts[run->files[i].format]++;
    int first = 1;
    for (int f = 0; f < IL__FMT_COUNT; f++)
        if (fmts[f]) {
            il_buf_printf(b, "%s%u %s", first ? "" : ", ", fmts[f], il_format_name((il_format)f));
            first = 0;
        }
    human_bytes(run->bytes, by, sizeof by);
    il_buf_printf(b, "), %s read\n", by);
    for (size_t i = 0; i < run->nfiles; i++)
        if (run->files[i].error[0]) {
            il_buf_puts(b, "  error      ");
            term(b, run->files[i].error, strlen(run->files[i].error), 0);
            il_buf_putc(b, '\n');
        }
    fmt_time(r, a->first, t1, sizeof t1);
    fmt_time(r, a->last, t2, sizeof t2);
    il_buf_printf(b, "  time       %s to %s (%s)\n", t1, t2, r->o.tz_name ? r->o.tz_name : "UTC");
    il_buf_printf(b, "  requests   %llu", (unsigned long long)a->requests);
    if (a->ftp)
        il_buf_printf(b, " (%llu HTTP, %llu FTP command%s)", (unsigned long long)a->http,
                      (unsigned long long)a->ftp, plural(a->ftp));
    il_buf_putc(b, '\n');
    if (a->httperr)
        il_buf_printf(b, "  httperr    %llu HTTP.sys error event%s\n", (unsigned long long)a->httperr,
                      plural(a->httperr));
    if (a->bytes) {
        human_bytes(a->bytes, by, sizeof by);
        il_buf_printf(b, "  sent       %s\n", by);
    }
    il_buf_printf(b, "  clients    %.0f distinct (estimate)\n",
                  a->requests ? il_hll_estimate(&a->clients_hll) : 0.0);
    if (r->nsites) {
        il_buf_puts(b, "  sites      ");
        for (size_t i = 0; i < r->nsites && i < 10; i++) {
            if (i)
                il_buf_puts(b, ", ");
            term(b, r->sites[i].k, r->sites[i].kn, 40);
        }
        il_buf_putc(b, '\n');
    }
    uint64_t hs = a->by_class[IL_CLASS_AUTH_HANDSHAKE], ab = a->by_class[IL_CLASS_CLIENT_ABORT];
    il_buf_printf(b, "  errors     %.2f%% (%llu) not counting %llu auth handshake%s and %llu client abort%s;\n"
                     "             %.2f%% (%llu) of all responses had status 400 or above\n",
                  pct(r->errors, a->requests), (unsigned long long)r->errors,
                  (unsigned long long)hs, plural(hs), (unsigned long long)ab, plural(ab),
                  pct(r->raw_errors, a->requests), (unsigned long long)r->raw_errors);
    if (r->bad_total) {
        il_buf_printf(b, "  malformed  %llu line%s\n", (unsigned long long)r->bad_total,
                      plural(r->bad_total));
        for (int k = 0; k < IL__BAD_COUNT; k++) {
            if (!a->bad[k])
                continue;
            il_buf_printf(b, "    %8llu  %s", (unsigned long long)a->bad[k], il_bad_text((il_bad)k));
            for (uint32_t i = 0; i < a->nbad_sample[k]; i++) {
                il_buf_puts(b, i ? ", " : ": ");
                term(b, a->bad_sample[k][i].file, strlen(a->bad_sample[k][i].file), 0);
                il_buf_printf(b, ":%llu", (unsigned long long)a->bad_sample[k][i].line);
            }
            il_buf_putc(b, '\n');
        }
    }

    if (r->nfind) {
        head(b, r, "Look here first");
        for (size_t i = 0; i < r->nfind; i++)
            il_buf_printf(b, "  %zu. %s\n     %s\n", i + 1, r->find[i].text, r->find[i].evidence);
    }

    if (r->ntri) {
        head(b, r, "Status codes");
        il_buf_printf(b, "  %10s %6s  %-26s %-15s %s\n", "count", "share", "code", "class", "meaning");
        char code[64];
        for (size_t i = 0; i < r->ntri; i++) {
            const trow *t = &r->tri[i];
            code_str(t, code, sizeof code);
            il_buf_printf(b, "  %10llu %5.1f%%  %-26s %-15s %s\n", (unsigned long long)t->s->n,
                          pct(t->s->n, a->requests), code, il_class_label(t->cls), t->title);
        }
    }
    if (r->nfails) {
        head(b, r, "Failing codes: where, who, when, and what to do");
        char code[64];
        for (size_t i = 0; i < r->nfails; i++) {
            const fail *f = &r->fails[i];
            const trow *t = f->t;
            code_str(t, code, sizeof code);
            fmt_time(r, t->s->first, t1, sizeof t1);
            fmt_time(r, t->s->last, t2, sizeof t2);
            il_buf_printf(b, "  %s  %s  [%s]\n", code, t->title, il_class_label(t->cls));
            il_buf_printf(b, "    count %llu, first %s, last %s",
                          (unsigned long long)t->s->n, t1, t2);
            if (t->s->taken_n)
                il_buf_printf(b, ", time-taken avg %llu ms max %llu ms",
                              (unsigned long long)(t->s->taken_sum / t->s->taken_n),
                              (unsigned long long)t->s->taken_max);
            il_buf_putc(b, '\n');
            if (t->action && *t->action) {
                const char *semi = strstr(t->action, " ; ");
                size_t an = semi ? (size_t)(semi - t->action) : strlen(t->action);
                il_buf_printf(b, "    do:     %.*s\n", (int)an, t->action);
            }
            for (size_t j = 0; j < f->nurls; j++) {
                il_buf_printf(b, "    %-7s %8llu  ", j ? "" : "urls:", (unsigned long long)f->urls[j].n);
                term(b, f->urls[j].k, f->urls[j].kn, r->o.width > 40 ? r->o.width - 22 : 60);
                il_buf_putc(b, '\n');
            }
            for (size_t j = 0; j < f->nclients; j++) {
                il_buf_printf(b, "    %-7s %8llu  ", j ? "" : "clients:", (unsigned long long)f->clients[j].n);
                term(b, f->clients[j].k, f->clients[j].kn, 60);
                il_buf_putc(b, '\n');
            }
        }
        il_buf_puts(b, "  (`iislens explain CODE` gives the full explanation of any code)\n");
    }

    if (r->nb && r->series) {
        /* the step in the largest unit it is a whole number of */
        static const struct {
            int64_t secs;
            const char *one, *many;
        } units[] = {{604800, "week", "weeks"}, {86400, "day", "days"}, {3600, "hour", "hours"}};
        char step[32];
        snprintf(step, sizeof step, "%lld min", (long long)(r->bucket / 60));
        for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
            if (r->bucket % units[u].secs == 0) {
                int64_t k = r->bucket / units[u].secs;
                if (k == 1)
                    snprintf(step, sizeof step, "%s", units[u].one);
                else
                    snprintf(step, sizeof step, "%lld %s", (long long)k, units[u].many);
                break;
            }
        }
        char lab[96];
        snprintf(lab, sizeof lab, "Over time (per %s, %s)", step, r->o.tz_name ? r->o.tz_name : "UTC");
        head(b, r, lab);
        il_buf_printf(b, "  %-19s %9s %9s %9s %9s %9s %9s\n", "from", "requests", "2xx/3xx",
                      "client", "server", "security", "hs/abort");
        size_t quiet = 0;
        for (size_t i = 0; i < r->nb; i++) {
            const uint64_t *c = r->series[i];
            uint64_t tot = 0;
            for (int k = 0; k < IL__CLASS_COUNT; k++)
                tot += c[k];
            if (tot == 0) { /* runs of empty buckets are shown as one line */
                quiet++;
                continue;
            }
            if (quiet)
                il_buf_printf(b, "  %-19s %9s  (%zu empty row%s)\n", "...", "0", quiet,
                              plural(quiet));
            quiet = 0;
            civil(r->t0 + (int64_t)i * r->bucket, t1, sizeof t1, 1);
            il_buf_printf(b, "  %-19s %9llu %9llu %9llu %9llu %9llu %9llu\n", t1,
                          (unsigned long long)tot,
                          (unsigned long long)(c[IL_CLASS_SUCCESS] + c[IL_CLASS_REDIRECT] + c[IL_CLASS_INFO]),
                          (unsigned long long)c[IL_CLASS_CLIENT_ERROR],
                          (unsigned long long)c[IL_CLASS_SERVER_ERROR],
                          (unsigned long long)c[IL_CLASS_SECURITY],
                          (unsigned long long)(c[IL_CLASS_AUTH_HANDSHAKE] + c[IL_CLASS_CLIENT_ABORT]));
        }
    }

    if (a->all.n) {
        head(b, r, "Latency (time-taken, ms)");
        il_buf_printf(b, "  %-16s %10s %8s %8s %8s %10s\n", "", "requests", "p50", "p90", "p99", "max");
        latency_line(b, "all", &a->all);
        for (int c = 1; c < IL__CLASS_COUNT; c++)
            latency_line(b, il_class_label((il_class)c), &a->by_cls[c]);
        size_t shown = 0;
        for (size_t i = 0; i < r->nurls && shown < r->o.top; i++) {
            const il_url_stat *u = r->urls[i].val;
            if (u->sketch < 0 || !a->sk)
                continue;
            if (!shown)
                il_buf_puts(b, "  top URLs:\n");
            il_usketch us;
            il_agg_url_sketch(a, u->sketch, &us);
            const il_usketch *s = &us;
            il_buf_printf(b, "  %-16s %10llu %8llu %8llu %8llu %10llu  ", "",
                          (unsigned long long)u->taken_n,
                          (unsigned long long)il_usketch_quantile(s, u->taken_n, u->taken_max, 0.5),
                          (unsigned long long)il_usketch_quantile(s, u->taken_n, u->taken_max, 0.9),
                          (unsigned long long)il_usketch_quantile(s, u->taken_n, u->taken_max, 0.99),
                          (unsigned long long)u->taken_max);
            term(b, r->urls[i].k, r->urls[i].kn, 50);
            il_buf_putc(b, '\n');
            shown++;
        }
    }

    kv_table(b, r, "Top URLs", r->urls, r->nurls, a->requests, 0);
    kv_table(b, r, "Top clients (X-Forwarded-For when logged, else c-ip)", r->clients,
             r->nclients, a->requests, 0);
    kv_table(b, r, "Top user agents", r->agents, r->nagents, a->requests, 1);
    kv_table(b, r, "Methods", r->methods, r->nmethods, a->requests, 0);
    if (r->nsites > 1)
        kv_table(b, r, "Sites", r->sites, r->nsites, a->requests, 0);
    if (r->nreasons) {
        head(b, r, "HTTP.sys errors (HTTPERR)");
        for (size_t i = 0; i < r->nreasons && i < r->o.top; i++) {
            const il_kb_entry *e = il_kb_httperr(r->reasons[i].k, r->reasons[i].kn);
            il_buf_printf(b, "  %10llu  ", (unsigned long long)r->reasons[i].n);
            term(b, r->reasons[i].k, r->reasons[i].kn, 40);
            if (e)
                il_buf_printf(b, "  [%s] %s", il_class_label(e->cls), e->title);
            il_buf_putc(b, '\n');
        }
    }
    if (r->nasp) {
        head(b, r, "Classic ASP errors (from cs-uri-query: page  number|description)");
        for (size_t i = 0; i < r->nasp && i < r->o.top; i++) {
            il_buf_printf(b, "  %10llu  ", (unsigned long long)r->asp[i].n);
            term(b, r->asp[i].k, r->asp[i].kn, r->o.width > 20 ? r->o.width - 14 : 80);
            il_buf_printf(b, "\n              %s\n", asp_kind(r->asp[i].k, r->asp[i].kn));
        }
    }
    if (r->nurlscan) {
        head(b, r, "Rejected by URLScan (original paths)");
        for (size_t i = 0; i < r->nurlscan && i < r->o.top; i++) {
            il_buf_printf(b, "  %10llu  ", (unsigned long long)r->urlscan[i].n);
            term(b, r->urlscan[i].k, r->urlscan[i].kn, 80);
            il_buf_putc(b, '\n');
        }
    }
    uint64_t dropped = il_strtab_dropped(a->urls) + il_strtab_dropped(a->clients) +
                       il_strtab_dropped(a->agents);
    if (dropped)
        il_buf_printf(b, "\n  note: %llu requests had a URL, client or agent beyond the tables' "
                         "limits; they count in totals but not in the top lists\n",
                      (unsigned long long)dropped);
}

/* ---- JSON -------------------------------------------------------------------------- */

static void js(il_buf *b, const char *s, size_t n)
{
    il_buf_putc(b, '"');
    il_buf_json_str(b, s, n);
    il_buf_putc(b, '"');
}

static void jz(il_buf *b, const char *s)
{
    js(b, s, strlen(s));
}

static void json_kv(il_buf *b, const char *name, const kv *list, size_t n, size_t lim, int bots)
{
    il_buf_printf(b, ",\n  \"%s\": [", name);
    for (size_t i = 0; i < n && i < lim; i++) {
        il_buf_puts(b, i ? ",\n    {\"key\":" : "\n    {\"key\":");
        if (bots) { /* user agents: IIS logs spaces as '+' */
            char dec[IL_STRTAB_MAX_KEY];
            js(b, dec, il_unplus(dec, sizeof dec, (il_str){list[i].k, list[i].kn}));
        } else {
            js(b, list[i].k, list[i].kn);
        }
        il_buf_printf(b, ",\"count\":%llu", (unsigned long long)list[i].n);
        if (bots)
            il_buf_printf(b, ",\"bot\":%s", is_bot(list[i].k, list[i].kn) ? "true" : "false");
        il_buf_putc(b, '}');
    }
    il_buf_puts(b, n ? "\n  ]" : "]");
}

static void json_sketch(il_buf *b, const il_sketch *s)
{
    il_buf_printf(b, "{\"count\":%llu,\"p50\":%llu,\"p90\":%llu,\"p99\":%llu,\"max\":%llu}",
                  (unsigned long long)s->n, (unsigned long long)il_sketch_quantile(s, 0.5),
                  (unsigned long long)il_sketch_quantile(s, 0.9),
                  (unsigned long long)il_sketch_quantile(s, 0.99), (unsigned long long)s->max);
}

void il_report_json(il_buf *b, const il_report *r)
{
    const il_agg *a = r->a;
    const il_run *run = r->run;
    char t[80];
    /* no thread count here: the output must not depend on it */
    il_buf_printf(b, "{\n  \"run\": {\"version\":\"%s\",\"top\":%u,\"tz\":",
                  IISLENS_VERSION, r->o.top);
    jz(b, r->o.tz_name ? r->o.tz_name : "UTC");
    il_buf_puts(b, "},\n  \"summary\": {");
    il_buf_printf(b, "\"requests\":%llu,\"http\":%llu,\"ftp\":%llu,\"httperr\":%llu,\"bytes_sent\":%llu,",
                  (unsigned long long)a->requests, (unsigned long long)a->http,
                  (unsigned long long)a->ftp, (unsigned long long)a->httperr,
                  (unsigned long long)a->bytes);
    il_buf_printf(b, "\"malformed\":%llu,", (unsigned long long)r->bad_total);
    iso_utc(a->first, t, sizeof t);
    il_buf_printf(b, "\"first\":%s,", t);
    iso_utc(a->last, t, sizeof t);
    il_buf_printf(b, "\"last\":%s,", t);
    il_buf_printf(b, "\"clients_estimate\":%.0f,", a->requests ? il_hll_estimate(&a->clients_hll) : 0.0);
    il_buf_printf(b, "\"errors\":%llu,\"errors_status_400_plus\":%llu,",
                  (unsigned long long)r->errors, (unsigned long long)r->raw_errors);
    il_buf_puts(b, "\"by_class\":{");
    for (int c = 1; c < IL__CLASS_COUNT; c++)
        il_buf_printf(b, "%s\"%s\":%llu", c > 1 ? "," : "", il_class_name((il_class)c),
                      (unsigned long long)a->by_class[c]);
    il_buf_puts(b, "},\"malformed_by_reason\":[");
    int fb = 1;
    for (int k = 0; k < IL__BAD_COUNT; k++) {
        if (!a->bad[k])
            continue;
        il_buf_printf(b, "%s{\"reason\":\"%s\",\"count\":%llu,\"first\":[", fb ? "" : ",",
                      il_bad_name((il_bad)k), (unsigned long long)a->bad[k]);
        for (uint32_t i = 0; i < a->nbad_sample[k]; i++) {
            il_buf_puts(b, i ? ",{\"file\":" : "{\"file\":");
            jz(b, a->bad_sample[k][i].file);
            il_buf_printf(b, ",\"line\":%llu}", (unsigned long long)a->bad_sample[k][i].line);
        }
        il_buf_puts(b, "]}");
        fb = 0;
    }
    il_buf_printf(b, "],\"files_total\":%zu,\"files\":[", run->nfiles);
    for (size_t i = 0; i < run->nfiles && i < 1000; i++) { /* the first 1000 */
        const il_file_info *f = &run->files[i];
        il_buf_puts(b, i ? ",{\"path\":" : "{\"path\":");
        jz(b, f->path);
        il_buf_printf(b, ",\"format\":\"%s\",\"compressed\":%s,\"site\":", il_format_name(f->format),
                      f->compressed == 1 ? "\"gzip\"" : f->compressed == 2 ? "\"zstd\"" : "null");
        if (f->site[0])
            jz(b, f->site);
        else
            il_buf_puts(b, "null");
        il_buf_printf(b, ",\"bytes\":%llu,\"lines\":%llu,\"error\":", (unsigned long long)f->bytes,
                      (unsigned long long)f->lines);
        if (f->error[0])
            jz(b, f->error);
        else
            il_buf_puts(b, "null");
        il_buf_putc(b, '}');
    }
    il_buf_puts(b, "]},\n  \"findings\": [");
    for (size_t i = 0; i < r->nfind; i++) {
        il_buf_puts(b, i ? ",\n    {\"kind\":" : "\n    {\"kind\":");
        jz(b, r->find[i].kind);
        il_buf_puts(b, ",\"text\":");
        jz(b, r->find[i].text);
        il_buf_puts(b, ",\"evidence\":");
        jz(b, r->find[i].evidence);
        il_buf_putc(b, '}');
    }
    il_buf_puts(b, r->nfind ? "\n  ],\n  \"codes\": [" : "],\n  \"codes\": [");
    for (size_t i = 0; i < r->ntri; i++) {
        const trow *tr = &r->tri[i];
        il_buf_printf(b, "%s{\"proto\":\"%s\",\"status\":%d,\"substatus\":", i ? ",\n    " : "\n    ",
                      tr->k.proto ? "ftp" : "http", tr->k.status);
        if (tr->k.sub >= 0)
            il_buf_printf(b, "%d", tr->k.sub);
        else
            il_buf_puts(b, "null");
        il_buf_puts(b, ",\"win32\":");
        if (tr->k.win32 >= 0)
            il_buf_printf(b, "%lld", (long long)tr->k.win32);
        else
            il_buf_puts(b, "null");
        il_buf_printf(b, ",\"count\":%llu,\"class\":\"%s\",\"title\":", (unsigned long long)tr->s->n,
                      il_class_name(tr->cls));
        jz(b, tr->title);
        il_buf_printf(b, ",\"documented\":%s", tr->documented ? "true" : "false");
        iso_utc(tr->s->first, t, sizeof t);
        il_buf_printf(b, ",\"first\":%s", t);
        iso_utc(tr->s->last, t, sizeof t);
        il_buf_printf(b, ",\"last\":%s", t);
        if (il_class_is_error(tr->cls)) {
            il_buf_puts(b, ",\"cause\":");
            jz(b, tr->cause ? tr->cause : "");
            il_buf_puts(b, ",\"action\":");
            jz(b, tr->action ? tr->action : "");
        }
        il_buf_putc(b, '}');
    }
    il_buf_puts(b, r->ntri ? "\n  ],\n  \"failing\": [" : "],\n  \"failing\": [");
    for (size_t i = 0; i < r->nfails; i++) {
        const fail *f = &r->fails[i];
        il_buf_printf(b, "%s{\"status\":%d,\"substatus\":", i ? ",\n    " : "\n    ",
                      f->t->k.status);
        if (f->t->k.sub >= 0)
            il_buf_printf(b, "%d", f->t->k.sub);
        else
            il_buf_puts(b, "null");
        il_buf_puts(b, ",\"win32\":");
        if (f->t->k.win32 >= 0)
            il_buf_printf(b, "%lld", (long long)f->t->k.win32);
        else
            il_buf_puts(b, "null");
        il_buf_printf(b, ",\"proto\":\"%s\",\"urls\":[", f->t->k.proto ? "ftp" : "http");
        for (size_t j = 0; j < f->nurls; j++) {
            il_buf_puts(b, j ? ",{\"url\":" : "{\"url\":");
            js(b, f->urls[j].k, f->urls[j].kn);
            il_buf_printf(b, ",\"count\":%llu}", (unsigned long long)f->urls[j].n);
        }
        il_buf_puts(b, "],\"clients\":[");
        for (size_t j = 0; j < f->nclients; j++) {
            il_buf_puts(b, j ? ",{\"client\":" : "{\"client\":");
            js(b, f->clients[j].k, f->clients[j].kn);
            il_buf_printf(b, ",\"count\":%llu}", (unsigned long long)f->clients[j].n);
        }
        il_buf_puts(b, "],\"series\":[");
        int fs = 1;
        for (size_t k = 0; k < r->nb && f->series; k++)
            if (f->series[k]) {
                iso_bucket(r, r->t0 + (int64_t)k * r->bucket, t, sizeof t);
                il_buf_printf(b, "%s[%s,%llu]", fs ? "" : ",", t, (unsigned long long)f->series[k]);
                fs = 0;
            }
        il_buf_puts(b, "]}");
    }
    il_buf_printf(b, "%s],\n  \"timeline\": {\"bucket_seconds\":%lld,\"buckets\":[",
                  r->nfails ? "\n  " : "", (long long)r->bucket);
    for (size_t i = 0; i < r->nb && r->series; i++) {
        iso_bucket(r, r->t0 + (int64_t)i * r->bucket, t, sizeof t);
        il_buf_printf(b, "%s{\"start\":%s", i ? ",\n    " : "\n    ", t);
        for (int c = 1; c < IL__CLASS_COUNT; c++)
            il_buf_printf(b, ",\"%s\":%llu", il_class_name((il_class)c),
                          (unsigned long long)r->series[i][c]);
        uint64_t ln = 0;
        if (r->blat)
            for (unsigned k = 0; k < IL_USK_BUCKETS; k++)
                ln += r->blat[i].b[k];
        if (ln) {
            const il_usketch *u = &r->blat[i];
            il_buf_printf(b, ",\"latency\":{\"count\":%llu,\"p50\":%llu,\"p90\":%llu,\"p99\":%llu}",
                          (unsigned long long)ln,
                          (unsigned long long)il_usketch_quantile(u, ln, UINT64_MAX, 0.5),
                          (unsigned long long)il_usketch_quantile(u, ln, UINT64_MAX, 0.9),
                          (unsigned long long)il_usketch_quantile(u, ln, UINT64_MAX, 0.99));
        } else {
            il_buf_puts(b, ",\"latency\":null");
        }
        il_buf_putc(b, '}');
    }
    il_buf_puts(b, r->nb ? "\n  ]},\n  \"latency\": {\"all\":" : "]},\n  \"latency\": {\"all\":");
    json_sketch(b, &a->all);
    il_buf_puts(b, ",\"by_class\":{");
    for (int c = 1; c < IL__CLASS_COUNT; c++) {
        il_buf_printf(b, "%s\"%s\":", c > 1 ? "," : "", il_class_name((il_class)c));
        json_sketch(b, &a->by_cls[c]);
    }
    il_buf_puts(b, "},\"top_urls\":[");
    size_t shown = 0;
    for (size_t i = 0; i < r->nurls && shown < r->o.top; i++) {
        const il_url_stat *u = r->urls[i].val;
        if (u->sketch < 0 || !a->sk)
            continue;
        il_buf_puts(b, shown ? ",{\"url\":" : "{\"url\":");
        js(b, r->urls[i].k, r->urls[i].kn);
        il_buf_puts(b, ",\"latency\":");
        il_usketch us;
        il_agg_url_sketch(a, u->sketch, &us);
        const il_usketch *s = &us;
        il_buf_printf(b, "{\"count\":%llu,\"p50\":%llu,\"p90\":%llu,\"p99\":%llu,\"max\":%llu}",
                      (unsigned long long)u->taken_n,
                      (unsigned long long)il_usketch_quantile(s, u->taken_n, u->taken_max, 0.5),
                      (unsigned long long)il_usketch_quantile(s, u->taken_n, u->taken_max, 0.9),
                      (unsigned long long)il_usketch_quantile(s, u->taken_n, u->taken_max, 0.99),
                      (unsigned long long)u->taken_max);
        il_buf_putc(b, '}');
        shown++;
    }
    il_buf_puts(b, "]}");
    json_kv(b, "top_urls", r->urls, r->nurls, r->o.top, 0);
    il_buf_puts(b, ",\n  \"top_clients\": [");
    for (size_t i = 0; i < r->nclients && i < r->o.top; i++) {
        const il_client_stat *c = r->clients[i].val;
        il_buf_puts(b, i ? ",\n    {\"key\":" : "\n    {\"key\":");
        js(b, r->clients[i].k, r->clients[i].kn);
        il_buf_printf(b, ",\"count\":%llu,\"errors\":%llu,\"auth_failures\":%llu,\"not_found\":%llu",
                      (unsigned long long)c->n, (unsigned long long)c->errors,
                      (unsigned long long)c->auth_fail, (unsigned long long)c->not_found);
        iso_utc(c->first, t, sizeof t);
        il_buf_printf(b, ",\"first\":%s", t);
        iso_utc(c->last, t, sizeof t);
        il_buf_printf(b, ",\"last\":%s}", t);
    }
    il_buf_puts(b, r->nclients ? "\n  ]" : "]");
    json_kv(b, "top_user_agents", r->agents, r->nagents, r->o.top, 1);
    json_kv(b, "methods", r->methods, r->nmethods, r->o.top, 0);
    json_kv(b, "sites", r->sites, r->nsites, r->o.top, 0);
    il_buf_puts(b, ",\n  \"httperr_reasons\": [");
    for (size_t i = 0; i < r->nreasons && i < r->o.top; i++) {
        const il_kb_entry *e = il_kb_httperr(r->reasons[i].k, r->reasons[i].kn);
        il_buf_puts(b, i ? ",\n    {\"key\":" : "\n    {\"key\":");
        js(b, r->reasons[i].k, r->reasons[i].kn);
        il_buf_printf(b, ",\"count\":%llu,\"class\":", (unsigned long long)r->reasons[i].n);
        if (e) {
            jz(b, il_class_name(e->cls));
            il_buf_puts(b, ",\"title\":");
            jz(b, e->title);
        } else {
            il_buf_puts(b, "null,\"title\":null");
        }
        il_buf_putc(b, '}');
    }
    il_buf_puts(b, r->nreasons ? "\n  ]" : "]");
    il_buf_puts(b, ",\n  \"asp_errors\": [");
    for (size_t i = 0; i < r->nasp && i < r->o.top; i++) {
        const char *sep = il_memmem(r->asp[i].k, r->asp[i].kn, "  ", 2);
        size_t pl = sep ? (size_t)(sep - r->asp[i].k) : r->asp[i].kn;
        il_buf_puts(b, i ? ",\n    {\"page\":" : "\n    {\"page\":");
        js(b, r->asp[i].k, pl);
        il_buf_puts(b, ",\"error\":");
        js(b, sep ? sep + 2 : "", sep ? r->asp[i].kn - pl - 2 : 0);
        il_buf_printf(b, ",\"count\":%llu,\"kind\":", (unsigned long long)r->asp[i].n);
        jz(b, asp_kind(r->asp[i].k, r->asp[i].kn));
        il_buf_putc(b, '}');
    }
    il_buf_puts(b, r->nasp ? "\n  ]" : "]");
    json_kv(b, "urlscan_rejections", r->urlscan, r->nurlscan, r->o.top, 0);
    il_buf_puts(b, "\n}\n");
}

/* ---- CSV ----------------------------------------------------------------------------- */

static const char *const csv_tables[] = {"codes", "failing_urls", "failing_clients", "timeline",
                                         "urls", "clients", "user_agents", "httperr", "findings",
                                         "malformed", NULL};

const char *const *il_report_csv_tables(void)
{
    return csv_tables;
}

static void csv_kv(il_buf *b, const char *col, const kv *list, size_t n, int bots)
{
    il_buf_printf(b, "%s,count%s\r\n", col, bots ? ",bot" : "");
    for (size_t i = 0; i < n; i++) {
        if (bots) { /* user agents: IIS logs spaces as '+' */
            char dec[IL_STRTAB_MAX_KEY];
            il_buf_csv_str(b, dec, il_unplus(dec, sizeof dec, (il_str){list[i].k, list[i].kn}));
        } else {
            il_buf_csv_str(b, list[i].k, list[i].kn);
        }
        il_buf_printf(b, ",%llu", (unsigned long long)list[i].n);
        if (bots)
            il_buf_printf(b, ",%s", is_bot(list[i].k, list[i].kn) ? "yes" : "no");
        il_buf_puts(b, "\r\n");
    }
}

int il_report_csv(il_buf *b, const il_report *r, const char *table)
{
    const il_agg *a = r->a;
    char t[80];
    if (strcmp(table, "codes") == 0) {
        il_buf_puts(b, "proto,status,substatus,win32,count,class,title,first,last\r\n");
        for (size_t i = 0; i < r->ntri; i++) {
            const trow *tr = &r->tri[i];
            il_buf_printf(b, "%s,%d,", tr->k.proto ? "ftp" : "http", tr->k.status);
            if (tr->k.sub >= 0)
                il_buf_printf(b, "%d", tr->k.sub);
            il_buf_putc(b, ',');
            if (tr->k.win32 >= 0)
                il_buf_printf(b, "%lld", (long long)tr->k.win32);
            il_buf_printf(b, ",%llu,%s,", (unsigned long long)tr->s->n, il_class_name(tr->cls));
            il_buf_csv_str(b, tr->title, strlen(tr->title));
            iso_utc(tr->s->first, t, sizeof t);
            il_buf_printf(b, ",%s", strcmp(t, "null") ? t : "");
            iso_utc(tr->s->last, t, sizeof t);
            il_buf_printf(b, ",%s\r\n", strcmp(t, "null") ? t : "");
        }
        return 1;
    }
    if (strcmp(table, "failing_urls") == 0 || strcmp(table, "failing_clients") == 0) {
        int urls = table[8] == 'u';
        il_buf_printf(b, "proto,status,substatus,win32,%s,count\r\n", urls ? "url" : "client");
        for (size_t i = 0; i < r->nfails; i++) {
            const fail *f = &r->fails[i];
            const kv *l = urls ? f->urls : f->clients;
            size_t n = urls ? f->nurls : f->nclients;
            for (size_t j = 0; j < n; j++) {
                il_buf_printf(b, "%s,%d,%d,%lld,", f->t->k.proto ? "ftp" : "http", f->t->k.status,
                              f->t->k.sub, (long long)f->t->k.win32);
                il_buf_csv_str(b, l[j].k, l[j].kn);
                il_buf_printf(b, ",%llu\r\n", (unsigned long long)l[j].n);
            }
        }
        return 1;
    }
    if (strcmp(table, "timeline") == 0) {
        il_buf_puts(b, "start");
        for (int c = 1; c < IL__CLASS_COUNT; c++)
            il_buf_printf(b, ",%s", il_class_name((il_class)c));
        il_buf_puts(b, "\r\n");
        for (size_t i = 0; i < r->nb && r->series; i++) {
            iso_bucket(r, r->t0 + (int64_t)i * r->bucket, t, sizeof t);
            il_buf_puts(b, t);
            for (int c = 1; c < IL__CLASS_COUNT; c++)
                il_buf_printf(b, ",%llu", (unsigned long long)r->series[i][c]);
            il_buf_puts(b, "\r\n");
        }
        return 1;
    }
    if (strcmp(table, "urls") == 0) {
        csv_kv(b, "url", r->urls, r->nurls, 0);
        return 1;
    }
    if (strcmp(table, "clients") == 0) {
        csv_kv(b, "client", r->clients, r->nclients, 0);
        return 1;
    }
    if (strcmp(table, "user_agents") == 0) {
        csv_kv(b, "user_agent", r->agents, r->nagents, 1);
        return 1;
    }
    if (strcmp(table, "httperr") == 0) {
        csv_kv(b, "reason", r->reasons, r->nreasons, 0);
        return 1;
    }
    if (strcmp(table, "findings") == 0) {
        il_buf_puts(b, "rank,kind,text,evidence\r\n");
        for (size_t i = 0; i < r->nfind; i++) {
            il_buf_printf(b, "%zu,%s,", i + 1, r->find[i].kind);
            il_buf_csv_str(b, r->find[i].text, strlen(r->find[i].text));
            il_buf_putc(b, ',');
            il_buf_csv_str(b, r->find[i].evidence, strlen(r->find[i].evidence));
            il_buf_puts(b, "\r\n");
        }
        return 1;
    }
    if (strcmp(table, "malformed") == 0) {
        il_buf_puts(b, "reason,count,file,line\r\n");
        for (int k = 0; k < IL__BAD_COUNT; k++) {
            if (!a->bad[k])
                continue;
            if (!a->nbad_sample[k])
                il_buf_printf(b, "%s,%llu,,\r\n", il_bad_name((il_bad)k), (unsigned long long)a->bad[k]);
            for (uint32_t i = 0; i < a->nbad_sample[k]; i++) {
                il_buf_printf(b, "%s,%llu,", il_bad_name((il_bad)k), (unsigned long long)a->bad[k]);
                il_buf_csv_str(b, a->bad_sample[k][i].file, strlen(a->bad_sample[k][i].file));
                il_buf_printf(b, ",%llu\r\n", (unsigned long long)a->bad_sample[k][i].line);
            }
        }
        return 1;
    }
    return 0;
}
