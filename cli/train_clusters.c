/*
 * train_clusters.c - 'enrich train-clusters': learns the word classes the
 * entity tagger's class features read (data/clusters.tsv) from unlabelled
 * text: JSON Lines {"text"} from FILE or standard input.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static unsigned count_arg(const char *arg, const char *name, unsigned lo, unsigned hi, int *bad)
{
    char *end = NULL;
    unsigned long v = strtoul(arg, &end, 10);
    if (!*arg || (*end && *end != ',') || v < lo || v > hi) {
        fprintf(stderr, "enrich train-clusters: %s '%s' must be a number from %u to %u\n", name, arg, lo, hi);
        *bad = 1;
    }
    return (unsigned)v;
}

int run_train_clusters(int argc, char **argv, enrich_engine *(*make)(void))
{
    static const struct option longopts[] = {
        {"classes", required_argument, NULL, 'c'}, {"min-count", required_argument, NULL, 'm'},
        {"iterations", required_argument, NULL, 'i'}, {"output", required_argument, NULL, 'O'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    enrich_cluster_options o = {{64, 512}, 3, 10};
    const char *out = NULL;
    int ch, bad = 0;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":c:m:i:O:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'c': {
            o.classes[0] = count_arg(optarg, "--classes", 2, 4096, &bad);
            const char *comma = strchr(optarg, ',');
            if (!comma) {
                fprintf(stderr, "enrich train-clusters: --classes wants two numbers, COARSE,FINE\n");
                bad = 1;
            } else {
                o.classes[1] = count_arg(comma + 1, "--classes", 2, 4096, &bad);
            }
            break;
        }
        case 'm': o.min_count = count_arg(optarg, "--min-count", 1, 1000000, &bad); break;
        case 'i': o.iterations = count_arg(optarg, "--iterations", 1, 1000, &bad); break;
        case 'O': out = optarg; break;
        case 'h':
            fputs("usage: enrich train-clusters [--classes COARSE,FINE] [--min-count N] [--iterations N]\n"
                  "                             --output TABLE [FILE|-]\n"
                  "Learns word classes from unlabelled text, JSON Lines {\"text\"}, with the\n"
                  "exchange algorithm, twice (default 64 and 512 classes), over the words\n"
                  "seen --min-count times or more (default 3), for at most --iterations\n"
                  "passes (default 10). TABLE: one line a word, word<TAB>class<TAB>class;\n"
                  "'enrich train --clusters TABLE' gives the tagger their features.\n",
                  stdout);
            return EXIT_OK;
        case ':': fprintf(stderr, "enrich train-clusters: option '%s' needs a value\n", argv[optind - 1]); return EXIT_USAGE;
        default: fprintf(stderr, "enrich train-clusters: unknown option '%s'\n", argv[optind - 1]); return EXIT_USAGE;
        }
    }
    if (bad)
        return EXIT_USAGE;
    if (!out) {
        fprintf(stderr, "enrich train-clusters: needs --output TABLE\n");
        return EXIT_USAGE;
    }
    FILE *f = stdin;
    if (optind < argc && strcmp(argv[optind], "-") != 0 && !(f = fopen(argv[optind], "rb"))) {
        fprintf(stderr, "enrich train-clusters: cannot open %s: %s\n", argv[optind], strerror(errno));
        return EXIT_IO;
    }
    json_t **keep = NULL;
    const char **texts = NULL;
    size_t *lens = NULL, n = 0, cap = 0, lineno = 0;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t got;
    int rc = EXIT_OK;
    while (rc == EXIT_OK && (got = getline(&line, &lcap, f)) > 0) {
        lineno++;
        json_t *obj = json_loadb(line, (size_t)got, 0, NULL);
        const char *text = json_string_value(json_object_get(obj, "text"));
        if (!text) {
            fprintf(stderr, "enrich train-clusters: line %zu: want {\"text\": ...}\n", lineno);
            json_decref(obj);
            rc = EXIT_INPUT;
            break;
        }
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 1024;
            json_t **k = realloc(keep, nc * sizeof *k);
            if (k)
                keep = k;
            const char **t = k ? realloc(texts, nc * sizeof *t) : NULL;
            if (t)
                texts = t;
            size_t *l = t ? realloc(lens, nc * sizeof *l) : NULL;
            if (!l) {
                json_decref(obj);
                rc = EXIT_IO;
                break;
            }
            lens = l;
            cap = nc;
        }
        keep[n] = obj;
        texts[n] = text;
        lens[n++] = json_string_length(json_object_get(obj, "text"));
    }
    free(line);
    if (f != stdin)
        fclose(f);
    enrich_engine *e = rc == EXIT_OK ? make() : NULL;
    if (rc == EXIT_OK && !e)
        rc = EXIT_IO;
    if (rc == EXIT_OK) {
        char *table = NULL;
        size_t len = 0;
        enrich_error err;
        if (enrich_cluster_train(e, texts, lens, n, &o, &table, &len, &err) != ENRICH_OK) {
            fprintf(stderr, "enrich train-clusters: %s\n", err.message);
            rc = err.code == ENRICH_ERR_ARG ? EXIT_USAGE : EXIT_IO;
        } else {
            FILE *w = fopen(out, "wb");
            if (!w || fwrite(table, 1, len, w) != len || fclose(w) != 0) {
                fprintf(stderr, "enrich train-clusters: cannot write %s\n", out);
                rc = EXIT_IO;
            } else {
                fprintf(stderr, "enrich train-clusters: wrote %s (%zu texts)\n", out, n);
            }
            free(table);
        }
    }
    enrich_engine_free(e);
    for (size_t i = 0; i < n; i++)
        json_decref(keep[i]);
    free(keep);
    free(texts);
    free(lens);
    return rc;
}
