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

typedef il_strtab_slot slot;
typedef il_strtab_ent ent;

uint64_t il_strtab_hash(const il_strtab *t, const void *key, size_t n)
{
    return il_hash_seeded(t->seed, key, n);
}

uint64_t il_hash_fixed(const void *key, size_t n)
{
    return il_hash_seeded(0x2545F4914F6CDD1Dull, key, n);
}

uint64_t il_hash_seeded(uint64_t seed, const void *key, size_t n)
{
    return il_hash_inline(seed, key, n);
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
    /* an arena from the start, so that a key's bytes are never a null
     * pointer plus an offset, also when every key so far is empty */
    t->acap = 256;
    t->arena = malloc(t->acap);
    if (!t->slots || !t->other || !t->arena) {
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

static slot slot_of(const il_strtab_ent *e, uint32_t i)
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
    il_strtab_ent *e = realloc(t->ents, (size_t)nc * sizeof *e);
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
        uint64_t nc = t->acap; /* il_strtab_new made the first */
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
            il_same_bytes(t->arena + sl->off, key, n))
            return sl->e1;
        j = (j + 1) & (t->nslots - 1);
    }
}

/* The miss path of il_strtab_get: insert key at free slot `slot`. */
void *il_strtab_insert_at(il_strtab *t, const void *key, size_t n, uint64_t h,
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
    return il_strtab_get_inline(t, key, n, il_hash_seeded(t->seed, key, n), idx);
}

void *il_strtab_find(const il_strtab *t, const void *key, size_t n)
{
    if (n > IL_STRTAB_MAX_KEY)
        n = IL_STRTAB_MAX_KEY;
    uint32_t sj;
    uint32_t e = lookup(t, key, n, il_strtab_hash(t, key, n), &sj);
    return e ? t->vals + (size_t)(e - 1) * t->vsize : NULL;
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

uint64_t il_strtab_dropped(const il_strtab *t)
{
    return t->dropped;
}

void il_strtab_add_dropped(il_strtab *t, uint64_t n)
{
    t->dropped += n;
}
