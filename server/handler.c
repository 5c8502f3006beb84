/*
 * handler.c - routes, request bodies, errors as application/problem+json,
 * auth, overload control, request ids, the access log and the metrics of
 * each request. All enrichment is one call into libenrich.
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

#include "server.h"

extern const char enrichd_openapi_yaml[];
extern const char enrichd_openapi_yaml_end[];
extern const char enrichd_page_html[];
extern const char enrichd_page_html_end[];

#define PROBLEM_PREFIX "urn:enrich:problem:"
#define BODY_INITIAL (64 * 1024)
/* A chunked body past the limit is read and dropped up to this many times
 * the limit, so the 413 can be sent; beyond it the connection is closed. */
#define DISCARD_FACTOR 4
#define MAX_HEADERS 100
#define REQUEST_ID_MAX 128
#define MAX_TARGET 8192 /* request target bytes; beyond, 414 */
#define DRAIN_MARGIN_MS 2000 /* draining, a POST this close to the grace's end gets 503 */

typedef enum body_kind { BODY_TEXT = 1, BODY_JSON, BODY_JSONL } body_kind;

typedef struct batch batch;

typedef struct request {
    route route;
    double t0;
    char method[16];
    char path[200];
    char request_id[REQUEST_ID_MAX + 1];
    char client[INET6_ADDRSTRLEN];
    unsigned status;
    size_t bytes_out;
    int counted;        /* holds a place in in_flight */
    int deferred;       /* not a POST: answered once the request is read */
    engine_ref *engine; /* enrichment routes only */
    body_kind kind;
    char *body;
    size_t len, cap;
    size_t received;    /* body bytes read, kept or not */
    size_t discarded;
    int too_big;
    int close;          /* the answer closes the connection (framing errors, draining) */
    int started;        /* the handler has seen this request */
    struct conn_state *conn_state; /* its connection's, for the drain's count */
    size_t target_len;  /* the request target as sent, query included */
    batch *batch;       /* the streamed answer of a batch, shared with MHD */
} request;

/* The request the polling thread is answering: the senders below record
 * its status and size and echo its id. */
static _Thread_local request *current;

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

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- responses ------------------------------------------------------- */

/* Headers every answer carries; records the status for the log. */
static enum MHD_Result queue(struct MHD_Connection *conn, unsigned status, struct MHD_Response *resp,
                             size_t body_len)
{
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (current) {
        if (current->request_id[0])
            MHD_add_response_header(resp, "X-Request-Id", current->request_id);
        current->status = status;
        current->bytes_out += body_len;
    }
    if (status == MHD_HTTP_SERVICE_UNAVAILABLE)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, "1");
    /* a refused frame leaves the stream unreadable; a 503 or a draining
     * server sends the client elsewhere */
    if (status == MHD_HTTP_SERVICE_UNAVAILABLE || (current && current->close))
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    enum MHD_Result r = MHD_queue_response(conn, status, resp);
    MHD_destroy_response(resp);
    return r;
}

/* Queues buf (malloc'd; freed here) with its type, and an Allow header when
 * allow is set. */
static enum MHD_Result send_buffer_allow(struct MHD_Connection *conn, unsigned status, const char *type,
                                         char *buf, size_t len, const char *allow)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, buf, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(buf);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    if (allow)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow);
    if (status == MHD_HTTP_UNAUTHORIZED)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"enrich\"");
    return queue(conn, status, resp, len);
}

static enum MHD_Result send_buffer(struct MHD_Connection *conn, unsigned status, const char *type, char *buf,
                                   size_t len)
{
    return send_buffer_allow(conn, status, type, buf, len, NULL);
}

static enum MHD_Result send_static(struct MHD_Connection *conn, const char *type, const char *data, size_t n)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(n, (void *)data, MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    if (strncmp(type, "text/html", 9) == 0) /* the page: its own inline code, calls to this server only */
        MHD_add_response_header(resp, "Content-Security-Policy",
                                "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                                "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    return queue(conn, MHD_HTTP_OK, resp, n);
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
    if (p && current && current->request_id[0])
        json_object_set_new(p, "request_id", json_string(current->request_id));
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

static enum MHD_Result send_options(struct MHD_Connection *conn, const char *allow)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow);
    return queue(conn, MHD_HTTP_NO_CONTENT, resp, 0);
}

