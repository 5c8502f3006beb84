/*
 * wordset.c - a set of words by hash (see wordset.h).
 */
#include "wordset.h"

#include <stdlib.h>

#include "fold.h"
#include "hashtab.h"

int wordset_load(wordset *w, const char *data, size_t len)
{
    uint32_t lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += data[i] == '\n';
    w->n_slots = hashtab_slots(lines);
    w->slots = calloc(w->n_slots, sizeof *w->slots);
    if (!w->slots)
        return -1;
    size_t i = 0;
    while (i < len) {
        size_t e = i;
        while (e < len && data[e] != '\n')
            e++;
        size_t b = i, f = e;
        while (b < f && (data[b] == ' ' || data[b] == '\t' || data[b] == '\r'))
            b++;
        while (f > b && (data[f - 1] == ' ' || data[f - 1] == '\t' || data[f - 1] == '\r'))
            f--;
        if (f > b && data[b] != '#')
            u64set_put(w->slots, w->n_slots, fold_lower_hash(data, (span){(uint32_t)b, (uint32_t)f}));
        i = e + 1;
    }
    return 0;
}

void wordset_free(wordset *w)
{
    free(w->slots);
    w->slots = NULL;
    w->n_slots = 0;
}

int wordset_has(const wordset *w, uint64_t h)
{
    return u64set_has(w->slots, w->n_slots, h);
}
