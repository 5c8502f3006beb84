/*
 * server.h - enrichd's configuration, state and HTTP handler. The server is
 * thin: HTTP in, a call into libenrich, HTTP out.
 */
#ifndef ENRICHD_SERVER_H
#define ENRICHD_SERVER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <microhttpd.h>

#include "enrich.h"

#define MAX_TRUSTED_PROXIES 32

/* An address range: a proxy we trust to tell the client's address. */
typedef struct net_range {
    int family;            /* AF_INET or AF_INET6 */
    unsigned char addr[16];
    unsigned bits;         /* prefix length */
} net_range;

typedef struct server_config {
    const char *bind;        /* address to listen on */
    unsigned port;           /* 0 picks a free port */
    size_t max_body;         /* bytes, POST /v1/enrich */
    size_t max_batch_body;   /* bytes, POST /v1/enrich/batch */
    unsigned timeout;        /* seconds a connection may stay idle */
    unsigned threads;        /* polling threads; 0 = one per core */
    unsigned max_connections;
    unsigned max_in_flight;  /* enrichment requests at once; beyond, 503 */
    unsigned request_budget; /* seconds one request may take (batch: checked per line) */
    unsigned grace;          /* seconds to finish requests on SIGTERM */
    unsigned drain_delay;    /* seconds of "not ready" while still serving, after SIGTERM */
    int access_log;          /* one JSON line per request on stdout */
    const char *model;       /* entity model file, or NULL for the compiled-in one */
    const char *layout_model; /* line-role model file, or NULL for the compiled-in one */
    const char *dictionary;  /* custom dictionary file, or NULL */
    const char *api_token;   /* bearer token required on all routes but the probes, or NULL */
    net_range trusted[MAX_TRUSTED_PROXIES];
    unsigned n_trusted;
} server_config;

/* Routes, and the index of their metrics. */
typedef enum route {
    ROUTE_NONE = 0,
    ROUTE_HEALTHZ,
    ROUTE_READYZ,
    ROUTE_METRICS,
    ROUTE_OPENAPI,
    ROUTE_ENRICH,
    ROUTE_BATCH,
    ROUTE_PAGE,
    ROUTE_COUNT
} route;

#define METRIC_STATUSES 12
#define METRIC_BUCKETS 13

typedef struct server_metrics {
    atomic_ulong requests[ROUTE_COUNT][METRIC_STATUSES + 1];
    atomic_ulong latency[ROUTE_COUNT][METRIC_BUCKETS + 1];
    atomic_ulong latency_us[ROUTE_COUNT];
    atomic_ulong bytes_in, bytes_out;
    atomic_ulong overloaded;
    atomic_ulong batch_records;
    atomic_ulong reloads;
    atomic_long engine_loaded_unix;
} server_metrics;

/* An engine and the requests using it. The current engine holds one
 * reference for being current; a reload swaps in a new one, and the old one
 * is freed when its last request completes. */
typedef struct engine_ref {
    enrich_engine *engine;
    long refs;
} engine_ref;

typedef struct server_state {
    const server_config *config;
    pthread_mutex_t lock;    /* guards current and every refs */
    engine_ref *current;
    atomic_int draining;     /* readiness is false once set (SIGTERM) */
    atomic_int closing;      /* the drain proper: every answer closes its connection */
    atomic_llong deadline_ms; /* the end of the grace, monotonic, once draining */
    atomic_long in_flight;   /* enrichment requests accepted and not yet completed */
    atomic_long busy_connections; /* connections accepted with a request under way or to come */
    server_metrics metrics;
} server_state;

/* Takes a reference to the current engine; release it when done. */
engine_ref *server_engine_acquire(server_state *st);
void server_engine_release(server_state *st, engine_ref *ref);

/* Makes engine current (taking ownership); the old one goes when unused.
 * Returns 0, or -1 when memory ran out (engine then freed). */
int server_engine_swap(server_state *st, enrich_engine *engine);

/* MHD callbacks; cls is the server_state. */
enum MHD_Result server_handle(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version,
                              const char *upload_data, size_t *upload_data_size,
                              void **req_cls);
/* MHD_OPTION_URI_LOG_CALLBACK: the request's context, made when its
 * request line is read, with the target's length as sent. */
void *server_request_started(void *cls, const char *uri, struct MHD_Connection *conn);
void server_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                      enum MHD_RequestTerminationCode toe);

/* MHD_OPTION_NOTIFY_CONNECTION's work for the drain: a connection counts
 * as busy from its accept until its request completes, and again from the
 * next request line; started is 1 on accept, 0 on close. */
void server_connection_event(void *cls, void **socket_context, int started);

/* The route's name in metrics ("enrich", "batch", "other"). */
const char *server_route_name(unsigned rt);

/* Parses "10.0.0.0/8,127.0.0.1,::1" into cfg->trusted. Returns 0, or -1
 * naming the bad item in err (size errlen). */
int server_parse_proxies(server_config *cfg, const char *list, char *err, size_t errlen);

/* metrics.c */
void metrics_observe(server_metrics *m, unsigned rt, unsigned status, double seconds, size_t bytes_in,
                     size_t bytes_out);
char *metrics_render(server_state *st, size_t *len);

#endif