static enum MHD_Result send_metrics(struct MHD_Connection *conn, server_state *st)
{
    size_t n = 0;
    char *s = metrics_render(st, &n);
    if (!s)
        return MHD_NO;
    return send_buffer(conn, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8", s, n);
}

/* ---- who is asking ----------------------------------------------------- */

static int parse_range(const char *s, net_range *r)
{
    char buf[64];
    size_t n = strlen(s);
    if (n == 0 || n >= sizeof buf)
        return -1;
    memcpy(buf, s, n + 1);
    char *slash = strchr(buf, '/');
    long bits = -1;
    if (slash) {
        *slash = '\0';
        char *end;
        bits = strtol(slash + 1, &end, 10);
        if (*end || end == slash + 1)
            return -1;
    }
    memset(r, 0, sizeof *r);
    if (inet_pton(AF_INET, buf, r->addr) == 1) {
        r->family = AF_INET;
        if (bits < 0)
            bits = 32;
        if (bits > 32)
            return -1;
    } else if (inet_pton(AF_INET6, buf, r->addr) == 1) {
        r->family = AF_INET6;
        if (bits < 0)
            bits = 128;
        if (bits > 128)
            return -1;
    } else {
        return -1;
    }
    r->bits = (unsigned)bits;
    return 0;
}

int server_parse_proxies(server_config *cfg, const char *list, char *err, size_t errlen)
{
    cfg->n_trusted = 0;
    const char *p = list;
    while (p && *p) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        char item[64];
        while (n > 0 && (*p == ' '))
            p++, n--;
        while (n > 0 && p[n - 1] == ' ')
            n--;
        if (n > 0) {
            if (n >= sizeof item || cfg->n_trusted == MAX_TRUSTED_PROXIES) {
                snprintf(err, errlen, "too many or too long entries in the proxy list");
                return -1;
            }
            memcpy(item, p, n);
            item[n] = '\0';
            if (parse_range(item, &cfg->trusted[cfg->n_trusted]) != 0) {
                snprintf(err, errlen, "'%s' is not an address or a CIDR range", item);
                return -1;
            }
            cfg->n_trusted++;
        }
        p = comma ? comma + 1 : NULL;
    }
    return 0;
}

/* Is the address text a trusted proxy? */
static int trusted(const server_config *cfg, const char *addr)
{
    unsigned char a[16];
    int family = inet_pton(AF_INET, addr, a) == 1 ? AF_INET : inet_pton(AF_INET6, addr, a) == 1 ? AF_INET6 : 0;
    for (unsigned i = 0; family && i < cfg->n_trusted; i++) {
        const net_range *r = &cfg->trusted[i];
        if (r->family != family)
            continue;
        unsigned full = r->bits / 8, rest = r->bits % 8;
        if (memcmp(a, r->addr, full) != 0)
            continue;
        if (rest && ((a[full] ^ r->addr[full]) & (0xFF << (8 - rest))))
            continue;
        return 1;
    }
    return 0;
}

/* The client: the peer, or, when the peer is a trusted proxy, the last
 * address in X-Forwarded-For that is not one. */
static void client_address(struct MHD_Connection *conn, const server_config *cfg, char *out, size_t cap)
{
    snprintf(out, cap, "-");
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)cap);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)cap);
    if (cfg->n_trusted == 0 || !trusted(cfg, out))
        return;
    const char *xff = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For");
    if (!xff)
        return;
    /* right to left: the nearest hop first */
    size_t end = strlen(xff);
    while (end > 0) {
        size_t start = end;
        while (start > 0 && xff[start - 1] != ',')
            start--;
        size_t a = start, b = end;
        while (a < b && xff[a] == ' ')
            a++;
        while (b > a && xff[b - 1] == ' ')
            b--;
        char hop[INET6_ADDRSTRLEN];
        unsigned char bin[16];
        if (b - a > 0 && b - a < sizeof hop) {
            memcpy(hop, xff + a, b - a);
            hop[b - a] = '\0';
            if (inet_pton(AF_INET, hop, bin) != 1 && inet_pton(AF_INET6, hop, bin) != 1)
                return; /* not an address: trust nothing further */
            snprintf(out, cap, "%s", hop);
            if (!trusted(cfg, hop))
                return;
        }
        end = start > 0 ? start - 1 : 0;
    }
}

