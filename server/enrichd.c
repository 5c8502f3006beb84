/*
 * enrichd - the HTTP front end of libenrich.
 *
 * Starts one immutable engine, serves it from a pool of libmicrohttpd
 * polling threads, and stops cleanly on SIGTERM or SIGINT: readiness goes
 * false, no new connections are accepted, requests in flight finish within
 * the grace period.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "server.h"

static const char usage_text[] =
    "usage: enrichd [OPTIONS]\n"
    "       enrichd --healthcheck [--port N]\n"
    "\n"
    "Serves libenrich over HTTP: POST /v1/enrich, POST /v1/enrich/batch (JSON\n"
    "Lines), GET /healthz, GET /readyz, GET /metrics, GET /openapi.yaml. Each\n"
    "option has an environment-variable twin; the option wins when both are set.\n"
    "\n"
    "Options:\n"
    "  -b, --bind ADDR            address to listen on (ENRICH_BIND; default 0.0.0.0)\n"
    "  -p, --port N               TCP port, 0 for any free one (ENRICH_PORT; default 8080)\n"
    "      --max-body BYTES       largest POST /v1/enrich body, suffix k, m or g allowed\n"
    "                             (ENRICH_MAX_BODY; default 10m)\n"
    "      --max-batch-body BYTES largest POST /v1/enrich/batch body\n"
    "                             (ENRICH_MAX_BATCH_BODY; default 64m)\n"
    "      --timeout SECONDS      close connections idle this long, slow clients\n"
    "                             included (ENRICH_TIMEOUT; default 30)\n"
    "  -t, --threads N            polling threads, 0 for one per core (ENRICH_THREADS;\n"
    "                             default 0)\n"
    "      --max-connections N    connections at once (ENRICH_MAX_CONNECTIONS;\n"
    "                             default 1024)\n"
    "      --max-in-flight N      enrichment requests at once; beyond, 503 with\n"
    "                             Retry-After (ENRICH_MAX_IN_FLIGHT; default 256)\n"
    "      --request-budget SECONDS\n"
    "                             time one request may take; a batch answers the\n"
    "                             records left after it with errors\n"
    "                             (ENRICH_REQUEST_BUDGET; default 60)\n"
    "      --grace SECONDS        time to finish requests after SIGTERM (ENRICH_GRACE;\n"
    "                             default 25)\n"
    "      --drain-delay SECONDS  after SIGTERM, time /readyz answers 503 while new\n"
    "                             connections are still served, before the drain\n"
    "                             (ENRICH_DRAIN_DELAY; default 0; counts in the grace)\n"
    "      --trusted-proxies LIST addresses or CIDR ranges (comma-separated) whose\n"
    "                             X-Forwarded-For names the client\n"
    "                             (ENRICH_TRUSTED_PROXIES; default none)\n"
    "      --access-log on|off    one JSON line per request on standard output\n"
    "                             (ENRICH_ACCESS_LOG; default on)\n"
    "      --api-token-file FILE  require 'Authorization: Bearer TOKEN' on every\n"
    "                             route but /healthz and /readyz, TOKEN read from\n"
    "                             FILE (ENRICH_API_TOKEN holds the token itself;\n"
    "                             default: no auth)\n"
    "      --model FILE           entity model from 'enrich train' (ENRICH_MODEL;\n"
    "                             default: the compiled-in model)\n"
    "      --layout-model FILE    line-role model from 'enrich train-layout'\n"
    "                             (ENRICH_LAYOUT_MODEL; default: the compiled-in one)\n"
    "      --dictionary FILE      custom entries that win over the model, one a line:\n"
    "                             name<TAB>type<TAB>aliases|...<TAB>id (ENRICH_DICTIONARY)\n"
    "      --healthcheck          ask GET /healthz on 127.0.0.1 (the --port given,\n"
    "                             or ENRICH_PORT) and exit 0 when it answers 200, 1\n"
    "                             when not: for container HEALTHCHECKs\n"
    "  -h, --help                 show this help\n"
    "  -V, --version              show the version\n"
    "\n"
    "Signals: SIGTERM and SIGINT drain and stop: readiness fails at once; after\n"
    "the drain delay, connections still queued are taken, no new ones, and every\n"
    "request under way is answered within the grace (with Connection: close);\n"
    "SIGHUP reloads the\n"
    "model, layout model and dictionary files without dropping a request (a broken file is\n"
    "reported and the running engine kept).\n"
    "\n"
    "Exit status: 0 after a clean stop, 1 when the server cannot start,\n"
    "2 on a usage error.\n";

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "enrichd: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nTry 'enrichd --help'.\n");
    va_end(ap);
    return 2;
}

/* Parses an unsigned number with an optional k/m/g suffix (powers of 1024
 * when allow_suffix). Returns 0 or -1. */
