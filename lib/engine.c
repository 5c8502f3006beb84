/*
 * engine.c - the public API: engines, options, documents, errors. Runs the
 * stages in order over one validated input.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "anchor.h"
#include "lines.h"
#include "calendar.h"
#include "credits.h"
#include "dateline.h"
#include "doc.h"
#include "enginep.h"
#include "entities.h"
#include "timex.h"
#include "layout.h"
#include "quotes.h"
#include "related.h"
#include "stamp.h"
#include "ner.h"
#include "tokens.h"
#include "resources.h"
#include "utf8.h"

static void set_error(enrich_error *err, int code, size_t position, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void set_error(enrich_error *err, int code, size_t position, const char *fmt, ...)
{
    if (!err)
        return;
    err->code = code;
    err->position = position;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
}

const char *enrich_version(void)
{
    return ENRICH_VERSION;
}

const char *enrich_strerror(int code)
{
    switch (code) {
    case ENRICH_OK: return "success";
    case ENRICH_ERR_NOMEM: return "out of memory";
    case ENRICH_ERR_UTF8: return "invalid UTF-8";
    case ENRICH_ERR_NUL: return "NUL byte in text";
    case ENRICH_ERR_TOO_LARGE: return "text too large";
    case ENRICH_ERR_DATE: return "invalid date";
    case ENRICH_ERR_ARG: return "invalid argument";
    case ENRICH_ERR_DATA: return "malformed resource";
    case ENRICH_ERR_JSON: return "not valid JSON";
    case ENRICH_ERR_REQUEST: return "request of the wrong shape";
    default: return "unknown error";
    }
}

const char *enrich_error_name(int code)
{
    switch (code) {
    case ENRICH_OK: return "ok";
    case ENRICH_ERR_NOMEM: return "out_of_memory";
    case ENRICH_ERR_UTF8: return "invalid_utf8";
    case ENRICH_ERR_NUL: return "nul_byte";
    case ENRICH_ERR_TOO_LARGE: return "too_large";
    case ENRICH_ERR_DATE: return "invalid_date";
    case ENRICH_ERR_ARG: return "invalid_argument";
    case ENRICH_ERR_DATA: return "malformed_resource";
    case ENRICH_ERR_JSON: return "invalid_json";
    case ENRICH_ERR_REQUEST: return "invalid_request";
    default: return "unknown";
    }
}

void enrich_options_init(enrich_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->offsets = ENRICH_OFFSETS_UTF8;
    opts->include = ENRICH_PART_ALL;
}

static const char *const unit_names[] = {"utf8", "utf16", "codepoint"};

int enrich_parse_offsets(const char *s, enrich_offset_unit *out)
{
    for (int i = 0; s && i < 3; i++) {
        if (strcmp(s, unit_names[i]) == 0) {
            *out = (enrich_offset_unit)i;
            return ENRICH_OK;
        }
    }
    return ENRICH_ERR_ARG;
}

const char *enrich_offsets_name(enrich_offset_unit unit)
{
    return (unsigned)unit < 3 ? unit_names[unit] : "utf8";
}

static const struct {
    const char *name;
    unsigned bit;
} part_names[] = {
    {"article", ENRICH_PART_ARTICLE}, {"entities", ENRICH_PART_ENTITIES},
    {"dates", ENRICH_PART_DATES},     {"related", ENRICH_PART_RELATED},
    {"quotes", ENRICH_PART_QUOTES},   {"all", ENRICH_PART_ALL},
};

int enrich_parse_include(const char *s, unsigned *out, enrich_error *err)
{
    unsigned bits = 0;
    const char *p = s ? s : "";
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        size_t i = 0;
        size_t count = sizeof part_names / sizeof part_names[0];
        while (i < count && !(strlen(part_names[i].name) == n && memcmp(part_names[i].name, p, n) == 0))
            i++;
        if (i == count) {
            set_error(err, ENRICH_ERR_ARG, (size_t)-1,
                      "unknown part '%.*s' in include: use article, entities, dates, related, "
                      "quotes or all, separated by commas",
                      (int)(n > 40 ? 40 : n), p);
            return ENRICH_ERR_ARG;
        }
        bits |= part_names[i].bit;
        if (!comma)
            break;
        p = comma + 1;
    }
    *out = bits;
    return ENRICH_OK;
}

int enrich_check_date(const char *s, enrich_error *err)
{
    int y, m, d;
    if (calendar_parse_iso(s, &y, &m, &d) != 0) {
        set_error(err, ENRICH_ERR_DATE, (size_t)-1,
                  "reference date '%.40s' is not a calendar date written YYYY-MM-DD", s ? s : "");
        return ENRICH_ERR_DATE;
    }
    return ENRICH_OK;
}

size_t enrich_json_flags(int pretty)
{
    size_t flags = JSON_PRESERVE_ORDER;
    return pretty ? flags | JSON_INDENT(2) : flags | JSON_COMPACT;
}

void enrich_engine_config_init(enrich_engine_config *config)
{
    memset(config, 0, sizeof *config);
}

enrich_engine *enrich_engine_new(enrich_error *err)
{
    return enrich_engine_new_with(NULL, err);
}

enrich_engine *enrich_engine_new_with(const enrich_engine_config *config, enrich_error *err)
{
    enrich_engine *e = calloc(1, sizeof *e);
    if (!e) {
        set_error(err, ENRICH_ERR_NOMEM, (size_t)-1, "out of memory creating the engine");
        return NULL;
    }
    size_t len = (size_t)(enrichp_places_tsv_end - enrichp_places_tsv);
    size_t model_len = (size_t)(enrichp_ner_model_end - enrichp_ner_model);
    int rc = gazetteer_load(&e->places, enrichp_places_tsv, len, err);
    if (rc == ENRICH_OK)
        rc = phrases_load(&e->phrases, &e->places, err);
    ner_cues_init(&e->ner_cues);
    if (rc == ENRICH_OK) {
        if (config && config->no_model)
            ; /* layout, tokens and gazetteers only */
        else if (config && config->model)
            rc = ner_model_load(&e->ner, config->model, config->model_len, 1, err);
        else if (model_len > 0) /* empty until 'make model' has run once */
            rc = ner_model_load(&e->ner, enrichp_ner_model, model_len, 0, err);
        if (rc == ENRICH_ERR_NOMEM)
            set_error(err, rc, (size_t)-1, "out of memory loading the entity model");
    }
    if (rc == ENRICH_OK && timex_triggers_build(&e->timex_triggers, &e->timex_trigger_slots) != 0)
        rc = ENRICH_ERR_NOMEM;
    if (rc == ENRICH_OK &&
        wordset_load(&e->speech_verbs, enrichp_speech_verbs, (size_t)(enrichp_speech_verbs_end - enrichp_speech_verbs)))
        rc = ENRICH_ERR_NOMEM;
    if (rc == ENRICH_OK &&
        (wordset_load(&e->first_names, enrichp_first_names, (size_t)(enrichp_first_names_end - enrichp_first_names)) ||
         wordset_load(&e->female_names, enrichp_female_names,
                      (size_t)(enrichp_female_names_end - enrichp_female_names)) ||
         wordset_load(&e->male_names, enrichp_male_names, (size_t)(enrichp_male_names_end - enrichp_male_names)) ||
         wordset_load(&e->byline_words, enrichp_byline_words,
                      (size_t)(enrichp_byline_words_end - enrichp_byline_words)) ||
         wordset_load(&e->furniture_words, enrichp_furniture_words,
                      (size_t)(enrichp_furniture_words_end - enrichp_furniture_words))))
        rc = ENRICH_ERR_NOMEM;
    if (rc == ENRICH_OK && config && config->layout_model)
        rc = lines_model_load(&e->layout, config->layout_model, config->layout_model_len, err);
    else if (rc == ENRICH_OK)
        rc = lines_model_load(&e->layout, enrichp_layout_model,
                              (size_t)(enrichp_layout_model_end - enrichp_layout_model), err);
    if (rc == ENRICH_OK && config && config->dictionary)
        rc = dictionary_load(&e->dict, config->dictionary, config->dictionary_len, err);
    if (rc != ENRICH_OK) {
        enrich_engine_free(e);
        return NULL;
    }
    return e;
}

