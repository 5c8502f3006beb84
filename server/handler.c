/*
 * handler.c - routes, request bodies, errors as application/problem+json.
 * All enrichment is one call into libenrich.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "server.h"

extern const char enrichd_openapi_yaml[];
extern const char enrichd_openapi_yaml_end[];

#define PROBLEM_PREFIX "urn:enrich:problem:"
#define BODY_INITIAL (64 * 1024)
/* A chunked body past the limit is read and dropped up to this many times
 * the limit, so the 413 can be sent; beyond it the connection is closed. */
#define DISCARD_FACTOR 4

typedef enum route {
    ROUTE_NONE = 0,
    ROUTE_HEALTHZ,
    ROUTE_READYZ,
    ROUTE_OPENAPI,
    ROUTE_ENRICH
} route;

typedef enum body_kind { BODY_TEXT = 1, BODY_JSON } body_kind;

typedef struct request {
    route route;
    engine_ref *engine;
    body_kind kind;
    char *body;
    size_t len, cap;
    size_t discarded;
    int too_big;
} request;

static const struct {
    const char *path;
    route route;
    const char *allow;
} routes[] = {
    {"/healthz", ROUTE_HEALTHZ, "GET, HEAD, OPTIONS"},
    {"/readyz", ROUTE_READYZ, "GET, HEAD, OPTIONS"},
    {"/openapi.yaml", ROUTE_OPENAPI, "GET, HEAD, OPTIONS"},
    {"/v1/enrich", ROUTE_ENRICH, "POST, OPTIONS"},
};

/* ---- the engine in use ----------------------------------------------- */

engine_ref *server_engine_acquire(server_state *st)
{
    pthread_mutex_lock(&st->lock);
    engine_ref *ref = st->current;
    ref->refs++;
    pthread_mutex_unlock(&st->lock);
    return ref;
}

void server_engine_release(server_state *st, engine_ref *ref)
{
    pthread_mutex_lock(&st->lock);
    int last = --ref->refs == 0;
    pthread_mutex_unlock(&st->lock);
    if (last) {
        enrich_engine_free(ref->engine);
        free(ref);
    }
}

int server_engine_swap(server_state *st, enrich_engine *engine)
{
    engine_ref *ref = calloc(1, sizeof *ref);
    if (!ref) {
        enrich_engine_free(engine);
        return -1;
    }
    ref->engine = engine;
    ref->refs = 1; /* for being current */
    pthread_mutex_lock(&st->lock);
    engine_ref *old = st->current;
    st->current = ref;
    pthread_mutex_unlock(&st->lock);
    if (old)
        server_engine_release(st, old);
    return 0;
}

/* ---- responses ------------------------------------------------------- */

/* Queues buf (malloc'd; freed here) with its type, and an Allow header when
 * allow is set; a 503 says when to retry. */
static enum MHD_Result send_buffer_allow(struct MHD_Connection *conn, unsigned status, const char *type,
                                         char *buf, size_t len, const char *allow)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, buf, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(buf);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (allow)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow);
    if (status == MHD_HTTP_SERVICE_UNAVAILABLE)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, "1");
    enum MHD_Result r = MHD_queue_response(conn, status, resp);
    MHD_destroy_response(resp);
    return r;
}

static enum MHD_Result send_buffer(struct MHD_Connection *conn, unsigned status, const char *type, char *buf,
                                   size_t len)
{
    return send_buffer_allow(conn, status, type, buf, len, NULL);
}

static enum MHD_Result send_json(struct MHD_Connection *conn, unsigned status, const char *type,
                                 json_t *v, int pretty)
{
    char *s = v ? json_dumps(v, enrich_json_flags(pretty)) : NULL;
    json_decref(v);
    if (!s)
        return MHD_NO;
    size_t n = strlen(s);
    char *buf = realloc(s, n + 2);
    if (!buf) {
        free(s);
        return MHD_NO;
    }
    buf[n] = '\n';
    buf[n + 1] = '\0';
    return send_buffer(conn, status, type, buf, n + 1);
}

