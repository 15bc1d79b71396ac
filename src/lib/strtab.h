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

#include <stddef.h>
#include <stdint.h>

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
/* il_strtab_get for a key of at most IL_STRTAB_MAX_KEY bytes whose
 * il_strtab_hash is h (computed ahead, so that il_strtab_prefetch(t, h) can
 * start loading its slot while the caller does other work). */
void *il_strtab_get_h(il_strtab *t, const void *key, size_t n, uint64_t h, uint32_t *idx);
void il_strtab_prefetch(const il_strtab *t, uint64_t h);
/* Lookup without inserting; NULL when absent. */
void *il_strtab_find(const il_strtab *t, const void *key, size_t n);

uint32_t il_strtab_count(const il_strtab *t);
/* Whether entry i's key is key[0..n) (n cut at IL_STRTAB_MAX_KEY as
 * il_strtab_get cuts it). */
int il_strtab_key_is(const il_strtab *t, uint32_t i, const void *key, size_t n);
const char *il_strtab_key(const il_strtab *t, uint32_t i, size_t *n);
void *il_strtab_val(const il_strtab *t, uint32_t i);
void *il_strtab_other(const il_strtab *t);
/* Number of lookups of new keys that did not fit. */
uint64_t il_strtab_dropped(const il_strtab *t);
void il_strtab_add_dropped(il_strtab *t, uint64_t n);

#endif
