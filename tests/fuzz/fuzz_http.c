/*
 * fuzz_http.c - libFuzzer target for enrichd's request handling: the input
 * is the raw bytes a client sends on one connection. An in-process
 * libmicrohttpd daemon with enrichd's handler (no listening socket) is given
 * one end of a socket pair; the input goes in at the other end, which is
 * then half-closed, and everything the server answers is read back. Any
 * answer must be HTTP; ASan and UBSan watch the handler, the batch stream,
 * the metrics and the access log's formatting.
 */
#include <errno.h>
#include <arpa/inet.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct MHD_Daemon *daemon_;
static server_state state;
static server_config config;

static void start(void)
{
    memset(&config, 0, sizeof config);
    config.bind = "127.0.0.1";
    config.max_body = 64 * 1024;
    config.max_batch_body = 64 * 1024;
    config.timeout = 2;
    config.threads = 1;
    config.max_connections = 16;
    config.max_in_flight = 8;
    config.request_budget = 2;
    config.access_log = 0;
    char err[64];
    server_parse_proxies(&config, "127.0.0.1,10.0.0.0/8,::1", err, sizeof err);
    config.api_token = getenv("FUZZ_HTTP_TOKEN"); /* auth paths when set */
    state.config = &config;
    pthread_mutex_init(&state.lock, NULL);
    enrich_error e;
    enrich_engine *engine = enrich_engine_new(&e);
    if (!engine || server_engine_swap(&state, engine) != 0)
        abort();
    json_object_seed(1);
    daemon_ = MHD_start_daemon(MHD_USE_POLL_INTERNAL_THREAD | MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC, 0, NULL, NULL,
                               server_handle, &state, MHD_OPTION_CONNECTION_TIMEOUT, config.timeout,
                               MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024), MHD_OPTION_NOTIFY_COMPLETED,
                               server_completed, &state, MHD_OPTION_END);
    if (!daemon_)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!daemon_)
        start();
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
        return 0;
    struct sockaddr_in peer = {.sin_family = AF_INET};
    peer.sin_addr.s_addr = htonl(0x7F000001);
    if (MHD_add_connection(daemon_, sv[0], (struct sockaddr *)&peer, sizeof peer) != MHD_YES) {
        close(sv[0]);
        close(sv[1]);
        return 0;
    }
    /* send what the fuzzer gave, then half-close: the server sees the end */
    size_t off = 0;
    while (off < size) {
        ssize_t w = send(sv[1], data + off, size - off, MSG_NOSIGNAL);
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    shutdown(sv[1], SHUT_WR);
    char buf[65536];
    size_t total = 0;
    int first = 1;
    for (;;) {
        struct pollfd p = {sv[1], POLLIN, 0};
        if (poll(&p, 1, 5000) <= 0)
            break; /* a request the server still waits on; the timeout cleans up */
        ssize_t r = recv(sv[1], buf, sizeof buf, 0);
        if (r <= 0)
            break;
        if (first && r >= 5 && memcmp(buf, "HTTP/", 5) != 0)
            abort(); /* whatever comes back is HTTP */
        first = 0;
        total += (size_t)r;
    }
    close(sv[1]);
    (void)total;
    return 0;
}
