/*
 * phrases.h - the phrase gazetteer: token sequences (lower-cased, as the
 * tokenizer cuts them) and the lists each is on: countries, US states,
 * cities, first names, nationalities, organization words, titles, regions,
 * facilities and well-known organisations. The tagger reads the lists as
 * features; resolution reads the countries, cities and places they stand
 * for.
 */
#ifndef ENRICH_PHRASES_H
#define ENRICH_PHRASES_H

#include <stddef.h>
#include <stdint.h>

#include "enrich.h"
#include "gazetteer.h"
#include "fold.h"
#include "text.h"

enum phrase_list {
    PH_COUNTRY = 1u << 0,
    PH_REGION = 1u << 1,
    PH_CITY = 1u << 2,
    PH_FIRST_NAME = 1u << 3,
    PH_DEMONYM = 1u << 4,
    PH_ORG_WORD = 1u << 5,
    PH_TITLE = 1u << 6,
    PH_LOC = 1u << 7,
    PH_FAC = 1u << 8,
    PH_ORG = 1u << 9,
    /* not a list the tagger sees (beyond PH_LISTS): a title that is part
     * of a person's name before a given name alone ("Prince Andrew") */
    PH_NAME_TITLE = 1u << 10,
};
#define PH_LISTS 10
#define PHRASE_MAX_TOKENS 6

typedef struct phrase {
    uint64_t key;          /* phrase_hash of its tokens; 0 = empty slot */
    uint32_t lists;        /* enum phrase_list bits (0: only a prefix) */
    uint32_t continues;    /* some longer phrase starts with this one */
    uint32_t geonames;     /* the most populous city of this name, or 0 */
    uint32_t population;
    const place *country;  /* the country named, the demonym's, or the city's */
    const place *region;   /* the US state named */
} phrase;

#define PHRASE_FIRST_BITS (1u << 20)

typedef struct phrase_table {
    phrase *slots;
    uint32_t n_slots, used;
    /* One bit per hash of a phrase's first token: most words start no
     * phrase, and this 128 KB filter says so without touching the table. */
    uint64_t *first;
} phrase_table;

/* Might a phrase start with the token whose phrase_extend(0, .) is h? */
static inline int phrases_may_start(const phrase_table *t, uint64_t h)
{
    uint32_t b = (uint32_t)(h >> 20) & (PHRASE_FIRST_BITS - 1);
    return t->first && (t->first[b >> 6] >> (b & 63)) & 1;
}

/* Fetches the bit phrases_may_start(t, h) will read. */
static inline void phrases_prefetch_start(const phrase_table *t, uint64_t h)
{
    uint32_t b = (uint32_t)(h >> 20) & (PHRASE_FIRST_BITS - 1);
    if (t->first)
        __builtin_prefetch(&t->first[b >> 6]);
}

/* Phrases are sequences of words' fold_lower_hash (fold.h). */

/* Extends a phrase hash by one token's lower-case hash (fold_lower_hash). */
static inline uint64_t phrase_extend(uint64_t h, uint64_t token_lower)
{
    h = (h ^ token_lower) * 0x9E3779B97F4A7C15ULL;
    h ^= h >> 29;
    return h ? h : 1;
}

/* Builds the table from the compiled-in lists; places resolves country
 * codes. Returns ENRICH_OK, ENRICH_ERR_NOMEM or ENRICH_ERR_DATA. */
int phrases_load(phrase_table *t, const gazetteer *places, enrich_error *err);
void phrases_free(phrase_table *t);

/* The entry for a phrase hash, or NULL. */
const phrase *phrases_find(const phrase_table *t, uint64_t key);

/* The hashes of a name's first 1, 2, ... tokens, cut as the tokenizer cuts
 * text; out holds PHRASE_MAX_TOKENS. Returns the number of tokens, 0 when
 * the name is empty or longer than PHRASE_MAX_TOKENS. */
int phrases_name_prefixes(const char *s, size_t n, uint64_t *out);

/* The hash of a name as the tokenizer would cut it (words on spaces). */
uint64_t phrases_hash_name(const char *s, size_t n);

#endif
