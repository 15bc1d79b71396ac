/*
 * agg.c - counting records into bounded tables (see agg.h): status triples
 * with their class, URLs, clients, agents, methods, sites, HTTPERR reasons,
 * classic ASP errors and URLScan rejections, time buckets per minute and
 * class, the top URLs/clients/minutes of each failing triple, latency
 * sketches, and a HyperLogLog of distinct clients.
 *
 * The hot path (il_agg_add) does a handful of hash lookups per line and no
 * allocation except when a table meets a new key.
 */
#include "agg.h"
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- sketch ---------------------------------------------------------------- */

/* Log-linear buckets with 2^sb buckets per power of two: values below 2^sb
 * exactly, then `oct` powers of two, the rest in the last bucket. */
static unsigned lin_bucket(uint64_t v, unsigned sb, unsigned oct)
{
    /* without a branch on v (time-taken values fall on both sides of 2^sb
     * at random): e is the top bit of v, at least sb; v >> (e - sb) is in
     * [2^sb, 2^(sb+1)) for v >= 2^sb, and is v itself below */
    uint64_t sub = (uint64_t)1 << sb;
    unsigned e = 63u - (unsigned)__builtin_clzll(v | sub);
    unsigned shift = e - sb;
    unsigned b = shift * (unsigned)sub + (unsigned)(v >> shift);
    unsigned last = (unsigned)(sub * (oct + 1) - 1);
    return e > sb + oct - 1 ? last : b;
}

static uint64_t lin_mid(unsigned i, unsigned sb)
{
    unsigned sub = 1u << sb;
    if (i < sub)
        return i;
    unsigned e = i / sub + sb - 1, frac = i % sub;
    uint64_t low = (uint64_t)(sub + frac) << (e - sb);
    uint64_t width = (uint64_t)1 << (e - sb);
    return low + width / 2;
}

static uint64_t lin_quantile(const uint32_t *b, unsigned nb, unsigned sb, uint64_t n,
                             uint64_t max, double q)
{
    if (n == 0)
        return 0;
    if (q <= 0)
        q = 0;
    if (q >= 1)
        return max;
    uint64_t rank = (uint64_t)ceil(q * (double)n);
    if (rank < 1)
        rank = 1;
    uint64_t acc = 0;
    for (unsigned i = 0; i < nb; i++) {
        acc += b[i];
        if (acc >= rank) {
            uint64_t m = lin_mid(i, sb);
            return m > max ? max : m;
        }
    }
    return max;
}

#define SK_BITS 5 /* log2 IL_SKETCH_SUB */
#define USK_BITS 3 /* log2 IL_USK_SUB */

static unsigned bucket_of(uint64_t v)
{
    return lin_bucket(v, SK_BITS, IL_SKETCH_OCTAVES);
}

/* The bucket of v in a URL (or time) histogram. */
IL_HOT_INLINE unsigned usk_bucket(uint64_t v)
{
    return lin_bucket(v, USK_BITS, IL_USK_OCTAVES);
}

void il_usketch_add(il_usketch *s, uint64_t v)
{
    s->b[usk_bucket(v)]++;
}

void il_usketch_merge(il_usketch *into, const il_usketch *from)
{
    for (unsigned i = 0; i < IL_USK_BUCKETS; i++)
        into->b[i] += from->b[i];
}

uint64_t il_usketch_quantile(const il_usketch *s, uint64_t n, uint64_t max, double q)
{
    return lin_quantile(s->b, IL_USK_BUCKETS, USK_BITS, n, max, q);
}

void il_sketch_add(il_sketch *s, uint64_t v)
{
    s->n++;
    s->sum += v;
    if (v > s->max)
        s->max = v;
    s->b[bucket_of(v)]++;
}

void il_sketch_merge(il_sketch *into, const il_sketch *from)
{
    into->n += from->n;
    into->sum += from->sum;
    if (from->max > into->max)
        into->max = from->max;
    for (unsigned i = 0; i < IL_SKETCH_BUCKETS; i++)
        into->b[i] += from->b[i];
}

uint64_t il_sketch_quantile(const il_sketch *s, double q)
{
    return lin_quantile(s->b, IL_SKETCH_BUCKETS, SK_BITS, s->n, s->max, q);
}

/* ---- HyperLogLog ------------------------------------------------------------- */

void il_hll_add(il_hll *h, uint64_t hash)
{
    uint32_t idx = (uint32_t)(hash >> (64 - IL_HLL_P));
    uint64_t w = (hash << IL_HLL_P) | ((uint64_t)1 << (IL_HLL_P - 1));
    uint8_t rank = (uint8_t)(__builtin_clzll(w) + 1);
    if (rank > h->reg[idx])
        h->reg[idx] = rank;
}

void il_hll_merge(il_hll *into, const il_hll *from)
{
    for (size_t i = 0; i < sizeof into->reg; i++)
        if (from->reg[i] > into->reg[i])
            into->reg[i] = from->reg[i];
}

