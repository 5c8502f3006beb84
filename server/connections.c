/*
 * connections.c - connections counted for the drain: busy from accept
 * until their request completes, and again from the next request line.
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
void connection_idle(server_state *st, conn_state *cs)
{
    if (cs && !cs->idle) {
        cs->idle = 1;
        atomic_fetch_sub(&st->busy_connections, 1);
    }
}
