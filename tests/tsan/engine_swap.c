/*
 * engine_swap.c - "one engine, any number of threads", under
 * ThreadSanitizer: four threads annotate with the engine in use while the
 * main thread swaps new engines in (enrichd's reload), and every answer is
 * byte for byte the one a single thread gives. Exits 1 on a difference;
 * ThreadSanitizer fails the run on a data race.
 *
 * usage: engine_swap ARTICLE
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

#define THREADS 4
#define ROUNDS 25
#define SWAPS 6

static server_state st;
static char *text;
static size_t text_len;
static char *expected;
static atomic_int differences;

static char *answer(const enrich_engine *e)
{
    enrich_options o;
    enrich_options_init(&o);
    o.reference_date = "2024-07-11";
    enrich_error err;
    enrich_doc *doc = enrich_annotate(e, text, text_len, &o, &err);
    if (!doc)
        return NULL;
    size_t n = 0;
    char *s = enrich_doc_dumps(doc, NULL, 0, &n);
    enrich_doc_free(doc);
    return s;
}

static void *worker(void *arg)
{
    (void)arg;
    for (int r = 0; r < ROUNDS; r++) {
        engine_ref *ref = server_engine_acquire(&st);
        char *s = answer(ref->engine);
        server_engine_release(&st, ref);
        if (!s || strcmp(s, expected) != 0)
            atomic_fetch_add(&differences, 1);
        free(s);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: engine_swap ARTICLE\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f)
        return 2;
    text = malloc(1 << 20);
    text_len = fread(text, 1, 1 << 20, f);
    fclose(f);
    server_config cfg;
    memset(&cfg, 0, sizeof cfg);
    st.config = &cfg;
    pthread_mutex_init(&st.lock, NULL);
    enrich_error err;
    enrich_engine *first = enrich_engine_new(&err);
    if (!first || server_engine_swap(&st, first) != 0) {
        fprintf(stderr, "engine_swap: %s\n", err.message);
        return 1;
    }
    expected = answer(st.current->engine);
    if (!expected)
        return 1;
    pthread_t th[THREADS];
    for (int i = 0; i < THREADS; i++)
        pthread_create(&th[i], NULL, worker, NULL);
    for (int k = 0; k < SWAPS; k++) {
        enrich_engine *fresh = enrich_engine_new(&err);
        if (!fresh || server_engine_swap(&st, fresh) != 0) {
            fprintf(stderr, "engine_swap: %s\n", fresh ? "out of memory" : err.message);
            return 1;
        }
    }
    for (int i = 0; i < THREADS; i++)
        pthread_join(th[i], NULL);
    server_engine_release(&st, st.current);
    pthread_mutex_destroy(&st.lock);
    int d = atomic_load(&differences);
    printf("tsan: %d threads x %d answers while %d engines were swapped in: %s\n", THREADS, ROUNDS, SWAPS,
           d ? "answers differ" : "all identical");
    free(expected);
    free(text);
    return d ? 1 : 0;
}
