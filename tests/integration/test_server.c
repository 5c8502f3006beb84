/*
 * test_server.c - integration tests: a real enrichd on a free loopback
 * port, driven with libcurl (and raw sockets where curl is too polite).
 *
 * ENRICHD names the server binary, ENRICH_CLI the command-line tool.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <check.h>
#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_BODY (2 * 1024 * 1024)

static const char *enrichd_bin;
static const char *cli_bin;

typedef struct server {
    pid_t pid;
    int port;
} server;

static server srv; /* the one most tests share */

/* Starts enrichd with the extra arguments; reads its port from stderr. */
static server start_server(const char *extra)
{
    server s = {0, 0};
    int pipefd[2];
    if (pipe(pipefd) != 0)
        return s;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "exec %s --bind 127.0.0.1 --port 0 --threads 2 --max-body %d --access-log off %s",
             enrichd_bin, MAX_BODY, extra);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(pipefd[1], 2);
        close(pipefd[0]);
        close(pipefd[1]);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    close(pipefd[1]);
    FILE *f = fdopen(pipefd[0], "r");
    char line[512];
    while (f && fgets(line, sizeof line, f)) {
        char *p = strstr(line, " port ");
        if (strstr(line, "listening on") && p) {
            s.port = atoi(p + 6);
            break;
        }
    }
    s.pid = pid;
    /* Keep draining stderr so the server never blocks on it. */
    if (f && fork() == 0) {
        while (fgets(line, sizeof line, f))
            fputs(line, stderr);
        _exit(0);
    }
    if (f)
        fclose(f);
    return s;
}

static int stop_server(server s)
{
    int status = -1;
    kill(s.pid, SIGTERM);
    waitpid(s.pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* ---- a small libcurl client --------------------------------------------- */

typedef struct buf {
    char *data;
    size_t len;
} buf;

static size_t on_data(char *p, size_t size, size_t n, void *ud)
{
    buf *b = ud;
    char *d = realloc(b->data, b->len + size * n + 1);
    if (!d)
        return 0;
    memcpy(d + b->len, p, size * n);
    b->data = d;
    b->len += size * n;
    b->data[b->len] = '\0';
    return size * n;
}

typedef struct reply {
    long status;
    buf body;
    buf headers;
    char content_type[128];
} reply;

static void reply_free(reply *r)
{
    free(r->body.data);
    free(r->headers.data);
    memset(r, 0, sizeof *r);
}

/* One request on handle h (NULL: a new handle), with extra header lines
 * ("Name: value", NULL-terminated; may be NULL). body may be NULL. */
static reply request_full(CURL *h, int port, const char *method, const char *path, const char *ctype,
                          const char *body, size_t len, const char *const *headers)
{
    reply r;
    memset(&r, 0, sizeof r);
    int own = h == NULL;
    if (own)
        h = curl_easy_init();
    char url[512];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, path);
    struct curl_slist *hdrs = NULL;
    for (int i = 0; headers && headers[i]; i++)
        hdrs = curl_slist_append(hdrs, headers[i]);
    char ct[160];
    if (ctype) {
        snprintf(ct, sizeof ct, "Content-Type: %s", ctype);
        hdrs = curl_slist_append(hdrs, ct);
    }
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &r.body);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &r.headers);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    else
        curl_easy_setopt(h, CURLOPT_NOBODY, 0L);
    if (body) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    } else {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, NULL);
        curl_easy_setopt(h, CURLOPT_HTTPGET, strcmp(method, "GET") == 0 ? 1L : 0L);
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    }
    CURLcode rc = curl_easy_perform(h);
    if (rc == CURLE_OK) {
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r.status);
        char *c = NULL;
        curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &c);
        snprintf(r.content_type, sizeof r.content_type, "%s", c ? c : "");
    } else {
        r.status = -(long)rc;
    }
    curl_slist_free_all(hdrs);
    if (own)
        curl_easy_cleanup(h);
    return r;
}

static reply request_on(CURL *h, int port, const char *method, const char *path, const char *ctype,
                        const char *body, size_t len)
{
    return request_full(h, port, method, path, ctype, body, len, NULL);
}

static reply request(const char *method, const char *path, const char *ctype, const char *body, size_t len)
{
    return request_on(NULL, srv.port, method, path, ctype, body, len);
}

/* POST of a NUL-terminated body. */
static reply post(const char *path, const char *ctype, const char *body)
{
    return request("POST", path, ctype, body, strlen(body));
}

static void assert_healthy(void)
{
    reply r = request("GET", "/healthz", NULL, NULL, 0);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.body.data, "{\"status\":\"ok\"}\n");
    reply_free(&r);
}

/* Asserts a problem+json reply with the status and type suffix. */
static void assert_problem(reply *r, long status, const char *type)
{
    ck_assert_int_eq(r->status, status);
    ck_assert_str_eq(r->content_type, "application/problem+json");
    json_error_t e;
    json_t *j = json_loads(r->body.data, 0, &e);
    ck_assert_ptr_nonnull(j);
    char want[128];
    snprintf(want, sizeof want, "urn:enrich:problem:%s", type);
    ck_assert_str_eq(json_string_value(json_object_get(j, "type")), want);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "status")), status);
    ck_assert(json_string_length(json_object_get(j, "detail")) > 0);
    ck_assert(json_string_length(json_object_get(j, "title")) > 0);
    json_decref(j);
    reply_free(r);
    assert_healthy();
}

static const char article[] =
    "Ministers agree on new fishing quotas\n\n"
    "The deal sets limits for the next three years.\n\n"
    "Oslo, Norway\n\n"
    "Fisheries ministers agreed on Tuesday to cut quotas.\n\n"
    "RELATED STORIES\n\n"
    "Quotas explained: what changes for boatsOpens in new window\xC2\xA0]\n\n"
    "Cod stocks recover Opens in new window ]\n\n"
    "The agreement takes effect in January.\n\n"
    "Edited by Kari Nordmann.\n";

/* ---- routes --------------------------------------------------------------- */

START_TEST(health_ready_and_openapi)
{
    reply r = request("GET", "/healthz", NULL, NULL, 0);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.content_type, "application/json");
    reply_free(&r);
    r = request("GET", "/readyz", NULL, NULL, 0);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.body.data, "{\"status\":\"ready\"}\n");
    reply_free(&r);
    r = request("GET", "/openapi.yaml", NULL, NULL, 0);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.content_type, "application/yaml");
    ck_assert(strncmp(r.body.data, "openapi: 3.1.0", 14) == 0);
    reply_free(&r);
    r = request("HEAD", "/healthz", NULL, NULL, 0);
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_eq(r.body.len, 0);
    reply_free(&r);
    r = request("OPTIONS", "/v1/enrich", NULL, NULL, 0);
    ck_assert_int_eq(r.status, 204);
    ck_assert_ptr_nonnull(strstr(r.headers.data, "Allow: POST, OPTIONS"));
    reply_free(&r);
}
END_TEST

START_TEST(enrich_text_plain)
{
    reply r = request("POST", "/v1/enrich?reference_date=2024-03-05", "text/plain; charset=utf-8", article,
                      sizeof article - 1);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.content_type, "application/json");
    json_t *j = json_loads(r.body.data, 0, NULL);
    ck_assert_ptr_nonnull(j);
    ck_assert_str_eq(json_string_value(json_object_get(j, "reference_date")), "2024-03-05");
    json_t *art = json_object_get(j, "article");
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(art, "headline"), "text")),
                     "Ministers agree on new fishing quotas");
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(art, "dateline"), "country_code")), "NO");
    ck_assert_int_eq(json_array_size(json_object_get(j, "related")), 2);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(art, "bylines"), 0), "name")),
                     "Kari Nordmann");
    json_decref(j);
    reply_free(&r);
}
END_TEST

