/*
 * pairtab.c - the bounded, seeded word-keyed count table of pairtab.h.
 *
 * Open addressing with linear probing over a power-of-two array of 16-byte
 * slots, each a key and its count (a count of 0 marks an empty slot, since
 * a stored count is at least 1), grown by doubling when 3/4 full: adding to
 * a count reads one slot. A second array keeps the keys in insertion order
 * for iteration, so results do not depend on the hash seed.
 */
#include "pairtab.h"

#include "strtab.h" /* il_mumfold_ */

#include <stdlib.h>

typedef struct slot {
    uint64_t key, n;
} slot;

struct il_pairtab {
    uint64_t seed;
    slot *slots;
    uint32_t nslots; /* power of two */
    uint64_t *keys;  /* in insertion order */
    uint32_t n, cap, max;
    uint64_t other, dropped;
};

il_pairtab *il_pairtab_new(uint32_t max_entries, uint64_t seed)
{
    il_pairtab *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->seed = seed;
    t->max = max_entries ? max_entries : 1;
    t->nslots = 256;
    t->slots = calloc(t->nslots, sizeof *t->slots);
    if (!t->slots) {
        free(t);
        return NULL;
    }
    return t;
}

void il_pairtab_free(il_pairtab *t)
{
    if (!t)
        return;
    free(t->slots);
    free(t->keys);
    free(t);
}

static uint32_t slot_of(const il_pairtab *t, uint64_t key)
{
    return (uint32_t)il_mumfold_(key ^ t->seed, 0x9E3779B97F4A7C15ull) & (t->nslots - 1);
}

static int grow(il_pairtab *t)
{
    uint32_t ns = t->nslots * 2;
    slot *s = calloc(ns, sizeof *s);
    if (!s)
        return 0;
    slot *old = t->slots;
    uint32_t on = t->nslots;
    t->slots = s;
    t->nslots = ns;
    for (uint32_t i = 0; i < on; i++)
        if (old[i].n) {
            uint32_t j = slot_of(t, old[i].key);
            while (s[j].n)
                j = (j + 1) & (ns - 1);
            s[j] = old[i];
        }
    free(old);
    return 1;
}

int il_pairtab_add(il_pairtab *t, uint64_t key, uint64_t n)
{
    uint32_t j = slot_of(t, key);
    for (;;) {
        slot *s = &t->slots[j];
        if (s->n == 0)
            break;
        if (s->key == key) {
            s->n += n;
            return 1;
        }
        j = (j + 1) & (t->nslots - 1);
    }
    /* a new key */
    if (n == 0)
        return 1;
    if (t->n >= t->max) {
        t->other += n;
        t->dropped++;
        return 1;
    }
    if (t->n == t->cap) {
        uint32_t nc = t->cap ? t->cap * 2 : 64;
        if (nc > t->max)
            nc = t->max;
        uint64_t *nk = realloc(t->keys, (size_t)nc * sizeof *nk);
        if (!nk) {
            t->other += n;
            return 0;
        }
        t->keys = nk;
        t->cap = nc;
    }
    if ((uint64_t)(t->n + 1) * 4 > (uint64_t)t->nslots * 3) {
        if (!grow(t)) {
            t->other += n;
            return 0;
        }
        j = slot_of(t, key);
        while (t->slots[j].n)
            j = (j + 1) & (t->nslots - 1);
    }
    t->slots[j].key = key;
    t->slots[j].n = n;
    t->keys[t->n++] = key;
    return 1;
}

uint32_t il_pairtab_count(const il_pairtab *t)
{
    return t->n;
}

uint64_t il_pairtab_at(const il_pairtab *t, uint32_t i, uint64_t *key)
{
    uint64_t k = t->keys[i];
    *key = k;
    uint32_t j = slot_of(t, k);
    while (t->slots[j].key != k || t->slots[j].n == 0)
        j = (j + 1) & (t->nslots - 1);
    return t->slots[j].n;
}

uint64_t il_pairtab_other(const il_pairtab *t)
{
    return t->other;
}

uint64_t il_pairtab_dropped(const il_pairtab *t)
{
    return t->dropped;
}

void il_pairtab_add_other(il_pairtab *t, uint64_t other, uint64_t dropped)
{
    t->other += other;
    t->dropped += dropped;
}
