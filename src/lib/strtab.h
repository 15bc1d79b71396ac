/*
 * strtab.h - a bounded hash table from byte strings to fixed-size values,
 * used for every "count by X" the report keeps (URLs, clients, agents,
 * status triples, time buckets).
 *
 * Keys are copied into the table's own arena; values are zero-initialised
 * blocks of vsize bytes owned by the table. Hashing is seeded (keys come
 * from attacker-controlled log lines). The table never holds more than
 * max_entries keys nor longer keys than IL_STRTAB_MAX_KEY bytes (longer keys
 * are cut there); a new key arriving when it is full is counted in the
 * shared "other" value and in `dropped`, so memory stays bounded whatever
 * the input. Pointers returned by il_strtab_get stay valid only until the
 * next insertion into the same table; indexes stay valid for its lifetime.
 */
#ifndef IISLENS_STRTAB_H
#define IISLENS_STRTAB_H

#include "internal.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define IL_STRTAB_MAX_KEY 2048

typedef struct il_strtab il_strtab;

il_strtab *il_strtab_new(size_t vsize, uint32_t max_entries, uint64_t seed);
void il_strtab_free(il_strtab *t);

uint64_t il_strtab_hash(const il_strtab *t, const void *key, size_t n);
/* The same hash with a given seed, and with a fixed one (for estimates that
 * must not change from run to run, such as the distinct-client count). */
uint64_t il_hash_seeded(uint64_t seed, const void *key, size_t n);
uint64_t il_hash_fixed(const void *key, size_t n);

/* The value for key; inserts a zeroed value when new. Returns the "other"
 * value (and sets *idx to UINT32_MAX) when the table is full or memory runs
 * out; else *idx (if idx is not NULL) receives the entry's index. */
void *il_strtab_get(il_strtab *t, const void *key, size_t n, uint32_t *idx);
/* Lookup without inserting; NULL when absent. */
void *il_strtab_find(const il_strtab *t, const void *key, size_t n);

uint32_t il_strtab_count(const il_strtab *t);
const char *il_strtab_key(const il_strtab *t, uint32_t i, size_t *n);
/* il_strtab_val(t, i) and il_strtab_other(t) are inline, below. */
/* Number of lookups of new keys that did not fit. */
uint64_t il_strtab_dropped(const il_strtab *t);
void il_strtab_add_dropped(il_strtab *t, uint64_t n);

/* ---- the hit path, inline ----------------------------------------------
 * So that each call site (URLs, clients, ...) gets its own copy of the
 * branches on key length, which then predict well. The layout below is
 * strtab.c's; other modules use only the functions. */

typedef struct il_strtab_slot { /* 16 bytes, four to a cache line */
    uint32_t tag;  /* hash >> 32 */
    uint32_t e1;   /* entry index + 1; 0 = empty */
    uint32_t len;  /* key length */
    uint32_t off;  /* key offset in the arena */
} il_strtab_slot;

typedef struct il_strtab_ent {
    uint64_t h;
    uint32_t off; /* key offset in the arena */
    uint32_t len;
} il_strtab_ent;

struct il_strtab {
    uint64_t seed;
    il_strtab_slot *slots;
    uint32_t nslots; /* power of two */
    il_strtab_ent *ents;
    uint32_t n, cap, max;
    char *arena;
    uint64_t alen, acap;
    unsigned char *vals;
    size_t vsize;
    unsigned char *other;
    uint64_t dropped;
};

/* The miss path: insert key at free slot j (strtab.c). */
void *il_strtab_insert_at(il_strtab *t, const void *key, size_t n, uint64_t h,
                          uint32_t j, uint32_t *idx);

/* 64x64 -> 128-bit multiply, folded: the core of the hash. */
static inline uint64_t il_mumfold_(uint64_t a, uint64_t b)
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

/* il_hash_seeded. Sixteen bytes per 128-bit multiply, with the seed in
 * every step; the tail is read as overlapping words (no byte loop, no copy)
 * and the length goes into the finish, so the low bits used for slots
 * depend on every byte, the length and the seed. The seeded state goes into
 * both factors of every multiply: with it in one only, a key whose first
 * word equals the constant in the other zeroes the product, and all such
 * keys collide whatever the seed (a way to flood a table from a log). */
