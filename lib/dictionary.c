/*
 * dictionary.c - a resource, not a stage: parses custom dictionary files
 * into a table of token-sequence hashes (phrases.h) to entries.
 */
#include "dictionary.h"
#include "hashtab.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entity_types.h"
#include "phrases.h"
#include "utf8.h"

static int fail(enrich_error *err, int code, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(enrich_error *err, int code, unsigned line, const char *fmt, ...)
{
    if (err) {
        err->code = code;
        err->position = (size_t)-1;
        int k = snprintf(err->message, sizeof err->message, "dictionary line %u: ", line);
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message + k, sizeof err->message - (size_t)k, fmt, ap);
        va_end(ap);
    }
    return code;
}

int dictionary_type(const char *s, size_t n)
{
    for (int t = 0; t < ENT_TYPES; t++) {
        const char *name = entity_type_name((entity_type)t);
        if (strlen(name) == n && memcmp(name, s, n) == 0)
            return t;
    }
    return -1;
}

static int grow(dictionary *d)
{
    uint32_t n = d->n_slots ? d->n_slots * 2 : 256;
    dict_slot *s = calloc(n, sizeof *s);
    if (!s)
        return -1;
    for (uint32_t i = 0; i < d->n_slots; i++) {
        if (!d->slots[i].key)
            continue;
        uint32_t j = hashtab_first(d->slots[i].key, n);
        while (s[j].key)
            j = hashtab_next(j, n);
        s[j] = d->slots[i];
    }
    free(d->slots);
    d->slots = s;
    d->n_slots = n;
    return 0;
}

static dict_slot *slot_for(dictionary *d, uint64_t key)
{
    if ((d->used + 1) * 2 > d->n_slots && grow(d))
        return NULL;
    uint32_t i = hashtab_first(key, d->n_slots);
    while (d->slots[i].key && d->slots[i].key != key)
        i = hashtab_next(i, d->n_slots);
    if (!d->slots[i].key) {
        d->slots[i].key = key;
        d->slots[i].entry = -1;
        d->used++;
    }
    return &d->slots[i];
}

/* Adds a name of entry e; its prefixes are marked as going on. */
static int add_name(dictionary *d, const char *s, size_t n, int32_t e)
{
    uint64_t prefix[PHRASE_MAX_TOKENS];
    int k = phrases_name_prefixes(s, n, prefix);
    if (k <= 0)
        return 1; /* empty or too long */
    for (int i = 0; i < k; i++) {
        dict_slot *slot = slot_for(d, prefix[i]);
        if (!slot)
            return -1;
        if (i + 1 < k)
            slot->continues = 1;
        else
            slot->entry = e; /* a later entry of the same name wins */
    }
    return 0;
}

/* Frees a half-built dictionary after its error message was written. */
static int drop(dictionary *d, int code)
{
    dictionary_free(d);
    return code;
}

const dict_slot *dictionary_find(const dictionary *d, uint64_t key)
{
    if (!d->n_slots)
        return NULL;
    uint32_t i = hashtab_first(key, d->n_slots);
    while (d->slots[i].key) {
        if (d->slots[i].key == key)
            return &d->slots[i];
        i = hashtab_next(i, d->n_slots);
    }
    return NULL;
}

int dictionary_load(dictionary *d, const char *text, size_t len, enrich_error *err)
{
    memset(d, 0, sizeof *d);
    size_t bad;
    if (utf8_validate(text, len, &bad) != UTF8_VALID) {
        unsigned line = 1;
        for (size_t i = 0; i < bad; i++)
            line += text[i] == '\n';
        return fail(err, ENRICH_ERR_DATA, line, "not valid UTF-8 (byte offset %zu)", bad);
    }
    size_t lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    d->entries = calloc(lines, sizeof *d->entries);
    d->strings = malloc(len + 1);
    if (!d->entries || !d->strings || grow(d)) {
        return drop(d, fail(err, ENRICH_ERR_NOMEM, 0, "out of memory"));
    }
    memcpy(d->strings, text, len);
    d->strings[len] = '\0';
    char *p = d->strings, *end = d->strings + len;
    unsigned lineno = 0;
    while (p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *line = p;
        char *le = nl ? nl : end;
        p = nl ? nl + 1 : end;
        lineno++;
        if (le > line && le[-1] == '\r')
            le--;
        *le = '\0';
        if (line[0] == '#' || line[strspn(line, " \t")] == '\0')
            continue;
        char *f[4] = {line, NULL, NULL, NULL};
        int nf = 1;
        for (char *c = line; *c && nf < 4; c++)
            if (*c == '\t') {
                *c = '\0';
                f[nf++] = c + 1;
            }
        if (nf < 2 || strchr(f[nf - 1], '\t')) {
            return drop(d, fail(err, ENRICH_ERR_DATA, lineno, "expected name, type, aliases, id separated by tabs"));
        }
        if (f[0][0] == '\0' || f[0][0] == ' ') {
            return drop(d, fail(err, ENRICH_ERR_DATA, lineno, "the name is empty or starts with a space"));
        }
        int type = dictionary_type(f[1], strlen(f[1]));
        if (type < 0) {
            return drop(d, fail(err, ENRICH_ERR_DATA, lineno,
                        "type '%.30s' is not PERSON, ORG, GPE, LOC, FAC, NORP, EVENT or MISC", f[1]));
        }
        int32_t e = (int32_t)d->n_entries++;
        d->entries[e].name = f[0];
        d->entries[e].type = (uint8_t)type;
        d->entries[e].id = nf > 3 && f[3][0] ? f[3] : NULL;
        int rc = add_name(d, f[0], strlen(f[0]), e);
        if (rc > 0) {
            return drop(d, fail(err, ENRICH_ERR_DATA, lineno, "the name has more than %d words", PHRASE_MAX_TOKENS));
        }
        char *a = nf > 2 ? f[2] : NULL;
        while (rc == 0 && a && *a) {
            char *bar = strchr(a, '|');
            if (bar)
                *bar = '\0';
            if (*a && add_name(d, a, strlen(a), e) > 0) {
                return drop(d, fail(err, ENRICH_ERR_DATA, lineno, "alias '%.40s' is empty or too long", a));
            }
            a = bar ? bar + 1 : NULL;
        }
        if (rc < 0) {
            return drop(d, fail(err, ENRICH_ERR_NOMEM, lineno, "out of memory"));
        }
    }
    return ENRICH_OK;
}

void dictionary_free(dictionary *d)
{
    free(d->entries);
    free(d->slots);
    free(d->strings);
    memset(d, 0, sizeof *d);
}