/* The request's id: the caller's X-Request-Id when it is sane, else a new one. */
static void request_id(struct MHD_Connection *conn, char *out)
{
    const char *in = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Request-Id");
    if (in) {
        size_t n = strlen(in);
        int ok = n > 0 && n <= REQUEST_ID_MAX;
        for (size_t i = 0; ok && i < n; i++)
            ok = (in[i] >= '0' && in[i] <= '9') || (in[i] >= 'a' && in[i] <= 'z') || (in[i] >= 'A' && in[i] <= 'Z') ||
                 strchr("-_.:/+=", in[i]) != NULL;
        if (ok) {
            memcpy(out, in, n + 1);
            return;
        }
    }
    /* the process's start and pid, then a counter: unique per process,
     * and across replicas in practice */
    static atomic_ulong counter, base;
    unsigned long b = atomic_load(&base);
    if (!b) {
        unsigned long mine = (((unsigned long)time(NULL) << 20) ^ ((unsigned long)getpid() << 8)) | 1;
        unsigned long expected = 0;
        b = atomic_compare_exchange_strong(&base, &expected, mine) ? mine : expected;
    }
    unsigned long n = atomic_fetch_add(&counter, 1) + 1;
    snprintf(out, REQUEST_ID_MAX + 1, "%08lx%08lx", b & 0xFFFFFFFFUL, n & 0xFFFFFFFFUL);
}

/* Constant-time comparison of the bearer token with the configured one. */
static int token_ok(const char *header, const char *token)
{
    if (!header || strncasecmp(header, "Bearer ", 7) != 0)
        return 0;
    const char *given = header + 7;
    size_t a = strlen(given), b = strlen(token);
    volatile unsigned char diff = (unsigned char)(a != b);
    for (size_t i = 0; i < b; i++)
        diff |= (unsigned char)(token[i] ^ given[a ? i % a : 0]);
    return diff == 0;
}

/* ---- bodies ------------------------------------------------------------- */

/* Content-Type -> body kind; 0 when unsupported. A charset, when given,
 * must be UTF-8. */
