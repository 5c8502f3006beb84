/*
 * gazetteer.c - a resource, not a stage: parses data/places.tsv into a
 * hash table from normalized names to places. Read-only once built.
 * Columns: kind, code, name, aliases separated by |.
 */
#include "gazetteer.h"
#include "hashtab.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fold.h"
#include "text.h"

#define KEY_MAX 160

static uint64_t fnv1a(const char *s)
{
    return fold_fnv1a(s, strlen(s));
}

static void set_error(enrich_error *err, int code, const char *msg, unsigned line)
{
    if (!err)
        return;
    err->code = code;
    err->position = (size_t)-1;
    snprintf(err->message, sizeof err->message, "places table, line %u: %s", line, msg);
}

/* Splits a line into at most max tab-separated fields (in place). */
static int split_tabs(char *line, char **fields, int max)
{
    int n = 0;
    char *p = line;
    while (n < max) {
        fields[n++] = p;
        char *tab = strchr(p, '\t');
        if (!tab)
            break;
        *tab = '\0';
        p = tab + 1;
    }
    return n;
}

static int insert(gazetteer *g, char **heap, const char *name, const place *pl, int short_form)
{
    char key[KEY_MAX];
    int klen = text_name_key(name, strlen(name), key, sizeof key);
    if (klen <= 0)
        return 0; /* too long or empty to be a lookup key: skip */
    size_t i = hashtab_first(fnv1a(key), g->n_slots);
    while (g->slots[i].key) {
        if (strcmp(g->slots[i].key, key) == 0 && g->slots[i].place == pl)
            return 0;
        i = hashtab_next(i, g->n_slots);
    }
    memcpy(*heap, key, (size_t)klen + 1);
    g->slots[i].key = *heap;
    g->slots[i].place = pl;
    g->slots[i].short_form = short_form;
    *heap += klen + 1;
    return 0;
}

int gazetteer_load(gazetteer *g, const char *data, size_t len, enrich_error *err)
{
    memset(g, 0, sizeof *g);
    /* Sizes first: lines and names bound the places and the keys. */
    size_t lines = 1, names = 1;
    for (size_t i = 0; i < len; i++) {
        if (data[i] == '\n')
            lines++;
        if (data[i] == '\t' || data[i] == '|' || data[i] == '\n')
            names++;
    }
    g->places = calloc(lines, sizeof(place));
    g->n_slots = 64;
    while (g->n_slots < names * 2)
        g->n_slots *= 2;
    g->slots = calloc(g->n_slots, sizeof(gaz_entry));
    /* The copy of the table is cut into strings in place; keys follow it. */
    g->strings = malloc(len + 1 + len + names + 1);
    if (!g->places || !g->slots || !g->strings) {
        gazetteer_free(g);
        set_error(err, ENRICH_ERR_NOMEM, "out of memory", 0);
        return ENRICH_ERR_NOMEM;
    }
    memcpy(g->strings, data, len);
    g->strings[len] = '\0';
    char *heap = g->strings + len + 1;

    unsigned lineno = 0;
    char *p = g->strings;
    while (p && *p) {
        lineno++;
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        char *line = p;
        p = nl ? nl + 1 : NULL;
        if (line[0] == '#' || line[0] == '\0')
            continue;
        char *f[5];
        int nf = split_tabs(line, f, 5);
        if (nf < 3 || f[1][0] == '\0' || f[2][0] == '\0') {
            gazetteer_free(g);
            set_error(err, ENRICH_ERR_DATA, "expected kind, code, name, aliases", lineno);
            return ENRICH_ERR_DATA;
        }
        place *pl = &g->places[g->n_places];
        if (strcmp(f[0], "country") == 0) {
            pl->kind = PLACE_COUNTRY;
        } else if (strcmp(f[0], "region") == 0) {
            pl->kind = PLACE_REGION;
        } else {
            gazetteer_free(g);
            set_error(err, ENRICH_ERR_DATA, "kind must be country or region", lineno);
            return ENRICH_ERR_DATA;
        }
        pl->code = f[1];
        pl->name = f[2];
        g->n_places++;
        insert(g, &heap, pl->name, pl, 0);
        for (int col = 3; col < nf; col++) {
            char *a = f[col];
            while (a && *a) {
                char *bar = strchr(a, '|');
                if (bar)
                    *bar = '\0';
                insert(g, &heap, a, pl, col == 4);
                a = bar ? bar + 1 : NULL;
            }
        }
    }
    /* Link each region to its country ("US-CA" -> "US"). */
    for (size_t i = 0; i < g->n_places; i++) {
        place *pl = &g->places[i];
        pl->country = pl;
        if (pl->kind != PLACE_REGION)
            continue;
        pl->country = NULL;
        for (size_t j = 0; j < g->n_places; j++) {
            const place *c = &g->places[j];
            if (c->kind == PLACE_COUNTRY && strncmp(c->code, pl->code, 2) == 0 &&
                pl->code[2] == '-') {
                pl->country = c;
                break;
            }
        }
        if (!pl->country) {
            gazetteer_free(g);
            set_error(err, ENRICH_ERR_DATA, "region of an unknown country", 0);
            return ENRICH_ERR_DATA;
        }
    }
    return ENRICH_OK;
}

void gazetteer_free(gazetteer *g)
{
    free(g->places);
    free(g->slots);
    free(g->strings);
    memset(g, 0, sizeof *g);
}

const place *gazetteer_find(const gazetteer *g, const char *s, size_t n, unsigned kinds)
{
    char key[KEY_MAX];
    if (!g->slots || text_name_key(s, n, key, sizeof key) <= 0)
        return NULL;
    size_t i = hashtab_first(fnv1a(key), g->n_slots);
    while (g->slots[i].key) {
        if ((g->slots[i].place->kind & kinds) && (!g->slots[i].short_form || (kinds & PLACE_SHORT_FORMS)) &&
            strcmp(g->slots[i].key, key) == 0)
            return g->slots[i].place;
        i = hashtab_next(i, g->n_slots);
    }
    return NULL;
}
