/*
 * phrases.c - a resource, not a stage: builds the phrase gazetteer from the
 * tables in data/ (places.tsv, cities.tsv, first_names.txt and the curated
 * lists). Read-only once built.
 */
#include "phrases.h"
#include "hashtab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cut.h"
#include "resources.h"
#include "text.h"

/* Cuts a name as the tokenizer cuts text (cut.h): on spaces, then each
 * chunk into its marks, word and clitic. Returns the number of tokens (at
 * most max), or max + 1 when there are more. */
static int name_tokens(const char *s, size_t n, span *out, int max)
{
    int k = 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && s[i] == ' ')
            i++;
        size_t j = i;
        while (j < n && s[j] != ' ')
            j++;
        if (j == i)
            break;
        span piece[CUT_MAX_PIECES];
        uint8_t kind[CUT_MAX_PIECES];
        span c = {(uint32_t)i, (uint32_t)j};
        int np;
        if (cut_one_word(s, c) || cut_dash(s, c) == j - i) {
            piece[0] = c;
            np = 1;
        } else {
            np = cut_chunk(s, c, 0, piece, kind, CUT_MAX_PIECES);
        }
        for (int p = 0; p < np; p++) {
            if (k >= max)
                return max + 1;
            out[k++] = piece[p];
        }
        i = j;
    }
    return k;
}

int phrases_name_prefixes(const char *s, size_t n, uint64_t *out)
{
    span tok[PHRASE_MAX_TOKENS];
    int k = name_tokens(s, n, tok, PHRASE_MAX_TOKENS);
    if (k == 0 || k > PHRASE_MAX_TOKENS)
        return 0;
    uint64_t h = 0;
    for (int i = 0; i < k; i++) {
        h = phrase_extend(h, fold_lower_hash(s, tok[i]));
        out[i] = h;
    }
    return k;
}

uint64_t phrases_hash_name(const char *s, size_t n)
{
    span tok[PHRASE_MAX_TOKENS];
    int k = name_tokens(s, n, tok, PHRASE_MAX_TOKENS);
    if (k == 0 || k > PHRASE_MAX_TOKENS)
        return 0;
    uint64_t h = 0;
    for (int i = 0; i < k; i++)
        h = phrase_extend(h, fold_lower_hash(s, tok[i]));
    return h;
}

static int grow(phrase_table *t)
{
    uint32_t n = t->n_slots ? t->n_slots * 2 : 1u << 16;
    phrase *s = calloc(n, sizeof *s);
    if (!s)
        return -1;
    for (uint32_t i = 0; i < t->n_slots; i++) {
        if (!t->slots[i].key)
            continue;
        uint32_t j = hashtab_first(t->slots[i].key, n);
        while (s[j].key)
            j = hashtab_next(j, n);
        s[j] = t->slots[i];
    }
    free(t->slots);
    t->slots = s;
    t->n_slots = n;
    return 0;
}

static phrase *slot_for(phrase_table *t, uint64_t key, int *oom)
{
    if ((t->used + 1) * 2 > t->n_slots && grow(t)) {
        *oom = 1;
        return NULL;
    }
    uint32_t i = hashtab_first(key, t->n_slots);
    while (t->slots[i].key && t->slots[i].key != key)
        i = hashtab_next(i, t->n_slots);
    if (!t->slots[i].key) {
        t->slots[i].key = key;
        t->used++;
    }
    return &t->slots[i];
}

/* The entry of a name, created when absent, with an entry marked as going
 * on for each shorter prefix; NULL for an unusable name or when memory runs
 * out (*oom set). */
static phrase *entry(phrase_table *t, const char *s, size_t n, int *oom)
{
    span tok[PHRASE_MAX_TOKENS];
    if (n == 0 || memchr(s, ',', n) || memchr(s, '(', n))
        return NULL;
    int k = name_tokens(s, n, tok, PHRASE_MAX_TOKENS);
    if (k == 0 || k > PHRASE_MAX_TOKENS)
        return NULL;
    uint64_t h = 0;
    phrase *e = NULL;
    for (int i = 0; i < k; i++) {
        if (e)
            e->continues = 1;
        h = phrase_extend(h, fold_lower_hash(s, tok[i]));
        if (i == 0) {
            uint32_t b = hashtab_first(h >> 20, PHRASE_FIRST_BITS);
            t->first[b >> 6] |= 1ULL << (b & 63);
        }
        e = slot_for(t, h, oom);
        if (!e)
            return NULL;
    }
    return e;
}