/* An RFC 9457 problem. slug names the type; position is a byte offset or -1. */
static enum MHD_Result send_problem_at(struct MHD_Connection *conn, unsigned status,
                                       const char *slug, const char *title, const char *detail,
                                       long long position, const char *allow)
{
    char type[96];
    snprintf(type, sizeof type, PROBLEM_PREFIX "%s", slug);
    json_t *p = json_pack("{s:s, s:s, s:i, s:s}", "type", type, "title", title, "status",
                          (int)status, "detail", detail);
    if (p && position >= 0)
        json_object_set_new(p, "position", json_integer(position));
    char *s = p ? json_dumps(p, enrich_json_flags(0)) : NULL;
    json_decref(p);
    if (!s)
        return MHD_NO;
    return send_buffer_allow(conn, status, "application/problem+json", s, strlen(s), allow);
}

static enum MHD_Result send_problem(struct MHD_Connection *conn, unsigned status, const char *slug,
                                    const char *title, const char *detail)
{
    return send_problem_at(conn, status, slug, title, detail, -1, NULL);
}

static enum MHD_Result send_status(struct MHD_Connection *conn, unsigned status, const char *word)
{
    json_t *v = json_pack("{s:s}", "status", word);
    return send_json(conn, status, "application/json", v, 0);
}

static enum MHD_Result send_openapi(struct MHD_Connection *conn)
{
    size_t n = (size_t)(enrichd_openapi_yaml_end - enrichd_openapi_yaml);
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(n, (void *)enrichd_openapi_yaml, MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/yaml");
    enum MHD_Result r = MHD_queue_response(conn, MHD_HTTP_OK, resp);
    MHD_destroy_response(resp);
    return r;
}

static enum MHD_Result send_options(struct MHD_Connection *conn, const char *allow)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow);
    enum MHD_Result r = MHD_queue_response(conn, MHD_HTTP_NO_CONTENT, resp);
    MHD_destroy_response(resp);
    return r;
}

/* ---- the enrich route ------------------------------------------------ */

/* Content-Type -> body kind; 0 when unsupported. A charset, when given,
 * must be UTF-8. */
