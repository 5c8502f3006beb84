/*
 * client.c - 'enrich --server URL': the same answers from a running enrichd
 * (or a load balancer in front of many). JSON Lines go out N at a time over
 * libcurl's multi interface and come back in input order; 503s and broken
 * connections are retried with backoff.
 */
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define BACKOFF_FIRST_MS 100
#define BACKOFF_MAX_MS 5000

typedef struct growbuf {
    char *data;
    size_t len;
} growbuf;

static size_t on_data(char *p, size_t size, size_t n, void *ud)
{
    growbuf *b = ud;
    char *d = realloc(b->data, b->len + size * n + 1);
    if (!d)
        return 0;
    memcpy(d + b->len, p, size * n);
    b->data = d;
    b->len += size * n;
    b->data[b->len] = '\0';
    return size * n;
}

static void sleep_ms(unsigned ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* The URL of route with the options as a query string. */
static void make_url(const cli_options *c, const char *route, char *out, size_t cap)
{
    size_t base = strlen(c->server);
    while (base > 0 && c->server[base - 1] == '/')
        base--;
    int n = snprintf(out, cap, "%.*s%s?", (int)base, c->server, route);
    if (c->reference_date_arg)
        n += snprintf(out + n, cap - (size_t)n, "reference_date=%s&", c->reference_date_arg);
    if (c->offsets_arg)
        n += snprintf(out + n, cap - (size_t)n, "offsets=%s&", c->offsets_arg);
    if (c->include_arg)
        n += snprintf(out + n, cap - (size_t)n, "include=%s&", c->include_arg);
    if (c->pretty && !c->jsonl)
        n += snprintf(out + n, cap - (size_t)n, "pretty=1&");
    out[n - 1] = '\0'; /* the last ? or & */
}

static struct curl_slist *headers_for(const char *ctype)
{
    char h[1200];
    snprintf(h, sizeof h, "Content-Type: %s", ctype);
    struct curl_slist *l = curl_slist_append(NULL, h);
    const char *token = getenv("ENRICH_API_TOKEN");
    if (token && *token) {
        snprintf(h, sizeof h, "Authorization: Bearer %s", token);
        l = curl_slist_append(l, h);
    }
    return l;
}

/* {"id": id-of-the-line, "error": {"code", "message"[, "position"]}} from a
 * problem answer (or a transport failure, problem NULL). */
static char *error_line(const char *line, size_t len, size_t lineno, long status, const char *problem,
                        const char *fallback)
{
    json_t *in = json_loadb(line, len, 0, NULL);
    json_t *id = json_is_object(in) ? json_object_get(in, "id") : NULL;
    if (id && !json_is_string(id) && !json_is_integer(id))
        id = NULL;
    json_t *p = problem ? json_loads(problem, 0, NULL) : NULL;
    const char *type = json_string_value(json_object_get(p, "type"));
    const char *detail = json_string_value(json_object_get(p, "detail"));
    char code[64];
    if (type && strncmp(type, "urn:enrich:problem:", 19) == 0) {
        snprintf(code, sizeof code, "%s", type + 19);
        for (char *q = code; *q; q++)
            if (*q == '-')
                *q = '_';
    } else {
        snprintf(code, sizeof code, status > 0 ? "http_%ld" : "unavailable", status);
    }
    char msg[600];
    snprintf(msg, sizeof msg, "line %zu: %s", lineno, detail ? detail : fallback);
    json_t *e = json_pack("{s:s, s:s}", "code", code, "message", msg);
    json_t *pos = json_object_get(p, "position");
    if (e && json_is_integer(pos))
        json_object_set(e, "position", pos);
    json_t *out = json_pack("{s:O, s:o}", "id", id ? id : json_null(), "error", e);
    char *s = out ? json_dumps(out, JSON_COMPACT) : NULL;
    json_decref(out);
    json_decref(p);
    json_decref(in);
    return s;
}

/* ---- one article ---------------------------------------------------------- */

static int client_one(const cli_options *c, const char *text, size_t len)
{
    char url[2048];
    make_url(c, "/v1/enrich", url, sizeof url);
    CURL *h = curl_easy_init();
    if (!h)
        return EXIT_IO;
    growbuf body = {0};
    struct curl_slist *hdrs = headers_for("text/plain; charset=utf-8");
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, text);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    int rc = EXIT_IO;
    for (unsigned attempt = 0;; attempt++) {
        free(body.data);
        body = (growbuf){0};
        CURLcode cc = curl_easy_perform(h);
        long status = 0;
        if (cc == CURLE_OK)
            curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        if ((cc != CURLE_OK || status == 503) && attempt < c->retries) {
            unsigned ms = BACKOFF_FIRST_MS << (attempt < 6 ? attempt : 6);
            sleep_ms(ms > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : ms);
            continue;
        }
        if (cc != CURLE_OK) {
            fprintf(stderr, "enrich: %s: %s\n", c->server, curl_easy_strerror(cc));
        } else if (status == 200) {
            rc = fwrite(body.data, 1, body.len, stdout) == body.len && fflush(stdout) == 0 ? EXIT_OK : EXIT_IO;
        } else {
            json_t *p = json_loads(body.data ? body.data : "", 0, NULL);
            const char *detail = json_string_value(json_object_get(p, "detail"));
            fprintf(stderr, "enrich: %s answered %ld: %s\n", c->server, status, detail ? detail : "(no detail)");
            json_decref(p);
            rc = status >= 400 && status < 500 && status != 401 ? EXIT_INPUT : EXIT_IO;
        }
        break;
    }
    free(body.data);
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(h);
    return rc;
}