const phrase *phrases_find(const phrase_table *t, uint64_t key)
{
    if (!t->n_slots)
        return NULL;
    uint32_t i = hashtab_first(key, t->n_slots);
    while (t->slots[i].key) {
        if (t->slots[i].key == key)
            return &t->slots[i];
        i = hashtab_next(i, t->n_slots);
    }
    return NULL;
}

/* Iterates the lines of a table, skipping comments and blank lines. */
typedef struct lines {
    const char *p, *end;
    unsigned no;
} lines;

static int next_line(lines *l, const char **s, size_t *n)
{
    while (l->p < l->end) {
        const char *e = memchr(l->p, '\n', (size_t)(l->end - l->p));
        if (!e)
            e = l->end;
        *s = l->p;
        *n = (size_t)(e - l->p);
        l->p = e + 1;
        l->no++;
        if (*n == 0 || **s == '#')
            continue;
        return 1;
    }
    return 0;
}

/* The i-th tab-separated field of s[0, n). */
static int field(const char *s, size_t n, int i, const char **f, size_t *fn)
{
    const char *p = s, *end = s + n;
    for (int k = 0; k < i; k++) {
        const char *tab = memchr(p, '\t', (size_t)(end - p));
        if (!tab)
            return 0;
        p = tab + 1;
    }
    const char *tab = memchr(p, '\t', (size_t)(end - p));
    *f = p;
    *fn = (size_t)((tab ? tab : end) - p);
    return 1;
}

/* Calls add for each |-separated name in f. */
static int each_name(phrase_table *t, const char *f, size_t fn, uint32_t list, const place *country,
                     const place *region)
{
    int oom = 0;
    const char *p = f, *end = f + fn;
    while (p < end) {
        const char *bar = memchr(p, '|', (size_t)(end - p));
        size_t len = (size_t)((bar ? bar : end) - p);
        phrase *e = entry(t, p, len, &oom);
        if (oom)
            return -1;
        if (e) {
            e->lists |= list;
            if (country && !e->country)
                e->country = country;
            if (region && !e->region)
                e->region = region;
        }
        p += len + 1;
    }
    return 0;
}

/* Countries by ISO 3166-1 alpha-2 code, built once while loading. */
typedef struct country_index {
    const place *by_code[26 * 26];
} country_index;

