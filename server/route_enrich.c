/*
 * route_enrich.c - POST /v1/enrich: the query's options, a JSON body, and
 * the one call into libenrich.
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

/* Annotates text with opts and answers, the id first when there is one. */
enum MHD_Result answer_enrich(struct MHD_Connection *conn, const request *rq,
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
enum MHD_Result query_options(struct MHD_Connection *conn, enrich_options *opts, int *pretty,
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
enum MHD_Result handle_json(struct MHD_Connection *conn, const request *rq, enrich_options *opts,
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