IL_HOT_INLINE uint64_t il_hash_inline(uint64_t seed, const void *key, size_t n)
{
    const uint64_t k0 = 0xA0761D6478BD642Full, k1 = 0xE7037ED1A0B428DBull,
                   k2 = 0x8EBC6AF09C88C6E3ull;
    const unsigned char *p = key;
    uint64_t s = seed ^ k0, a, b;
    if (n <= 16) {
        if (n >= 8) {
            a = il_load64(p);
            b = il_load64(p + n - 8);
        } else if (n >= 4) {
            a = il_load32(p);
            b = il_load32(p + n - 4);
        } else if (n > 0) {
            a = ((uint64_t)p[0] << 16) | ((uint64_t)p[n >> 1] << 8) | p[n - 1];
            b = 0;
        } else {
            a = b = 0;
        }
    } else {
        size_t i = n;
        while (i > 16) {
            s = il_mumfold_(il_load64(p) ^ s ^ k1, il_load64(p + 8) ^ s);
            p += 16;
            i -= 16;
        }
        a = il_load64(p + i - 16);
        b = il_load64(p + i - 8);
    }
    return il_mumfold_(k1 ^ n, il_mumfold_(a ^ s ^ k1, b ^ s) ^ k2);
}

/* Equal bytes? Without a library call: keys that reach the compare nearly
 * always are equal (tag and length matched). */
IL_HOT_INLINE int il_same_bytes(const char *a, const void *bp, size_t n)
{
    const char *b = bp;
    if (n <= 16) {
        if (n >= 8) {
            return il_load64(a) == il_load64(b) &&
                   il_load64(a + n - 8) == il_load64(b + n - 8);
        }
        for (size_t i = 0; i < n; i++)
            if (a[i] != b[i])
                return 0;
        return 1;
    }
#if defined(__SSE2__)
    /* OR the differences of 16-byte blocks, one test at the end */
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

IL_HOT_INLINE uint64_t il_strtab_hash_inline(const il_strtab *t, const void *key, size_t n)
{
    return il_hash_inline(t->seed, key, n);
}

/* il_strtab_get for a key of at most IL_STRTAB_MAX_KEY bytes whose
 * il_strtab_hash is h (computed ahead, so that the hash's multiplies
 * overlap the caller's other work), inline. */
IL_HOT_INLINE void *il_strtab_get_inline(il_strtab *t, const void *key, size_t n, uint64_t h,
                                         uint32_t *idx)
{
    uint32_t mask = t->nslots - 1, j = (uint32_t)h & mask;
    uint32_t tag = (uint32_t)(h >> 32);
    for (;;) { /* most lookups find their key */
        const il_strtab_slot *sl = &t->slots[j];
        if (!sl->e1)
            return il_strtab_insert_at(t, key, n, h, j, idx);
        /* tag and length first: a full compare only on a likely match; the
         * 32 tag bits stand in for the rest of the hash (no entry read) */
        if (sl->tag == tag && sl->len == n && il_same_bytes(t->arena + sl->off, key, n)) {
            uint32_t e = sl->e1 - 1;
            if (idx)
                *idx = e;
            return t->vals + (size_t)e * t->vsize;
        }
        j = (j + 1) & mask;
    }
}

/* Entry i's value. */
IL_HOT_INLINE void *il_strtab_val(const il_strtab *t, uint32_t i)
{
    return t->vals + (size_t)i * t->vsize;
}

/* The shared value of the keys that did not fit. */
IL_HOT_INLINE void *il_strtab_other(const il_strtab *t)
{
    return t->other;
}

/* Where entry i's key starts in the table's key bytes (stable, unlike
 * the pointer il_strtab_key returns): for il_strtab_bytes_are. */
IL_HOT_INLINE uint32_t il_strtab_key_off(const il_strtab *t, uint32_t i)
{
    return t->ents[i].off;
}

/* Whether the n key bytes at offset off (il_strtab_key_off; n at most
 * IL_STRTAB_MAX_KEY and the key's length) are key[0..n). */
IL_HOT_INLINE int il_strtab_bytes_are(const il_strtab *t, uint32_t off, const void *key,
                                      size_t n)
{
    return il_same_bytes(t->arena + off, key, n);
}

#endif
