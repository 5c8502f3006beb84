/*
 * jsonl_threads.c - 'enrich --jsonl --threads N': one engine shared by N
 * threads. Records are read in batches (at most BATCH_LINES lines or
 * BATCH_BYTES bytes, so memory stays bounded whatever the input's size),
 * the threads answer a batch's records in any order, and the answers are
 * written in input order: the output is byte for byte --threads 1's.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define BATCH_LINES 1024
#define BATCH_BYTES (8u << 20)

typedef struct job {
    char *line; /* the record, without its line end; owned */
    size_t len, lineno;
    char *out;  /* its answer, or NULL when memory ran out */
    size_t out_len;
} job;

typedef struct pool {
    const enrich_engine *engine;
    const enrich_options *opts;
    job *jobs;
    size_t n;                /* jobs in the current batch */
    atomic_size_t next;      /* the next job to take */
    pthread_mutex_t lock;
    pthread_cond_t go, done;
    unsigned generation;     /* batches handed out */
    unsigned busy;           /* helpers still on the current batch */
    int quit;
} pool;

typedef struct helper {
    pool *p;
    double *seconds; /* this thread's stage times, or NULL */
    pthread_t th;
} helper;

/* Takes jobs of the current batch until none is left. */
static void work(pool *p, double *seconds)
{
    enrich_options o = *p->opts;
    o.stage_seconds = seconds; /* each thread adds into its own */
    size_t k;
    while ((k = atomic_fetch_add(&p->next, 1)) < p->n) {
        job *j = &p->jobs[k];
        j->out = enrich_jsonl_record(p->engine, &o, j->line, j->len, j->lineno, &j->out_len);
    }
}

static void *helper_main(void *arg)
{
    helper *h = arg;
    pool *p = h->p;
    unsigned seen = 0;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (p->generation == seen && !p->quit)
            pthread_cond_wait(&p->go, &p->lock);
        if (p->quit)
            break;
        seen = p->generation;
        pthread_mutex_unlock(&p->lock);
        work(p, h->seconds);
        pthread_mutex_lock(&p->lock);
        if (--p->busy == 0)
            pthread_cond_signal(&p->done);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

/* Reads the next batch into p->jobs; its number of records, or -1 when
 * reading failed. *lineno counts every line read, blank ones too. */
static long read_batch(pool *p, size_t *lineno)
{
    size_t n = 0, bytes = 0;
    while (n < BATCH_LINES && bytes < BATCH_BYTES) {
        char *line = NULL;
        size_t cap = 0;
        ssize_t got = getline(&line, &cap, stdin);
        if (got == -1) {
            free(line);
            break;
        }
        (*lineno)++;
        size_t len = (size_t)got;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        if (len == 0) { /* blank lines carry no record */
            free(line);
            continue;
        }
        p->jobs[n++] = (job){line, len, *lineno, NULL, 0};
        bytes += len;
    }
    return ferror(stdin) ? -1 : (long)n;
}

int run_jsonl_threads(const enrich_engine *engine, const cli_options *c, unsigned threads, double *seconds,
                      unsigned stages)
{
    pool p;
    memset(&p, 0, sizeof p);
    p.engine = engine;
    p.opts = &c->opts;
    p.jobs = calloc(BATCH_LINES, sizeof *p.jobs);
    helper *h = calloc(threads, sizeof *h);
    double *own = seconds ? calloc((size_t)threads * stages, sizeof *own) : NULL;
    if (!p.jobs || !h || (seconds && !own)) {
        fprintf(stderr, "enrich: out of memory\n");
        free(p.jobs);
        free(h);
        free(own);
        return EXIT_IO;
    }
    pthread_mutex_init(&p.lock, NULL);
    pthread_cond_init(&p.go, NULL);
    pthread_cond_init(&p.done, NULL);
    /* threads - 1 helpers; this thread is the last worker */
    unsigned started = 0;
    for (unsigned t = 1; t < threads; t++) {
        h[t] = (helper){&p, own ? own + (size_t)t * stages : NULL, 0};
        if (pthread_create(&h[t].th, NULL, helper_main, &h[t]) != 0)
            break;
        started++;
    }
    int rc = EXIT_OK, progress = isatty(STDERR_FILENO);
    size_t lineno = 0, records = 0;
    for (;;) {
        long n = read_batch(&p, &lineno);
        if (n < 0) {
            fprintf(stderr, "enrich: cannot read standard input: %s\n", strerror(errno));
            rc = EXIT_IO;
            break;
        }
        if (n == 0)
            break;
        pthread_mutex_lock(&p.lock);
        p.n = (size_t)n;
        atomic_store(&p.next, 0);
        p.busy = started;
        p.generation++;
        pthread_cond_broadcast(&p.go);
        pthread_mutex_unlock(&p.lock);
        work(&p, own);
        pthread_mutex_lock(&p.lock);
        while (p.busy > 0)
            pthread_cond_wait(&p.done, &p.lock);
        pthread_mutex_unlock(&p.lock);
        for (size_t k = 0; k < (size_t)n; k++) {
            job *j = &p.jobs[k];
            if (rc == EXIT_OK && (!j->out || print_text(j->out, j->out_len) != 0)) {
                fprintf(stderr, "enrich: line %zu: cannot write the response\n", j->lineno);
                rc = EXIT_IO;
            }
            free(j->out);
            free(j->line);
        }
        records += (size_t)n;
        if (progress)
            fprintf(stderr, "\renrich: %zu stories (%u threads)", records, started + 1);
        if (rc != EXIT_OK)
            break;
    }
    if (progress && records > 0)
        fprintf(stderr, "\renrich: %zu stories, done (%u threads)\n", records, started + 1);
    pthread_mutex_lock(&p.lock);
    p.quit = 1;
    pthread_cond_broadcast(&p.go);
    pthread_mutex_unlock(&p.lock);
    for (unsigned t = 1; t <= started; t++)
        pthread_join(h[t].th, NULL);
    if (seconds)
        for (unsigned t = 0; t < threads; t++)
            for (unsigned s = 0; s < stages; s++)
                seconds[s] += own[(size_t)t * stages + s];
    pthread_mutex_destroy(&p.lock);
    pthread_cond_destroy(&p.go);
    pthread_cond_destroy(&p.done);
    free(p.jobs);
    free(h);
    free(own);
    if (fflush(stdout) != 0)
        rc = EXIT_IO;
    return rc;
}