double il_hll_estimate(const il_hll *h)
{
    const double m = (double)(1u << IL_HLL_P);
    double sum = 0;
    unsigned zeros = 0;
    for (size_t i = 0; i < sizeof h->reg; i++) {
        sum += ldexp(1.0, -(int)h->reg[i]);
        zeros += h->reg[i] == 0;
    }
    double est = (0.7213 / (1 + 1.079 / m)) * m * m / sum;
    if (est <= 2.5 * m && zeros)
        est = m * log(m / (double)zeros); /* linear counting for small sets */
    return est;
}

/* ---- aggregator ---------------------------------------------------------------- */

void il_agg_default_limits(il_agg_limits *l)
{
    l->urls = 100000;
    l->clients = 100000;
    l->agents = 20000;
    l->pairs = 200000;
    l->minutes = 600000; /* over a year of minutes */
    l->small = 10000;
    l->url_sketches = 2048;
    l->lat_minutes = 1440; /* a day of minutes: reports up to 12 h use them */
    l->lat_hours = 9000;   /* about a year of hours */
}

il_agg *il_agg_new(const il_agg_limits *lim, uint64_t seed)
{
    il_agg *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    if (lim)
        a->lim = *lim;
    else
        il_agg_default_limits(&a->lim);
    a->seed = seed;
    a->first = INT64_MAX;
    a->last = INT64_MIN;
    a->last_minute = INT64_MIN;
    for (int i = 0; i < (1 << IL_TRIPLE_CACHE_BITS); i++)
        a->tcache[i].idx = UINT32_MAX;
    a->last_lat_min = a->last_lat_hour = INT64_MIN;
    const il_agg_limits *L = &a->lim;
    /* a triple's index must fit il_pair_key's 24 bits */
    a->triples = il_strtab_new(sizeof(il_triple_stat),
                               L->small < IL_PAIR_A_OTHER ? L->small : IL_PAIR_A_OTHER - 1, seed);
    a->urls = il_strtab_new(sizeof(il_url_stat), L->urls, seed);
    a->clients = il_strtab_new(sizeof(il_client_stat), L->clients, seed);
    a->agents = il_strtab_new(sizeof(il_count_stat), L->agents, seed);
    a->methods = il_strtab_new(sizeof(il_count_stat), 1000, seed);
    a->sites = il_strtab_new(sizeof(il_count_stat), L->small, seed);
    a->reasons = il_strtab_new(sizeof(il_count_stat), 1000, seed);
    a->asp = il_strtab_new(sizeof(il_count_stat), L->small, seed);
    a->urlscan = il_strtab_new(sizeof(il_count_stat), L->small, seed);
    a->minutes = il_strtab_new(sizeof(il_time_stat), L->minutes, seed);
    a->t_url = il_pairtab_new(L->pairs, seed);
    a->t_client = il_pairtab_new(L->pairs, seed);
    a->t_minute = il_pairtab_new(L->pairs, seed);
    a->lat_min = il_strtab_new(sizeof(il_usketch), L->lat_minutes, seed);
    a->lat_hour = il_strtab_new(sizeof(il_usketch), L->lat_hours, seed);
    if (!a->triples || !a->urls || !a->clients || !a->agents || !a->methods ||
        !a->sites || !a->reasons || !a->asp || !a->urlscan || !a->minutes ||
        !a->t_url || !a->t_client || !a->t_minute || !a->lat_min || !a->lat_hour) {
        il_agg_free(a);
        return NULL;
    }
    return a;
}

void il_agg_free(il_agg *a)
{
    if (!a)
        return;
    il_strtab *t[] = {a->triples, a->urls, a->clients, a->agents, a->methods,
                      a->sites, a->reasons, a->asp, a->urlscan, a->minutes,
                      a->lat_min, a->lat_hour};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        il_strtab_free(t[i]);
    il_pairtab_free(a->t_url);
    il_pairtab_free(a->t_client);
    il_pairtab_free(a->t_minute);
    free(a->sk);
    free(a->skhi);
    free(a);
}

/* Does (unit, line) come before sample s in the input? */
static int sample_before(uint32_t unit, uint64_t line, const il_bad_sample *s)
{
    return unit < s->unit || (unit == s->unit && line < s->line);
}

void il_agg_bad(il_agg *a, il_bad why, const char *file, uint64_t line)
{
    il_agg_bad_at(a, why, file, line, UINT32_MAX);
}

void il_agg_fix_lines(il_agg *a, const uint64_t *base, size_t nunits)
{
    for (int b = 0; b < IL__BAD_COUNT; b++)
        for (uint32_t i = 0; i < a->nbad_sample[b]; i++) {
            il_bad_sample *s = &a->bad_sample[b][i];
            if (s->unit < nunits)
                s->line += base[s->unit];
            s->unit = UINT32_MAX;
        }
}