/* ---- JSON Lines, N at a time --------------------------------------------- */

typedef struct slot {
    size_t seq;          /* input order */
    size_t lineno;       /* its line in the input, blank lines counted */
    char *line;          /* the record as read */
    size_t len;
    CURL *h;             /* while a transfer runs */
    growbuf body;
    unsigned attempts;
    double retry_at;     /* > 0: waiting to be sent again */
    char *answer;        /* done: the output line */
} slot;

typedef struct client {
    const cli_options *c;
    CURLM *m;
    struct curl_slist *hdrs;
    char url[2048];
    slot *slots;
    size_t cap;          /* slots: records read and not yet printed, at most */
    size_t next_seq;     /* the next record to read */
    size_t lineno;       /* lines read */
    size_t print_seq;    /* the next record to print */
    size_t running;
    size_t done, retried, failed;
    int eof, io_error;
} client;

static slot *slot_of(client *cl, size_t seq)
{
    return &cl->slots[seq % cl->cap];
}

static int start(client *cl, slot *s)
{
    CURL *h = curl_easy_init();
    if (!h)
        return -1;
    free(s->body.data);
    s->body = (growbuf){0};
    s->retry_at = 0;
    curl_easy_setopt(h, CURLOPT_URL, cl->url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, cl->hdrs);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, s->line);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)s->len);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &s->body);
    curl_easy_setopt(h, CURLOPT_PRIVATE, s);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 300L);
    s->h = h;
    s->attempts++;
    cl->running++;
    return curl_multi_add_handle(cl->m, h) == CURLM_OK ? 0 : -1;
}

/* Reads records into free slots (blank lines skipped) and starts them. */
static void fill(client *cl)
{
    static char *buf;
    static size_t bufcap;
    while (!cl->eof && cl->running < cl->c->parallel && cl->next_seq - cl->print_seq < cl->cap) {
        ssize_t n = getline(&buf, &bufcap, stdin);
        if (n < 0) {
            cl->eof = 1;
            if (ferror(stdin)) {
                fprintf(stderr, "enrich: cannot read standard input: %s\n", strerror(errno));
                cl->io_error = 1;
            }
            free(buf);
            buf = NULL;
            break;
        }
        size_t len = (size_t)n;
        cl->lineno++;
        while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
            len--;
        if (len == 0)
            continue;
        slot *s = slot_of(cl, cl->next_seq);
        memset(s, 0, sizeof *s);
        s->lineno = cl->lineno;
        s->seq = cl->next_seq++;
        s->line = malloc(len + 1);
        if (!s->line) {
            cl->io_error = 1;
            cl->eof = 1;
            break;
        }
        memcpy(s->line, buf, len);
        s->line[len] = '\0';
        s->len = len;
        if (start(cl, s)) {
            cl->io_error = 1;
            cl->eof = 1;
        }
    }
}

