/*
 * bodies.c - request bodies: their kind by Content-Type, their limit, and
 * reading them in chunks up to it.
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

/* Content-Type -> body kind; 0 when unsupported. A charset, when given,
 * must be UTF-8. */
body_kind body_kind_of(const char *ct, route rt)
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

size_t body_limit(const server_config *cfg, route rt)
{
    return rt == ROUTE_BATCH ? cfg->max_batch_body : cfg->max_body;
}

/* Appends a body chunk, up to the limit; past it, reads and drops. */
int take_chunk(request *rq, size_t limit, const char *data, size_t n)
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
