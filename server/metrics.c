/*
 * metrics.c - counters for GET /metrics, in the Prometheus text format
 * (version 0.0.4). Lock-free: every counter is an atomic.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

static const unsigned status_codes[METRIC_STATUSES] = {200, 204, 400, 401, 404, 405, 413,
                                                       415, 422, 431, 500, 503};

/* Upper bounds of the latency buckets, in seconds; +Inf follows. */
static const double buckets[METRIC_BUCKETS] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                               0.1,   0.25,   0.5,   1.0,  2.5,   5.0, 10.0};

static int status_slot(unsigned status)
{
    for (int i = 0; i < METRIC_STATUSES; i++)
        if (status_codes[i] == status)
            return i;
    return METRIC_STATUSES; /* other */
}

static const char *const route_names[ROUTE_COUNT] = {
    [ROUTE_NONE] = "other",     [ROUTE_HEALTHZ] = "healthz", [ROUTE_READYZ] = "readyz",
    [ROUTE_METRICS] = "metrics", [ROUTE_OPENAPI] = "openapi", [ROUTE_ENRICH] = "enrich",
    [ROUTE_BATCH] = "batch",    [ROUTE_PAGE] = "page",
};

const char *server_route_name(unsigned r)
{
    return r < ROUTE_COUNT ? route_names[r] : "other";
}

void metrics_observe(server_metrics *m, unsigned rt, unsigned status, double seconds, size_t bytes_in,
                     size_t bytes_out)
{
    if (rt >= ROUTE_COUNT)
        rt = ROUTE_NONE;
    atomic_fetch_add(&m->requests[rt][status_slot(status)], 1);
    int b = 0;
    while (b < METRIC_BUCKETS && seconds > buckets[b])
        b++;
    atomic_fetch_add(&m->latency[rt][b], 1);
    atomic_fetch_add(&m->latency_us[rt], (unsigned long)(seconds * 1e6));
    atomic_fetch_add(&m->bytes_in, bytes_in);
    atomic_fetch_add(&m->bytes_out, bytes_out);
}

typedef struct out {
    char *buf;
    size_t len, cap;
    int failed;
} out;

static void put(out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(out *o, const char *fmt, ...)
{
    if (o->failed)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            o->failed = 1;
            return;
        }
        if ((size_t)n < o->cap - o->len) {
            o->len += (size_t)n;
            return;
        }
        size_t cap = o->cap * 2 + (size_t)n;
        char *b = realloc(o->buf, cap);
        if (!b) {
            o->failed = 1;
            return;
        }
        o->buf = b;
        o->cap = cap;
    }
}

char *metrics_render(server_state *st, size_t *len)
{
    server_metrics *m = &st->metrics;
    out o = {malloc(16384), 0, 16384, 0};
    if (!o.buf)
        return NULL;
    put(&o, "# HELP enrich_build_info The version of enrichd and libenrich.\n"
            "# TYPE enrich_build_info gauge\n"
            "enrich_build_info{version=\"%s\"} 1\n",
        enrich_version());
    put(&o, "# HELP enrich_engine_loaded_timestamp_seconds When the engine in use was loaded (Unix time).\n"
            "# TYPE enrich_engine_loaded_timestamp_seconds gauge\n"
            "enrich_engine_loaded_timestamp_seconds %ld\n",
        atomic_load(&m->engine_loaded_unix));
    put(&o, "# HELP enrich_engine_reloads_total Engines loaded on SIGHUP.\n"
            "# TYPE enrich_engine_reloads_total counter\n"
            "enrich_engine_reloads_total %lu\n",
        atomic_load(&m->reloads));
    put(&o, "# HELP enrich_http_requests_total HTTP requests answered, by route and status.\n"
            "# TYPE enrich_http_requests_total counter\n");
    for (unsigned r = 0; r < ROUTE_COUNT; r++)
        for (int s = 0; s <= METRIC_STATUSES; s++) {
            unsigned long v = atomic_load(&m->requests[r][s]);
            if (!v)
                continue;
            if (s < METRIC_STATUSES)
                put(&o, "enrich_http_requests_total{route=\"%s\",status=\"%u\"} %lu\n", server_route_name(r),
                    status_codes[s], v);
            else
                put(&o, "enrich_http_requests_total{route=\"%s\",status=\"other\"} %lu\n", server_route_name(r), v);
        }
    put(&o, "# HELP enrich_http_request_duration_seconds Time from a request's headers to its last byte queued.\n"
            "# TYPE enrich_http_request_duration_seconds histogram\n");
    for (unsigned r = 0; r < ROUTE_COUNT; r++) {
        unsigned long cum = 0, total = 0;
        for (int b = 0; b <= METRIC_BUCKETS; b++)
            total += atomic_load(&m->latency[r][b]);
        if (!total)
            continue;
        const char *name = server_route_name(r);
        for (int b = 0; b < METRIC_BUCKETS; b++) {
            cum += atomic_load(&m->latency[r][b]);
            put(&o, "enrich_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %lu\n", name, buckets[b], cum);
        }
        cum += atomic_load(&m->latency[r][METRIC_BUCKETS]);
        put(&o, "enrich_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %lu\n", name, cum);
        put(&o, "enrich_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n", name,
            (double)atomic_load(&m->latency_us[r]) / 1e6);
        put(&o, "enrich_http_request_duration_seconds_count{route=\"%s\"} %lu\n", name, cum);
    }
    put(&o, "# HELP enrich_http_request_bytes_total Request body bytes received.\n"
            "# TYPE enrich_http_request_bytes_total counter\n"
            "enrich_http_request_bytes_total %lu\n",
        atomic_load(&m->bytes_in));
    put(&o, "# HELP enrich_http_response_bytes_total Response body bytes sent.\n"
            "# TYPE enrich_http_response_bytes_total counter\n"
            "enrich_http_response_bytes_total %lu\n",
        atomic_load(&m->bytes_out));
    put(&o, "# HELP enrich_http_requests_in_flight Enrichment requests being read or answered.\n"
            "# TYPE enrich_http_requests_in_flight gauge\n"
            "enrich_http_requests_in_flight %ld\n",
        atomic_load(&st->in_flight));
    put(&o, "# HELP enrich_http_overload_rejections_total Requests refused with 503 because the cap on work in flight was reached.\n"
            "# TYPE enrich_http_overload_rejections_total counter\n"
            "enrich_http_overload_rejections_total %lu\n",
        atomic_load(&m->overloaded));
    put(&o, "# HELP enrich_batch_records_total JSON Lines records answered by the batch route.\n"
            "# TYPE enrich_batch_records_total counter\n"
            "enrich_batch_records_total %lu\n",
        atomic_load(&m->batch_records));
    put(&o, "# HELP enrich_draining Whether the server is draining (1) after SIGTERM.\n"
            "# TYPE enrich_draining gauge\n"
            "enrich_draining %d\n",
        atomic_load(&st->draining));
    if (o.failed) {
        free(o.buf);
        return NULL;
    }
    *len = o.len;
    return o.buf;
}