static body_kind body_kind_of(const char *ct)
{
    if (!ct)
        return 0;
    size_t n = strcspn(ct, ";");
    while (n > 0 && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
        n--;
    body_kind kind = 0;
    if (n == 10 && strncasecmp(ct, "text/plain", 10) == 0)
        kind = BODY_TEXT;
    else if (n == 16 && strncasecmp(ct, "application/json", 16) == 0)
        kind = BODY_JSON;
    if (!kind)
        return 0;
    const char *cs = NULL;
    for (const char *q = ct + n; *q && !cs; q++)
        if (strncasecmp(q, "charset=", 8) == 0)
            cs = q;
    if (cs) {
        cs += 8;
        if (*cs == '"')
            cs++;
        if (strncasecmp(cs, "utf-8", 5) != 0 && strncasecmp(cs, "utf8", 4) != 0)
            return 0;
    }
    return kind;
}

/* Annotates text with opts and answers; extra is merged in first (the id). */
static enum MHD_Result answer_enrich(struct MHD_Connection *conn, const request *rq,
                                     const char *text, size_t len, const enrich_options *opts,
                                     json_t *id, int pretty, unsigned arg_status)
{
    enrich_error err;
    enrich_doc *doc = enrich_annotate(rq->engine->engine, text, len, opts, &err);
    if (!doc) {
        switch (err.code) {
        case ENRICH_ERR_UTF8:
            return send_problem_at(conn, MHD_HTTP_BAD_REQUEST, "invalid-utf8",
                                   "Text is not valid UTF-8", err.message, (long long)err.position, NULL);
        case ENRICH_ERR_NUL:
            return send_problem_at(conn, MHD_HTTP_BAD_REQUEST, "nul-byte", "Text contains a NUL byte",
                                   err.message, (long long)err.position, NULL);
        case ENRICH_ERR_DATE:
        case ENRICH_ERR_ARG:
            return send_problem(conn, arg_status, "invalid-parameter", "Invalid parameter", err.message);
        case ENRICH_ERR_TOO_LARGE:
            return send_problem(conn, MHD_HTTP_CONTENT_TOO_LARGE, "body-too-large", "Body too large",
                                err.message);
        default:
            return send_problem(conn, MHD_HTTP_SERVICE_UNAVAILABLE, "overloaded",
                                "Service overloaded", err.message);
        }
    }
    size_t n = 0;
    char *out = enrich_doc_dumps(doc, id, pretty, &n); /* "id" first */
    enrich_doc_free(doc);
    char *body = out ? realloc(out, n + 2) : NULL;
    if (!body) {
        free(out);
        return send_problem(conn, MHD_HTTP_SERVICE_UNAVAILABLE, "overloaded", "Service overloaded",
                            "out of memory while building the response");
    }
    body[n] = '\n';
    body[n + 1] = '\0';
    return send_buffer(conn, MHD_HTTP_OK, "application/json", body, n + 1);
}

/* Reads offsets/include/pretty/reference_date from the query string. */
static enum MHD_Result query_options(struct MHD_Connection *conn, enrich_options *opts, int *pretty,
                                     int *bad)
{
    char detail[300];
    enrich_error err;
    *bad = 1;
    const char *ref = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "reference_date");
    if (ref && *ref) {
        if (enrich_check_date(ref, &err) != ENRICH_OK)
            return send_problem(conn, MHD_HTTP_BAD_REQUEST, "invalid-parameter",
                                "Invalid query parameter", err.message);
        opts->reference_date = ref;
    }
    const char *off = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "offsets");
    if (off && enrich_parse_offsets(off, &opts->offsets) != ENRICH_OK) {
        snprintf(detail, sizeof detail, "offsets '%.40s' is not one of utf8, utf16, codepoint", off);
        return send_problem(conn, MHD_HTTP_BAD_REQUEST, "invalid-parameter", "Invalid query parameter",
                            detail);
    }
    const char *inc = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "include");
    if (inc && enrich_parse_include(inc, &opts->include, &err) != ENRICH_OK)
        return send_problem(conn, MHD_HTTP_BAD_REQUEST, "invalid-parameter", "Invalid query parameter",
                            err.message);
    const char *pr = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "pretty");
    *pretty = pr && (strcmp(pr, "1") == 0 || strcmp(pr, "true") == 0 || *pr == '\0');
    *bad = 0;
    return MHD_YES;
}

static enum MHD_Result unprocessable(struct MHD_Connection *conn, const char *detail)
{
    return send_problem(conn, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid-request",
                        "Request has the wrong shape", detail);
}

/* A JSON body: {"text", "reference_date", "id", "offsets", "include",
 * "options": {"reference_date", "offsets", "include"}}. Fields win over the
 * query string. */
