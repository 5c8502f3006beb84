/*
 * accesslog.c - one JSON line a request on standard output.
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

/* A JSON string of s (bytes over 0x7E escaped, so the line is always JSON). */
static void json_escaped(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20 || *p > 0x7E)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

void access_log(const request *rq, double seconds, size_t bytes_in, size_t bytes_out)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char when[40];
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
    flockfile(stdout);
    fprintf(stdout, "{\"time\":\"%s.%03ldZ\",\"method\":", when, ts.tv_nsec / 1000000);
    json_escaped(stdout, rq->method);
    fputs(",\"path\":", stdout);
    json_escaped(stdout, rq->path);
    fprintf(stdout, ",\"status\":%u,\"bytes_in\":%zu,\"bytes_out\":%zu,\"duration_ms\":%.3f,\"request_id\":", rq->status,
            bytes_in, bytes_out, seconds * 1000.0);
    json_escaped(stdout, rq->request_id);
    fputs(",\"client\":", stdout);
    json_escaped(stdout, rq->client);
    fputs("}\n", stdout);
    funlockfile(stdout);
}
