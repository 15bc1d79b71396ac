/* test_agg.c - the counting structures the report rests on: latency
 * histograms within their documented error, HyperLogLog within a few
 * percent, the bounded string table (cap, "other", dropped count, seeded
 * hashing), the word-keyed pair table, and merging that equals counting
 * everything in one place (failing-code pairs included). */
#include "agg.h"
#include "pairtab.h"
#include "strtab.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 88172645463325252ull;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* The count of (status, url) in a's failing-code URL table; -1 when the
 * pair is not there. Keys hold table indexes: decode them by name. */
static long long pair_count(const il_agg *a, int status, const char *url)
{
    for (uint32_t i = 0; i < il_pairtab_count(a->t_url); i++) {
        uint64_t key, n = il_pairtab_at(a->t_url, i, &key);
        uint32_t t = il_pair_a(key);
        int64_t u = il_pair_b(key);
        if (t >= il_strtab_count(a->triples) || u < 0 || u >= il_strtab_count(a->urls))
            continue;
        size_t kl, ul;
        const il_triple_key *tk = (const void *)il_strtab_key(a->triples, t, &kl);
        const char *us = il_strtab_key(a->urls, (uint32_t)u, &ul);
        if (tk->status == status && ul == strlen(url) && memcmp(us, url, ul) == 0)
            return (long long)n;
    }
    return -1;
}

