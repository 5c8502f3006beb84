/*
 * server.h - enrichd's configuration and its HTTP handler. The server is
 * thin: HTTP in, a call into libenrich, HTTP out.
 */
#ifndef ENRICHD_SERVER_H
#define ENRICHD_SERVER_H

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
} server_config;

typedef struct server_state {
    const server_config *config;
    const enrich_engine *engine;
    atomic_int draining;     /* readiness is false once set */
    atomic_long in_flight;   /* requests accepted and not yet completed */
} server_state;

/* MHD callbacks; cls is the server_state. */
enum MHD_Result server_handle(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version,
                              const char *upload_data, size_t *upload_data_size,
                              void **req_cls);
void server_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                      enum MHD_RequestTerminationCode toe);

#endif
