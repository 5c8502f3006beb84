/*
 * handler.c - the request's first call: framing (RFC 9112), route, method,
 * headers, what can be refused before the body; and libmicrohttpd's
 * access handler.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "handler.h"

extern const char enrichd_openapi_yaml[];
extern const char enrichd_openapi_yaml_end[];
extern const char enrichd_page_html[];
extern const char enrichd_page_html_end[];



static const struct {
    const char *path;
    route route;
    const char *allow;
} routes[] = {
    {"/healthz", ROUTE_HEALTHZ, "GET, HEAD, OPTIONS"},
    {"/readyz", ROUTE_READYZ, "GET, HEAD, OPTIONS"},
    {"/metrics", ROUTE_METRICS, "GET, HEAD, OPTIONS"},
    {"/openapi.yaml", ROUTE_OPENAPI, "GET, HEAD, OPTIONS"},
    {"/v1/enrich", ROUTE_ENRICH, "POST, OPTIONS"},
    {"/v1/enrich/batch", ROUTE_BATCH, "POST, OPTIONS"},
    {"/", ROUTE_PAGE, "GET, HEAD, OPTIONS"},
};

/* What the header fields say of the message's framing (RFC 9112 section 6). */
typedef struct framing {
    unsigned lengths;  /* Content-Length fields */
    unsigned chunked;  /* "chunked" codings named */
    unsigned others;   /* any other transfer coding */
    unsigned codings;  /* Transfer-Encoding fields */
    int folded;        /* a field continued on the next line (obs-fold) */
} framing;

/* libmicrohttpd 0.9.75 keeps each field in its read buffer as "name\0",
 * blanks, "value", and joins an obs-fold continuation onto the name: a
 * name that does not end where its value's blanks begin was folded. (Later
 * versions join it onto the value and refuse it themselves at their
 * stricter settings; the integration test shows which holds.) */
static int folded_field(const char *key, size_t key_size, const char *value, size_t value_size)
{
    if (!value || key[key_size] != '\0' || value < key + key_size || value - (key + key_size) > 256)
        return 1;
    (void)value_size;
    for (const char *p = key + key_size + 1; p < value; p++)
        if (*p != ' ' && *p != '\t')
            return 1;
    return 0;
}

static enum MHD_Result scan_framing(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
                                    const char *value, size_t value_size)
{
    (void)kind;
    framing *f = cls;
    f->folded |= folded_field(key, key_size, value, value_size);
    if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0)
        f->lengths++;
    else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0 && value) {
        f->codings++;
        /* a comma-separated list of codings, each perhaps with parameters */
        const char *p = value;
        while (*p) {
            while (*p == ' ' || *p == '\t' || *p == ',')
                p++;
            const char *e = p;
            while (*e && *e != ',' && *e != ';' && *e != ' ' && *e != '\t')
                e++;
            if (e > p) {
                if ((size_t)(e - p) == 7 && strncasecmp(p, "chunked", 7) == 0)
                    f->chunked++;
                else
                    f->others++;
            }
            while (*e && *e != ',')
                e++;
            p = e;
        }
    }
    return MHD_YES;
}

/* Refuses a message whose framing is ambiguous or unknown, and closes the
 * connection: the bytes after its head cannot be trusted to start the next
 * request. MHD_YES with nothing queued when the framing is sound. */
static enum MHD_Result check_framing(struct MHD_Connection *conn, request *rq, int *refused)
{
    framing f = {0, 0, 0, 0, 0};
    MHD_get_connection_values_n(conn, MHD_HEADER_KIND, scan_framing, &f);
    const char *slug = NULL, *detail = NULL;
    unsigned status = MHD_HTTP_BAD_REQUEST;
    if (rq->target_len > MAX_TARGET) {
        status = MHD_HTTP_URI_TOO_LONG;
        slug = "target-too-long";
        detail = "the request target is longer than 8192 bytes";
    } else if (f.folded) {
        slug = "invalid-framing";
        detail = "a header field is continued on the next line (obs-fold); send each field on one line";
    } else if (f.lengths > 1) {
        slug = "invalid-framing";
        detail = "Content-Length is sent more than once; send it once";
    } else if (f.lengths && f.codings) {
        slug = "invalid-framing";
        detail = "Content-Length and Transfer-Encoding are both sent; send one of them";
    } else if (f.others) {
        status = MHD_HTTP_NOT_IMPLEMENTED;
        slug = "unsupported-transfer-coding";
        detail = "Transfer-Encoding names a coding other than chunked; only chunked is supported";
    } else if (f.codings && f.chunked != 1) {
        slug = "invalid-framing";
        detail = "Transfer-Encoding names chunked more than once";
    }
    if (!slug)
        return MHD_YES;
    *refused = 1;
    rq->close = 1;
    return send_problem(conn, status, slug, status == MHD_HTTP_URI_TOO_LONG ? "Request target too long"
                                            : status == MHD_HTTP_NOT_IMPLEMENTED ? "Transfer coding not implemented"
                                                                                   : "Invalid message framing",
                        detail);
}

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    (void)key;
    (void)value;
    (*(unsigned *)cls)++;
    return MHD_YES;
}

