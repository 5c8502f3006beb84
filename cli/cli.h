/*
 * cli.h - what the enrich command's parts share: its options and exit codes.
 */
#ifndef ENRICH_CLI_H
#define ENRICH_CLI_H

#include "enrich.h"

enum exit_code { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

typedef struct cli_options {
    enrich_options opts;
    int pretty;
    int jsonl;
    int timings; /* each stage's time on stderr at the end */
    unsigned threads; /* --jsonl: threads sharing the engine */
    int threads_set;
    const char *file;
    const char *model;
    const char *layout_model;
    const char *dictionary;
    /* client mode */
    const char *server;             /* enrichd's base URL, or NULL to run locally */
    unsigned parallel;              /* requests at once */
    unsigned retries;               /* tries again after a 503 or a broken connection */
    const char *reference_date_arg; /* the options as given, for the query string */
    const char *offsets_arg;
    const char *include_arg;
} cli_options;

/* Sends the work to c->server: text[0, len) as one article, or standard
 * input's JSON Lines with --jsonl. Returns an exit code. */
int run_client(const cli_options *c, const char *text, size_t len);

/* 'enrich train-layout' (train_layout.c); make builds the engine to use.
 * Returns an exit code. */
int run_train_layout(int argc, char **argv, enrich_engine *(*make)(void));

/* 'enrich train-clusters' (train_clusters.c): word classes for the tagger.
 * Returns an exit code. */
int run_train_clusters(int argc, char **argv, enrich_engine *(*make)(void));

/* Writes s[0, n) and a newline to standard output; 0, or -1. */
int print_text(const char *s, size_t n);

/* 'enrich --jsonl --threads N' (jsonl_threads.c): standard input's JSON
 * Lines answered by threads sharing engine, in input order. seconds, when
 * not NULL, gets each stage's time summed over the threads (stages
 * slots). Returns an exit code. */
int run_jsonl_threads(const enrich_engine *engine, const cli_options *c, unsigned threads, double *seconds,
                      unsigned stages);

#endif
