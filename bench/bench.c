/*
 * bench.c - single-thread throughput of libenrich (make bench).
 *
 * usage: bench STORIES.jsonl [SECONDS]
 *
 * Loads the stories ({"text": ...} per line), then measures: engine start
 * time, stories/s and MB/s of enrich_annotate + enrich_doc_dumps (the
 * whole pipeline a request runs), and the process's peak memory.
 * Prints figures; asserts nothing about them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "enrich.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct story {
    char *text;
    size_t len;
} story;

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench STORIES.jsonl [SECONDS]\n");
        return 2;
    }
    double seconds = argc > 2 ? atof(argv[2]) : 5.0;
    FILE *f = fopen(argv[1], "r");
    if (!f) {
        printf("bench: %s is absent; skipping the library benchmark.\n", argv[1]);
        return 0;
    }
    story *stories = NULL;
    size_t n = 0, cap = 0, bytes = 0;
    char *line = NULL;
    size_t lcap = 0;
    while (getline(&line, &lcap, f) > 0) {
        json_t *j = json_loads(line, 0, NULL);
        json_t *t = json_object_get(j, "text");
        if (json_is_string(t)) {
            if (n == cap) {
                cap = cap ? cap * 2 : 1024;
                stories = realloc(stories, cap * sizeof *stories);
            }
            stories[n].len = json_string_length(t);
            stories[n].text = malloc(stories[n].len + 1);
            memcpy(stories[n].text, json_string_value(t), stories[n].len + 1);
            bytes += stories[n].len;
            n++;
        }
        json_decref(j);
    }
    free(line);
    fclose(f);
    if (n == 0) {
        fprintf(stderr, "bench: no stories in %s\n", argv[1]);
        return 1;
    }

    /* Engine start, the best of ten. */
    double start_best = 1e9;
    for (int i = 0; i < 10; i++) {
        double s0 = now();
        enrich_engine *e = enrich_engine_new(NULL);
        if (!e) {
            fprintf(stderr, "bench: cannot start the engine\n");
            return 1;
        }
        double dt = now() - s0;
        enrich_engine_free(e);
        if (dt < start_best)
            start_best = dt;
    }
    enrich_error err;
    enrich_engine *engine = enrich_engine_new(&err);
    if (!engine) {
        fprintf(stderr, "bench: cannot start the engine: %s\n", err.message);
        return 1;
    }
    enrich_options opts;
    enrich_options_init(&opts);
    opts.reference_date = "1987-03-01";

    /* Whole passes over the stories until the time is up (at least three);
     * the best and the median pass are reported, since a shared machine's
     * noise only ever slows a pass down. */
    double pass_time[64];
    int passes = 0;
    size_t out_bytes = 0;
    double t0 = now();
    do {
        double p0 = now();
        for (size_t i = 0; i < n; i++) {
            enrich_doc *doc = enrich_annotate(engine, stories[i].text, stories[i].len, &opts, &err);
            if (!doc) {
                fprintf(stderr, "bench: story %zu: %s\n", i, err.message);
                return 1;
            }
            size_t out_len = 0;
            char *s = enrich_doc_dumps(doc, NULL, 0, &out_len); /* what the CLI and enrichd send */
            out_bytes += out_len;
            free(s);
            enrich_doc_free(doc);
        }
        pass_time[passes++] = now() - p0;
    } while (passes < 64 && (passes < 3 || now() - t0 < seconds));
    double elapsed = now() - t0;
    for (int i = 1; i < passes; i++) /* insertion sort */
        for (int k = i; k > 0 && pass_time[k] < pass_time[k - 1]; k--) {
            double x = pass_time[k];
            pass_time[k] = pass_time[k - 1];
            pass_time[k - 1] = x;
        }
    double best = pass_time[0], median = pass_time[passes / 2];
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("library, one thread, whole pipeline (enrich_annotate + enrich_doc_dumps) over %zu stories (%.1f MB):\n", n,
           (double)bytes / 1e6);
    printf("  best pass   %.2f MB/s  %.0f stories/s\n", (double)bytes / 1e6 / best, (double)n / best);
    printf("  median pass %.2f MB/s  %.0f stories/s  (%d passes in %.1f s, %.0f bytes of JSON per story)\n",
           (double)bytes / 1e6 / median, (double)n / median, passes, elapsed,
           (double)out_bytes / ((double)n * passes));
    printf("  engine start %.2f ms (best of 10)\n", start_best * 1000.0);
    printf("  peak memory %.1f MB (resident, stories loaded included)\n", (double)ru.ru_maxrss / 1024.0);

    /* One more pass with the stages timed (the clock reads cost a little,
     * so the passes above run without them): where the time goes. */
    double stage_s[64] = {0};
    unsigned stages = enrich_stage_count();
    if (stages <= sizeof stage_s / sizeof stage_s[0]) {
        opts.stage_seconds = stage_s;
        double dump_s = 0;
        for (size_t i = 0; i < n; i++) {
            enrich_doc *doc = enrich_annotate(engine, stories[i].text, stories[i].len, &opts, &err);
            if (!doc)
                return 1;
            double d0 = now();
            size_t out_len = 0;
            free(enrich_doc_dumps(doc, NULL, 0, &out_len));
            enrich_doc_free(doc);
            dump_s += now() - d0;
        }
        double total = dump_s;
        for (unsigned i = 0; i < stages; i++)
            total += stage_s[i];
        printf("  time by stage (one pass):");
        for (unsigned i = 0; i < stages; i++)
            printf(" %s %.1f%%", enrich_stage_name(i), 100.0 * stage_s[i] / total);
        printf(", JSON out and free %.1f%%\n", 100.0 * dump_s / total);
    }
    enrich_engine_free(engine);
    for (size_t i = 0; i < n; i++)
        free(stories[i].text);
    free(stories);
    return 0;
}