START_TEST(enrich_json_with_id_and_options)
{
    json_t *in = json_pack("{s:s, s:s, s:s, s:{s:s}}", "id", "story-42", "text", article, "reference_date",
                           "2024-03-05", "options", "offsets", "utf16");
    char *body = json_dumps(in, 0);
    reply r = request("POST", "/v1/enrich", "application/json", body, strlen(body));
    ck_assert_int_eq(r.status, 200);
    ck_assert(strncmp(r.body.data, "{\"id\":\"story-42\",", 17) == 0);
    json_t *j = json_loads(r.body.data, 0, NULL);
    ck_assert_str_eq(json_string_value(json_object_get(j, "offsets")), "utf16");
    /* the NBSP before "]" is one unit: offsets differ from bytes after it */
    json_t *rel = json_array_get(json_object_get(j, "related"), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(rel, "start")),
                     (json_int_t)(strstr(article, "Cod stocks") - article) - 1);
    json_decref(j);
    json_decref(in);
    free(body);
    reply_free(&r);
}
END_TEST

START_TEST(server_and_cli_answer_the_same_bytes)
{
    char path[] = "/tmp/enrich-it-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, article, sizeof article - 1), (ssize_t)(sizeof article - 1));
    close(fd);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "%s --reference-date 2024-03-05 %s", cli_bin, path);
    FILE *p = popen(cmd, "r");
    buf cli = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
        on_data(chunk, 1, n, &cli);
    ck_assert_int_eq(pclose(p), 0);
    unlink(path);
    reply r = request("POST", "/v1/enrich?reference_date=2024-03-05", "text/plain; charset=utf-8", article,
                      sizeof article - 1);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.body.data, cli.data);
    free(cli.data);
    reply_free(&r);
}
END_TEST

/* ---- every error status, each followed by a health check ----------------- */

START_TEST(errors_are_problems)
{
    reply r = post("/v1/enrich", "text/plain", "bad \xFF byte");
    ck_assert_ptr_nonnull(strstr(r.body.data, "\"position\":4"));
    assert_problem(&r, 400, "invalid-utf8");
    r = request("POST", "/v1/enrich", "text/plain", "nul \0 byte", 10);
    assert_problem(&r, 400, "nul-byte");
    r = post("/v1/enrich", "text/plain", "");
    assert_problem(&r, 400, "empty-body");
    r = post("/v1/enrich?reference_date=yesterday", "text/plain", "x");
    assert_problem(&r, 400, "invalid-parameter");
    r = post("/v1/enrich?offsets=bytes", "text/plain", "x");
    assert_problem(&r, 400, "invalid-parameter");
    r = post("/v1/enrich", "application/json", "{\"text\": ");
    ck_assert_ptr_nonnull(strstr(r.body.data, "column"));
    assert_problem(&r, 400, "invalid-json");
    r = post("/v1/enrich", "application/json", "{\"text\":\"a\",\"text\":\"b\"}");
    assert_problem(&r, 400, "invalid-json");
    r = post("/v1/enrich", "application/json", "[\"text\"]");
    assert_problem(&r, 422, "invalid-request");
    r = post("/v1/enrich", "application/json", "{\"txt\":\"a\"}");
    assert_problem(&r, 422, "invalid-request");
    r = post("/v1/enrich", "application/json", "{\"text\":\"a\",\"offsets\":3}");
    assert_problem(&r, 422, "invalid-request");
    r = post("/v1/enrich", "application/json", "{\"text\":\"a\",\"reference_date\":\"2024-13-01\"}");
    assert_problem(&r, 422, "invalid-request");
    r = post("/v1/enrich", "application/x-www-form-urlencoded", "text=a");
    assert_problem(&r, 415, "unsupported-media-type");
    r = post("/v1/enrich", "text/plain; charset=iso-8859-1", "a");
    assert_problem(&r, 415, "unsupported-media-type");
    r = post("/v1/enrich", NULL, "a");
    assert_problem(&r, 415, "unsupported-media-type");
    r = request("GET", "/nowhere", NULL, NULL, 0);
    assert_problem(&r, 404, "not-found");
    r = request("GET", "/v1/enrich/", NULL, NULL, 0);
    assert_problem(&r, 404, "not-found");
    r = request("GET", "/v1/enrich", NULL, NULL, 0);
    ck_assert_ptr_nonnull(strstr(r.headers.data, "Allow: POST, OPTIONS"));
    assert_problem(&r, 405, "method-not-allowed");
    r = request("DELETE", "/healthz", NULL, NULL, 0);
    assert_problem(&r, 405, "method-not-allowed");
}
END_TEST

/* Connects a raw socket to the shared server. */
static int raw_connect(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    struct timeval tv = {10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

static void send_all(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
        ck_assert_int_gt(w, 0);
        s += w;
        n -= (size_t)w;
    }
}

/* Reads until the peer closes or n bytes; returns what came. */
static size_t recv_some(int fd, char *out, size_t n)
{
    size_t got = 0;
    while (got + 1 < n) {
        ssize_t r = recv(fd, out + got, n - 1 - got, 0);
        if (r <= 0)
            break;
        got += (size_t)r;
        out[got] = '\0';
        if (strstr(out, "\r\n\r\n") && strstr(out, "}"))
            break;
    }
    out[got] = '\0';
    return got;
}

START_TEST(huge_body_refused_from_content_length)
{
    /* 64 MB announced, not one byte of it sent: the 413 comes anyway. */
    int fd = raw_connect(srv.port);
    const char *head = "POST /v1/enrich HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                       "Content-Length: 67108864\r\n\r\n";
    send_all(fd, head, strlen(head));
    char resp[4096];
    recv_some(fd, resp, sizeof resp);
    close(fd);
    ck_assert_msg(strncmp(resp, "HTTP/1.1 413", 12) == 0, "got: %.80s", resp);
    ck_assert_ptr_nonnull(strstr(resp, "application/problem+json"));
    ck_assert_ptr_nonnull(strstr(resp, "body-too-large"));
    assert_healthy();
}
END_TEST

typedef struct feeder {
    size_t left;
} feeder;

static size_t feed(char *out, size_t size, size_t n, void *ud)
{
    feeder *f = ud;
    size_t k = size * n < f->left ? size * n : f->left;
    memset(out, 'a', k);
    f->left -= k;
    return k;
}

START_TEST(chunked_body_cut_off_at_the_limit)
{
    CURL *h = curl_easy_init();
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/v1/enrich", srv.port);
    feeder f = {MAX_BODY + 100000};
    struct curl_slist *hdrs = curl_slist_append(NULL, "Content-Type: text/plain");
    hdrs = curl_slist_append(hdrs, "Transfer-Encoding: chunked");
    buf out = {0};
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, feed);
    curl_easy_setopt(h, CURLOPT_READDATA, &f);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &out);
    ck_assert_int_eq(curl_easy_perform(h), CURLE_OK);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    ck_assert_int_eq(status, 413);
    ck_assert_ptr_nonnull(strstr(out.data, "body-too-large"));
    free(out.data);
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(h);
    assert_healthy();
}
END_TEST

/* ---- load ------------------------------------------------------------------ */

START_TEST(keep_alive_thousand_requests)
{
    CURL *h = curl_easy_init();
    long connects = 0;
    for (int i = 0; i < 1000; i++) {
        reply r = request_on(h, srv.port, "POST", "/v1/enrich?include=article", "text/plain", article,
                             sizeof article - 1);
        ck_assert_int_eq(r.status, 200);
        long c = 0;
        curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &c);
        connects += c;
        reply_free(&r);
    }
    ck_assert_int_eq(connects, 1); /* one connection carried all of them */
    curl_easy_cleanup(h);
}
END_TEST

typedef struct client_result {
    int ok;
    char *first;
} client_result;

static void *client(void *arg)
{
    client_result *res = arg;
    CURL *h = curl_easy_init();
    for (int i = 0; i < 50; i++) {
        reply r = request_on(h, srv.port, "POST", "/v1/enrich?reference_date=2024-03-05", "text/plain", article,
                             sizeof article - 1);
        if (r.status == 200) {
            if (!res->first)
                res->first = strdup(r.body.data);
            if (strcmp(res->first, r.body.data) == 0)
                res->ok++;
        }
        reply_free(&r);
    }
    curl_easy_cleanup(h);
    return NULL;
}

