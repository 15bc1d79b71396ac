/*
 * agg.h - the aggregator: everything the report counts, in bounded memory.
 *
 * One il_agg per worker thread takes records (il_agg_add) and malformed
 * lines (il_agg_bad); at the end the workers' aggregators are merged into
 * one (il_agg_merge) and the report reads it. Every table is an il_strtab
 * with a fixed cap (il_agg_limits), so memory does not grow with the input
 * at a fixed number of distinct values and stays bounded when distinct
 * values explode; what did not fit is counted as "other" (docs/REPORT.md).
 *
 * Latency uses il_sketch, a log-linear histogram of time-taken in ms:
 * exact below 32 ms, and within 1.6% of the true value above (32 buckets
 * per power of two, each reported at its midpoint). Sketches merge by
 * adding counts, so per-thread results combine exactly.
 */
#ifndef IISLENS_AGG_H
#define IISLENS_AGG_H

#include "iislens.h"
#include "logfmt.h"
#include "pairtab.h"
#include "strtab.h"

#include <stdint.h>

#define IL_SKETCH_SUB 32
#define IL_SKETCH_OCTAVES 40
#define IL_SKETCH_BUCKETS (IL_SKETCH_SUB * (IL_SKETCH_OCTAVES + 1))

typedef struct il_sketch {
    uint64_t n, sum, max;
    uint32_t b[IL_SKETCH_BUCKETS];
} il_sketch;

/* The per-URL histogram: the same layout with 8 buckets per power of two
 * up to 2^32 ms (~50 days; larger values land in the last bucket), so a
 * percentile is within 6.3% of a value at that rank; under 1 KiB, so
 * thousands of them stay in cache. Count, sum and maximum live in the URL's
 * own statistics. */
#define IL_USK_SUB 8
#define IL_USK_OCTAVES 29
#define IL_USK_BUCKETS (IL_USK_SUB * (IL_USK_OCTAVES + 1))

typedef struct il_usketch {
    uint32_t b[IL_USK_BUCKETS];
} il_usketch;

/* A URL's histogram as the aggregator keeps it: the same buckets in 16
 * bits (half the memory, so more URLs' counters stay in cache), each
 * bucket's multiples of 65536 in a 32-bit array from a second pool that a
 * URL gets only when a bucket first wraps. Exact; il_agg_url_sketch gives
 * it back as an il_usketch. */
typedef struct il_usk16 {
    uint16_t lo[IL_USK_BUCKETS];
    uint32_t hi; /* index + 1 in il_agg.skhi; 0: no bucket has wrapped */
} il_usk16;

void il_usketch_add(il_usketch *s, uint64_t v);
void il_usketch_merge(il_usketch *into, const il_usketch *from);
/* Quantile q of a URL histogram holding n values whose maximum is max. */
uint64_t il_usketch_quantile(const il_usketch *s, uint64_t n, uint64_t max, double q);

void il_sketch_add(il_sketch *s, uint64_t v);
void il_sketch_merge(il_sketch *into, const il_sketch *from);
/* The value at quantile q (0..1); 0 when empty. */
uint64_t il_sketch_quantile(const il_sketch *s, double q);

#define IL_HLL_P 14
typedef struct il_hll {
    uint8_t reg[1u << IL_HLL_P];
} il_hll;
void il_hll_add(il_hll *h, uint64_t hash);
void il_hll_merge(il_hll *into, const il_hll *from);
double il_hll_estimate(const il_hll *h);

/* Caps on distinct values per table. */
typedef struct il_agg_limits {
    uint32_t urls, clients, agents, pairs, minutes, small, url_sketches;
    uint32_t lat_minutes, lat_hours; /* latency-over-time histograms */
} il_agg_limits;
void il_agg_default_limits(il_agg_limits *l);

/* Triple key: what a status line is counted under. */
typedef struct il_triple_key {
    uint8_t proto;    /* 0 HTTP, 1 FTP */
    uint8_t pad[3];
    int32_t status;
    int32_t sub;      /* -1 not logged */
    int32_t pad2;
    int64_t win32;    /* -1 not logged */
} il_triple_key;

#define IL_TRIPLE_CACHE_BITS 6
typedef struct il_triple_slot { /* a cached triple and its index (UINT32_MAX: none) */
    uint64_t ss;   /* status | sub-status << 32, as uint32 each */
    uint64_t w;    /* win32 */
    uint32_t idx;
    uint8_t proto;
} il_triple_slot;

typedef struct il_triple_stat {
    uint64_t n, bytes;
    int64_t first, last;   /* epoch seconds, INT64_MIN if unknown */
    uint64_t taken_n, taken_sum, taken_max;
    uint8_t cls;           /* il_class, computed once per triple */
    uint8_t err;           /* il_class_is_error(cls) */
    uint8_t cls_set;
} il_triple_stat;

typedef struct il_url_stat {
    uint64_t n, errors, aborts, bytes, taken_n, taken_sum, taken_max;
    int32_t sketch;        /* index into the sketch pool, -1 none */
} il_url_stat;

