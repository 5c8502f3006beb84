/*
 * gazetteer.h - places by name: countries (ISO 3166-1) and regions
 * (ISO 3166-2), loaded once into the engine from data/places.tsv.
 */
#ifndef ENRICH_GAZETTEER_H
#define ENRICH_GAZETTEER_H

#include <stddef.h>

#include "enrich.h"

typedef enum place_kind { PLACE_COUNTRY = 1, PLACE_REGION = 2 } place_kind;

/* With the kinds of gazetteer_find: also match the short forms only a
 * dateline uses ("AB", "Ont.": as words in a story they are no places). */
#define PLACE_SHORT_FORMS 4u

typedef struct place {
    place_kind kind;
    const char *code;            /* "TW", "US-CA" */
    const char *name;            /* name to show */
    const struct place *country; /* a region's country; a country itself */
} place;

typedef struct gaz_entry {
    const char *key; /* normalized name (text_name_key) */
    const place *place;
    int short_form;  /* a dateline-only short form (PLACE_SHORT_FORMS) */
} gaz_entry;

typedef struct gazetteer {
    place *places;
    size_t n_places;
    gaz_entry *slots; /* open addressing, power-of-two size */
    size_t n_slots;
    char *strings;    /* one block holding every string above */
} gazetteer;

/* Parses the table data[0, len): kind, code, name, aliases, dateline-only
 * short forms (both lists separated by |). Returns ENRICH_OK, ENRICH_ERR_NOMEM, or
 * ENRICH_ERR_DATA with the line number in err->message. */
int gazetteer_load(gazetteer *g, const char *data, size_t len, enrich_error *err);
void gazetteer_free(gazetteer *g);

/* The place called s[0, n) of the given kinds (a mask of place_kind), or NULL.
 * Case-insensitive; ’ and ' alike. */
const place *gazetteer_find(const gazetteer *g, const char *s, size_t n, unsigned kinds);

#endif
