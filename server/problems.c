/*
 * problems.c - answers: headers every answer carries, buffers and static
 * pages, and errors as application/problem+json (RFC 9457).
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

/* The request being answered on this thread, set by the handler; the
 * senders record its status and size and echo its id. */
_Thread_local request *current;

/* Headers every answer carries; records the status for the log. */
enum MHD_Result queue(struct MHD_Connection *conn, unsigned status, struct MHD_Response *resp,
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

enum MHD_Result send_buffer(struct MHD_Connection *conn, unsigned status, const char *type, char *buf,
                                   size_t len)
{
    return send_buffer_allow(conn, status, type, buf, len, NULL);
}

enum MHD_Result send_static(struct MHD_Connection *conn, const char *type, const char *data, size_t n)
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
enum MHD_Result send_problem_at(struct MHD_Connection *conn, unsigned status,
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

enum MHD_Result send_problem(struct MHD_Connection *conn, unsigned status, const char *slug,
                                    const char *title, const char *detail)
{
    return send_problem_at(conn, status, slug, title, detail, -1, NULL);
}

enum MHD_Result send_status(struct MHD_Connection *conn, unsigned status, const char *word)
{
    json_t *v = json_pack("{s:s}", "status", word);
    return send_json(conn, status, "application/json", v, 0);
}

enum MHD_Result send_options(struct MHD_Connection *conn, const char *allow)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow);
    return queue(conn, MHD_HTTP_NO_CONTENT, resp, 0);
}

enum MHD_Result send_metrics(struct MHD_Connection *conn, server_state *st)
{
    size_t n = 0;
    char *s = metrics_render(st, &n);
    if (!s)
        return MHD_NO;
    return send_buffer(conn, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8", s, n);
}