void il_agg_bad_at(il_agg *a, il_bad why, const char *file, uint64_t line,
                   uint32_t unit)
{
    if ((unsigned)why >= IL__BAD_COUNT)
        return;
    a->bad[why]++;
    /* keep the IL_BAD_SAMPLES first in input order, (unit, line): a worker
     * meets its lines in that order, but threads share units out, so the
     * merge (il_agg_merge) keeps the first of both lists */
    il_bad_sample *v = a->bad_sample[why];
    uint32_t k = a->nbad_sample[why];
    if (k == IL_BAD_SAMPLES && !sample_before(unit, line, &v[k - 1]))
        return;
    if (k < IL_BAD_SAMPLES)
        k = ++a->nbad_sample[why];
    uint32_t at = k - 1; /* the free (or dropped last) place; move later ones up */
    while (at > 0 && sample_before(unit, line, &v[at - 1])) {
        v[at] = v[at - 1];
        at--;
    }
    il_bad_sample *s = &v[at];
    size_t n = strlen(file);
    if (n >= sizeof s->file) /* keep the end: the file name matters most */
        file += n - (sizeof s->file - 1);
    strcpy(s->file, file);
    s->line = line;
    s->unit = unit;
}

static il_str agg_client_xff(const il_rec *r);

/* il_agg_client, inline for il_agg_add: most lines have no X-Forwarded-For */
IL_HOT_INLINE il_str agg_client(const il_rec *r)
{
    return r->xff.n ? agg_client_xff(r) : r->client;
}

il_str il_agg_client(const il_rec *r)
{
    return agg_client(r);
}

/* The client of a line with X-Forwarded-For: its first address
 * ("ip:port,+ip:port", "[v6]:port", "v6"), or c-ip when that is empty or
 * not shorter than a client key (IL_AGG_CLIENT_MAX). A slice, no copy;
 * memchr rather than a loop over bytes, whose exits mispredict. */
static il_str agg_client_xff(const il_rec *r)
{
    const char *p = r->xff.p;
    size_t n = r->xff.n;
    const char *comma = memchr(p, ',', n);
    if (comma)
        n = (size_t)(comma - p);
    while (n && (*p == '+' || *p == ' ')) {
        p++;
        n--;
    }
    if (n && *p == '[') { /* [v6]:port */
        const char *rb = memchr(p, ']', n);
        if (rb) {
            p++;
            n = (size_t)(rb - p);
        }
    } else if (n) {
        const char *c1 = memchr(p, ':', n);
        if (c1 && !memchr(c1 + 1, ':', n - (size_t)(c1 + 1 - p)))
            n = (size_t)(c1 - p); /* a.b.c.d:port */
    }
    if (n && n < IL_AGG_CLIENT_MAX)
        return (il_str){p, n};
    return r->client;
}

/* URL entry i's histogram, sk[i] (created zero with those before it when
 * missing; the pool grows by doubling): URL histograms are indexed like the
 * URL table, so that the counter's address follows from the lookup alone.
 * -1 past the url_sketches limit or when memory runs out. */
static int32_t url_sketch(il_agg *a, uint32_t i)
{
    if (i >= a->lim.url_sketches)
        return -1;
    if (i >= a->capsk) {
        uint32_t nc = a->capsk ? a->capsk : 64;
        while (nc <= i)
            nc *= 2;
        if (nc > a->lim.url_sketches)
            nc = a->lim.url_sketches;
        il_usk16 *ns = realloc(a->sk, (size_t)nc * sizeof *ns);
        if (!ns) {
            a->oom = 1;
            return -1;
        }
        a->sk = ns;
        a->capsk = nc;
    }
    if (i >= a->nsk) {
        memset(&a->sk[a->nsk], 0, (size_t)(i + 1 - a->nsk) * sizeof *a->sk);
        a->nsk = i + 1;
    }
    return (int32_t)i;
}

/* The high parts of URL histogram s, created (zero) when it has none;
 * NULL when memory runs out. */
static uint32_t *usk16_hi(il_agg *a, il_usk16 *s)
{
    if (s->hi)
        return a->skhi[s->hi - 1];
    if (a->nskhi == a->capskhi) { /* at most one per histogram */
        uint32_t nc = a->capskhi ? a->capskhi * 2 : 16;
        uint32_t(*nh)[IL_USK_BUCKETS] = realloc(a->skhi, (size_t)nc * sizeof *nh);
        if (!nh)
            return NULL;
        a->skhi = nh;
        a->capskhi = nc;
    }
    memset(a->skhi[a->nskhi], 0, sizeof a->skhi[0]);
    s->hi = ++a->nskhi;
    return a->skhi[s->hi - 1];
}

/* Bucket i of s has wrapped to 0: carry 65536 into its high part. */
static void usk16_carry(il_agg *a, il_usk16 *s, unsigned i)
{
    uint32_t *hi = usk16_hi(a, s);
    if (hi)
        hi[i]++;
    else
        a->oom = 1; /* the count is 65536 short: say the tables are partial */
}

/* Count a value in URL histogram s: i is its bucket (usk_bucket). */
IL_HOT_INLINE void usk16_add(il_agg *a, il_usk16 *s, unsigned i)
{
    if (++s->lo[i] == 0)
        usk16_carry(a, s, i);
}