static int parse_size(const char *s, int allow_suffix, unsigned long long max, unsigned long long *out)
{
    if (!s || !*s || *s == '-')
        return -1;
    errno = 0;
    char *end = NULL;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s)
        return -1;
    unsigned long long mult = 1;
    if (allow_suffix && *end) {
        switch (*end) {
        case 'k': case 'K': mult = 1ULL << 10; break;
        case 'm': case 'M': mult = 1ULL << 20; break;
        case 'g': case 'G': mult = 1ULL << 30; break;
        default: return -1;
        }
        end++;
    }
    if (*end || v > max / mult)
        return -1;
    *out = v * mult;
    return 0;
}

typedef struct setting {
    const char *name; /* option name */
    const char *env;
    int suffix;
    unsigned long long max;
    unsigned long long min;
} setting;

enum { S_PORT, S_MAX_BODY, S_MAX_BATCH, S_TIMEOUT, S_THREADS, S_MAX_CONN, S_IN_FLIGHT, S_BUDGET, S_GRACE, S_DRAIN_DELAY,
       S_COUNT };

static const setting settings[S_COUNT] = {
    [S_PORT] = {"port", "ENRICH_PORT", 0, 65535, 0},
    [S_MAX_BODY] = {"max-body", "ENRICH_MAX_BODY", 1, ENRICH_MAX_INPUT, 1},
    [S_MAX_BATCH] = {"max-batch-body", "ENRICH_MAX_BATCH_BODY", 1, 1ULL << 32, 1},
    [S_TIMEOUT] = {"timeout", "ENRICH_TIMEOUT", 0, 86400, 1},
    [S_THREADS] = {"threads", "ENRICH_THREADS", 0, 1024, 0},
    [S_MAX_CONN] = {"max-connections", "ENRICH_MAX_CONNECTIONS", 0, 1000000, 1},
    [S_IN_FLIGHT] = {"max-in-flight", "ENRICH_MAX_IN_FLIGHT", 0, 1000000, 1},
    [S_BUDGET] = {"request-budget", "ENRICH_REQUEST_BUDGET", 0, 86400, 1},
    [S_GRACE] = {"grace", "ENRICH_GRACE", 0, 3600, 0},
    [S_DRAIN_DELAY] = {"drain-delay", "ENRICH_DRAIN_DELAY", 0, 3600, 0},
};

static int apply(int which, const char *value, const char *source, unsigned long long *out)
{
    const setting *s = &settings[which];
    if (parse_size(value, s->suffix, s->max, out) != 0 || *out < s->min)
        return usage_error("%s '%s' for %s must be a number from %llu to %llu%s", source, value, s->name,
                           s->min, s->max, s->suffix ? " (k, m, g allowed)" : "");
    return 0;
}

/* The token from a file (its first line), for --api-token-file; kept for
 * the life of the process. */
static char *read_token(const char *path)
{
    static char token[1024];
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char *line = fgets(token, sizeof token, f);
    fclose(f);
    if (!line)
        return NULL;
    token[strcspn(token, "\r\n")] = '\0';
    return token[0] ? token : NULL;
}