static void index_countries(const gazetteer *g, country_index *ix)
{
    memset(ix, 0, sizeof *ix);
    for (size_t i = 0; i < g->n_places; i++) {
        const char *c = g->places[i].code;
        if (g->places[i].kind == PLACE_COUNTRY && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z' && !c[2])
            ix->by_code[(c[0] - 'A') * 26 + (c[1] - 'A')] = &g->places[i];
    }
}

static const place *place_by_code(const country_index *ix, const char *code, size_t n)
{
    if (n != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z')
        return NULL;
    return ix->by_code[(code[0] - 'A') * 26 + (code[1] - 'A')];
}

/* Adds a city name; the most populous city of a name gives its GeoNames id
 * and country. Returns 0, or -1 when memory ran out. */
static int add_city(phrase_table *t, const country_index *places, const char *name, size_t nn, const char *id,
                    const char *cc, size_t cn, const char *pop)
{
    /* Wire copy writes "MONTREAL" and "Sao Paulo": the name without its
     * marks is the city too */
    char folded[128];
    int fn = text_fold_ascii(name, nn, folded, sizeof folded);
    if (fn > 0 && add_city(t, places, folded, (size_t)fn, id, cc, cn, pop))
        return -1;
    int oom = 0;
    phrase *e = entry(t, name, nn, &oom);
    if (!e)
        return oom ? -1 : 0;
    e->lists |= PH_CITY;
    uint32_t population = (uint32_t)strtoul(pop, NULL, 10);
    if (population > e->population) {
        e->population = population;
        e->geonames = (uint32_t)strtoul(id, NULL, 10);
        if (!(e->lists & PH_COUNTRY))
            e->country = place_by_code(places, cc, cn);
    }
    return 0;
}

int phrases_load(phrase_table *t, const gazetteer *places, enrich_error *err)
{
    memset(t, 0, sizeof *t);
    country_index ix;
    index_countries(places, &ix);
    t->first = calloc(PHRASE_FIRST_BITS / 64, sizeof *t->first);
    if (!t->first || grow(t)) {
        phrases_free(t);
        return ENRICH_ERR_NOMEM;
    }
    int rc = 0;
    /* Countries and states, with every alias the gazetteer knows. */
    for (size_t s = 0; s < places->n_slots && rc == 0; s++) {
        const gaz_entry *ge = &places->slots[s];
        if (!ge->key || ge->short_form)
            continue;
        const place *pl = ge->place;
        int country = pl->kind == PLACE_COUNTRY;
        rc = each_name(t, ge->key, strlen(ge->key), country ? PH_COUNTRY : PH_REGION, pl->country,
                       country ? NULL : pl);
    }
    /* Cities: id, name, country, admin1, population, lat, lon. */
    lines l = {enrichp_cities_tsv, enrichp_cities_tsv_end, 0};
    const char *s, *f;
    size_t n, fn;
    while (rc == 0 && next_line(&l, &s, &n)) {
        const char *name, *cc, *pop;
        size_t nn, cn, pn;
        if (!field(s, n, 0, &f, &fn) || !field(s, n, 1, &name, &nn) || !field(s, n, 2, &cc, &cn) ||
            !field(s, n, 4, &pop, &pn)) {
            if (err)
                snprintf(err->message, sizeof err->message, "cities table, line %u: too few columns", l.no);
            return ENRICH_ERR_DATA;
        }
        rc = add_city(t, &ix, name, nn, f, cc, cn, pop);
    }
    /* City aliases: name, GeoNames id, country, population. */
    l = (lines){enrichp_city_aliases, enrichp_city_aliases_end, 0};
    while (rc == 0 && next_line(&l, &s, &n)) {
        const char *name, *cc, *pop;
        size_t nn, cn, pn;
        if (field(s, n, 0, &name, &nn) && field(s, n, 1, &f, &fn) && field(s, n, 2, &cc, &cn) &&
            field(s, n, 3, &pop, &pn))
            rc = add_city(t, &ix, name, nn, f, cc, cn, pop);
    }
    l = (lines){enrichp_first_names, enrichp_first_names_end, 0};
    while (rc == 0 && next_line(&l, &s, &n))
        rc = each_name(t, s, n, PH_FIRST_NAME, NULL, NULL);
    l = (lines){enrichp_demonyms, enrichp_demonyms_end, 0};
    while (rc == 0 && next_line(&l, &s, &n)) {
        if (!field(s, n, 0, &f, &fn))
            continue;
        const place *c = fn ? place_by_code(&ix, f, fn) : NULL;
        const char *names;
        size_t nn;
        if (field(s, n, 1, &names, &nn))
            rc = each_name(t, names, nn, PH_DEMONYM, c, NULL);
    }
    l = (lines){enrichp_locations, enrichp_locations_end, 0};
    while (rc == 0 && next_line(&l, &s, &n)) {
        const char *name, *alias;
        size_t nn, an;
        if (!field(s, n, 0, &f, &fn) || !field(s, n, 1, &name, &nn))
            continue;
        uint32_t list = fn == 3 && memcmp(f, "FAC", 3) == 0 ? PH_FAC : PH_LOC;
        rc = each_name(t, name, nn, list, NULL, NULL);
        if (rc == 0 && field(s, n, 2, &alias, &an))
            rc = each_name(t, alias, an, list, NULL, NULL);
    }
    l = (lines){enrichp_org_words, enrichp_org_words_end, 0};
    while (rc == 0 && next_line(&l, &s, &n))
        rc = each_name(t, s, n, PH_ORG_WORD, NULL, NULL);
    l = (lines){enrichp_organisations, enrichp_organisations_end, 0};
    while (rc == 0 && next_line(&l, &s, &n))
        rc = each_name(t, s, n, PH_ORG, NULL, NULL);
    l = (lines){enrichp_titles, enrichp_titles_end, 0};
    while (rc == 0 && next_line(&l, &s, &n)) {
        const char *mark;
        size_t mn;
        if (!field(s, n, 0, &f, &fn))
            continue;
        uint32_t list = PH_TITLE;
        if (field(s, n, 1, &mark, &mn) && mn == 4 && memcmp(mark, "name", 4) == 0)
            list |= PH_NAME_TITLE;
        rc = each_name(t, f, fn, list, NULL, NULL);
    }
    if (rc != 0) {
        phrases_free(t);
        return ENRICH_ERR_NOMEM;
    }
    return ENRICH_OK;
}

void phrases_free(phrase_table *t)
{
    free(t->slots);
    free(t->first);
    memset(t, 0, sizeof *t);
}
