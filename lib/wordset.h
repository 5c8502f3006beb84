/*
 * wordset.h - a set of words, by the hash of their lower-case form
 * (fold_lower_hash), loaded from a word list: one word a line, # comments.
 */
#ifndef ENRICH_WORDSET_H
#define ENRICH_WORDSET_H

#include <stddef.h>
#include <stdint.h>

typedef struct wordset {
    uint64_t *slots; /* open addressing; 0 = empty */
    uint32_t n_slots;
} wordset;

/* Builds the set from the list data[0, len). Returns 0, -1 when memory ran out. */
int wordset_load(wordset *w, const char *data, size_t len);
void wordset_free(wordset *w);

/* Is the word whose fold_lower_hash is h in the set? */
int wordset_has(const wordset *w, uint64_t h);

#endif
