/*
 * server.h - enrichd's configuration and its HTTP handler. The server is
 * thin: HTTP in, a call into libenrich, HTTP out.
 */
#ifndef ENRICHD_SERVER_H
#define ENRICHD_SERVER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <microhttpd.h>

#include "enrich.h"

typedef struct server_config {
    const char *bind;        /* address to listen on */
    unsigned port;           /* 0 picks a free port */
    size_t max_body;         /* bytes */
    unsigned timeout;        /* seconds a connection may stay idle */
    unsigned threads;        /* polling threads; 0 = one per core */
    unsigned max_connections;
    unsigned grace;          /* seconds to finish requests on SIGTERM */
    const char *model;       /* entity model file, or NULL for the compiled-in one */
    const char *dictionary;  /* custom dictionary file, or NULL */
} server_config;

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
    atomic_int draining;     /* readiness is false once set */
    atomic_long in_flight;   /* requests accepted and not yet completed */
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
void server_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                      enum MHD_RequestTerminationCode toe);

#endif