START_TEST(eight_concurrent_clients)
{
    pthread_t t[8];
    client_result res[8];
    memset(res, 0, sizeof res);
    for (int i = 0; i < 8; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, client, &res[i]), 0);
    for (int i = 0; i < 8; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < 8; i++) {
        ck_assert_int_eq(res[i].ok, 50);
        ck_assert_str_eq(res[i].first, res[0].first);
    }
    for (int i = 0; i < 8; i++)
        free(res[i].first);
}
END_TEST

/* ---- stopping ---------------------------------------------------------------- */

START_TEST(sigterm_drains_in_flight_requests)
{
    server s = start_server("--grace 10");
    ck_assert_int_gt(s.port, 0);
    reply r = request_on(NULL, s.port, "GET", "/readyz", NULL, NULL, 0);
    ck_assert_int_eq(r.status, 200);
    reply_free(&r);
    /* A request in flight: headers and half the body sent. */
    int fd = raw_connect(s.port);
    const char *head = "POST /v1/enrich HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                       "Content-Length: 10\r\n\r\nHello";
    send_all(fd, head, strlen(head));
    struct timespec pause = {0, 200 * 1000 * 1000};
    nanosleep(&pause, NULL);
    kill(s.pid, SIGTERM);
    nanosleep(&pause, NULL);
    /* No new connections once draining (idle keep-alive ones are closed). */
    r = request_on(NULL, s.port, "GET", "/readyz", NULL, NULL, 0);
    ck_assert_int_eq(r.status, -(long)CURLE_COULDNT_CONNECT);
    reply_free(&r);
    send_all(fd, " you.", 5); /* the request in flight completes */
    char resp[8192];
    recv_some(fd, resp, sizeof resp);
    close(fd);
    ck_assert_msg(strncmp(resp, "HTTP/1.1 200", 12) == 0, "got: %.80s", resp);
    ck_assert_ptr_nonnull(strstr(resp, "\"version\":\"1\""));
    int status = -1;
    waitpid(s.pid, &status, 0);
    ck_assert(WIFEXITED(status));
    ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

/* Zero-loss drain: many uploads under way when SIGTERM comes, some still
 * in the kernel's accept queue, some with their bodies half sent; each
 * gets a whole answer: 200, or 503 with Retry-After and Connection: close. */
typedef struct upload_args {
    int port;
    const char *body;
    size_t len;
    int status;      /* -1: reset or closed without an answer */
    int well_formed; /* a 503 says Retry-After and Connection: close */
} upload_args;

static void *upload(void *arg)
{
    upload_args *u = arg;
    u->status = -1;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)u->port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct timeval tv = {60, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return NULL;
    }
    char head[256];
    int n = snprintf(head, sizeof head, "POST /v1/enrich?include=article HTTP/1.1\r\nHost: x\r\n"
                                        "Content-Type: text/plain\r\nContent-Length: %zu\r\n\r\n", u->len);
    const char *parts[2] = {head, u->body};
    size_t lens[2] = {(size_t)n, u->len};
    for (int k = 0; k < 2; k++)
        for (size_t off = 0; off < lens[k];) {
            ssize_t w = send(fd, parts[k] + off, lens[k] - off, MSG_NOSIGNAL);
            if (w <= 0) {
                close(fd);
                return NULL;
            }
            off += (size_t)w;
        }
    char resp[4096];
    size_t got = 0;
    while (got + 1 < sizeof resp) {
        ssize_t r = recv(fd, resp + got, sizeof resp - 1 - got, 0);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    resp[got] = '\0';
    close(fd);
    if (got >= 12 && strncmp(resp, "HTTP/1.1 ", 9) == 0)
        u->status = atoi(resp + 9);
    u->well_formed = u->status == 200 || (u->status == 503 && strstr(resp, "Retry-After:") && strstr(resp, "Connection: close"));
    return NULL;
}

START_TEST(sigterm_answers_every_accepted_upload)
{
    enum { CLIENTS = 120 };
    size_t len = 180 * 1024;
    char *body = malloc(len + 1);
    static const char sentence[] = "The city council met on Tuesday in Springfield and voted on the budget. ";
    for (size_t i = 0; i < len; i++)
        body[i] = sentence[i % (sizeof sentence - 1)];
    body[len] = '\0';
    server s = start_server("--threads 1 --grace 60");
    ck_assert_int_gt(s.port, 0);
    pthread_t th[CLIENTS];
    upload_args u[CLIENTS];
    for (int i = 0; i < CLIENTS; i++) {
        u[i] = (upload_args){s.port, body, len, 0, 0};
        pthread_create(&th[i], NULL, upload, &u[i]);
    }
    struct timespec pause = {0, 300 * 1000 * 1000};
    nanosleep(&pause, NULL);
    kill(s.pid, SIGTERM);
    int ok = 0, answered = 0;
    for (int i = 0; i < CLIENTS; i++) {
        pthread_join(th[i], NULL);
        answered += u[i].status > 0;
        ok += u[i].well_formed;
    }
    int status = -1;
    waitpid(s.pid, &status, 0);
    free(body);
    ck_assert_msg(answered == CLIENTS && ok == CLIENTS, "%d of %d answered, %d of them 200 or a well-formed 503",
                  answered, CLIENTS, ok);
    ck_assert(WIFEXITED(status));
    ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

START_TEST(drain_delay_keeps_serving_while_not_ready)
{
    server s = start_server("--drain-delay 2 --grace 10");
    ck_assert_int_gt(s.port, 0);
    kill(s.pid, SIGTERM);
    struct timespec pause = {0, 300 * 1000 * 1000};
    nanosleep(&pause, NULL);
    /* not ready, yet a new connection is served whole */
    reply r = request_on(NULL, s.port, "GET", "/readyz", NULL, NULL, 0);
    ck_assert_int_eq(r.status, 503);
    reply_free(&r);
    r = request_on(NULL, s.port, "POST", "/v1/enrich", "text/plain", "Hello from Paris.", 17);
    ck_assert_int_eq(r.status, 200);
    reply_free(&r);
    /* after the delay: no new connections, and the process ends cleanly */
    struct timespec rest = {2, 200 * 1000 * 1000};
    nanosleep(&rest, NULL);
    r = request_on(NULL, s.port, "GET", "/healthz", NULL, NULL, 0);
    ck_assert_int_eq(r.status, -(long)CURLE_COULDNT_CONNECT);
    reply_free(&r);
    int status = -1;
    waitpid(s.pid, &status, 0);
    ck_assert(WIFEXITED(status));
    ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

typedef struct loop_args {
    int port;
    int ok, total;
    volatile int stop;
} loop_args;

static void *request_loop(void *arg)
{
    loop_args *a = arg;
    CURL *h = curl_easy_init();
    while (!a->stop && a->total < 5000) {
        reply r = request_on(h, a->port, "POST", "/v1/enrich", "text/plain", article, sizeof article - 1);
        a->total++;
        a->ok += r.status == 200;
        reply_free(&r);
    }
    curl_easy_cleanup(h);
    return NULL;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

/* The id the response gives the entity named name, or "" when none. */
static const char *entity_id(int port, const char *name)
{
    static char out[64];
    reply r = request_on(NULL, port, "POST", "/v1/enrich", "text/plain", article, sizeof article - 1);
    json_t *j = json_loads(r.body.data ? r.body.data : "", 0, NULL);
    out[0] = '\0';
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(j, "entities"), i, e)
        if (strcmp(json_string_value(json_object_get(e, "name")), name) == 0)
            snprintf(out, sizeof out, "%s", json_string_value(json_object_get(json_object_get(e, "links"), "id")) ?: "");
    json_decref(j);
    reply_free(&r);
    return out;
}

/* Polls until the entity's id is want (a reload took effect), up to 30 s. */
static int wait_for_id(int port, const char *name, const char *want)
{
    struct timespec pause = {0, 50 * 1000 * 1000};
    for (int i = 0; i < 600; i++) {
        if (strcmp(entity_id(port, name), want) == 0)
            return 1;
        nanosleep(&pause, NULL);
    }
    return 0;
}

START_TEST(sighup_reloads_the_dictionary_without_dropping_requests)
{
    char path[] = "/tmp/enrich-dict-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    write_file(path, "Oslo\tGPE\t\tv1\n");
    char extra[128];
    snprintf(extra, sizeof extra, "--dictionary %s", path);
    server s = start_server(extra);
    ck_assert_int_gt(s.port, 0);
    ck_assert_str_eq(entity_id(s.port, "Oslo"), "v1");
    loop_args a = {s.port, 0, 0, 0};
    pthread_t t;
    ck_assert_int_eq(pthread_create(&t, NULL, request_loop, &a), 0);
    for (int k = 2; k <= 4; k++) {
        char line[64], want[16];
        snprintf(line, sizeof line, "Oslo\tGPE\t\tv%d\n", k);
        snprintf(want, sizeof want, "v%d", k);
        write_file(path, line);
        kill(s.pid, SIGHUP);
        ck_assert_msg(wait_for_id(s.port, "Oslo", want), "reload to %s never took effect", want);
    }
    /* A broken file: the reload fails and the running engine stays. */
    write_file(path, "a broken line without tabs\n");
    kill(s.pid, SIGHUP);
    struct timespec pause = {1, 0};
    nanosleep(&pause, NULL);
    a.stop = 1;
    pthread_join(t, NULL);
    ck_assert_int_gt(a.total, 10);
    ck_assert_int_eq(a.ok, a.total); /* none dropped */
    ck_assert_str_eq(entity_id(s.port, "Oslo"), "v4");
    ck_assert_int_eq(stop_server(s), 0);
    unlink(path);
}
END_TEST

START_TEST(bad_configuration_is_a_usage_error)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s --port 70000 2>/dev/null", enrichd_bin);
    int st = system(cmd);
    ck_assert_int_eq(WEXITSTATUS(st), 2);
    snprintf(cmd, sizeof cmd, "ENRICH_MAX_BODY=lots %s 2>/dev/null", enrichd_bin);
    st = system(cmd);
    ck_assert_int_eq(WEXITSTATUS(st), 2);
    snprintf(cmd, sizeof cmd, "%s --bind not-an-address 2>/dev/null", enrichd_bin);
    st = system(cmd);
    ck_assert_int_eq(WEXITSTATUS(st), 2);
    snprintf(cmd, sizeof cmd, "%s --dictionary /nonexistent/file 2>/dev/null", enrichd_bin);
    st = system(cmd);
    ck_assert_int_eq(WEXITSTATUS(st), 1); /* cannot start */
    snprintf(cmd, sizeof cmd, "%s --help >/dev/null", enrichd_bin);
    st = system(cmd);
    ck_assert_int_eq(WEXITSTATUS(st), 0);
}
END_TEST

/* ---- production: batch, metrics, request ids, logs, auth, overload ------- */

/* A request with extra header lines ("Name: value", NULL-terminated). */
static reply request_with(int port, const char *method, const char *path, const char *ctype, const char *body,
                          const char *const *headers)
{
    return request_full(NULL, port, method, path, ctype, body, body ? strlen(body) : 0, headers);
}

/* The value of a response header (case-insensitive name), or "". */
static const char *header_of(const reply *r, const char *name, char *out, size_t cap)
{
    out[0] = '\0';
    const char *p = r->headers.data;
    size_t n = strlen(name);
    while (p && *p) {
        if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
            const char *v = p + n + 1;
            while (*v == ' ')
                v++;
            size_t k = strcspn(v, "\r\n");
            snprintf(out, cap, "%.*s", (int)(k < cap ? k : cap - 1), v);
            break;
        }
        p = strchr(p, '\n');
        p = p ? p + 1 : NULL;
    }
    return out;
}

START_TEST(batch_answers_each_line_in_order)
{
    const char *in = "{\"id\": \"a\", \"text\": \"NATO leaders met in Washington on Wednesday.\"}\n"
                     "not json at all\n"
                     "\n"
                     "{\"id\": 7, \"text\": 5}\n"
                     "{\"id\": \"b\", \"text\": \"Talks resume on Monday.\", \"reference_date\": \"2024-07-01\"}\n"
                     "{\"id\": \"c\", \"text\": \"caf\\u00e9 on Monday\", \"offsets\": \"utf16\"}";
    reply r = post("/v1/enrich/batch?reference_date=2024-07-11", "application/x-ndjson", in);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.content_type, "application/x-ndjson");
    /* one line a record, blank lines skipped, in order */
    const char *want_ids[] = {"\"a\"", "null", "7", "\"b\"", "\"c\""};
    char *save = NULL, *line = strtok_r(r.body.data, "\n", &save);
    int k = 0;
    for (; line; line = strtok_r(NULL, "\n", &save), k++) {
        ck_assert_int_lt(k, 5);
        json_error_t e;
        json_t *j = json_loads(line, 0, &e);
        ck_assert_ptr_nonnull(j);
        char *id = json_dumps(json_object_get(j, "id"), JSON_ENCODE_ANY);
        ck_assert_str_eq(id, want_ids[k]);
        free(id);
        if (k == 1 || k == 2) {
            ck_assert_ptr_nonnull(json_object_get(j, "error"));
            ck_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "error"), "code")),
                             k == 1 ? "invalid_json" : "invalid_request");
        } else {
            ck_assert_ptr_null(json_object_get(j, "error"));
            /* the query's reference date is the default; a record's own wins */
            ck_assert_str_eq(json_string_value(json_object_get(j, "reference_date")),
                             k == 3 ? "2024-07-01" : "2024-07-11");
        }
        if (k == 4)
            ck_assert_str_eq(json_string_value(json_object_get(j, "offsets")), "utf16");
        json_decref(j);
    }
    ck_assert_int_eq(k, 5);
    reply_free(&r);
    /* its own errors */
    r = post("/v1/enrich/batch", "text/plain", "{}");
    assert_problem(&r, 415, "unsupported-media-type");
    r = post("/v1/enrich/batch", "application/x-ndjson", "");
    assert_problem(&r, 400, "empty-body");
    r = post("/v1/enrich/batch?offsets=bytes", "application/x-ndjson", "{\"text\": \"x\"}");
    assert_problem(&r, 400, "invalid-parameter");
    r = request("GET", "/v1/enrich/batch", NULL, NULL, 0);
    assert_problem(&r, 405, "method-not-allowed");
}
END_TEST

