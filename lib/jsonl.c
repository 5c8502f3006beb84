/*
 * jsonl.c - one JSON Lines record in, one response line out: the shared
 * body of 'enrich --jsonl' and enrichd's batch route.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enrich.h"

/* {"id": id, "error": {"code", "message"[, "position"]}} */
static json_t *line_error(json_t *id, const char *code, const char *message, size_t position)
{
    json_t *e = json_pack("{s:s, s:s}", "code", code, "message", message);
    if (e && position != (size_t)-1)
        json_object_set_new(e, "position", json_integer((json_int_t)position));
    return json_pack("{s:O, s:o}", "id", id ? id : json_null(), "error", e);
}

static char *dump(json_t *v, size_t *n)
{
    char *s = v ? json_dumps(v, enrich_json_flags(0)) : NULL;
    json_decref(v);
    if (s)
        *n = strlen(s);
    return s;
}

char *enrich_jsonl_record(const enrich_engine *engine, const enrich_options *defaults, const char *line,
                          size_t len, size_t lineno, size_t *n)
{
    json_error_t jerr;
    json_t *in = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
    char msg[300];
    if (!in) {
        snprintf(msg, sizeof msg, "line %zu is not JSON: %s (column %d)", lineno, jerr.text, jerr.column);
        return dump(line_error(NULL, "invalid_json", msg, (size_t)-1), n);
    }
    enrich_options opts;
    if (defaults)
        opts = *defaults;
    else
        enrich_options_init(&opts);
    json_t *out = NULL;
    json_t *id = json_object_get(in, "id");
    json_t *text = json_object_get(in, "text");
    if (!json_is_object(in)) {
        snprintf(msg, sizeof msg, "line %zu: expected an object {\"id\", \"text\", \"reference_date\"}", lineno);
        out = line_error(NULL, "invalid_request", msg, (size_t)-1);
    } else if (id && !json_is_string(id) && !json_is_integer(id) && !json_is_null(id)) {
        snprintf(msg, sizeof msg, "line %zu: \"id\" must be a string, an integer or null", lineno);
        out = line_error(NULL, "invalid_request", msg, (size_t)-1);
    } else if (!json_is_string(text)) {
        snprintf(msg, sizeof msg, "line %zu: \"text\" must be a string", lineno);
        out = line_error(id, "invalid_request", msg, (size_t)-1);
    }
    /* the options a record may carry */
    static const char *const keys[] = {"reference_date", "offsets", "include"};
    for (int k = 0; k < 3 && !out; k++) {
        json_t *v = json_object_get(in, keys[k]);
        if (!v || json_is_null(v))
            continue;
        if (!json_is_string(v)) {
            snprintf(msg, sizeof msg, "line %zu: \"%s\" must be a string or null", lineno, keys[k]);
            out = line_error(id, "invalid_request", msg, (size_t)-1);
            break;
        }
        const char *s = json_string_value(v);
        enrich_error err;
        if (k == 0) {
            opts.reference_date = s; /* checked by enrich_annotate */
        } else if (k == 1 && enrich_parse_offsets(s, &opts.offsets) != ENRICH_OK) {
            snprintf(msg, sizeof msg, "line %zu: offsets '%.40s' is not one of utf8, utf16, codepoint", lineno, s);
            out = line_error(id, "invalid_request", msg, (size_t)-1);
        } else if (k == 2 && enrich_parse_include(s, &opts.include, &err) != ENRICH_OK) {
            out = line_error(id, "invalid_request", err.message, (size_t)-1);
        }
    }
    if (!out) {
        enrich_error err;
        enrich_doc *doc = enrich_annotate(engine, json_string_value(text), json_string_length(text), &opts, &err);
        if (doc) {
            char *resp = enrich_doc_dumps(doc, id, 0, n); /* "id" first */
            enrich_doc_free(doc);
            json_decref(in);
            return resp;
        }
        out = line_error(id, enrich_error_name(err.code), err.message, err.position);
    }
    json_decref(in);
    return dump(out, n);
}
