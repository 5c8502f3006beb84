/*
 * batch.c - POST /v1/enrich/batch: JSON Lines in, answered line by line
 * as a stream; and the dispatch of a read body to its route.
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

size_t batch_bytes_out(batch *b)
{
    return atomic_load(&b->bytes_out);
}

void batch_release(void *cls)
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

static enum MHD_Result handle_batch(struct MHD_Connection *conn, server_state *st, request *rq,
                                    const enrich_options *query)
{
    enrich_options opts = *query;
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

enum MHD_Result handle_body(struct MHD_Connection *conn, server_state *st, request *rq)
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
    enrich_options opts;
    enrich_options_init(&opts);
    int pretty = 0, bad = 0;
    enum MHD_Result r = query_options(conn, &opts, &pretty, &bad);
    if (bad)
        return r;
    if (rq->route == ROUTE_BATCH)
        return handle_batch(conn, st, rq, &opts);
    if (rq->kind == BODY_JSON)
        return handle_json(conn, rq, &opts, pretty);
    return answer_enrich(conn, rq, rq->body, rq->len, &opts, NULL, pretty, MHD_HTTP_BAD_REQUEST);
}