static int on_off(const char *v, int *out)
{
    if (strcmp(v, "on") == 0 || strcmp(v, "1") == 0 || strcmp(v, "true") == 0)
        *out = 1;
    else if (strcmp(v, "off") == 0 || strcmp(v, "0") == 0 || strcmp(v, "false") == 0)
        *out = 0;
    else
        return -1;
    return 0;
}

static int healthcheck;

static int parse_config(int argc, char **argv, server_config *cfg)
{
    static const struct option longopts[] = {
        {"bind", required_argument, NULL, 'b'},
        {"port", required_argument, NULL, 'p'},
        {"max-body", required_argument, NULL, 1000 + S_MAX_BODY},
        {"timeout", required_argument, NULL, 1000 + S_TIMEOUT},
        {"threads", required_argument, NULL, 't'},
        {"max-connections", required_argument, NULL, 1000 + S_MAX_CONN},
        {"grace", required_argument, NULL, 1000 + S_GRACE},
        {"drain-delay", required_argument, NULL, 1000 + S_DRAIN_DELAY},
        {"max-batch-body", required_argument, NULL, 1000 + S_MAX_BATCH},
        {"max-in-flight", required_argument, NULL, 1000 + S_IN_FLIGHT},
        {"request-budget", required_argument, NULL, 1000 + S_BUDGET},
        {"trusted-proxies", required_argument, NULL, 'x'},
        {"access-log", required_argument, NULL, 'a'},
        {"api-token-file", required_argument, NULL, 'k'},
        {"healthcheck", no_argument, NULL, 'H'},
        {"model", required_argument, NULL, 'm'},
        {"layout-model", required_argument, NULL, 'L'},
        {"dictionary", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    unsigned long long v[S_COUNT] = {
        [S_PORT] = 8080, [S_MAX_BODY] = 10ULL << 20, [S_MAX_BATCH] = 64ULL << 20, [S_TIMEOUT] = 30,
        [S_THREADS] = 0, [S_MAX_CONN] = 1024, [S_IN_FLIGHT] = 256, [S_BUDGET] = 60, [S_GRACE] = 25,
    };
    char err[160];
    const char *proxies = getenv("ENRICH_TRUSTED_PROXIES");
    if (proxies && server_parse_proxies(cfg, proxies, err, sizeof err))
        return usage_error("ENRICH_TRUSTED_PROXIES: %s", err);
    cfg->access_log = 1;
    const char *al = getenv("ENRICH_ACCESS_LOG");
    if (al && *al && on_off(al, &cfg->access_log))
        return usage_error("ENRICH_ACCESS_LOG '%s' must be on or off", al);
    cfg->api_token = getenv("ENRICH_API_TOKEN") && *getenv("ENRICH_API_TOKEN") ? getenv("ENRICH_API_TOKEN") : NULL;
    cfg->bind = getenv("ENRICH_BIND") ? getenv("ENRICH_BIND") : "0.0.0.0";
    cfg->model = getenv("ENRICH_MODEL") && *getenv("ENRICH_MODEL") ? getenv("ENRICH_MODEL") : NULL;
    cfg->layout_model =
        getenv("ENRICH_LAYOUT_MODEL") && *getenv("ENRICH_LAYOUT_MODEL") ? getenv("ENRICH_LAYOUT_MODEL") : NULL;
    cfg->dictionary = getenv("ENRICH_DICTIONARY") && *getenv("ENRICH_DICTIONARY") ? getenv("ENRICH_DICTIONARY") : NULL;
    for (int i = 0; i < S_COUNT; i++) {
        const char *e = getenv(settings[i].env);
        if (e && *e && apply(i, e, settings[i].env, &v[i]))
            return 2;
    }
    int ch;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":b:p:t:hV", longopts, NULL)) != -1) {
        int which = -1;
        switch (ch) {
        case 'b': cfg->bind = optarg; break;
        case 'x':
            if (server_parse_proxies(cfg, optarg, err, sizeof err))
                return usage_error("--trusted-proxies: %s", err);
            break;
        case 'a':
            if (on_off(optarg, &cfg->access_log))
                return usage_error("--access-log '%s' must be on or off", optarg);
            break;
        case 'k':
            if (!(cfg->api_token = read_token(optarg)))
                return usage_error("--api-token-file: cannot read a token from %s", optarg);
            break;
        case 'H': healthcheck = 1; break;
        case 'm': cfg->model = optarg; break;
        case 'L': cfg->layout_model = optarg; break;
        case 'd': cfg->dictionary = optarg; break;
        case 'p': which = S_PORT; break;
        case 't': which = S_THREADS; break;
        case 'h': fputs(usage_text, stdout); return -1;
        case 'V': printf("enrichd %s\n", enrich_version()); return -1;
        case ':': return usage_error("option '%s' needs a value", argv[optind - 1]);
        case '?': return usage_error("unknown option '%s'", argv[optind - 1]);
        default: which = ch - 1000; break;
        }
        if (which >= 0 && apply(which, optarg, "value", &v[which]))
            return 2;
    }
    if (optind < argc)
        return usage_error("unexpected argument '%s'", argv[optind]);
    cfg->port = (unsigned)v[S_PORT];
    cfg->max_body = (size_t)v[S_MAX_BODY];
    cfg->max_batch_body = (size_t)v[S_MAX_BATCH];
    cfg->max_in_flight = (unsigned)v[S_IN_FLIGHT];
    cfg->request_budget = (unsigned)v[S_BUDGET];
    cfg->timeout = (unsigned)v[S_TIMEOUT];
    cfg->threads = (unsigned)v[S_THREADS];
    cfg->max_connections = (unsigned)v[S_MAX_CONN];
    cfg->grace = (unsigned)v[S_GRACE];
    cfg->drain_delay = (unsigned)v[S_DRAIN_DELAY];
    if (cfg->threads == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        cfg->threads = cores > 0 ? (unsigned)cores : 1;
    }
    return 0;
}

