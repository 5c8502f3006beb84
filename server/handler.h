/*
 * handler.h - what enrichd's request-handling files share: the request
 * being answered, the answers' senders, and each file's entry points.
 * Private to server/; server.h is the server's own interface.
 */
#ifndef ENRICHD_HANDLER_H
#define ENRICHD_HANDLER_H

#include <time.h>

#include "server.h"

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

/* The request the polling thread is answering: the senders record its
 * status and size and echo its id. */
extern _Thread_local request *current;

typedef struct conn_state conn_state;

static inline double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* problems.c */
enum MHD_Result queue(struct MHD_Connection *conn, unsigned status, struct MHD_Response *resp, size_t body_len);
enum MHD_Result send_buffer(struct MHD_Connection *conn, unsigned status, const char *type, char *buf, size_t len);
enum MHD_Result send_static(struct MHD_Connection *conn, const char *type, const char *data, size_t n);
enum MHD_Result send_problem_at(struct MHD_Connection *conn, unsigned status, const char *slug, const char *title, const char *detail, long long position, const char *allow);
enum MHD_Result send_problem(struct MHD_Connection *conn, unsigned status, const char *slug, const char *title, const char *detail);
enum MHD_Result send_status(struct MHD_Connection *conn, unsigned status, const char *word);
enum MHD_Result send_options(struct MHD_Connection *conn, const char *allow);
enum MHD_Result send_metrics(struct MHD_Connection *conn, server_state *st);

/* clients.c */
void client_address(struct MHD_Connection *conn, const server_config *cfg, char *out, size_t cap);
void request_id(struct MHD_Connection *conn, char *out);
int token_ok(const char *header, const char *token);

/* bodies.c */
body_kind body_kind_of(const char *ct, route rt);
size_t body_limit(const server_config *cfg, route rt);
int take_chunk(request *rq, size_t limit, const char *data, size_t n);

/* route_enrich.c */
enum MHD_Result answer_enrich(struct MHD_Connection *conn, const request *rq, const char *text, size_t len, const enrich_options *opts, json_t *id, int pretty, unsigned arg_status);
enum MHD_Result query_options(struct MHD_Connection *conn, enrich_options *opts, int *pretty, int *bad);
enum MHD_Result handle_json(struct MHD_Connection *conn, const request *rq, enrich_options *opts, int pretty);

/* batch.c */
void batch_release(void *cls);
size_t batch_bytes_out(batch *b); /* the streamed answer's bytes so far */
enum MHD_Result handle_body(struct MHD_Connection *conn, server_state *st, request *rq);

/* connections.c */
void connection_idle(server_state *st, conn_state *cs);

/* accesslog.c */
void access_log(const request *rq, double seconds, size_t bytes_in, size_t bytes_out);

#endif