static uint64_t usk16_count(const il_agg *a, const il_usk16 *s, unsigned i)
{
    return s->lo[i] + (s->hi ? (uint64_t)a->skhi[s->hi - 1][i] << 16 : 0);
}

/* into's histogram x += from's histogram y */
static void usk16_merge(il_agg *into, il_usk16 *x, const il_agg *from, const il_usk16 *y)
{
    for (unsigned i = 0; i < IL_USK_BUCKETS; i++) {
        uint64_t sum = usk16_count(into, x, i) + usk16_count(from, y, i);
        x->lo[i] = (uint16_t)sum;
        if (sum >> 16) {
            uint32_t *hi = usk16_hi(into, x);
            if (!hi) {
                into->oom = 1;
                continue;
            }
            hi[i] = (uint32_t)(sum >> 16);
        } else if (x->hi) {
            into->skhi[x->hi - 1][i] = 0;
        }
    }
}

void il_agg_url_sketch(const il_agg *a, int32_t sketch, il_usketch *out)
{
    const il_usk16 *s = &a->sk[sketch];
    for (unsigned i = 0; i < IL_USK_BUCKETS; i++) {
        uint64_t c = usk16_count(a, s, i);
        out->b[i] = c > UINT32_MAX ? UINT32_MAX : (uint32_t)c;
    }
}

static il_class triple_class(const il_triple_key *k)
{
    if (k->status < 0) /* no status logged: FTP pseudo-commands and the like */
        return IL_CLASS_INFO;
    if (k->proto == 0)
        return il_classify((unsigned)k->status, k->sub, k->win32);
    il_win32 w;
    long long w32 = -1;
    if (k->win32 >= 0) {
        il_win32_decode((uint32_t)k->win32, &w);
        w32 = w.code;
    }
    const il_kb_combo *c = il_kb_combo_find(1, (unsigned)k->status, k->sub, w32);
    if (c && (c->win32 < 0 || w32 >= 0))
        return c->cls;
    if (k->sub > 0) {
        const il_kb_entry *e = il_kb_ftp_sub((unsigned)k->sub);
        if (e)
            return e->cls;
    }
    const il_kb_entry *e = il_kb_ftp((unsigned)k->status);
    return e ? e->cls : il_class_of_status((unsigned)k->status);
}

static void count(il_strtab *t, il_str k)
{
    il_count_stat *c = il_strtab_get(t, k.p ? k.p : "", k.n, NULL);
    c->n++;
}

/* A key of 1 to 8 bytes as one word: with its length, the word tells the
 * key apart from every other (bytes 0, n/2 and n-1 below 4; the first and
 * last four from 4 to 8). */
IL_HOT_INLINE uint64_t pack_small(const char *p, size_t n)
{
    if (n >= 4)
        return il_load32(p) |
               (uint64_t)il_load32(p + n - 4) << 32;
    return (unsigned char)p[0] | (unsigned)(unsigned char)p[n >> 1] << 8 |
           (unsigned)(unsigned char)p[n - 1] << 16;
}

/* count() for small tables whose few keys repeat (methods, sites). */
IL_HOT_INLINE void count_cached(il_strtab *t, il_str k, il_agg_cache *c)
{
    if (k.n == 0 || k.n > 8) {
        count(t, k);
        return;
    }
    uint64_t w = pack_small(k.p, k.n);
    unsigned j = (unsigned)((w * 0x9E3779B97F4A7C15ull) >> 61) ^ (unsigned)(k.n & 7);
    if (c->n[j] == k.n && c->w[j] == w) {
        ((il_count_stat *)il_strtab_val(t, c->idx[j]))->n++;
        return;
    }
    uint32_t idx;
    ((il_count_stat *)il_strtab_get(t, k.p, k.n, &idx))->n++;
    if (idx != UINT32_MAX) {
        c->w[j] = w;
        c->n[j] = (uint32_t)k.n;
        c->idx[j] = idx;
    }
}

/* Count a failing triple's line under (triple index, x). */
static void pair(il_agg *a, il_pairtab *t, uint32_t triple, int64_t x)
{
    if (!il_pairtab_add(t, il_pair_key(triple, x), 1))
        a->oom = 1;
}

/* Classic ASP appends "|line|code|text" to cs-uri-query on errors. */
static void asp_error(il_agg *a, const il_rec *r)
{
    const char *q = r->query.p;
    size_t n = r->query.n;
    const char *bar = memchr(q, '|', n);
    while (bar) {
        size_t rest = n - (size_t)(bar + 1 - q);
        const char *b2 = memchr(bar + 1, '|', rest);
        if (!b2)
            return;
        /* line number (digits) or "-" between the first two bars */
        int ok = b2 > bar + 1;
        for (const char *p = bar + 1; p < b2; p++)
            if (!((*p >= '0' && *p <= '9') || (*p == '-' && b2 - bar == 2)))
                ok = 0;
        if (ok) {
            char key[1024];
            size_t ul = r->uri.n < 500 ? r->uri.n : 500;
            size_t el = (size_t)(q + n - (b2 + 1));
            if (el > 500)
                el = 500;
            if (ul)
                memcpy(key, r->uri.p, ul);
            memcpy(key + ul, "  ", 2); /* "page  code|description" */
            memcpy(key + ul + 2, b2 + 1, el);
            count(a->asp, (il_str){key, ul + 2 + el});
            return;
        }
        bar = memchr(bar + 1, '|', rest);
    }
}