typedef struct il_client_stat {
    uint64_t n, errors, auth_fail, not_found;
    int64_t first, last;
    uint32_t ua1;          /* index + 1 of the agent it sent last (0 none): a
                              hint for the next lookup, not merged */
    uint32_t ua_off, ua_len; /* that agent's key in the agent table (with
                                ua1, so the hint needs no entry read) */
} il_client_stat;

typedef struct il_count_stat {
    uint64_t n;
} il_count_stat;

typedef struct il_time_stat {
    uint64_t by_class[IL__CLASS_COUNT];
} il_time_stat;

typedef struct il_bad_sample {
    char file[256];
    uint64_t line;
    uint32_t unit;  /* engine work unit: line is relative to it until fixed */
} il_bad_sample;

#define IL_BAD_SAMPLES 5

/* Recent keys of a small table (methods, sites) and their indexes, so that
 * counting them needs no hash: keys of up to 8 bytes, packed exactly into
 * a word with their length (il_agg_add), direct-mapped. */
#define IL_AGG_CACHE 8
typedef struct il_agg_cache {
    uint64_t w[IL_AGG_CACHE];   /* packed key */
    uint32_t n[IL_AGG_CACHE];   /* key length; 0: empty slot */
    uint32_t idx[IL_AGG_CACHE]; /* its entry */
} il_agg_cache;

typedef struct il_agg {
    char pad0[64]; /* aggregators of different threads may be allocated
                      side by side: no shared cache line (and pad1) */
    il_agg_limits lim;
    uint64_t seed;
    uint64_t requests, http, ftp, httperr, bytes; /* requests, http, bytes,
                                                     by_class: il_agg_finish */
    uint64_t by_class[IL__CLASS_COUNT];
    int64_t first, last;
    uint64_t bad[IL__BAD_COUNT];
    il_bad_sample bad_sample[IL__BAD_COUNT][IL_BAD_SAMPLES];
    uint32_t nbad_sample[IL__BAD_COUNT];
    il_sketch all, by_cls[IL__CLASS_COUNT];
    il_hll clients_hll;
    il_strtab *triples;    /* il_triple_key -> il_triple_stat */
    il_strtab *urls;       /* uri-stem -> il_url_stat */
    il_strtab *clients;    /* client ip -> il_client_stat */
    il_strtab *agents;     /* user agent (as logged) -> count */
    il_strtab *methods, *sites, *reasons, *asp, *urlscan; /* -> count */
    il_strtab *minutes;    /* int64 minute -> il_time_stat */
    /* failing triples' counts by URL, client and minute: keys are
     * il_pair_key(triple index, URL index | client index | minute), with
     * the indexes of the tables above (UINT32_MAX: their "other") */
    il_pairtab *t_url, *t_client, *t_minute;
    il_strtab *lat_min, *lat_hour; /* int64 minute/hour -> il_usketch: latency
                                      over time (minutes for reports spanning
                                      hours, hours beyond) */
    il_usk16 *sk;          /* URL histogram pool */
    uint32_t nsk, capsk;
    uint32_t (*skhi)[IL_USK_BUCKETS]; /* the high parts of histograms whose
                                         16-bit buckets have wrapped */
    uint32_t nskhi, capskhi;
    int oom;               /* an allocation failed: tables are partial */
    /* per-record caches (not merged) */
    int64_t last_minute;
    il_time_stat *last_tm;
    il_triple_slot tcache[1 << IL_TRIPLE_CACHE_BITS]; /* triple -> index */
    int64_t last_lat_min, last_lat_hour;
    il_usketch *last_lm, *last_lh;
    il_agg_cache c_method, c_site;
    char pad1[64];
} il_agg;

il_agg *il_agg_new(const il_agg_limits *lim, uint64_t seed);
void il_agg_free(il_agg *a);
void il_agg_add(il_agg *a, const il_rec *r);
void il_agg_bad(il_agg *a, il_bad why, const char *file, uint64_t line);
/* As il_agg_bad, for a line numbered from the start of work unit `unit`;
 * il_agg_fix_lines(a, base, n) later adds base[unit] to make it absolute. */
void il_agg_bad_at(il_agg *a, il_bad why, const char *file, uint64_t line,
                   uint32_t unit);
void il_agg_fix_lines(il_agg *a, const uint64_t *base, size_t nunits);
/* Compute what is derived from other counts: requests, http, bytes,
 * by_class, first and last (from the status triples), the class sketches'
 * count, sum and maximum, and the overall latency sketch. Call after the
 * last add or merge; until then those fields are not the run's. */
void il_agg_finish(il_agg *a);
/* Fold `from` into `into`; from is left unchanged. 0 on allocation failure. */
int il_agg_merge(il_agg *into, const il_agg *from);

/* URL histogram `sketch` (il_url_stat.sketch, >= 0) of a, as counts. */
void il_agg_url_sketch(const il_agg *a, int32_t sketch, il_usketch *out);

/* The client a record counts under: the first address of X-Forwarded-For
 * when logged (and shorter than IL_AGG_CLIENT_MAX bytes), else c-ip; ports
 * and brackets removed. A slice of the record's bytes. */
#define IL_AGG_CLIENT_MAX 128
il_str il_agg_client(const il_rec *r);

#endif
