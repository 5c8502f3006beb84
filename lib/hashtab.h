/*
 * hashtab.h - the one way the library's hash tables work: open addressing
 * with linear probing over a power-of-two number of slots, a key of 0
 * marking an empty slot, and at least twice as many slots as keys. Every
 * table (word sets, the tagger's lexicon, vocabulary and features, the
 * phrase table, the dictionary, the gazetteer, the line model, the date
 * triggers) probes with these; a set of 64-bit keys is all of it.
 */
#ifndef ENRICH_HASHTAB_H
#define ENRICH_HASHTAB_H

#include <stdint.h>

/* Slots for n keys: a power of two, at least 16 and at least 2n. */
static inline uint32_t hashtab_slots(uint32_t n)
{
    uint32_t s = 16;
    while (s < 2 * n)
        s *= 2;
    return s;
}

/* The slot a key's probe starts at, and the slot after i. */
static inline uint32_t hashtab_first(uint64_t key, uint32_t n_slots)
{
    return (uint32_t)key & (n_slots - 1);
}

static inline uint32_t hashtab_next(uint32_t i, uint32_t n_slots)
{
    return (i + 1) & (n_slots - 1);
}

/* A set of nonzero 64-bit keys in slots[0, n_slots). */
static inline int u64set_has(const uint64_t *slots, uint32_t n_slots, uint64_t key)
{
    if (!slots || !key)
        return 0;
    for (uint32_t i = hashtab_first(key, n_slots); slots[i]; i = hashtab_next(i, n_slots))
        if (slots[i] == key)
            return 1;
    return 0;
}

static inline void u64set_put(uint64_t *slots, uint32_t n_slots, uint64_t key)
{
    uint32_t i = hashtab_first(key, n_slots);
    while (slots[i] && slots[i] != key)
        i = hashtab_next(i, n_slots);
    slots[i] = key;
}

#endif