void il_agg_add(il_agg *a, const il_rec *r)
{
    /* the run's totals (requests, bytes, classes, time range) are the sums
     * of the status triples' (il_agg_finish), so a line counts them once,
     * in its triple; HTTP.sys lines have no triple */
    if (r->kind == IL_FMT_HTTPERR) {
        if (r->t != INT64_MIN) {
            if (r->t < a->first)
                a->first = r->t;
            if (r->t > a->last)
                a->last = r->t;
        }
        a->httperr++;
        count(a->reasons, r->reason.n ? r->reason : (il_str){"-", 1});
        return;
    }
    /* URL and client first: hash their keys, so that the hashes' multiply
     * chains overlap the work below */
    il_str uri = r->uri, ua = r->ua;
    if (uri.n > IL_STRTAB_MAX_KEY)
        uri.n = IL_STRTAB_MAX_KEY;
    if (ua.n > IL_STRTAB_MAX_KEY)
        ua.n = IL_STRTAB_MAX_KEY;
    il_str client = agg_client(r);
    if (client.n > IL_STRTAB_MAX_KEY) /* c-ip as logged can be any length */
        client.n = IL_STRTAB_MAX_KEY;
    uint64_t h_uri = 0, h_client = 0;
    if (uri.n)
        h_uri = il_strtab_hash_inline(a->urls, uri.p, uri.n);
    if (client.n)
        h_client = il_strtab_hash_inline(a->clients, client.p, client.n);

    a->ftp += r->kind == IL_FMT_FTP; /* the rest are HTTP */

    /* a log has a few dozen triples: a small direct-mapped cache of their
     * indexes answers nearly every line without the table's hash; its key
     * is the triple in two words (status and sub-status, win32) and the
     * protocol */
    uint64_t t_ss = (uint32_t)r->status | (uint64_t)(uint32_t)r->sub << 32;
    uint64_t t_w = (uint64_t)r->win32;
    uint8_t t_proto = r->kind == IL_FMT_FTP;
    uint64_t th = (t_ss * 0x9E3779B97F4A7C15ull) ^ (t_w * 0xC2B2AE3D27D4EB4Full) ^ t_proto;
    il_triple_slot *tc = &a->tcache[th >> (64 - IL_TRIPLE_CACHE_BITS)];
    il_triple_stat *ts;
    il_triple_key k; /* the table's key (built on a cache miss) */
    if (tc->idx != UINT32_MAX && tc->ss == t_ss && tc->w == t_w && tc->proto == t_proto) {
        ts = il_strtab_val(a->triples, tc->idx);
    } else {
        memset(&k, 0, sizeof k);
        k.proto = t_proto;
        k.status = r->status;
        k.sub = r->sub;
        k.win32 = r->win32;
        ts = il_strtab_get(a->triples, &k, sizeof k, &tc->idx);
        tc->ss = t_ss;
        tc->w = t_w;
        tc->proto = t_proto;
        if (!ts->cls_set) {
            ts->cls = (uint8_t)triple_class(&k);
            ts->err = (uint8_t)il_class_is_error((il_class)ts->cls);
            ts->cls_set = 1;
            ts->first = INT64_MAX; /* no time yet */
            ts->last = INT64_MIN;
        }
    }
    uint32_t tidx = tc->idx; /* UINT32_MAX: the table's "other" */
    il_class cls = (il_class)ts->cls;
    ts->n++;
    if (r->sc_bytes > 0)
        ts->bytes += (uint64_t)r->sc_bytes;
    if (r->t != INT64_MIN) {
        if (r->t < ts->first)
            ts->first = r->t;
        if (r->t > ts->last)
            ts->last = r->t;
    }
    int err = ts->err;
    unsigned ub = 0; /* time-taken's bucket in URL and time histograms */
    if (r->taken >= 0) {
        uint64_t tk = (uint64_t)r->taken;
        ub = usk_bucket(tk);
        /* only the bucket: the class sketches' count, sum and maximum are
         * the triples' (il_agg_finish), and `all` is their sum */
        a->by_cls[cls].b[bucket_of(tk)]++;
        ts->taken_n++;
        ts->taken_sum += tk;
        if (tk > ts->taken_max)
            ts->taken_max = tk;
    }

    uint32_t ui = UINT32_MAX, ci = UINT32_MAX;
    if (r->uri.n) {
        il_url_stat *u = il_strtab_get_inline(a->urls, uri.p, uri.n, h_uri, &ui);
        /* a histogram from the URL's first request, so that every sample
         * is in it and results do not depend on how the input was split
         * between threads (while URLs fit url_sketches) */
        if (u->n == 0 && ui != UINT32_MAX)
            u->sketch = url_sketch(a, ui);
        u->n++;
        u->errors += err;
        u->aborts += cls == IL_CLASS_CLIENT_ABORT;
        if (r->sc_bytes > 0)
            u->bytes += (uint64_t)r->sc_bytes;
        if (r->taken >= 0) {
            uint64_t tk = (uint64_t)r->taken;
            u->taken_n++;
            u->taken_sum += tk;
            if (tk > u->taken_max)
                u->taken_max = tk;
            if (ui < a->nsk) /* sk[ui] is its histogram; n/sum/max live in *u */
                usk16_add(a, &a->sk[ui], ub);
        }
        static const char urlscan[] = "/<Rejected-By-UrlScan>";
        if (r->uri.n == sizeof urlscan - 1 &&
            memcmp(r->uri.p, urlscan, sizeof urlscan - 1) == 0) {
            il_str orig = r->query;
            if (orig.n && orig.p[0] == '~') {
                orig.p++;
                orig.n--;
            }
            count(a->urlscan, orig.n ? orig : (il_str){"-", 1}); /* as logged: no path */
        }
    }
    if (r->query.n && memchr(r->query.p, '|', r->query.n))
        asp_error(a, r);

    il_client_stat *c = NULL;
    if (client.n) {
        c = il_strtab_get_inline(a->clients, client.p, client.n, h_client, &ci);
        /* the estimate needs each distinct client once per aggregator */
        if (c->n == 0 || ci == UINT32_MAX)
            il_hll_add(&a->clients_hll, il_hash_fixed(client.p, client.n));
        if (c->n == 0) { /* new: no time yet */
            c->first = INT64_MAX;
            c->last = INT64_MIN;
        }
        c->n++;
        c->errors += err;
        c->auth_fail += r->status == 401 && cls == IL_CLASS_SECURITY;
        c->not_found += r->status == 404;
        if (r->t != INT64_MIN) {
            if (r->t < c->first)
                c->first = r->t;
            if (r->t > c->last)
                c->last = r->t;
        }
    }
    if (ua.n) {
        /* a client keeps its user agent: try the one it sent last before
         * hashing (a compare of the bytes, so never a wrong count) */
        il_count_stat *as = NULL;
        if (c && c->ua1 && c->ua_len == ua.n &&
            il_strtab_bytes_are(a->agents, c->ua_off, ua.p, ua.n))
            as = il_strtab_val(a->agents, c->ua1 - 1);
        if (!as) {
            uint32_t ai;
            as = il_strtab_get(a->agents, ua.p, ua.n, &ai);
            if (c) {
                c->ua1 = ai == UINT32_MAX ? 0 : ai + 1;
                if (c->ua1) {
                    c->ua_off = il_strtab_key_off(a->agents, ai);
                    c->ua_len = (uint32_t)ua.n;
                }
            }
        }
        as->n++;
    }
    if (r->method.n)
        count_cached(a->methods, r->method, &a->c_method);
    if (r->site.n)
        count_cached(a->sites, r->site, &a->c_site);

    if (r->t != INT64_MIN) {
        int64_t minute = r->t >= 0 ? r->t / 60 : (r->t - 59) / 60;
        il_time_stat *tm;
        /* cached value pointers: only these lines insert into the minute
         * and latency tables, and they refresh the pointer when they do */
        if (minute == a->last_minute && a->last_tm) {
            tm = a->last_tm;
        } else {
            tm = il_strtab_get(a->minutes, &minute, sizeof minute, NULL);
            a->last_minute = minute;
            a->last_tm = tm;
        }
        tm->by_class[cls]++;
        if (err)
            pair(a, a->t_minute, tidx, minute);
        if (r->taken >= 0) {
            if (minute != a->last_lat_min || !a->last_lm) { /* the hour can change too */
                a->last_lm = il_strtab_get(a->lat_min, &minute, sizeof minute, NULL);
                a->last_lat_min = minute;
                int64_t hour = minute >= 0 ? minute / 60 : (minute - 59) / 60;
                if (hour != a->last_lat_hour || !a->last_lh) {
                    a->last_lh = il_strtab_get(a->lat_hour, &hour, sizeof hour, NULL);
                    a->last_lat_hour = hour;
                }
            }
            a->last_lm->b[ub]++;
            a->last_lh->b[ub]++;
        }
    }
    if (err) {
        if (r->uri.n)
            pair(a, a->t_url, tidx, ui);
        if (client.n)
            pair(a, a->t_client, tidx, ci);
    }
}

