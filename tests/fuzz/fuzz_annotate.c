/*
 * fuzz_annotate.c - libFuzzer target for the library's entry point.
 *
 * The first byte picks the options (offset unit, parts, reference date or
 * none); the rest is the article. Every response is encoded, and each span
 * in it is checked to lie on character boundaries inside the input, and
 * the directly written text must equal the jansson tree's encoding.
 *
 * Built with clang -fsanitize=fuzzer by 'make fuzz'; built with a replay
 * main() (fuzz_replay.c) by 'make test', which runs the corpus.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "enrich.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static enrich_engine *engine;

/* Aborts unless every "start"/"end" pair in v lies within [0, len]. */
static void check_spans(json_t *v, size_t len)
{
    if (json_is_object(v)) {
        json_t *s = json_object_get(v, "start"), *e = json_object_get(v, "end");
        if (s && e && (json_integer_value(s) < 0 || json_integer_value(s) > json_integer_value(e) ||
                       (size_t)json_integer_value(e) > len))
            abort();
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x) check_spans(x, len);
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) check_spans(x, len);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!engine) {
        engine = enrich_engine_new(NULL);
        if (!engine)
            abort();
    }
    if (size == 0)
        return 0;
    enrich_options o;
    enrich_options_init(&o);
    o.offsets = (enrich_offset_unit)(data[0] % 3);
    o.include = (data[0] >> 2) & ENRICH_PART_ALL;
    o.reference_date = (data[0] & 0x80) ? "2024-07-11" : NULL;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    enrich_error err;
    enrich_doc *doc = enrich_annotate(engine, text, len, &o, &err);
    if (!doc) {
        if (err.code != ENRICH_ERR_UTF8 && err.code != ENRICH_ERR_NUL)
            abort();
        return 0;
    }
    json_t *j = enrich_doc_json(doc);
    if (!j)
        abort();
    check_spans(j, len);
    char *s = json_dumps(j, enrich_json_flags(0));
    if (!s)
        abort(); /* a span cut inside a character would make this fail */
    size_t n = 0;
    char *direct = enrich_doc_dumps(doc, NULL, 0, &n);
    if (!direct || n != strlen(s) || memcmp(direct, s, n) != 0)
        abort(); /* the direct writer must give the tree's bytes */
    free(direct);
    free(s);
    json_decref(j);
    enrich_doc_free(doc);
    return 0;
}