static void log_mhd(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    fprintf(stderr, "enrichd: libmicrohttpd: ");
    vfprintf(stderr, fmt, ap);
}

/* Reads a whole file into a malloc'd buffer; NULL (errno set) on failure. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        char *nb = realloc(buf, cap * 2);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

/* An engine from the configured files; NULL with a message on stderr. */
static enrich_engine *load_engine(const server_config *cfg)
{
    enrich_engine_config ec;
    enrich_engine_config_init(&ec);
    char *model = NULL, *dict = NULL, *layout = NULL;
    if (cfg->model && !(model = slurp(cfg->model, &ec.model_len))) {
        fprintf(stderr, "enrichd: cannot read model %s: %s\n", cfg->model, strerror(errno));
        return NULL;
    }
    if (cfg->dictionary && !(dict = slurp(cfg->dictionary, &ec.dictionary_len))) {
        fprintf(stderr, "enrichd: cannot read dictionary %s: %s\n", cfg->dictionary, strerror(errno));
        free(model);
        return NULL;
    }
    if (cfg->layout_model && !(layout = slurp(cfg->layout_model, &ec.layout_model_len))) {
        fprintf(stderr, "enrichd: cannot read layout model %s: %s\n", cfg->layout_model, strerror(errno));
        free(model);
        free(dict);
        return NULL;
    }
    ec.model = model;
    ec.dictionary = dict;
    ec.layout_model = layout;
    enrich_error err;
    enrich_engine *e = enrich_engine_new_with(&ec, &err);
    if (!e)
        fprintf(stderr, "enrichd: cannot start the engine: %s\n", err.message);
    free(model);
    free(dict);
    free(layout);
    return e;
}