/* Fold table `from` into `into`, combining values with fn; map (when not
 * NULL, il_strtab_count(from) long) receives each from entry's index in
 * into (UINT32_MAX: into's "other"). */
static void merge_tab(il_strtab *into, const il_strtab *from,
                      void (*fn)(void *dst, const void *src, void *ctx), void *ctx,
                      uint32_t *map)
{
    uint32_t n = il_strtab_count(from);
    for (uint32_t i = 0; i < n; i++) {
        size_t kl;
        const char *k = il_strtab_key(from, i, &kl);
        uint32_t idx;
        void *dst = il_strtab_get(into, k, kl, &idx);
        fn(dst, il_strtab_val(from, i), ctx);
        if (map)
            map[i] = idx;
    }
    fn(il_strtab_other(into), il_strtab_other(from), ctx);
    il_strtab_add_dropped(into, il_strtab_dropped(from));
}

static void m_count(void *d, const void *s, void *ctx)
{
    (void)ctx;
    ((il_count_stat *)d)->n += ((const il_count_stat *)s)->n;
}

static void m_usk(void *d, const void *s, void *ctx)
{
    (void)ctx;
    il_usketch_merge(d, s);
}

static void m_time(void *d, const void *s, void *ctx)
{
    (void)ctx;
    il_time_stat *x = d;
    const il_time_stat *y = s;
    for (int i = 0; i < IL__CLASS_COUNT; i++)
        x->by_class[i] += y->by_class[i];
}

