/*
 * doc.c - a document's growing vectors and its warnings: the helpers every
 * stage uses, below them all.
 */
#include "doc.h"

#include <string.h>

void *doc_vec_push(arena *a, void **v, uint32_t *n, uint32_t *cap, size_t sz)
{
    if (*n == *cap) {
        uint32_t ncap = *cap ? *cap * 2 : 8;
        void *nv = arena_grow(a, *v, *n, ncap, sz);
        if (!nv)
            return NULL;
        *v = nv;
        *cap = ncap;
    }
    char *slot = (char *)*v + (size_t)(*n)++ * sz;
    memset(slot, 0, sz);
    return slot;
}

int doc_warn(enrich_doc *doc, const char *code, const char *message)
{
    doc_warning *w = DOC_PUSH(doc, doc->warnings);
    if (!w)
        return -1;
    w->code = code;
    w->message = message;
    return 0;
}