/* A W3C record at time t: status 200 0 0, nothing else logged. */
static il_rec rec_at(int64_t t)
{
    il_rec r;
    memset(&r, 0, sizeof r);
    r.kind = IL_FMT_W3C;
    r.t = t;
    r.status = 200;
    r.sub = 0;
    r.win32 = 0;
    r.taken = r.sc_bytes = r.cs_bytes = -1;
    return r;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Relative error of a reported quantile against the exact value at rank. */
static double relerr(uint64_t got, uint64_t want)
{
    if (want == 0)
        return got == 0 ? 0 : 1;
    double d = (double)got - (double)want;
    return (d < 0 ? -d : d) / (double)want;
}

int main(void)
{
    enum { N = 200000 };
    uint64_t *v = malloc(N * sizeof *v);
    il_sketch *s = calloc(1, sizeof *s), *s1 = calloc(1, sizeof *s1), *s2 = calloc(1, sizeof *s2);
    il_usketch *u = calloc(1, sizeof *u);
    uint64_t umax = 0;
    for (int i = 0; i < N; i++) {
        /* log-uniform from 1 ms to ~17 minutes, plus some exact zeros */
        uint64_t x = i % 50 == 0 ? 0 : (uint64_t)1 << (next() % 20);
        x += next() % (x + 1);
        v[i] = x;
        il_sketch_add(s, x);
        il_sketch_add(i % 2 ? s1 : s2, x);
        il_usketch_add(u, x);
        if (x > umax)
            umax = x;
    }
    qsort(v, N, sizeof *v, cmp_u64);
    const double qs[] = {0.01, 0.25, 0.5, 0.9, 0.99, 0.999};
    double worst = 0, uworst = 0;
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        uint64_t exact = v[(size_t)(qs[i] * N + 0.999999) - 1];
        double e = relerr(il_sketch_quantile(s, qs[i]), exact);
        double ue = relerr(il_usketch_quantile(u, N, umax, qs[i]), exact);
        if (e > worst)
            worst = e;
        if (ue > uworst)
            uworst = ue;
    }
    TAP_OK(worst <= 1.0 / 64 + 1e-9, "sketch quantiles within 1.6%% (worst %.4f)", worst);
    TAP_OK(uworst <= 1.0 / 16 + 1e-9, "URL sketch quantiles within 6.3%% (worst %.4f)", uworst);
    TAP_EQ_U(il_sketch_quantile(s, 1.0), v[N - 1], "q=1 is the exact maximum");
    il_sketch_merge(s1, s2);
    TAP_OK(memcmp(s1, s, sizeof *s) == 0, "merged halves equal the whole");
    il_sketch empty;
    memset(&empty, 0, sizeof empty);
    TAP_EQ_U(il_sketch_quantile(&empty, 0.5), 0, "empty sketch gives 0");
    il_sketch *big = calloc(1, sizeof *big);
    il_sketch_add(big, UINT64_MAX);
    il_sketch_add(big, 5);
    TAP_EQ_U(il_sketch_quantile(big, 0.5), 5, "values below 32 are exact");
    TAP_EQ_U(il_sketch_quantile(big, 1.0), UINT64_MAX, "huge values do not overflow");

    il_hll *h = calloc(1, sizeof *h), *h2 = calloc(1, sizeof *h2);
    for (int i = 0; i < 100000; i++) {
        char key[32];
        int n = snprintf(key, sizeof key, "10.%d.%d.%d", i >> 16, (i >> 8) & 255, i & 255);
        il_hll_add(i % 3 ? h : h2, il_hash_fixed(key, (size_t)n));
        il_hll_add(h, il_hash_fixed(key, (size_t)n)); /* duplicates change nothing */
    }
    double est = il_hll_estimate(h);
    TAP_OK(est > 97000 && est < 103000, "HyperLogLog within 3%% for 100000 (%.0f)", est);
    il_hll_merge(h, h2);
    TAP_OK(il_hll_estimate(h) > 97000 && il_hll_estimate(h) < 103000, "merge keeps the estimate");
    il_hll *h3 = calloc(1, sizeof *h3);
    for (int i = 0; i < 10; i++) {
        char key[8] = {'c', (char)('0' + i)};
        il_hll_add(h3, il_hash_fixed(key, 2));
    }
    TAP_OK(il_hll_estimate(h3) > 9.5 && il_hll_estimate(h3) < 10.5, "small counts are exact");

    il_strtab *t = il_strtab_new(sizeof(uint64_t), 1000, 12345);
    for (int i = 0; i < 5000; i++) {
        char key[16];
        int n = snprintf(key, sizeof key, "k%d", i % 1500);
        uint64_t *c = il_strtab_get(t, key, (size_t)n, NULL);
        (*c)++;
    }
    TAP_EQ_U(il_strtab_count(t), 1000, "table stops at its cap");
    uint64_t inside = 0;
    for (uint32_t i = 0; i < il_strtab_count(t); i++)
        inside += *(uint64_t *)il_strtab_val(t, i);
    TAP_EQ_U(inside + *(uint64_t *)il_strtab_other(t), 5000, "nothing lost: tracked + other = all");
    TAP_OK(il_strtab_dropped(t) > 0, "dropped lookups are counted");
    uint64_t *k7 = il_strtab_find(t, "k7", 2);
    TAP_OK(k7 && *k7 == 4, "a tracked key keeps its exact count");
    char longkey[5000];
    memset(longkey, 'x', sizeof longkey);
    il_strtab *t2 = il_strtab_new(sizeof(uint64_t), 10, 1);
    (*(uint64_t *)il_strtab_get(t2, longkey, sizeof longkey, NULL))++;
    size_t kl;
    il_strtab_key(t2, 0, &kl);
    TAP_EQ_U(kl, IL_STRTAB_MAX_KEY, "keys are cut at the key limit");
    {
        /* an empty key (a URLScan line whose query holds no path) in a
         * table with no other key: its bytes are a real pointer, not a
         * null one plus an offset (found by fuzz_report under clang's
         * UBSan), and it is found again */
        il_strtab *te = il_strtab_new(sizeof(uint64_t), 10, 3);
        (*(uint64_t *)il_strtab_get(te, "", 0, NULL))++;
        (*(uint64_t *)il_strtab_get(te, "", 0, NULL))++;
        size_t en;
        const char *ek = il_strtab_key(te, 0, &en);
        TAP_OK(il_strtab_count(te) == 1 && en == 0 && ek != NULL &&
                   *(uint64_t *)il_strtab_val(te, 0) == 2,
               "an empty key is one entry with a non-null key pointer");
        il_strtab_free(te);
    }
    il_strtab *t3 = il_strtab_new(sizeof(uint64_t), 10, 2);
    TAP_OK(il_strtab_hash(t2, "abc", 3) != il_strtab_hash(t3, "abc", 3),
           "hashing depends on the table's seed");
    TAP_OK(il_hash_fixed("abc", 3) == il_hash_fixed("abc", 3), "the fixed hash is stable");
    {
        /* keys whose first word is the hash's multiplier constant (the
         * bytes below, little-endian): when the seed was in one factor of
         * the multiply only, each group below hashed to one value for any
         * seed, so a crafted log could pile its keys into one probe chain */
        static const unsigned char k1[8] = {0xDB, 0x28, 0xB4, 0xA0, 0xD1, 0x7E, 0x03, 0xE7};
        const size_t lens[3] = {16, 24, 40};
        for (int li = 0; li < 3; li++) {
            uint64_t hs[2][64];
            int distinct = 1, seeded = 1;
            for (unsigned i = 0; i < 64; i++) {
                unsigned char key[40];
                memset(key, 'k', sizeof key);
                memcpy(key, k1, 8);
                key[8] = (unsigned char)i; /* only the first 16 bytes differ */
                for (int sd = 0; sd < 2; sd++) {
                    hs[sd][i] = il_hash_seeded((uint64_t)sd + 1, key, lens[li]);
                    for (unsigned j = 0; j < i; j++)
                        distinct &= hs[sd][j] != hs[sd][i];
                }
                seeded &= hs[0][i] != hs[1][i];
            }
            TAP_OK(distinct, "crafted keys of %zu bytes hash apart", lens[li]);
            TAP_OK(seeded, "crafted keys of %zu bytes hash by the seed", lens[li]);
        }
    }
    il_strtab_free(t);
    il_strtab_free(t2);
    il_strtab_free(t3);

    /* URL histograms keep 16-bit buckets and carry into a second array:
     * counts past 65536 in one bucket, alone and merged, stay exact */
    {
        il_agg_limits lim;
        il_agg_default_limits(&lim);
        il_agg *x = il_agg_new(&lim, 7), *y = il_agg_new(&lim, 8);
        il_rec r = rec_at(1700000000);
        r.uri = (il_str){"/a", 2};
        for (int i = 0; i < 150000; i++) {
            r.taken = 7;
            il_agg_add(x, &r);
        }
        for (int i = 0; i < 10; i++) {
            r.taken = 5000;
            il_agg_add(x, &r);
        }
        for (int i = 0; i < 70000; i++) {
            r.taken = 7;
            il_agg_add(y, &r);
        }
        const il_url_stat *ux = il_strtab_find(x->urls, "/a", 2);
        il_usketch us;
        int ok = ux && ux->sketch >= 0;
        if (ok)
            il_agg_url_sketch(x, ux->sketch, &us);
        uint64_t at5000 = 0;
        for (unsigned i = 8; ok && i < IL_USK_BUCKETS; i++)
            at5000 += us.b[i];
        TAP_OK(ok && us.b[7] == 150000 && at5000 == 10,
               "a URL bucket past 65536 counts exactly (150000 and 10)");
        TAP_OK(il_agg_merge(x, y), "merge");
        ux = il_strtab_find(x->urls, "/a", 2);
        il_agg_url_sketch(x, ux->sketch, &us);
        TAP_EQ_U(us.b[7], 220000, "merged: 150000 + 70000 in one bucket");
        TAP_EQ_U(il_usketch_quantile(&us, ux->taken_n, ux->taken_max, 0.5), 7,
                 "its median is still the value");
        il_agg_free(x);
        il_agg_free(y);
    }

    /* the client a line counts under: X-Forwarded-For's first address */
    {
        static const struct { const char *xff, *want; } cases[] = {
            {"203.0.113.7:51234,+10.0.0.1", "203.0.113.7"},
            {"+203.0.113.7", "203.0.113.7"},
            {"[2001:db8::1]:443,+10.0.0.1", "2001:db8::1"},
            {"2001:db8::1", "2001:db8::1"},
            {"fe80::1%eth0", "fe80::1%eth0"},
            {"[2001:db8::1", "[2001:db8::1"},
            {"+,203.0.113.7", "10.9.9.9"},
            {"", "10.9.9.9"},
        };
        int ok = 1;
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            il_rec r;
            memset(&r, 0, sizeof r);
            r.client = (il_str){"10.9.9.9", 8};
            r.xff = (il_str){cases[i].xff, strlen(cases[i].xff)};
            il_str c = il_agg_client(&r);
            if (c.n != strlen(cases[i].want) || memcmp(c.p, cases[i].want, c.n) != 0) {
                ok = 0;
                printf("# xff \"%s\": got \"%.*s\", want \"%s\"\n", cases[i].xff, (int)c.n,
                       c.p, cases[i].want);
            }
        }
        TAP_OK(ok, "X-Forwarded-For: first address, port and brackets removed, else c-ip");
        char longx[300];
        memset(longx, '1', sizeof longx);
        il_rec r;
        memset(&r, 0, sizeof r);
        r.client = (il_str){"10.9.9.9", 8};
        r.xff = (il_str){longx, sizeof longx};
        il_str c = il_agg_client(&r);
        TAP_OK(c.n == 8 && memcmp(c.p, "10.9.9.9", 8) == 0,
               "an X-Forwarded-For address past the client key limit falls back to c-ip");
        /* a c-ip of any length is counted under its first IL_STRTAB_MAX_KEY
         * bytes, like every other key */
        static char huge[3 * IL_STRTAB_MAX_KEY];
        memset(huge, 'a', sizeof huge);
        il_agg *a = il_agg_new(NULL, 5);
        r = rec_at(1700000000);
        r.client = (il_str){huge, sizeof huge};
        il_agg_add(a, &r);
        r.client = (il_str){huge, sizeof huge - 1};
        il_agg_add(a, &r);
        size_t cl = 0;
        if (il_strtab_count(a->clients) == 1)
            il_strtab_key(a->clients, 0, &cl);
        TAP_OK(il_strtab_count(a->clients) == 1 && cl == IL_STRTAB_MAX_KEY &&
                   ((const il_client_stat *)il_strtab_val(a->clients, 0))->n == 2,
               "a c-ip longer than the key limit is cut there (one client, counted twice)");
        il_agg_free(a);
    }

    /* the word-keyed pair table: packing, cap, "other", insertion order */
    {
        TAP_OK(il_pair_a(il_pair_key(7, -5)) == 7 && il_pair_b(il_pair_key(7, -5)) == -5,
               "a pair key keeps a negative minute");
        TAP_OK(il_pair_b(il_pair_key(3, UINT32_MAX)) == UINT32_MAX &&
                   il_pair_a(il_pair_key(UINT32_MAX, 1)) == IL_PAIR_A_OTHER,
               "a pair key keeps \"other\" indexes");
        il_pairtab *p = il_pairtab_new(1000, 99);
        for (uint64_t i = 0; i < 3000; i++)
            il_pairtab_add(p, il_pair_key((uint32_t)(i % 1500), (int64_t)i % 1500), 1);
        TAP_EQ_U(il_pairtab_count(p), 1000, "pair table stops at its cap");
        uint64_t in = 0, key;
        int ordered = 1;
        for (uint32_t i = 0; i < il_pairtab_count(p); i++) {
            in += il_pairtab_at(p, i, &key);
            ordered &= il_pair_a(key) == i; /* the first 1000 keys, in order */
        }
        TAP_OK(ordered, "pairs iterate in insertion order");
        TAP_EQ_U(in, 2000, "tracked pairs keep exact counts");
        TAP_EQ_U(in + il_pairtab_other(p), 3000, "nothing lost: the rest is \"other\"");
        TAP_EQ_U(il_pairtab_dropped(p), 1000, "dropped pair lookups are counted");
        il_pairtab_free(p);
    }

    /* failing codes per URL: the keys are table indexes, which differ
     * between aggregators; a merge must translate them */
    {
        il_agg *x = il_agg_new(NULL, 1), *y = il_agg_new(NULL, 2), *all = il_agg_new(NULL, 3);
        il_rec r = rec_at(1700000000);
        static const struct { const char *url; int status, times, to_y; } lines[] = {
            {"/a", 500, 3, 0}, {"/b", 200, 1, 0}, {"/b", 500, 2, 0}, {"/c", 503, 4, 1},
            {"/b", 500, 5, 1}, {"/a", 404, 6, 1}, {"/d", 500, 1, 1}, {"/a", 500, 2, 1}};
        for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
            for (int j = 0; j < lines[i].times; j++) {
                r.uri = (il_str){lines[i].url, strlen(lines[i].url)};
                r.status = lines[i].status;
                r.client = (il_str){lines[i].to_y ? "10.0.0.2" : "10.0.0.1", 8};
                il_agg_add(lines[i].to_y ? y : x, &r);
                il_agg_add(all, &r);
            }
        TAP_OK(il_agg_merge(x, y), "merge of failing-code pairs");
        static const struct { int status; const char *url; long long n; } want[] = {
            {500, "/a", 5}, {500, "/b", 7}, {503, "/c", 4}, {404, "/a", 6}, {500, "/d", 1},
            {200, "/b", -1}, {503, "/a", -1}};
        int same = 1;
        for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
            long long got = pair_count(x, want[i].status, want[i].url);
            if (got != want[i].n || pair_count(all, want[i].status, want[i].url) != want[i].n) {
                same = 0;
                printf("# %d %s: merged %lld, one aggregator %lld, want %lld\n", want[i].status,
                         want[i].url, got, pair_count(all, want[i].status, want[i].url),
                         want[i].n);
            }
        }
        TAP_OK(same, "failing-code URL counts: merged = counted in one place = expected");
        TAP_EQ_U(il_pairtab_count(x->t_client), il_pairtab_count(all->t_client),
                 "as many (code, client) pairs merged as counted in one place");
        il_agg_free(x);
        il_agg_free(y);
        il_agg_free(all);
    }

    /* user agents: each client remembers the agent it sent last (a lookup
     * hint); counts must be exact however clients switch agents, with
     * agents that differ only at the end, past the key limit, or that no
     * longer fit the table */
    {
        static char agents[6][3000];
        size_t alen[6];
        for (int i = 0; i < 6; i++) {
            memset(agents[i], 'A' + i / 3, sizeof agents[i]);
            alen[i] = i == 5 ? sizeof agents[i] : 40 + (size_t)(i % 3); /* 5: over the limit */
            agents[i][alen[i] - 1] = (char)('0' + i); /* same start, other end */
        }
        il_agg_limits lim;
        il_agg_default_limits(&lim);
        for (int full = 0; full < 2; full++) {
            lim.agents = full ? 3 : 1000;
            il_agg *a = il_agg_new(&lim, 42);
            uint64_t want[6] = {0};
            char ip[32];
            for (int i = 0; i < 20000; i++) {
                il_rec r;
                r = rec_at(1700000000 + i);
                int c = (int)(next() % 50);
                /* mostly the client's own agent, sometimes another */
                int ag = next() % 8 == 0 ? (int)(next() % 6) : c % 6;
                snprintf(ip, sizeof ip, "10.0.0.%d", c);
                r.client = (il_str){ip, strlen(ip)};
                r.ua = (il_str){agents[ag], alen[ag]};
                il_agg_add(a, &r);
                want[ag]++;
            }
            int exact = 1;
            uint64_t tracked = 0;
            for (int i = 0; i < 6; i++) {
                const uint64_t *got = il_strtab_find(a->agents, agents[i], alen[i]);
                if (got)
                    tracked += *got;
                if (!full && (!got || *got != want[i]))
                    exact = 0;
                if (full && got && *got != want[i])
                    exact = 0;
            }
            uint64_t other = *(const uint64_t *)il_strtab_other(a->agents);
            TAP_OK(exact, "agent counts exact with the per-client hint (%s table)",
                   full ? "full" : "roomy");
            TAP_EQ_U(tracked + other, 20000, "every request's agent counted once (%s table)",
                     full ? "full" : "roomy");
            il_agg_free(a);
        }
    }
    free(v);
    free(s);
    free(s1);
    free(s2);
    free(u);
    free(big);
    free(h);
    free(h2);
    free(h3);
    return tap_done();
}
