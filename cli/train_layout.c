/*
 * train_layout.c - 'enrich train-layout': trains the line-role model on
 * labelled articles, or cross-validates it.
 *
 * Input: JSON Lines {"id", "text", "roles"} (roles: one letter per
 * non-blank line, enrich.h), from FILE or standard input.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define ROLE_LETTERS "HSYTDCXBKRGF"
#define N_ROLES 12

typedef struct samples {
    enrich_layout_sample *v;
    json_t **keep; /* the parsed records own the strings */
    size_t n, cap;
} samples;

static int read_samples(FILE *f, samples *s)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    size_t lineno = 0;
    while ((got = getline(&line, &cap, f)) > 0) {
        lineno++;
        json_error_t je;
        json_t *o = json_loadb(line, (size_t)got, 0, &je);
        const char *text = json_string_value(json_object_get(o, "text"));
        const char *roles = json_string_value(json_object_get(o, "roles"));
        if (!text || !roles) {
            fprintf(stderr, "enrich train-layout: line %zu: want {\"text\": ..., \"roles\": ...}\n", lineno);
            json_decref(o);
            free(line);
            return EXIT_INPUT;
        }
        if (s->n == s->cap) {
            size_t nc = s->cap ? s->cap * 2 : 64;
            enrich_layout_sample *nv = realloc(s->v, nc * sizeof *nv);
            json_t **nk = nv ? realloc(s->keep, nc * sizeof *nk) : NULL;
            if (!nv || !nk) {
                free(nv ? nv : s->v);
                s->v = NULL;
                json_decref(o);
                free(line);
                return EXIT_IO;
            }
            s->v = nv;
            s->keep = nk;
            s->cap = nc;
        }
        s->v[s->n] = (enrich_layout_sample){text, json_string_length(json_object_get(o, "text")), roles};
        s->keep[s->n++] = o;
    }
    free(line);
    return ferror(f) ? EXIT_IO : EXIT_OK;
}

static unsigned parse_count(const char *arg, const char *name, unsigned lo, unsigned hi, int *bad)
{
    char *end = NULL;
    unsigned long v = strtoul(arg, &end, 10);
    if (!*arg || *end || v < lo || v > hi) {
        fprintf(stderr, "enrich train-layout: %s '%s' must be a number from %u to %u\n", name, arg, lo, hi);
        *bad = 1;
    }
    return (unsigned)v;
}

/* Trains on all folds but one, tags the one held out, for each fold; prints
 * per-role precision, recall and F1 over the lines and the line accuracy. */
static int cross_validate(const enrich_engine *e, const samples *s, unsigned folds, unsigned epochs,
                          unsigned seed, unsigned runs, unsigned min_pages, FILE *dump)
{
    static long conf[N_ROLES][N_ROLES];
    memset(conf, 0, sizeof conf);
    for (unsigned k = 0; k < folds; k++) {
        char *model = NULL;
        size_t len = 0;
        enrich_error err;
        if (enrich_layout_train(e, s->v, s->n, folds, k, epochs, seed, runs, min_pages, &model, &len, &err) !=
            ENRICH_OK) {
            fprintf(stderr, "enrich train-layout: %s\n", err.message);
            return err.code == ENRICH_ERR_ARG ? EXIT_INPUT : EXIT_IO;
        }
        for (size_t i = k; i < s->n; i += folds) {
            char *roles = NULL;
            if (enrich_layout_roles(e, model, len, s->v[i].text, s->v[i].len, &roles, &err) != ENRICH_OK) {
                fprintf(stderr, "enrich train-layout: %s\n", err.message);
                free(model);
                return EXIT_IO;
            }
            if (dump)
                fprintf(dump, "%s\t%s\t%s\n", json_string_value(json_object_get(s->keep[i], "id")),
                        s->v[i].roles, roles);
            for (size_t j = 0; roles[j] && s->v[i].roles[j]; j++) {
                const char *g = strchr(ROLE_LETTERS, s->v[i].roles[j]), *p = strchr(ROLE_LETTERS, roles[j]);
                if (g && p)
                    conf[g - ROLE_LETTERS][p - ROLE_LETTERS]++;
            }
            free(roles);
        }
        free(model);
    }
    long right = 0, all = 0;
    printf("role  gold   P      R      F1    (%u-fold cross-validation, lines)\n", folds);
    for (int r = 0; r < N_ROLES; r++) {
        long tp = conf[r][r], g = 0, p = 0;
        for (int q = 0; q < N_ROLES; q++) {
            g += conf[r][q];
            p += conf[q][r];
        }
        right += tp;
        all += g;
        double P = p ? 100.0 * tp / p : 0, R = g ? 100.0 * tp / g : 0, F = P + R > 0 ? 2 * P * R / (P + R) : 0;
        printf("%c    %5ld  %5.1f  %5.1f  %5.1f\n", ROLE_LETTERS[r], g, P, R, F);
    }
    printf("line accuracy %.2f%% of %ld lines\n", all ? 100.0 * right / all : 0, all);
    return EXIT_OK;
}

