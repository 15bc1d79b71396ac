/*
 * strtab.c - the bounded, seeded string hash table of strtab.h.
 *
 * Open addressing with linear probing over a power-of-two slot array that
 * doubles when 3/4 full. A slot (16 bytes, four to a cache line) holds the
 * top 32 bits of the key's hash, the entry index + 1 (0 = empty), the key's
 * length and its offset in the arena: a lookup reads its slot, then the key
 * and the value (which the CPU can fetch together), and never the entry
 * array, which the cold paths (growth, iteration) use. Entries, keys (one
 * arena, under 4 GiB) and values (one array) grow by doubling. Nothing is
 * ever removed.
 */
#include "strtab.h"

#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

typedef struct ent {
    uint64_t h;
    uint32_t off; /* key offset in the arena */
    uint32_t len;
} ent;

typedef struct slot {
    uint32_t tag;  /* hash >> 32 */
    uint32_t e1;   /* entry index + 1; 0 = empty */
    uint32_t len;  /* key length */
    uint32_t off;  /* key offset in the arena */
} slot;

struct il_strtab {
    uint64_t seed;
    slot *slots;
    uint32_t nslots; /* power of two */
    ent *ents;
    uint32_t n, cap, max;
    char *arena;
    uint64_t alen, acap;
    unsigned char *vals;
    size_t vsize;
    unsigned char *other;
    uint64_t dropped;
};

static uint64_t rd64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

uint64_t il_strtab_hash(const il_strtab *t, const void *key, size_t n)
{
    return il_hash_seeded(t->seed, key, n);
}

uint64_t il_hash_fixed(const void *key, size_t n)
{
    return il_hash_seeded(0x2545F4914F6CDD1Dull, key, n);
}


/* 64x64 -> 128-bit multiply, folded: the core of the hash. */
static uint64_t mumfold(uint64_t a, uint64_t b)
{
#if defined(__SIZEOF_INT128__)
    __uint128_t r = (__uint128_t)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
#else
    uint64_t ah = a >> 32, al = (uint32_t)a, bh = b >> 32, bl = (uint32_t)b;
    uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    uint64_t mid = (ll >> 32) + (uint32_t)lh + (uint32_t)hl;
    uint64_t lo = (mid << 32) | (uint32_t)ll;
    uint64_t hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
    return lo ^ hi;
#endif
}

static uint32_t rd32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

uint64_t il_hash_seeded(uint64_t seed, const void *key, size_t n)
{
    /* Sixteen bytes per 128-bit multiply, with the seed in every step;
     * the tail is read as overlapping words (no byte loop, no copy) and
     * the length goes into the finish, so the low bits used for slots
     * depend on every byte, the length and the seed. */
    static const uint64_t k0 = 0xA0761D6478BD642Full, k1 = 0xE7037ED1A0B428DBull,
                          k2 = 0x8EBC6AF09C88C6E3ull;
    const unsigned char *p = key;
    uint64_t s = seed ^ k0, a, b;
    if (n <= 16) {
        if (n >= 8) {
            a = rd64(p);
            b = rd64(p + n - 8);
        } else if (n >= 4) {
            a = rd32(p);
            b = rd32(p + n - 4);
        } else if (n > 0) {
            a = ((uint64_t)p[0] << 16) | ((uint64_t)p[n >> 1] << 8) | p[n - 1];
            b = 0;
        } else {
            a = b = 0;
        }
    } else {
        size_t i = n;
        while (i > 16) {
            s = mumfold(rd64(p) ^ k1, rd64(p + 8) ^ s);
            p += 16;
            i -= 16;
        }
        a = rd64(p + i - 16);
        b = rd64(p + i - 8);
    }
    return mumfold(k1 ^ n, mumfold(a ^ k1, b ^ s) ^ k2);
}

il_strtab *il_strtab_new(size_t vsize, uint32_t max_entries, uint64_t seed)
{
    il_strtab *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->seed = seed;
    t->vsize = vsize ? vsize : 1;
    t->max = max_entries ? max_entries : 1;
    t->nslots = 64;
    t->slots = calloc(t->nslots, sizeof *t->slots);
    t->other = calloc(1, t->vsize);
    if (!t->slots || !t->other) {
        il_strtab_free(t);
        return NULL;
    }
    return t;
}