/* A transfer ended: keep the answer, or retry later. */
static void finished(client *cl, CURLMsg *msg)
{
    slot *s = NULL;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&s);
    long status = 0;
    CURLcode cc = msg->data.result;
    if (cc == CURLE_OK)
        curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &status);
    curl_off_t retry_after = -1;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_RETRY_AFTER, &retry_after);
    curl_multi_remove_handle(cl->m, msg->easy_handle);
    curl_easy_cleanup(msg->easy_handle);
    s->h = NULL;
    cl->running--;
    if ((cc != CURLE_OK || status == 503) && s->attempts <= cl->c->retries) {
        double ms = (double)(BACKOFF_FIRST_MS << (s->attempts < 7 ? s->attempts - 1 : 6));
        if (retry_after > 0)
            ms = (double)retry_after * 1000.0;
        s->retry_at = now_ms() + (ms > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : ms);
        cl->retried++;
        return;
    }
    if (cc == CURLE_OK && status == 200) {
        size_t n = s->body.len;
        while (n > 0 && s->body.data[n - 1] == '\n')
            n--;
        s->answer = malloc(n + 1);
        if (s->answer) {
            memcpy(s->answer, s->body.data, n);
            s->answer[n] = '\0';
        }
    } else {
        char why[256];
        snprintf(why, sizeof why, "line not answered: %s",
                 cc != CURLE_OK ? curl_easy_strerror(cc) : "the server gave no problem detail");
        s->answer = error_line(s->line, s->len, s->lineno, cc == CURLE_OK ? status : 0, s->body.data, why);
        if (cc != CURLE_OK || status == 503)
            cl->failed++;
    }
    if (!s->answer)
        cl->io_error = 1;
    cl->done++;
}

/* Prints the answers that are next in order. */
static void drain(client *cl)
{
    while (cl->print_seq < cl->next_seq) {
        slot *s = slot_of(cl, cl->print_seq);
        if (!s->answer)
            break;
        if (fputs(s->answer, stdout) == EOF || fputc('\n', stdout) == EOF)
            cl->io_error = 1;
        free(s->answer);
        free(s->line);
        free(s->body.data);
        memset(s, 0, sizeof *s);
        cl->print_seq++;
    }
}

static int client_jsonl(const cli_options *c)
{
    client cl;
    memset(&cl, 0, sizeof cl);
    cl.c = c;
    cl.cap = (size_t)c->parallel * 4;
    cl.slots = calloc(cl.cap, sizeof *cl.slots);
    cl.m = curl_multi_init();
    cl.hdrs = headers_for("application/json");
    if (!cl.slots || !cl.m)
        return EXIT_IO;
    make_url(c, "/v1/enrich", cl.url, sizeof cl.url);
    int progress = isatty(STDERR_FILENO);
    double last = 0;
    for (;;) {
        fill(&cl);
        /* retries whose time has come */
        double t = now_ms(), next_due = 0;
        for (size_t q = cl.print_seq; q < cl.next_seq; q++) {
            slot *s = slot_of(&cl, q);
            if (s->retry_at > 0 && !s->h && !s->answer) {
                if (s->retry_at <= t) {
                    if (start(&cl, s))
                        cl.io_error = 1;
                } else if (next_due == 0 || s->retry_at < next_due) {
                    next_due = s->retry_at;
                }
            }
        }
        if (cl.running == 0 && next_due == 0 && cl.eof)
            break;
        int still = 0;
        curl_multi_perform(cl.m, &still);
        CURLMsg *msg;
        int left;
        while ((msg = curl_multi_info_read(cl.m, &left)))
            if (msg->msg == CURLMSG_DONE)
                finished(&cl, msg);
        drain(&cl);
        if (cl.io_error)
            break;
        int wait = next_due > 0 ? (int)(next_due - now_ms()) + 1 : 200;
        if (cl.running > 0)
            curl_multi_poll(cl.m, NULL, 0, wait > 0 ? wait : 1, NULL);
        else if (next_due > 0 && wait > 0)
            sleep_ms((unsigned)wait);
        if (progress && now_ms() - last > 200) {
            last = now_ms();
            fprintf(stderr, "\renrich: %zu sent, %zu answered, %zu retried, %zu in flight ", cl.next_seq, cl.done,
                    cl.retried, cl.running);
        }
    }
    drain(&cl);
    if (progress)
        fprintf(stderr, "\renrich: %zu answered, %zu retried, %zu unanswered      \n", cl.done, cl.retried, cl.failed);
    for (size_t q = 0; q < cl.cap; q++) {
        slot *s = &cl.slots[q];
        if (s->h) {
            curl_multi_remove_handle(cl.m, s->h);
            curl_easy_cleanup(s->h);
        }
        free(s->line);
        free(s->answer);
        free(s->body.data);
    }
    free(cl.slots);
    curl_slist_free_all(cl.hdrs);
    curl_multi_cleanup(cl.m);
    if (fflush(stdout) != 0)
        cl.io_error = 1;
    return cl.io_error || cl.failed ? EXIT_IO : EXIT_OK;
}

int run_client(const cli_options *c, const char *text, size_t len)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int rc = c->jsonl ? client_jsonl(c) : client_one(c, text, len);
    curl_global_cleanup();
    return rc;
}