START_TEST(batch_over_budget_answers_the_rest_with_errors)
{
    server s = start_server("--request-budget 1");
    ck_assert_int_gt(s.port, 0);
    /* enough records that annotating them takes more than a second */
    size_t n = 4000, cap = n * (sizeof article + 64);
    char *in = malloc(cap), *p = in;
    json_t *text = json_stringn(article, sizeof article - 1);
    char *quoted = json_dumps(text, JSON_ENCODE_ANY);
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "{\"id\": %zu, \"text\": %s}\n", i, quoted);
    reply r = request_with(s.port, "POST", "/v1/enrich/batch", "application/x-ndjson", in, NULL);
    ck_assert_int_eq(r.status, 200);
    size_t lines = 0, over = 0;
    for (char *q = r.body.data; q && *q; q = strchr(q, '\n') ? strchr(q, '\n') + 1 : NULL) {
        lines++;
        if (strncmp(q, "{\"id\":", 6) == 0 && strstr(q, "\"budget_exceeded\"") &&
            strstr(q, "\"budget_exceeded\"") < strchr(q, '\n'))
            over++;
    }
    ck_assert_uint_eq(lines, n); /* every record answered */
    ck_assert_uint_gt(over, 0);
    ck_assert_uint_lt(over, n);
    reply_free(&r);
    free(quoted);
    json_decref(text);
    free(in);
    ck_assert_int_eq(stop_server(s), 0);
}
END_TEST