void il_strtab_free(il_strtab *t)
{
    if (!t)
        return;
    free(t->slots);
    free(t->ents);
    free(t->arena);
    free(t->vals);
    free(t->other);
    free(t);
}

static slot slot_of(const ent *e, uint32_t i)
{
    return (slot){(uint32_t)(e->h >> 32), i + 1, e->len, e->off};
}

static int grow_slots(il_strtab *t)
{
    uint32_t ns = t->nslots * 2;
    slot *s = calloc(ns, sizeof *s);
    if (!s)
        return 0;
    for (uint32_t i = 0; i < t->n; i++) {
        uint32_t j = (uint32_t)t->ents[i].h & (ns - 1);
        while (s[j].e1)
            j = (j + 1) & (ns - 1);
        s[j] = slot_of(&t->ents[i], i);
    }
    free(t->slots);
    t->slots = s;
    t->nslots = ns;
    return 1;
}

static int grow_ents(il_strtab *t)
{
    uint32_t nc = t->cap ? t->cap * 2 : 64;
    ent *e = realloc(t->ents, (size_t)nc * sizeof *e);
    if (!e)
        return 0;
    t->ents = e;
    unsigned char *v = realloc(t->vals, (size_t)nc * t->vsize);
    if (!v)
        return 0;
    t->vals = v;
    t->cap = nc;
    return 1;
}

static int arena_put(il_strtab *t, const void *key, size_t n, uint32_t *off)
{
    if (n == 0) {
        *off = (uint32_t)t->alen;
        return 1;
    }
    if (t->alen + n > UINT32_MAX) /* offsets are 32-bit: the table is full */
        return 0;
    if (t->alen + n > t->acap) {
        uint64_t nc = t->acap ? t->acap : 4096;
        while (nc < t->alen + n)
            nc *= 2;
        char *a = realloc(t->arena, (size_t)nc);
        if (!a)
            return 0;
        t->arena = a;
        t->acap = nc;
    }
    memcpy(t->arena + t->alen, key, n);
    *off = (uint32_t)t->alen;
    t->alen += n;
    return 1;
}

/* Equal bytes? Short keys (most clients, methods, status triples) without
 * a library call. */
static int same_bytes(const char *a, const void *bp, size_t n)
{
    const char *b = bp;
    if (n <= 16) {
        if (n >= 8) {
            uint64_t x, y, x2, y2;
            memcpy(&x, a, 8);
            memcpy(&y, b, 8);
            memcpy(&x2, a + n - 8, 8);
            memcpy(&y2, b + n - 8, 8);
            return x == y && x2 == y2;
        }
        for (size_t i = 0; i < n; i++)
            if (a[i] != b[i])
                return 0;
        return 1;
    }
#if defined(__SSE2__)
    /* longer keys (URLs, user agents) are nearly always equal here (tag and
     * length matched): OR the differences of 16-byte blocks, one test at
     * the end, no library call */
    __m128i acc = _mm_setzero_si128();
    size_t i = 0;
    for (; i + 16 < n; i += 16)
        acc = _mm_or_si128(acc, _mm_xor_si128(_mm_loadu_si128((const __m128i *)(const void *)(a + i)),
                                              _mm_loadu_si128((const __m128i *)(const void *)(b + i))));
    acc = _mm_or_si128(acc, _mm_xor_si128(_mm_loadu_si128((const __m128i *)(const void *)(a + n - 16)),
                                          _mm_loadu_si128((const __m128i *)(const void *)(b + n - 16))));
    return _mm_movemask_epi8(_mm_cmpeq_epi8(acc, _mm_setzero_si128())) == 0xFFFF;
#else
    return memcmp(a, b, n) == 0;
#endif
}

static uint32_t lookup(const il_strtab *t, const void *key, size_t n,
                       uint64_t h, uint32_t *slotp)
{
    uint32_t j = (uint32_t)h & (t->nslots - 1);
    uint32_t tag = (uint32_t)(h >> 32);
    for (;;) {
        const slot *sl = &t->slots[j];
        if (!sl->e1) {
            *slotp = j;
            return 0;
        }
        if (sl->tag == tag && sl->len == n && t->ents[sl->e1 - 1].h == h &&
            same_bytes(t->arena + sl->off, key, n))
            return sl->e1;
        j = (j + 1) & (t->nslots - 1);
    }
}