static void m_triple(void *d, const void *s, void *ctx)
{
    (void)ctx;
    il_triple_stat *x = d;
    const il_triple_stat *y = s;
    if (y->n == 0)
        return;
    if (x->n == 0) {
        *x = *y;
        return;
    }
    x->n += y->n;
    x->bytes += y->bytes;
    if (y->first < x->first)
        x->first = y->first;
    if (y->last > x->last)
        x->last = y->last;
    x->taken_n += y->taken_n;
    x->taken_sum += y->taken_sum;
    if (y->taken_max > x->taken_max)
        x->taken_max = y->taken_max;
}

static void m_client(void *d, const void *s, void *ctx)
{
    (void)ctx;
    il_client_stat *x = d;
    const il_client_stat *y = s;
    if (y->n == 0)
        return;
    if (x->n == 0) {
        *x = *y;
        x->ua1 = 0; /* an index into the other aggregator's table */
        return;
    }
    x->n += y->n;
    x->errors += y->errors;
    x->auth_fail += y->auth_fail;
    x->not_found += y->not_found;
    if (y->first < x->first)
        x->first = y->first;
    if (y->last > x->last)
        x->last = y->last;
}

static void m_url(void *d, const void *s, void *ctx)
{
    (void)ctx;
    il_url_stat *x = d;
    const il_url_stat *y = s;
    if (x->n == 0)
        x->sketch = -1; /* merge_sketches gives it one */
    x->n += y->n;
    x->errors += y->errors;
    x->aborts += y->aborts;
    x->bytes += y->bytes;
    x->taken_n += y->taken_n;
    x->taken_sum += y->taken_sum;
    if (y->taken_max > x->taken_max)
        x->taken_max = y->taken_max;
}

/* Fold from's URL histograms into into's, umap (nu long) giving each from
 * URL's entry in into. */
static void merge_sketches(il_agg *into, const il_agg *from, const uint32_t *umap, uint32_t nu)
{
    for (uint32_t i = 0; i < nu; i++) {
        const il_url_stat *y = il_strtab_val(from->urls, i);
        if (y->sketch < 0 || umap[i] == UINT32_MAX)
            continue;
        il_url_stat *x = il_strtab_val(into->urls, umap[i]);
        if (x->sketch < 0)
            x->sketch = url_sketch(into, umap[i]);
        if (x->sketch >= 0)
            usk16_merge(into, &into->sk[x->sketch], from, &from->sk[y->sketch]);
    }
}

/* Fold pair table `from` into `into`, its keys' triple indexes translated
 * by tmap (nt long) and, when bmap is not NULL, their second index by bmap
 * (nb long); indexes past a map or mapped to UINT32_MAX become "other". */
static void merge_pairs(il_agg *a, il_pairtab *into, const il_pairtab *from,
                        const uint32_t *tmap, uint32_t nt, const uint32_t *bmap, uint32_t nb)
{
    uint32_t n = il_pairtab_count(from);
    for (uint32_t i = 0; i < n; i++) {
        uint64_t key, c = il_pairtab_at(from, i, &key);
        uint32_t t = il_pair_a(key);
        int64_t b = il_pair_b(key);
        t = t < nt ? tmap[t] : UINT32_MAX;
        if (bmap)
            b = b >= 0 && b < nb ? bmap[b] : UINT32_MAX;
        if (!il_pairtab_add(into, il_pair_key(t, b), c))
            a->oom = 1;
    }
    il_pairtab_add_other(into, il_pairtab_other(from), il_pairtab_dropped(from));
}