void enrich_engine_free(enrich_engine *engine)
{
    if (!engine)
        return;
    gazetteer_free(&engine->places);
    phrases_free(&engine->phrases);
    ner_model_free(&engine->ner);
    dictionary_free(&engine->dict);
    wordset_free(&engine->speech_verbs);
    wordset_free(&engine->first_names);
    wordset_free(&engine->female_names);
    wordset_free(&engine->male_names);
    wordset_free(&engine->byline_words);
    wordset_free(&engine->furniture_words);
    lines_model_free(&engine->layout);
    free(engine->timex_triggers);
    free(engine);
}

/* ---- the pipeline ------------------------------------------------------ */

/* The stages in the order they run (design.md): the lines and their roles,
 * the article's parts read from them, tokens, the reference date, then the
 * recognisers and resolvers. A stage runs when the parts asked include
 * one it serves (0: always). doc_prepare runs the stages before
 * PIPELINE_PREPARED (the trainer tags what they leave). */
typedef struct stage {
    const char *name;
    unsigned parts;
    int (*run)(enrich_doc *doc);
} stage;

static const stage pipeline[] = {
    {"layout", 0, layout_run},     /* a role for every line; article.blocks */
    {"dateline", 0, dateline_run}, /* the dateline, wherever it opens the story */
    {"article", 0, article_run},   /* headline, subheadline, body paragraphs */
    {"stamp", 0, stamp_run},       /* time stamps */
    {"credits", 0, credits_run},   /* bylines, photo credits, sign-offs */
    {"related", 0, related_run},   /* related-story titles */
    {"tokens", 0, tokens_run},     /* tokens and sentences */
    {"anchor", 0, anchor_run},     /* the reference date: the request's or the story's own */
    {"ner", ENRICH_PART_ENTITIES | ENRICH_PART_QUOTES, ner_run},      /* entity mentions */
    {"entities", ENRICH_PART_ENTITIES | ENRICH_PART_QUOTES, entities_run}, /* mentions to entities */
    {"timex", 0, timex_run},       /* dates and their values (the dateline's and stamps' always) */
    {"quotes", ENRICH_PART_QUOTES, quotes_run}, /* quotes and their speakers */
};