/* The miss path of il_strtab_get: insert key at free slot `slot`. */
static void *insert(il_strtab *t, const void *key, size_t n, uint64_t h,
                    uint32_t sj, uint32_t *idx)
{
    if (t->n >= t->max)
        goto full;
    if (t->n == t->cap && !grow_ents(t))
        goto full;
    uint32_t off;
    if (!arena_put(t, key, n, &off))
        goto full;
    uint32_t i = t->n++;
    t->ents[i].h = h;
    t->ents[i].off = off;
    t->ents[i].len = (uint32_t)n;
    memset(t->vals + (size_t)i * t->vsize, 0, t->vsize);
    t->slots[sj] = slot_of(&t->ents[i], i);
    if ((uint64_t)t->n * 4 >= (uint64_t)t->nslots * 3 && !grow_slots(t)) {
        /* still consistent: the table is just fuller than planned */
    }
    if (idx)
        *idx = i;
    return t->vals + (size_t)i * t->vsize;
full:
    t->dropped++;
    if (idx)
        *idx = UINT32_MAX;
    return t->other;
}

void *il_strtab_get(il_strtab *t, const void *key, size_t n, uint32_t *idx)
{
    if (n > IL_STRTAB_MAX_KEY)
        n = IL_STRTAB_MAX_KEY;
    return il_strtab_get_h(t, key, n, il_hash_seeded(t->seed, key, n), idx);
}

void il_strtab_prefetch(const il_strtab *t, uint64_t h)
{
#if defined(__GNUC__)
    __builtin_prefetch(&t->slots[(uint32_t)h & (t->nslots - 1)]);
#else
    (void)t;
    (void)h;
#endif
}

void *il_strtab_get_h(il_strtab *t, const void *key, size_t n, uint64_t h, uint32_t *idx)
{
    uint32_t mask = t->nslots - 1, j = (uint32_t)h & mask;
    uint32_t tag = (uint32_t)(h >> 32);
    for (;;) { /* the hit path, kept short: most lookups find their key */
        const slot *sl = &t->slots[j];
        if (!sl->e1)
            return insert(t, key, n, h, j, idx);
        /* tag and length first: a full compare only on a likely match; the
         * 32 tag bits stand in for the rest of the hash (no entry read) */
        if (sl->tag == tag && sl->len == n && same_bytes(t->arena + sl->off, key, n)) {
            uint32_t e = sl->e1 - 1;
            if (idx)
                *idx = e;
            return t->vals + (size_t)e * t->vsize;
        }
        j = (j + 1) & mask;
    }
}

void *il_strtab_find(const il_strtab *t, const void *key, size_t n)
{
    if (n > IL_STRTAB_MAX_KEY)
        n = IL_STRTAB_MAX_KEY;
    uint32_t sj;
    uint32_t e = lookup(t, key, n, il_strtab_hash(t, key, n), &sj);
    return e ? t->vals + (size_t)(e - 1) * t->vsize : NULL;
}

int il_strtab_key_is(const il_strtab *t, uint32_t i, const void *key, size_t n)
{
    if (n > IL_STRTAB_MAX_KEY)
        n = IL_STRTAB_MAX_KEY;
    const ent *e = &t->ents[i];
    return e->len == n && same_bytes(t->arena + e->off, key, n);
}

uint32_t il_strtab_count(const il_strtab *t)
{
    return t->n;
}

const char *il_strtab_key(const il_strtab *t, uint32_t i, size_t *n)
{
    *n = t->ents[i].len;
    return t->arena + t->ents[i].off;
}

void *il_strtab_val(const il_strtab *t, uint32_t i)
{
    return t->vals + (size_t)i * t->vsize;
}

void *il_strtab_other(const il_strtab *t)
{
    return t->other;
}

uint64_t il_strtab_dropped(const il_strtab *t)
{
    return t->dropped;
}

void il_strtab_add_dropped(il_strtab *t, uint64_t n)
{
    t->dropped += n;
}