void il_agg_finish(il_agg *a)
{
    /* from the triples ("other" included), which count every line but
     * HTTP.sys's: the totals (requests, bytes, classes, time range), and
     * the class sketches' count, sum and maximum (their buckets counted the
     * same lines) */
    a->requests = a->bytes = 0;
    memset(a->by_class, 0, sizeof a->by_class);
    for (int i = 0; i < IL__CLASS_COUNT; i++)
        a->by_cls[i].n = a->by_cls[i].sum = a->by_cls[i].max = 0;
    uint32_t nt = il_strtab_count(a->triples);
    for (uint32_t i = 0; i <= nt; i++) {
        const il_triple_stat *t = i < nt ? il_strtab_val(a->triples, i) : il_strtab_other(a->triples);
        if (t->n) {
            a->requests += t->n;
            a->bytes += t->bytes;
            a->by_class[t->cls] += t->n;
            if (t->first < a->first)
                a->first = t->first;
            if (t->last > a->last)
                a->last = t->last;
        }
        if (t->cls_set && t->taken_n) {
            il_sketch *s = &a->by_cls[t->cls];
            s->n += t->taken_n;
            s->sum += t->taken_sum;
            if (t->taken_max > s->max)
                s->max = t->taken_max;
        }
    }
    a->http = a->requests - a->ftp;
    memset(&a->all, 0, sizeof a->all);
    for (int i = 0; i < IL__CLASS_COUNT; i++)
        il_sketch_merge(&a->all, &a->by_cls[i]);
}

int il_agg_merge(il_agg *into, const il_agg *from)
{
    into->requests += from->requests;
    into->http += from->http;
    into->ftp += from->ftp;
    into->httperr += from->httperr;
    into->bytes += from->bytes;
    for (int i = 0; i < IL__CLASS_COUNT; i++) {
        into->by_class[i] += from->by_class[i];
        il_sketch_merge(&into->by_cls[i], &from->by_cls[i]);
    }
    if (from->first < into->first)
        into->first = from->first;
    if (from->last > into->last)
        into->last = from->last;
    for (int b = 0; b < IL__BAD_COUNT; b++) {
        into->bad[b] += from->bad[b];
        /* both lists are in input order: keep the first of the two */
        il_bad_sample both[2 * IL_BAD_SAMPLES];
        uint32_t i = 0, j = 0, k = 0, ni = into->nbad_sample[b], nj = from->nbad_sample[b];
        while (k < IL_BAD_SAMPLES && (i < ni || j < nj)) {
            if (j == nj || (i < ni && !sample_before(from->bad_sample[b][j].unit,
                                                     from->bad_sample[b][j].line,
                                                     &into->bad_sample[b][i])))
                both[k++] = into->bad_sample[b][i++];
            else
                both[k++] = from->bad_sample[b][j++];
        }
        memcpy(into->bad_sample[b], both, k * sizeof both[0]);
        into->nbad_sample[b] = k;
    }
    il_hll_merge(&into->clients_hll, &from->clients_hll);
    /* where from's triples, URLs and clients are in into: the pair tables'
     * keys hold those indexes */
    uint32_t nt = il_strtab_count(from->triples), nu = il_strtab_count(from->urls),
             nc = il_strtab_count(from->clients);
    uint32_t *tmap = malloc(((size_t)nt + nu + nc + 1) * sizeof *tmap);
    uint32_t *umap = tmap ? tmap + nt : NULL, *cmap = tmap ? umap + nu : NULL;
    if (!tmap)
        into->oom = 1;
    merge_tab(into->triples, from->triples, m_triple, NULL, tmap);
    merge_tab(into->urls, from->urls, m_url, NULL, umap);
    if (umap)
        merge_sketches(into, from, umap, nu);
    merge_tab(into->clients, from->clients, m_client, NULL, cmap);
    if (tmap) {
        merge_pairs(into, into->t_url, from->t_url, tmap, nt, umap, nu);
        merge_pairs(into, into->t_client, from->t_client, tmap, nt, cmap, nc);
        merge_pairs(into, into->t_minute, from->t_minute, tmap, nt, NULL, 0);
        free(tmap);
    }
    il_strtab *cnt_into[] = {into->agents, into->methods, into->sites, into->reasons,
                             into->asp, into->urlscan};
    const il_strtab *cnt_from[] = {from->agents, from->methods, from->sites,
                                   from->reasons, from->asp, from->urlscan};
    for (size_t i = 0; i < sizeof cnt_into / sizeof cnt_into[0]; i++)
        merge_tab(cnt_into[i], cnt_from[i], m_count, NULL, NULL);
    merge_tab(into->minutes, from->minutes, m_time, NULL, NULL);
    merge_tab(into->lat_min, from->lat_min, m_usk, NULL, NULL);
    merge_tab(into->lat_hour, from->lat_hour, m_usk, NULL, NULL);
    into->oom |= from->oom;
    into->last_minute = INT64_MIN; /* the caches may be stale now */
    into->last_tm = NULL;
    into->last_lm = into->last_lh = NULL;
    for (int i = 0; i < (1 << IL_TRIPLE_CACHE_BITS); i++)
        into->tcache[i].idx = UINT32_MAX;
    into->last_lat_min = into->last_lat_hour = INT64_MIN;
    memset(&into->c_method, 0, sizeof into->c_method);
    memset(&into->c_site, 0, sizeof into->c_site);
    return !into->oom;
}
