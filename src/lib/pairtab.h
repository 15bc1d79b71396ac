/*
 * pairtab.h - a bounded, seeded hash table from 64-bit keys to counts: the
 * aggregator's "failing triple x URL / client / minute" tables, whose keys
 * are two small numbers packed into one word (il_pair_key) rather than
 * strings, so a count costs one hash of a word and one cache line.
 *
 * The table never holds more than max_entries keys; a new key arriving
 * when it is full is added to the shared "other" count and to `dropped`.
 * Iteration (il_pairtab_at) is in insertion order.
 */
#ifndef IISLENS_PAIRTAB_H
#define IISLENS_PAIRTAB_H

#include <stdint.h>

typedef struct il_pairtab il_pairtab;

il_pairtab *il_pairtab_new(uint32_t max_entries, uint64_t seed);
void il_pairtab_free(il_pairtab *t);

/* Add n to key's count (inserting it when new). 0 when memory ran out (n
 * then went to "other"), else 1. */
int il_pairtab_add(il_pairtab *t, uint64_t key, uint64_t n);

uint32_t il_pairtab_count(const il_pairtab *t);
/* Entry i (0 <= i < count): its key, and its count as the return value. */
uint64_t il_pairtab_at(const il_pairtab *t, uint32_t i, uint64_t *key);
uint64_t il_pairtab_other(const il_pairtab *t);
uint64_t il_pairtab_dropped(const il_pairtab *t);
/* Add to the "other" count and to dropped (merging tables). */
void il_pairtab_add_other(il_pairtab *t, uint64_t other, uint64_t dropped);

/* The keys: a 24-bit table index (a status triple's, IL_PAIR_A_OTHER for
 * the triple table's "other") over a signed 40-bit value (a URL or client
 * table index, UINT32_MAX for "other", or a minute since 1970). */
#define IL_PAIR_A_OTHER 0xFFFFFFu
static inline uint64_t il_pair_key(uint32_t a, int64_t b)
{
    if (a > IL_PAIR_A_OTHER)
        a = IL_PAIR_A_OTHER;
    return ((uint64_t)a << 40) | ((uint64_t)b & (((uint64_t)1 << 40) - 1));
}
static inline uint32_t il_pair_a(uint64_t key)
{
    return (uint32_t)(key >> 40);
}
static inline int64_t il_pair_b(uint64_t key)
{
    uint64_t b = key & (((uint64_t)1 << 40) - 1);
    return b >> 39 ? (int64_t)(b | ~(((uint64_t)1 << 40) - 1)) : (int64_t)b;
}

#endif