/* Each new connection: no Nagle delay. A streamed batch answer goes out in
 * pieces, and Nagle with the client's delayed ACK held each for 40 ms. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    server_connection_event(cls, socket_context, code == MHD_CONNECTION_NOTIFY_STARTED);
    if (code != MHD_CONNECTION_NOTIFY_STARTED)
        return;
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    int one = 1;
    if (ci)
        setsockopt(ci->connect_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

/* GET /healthz on 127.0.0.1:port; 0 when it answers 200. */
static int check_health(unsigned port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return 1;
    struct timeval tv = {3, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    char buf[256];
    int ok = 0;
    if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0) {
        static const char req[] = "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
        if (write(fd, req, sizeof req - 1) == (ssize_t)(sizeof req - 1)) {
            ssize_t n = read(fd, buf, sizeof buf - 1);
            if (n > 0) {
                buf[n] = '\0';
                ok = strncmp(buf, "HTTP/1.1 200", 12) == 0 || strncmp(buf, "HTTP/1.0 200", 12) == 0;
            }
        }
    }
    close(fd);
    if (!ok)
        fprintf(stderr, "enrichd: healthcheck: no 200 from 127.0.0.1 port %u\n", port);
    return ok ? 0 : 1;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Accepts what waits in the listening socket's queue and hands it to the
 * daemon, which answers it like any other connection. */
static unsigned take_queued(struct MHD_Daemon *d, MHD_socket listen_fd)
{
    unsigned n = 0;
    int fl = fcntl(listen_fd, F_GETFL, 0);
    if (fl < 0 || fcntl(listen_fd, F_SETFL, fl | O_NONBLOCK) < 0)
        return 0;
    for (;;) {
        struct sockaddr_storage peer;
        socklen_t len = sizeof peer;
        int fd = accept(listen_fd, (struct sockaddr *)&peer, &len);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            break; /* EAGAIN: the queue is empty */
        }
        int cfl = fcntl(fd, F_GETFL, 0);
        if (cfl >= 0)
            fcntl(fd, F_SETFL, cfl | O_NONBLOCK);
        fcntl(fd, F_SETFD, FD_CLOEXEC);
        if (MHD_add_connection(d, fd, (struct sockaddr *)&peer, len) != MHD_YES)
            continue; /* the daemon closed it (limits, memory) */
        n++;
    }
    return n;
}