static enum MHD_Result post_first_call(struct MHD_Connection *conn, server_state *st, request *rq, route rt);

static enum MHD_Result first_call(struct MHD_Connection *conn, server_state *st, request *rq, const char *url,
                                  const char *method)
{
    const server_config *cfg = st->config;
    size_t i = 0, n = sizeof routes / sizeof routes[0];
    while (i < n && strcmp(routes[i].path, url) != 0)
        i++;
    unsigned headers = 0;
    MHD_get_connection_values(conn, MHD_HEADER_KIND, count_header, &headers);
    if (headers > MAX_HEADERS) {
        char detail[120];
        snprintf(detail, sizeof detail, "%u header fields; at most %d are accepted", headers, MAX_HEADERS);
        return send_problem(conn, MHD_HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE, "headers-too-large",
                            "Too many header fields", detail);
    }
    if (i == n) {
        char detail[160];
        snprintf(detail, sizeof detail, "no route %.100s; see /openapi.yaml", url);
        return send_problem(conn, MHD_HTTP_NOT_FOUND, "not-found", "Not found", detail);
    }
    route rt = routes[i].route;
    rq->route = rt;
    const char *allow = routes[i].allow;
    if (strcmp(method, MHD_HTTP_METHOD_OPTIONS) == 0)
        return send_options(conn, allow);
    int is_get = strcmp(method, MHD_HTTP_METHOD_GET) == 0 || strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
    int is_post = strcmp(method, MHD_HTTP_METHOD_POST) == 0;
    int posts = rt == ROUTE_ENRICH || rt == ROUTE_BATCH;
    if ((posts && !is_post) || (!posts && !is_get)) {
        char detail[160];
        snprintf(detail, sizeof detail, "%.20s is not allowed on %s; allowed: %s", method, url, allow);
        return send_problem_at(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "method-not-allowed",
                               "Method not allowed", detail, -1, allow);
    }
    /* the probes and the page (static; its calls carry the token) stay
     * open; the rest needs the token */
    if (cfg->api_token && rt != ROUTE_HEALTHZ && rt != ROUTE_READYZ && rt != ROUTE_PAGE &&
        !token_ok(MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION),
                  cfg->api_token))
        return send_problem(conn, MHD_HTTP_UNAUTHORIZED, "unauthorized", "Unauthorized",
                            "send the API token as Authorization: Bearer <token>");
    switch (rt) {
    case ROUTE_HEALTHZ:
        return send_status(conn, MHD_HTTP_OK, "ok");
    case ROUTE_READYZ:
        if (atomic_load(&st->draining))
            return send_status(conn, MHD_HTTP_SERVICE_UNAVAILABLE, "draining");
        return send_status(conn, MHD_HTTP_OK, "ready");
    case ROUTE_METRICS:
        return send_metrics(conn, st);
    case ROUTE_OPENAPI:
        return send_static(conn, "application/yaml", enrichd_openapi_yaml,
                           (size_t)(enrichd_openapi_yaml_end - enrichd_openapi_yaml));
    case ROUTE_PAGE:
        return send_static(conn, "text/html; charset=utf-8", enrichd_page_html,
                           (size_t)(enrichd_page_html_end - enrichd_page_html));
    default:
        return post_first_call(conn, st, rq, rt);
    }
}

/* A POST to an enrichment route: decide what can be decided before the
 * body (draining, Content-Type, Content-Length, the cap on work in
 * flight), and take the engine it will run on. */