static enum MHD_Result handle_json(struct MHD_Connection *conn, const request *rq, enrich_options *opts,
                                   int pretty)
{
    json_error_t jerr;
    json_t *in = json_loadb(rq->body, rq->len, JSON_REJECT_DUPLICATES, &jerr);
    char detail[400];
    if (!in) {
        snprintf(detail, sizeof detail, "body is not valid JSON: %s at line %d, column %d", jerr.text,
                 jerr.line, jerr.column);
        return send_problem_at(conn, MHD_HTTP_BAD_REQUEST, "invalid-json", "Body is not valid JSON",
                               detail, jerr.position, NULL);
    }
    enum MHD_Result r;
    json_t *text = json_object_get(in, "text");
    json_t *id = json_object_get(in, "id");
    json_t *options = json_object_get(in, "options");
    if (!json_is_object(in)) {
        r = unprocessable(conn, "body must be a JSON object with a \"text\" string");
        goto done;
    }
    if (!json_is_string(text)) {
        r = unprocessable(conn, "\"text\" is required and must be a string");
        goto done;
    }
    if (id && !json_is_string(id) && !json_is_integer(id) && !json_is_null(id)) {
        r = unprocessable(conn, "\"id\" must be a string, an integer or null");
        goto done;
    }
    if (options && !json_is_object(options) && !json_is_null(options)) {
        r = unprocessable(conn, "\"options\" must be an object");
        goto done;
    }
    /* Each option may stand at the top or inside "options"; the top wins. */
    static const char *const keys[] = {"reference_date", "offsets", "include"};
    for (int k = 0; k < 3; k++) {
        json_t *v = json_object_get(in, keys[k]);
        if (!v && json_is_object(options))
            v = json_object_get(options, keys[k]);
        if (!v || json_is_null(v))
            continue;
        if (!json_is_string(v)) {
            snprintf(detail, sizeof detail, "\"%s\" must be a string", keys[k]);
            r = unprocessable(conn, detail);
            goto done;
        }
        const char *s = json_string_value(v);
        enrich_error err;
        int rc = ENRICH_OK;
        if (k == 0) {
            rc = enrich_check_date(s, &err);
            opts->reference_date = s;
        } else if (k == 1) {
            rc = enrich_parse_offsets(s, &opts->offsets);
            snprintf(err.message, sizeof err.message,
                     "offsets '%.40s' is not one of utf8, utf16, codepoint", s);
        } else {
            rc = enrich_parse_include(s, &opts->include, &err);
        }
        if (rc != ENRICH_OK) {
            r = unprocessable(conn, err.message);
            goto done;
        }
    }
    r = answer_enrich(conn, rq, json_string_value(text), json_string_length(text), opts, id, pretty,
                      MHD_HTTP_UNPROCESSABLE_CONTENT);
done:
    json_decref(in);
    return r;
}

static enum MHD_Result handle_enrich(struct MHD_Connection *conn, const server_state *st,
                                     const request *rq)
{
    if (rq->too_big) {
        char detail[160];
        snprintf(detail, sizeof detail, "the body is larger than the %zu bytes accepted",
                 st->config->max_body);
        return send_problem(conn, MHD_HTTP_CONTENT_TOO_LARGE, "body-too-large", "Body too large", detail);
    }
    if (rq->len == 0)
        return send_problem(conn, MHD_HTTP_BAD_REQUEST, "empty-body", "Empty body",
                            "the body is empty: send the article as text/plain or as JSON {\"text\": ...}");
    enrich_options opts;
    enrich_options_init(&opts);
    int pretty = 0, bad = 0;
    enum MHD_Result r = query_options(conn, &opts, &pretty, &bad);
    if (bad)
        return r;
    if (rq->kind == BODY_JSON)
        return handle_json(conn, rq, &opts, pretty);
    return answer_enrich(conn, rq, rq->body, rq->len, &opts, NULL, pretty, MHD_HTTP_BAD_REQUEST);
}

/* ---- the first call: route, method, headers -------------------------- */