int main(int argc, char **argv)
{
    server_config cfg;
    memset(&cfg, 0, sizeof cfg);
    int rc = parse_config(argc, argv, &cfg);
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    if (healthcheck)
        return check_health(cfg.port);
    setvbuf(stdout, NULL, _IOLBF, 0); /* the access log, a line at a time */

    struct sockaddr_storage addr;
    memset(&addr, 0, sizeof addr);
    /* poll(), not epoll: libmicrohttpd 0.9.75's edge-triggered epoll loop
     * was seen to stall with a single thread and 256 keep-alive clients
     * (every socket readable, the thread asleep in epoll_wait); poll keeps
     * up with 512 connections at 60,000 requests/s here. */
    unsigned flags = MHD_USE_POLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
    struct sockaddr_in *a4 = (struct sockaddr_in *)&addr;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&addr;
    if (inet_pton(AF_INET, cfg.bind, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        a4->sin_port = htons((uint16_t)cfg.port);
    } else if (inet_pton(AF_INET6, cfg.bind, &a6->sin6_addr) == 1) {
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)cfg.port);
        flags |= MHD_USE_IPv6;
    } else {
        return usage_error("bind address '%s' is not an IPv4 or IPv6 address", cfg.bind);
    }

    double t0 = now_seconds();
    enrich_engine *engine = load_engine(&cfg);
    if (!engine)
        return 1;
    json_object_seed(0);

    /* Signals are taken by sigwait in this thread; the server's threads
     * inherit the mask. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    server_state st = {.config = &cfg};
    pthread_mutex_init(&st.lock, NULL);
    if (server_engine_swap(&st, engine) != 0) {
        fprintf(stderr, "enrichd: out of memory\n");
        return 1;
    }
    atomic_init(&st.draining, 0);
    atomic_init(&st.closing, 0);
    atomic_init(&st.in_flight, 0);
    atomic_init(&st.busy_connections, 0);
    atomic_init(&st.deadline_ms, 0);
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, (uint16_t)cfg.port, NULL, NULL, server_handle, &st,
        MHD_OPTION_EXTERNAL_LOGGER, log_mhd, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, cfg.threads,
        MHD_OPTION_CONNECTION_TIMEOUT, cfg.timeout,
        MHD_OPTION_CONNECTION_LIMIT, cfg.max_connections,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024), /* request line and headers: under 32 KB */
        MHD_OPTION_NOTIFY_COMPLETED, server_completed, &st,
        MHD_OPTION_URI_LOG_CALLBACK, server_request_started, &st,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, &st,
        MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "enrichd: cannot listen on %s port %u: %s\n", cfg.bind, cfg.port, strerror(errno));
        server_engine_release(&st, st.current);
        return 1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = info ? info->port : cfg.port;
    fprintf(stderr, "enrichd %s: listening on %s port %u (threads %u, max body %zu bytes, engine ready in %.0f ms)\n",
            enrich_version(), cfg.bind, port, cfg.threads, cfg.max_body, (now_seconds() - t0) * 1000.0);
    fflush(stderr);

    int sig = 0;
    for (;;) {
        if (sigwait(&sigs, &sig) != 0)
            continue;
        if (sig != SIGHUP)
            break;
        double r0 = now_seconds();
        enrich_engine *fresh = load_engine(&cfg);
        if (!fresh) {
            fprintf(stderr, "enrichd: SIGHUP: reload failed; still serving the previous engine\n");
        } else if (server_engine_swap(&st, fresh) != 0) {
            fprintf(stderr, "enrichd: SIGHUP: out of memory; still serving the previous engine\n");
        } else {
            atomic_fetch_add(&st.metrics.reloads, 1);
            fprintf(stderr, "enrichd: SIGHUP: engine reloaded in %.0f ms\n", (now_seconds() - r0) * 1000.0);
        }
        fflush(stderr);
    }
    fprintf(stderr, "enrichd: %s: draining (grace %u s, drain delay %u s)\n", sig == SIGTERM ? "SIGTERM" : "SIGINT",
            cfg.grace, cfg.drain_delay);
    fflush(stderr);
    double deadline = now_seconds() + cfg.grace;
    atomic_store(&st.deadline_ms, (long long)(deadline * 1000.0));
    atomic_store(&st.draining, 1);
    /* The drain delay: not ready, still serving, so that the endpoints are
     * taken out of the load balancer before the listener goes. */
    double until = now_seconds() + (cfg.drain_delay < cfg.grace ? cfg.drain_delay : cfg.grace);
    while (now_seconds() < until) {
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    atomic_store(&st.closing, 1);
    /* No new connections; those the kernel has accepted into the queue are
     * served, then the listener closes (new clients are refused at once
     * rather than wait in a backlog nobody reads). */
    MHD_socket listen_fd = MHD_quiesce_daemon(d);
    if (listen_fd != MHD_INVALID_SOCKET) {
        unsigned taken = take_queued(d, listen_fd);
        close(listen_fd);
        if (taken)
            fprintf(stderr, "enrichd: took %u queued connection%s\n", taken, taken == 1 ? "" : "s");
    }
    /* Every connection with a request under way, or accepted and not yet
     * sent, is answered; idle keep-alive ones close with the daemon. */
    while (atomic_load(&st.busy_connections) > 0 && now_seconds() < deadline) {
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    long left = atomic_load(&st.busy_connections);
    MHD_stop_daemon(d);
    server_engine_release(&st, st.current);
    pthread_mutex_destroy(&st.lock);
    if (left > 0)
        fprintf(stderr, "enrichd: stopped with %ld connections unanswered after the grace period\n", left);
    else
        fprintf(stderr, "enrichd: stopped cleanly\n");
    return 0;
}
