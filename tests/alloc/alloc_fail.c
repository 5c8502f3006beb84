/*
 * alloc_fail.c - every allocation failure in enrich_annotate (and in
 * enrich_engine_new) gives ENRICH_ERR_NOMEM and leaks nothing.
 *
 * The failing allocator hook: linked with -Wl,--wrap=malloc,calloc,realloc,
 * free, every allocation the library makes comes through here; the Nth one
 * fails when fail_at is N. Each N from 1 up is tried in turn until a run
 * makes no more allocations than N; after each, every block allocated in
 * the run has been freed. Run under ASan, which also checks what is freed.
 *
 * usage: alloc_fail ARTICLE
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enrich.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);
void __wrap_free(void *p);

static long calls;    /* allocations asked for since the count was reset */
static long fail_at;  /* the one that fails; 0: none */
static long live;     /* blocks allocated and not yet freed */

static int failing(void)
{
    return ++calls == fail_at;
}

void *__wrap_malloc(size_t n)
{
    if (failing())
        return NULL;
    void *p = __real_malloc(n);
    live += p != NULL;
    return p;
}

void *__wrap_calloc(size_t k, size_t n)
{
    if (failing())
        return NULL;
    void *p = __real_calloc(k, n);
    live += p != NULL;
    return p;
}

void *__wrap_realloc(void *p, size_t n)
{
    if (failing())
        return NULL;
    void *q = __real_realloc(p, n);
    if (!p && q)
        live++;
    return q;
}

void __wrap_free(void *p)
{
    live -= p != NULL;
    __real_free(p);
}

static void reset(long at)
{
    calls = 0;
    fail_at = at;
}

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    setvbuf(stdout, NULL, _IOLBF, 0); /* printed before a sanitizer's abort */
    FILE *f = fopen(argv[1], "rb");
    if (!f)
        return 2;
    static char text[1 << 20];
    size_t len = fread(text, 1, sizeof text, f);
    fclose(f);
    int bad = 0;

    /* the engine: a sample of the failure points, its loading is long */
    enrich_error err;
    long engine_calls = 0, tried = 0;
    for (long at = 1;; at = at < 64 ? at + 1 : at + at / 3) {
        long before = live;
        reset(at);
        enrich_engine *e = enrich_engine_new(&err);
        long made = calls;
        reset(0);
        if (e) {
            enrich_engine_free(e);
            engine_calls = made;
            break;
        }
        tried++;
        if (err.code != ENRICH_ERR_NOMEM) {
            printf("alloc: engine, allocation %ld failed: code %d (%s), not ENRICH_ERR_NOMEM\n", at, err.code,
                   err.message);
            bad++;
        }
        if (live != before) {
            printf("alloc: engine, allocation %ld failed: %ld blocks leaked\n", at, live - before);
            bad++;
        }
    }

    /* annotating: every failure point */
    enrich_engine *e = enrich_engine_new(&err);
    if (!e)
        return 1;
    enrich_options o;
    enrich_options_init(&o);
    o.reference_date = "2024-07-11";
    long annotate_calls = 0, at;
    for (at = 1;; at++) {
        long before = live;
        reset(at);
        enrich_doc *doc = enrich_annotate(e, text, len, &o, &err);
        long made = calls;
        reset(0);
        if (doc) {
            enrich_doc_free(doc);
            annotate_calls = made;
            if (live != before) {
                printf("alloc: annotate: %ld blocks left after enrich_doc_free\n", live - before);
                bad++;
            }
            break;
        }
        if (err.code != ENRICH_ERR_NOMEM) {
            printf("alloc: annotate, allocation %ld failed: code %d (%s), not ENRICH_ERR_NOMEM\n", at, err.code,
                   err.message);
            bad++;
        }
        if (live != before) {
            printf("alloc: annotate, allocation %ld failed: %ld blocks leaked\n", at, live - before);
            bad++;
        }
    }
    enrich_engine_free(e);
    printf("alloc: enrich_engine_new makes %ld allocations, %ld failure points tried; enrich_annotate makes %ld, "
           "each failed in turn: %s\n",
           engine_calls, tried, annotate_calls, bad ? "FAILED" : "ENRICH_ERR_NOMEM every time, nothing leaked");
    return bad ? 1 : 0;
}