int run_train_layout(int argc, char **argv, enrich_engine *(*make)(void))
{
    static const struct option longopts[] = {
        {"epochs", required_argument, NULL, 'e'}, {"seed", required_argument, NULL, 's'},
        {"folds", required_argument, NULL, 'k'},  {"min-pages", required_argument, NULL, 'm'},
        {"output", required_argument, NULL, 'O'}, {"help", no_argument, NULL, 'h'},
        {"dump", required_argument, NULL, 'D'},   {"runs", required_argument, NULL, 'r'},
        {NULL, 0, NULL, 0},
    };
    unsigned epochs = 12, seed = 1, runs = 5, folds = 0, min_pages = 3;
    const char *out = NULL, *dump_path = NULL;
    int ch, bad = 0;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":e:s:r:k:m:O:D:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'e': epochs = parse_count(optarg, "--epochs", 1, 1000, &bad); break;
        case 's': seed = parse_count(optarg, "--seed", 0, 1000000, &bad); break;
        case 'r': runs = parse_count(optarg, "--runs", 1, 100, &bad); break;
        case 'k': folds = parse_count(optarg, "--folds", 2, 100, &bad); break;
        case 'm': min_pages = parse_count(optarg, "--min-pages", 1, 1000, &bad); break;
        case 'O': out = optarg; break;
        case 'D': dump_path = optarg; break;
        case 'h':
            fputs("usage: enrich train-layout [--epochs N] [--seed N] [--runs N] [--min-pages N]\n"
                  "                           (--output MODEL | --folds K [--dump FILE]) [FILE|-]\n"
                  "Trains the line-role model on JSON Lines {\"id\",\"text\",\"roles\"} (roles: one\n"
                  "letter per non-blank line: H S Y T D C X B K R G F). --folds K prints\n"
                  "K-fold cross-validated figures instead of (or besides) writing MODEL.\n"
                  "--epochs (default 12), --seed (default 1), --runs (default 5: models\n"
                  "trained from seeds seed, seed+1, ... averaged into one), --min-pages\n"
                  "(default 3: features seen on fewer articles are left out). --dump FILE\n"
                  "writes, with --folds, each held-out article's id, its labels and the\n"
                  "roles given.\n",
                  stdout);
            return EXIT_OK;
        case ':': fprintf(stderr, "enrich train-layout: option '%s' needs a value\n", argv[optind - 1]); return EXIT_USAGE;
        default: fprintf(stderr, "enrich train-layout: unknown option '%s'\n", argv[optind - 1]); return EXIT_USAGE;
        }
    }
    if (bad)
        return EXIT_USAGE;
    if (!out && !folds) {
        fprintf(stderr, "enrich train-layout: needs --output MODEL or --folds K\n");
        return EXIT_USAGE;
    }
    FILE *f = stdin;
    if (optind < argc && strcmp(argv[optind], "-") != 0 && !(f = fopen(argv[optind], "rb"))) {
        fprintf(stderr, "enrich train-layout: cannot open %s: %s\n", argv[optind], strerror(errno));
        return EXIT_IO;
    }
    samples s = {0};
    int rc = read_samples(f, &s);
    if (f != stdin)
        fclose(f);
    enrich_engine *e = rc == EXIT_OK ? make() : NULL;
    if (rc == EXIT_OK && !e)
        rc = EXIT_IO;
    FILE *dump = NULL;
    if (rc == EXIT_OK && folds && dump_path && !(dump = fopen(dump_path, "w"))) {
        fprintf(stderr, "enrich train-layout: cannot write %s: %s\n", dump_path, strerror(errno));
        rc = EXIT_IO;
    }
    if (rc == EXIT_OK && folds)
        rc = cross_validate(e, &s, folds, epochs, seed, runs, min_pages, dump);
    if (dump && fclose(dump) != 0)
        rc = EXIT_IO;
    if (rc == EXIT_OK && out) {
        char *model = NULL;
        size_t len = 0;
        enrich_error err;
        if (enrich_layout_train(e, s.v, s.n, 0, 0, epochs, seed, runs, min_pages, &model, &len, &err) != ENRICH_OK) {
            fprintf(stderr, "enrich train-layout: %s\n", err.message);
            rc = err.code == ENRICH_ERR_ARG ? EXIT_INPUT : EXIT_IO;
        } else {
            FILE *o = fopen(out, "wb");
            if (!o || fwrite(model, 1, len, o) != len || fclose(o) != 0) {
                fprintf(stderr, "enrich train-layout: cannot write %s: %s\n", out, strerror(errno));
                rc = EXIT_IO;
            } else {
                fprintf(stderr, "enrich train-layout: wrote %s (%zu bytes) from %zu articles\n", out, len, s.n);
            }
        }
        free(model);
    }
    enrich_engine_free(e);
    for (size_t i = 0; i < s.n; i++)
        json_decref(s.keep[i]);
    free(s.v);
    free(s.keep);
    return rc;
}