START_TEST(metrics_in_prometheus_text)
{
    reply r = post("/v1/enrich", "text/plain", article);
    reply_free(&r);
    r = request("GET", "/no/such/route", NULL, NULL, 0);
    reply_free(&r);
    r = request("GET", "/metrics", NULL, NULL, 0);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.content_type, "text/plain; version=0.0.4; charset=utf-8");
    const char *m = r.body.data;
    ck_assert_ptr_nonnull(strstr(m, "# TYPE enrich_http_requests_total counter\n"));
    ck_assert_ptr_nonnull(strstr(m, "enrich_http_requests_total{route=\"enrich\",status=\"200\"} "));
    ck_assert_ptr_nonnull(strstr(m, "enrich_http_requests_total{route=\"other\",status=\"404\"} "));
    ck_assert_ptr_nonnull(strstr(m, "# TYPE enrich_http_request_duration_seconds histogram\n"));
    ck_assert_ptr_nonnull(strstr(m, "enrich_http_request_duration_seconds_bucket{route=\"enrich\",le=\"+Inf\"} "));
    ck_assert_ptr_nonnull(strstr(m, "enrich_http_request_duration_seconds_count{route=\"enrich\"} "));
    ck_assert_ptr_nonnull(strstr(m, "enrich_http_request_bytes_total "));
    ck_assert_ptr_nonnull(strstr(m, "enrich_http_requests_in_flight 0\n"));
    ck_assert_ptr_nonnull(strstr(m, "enrich_build_info{version=\""));
    ck_assert_ptr_nonnull(strstr(m, "enrich_engine_loaded_timestamp_seconds "));
    /* every sample line is name{labels} value */
    for (const char *q = m; *q; q = strchr(q, '\n') + 1) {
        if (*q != '#') {
            const char *sp = strchr(q, ' ');
            ck_assert_ptr_nonnull(sp);
            ck_assert(sp < strchr(q, '\n'));
            ck_assert(strncmp(q, "enrich_", 7) == 0);
        }
        if (!strchr(q, '\n'))
            break;
    }
    reply_free(&r);
}
END_TEST

START_TEST(request_ids_are_echoed_or_made)
{
    char v[200];
    const char *given[] = {"X-Request-Id: trace-42.a/b", NULL};
    reply r = request_with(srv.port, "GET", "/healthz", NULL, NULL, given);
    ck_assert_str_eq(header_of(&r, "X-Request-Id", v, sizeof v), "trace-42.a/b");
    reply_free(&r);
    r = request_with(srv.port, "GET", "/healthz", NULL, NULL, NULL);
    ck_assert_uint_eq(strlen(header_of(&r, "X-Request-Id", v, sizeof v)), 16);
    reply_free(&r);
    /* not a sane id: replaced */
    const char *bad[] = {"X-Request-Id: two words<script>", NULL};
    r = request_with(srv.port, "GET", "/healthz", NULL, NULL, bad);
    ck_assert_uint_eq(strlen(header_of(&r, "X-Request-Id", v, sizeof v)), 16);
    reply_free(&r);
    /* problems carry it too */
    r = request_with(srv.port, "GET", "/nope", NULL, NULL, given);
    ck_assert_ptr_nonnull(strstr(r.body.data, "\"request_id\":\"trace-42.a/b\""));
    reply_free(&r);
}
END_TEST

/* The access log's lines from a file, as JSON, after the server stopped. */
static json_t *log_line(const char *path, const char *request_id)
{
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    char line[2048];
    json_t *found = NULL;
    while (fgets(line, sizeof line, f)) {
        json_error_t e;
        json_t *j = json_loads(line, 0, &e);
        ck_assert_msg(j != NULL, "access log line is not JSON: %s", line);
        if (!found && strcmp(json_string_value(json_object_get(j, "request_id")), request_id) == 0)
            found = j;
        else
            json_decref(j);
    }
    fclose(f);
    return found;
}

START_TEST(access_log_and_forwarded_for)
{
    char extra[256], path[] = "/tmp/enrich-access-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    snprintf(extra, sizeof extra, "--access-log on --trusted-proxies 127.0.0.0/8,::1 > %s", path);
    server s = start_server(extra);
    ck_assert_int_gt(s.port, 0);
    const char *via_proxy[] = {"X-Request-Id: via-proxy", "X-Forwarded-For: 198.51.100.7, 203.0.113.9, 127.0.0.1", NULL};
    reply r = request_with(s.port, "POST", "/v1/enrich?include=dates", "text/plain", "On Monday.", via_proxy);
    ck_assert_int_eq(r.status, 200);
    reply_free(&r);
    const char *nope[] = {"X-Request-Id: not-found", NULL};
    r = request_with(s.port, "GET", "/missing", NULL, NULL, nope);
    reply_free(&r);
    ck_assert_int_eq(stop_server(s), 0);
    json_t *j = log_line(path, "via-proxy");
    ck_assert_ptr_nonnull(j);
    ck_assert_str_eq(json_string_value(json_object_get(j, "method")), "POST");
    ck_assert_str_eq(json_string_value(json_object_get(j, "path")), "/v1/enrich");
    ck_assert_int_eq(json_integer_value(json_object_get(j, "status")), 200);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "bytes_in")), 10);
    ck_assert_int_gt(json_integer_value(json_object_get(j, "bytes_out")), 100);
    ck_assert(json_is_number(json_object_get(j, "duration_ms")));
    ck_assert_uint_eq(strlen(json_string_value(json_object_get(j, "time"))), 24);
    /* the proxy is trusted: the nearest address before it is the client */
    ck_assert_str_eq(json_string_value(json_object_get(j, "client")), "203.0.113.9");
    json_decref(j);
    j = log_line(path, "not-found");
    ck_assert_int_eq(json_integer_value(json_object_get(j, "status")), 404);
    json_decref(j);
    unlink(path);
    /* without trusted proxies, X-Forwarded-For is not believed */
    fd = mkstemp(strcpy(path, "/tmp/enrich-access-XXXXXX"));
    close(fd);
    snprintf(extra, sizeof extra, "--access-log on > %s", path);
    s = start_server(extra);
    r = request_with(s.port, "POST", "/v1/enrich?include=dates", "text/plain", "On Monday.", via_proxy);
    reply_free(&r);
    ck_assert_int_eq(stop_server(s), 0);
    j = log_line(path, "via-proxy");
    ck_assert_str_eq(json_string_value(json_object_get(j, "client")), "127.0.0.1");
    json_decref(j);
    unlink(path);
}
END_TEST

