/*
 * dictionary.h - a newsroom's own entries: names (and aliases) with a type
 * and an id, which win over the tagger and the gazetteers.
 *
 * File format: UTF-8 text, one entry a line, tab-separated:
 *   name <TAB> type <TAB> aliases separated by | (may be empty) <TAB> id (may be empty)
 * type is one of PERSON, ORG, GPE, LOC, FAC, NORP, EVENT, MISC. Lines
 * starting with # and blank lines are skipped.
 */
#ifndef ENRICH_DICTIONARY_H
#define ENRICH_DICTIONARY_H

#include <stddef.h>
#include <stdint.h>

#include "enrich.h"

typedef struct dict_entry {
    const char *name; /* canonical */
    const char *id;   /* NULL when none */
    uint8_t type;     /* entity_type */
} dict_entry;

typedef struct dict_slot {
    uint64_t key;       /* phrase hash of a name or alias; 0 = empty */
    int32_t entry;      /* index of its entry, -1 when only a prefix */
    uint32_t continues; /* some longer name starts with this one */
} dict_slot;

typedef struct dictionary {
    dict_entry *entries;
    uint32_t n_entries;
    dict_slot *slots;
    uint32_t n_slots, used;
    char *strings;
} dictionary;

/* Parses text[0, len). ENRICH_OK, ENRICH_ERR_NOMEM, or ENRICH_ERR_DATA with
 * "dictionary line N: ..." in err. */
int dictionary_load(dictionary *d, const char *text, size_t len, enrich_error *err);
void dictionary_free(dictionary *d);

const dict_slot *dictionary_find(const dictionary *d, uint64_t key);

/* The entity type named s ("PERSON"), or -1. */
int dictionary_type(const char *s, size_t n);

#endif