static enum MHD_Result first_call(struct MHD_Connection *conn, server_state *st, const char *url,
                                  const char *method, void **req_cls)
{
    size_t i = 0, n = sizeof routes / sizeof routes[0];
    while (i < n && strcmp(routes[i].path, url) != 0)
        i++;
    if (i == n) {
        char detail[160];
        snprintf(detail, sizeof detail, "no route %.100s; see /openapi.yaml", url);
        return send_problem(conn, MHD_HTTP_NOT_FOUND, "not-found", "Not found", detail);
    }
    route rt = routes[i].route;
    const char *allow = routes[i].allow;
    if (strcmp(method, MHD_HTTP_METHOD_OPTIONS) == 0)
        return send_options(conn, allow);
    int is_get = strcmp(method, MHD_HTTP_METHOD_GET) == 0 || strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
    int is_post = strcmp(method, MHD_HTTP_METHOD_POST) == 0;
    if ((rt == ROUTE_ENRICH && !is_post) || (rt != ROUTE_ENRICH && !is_get)) {
        char detail[160];
        snprintf(detail, sizeof detail, "%.20s is not allowed on %s; allowed: %s", method, url, allow);
        return send_problem_at(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "method-not-allowed",
                               "Method not allowed", detail, -1, allow);
    }
    switch (rt) {
    case ROUTE_HEALTHZ:
        return send_status(conn, MHD_HTTP_OK, "ok");
    case ROUTE_READYZ:
        if (atomic_load(&st->draining))
            return send_status(conn, MHD_HTTP_SERVICE_UNAVAILABLE, "draining");
        return send_status(conn, MHD_HTTP_OK, "ready");
    case ROUTE_OPENAPI:
        return send_openapi(conn);
    default:
        break;
    }

    /* POST /v1/enrich: decide what can be decided before the body. */
    if (atomic_load(&st->draining))
        return send_problem(conn, MHD_HTTP_SERVICE_UNAVAILABLE, "draining", "Server is draining",
                            "the server is shutting down; retry on another instance");
    const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    body_kind kind = body_kind_of(ct);
    if (!kind) {
        char detail[200];
        snprintf(detail, sizeof detail,
                 "Content-Type '%.80s' is not supported: send text/plain; charset=utf-8 or application/json",
                 ct ? ct : "(none)");
        return send_problem(conn, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                            "Unsupported media type", detail);
    }
    const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl) {
        char *end = NULL;
        unsigned long long v = strtoull(cl, &end, 10);
        if (end && *end == '\0' && v > st->config->max_body) {
            char detail[200];
            snprintf(detail, sizeof detail, "Content-Length %llu is larger than the %zu bytes accepted", v,
                     st->config->max_body);
            return send_problem(conn, MHD_HTTP_CONTENT_TOO_LARGE, "body-too-large", "Body too large",
                                detail);
        }
    }
    request *rq = calloc(1, sizeof *rq);
    if (!rq)
        return MHD_NO;
    rq->route = rt;
    rq->kind = kind;
    rq->engine = server_engine_acquire(st);
    *req_cls = rq;
    atomic_fetch_add(&st->in_flight, 1);
    return MHD_YES;
}

/* Appends a body chunk, up to the limit; past it, reads and drops. */
static int take_chunk(request *rq, const server_config *cfg, const char *data, size_t n)
{
    if (rq->too_big || n > cfg->max_body - rq->len) {
        rq->too_big = 1;
        rq->discarded += n;
        return rq->discarded <= cfg->max_body * DISCARD_FACTOR ? 0 : -1;
    }
    if (rq->len + n > rq->cap) {
        size_t cap = rq->cap ? rq->cap : BODY_INITIAL;
        while (cap < rq->len + n)
            cap *= 2;
        if (cap > cfg->max_body)
            cap = cfg->max_body;
        char *b = realloc(rq->body, cap);
        if (!b)
            return -1;
        rq->body = b;
        rq->cap = cap;
    }
    memcpy(rq->body + rq->len, data, n);
    rq->len += n;
    return 0;
}

enum MHD_Result server_handle(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **req_cls)
{
    (void)version;
    server_state *st = cls;
    request *rq = *req_cls;
    if (!rq)
        return first_call(conn, st, url, method, req_cls);
    if (*upload_data_size > 0) {
        int rc = take_chunk(rq, st->config, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return rc == 0 ? MHD_YES : MHD_NO;
    }
    return handle_enrich(conn, st, rq);
}

void server_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)conn;
    (void)toe;
    server_state *st = cls;
    request *rq = *req_cls;
    if (!rq)
        return;
    server_engine_release(st, rq->engine);
    free(rq->body);
    free(rq);
    *req_cls = NULL;
    atomic_fetch_sub(&st->in_flight, 1);
}