START_TEST(bearer_token_guards_all_but_the_probes)
{
    char extra[128];
    snprintf(extra, sizeof extra, "--api-token-file /dev/stdin <<'EOF'\ns3cret-token\nEOF\n");
    server s = start_server(extra);
    ck_assert_int_gt(s.port, 0);
    reply r = request_with(s.port, "GET", "/healthz", NULL, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    reply_free(&r);
    r = request_with(s.port, "GET", "/readyz", NULL, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    reply_free(&r);
    char v[128];
    r = request_with(s.port, "POST", "/v1/enrich", "text/plain", "Hello.", NULL);
    ck_assert_int_eq(r.status, 401);
    ck_assert_str_eq(header_of(&r, "WWW-Authenticate", v, sizeof v), "Bearer realm=\"enrich\"");
    ck_assert_ptr_nonnull(strstr(r.body.data, "urn:enrich:problem:unauthorized"));
    reply_free(&r);
    const char *wrong[] = {"Authorization: Bearer s3cret-tokeX", NULL};
    r = request_with(s.port, "GET", "/metrics", NULL, NULL, wrong);
    ck_assert_int_eq(r.status, 401);
    reply_free(&r);
    const char *shorter[] = {"Authorization: Bearer s3cret", NULL};
    r = request_with(s.port, "GET", "/openapi.yaml", NULL, NULL, shorter);
    ck_assert_int_eq(r.status, 401);
    reply_free(&r);
    const char *right[] = {"Authorization: Bearer s3cret-token", NULL};
    r = request_with(s.port, "POST", "/v1/enrich", "text/plain", "Hello.", right);
    ck_assert_int_eq(r.status, 200);
    reply_free(&r);
    r = request_with(s.port, "POST", "/v1/enrich/batch", "application/x-ndjson", "{\"text\": \"Hi.\"}", right);
    ck_assert_int_eq(r.status, 200);
    reply_free(&r);
    ck_assert_int_eq(stop_server(s), 0);
}
END_TEST

START_TEST(overload_is_503_with_retry_after)
{
    server s = start_server("--max-in-flight 2");
    ck_assert_int_gt(s.port, 0);
    /* two requests in flight: headers sent, bodies still coming */
    int held[2];
    for (int i = 0; i < 2; i++) {
        held[i] = raw_connect(s.port);
        const char *head = "POST /v1/enrich HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\nabc";
        send_all(held[i], head, strlen(head));
    }
    usleep(200 * 1000);
    char v[32];
    reply r = request_with(s.port, "POST", "/v1/enrich", "text/plain", "Hello.", NULL);
    ck_assert_int_eq(r.status, 503);
    ck_assert_str_eq(header_of(&r, "Retry-After", v, sizeof v), "1");
    ck_assert_ptr_nonnull(strstr(r.body.data, "urn:enrich:problem:overloaded"));
    reply_free(&r);
    /* the probes still answer */
    r = request_with(s.port, "GET", "/healthz", NULL, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    reply_free(&r);
    /* finishing one frees a place */
    send_all(held[0], "defghij", 7);
    char resp[8192];
    recv_some(held[0], resp, sizeof resp);
    ck_assert_msg(strncmp(resp, "HTTP/1.1 200", 12) == 0, "got: %.60s", resp);
    close(held[0]);
    usleep(100 * 1000);
    r = request_with(s.port, "POST", "/v1/enrich", "text/plain", "Hello.", NULL);
    ck_assert_int_eq(r.status, 200);
    reply_free(&r);
    r = request_with(s.port, "GET", "/metrics", NULL, NULL, NULL);
    ck_assert_ptr_nonnull(strstr(r.body.data, "enrich_http_overload_rejections_total 1\n"));
    reply_free(&r);
    close(held[1]);
    ck_assert_int_eq(stop_server(s), 0);
}
END_TEST

/* ---- the bad-input matrix ---------------------------------------------------- */

/* One raw exchange: sends req (len bytes, or strlen), half-closes when
 * asked, reads what comes back; returns the first status or -1 when the
 * connection closed with no answer. */
static int raw_status(int port, const char *req, size_t len, int half_close, char *resp, size_t cap)
{
    int fd = raw_connect(port);
    send_all(fd, req, len ? len : strlen(req));
    if (half_close)
        shutdown(fd, SHUT_WR);
    size_t got = 0;
    resp[0] = '\0';
    while (got + 1 < cap) {
        ssize_t r = recv(fd, resp + got, cap - 1 - got, 0);
        if (r <= 0)
            break;
        got += (size_t)r;
        resp[got] = '\0';
    }
    close(fd);
    if (got < 12 || strncmp(resp, "HTTP/1.", 7) != 0)
        return -1;
    return atoi(resp + 9);
}

typedef struct bad_case {
    const char *name;
    const char *request; /* "%s" stands for a generated part, see below */
    int expect;          /* status, or -1: closed without an answer */
    const char *type;    /* problem type expected in the body, or NULL */
} bad_case;

#define POST_TEXT(body) "POST /v1/enrich HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n\r\n" body
#define POST_JSON(body) "POST /v1/enrich HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n" body

START_TEST(bad_input_matrix)
{
    static const bad_case cases[] = {
        {"invalid UTF-8", POST_TEXT("caf\xC3"), 400, "invalid-utf8"},
        {"overlong UTF-8", POST_TEXT("a\xC0\xAF" "b"), 400, "invalid-utf8"},
        {"UTF-16 surrogate in UTF-8", POST_TEXT("\xED\xA0\x80"), 400, "invalid-utf8"},
        {"code point past U+10FFFF", POST_TEXT("\xF4\x90\x80\x80"), 400, "invalid-utf8"},
        {"NUL byte", POST_TEXT("a\0b"), 400, "nul-byte"},
        {"binary garbage body", POST_TEXT("\x89PNG\r\n\x1a\n\xff\xfe"), 400, "invalid-utf8"},
        {"empty body", POST_TEXT(""), 400, "empty-body"},
        {"broken JSON", POST_JSON("{\"text\": \"a"), 400, "invalid-json"},
        {"JSON array", POST_JSON("[\"text\"]"), 422, "invalid-request"},
        {"text not a string", POST_JSON("{\"text\": 5}"), 422, "invalid-request"},
        {"text missing", POST_JSON("{\"id\": 1}"), 422, "invalid-request"},
        {"duplicate keys", POST_JSON("{\"text\": \"a\", \"text\": \"b\"}"), 400, "invalid-json"},
        {"id of a wrong type", POST_JSON("{\"text\": \"a\", \"id\": {}}"), 422, "invalid-request"},
        {"options not an object", POST_JSON("{\"text\": \"a\", \"options\": 3}"), 422, "invalid-request"},
        {"reference date not a date", POST_JSON("{\"text\": \"a\", \"reference_date\": \"2024-02-30\"}"), 422, "invalid-request"},
        {"JSON string with invalid UTF-8", POST_JSON("{\"text\": \"\xff\"}"), 400, "invalid-json"},
        /* found by the schema-driven tests */
        {"JSON text with an escaped NUL", POST_JSON("{\"text\": \"a\\u0000b\"}"), 400, "nul-byte"},
        {"JSON id beyond 64 bits", POST_JSON("{\"text\": \"a\", \"id\": 123456789012345678901234567890}"), 422, "invalid-request"},
        {"JSON include empty", POST_JSON("{\"text\": \"a\", \"include\": \"\"}"), 422, "invalid-request"},
        {"pretty not a flag", "POST /v1/enrich?pretty=I HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n\r\nabc", 400, "invalid-parameter"},
        {"wrong content type", "POST /v1/enrich HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: image/png\r\nContent-Length: %zu\r\n\r\nabc", 415, "unsupported-media-type"},
        {"no content type", "POST /v1/enrich HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: %zu\r\n\r\nabc", 415, "unsupported-media-type"},
        {"charset not UTF-8", "POST /v1/enrich HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Length: %zu\r\n\r\nabc", 415, "unsupported-media-type"},
        {"bad query parameter", "POST /v1/enrich?offsets=bytes HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n\r\nabc", 400, "invalid-parameter"},
        {"oversized Content-Length", "POST /v1/enrich HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 99999999999\r\n\r\n", 413, "body-too-large"},
        {"Content-Length shorter than the body", "POST /v1/enrich HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nabcdefghij", 200, NULL},
        {"Content-Length longer than the body", "POST /v1/enrich HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 500\r\n\r\nabc", -1, NULL},
        {"Content-Length not a number", "POST /v1/enrich HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ten\r\n\r\nabc", 400, NULL},
        {"GET on the enrich route", "GET /v1/enrich HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 405, "method-not-allowed"},
        {"DELETE", "DELETE /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 405, "method-not-allowed"},
        {"unknown method", "BREW /v1/enrich HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 405, "method-not-allowed"},
        {"OPTIONS", "OPTIONS /v1/enrich HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 204, NULL},
        {"HEAD", "HEAD /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 200, NULL},
        {"path traversal", "GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 404, "not-found"},
        {"encoded traversal", "GET /v1/%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 404, "not-found"},
        {"binary garbage request line (a TLS hello)", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", -1, NULL},
        {"HTTP/1.0", "GET /healthz HTTP/1.0\r\n\r\n", 200, NULL},
        {"no Host header in HTTP/1.1 (libmicrohttpd accepts it)", "GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n", 200, NULL},
        {"batch with a text body", "POST /v1/enrich/batch HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n\r\nabc", 415, "unsupported-media-type"},
        {"batch oversized", "POST /v1/enrich/batch HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/x-ndjson\r\nContent-Length: 99999999999\r\n\r\n", 413, "body-too-large"},
    };
    char req[4096], resp[65536];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const bad_case *c = &cases[i];
        size_t len;
        const char *pct = strstr(c->request, "%zu");
        if (pct) {
            /* the body is what follows the blank line; NUL bytes count */
            const char *body = strstr(pct, "\r\n\r\n") + 4;
            size_t body_len = strlen(body) + (strcmp(c->name, "NUL byte") == 0 ? 2 : 0);
            int head = snprintf(req, sizeof req, "%.*s%zu%.*s", (int)(pct - c->request), c->request, body_len,
                                (int)(body - pct - 3), pct + 3);
            memcpy(req + head, body, body_len);
            len = (size_t)head + body_len;
        } else {
            len = strlen(c->request);
            memcpy(req, c->request, len);
        }
        int status = raw_status(srv.port, req, len, c->expect == -1, resp, sizeof resp);
        ck_assert_msg(status == c->expect, "%s: status %d, wanted %d (%.80s)", c->name, status, c->expect, resp);
        /* a detail in the request's own words, never a library's names */
        ck_assert_msg(!strstr(resp, "JSON_") && !strstr(resp, "MHD_") && !strstr(resp, "json_"), "%s: %.300s",
                      c->name, resp);
        if (c->type) {
            char want[96];
            snprintf(want, sizeof want, "urn:enrich:problem:%s", c->type);
            ck_assert_msg(strstr(resp, want) != NULL, "%s: no %s in %.300s", c->name, want, resp);
            ck_assert_msg(strstr(resp, "application/problem+json") != NULL, "%s: not a problem", c->name);
        }
        assert_healthy();
    }
}
END_TEST

/* RFC 9112 framing, one case each: the answer, and the connection closed
 * after it (the request carries no "Connection: close" of its own; a
 * server that kept it open would leave recv waiting for the timeout). */
typedef struct framing_case {
    const char *name;
    const char *request;
    int expect;
    const char *type; /* problem type, or NULL where libmicrohttpd answers itself */
} framing_case;

START_TEST(framing_per_rfc9112)
{
#define HEAD "POST /v1/enrich HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
    static const framing_case cases[] = {
        {"conflicting Content-Length", HEAD "Content-Length: 3\r\nContent-Length: 30\r\n\r\nabc", 400, "invalid-framing"},
        {"repeated Content-Length", HEAD "Content-Length: 3\r\nContent-Length: 3\r\n\r\nabc", 400, "invalid-framing"},
        {"Content-Length as a list (libmicrohttpd)", HEAD "Content-Length: 3, 3\r\n\r\nabc", 400, NULL},
        {"Content-Length with Transfer-Encoding", HEAD "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 400, "invalid-framing"},
        {"unknown transfer coding", HEAD "Transfer-Encoding: gzip\r\n\r\nabc", 501, "unsupported-transfer-coding"},
        {"a coding before chunked", HEAD "Transfer-Encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 501, "unsupported-transfer-coding"},
        {"chunked twice", HEAD "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 400, "invalid-framing"},
        {"obs-fold", HEAD "Content-Length: 3\r\nX-Note: a\r\n b\r\n\r\nabc", 400, "invalid-framing"},
        {"obs-fold with a tab, on a GET", "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Note: a\r\n\tb\r\n\r\n", 400, "invalid-framing"},
    };
#undef HEAD
    char resp[8192];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const framing_case *c = &cases[i];
        int status = raw_status(srv.port, c->request, 0, 0, resp, sizeof resp);
        ck_assert_msg(status == c->expect, "%s: status %d, wanted %d (%.120s)", c->name, status, c->expect, resp);
        ck_assert_msg(c->type == NULL || strstr(resp, c->type) != NULL, "%s: no %s in %.300s", c->name, c->type, resp);
        ck_assert_msg(c->type == NULL || strstr(resp, "Connection: close") != NULL, "%s: not closed: %.300s", c->name, resp);
        assert_healthy();
    }
    /* a request target over 8 KB: 414; at 8 KB less a little, answered */
    size_t cap = 10 * 1024;
    char *req = malloc(cap);
    for (int over = 0; over < 2; over++) {
        size_t len = over ? 8200 : 8000;
        int n = snprintf(req, cap, "GET /healthz?x=");
        memset(req + n, 'a', len);
        n += (int)len;
        n += snprintf(req + n, cap - (size_t)n, " HTTP/1.1\r\nHost: x\r\n\r\n");
        int status = raw_status(srv.port, req, (size_t)n, 0, resp, sizeof resp);
        if (over) {
            ck_assert_int_eq(status, 414);
            ck_assert_ptr_nonnull(strstr(resp, "urn:enrich:problem:target-too-long"));
            ck_assert_ptr_nonnull(strstr(resp, "Connection: close"));
        } else {
            ck_assert_int_eq(status, 200);
        }
    }
    free(req);
    /* the sound forms still work: one length, chunked alone */
    ck_assert_int_eq(raw_status(srv.port, "POST /v1/enrich HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                                          "Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
                                          "3\r\nabc\r\n0\r\n\r\n", 0, 0, resp, sizeof resp), 200);
    assert_healthy();
}
END_TEST

START_TEST(huge_and_many_headers)
{
    char resp[8192];
    size_t cap = 80 * 1024;
    char *req = malloc(cap);
    /* one header of 40 KB */
    int n = snprintf(req, cap, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ");
    memset(req + n, 'a', 40 * 1024);
    n += 40 * 1024;
    n += snprintf(req + n, cap - (size_t)n, "\r\nConnection: close\r\n\r\n");
    int status = raw_status(srv.port, req, (size_t)n, 0, resp, sizeof resp);
    ck_assert_msg(status == 431 || status == -1, "huge header: %d", status);
    assert_healthy();
    /* 150 small header fields */
    n = snprintf(req, cap, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
    for (int i = 0; i < 150; i++)
        n += snprintf(req + n, cap - (size_t)n, "X-H%d: v\r\n", i);
    n += snprintf(req + n, cap - (size_t)n, "\r\n");
    status = raw_status(srv.port, req, (size_t)n, 0, resp, sizeof resp);
    ck_assert_int_eq(status, 431);
    ck_assert_ptr_nonnull(strstr(resp, "urn:enrich:problem:headers-too-large"));
    free(req);
    assert_healthy();
}
END_TEST

/* libmicrohttpd 0.9 does not pipeline: the first request is answered with
 * Connection: close and the client sends the rest again (as curl and
 * proxies do). What matters is that nothing breaks. */
START_TEST(pipelined_requests_answer_the_first_and_close)
{
    const char *two = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                      "GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    char resp[8192];
    int status = raw_status(srv.port, two, 0, 0, resp, sizeof resp);
    ck_assert_int_eq(status, 200);
    ck_assert_ptr_nonnull(strstr(resp, "{\"status\":\"ok\"}"));
    const char *second = strstr(resp, "{\"status\":\"ready\"}");
    ck_assert_msg(second != NULL || strstr(resp, "Connection: close") != NULL, "neither answered nor closed: %s", resp);
    assert_healthy();
}
END_TEST

START_TEST(slow_and_idle_clients_do_not_starve_others)
{
    server s = start_server("--timeout 1");
    ck_assert_int_gt(s.port, 0);
    /* 300 idle connections and a slowloris that never ends its headers */
    int idle[300];
    for (int i = 0; i < 300; i++)
        idle[i] = raw_connect(s.port);
    int slow = raw_connect(s.port);
    send_all(slow, "POST /v1/enrich HTTP/1.1\r\nHost: x\r\nX-Slow: ", 44);
    /* a slow body: headers complete, one byte and then silence */
    int slow_body = raw_connect(s.port);
    const char *head = "POST /v1/enrich HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\na";
    send_all(slow_body, head, strlen(head));
    /* others are answered meanwhile */
    for (int i = 0; i < 20; i++) {
        reply r = request_with(s.port, "POST", "/v1/enrich?include=article", "text/plain", "Hello there.", NULL);
        ck_assert_int_eq(r.status, 200);
        reply_free(&r);
    }
    /* after the timeout the slow ones are cut off */
    sleep(3);
    char got[256];
    ck_assert_int_le(recv(slow, got, sizeof got, 0), 0);
    ck_assert_int_le(recv(slow_body, got, sizeof got, 0), 0);
    close(slow);
    close(slow_body);
    for (int i = 0; i < 300; i++)
        close(idle[i]);
    reply r = request_with(s.port, "GET", "/healthz", NULL, NULL, NULL);
    ck_assert_int_eq(r.status, 200);
    reply_free(&r);
    ck_assert_int_eq(stop_server(s), 0);
}
END_TEST

/* Probes and scrapes keep their connection: an answer queued before the
 * request was read made libmicrohttpd close it after every GET. */
START_TEST(get_requests_keep_the_connection)
{
    CURL *h = curl_easy_init();
    long connects = 0;
    for (int i = 0; i < 200; i++) {
        reply r = request_on(h, srv.port, "GET", i % 2 ? "/healthz" : "/metrics", NULL, NULL, 0);
        ck_assert_int_eq(r.status, 200);
        long c = 0;
        curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &c);
        connects += c;
        reply_free(&r);
    }
    curl_easy_cleanup(h);
    ck_assert_int_eq(connects, 1);
}
END_TEST

/* ---- client mode ------------------------------------------------------------- */

START_TEST(client_mode_gives_the_local_answers_in_order)
{
    /* one instance that takes one request at a time: the client's eight
     * at once meet 503s and must retry them */
    server s = start_server("--max-in-flight 1");
    ck_assert_int_gt(s.port, 0);
    char in[] = "/tmp/enrich-client-in-XXXXXX";
    int fd = mkstemp(in);
    FILE *f = fdopen(fd, "w");
    json_t *text = json_stringn(article, sizeof article - 1);
    char *quoted = json_dumps(text, JSON_ENCODE_ANY);
    for (int i = 0; i < 120; i++) {
        fprintf(f, "{\"id\": %d, \"text\": %s, \"reference_date\": \"2024-03-05\"}\n", i, quoted);
        if (i % 40 == 0)
            fprintf(f, "\n");
    }
    fprintf(f, "{\"id\": \"bad\", \"text\": 5}\n");
    fclose(f);
    free(quoted);
    json_decref(text);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s --jsonl < %s > %s.local", cli_bin, in, in);
    int st = system(cmd);
    ck_assert_int_eq(WEXITSTATUS(st), 0);
    /* the one place is taken for the client's first half second: a request
     * whose body is still coming */
    int held = raw_connect(s.port);
    const char *head = "POST /v1/enrich HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n\r\nab";
    send_all(held, head, strlen(head));
    pid_t releaser = fork();
    if (releaser == 0) {
        usleep(500 * 1000);
        send_all(held, "cdef", 4);
        char resp[4096];
        recv_some(held, resp, sizeof resp);
        _exit(0);
    }
    snprintf(cmd, sizeof cmd, "%s --server http://127.0.0.1:%d --jsonl --parallel 8 --retries 100 < %s > %s.remote "
             "2>/dev/null", cli_bin, s.port, in, in);
    st = system(cmd);
    waitpid(releaser, NULL, 0);
    close(held);
    ck_assert_int_eq(WEXITSTATUS(st), 0);
    char a[64], b[64];
    snprintf(a, sizeof a, "%s.local", in);
    snprintf(b, sizeof b, "%s.remote", in);
    FILE *fa = fopen(a, "r"), *fb = fopen(b, "r");
    char la[65536], lb[65536];
    int lines = 0;
    while (fgets(la, sizeof la, fa)) {
        ck_assert_ptr_nonnull(fgets(lb, sizeof lb, fb));
        if (strstr(la, "\"error\"")) {
            /* the same record and error code; the wording is the server's */
            ck_assert_ptr_nonnull(strstr(lb, "{\"id\":\"bad\",\"error\":{\"code\":\"invalid_request\""));
        } else {
            ck_assert_str_eq(la, lb);
        }
        lines++;
    }
    ck_assert_ptr_null(fgets(lb, sizeof lb, fb));
    ck_assert_int_eq(lines, 121);
    fclose(fa);
    fclose(fb);
    reply r = request_with(s.port, "GET", "/metrics", NULL, NULL, NULL);
    ck_assert_msg(strstr(r.body.data, "enrich_http_overload_rejections_total 0\n") == NULL,
                  "no 503 was met: the retry path went untested");
    reply_free(&r);
    ck_assert_int_eq(stop_server(s), 0);
    /* a server that is not there: every line an error, exit 3 */
    snprintf(cmd, sizeof cmd, "%s --server http://127.0.0.1:1 --jsonl --retries 1 < %s > %s.remote 2>/dev/null",
             cli_bin, in, in);
    st = system(cmd);
    ck_assert_int_eq(WEXITSTATUS(st), 3);
    unlink(in);
    unlink(a);
    unlink(b);
}
END_TEST

int main(void)
{
    enrichd_bin = getenv("ENRICHD") ? getenv("ENRICHD") : "build/enrichd";
    cli_bin = getenv("ENRICH_CLI") ? getenv("ENRICH_CLI") : "build/enrich";
    curl_global_init(CURL_GLOBAL_ALL);
    signal(SIGPIPE, SIG_IGN);
    srv = start_server("");
    if (srv.port <= 0) {
        fprintf(stderr, "cannot start %s\n", enrichd_bin);
        return 1;
    }
    Suite *s = suite_create("enrichd");
    TCase *tc = tcase_create("http");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, health_ready_and_openapi);
    tcase_add_test(tc, enrich_text_plain);
    tcase_add_test(tc, enrich_json_with_id_and_options);
    tcase_add_test(tc, server_and_cli_answer_the_same_bytes);
    tcase_add_test(tc, errors_are_problems);
    tcase_add_test(tc, huge_body_refused_from_content_length);
    tcase_add_test(tc, chunked_body_cut_off_at_the_limit);
    tcase_add_test(tc, keep_alive_thousand_requests);
    tcase_add_test(tc, eight_concurrent_clients);
    tcase_add_test(tc, sigterm_drains_in_flight_requests);
    tcase_add_test(tc, sigterm_answers_every_accepted_upload);
    tcase_add_test(tc, drain_delay_keeps_serving_while_not_ready);
    tcase_add_test(tc, sighup_reloads_the_dictionary_without_dropping_requests);
    tcase_add_test(tc, bad_configuration_is_a_usage_error);
    tcase_add_test(tc, batch_answers_each_line_in_order);
    tcase_add_test(tc, batch_over_budget_answers_the_rest_with_errors);
    tcase_add_test(tc, metrics_in_prometheus_text);
    tcase_add_test(tc, request_ids_are_echoed_or_made);
    tcase_add_test(tc, access_log_and_forwarded_for);
    tcase_add_test(tc, bearer_token_guards_all_but_the_probes);
    tcase_add_test(tc, overload_is_503_with_retry_after);
    tcase_add_test(tc, bad_input_matrix);
    tcase_add_test(tc, framing_per_rfc9112);
    tcase_add_test(tc, huge_and_many_headers);
    tcase_add_test(tc, pipelined_requests_answer_the_first_and_close);
    tcase_add_test(tc, slow_and_idle_clients_do_not_starve_others);
    tcase_add_test(tc, client_mode_gives_the_local_answers_in_order);
    tcase_add_test(tc, get_requests_keep_the_connection);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    int rc = stop_server(srv);
    if (rc != 0) {
        fprintf(stderr, "enrichd exited with %d after SIGTERM\n", rc);
        failed++;
    }
    curl_global_cleanup();
    return failed == 0 ? 0 : 1;
}