_Static_assert(sizeof pipeline / sizeof pipeline[0] == PIPELINE_STAGES, "PIPELINE_STAGES counts the stages");

unsigned enrich_stage_count(void)
{
    return PIPELINE_STAGES;
}

const char *enrich_stage_name(unsigned i)
{
    return i < PIPELINE_STAGES ? pipeline[i].name : NULL;
}

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int pipeline_run(enrich_doc *doc, unsigned from, unsigned to, double *seconds)
{
    for (unsigned i = from; i < to; i++) {
        const stage *s = &pipeline[i];
        if (s->parts && !(doc->include & s->parts))
            continue;
        double t0 = seconds ? seconds_now() : 0;
        if (s->run(doc))
            return -1;
        if (seconds)
            seconds[i] += seconds_now() - t0;
    }
    return 0;
}

enrich_doc *doc_prepare(const enrich_engine *engine, const char *text, size_t len,
                        const enrich_options *opts, enrich_error *err)
{
    enrich_options defaults;
    if (!opts) {
        enrich_options_init(&defaults);
        opts = &defaults;
    }
    if (!engine || (!text && len > 0)) {
        set_error(err, ENRICH_ERR_ARG, (size_t)-1, "no engine or no text");
        return NULL;
    }
    if ((unsigned)opts->offsets > ENRICH_OFFSETS_CODEPOINT) {
        set_error(err, ENRICH_ERR_ARG, (size_t)-1, "unknown offset unit");
        return NULL;
    }
    if (len > ENRICH_MAX_INPUT) {
        set_error(err, ENRICH_ERR_TOO_LARGE, (size_t)-1,
                  "text of %zu bytes is longer than the %zu bytes accepted", len,
                  ENRICH_MAX_INPUT);
        return NULL;
    }
    size_t bad = 0;
    switch (utf8_validate(text, len, &bad)) {
    case UTF8_INVALID:
        set_error(err, ENRICH_ERR_UTF8, bad, "text is not valid UTF-8: bad byte 0x%02X at byte offset %zu",
                  (unsigned char)text[bad], bad);
        return NULL;
    case UTF8_HAS_NUL:
        set_error(err, ENRICH_ERR_NUL, bad, "text contains a NUL byte at byte offset %zu", bad);
        return NULL;
    case UTF8_VALID:
        break;
    }
    int y = 0, m = 0, d = 0;
    if (opts->reference_date && calendar_parse_iso(opts->reference_date, &y, &m, &d) != 0) {
        enrich_check_date(opts->reference_date, err);
        return NULL;
    }

    enrich_doc *doc = calloc(1, sizeof *doc);
    if (!doc) {
        set_error(err, ENRICH_ERR_NOMEM, (size_t)-1, "out of memory");
        return NULL;
    }
    doc->engine = engine;
    doc->text = text ? text : "";
    doc->len = (uint32_t)len;
    arena_init(&doc->arena, 4096 + len / 2);
    doc->offsets = opts->offsets;
    doc->include = opts->include ? opts->include : ENRICH_PART_ALL;
    doc->has_ref = opts->reference_date != NULL;
    doc->ref_year = y;
    doc->ref_month = m;
    doc->ref_day = d;

    if (pipeline_run(doc, 0, PIPELINE_PREPARED, opts->stage_seconds) != 0) {
        enrich_doc_free(doc);
        set_error(err, ENRICH_ERR_NOMEM, (size_t)-1, "out of memory");
        return NULL;
    }
    return doc;
}