static body_kind body_kind_of(const char *ct, route rt)
{
    if (!ct)
        return 0;
    size_t n = strcspn(ct, ";");
    while (n > 0 && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
        n--;
    body_kind kind = 0;
    if (rt == ROUTE_ENRICH && n == 10 && strncasecmp(ct, "text/plain", 10) == 0)
        kind = BODY_TEXT;
    else if (rt == ROUTE_ENRICH && n == 16 && strncasecmp(ct, "application/json", 16) == 0)
        kind = BODY_JSON;
    else if (rt == ROUTE_BATCH && ((n == 20 && strncasecmp(ct, "application/x-ndjson", 20) == 0) ||
                                   (n == 17 && strncasecmp(ct, "application/jsonl", 17) == 0) ||
                                   (n == 22 && strncasecmp(ct, "application/json-lines", 22) == 0)))
        kind = BODY_JSONL;
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

static size_t body_limit(const server_config *cfg, route rt)
{
    return rt == ROUTE_BATCH ? cfg->max_batch_body : cfg->max_body;
}

/* Appends a body chunk, up to the limit; past it, reads and drops. */
static int take_chunk(request *rq, size_t limit, const char *data, size_t n)
{
    if (rq->too_big || n > limit - rq->len) {
        rq->too_big = 1;
        rq->discarded += n;
        return rq->discarded <= limit * DISCARD_FACTOR ? 0 : -1;
    }
    if (rq->len + n > rq->cap) {
        size_t cap = rq->cap ? rq->cap : BODY_INITIAL;
        while (cap < rq->len + n)
            cap *= 2;
        if (cap > limit)
            cap = limit;
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

/* ---- POST /v1/enrich ----------------------------------------------------- */

/* Annotates text with opts and answers, the id first when there is one. */
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
    if (pr && *pr && strcmp(pr, "1") != 0 && strcmp(pr, "true") != 0 && strcmp(pr, "0") != 0 &&
        strcmp(pr, "false") != 0) {
        snprintf(detail, sizeof detail, "pretty '%.40s' is not one of 1, true, 0, false (or empty)", pr);
        return send_problem(conn, MHD_HTTP_BAD_REQUEST, "invalid-parameter", "Invalid query parameter",
                            detail);
    }
    *pretty = pr && (strcmp(pr, "1") == 0 || strcmp(pr, "true") == 0 || *pr == '\0');
    *bad = 0;
    return MHD_YES;
}

static enum MHD_Result unprocessable(struct MHD_Connection *conn, const char *detail)
{
    return send_problem(conn, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid-request",
                        "Request has the wrong shape", detail);
}

/* A JSON body (enrich_request_parse): its fields win over the query
 * string's options in *opts. */
static enum MHD_Result handle_json(struct MHD_Connection *conn, const request *rq, enrich_options *opts,
                                   int pretty)
{
    enrich_request req;
    enrich_error err;
    switch (enrich_request_parse(rq->body, rq->len, opts, &req, &err)) {
    case ENRICH_OK:
        break;
    case ENRICH_ERR_JSON:
        return send_problem_at(conn, MHD_HTTP_BAD_REQUEST, "invalid-json", "Body is not valid JSON", err.message,
                               (long long)err.position, NULL);
    case ENRICH_ERR_NOMEM:
        return send_problem(conn, MHD_HTTP_SERVICE_UNAVAILABLE, "overloaded", "Service overloaded", err.message);
    default:
        return unprocessable(conn, err.message);
    }
    enum MHD_Result r = answer_enrich(conn, rq, req.text, req.text_len, &req.opts, req.id, pretty,
                                      MHD_HTTP_UNPROCESSABLE_CONTENT);
    enrich_request_free(&req);
    return r;
}

/* ---- POST /v1/enrich/batch: JSON Lines, answered line by line ------------ */

/* The streamed answer: owned by the request and by MHD's response, freed by
 * whichever lets go last. */
struct batch {
    atomic_int refs;
    server_state *st;
    engine_ref *engine;
    char *body;
    size_t len, pos, lineno;
    enrich_options opts;
    char reference_date[16];
    double deadline;
    char *line; /* the answer being sent, with its newline */
    size_t line_len, line_pos;
    atomic_size_t bytes_out;
};

static void batch_release(void *cls)
{
    batch *b = cls;
    if (atomic_fetch_sub(&b->refs, 1) != 1)
        return;
    server_engine_release(b->st, b->engine);
    free(b->body);
    free(b->line);
    free(b);
}

/* The answer to the next record, or 0 at the end. */
static int batch_next(batch *b)
{
    free(b->line);
    b->line = NULL;
    b->line_len = b->line_pos = 0;
    while (b->pos < b->len) {
        const char *s = b->body + b->pos;
        const char *nl = memchr(s, '\n', b->len - b->pos);
        size_t n = nl ? (size_t)(nl - s) : b->len - b->pos;
        b->pos += n + (nl ? 1 : 0);
        b->lineno++;
        while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--;
        if (n == 0)
            continue; /* blank lines carry no record */
        size_t len = 0;
        char *out;
        if (now_seconds() > b->deadline) {
            /* over the budget: every record left gets an error of its own */
            json_t *in = json_loadb(s, n, 0, NULL);
            json_t *id = json_is_object(in) ? json_object_get(in, "id") : NULL;
            char msg[200];
            snprintf(msg, sizeof msg, "line %zu: the request's time budget of %u s ran out; send it again",
                     b->lineno, b->st->config->request_budget);
            json_t *e = json_pack("{s:O, s:{s:s, s:s}}", "id", id && (json_is_string(id) || json_is_integer(id)) ? id : json_null(),
                                  "error", "code", "budget_exceeded", "message", msg);
            json_decref(in);
            out = e ? json_dumps(e, enrich_json_flags(0)) : NULL;
            json_decref(e);
            if (out)
                len = strlen(out);
        } else {
            out = enrich_jsonl_record(b->engine->engine, &b->opts, s, n, b->lineno, &len);
        }
        if (!out)
            return -1;
        char *grown = realloc(out, len + 1);
        if (!grown) {
            free(out);
            return -1;
        }
        grown[len] = '\n';
        b->line = grown;
        b->line_len = len + 1;
        atomic_fetch_add(&b->st->metrics.batch_records, 1);
        return 1;
    }
    return 0;
}

static ssize_t batch_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    batch *b = cls;
    if (b->line_pos == b->line_len) {
        int r = batch_next(b);
        if (r < 0)
            return MHD_CONTENT_READER_END_WITH_ERROR;
        if (r == 0)
            return MHD_CONTENT_READER_END_OF_STREAM;
    }
    size_t n = b->line_len - b->line_pos;
    if (n > max)
        n = max;
    memcpy(buf, b->line + b->line_pos, n);
    b->line_pos += n;
    atomic_fetch_add(&b->bytes_out, n);
    return (ssize_t)n;
}

static enum MHD_Result handle_batch(struct MHD_Connection *conn, server_state *st, request *rq)
{
    enrich_options opts;
    enrich_options_init(&opts);
    int pretty = 0, bad = 0;
    enum MHD_Result r = query_options(conn, &opts, &pretty, &bad);
    if (bad)
        return r;
    batch *b = calloc(1, sizeof *b);
    if (!b)
        return MHD_NO;
    atomic_init(&b->refs, 2); /* the request and the response */
    b->st = st;
    b->engine = server_engine_acquire(st);
    b->body = rq->body; /* taken over */
    b->len = rq->len;
    rq->body = NULL;
    rq->len = rq->cap = 0;
    b->opts = opts;
    if (opts.reference_date) {
        snprintf(b->reference_date, sizeof b->reference_date, "%s", opts.reference_date);
        b->opts.reference_date = b->reference_date;
    }
    b->deadline = rq->t0 + st->config->request_budget;
    rq->batch = b;
    struct MHD_Response *resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 32 * 1024, batch_read, b,
                                                                  batch_release);
    if (!resp) {
        batch_release(b);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/x-ndjson");
    return queue(conn, MHD_HTTP_OK, resp, 0);
}

static enum MHD_Result handle_body(struct MHD_Connection *conn, server_state *st, request *rq)
{
    size_t limit = body_limit(st->config, rq->route);
    if (rq->too_big) {
        char detail[160];
        snprintf(detail, sizeof detail, "the body is larger than the %zu bytes accepted", limit);
        return send_problem(conn, MHD_HTTP_CONTENT_TOO_LARGE, "body-too-large", "Body too large", detail);
    }
    if (rq->len == 0)
        return send_problem(conn, MHD_HTTP_BAD_REQUEST, "empty-body", "Empty body",
                            rq->route == ROUTE_BATCH
                                ? "the body is empty: send JSON Lines, one {\"id\", \"text\"} object a line"
                                : "the body is empty: send the article as text/plain or as JSON {\"text\": ...}");
    if (rq->route == ROUTE_BATCH)
        return handle_batch(conn, st, rq);
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

/* ---- the first call: framing, route, method, headers ------------------ */

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
        break;
    }

    /* POST: decide what can be decided before the body. Draining, a
     * request is still served, unless the grace ends too soon for it. */
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

/* ---- connections, for the drain ----------------------------------------- */

typedef struct conn_state {
    int idle; /* between a completed request and the next request line */
} conn_state;

void server_connection_event(void *cls, void **socket_context, int started)
{
    server_state *st = cls;
    if (started) {
        conn_state *cs = calloc(1, sizeof *cs); /* none: the connection counts as busy till it closes */
        *socket_context = cs;
        atomic_fetch_add(&st->busy_connections, 1);
        return;
    }
    conn_state *cs = *socket_context;
    if (!cs || !cs->idle)
        atomic_fetch_sub(&st->busy_connections, 1);
    free(cs);
    *socket_context = NULL;
}

void *server_request_started(void *cls, const char *uri, struct MHD_Connection *conn)
{
    server_state *st = cls;
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    conn_state *cs = ci ? ci->socket_context : NULL;
    if (cs && cs->idle) {
        cs->idle = 0;
        atomic_fetch_add(&st->busy_connections, 1);
    }
    request *rq = calloc(1, sizeof *rq);
    if (rq) {
        rq->target_len = strlen(uri);
        rq->conn_state = cs;
    }
    return rq;
}

/* A request is over: its connection is idle until the next one. */
static void connection_idle(server_state *st, conn_state *cs)
{
    if (cs && !cs->idle) {
        cs->idle = 1;
        atomic_fetch_sub(&st->busy_connections, 1);
    }
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

/* A JSON string of s (bytes over 0x7E escaped, so the line is always JSON). */
static void json_escaped(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20 || *p > 0x7E)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

static void access_log(const request *rq, double seconds, size_t bytes_in, size_t bytes_out)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char when[40];
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
    flockfile(stdout);
    fprintf(stdout, "{\"time\":\"%s.%03ldZ\",\"method\":", when, ts.tv_nsec / 1000000);
    json_escaped(stdout, rq->method);
    fputs(",\"path\":", stdout);
    json_escaped(stdout, rq->path);
    fprintf(stdout, ",\"status\":%u,\"bytes_in\":%zu,\"bytes_out\":%zu,\"duration_ms\":%.3f,\"request_id\":", rq->status,
            bytes_in, bytes_out, seconds * 1000.0);
    json_escaped(stdout, rq->request_id);
    fputs(",\"client\":", stdout);
    json_escaped(stdout, rq->client);
    fputs("}\n", stdout);
    funlockfile(stdout);
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
        bytes_out += atomic_load(&rq->batch->bytes_out);
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
