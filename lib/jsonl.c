/*
 * jsonl.c - one JSON Lines record in, one response line out: the shared
 * body of 'enrich --jsonl' and enrichd's batch route.
 */
#include <math.h>
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

/* Sets err for a JSON syntax error: the position and column of the token
 * jansson stopped after (its "near '...'"), in the request's own words. */
static void syntax_error(const char *json, size_t len, const json_error_t *jerr, enrich_error *err)
{
    size_t pos = jerr->position > 0 && (size_t)jerr->position <= len ? (size_t)jerr->position : 0;
    const char *near = strstr(jerr->text, " near '");
    size_t tok = 0;
    if (near) {
        near += 7;
        const char *q = strrchr(near, '\'');
        tok = q && q > near ? (size_t)(q - near) : 0;
        /* jansson stops right after the token, or one byte further on a
         * number it read a byte past */
        if (tok && tok < pos && memcmp(json + pos - 1 - tok, near, tok) == 0 &&
            (tok > pos || memcmp(json + pos - tok, near, tok) != 0))
            pos--;
        if (tok > pos || memcmp(json + pos - tok, near, tok) != 0)
            tok = 0;
    } else if (json_error_code(jerr) == json_error_numeric_overflow) {
        /* "too big integer" names no token: the number ends at pos */
        while (tok < pos && strchr("0123456789+-.eE", json[pos - tok - 1]))
            tok++;
    }
    pos -= tok; /* the token's start, not its end */
    size_t line = 1, col = 1;
    for (size_t i = 0; i < pos; i++) {
        if (json[i] == '\n')
            line++, col = 1;
        else if (((unsigned char)json[i] & 0xC0) != 0x80)
            col++; /* columns count characters */
    }
    /* jansson's words for the fault, up to its "near"; none that name
     * its own flags */
    int what = near ? (int)(near - 7 - jerr->text) : (int)strlen(jerr->text);
    if (strstr(jerr->text, "JSON_")) {

        err->code = ENRICH_ERR_JSON;
        err->position = pos;
        snprintf(err->message, sizeof err->message, "not valid JSON at line %zu, column %zu", line, col);
        return;
    }
    err->code = ENRICH_ERR_JSON;
    err->position = pos;
    snprintf(err->message, sizeof err->message, "not valid JSON: %.*s%s%.*s%s at line %zu, column %zu", what,
             jerr->text, tok ? " near '" : "", (int)(tok > 40 ? 40 : tok), json + pos, tok ? "'" : "", line, col);
}

/* Is v a string holding a NUL? Its C string would end early. */
static int has_nul(const json_t *v)
{
    return json_is_string(v) && strlen(json_string_value(v)) != json_string_length(v);
}

static int shape_error(enrich_error *err, const char *message)
{
    err->code = ENRICH_ERR_REQUEST;
    err->position = (size_t)-1;
    snprintf(err->message, sizeof err->message, "%s", message);
    return ENRICH_ERR_REQUEST;
}