enrich_doc *enrich_annotate(const enrich_engine *engine, const char *text, size_t len,
                            const enrich_options *opts, enrich_error *err)
{
    enrich_doc *doc = doc_prepare(engine, text, len, opts, err);
    if (!doc)
        return NULL;
    if (pipeline_run(doc, PIPELINE_PREPARED, PIPELINE_STAGES, opts ? opts->stage_seconds : NULL) != 0) {
        enrich_doc_free(doc);
        set_error(err, ENRICH_ERR_NOMEM, (size_t)-1, "out of memory");
        return NULL;
    }
    return doc;
}

void enrich_doc_free(enrich_doc *doc)
{
    if (!doc)
        return;
    arena_free(&doc->arena);
    free(doc->lines);
    free(doc);
}

int enrich_layout_train(const enrich_engine *engine, const enrich_layout_sample *samples, size_t n,
                        unsigned folds, unsigned held_out, unsigned epochs, unsigned seed, unsigned runs,
                        unsigned min_pages, char **model, size_t *model_len, enrich_error *err)
{
    if (!engine || (!samples && n) || !model || !model_len || !epochs) {
        set_error(err, ENRICH_ERR_ARG, (size_t)-1, "enrich_layout_train: no engine, samples, output or epochs");
        return ENRICH_ERR_ARG;
    }
    lines_sample *s = malloc((n ? n : 1) * sizeof *s);
    if (!s) {
        set_error(err, ENRICH_ERR_NOMEM, (size_t)-1, "out of memory training the layout model");
        return ENRICH_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++)
        s[i] = (lines_sample){samples[i].text, samples[i].len, samples[i].roles};
    int rc = lines_train(engine, s, n, folds, held_out, epochs, seed, runs, min_pages, model, model_len, err);
    free(s);
    return rc;
}

int enrich_layout_roles(const enrich_engine *engine, const char *model, size_t model_len, const char *text,
                        size_t len, char **roles, enrich_error *err)
{
    if (!engine || !text || !roles || len > UINT32_MAX - 1) {
        set_error(err, ENRICH_ERR_ARG, (size_t)-1, "enrich_layout_roles: no engine, text or output");
        return ENRICH_ERR_ARG;
    }
    lines_model own;
    const lines_model *m = &engine->layout;
    if (model) {
        int rc = lines_model_load(&own, model, model_len, err);
        if (rc != ENRICH_OK)
            return rc;
        m = &own;
    }
    line_info *L = NULL;
    long n = lines_split(text, (uint32_t)len, &L);
    char *out = n >= 0 ? malloc((size_t)n + 1) : NULL;
    int rc = ENRICH_ERR_NOMEM;
    if (out && lines_classify(engine, m, text, L, (uint32_t)n, NULL) == 0) {
        for (long i = 0; i < n; i++)
            out[i] = lines_role_letters[L[i].role];
        out[n] = 0;
        *roles = out;
        out = NULL;
        rc = ENRICH_OK;
    }
    free(out);
    free(L);
    if (model)
        lines_model_free(&own);
    if (rc == ENRICH_ERR_NOMEM)
        set_error(err, rc, (size_t)-1, "out of memory reading the layout");
    return rc;
}