static enum MHD_Result post_first_call(struct MHD_Connection *conn, server_state *st, request *rq, route rt)
{
    const server_config *cfg = st->config;
    /* draining, a request is still served, unless the grace ends too soon
     * for it */
    if (atomic_load(&st->closing) &&
        now_seconds() * 1000.0 > (double)atomic_load(&st->deadline_ms) - DRAIN_MARGIN_MS)
        return send_problem(conn, MHD_HTTP_SERVICE_UNAVAILABLE, "draining", "Server is draining",
                            "the server is shutting down; retry on another instance");
    const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    body_kind kind = body_kind_of(ct, rt);
    if (!kind) {
        char detail[240];
        snprintf(detail, sizeof detail, "Content-Type '%.80s' is not supported: send %s", ct ? ct : "(none)",
                 rt == ROUTE_BATCH ? "application/x-ndjson (JSON Lines)"
                                   : "text/plain; charset=utf-8 or application/json");
        return send_problem(conn, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                            "Unsupported media type", detail);
    }
    size_t limit = body_limit(cfg, rt);
    const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    int too_big = 0;
    if (cl) {
        char *end = NULL;
        unsigned long long v = strtoull(cl, &end, 10);
        if (end && *end == '\0' && v > limit) {
            /* Refused at once (and the connection closed) when the client
             * waits for "100 Continue" or the body is far over; else read
             * and dropped first, so that a proxy, which sends a body whole,
             * still gets the 413 (an early answer reads as a reset to it). */
            const char *expect = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_EXPECT);
            if (v > (unsigned long long)limit * DISCARD_FACTOR || (expect && strcasecmp(expect, "100-continue") == 0)) {
                char detail[200];
                snprintf(detail, sizeof detail, "Content-Length %llu is larger than the %zu bytes accepted", v, limit);
                return send_problem(conn, MHD_HTTP_CONTENT_TOO_LARGE, "body-too-large", "Body too large", detail);
            }
            too_big = 1;
        }
    }
    /* a cap on work in flight: beyond it, come back later */
    if (atomic_fetch_add(&st->in_flight, 1) >= (long)cfg->max_in_flight) {
        atomic_fetch_sub(&st->in_flight, 1);
        atomic_fetch_add(&st->metrics.overloaded, 1);
        char detail[160];
        snprintf(detail, sizeof detail, "%u requests are in progress, the most this instance takes; retry shortly",
                 cfg->max_in_flight);
        return send_problem(conn, MHD_HTTP_SERVICE_UNAVAILABLE, "overloaded", "Service overloaded", detail);
    }
    rq->counted = 1;
    rq->too_big = too_big;
    rq->kind = kind;
    rq->engine = server_engine_acquire(st);
    return MHD_YES;
}

static enum MHD_Result handle(server_state *st, struct MHD_Connection *conn, const char *url, const char *method,
                              const char *upload_data, size_t *upload_data_size, void **req_cls)
{
    request *rq = current = *req_cls;
    if (!rq || !rq->started) {
        if (!rq)
            rq = current = calloc(1, sizeof *rq);
        if (!rq)
            return MHD_NO;
        *req_cls = rq;
        rq->started = 1;
        rq->t0 = now_seconds();
        snprintf(rq->method, sizeof rq->method, "%s", method);
        snprintf(rq->path, sizeof rq->path, "%s", url);
        request_id(conn, rq->request_id);
        client_address(conn, st->config, rq->client, sizeof rq->client);
        rq->close = atomic_load(&st->closing);
        int refused = 0;
        enum MHD_Result fr = check_framing(conn, rq, &refused);
        if (refused)
            return fr;
        /* Only a POST is answered before its body (to refuse it early).
         * The rest wait for the end of the request: libmicrohttpd closes a
         * connection whose answer came before the request was read, and
         * keep-alive matters for probes and metrics scrapes. */
        if (strcmp(method, MHD_HTTP_METHOD_POST) != 0) {
            rq->deferred = 1;
            return MHD_YES;
        }
        return first_call(conn, st, rq, url, method);
    }
    if (rq->deferred) {
        if (*upload_data_size > 0) { /* a body where none belongs: read and dropped */
            rq->received += *upload_data_size;
            *upload_data_size = 0;
            return MHD_YES;
        }
        rq->deferred = 0;
        return first_call(conn, st, rq, url, method);
    }
    if (rq->status)
        return MHD_YES; /* answered already */
    if (!rq->engine)
        return MHD_NO;
    if (*upload_data_size > 0) {
        size_t limit = body_limit(st->config, rq->route);
        rq->received += *upload_data_size;
        int rc = take_chunk(rq, limit, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return rc == 0 ? MHD_YES : MHD_NO;
    }
    return handle_body(conn, st, rq);
}

enum MHD_Result server_handle(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **req_cls)
{
    (void)version;
    /* the senders record into the request the thread is answering */
    enum MHD_Result r = handle(cls, conn, url, method, upload_data, upload_data_size, req_cls);
    current = NULL;
    return r;
}

void server_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)conn;
    server_state *st = cls;
    request *rq = *req_cls;
    if (!rq)
        return;
    connection_idle(st, rq->conn_state);
    if (!rq->started) { /* refused by libmicrohttpd before the handler saw it */
        free(rq);
        *req_cls = NULL;
        return;
    }
    double seconds = now_seconds() - rq->t0;
    size_t bytes_out = rq->bytes_out;
    if (rq->batch) {
        bytes_out += batch_bytes_out(rq->batch);
        batch_release(rq->batch);
    }
    size_t bytes_in = rq->received;
    if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK && rq->status == 0)
        rq->status = 499; /* the client went away first */
    metrics_observe(&st->metrics, rq->route, rq->status, seconds, bytes_in, bytes_out);
    if (st->config->access_log)
        access_log(rq, seconds, bytes_in, bytes_out);
    if (rq->engine)
        server_engine_release(st, rq->engine);
    if (rq->counted)
        atomic_fetch_sub(&st->in_flight, 1);
    free(rq->body);
    free(rq);
    *req_cls = NULL;
}