int enrich_request_parse(const char *json, size_t len, const enrich_options *defaults, enrich_request *req,
                         enrich_error *err)
{
    memset(req, 0, sizeof *req);
    if (defaults)
        req->opts = *defaults;
    else
        enrich_options_init(&req->opts);
    json_error_t jerr;
    /* NULs are let through and reported where they stand */
    json_t *in = json_loadb(json, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
    if (!in && json_error_code(&jerr) == json_error_numeric_overflow) {
        /* an integer past 64 bits in a field this service ignores is no
         * fault: read the numbers as reals, and keep the request when its
         * id is none of them or still exact */
        json_t *again = json_loadb(json, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL | JSON_DECODE_INT_AS_REAL, NULL);
        json_t *id = json_object_get(again, "id");
        if (again && (!json_is_real(id) || fabs(json_real_value(id)) <= 9007199254740992.0))
            in = again;
        else
            json_decref(again);
    }
    if (!in) {
        if (json_error_code(&jerr) == json_error_out_of_memory) {
            err->code = ENRICH_ERR_NOMEM;
            err->position = (size_t)-1;
            snprintf(err->message, sizeof err->message, "out of memory");
            return ENRICH_ERR_NOMEM;
        }
        syntax_error(json, len, &jerr, err);
        if (json_error_code(&jerr) == json_error_numeric_overflow) {
            /* valid JSON; a number this service cannot hold */
            err->code = ENRICH_ERR_REQUEST;
            char where[80];
            const char *at = strstr(err->message, " at line ");
            snprintf(where, sizeof where, "%s", at ? at + 1 : "");
            int integer = strstr(jerr.text, "integer") != NULL;
            snprintf(err->message, sizeof err->message, "%s %s",
                     integer ? "an integer is beyond the 64-bit range (an id is a string or an integer from "
                               "-2^63 to 2^63-1)"
                             : "a number is too large to represent",
                     where);
        }
        return err->code;
    }
    int rc = ENRICH_OK;
    json_t *text = json_object_get(in, "text");
    json_t *id = json_object_get(in, "id");
    /* 7.0 is the integer 7 (JSON Schema counts it one); it comes back as 7 */
    if (json_is_real(id) && json_real_value(id) == trunc(json_real_value(id)) &&
        json_real_value(id) >= -9223372036854775808.0 && json_real_value(id) < 9223372036854775808.0) {
        json_object_set_new(in, "id", json_integer((json_int_t)json_real_value(id)));
        id = json_object_get(in, "id");
    }
    json_t *options = json_object_get(in, "options");
    if (!json_is_object(in))
        rc = shape_error(err, "body must be a JSON object with a \"text\" string");
    else if (id && !json_is_string(id) && !json_is_integer(id) && !json_is_null(id))
        rc = shape_error(err, "\"id\" must be a string, an integer or null");
    else if (!json_is_string(text))
        rc = shape_error(err, "\"text\" is required and must be a string");
    else if (options && !json_is_object(options) && !json_is_null(options))
        rc = shape_error(err, "\"options\" must be an object");
    req->id = json_is_object(in) && (json_is_string(id) || json_is_integer(id) || json_is_null(id)) ? id : NULL;
    static const char *const keys[] = {"reference_date", "offsets", "include"};
    for (int k = 0; k < 3 && rc == ENRICH_OK; k++) {
        json_t *v = json_object_get(in, keys[k]);
        if (!v && json_is_object(options))
            v = json_object_get(options, keys[k]);
        if (!v || json_is_null(v))
            continue;
        if (!json_is_string(v) || has_nul(v)) {
            char msg[80];
            snprintf(msg, sizeof msg, json_is_string(v) ? "\"%s\" holds a NUL character" : "\"%s\" must be a string or null",
                     keys[k]);
            rc = shape_error(err, msg);
            break;
        }
        const char *s = json_string_value(v);
        if (k == 0) {
            rc = enrich_check_date(s, err);
            req->opts.reference_date = s;
        } else if (k == 1) {
            if (enrich_parse_offsets(s, &req->opts.offsets) != ENRICH_OK) {
                char msg[100];
                snprintf(msg, sizeof msg, "offsets '%.40s' is not one of utf8, utf16, codepoint", s);
                rc = shape_error(err, msg);
            }
        } else if (enrich_parse_include(s, &req->opts.include, err) != ENRICH_OK) {
            err->code = rc = ENRICH_ERR_REQUEST;
        }
    }
    if (rc != ENRICH_OK) {
        json_decref(in); /* req->id stays readable only through the caller's copy */
        req->id = NULL;
        return rc;
    }
    req->root = in;
    req->text = json_string_value(text);
    req->text_len = json_string_length(text);
    return ENRICH_OK;
}

void enrich_request_free(enrich_request *req)
{
    if (req && req->root) {
        json_decref(req->root);
        req->root = NULL;
    }
}

char *enrich_jsonl_record(const enrich_engine *engine, const enrich_options *defaults, const char *line,
                          size_t len, size_t lineno, size_t *n)
{
    enrich_request req;
    enrich_error err;
    char msg[300];
    int rc = enrich_request_parse(line, len, defaults, &req, &err);
    if (rc != ENRICH_OK) {
        /* the record's id, when it has one, names the answer */
        json_t *in = json_loadb(line, len, JSON_ALLOW_NUL, NULL);
        json_t *id = json_is_object(in) ? json_object_get(in, "id") : NULL;
        if (id && !json_is_string(id) && !json_is_integer(id))
            id = NULL;
        snprintf(msg, sizeof msg, "line %zu: %s", lineno, err.message);
        char *out = dump(line_error(id, enrich_error_name(rc), msg, err.position), n);
        json_decref(in);
        return out;
    }
    char *resp = NULL;
    enrich_doc *doc = enrich_annotate(engine, req.text, req.text_len, &req.opts, &err);
    if (doc) {
        resp = enrich_doc_dumps(doc, req.id, 0, n); /* "id" first */
        enrich_doc_free(doc);
    } else {
        resp = dump(line_error(req.id, enrich_error_name(err.code), err.message, err.position), n);
    }
    enrich_request_free(&req);
    return resp;
}
