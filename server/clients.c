/*
 * clients.c - who is asking: trusted proxies and X-Forwarded-For, the
 * request id, the bearer token.
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

static int parse_range(const char *s, net_range *r)
{
    char buf[64];
    size_t n = strlen(s);
    if (n == 0 || n >= sizeof buf)
        return -1;
    memcpy(buf, s, n + 1);
    char *slash = strchr(buf, '/');
    long bits = -1;
    if (slash) {
        *slash = '\0';
        char *end;
        bits = strtol(slash + 1, &end, 10);
        if (*end || end == slash + 1)
            return -1;
    }
    memset(r, 0, sizeof *r);
    if (inet_pton(AF_INET, buf, r->addr) == 1) {
        r->family = AF_INET;
        if (bits < 0)
            bits = 32;
        if (bits > 32)
            return -1;
    } else if (inet_pton(AF_INET6, buf, r->addr) == 1) {
        r->family = AF_INET6;
        if (bits < 0)
            bits = 128;
        if (bits > 128)
            return -1;
    } else {
        return -1;
    }
    r->bits = (unsigned)bits;
    return 0;
}

int server_parse_proxies(server_config *cfg, const char *list, char *err, size_t errlen)
{
    cfg->n_trusted = 0;
    const char *p = list;
    while (p && *p) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        char item[64];
        while (n > 0 && (*p == ' '))
            p++, n--;
        while (n > 0 && p[n - 1] == ' ')
            n--;
        if (n > 0) {
            if (n >= sizeof item || cfg->n_trusted == MAX_TRUSTED_PROXIES) {
                snprintf(err, errlen, "too many or too long entries in the proxy list");
                return -1;
            }
            memcpy(item, p, n);
            item[n] = '\0';
            if (parse_range(item, &cfg->trusted[cfg->n_trusted]) != 0) {
                snprintf(err, errlen, "'%s' is not an address or a CIDR range", item);
                return -1;
            }
            cfg->n_trusted++;
        }
        p = comma ? comma + 1 : NULL;
    }
    return 0;
}

/* Is the address text a trusted proxy? */
static int trusted(const server_config *cfg, const char *addr)
{
    unsigned char a[16];
    int family = inet_pton(AF_INET, addr, a) == 1 ? AF_INET : inet_pton(AF_INET6, addr, a) == 1 ? AF_INET6 : 0;
    for (unsigned i = 0; family && i < cfg->n_trusted; i++) {
        const net_range *r = &cfg->trusted[i];
        if (r->family != family)
            continue;
        unsigned full = r->bits / 8, rest = r->bits % 8;
        if (memcmp(a, r->addr, full) != 0)
            continue;
        if (rest && ((a[full] ^ r->addr[full]) & (0xFF << (8 - rest))))
            continue;
        return 1;
    }
    return 0;
}

/* The client: the peer, or, when the peer is a trusted proxy, the last
 * address in X-Forwarded-For that is not one. */
void client_address(struct MHD_Connection *conn, const server_config *cfg, char *out, size_t cap)
{
    snprintf(out, cap, "-");
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)cap);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)cap);
    if (cfg->n_trusted == 0 || !trusted(cfg, out))
        return;
    const char *xff = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For");
    if (!xff)
        return;
    /* right to left: the nearest hop first */
    size_t end = strlen(xff);
    while (end > 0) {
        size_t start = end;
        while (start > 0 && xff[start - 1] != ',')
            start--;
        size_t a = start, b = end;
        while (a < b && xff[a] == ' ')
            a++;
        while (b > a && xff[b - 1] == ' ')
            b--;
        char hop[INET6_ADDRSTRLEN];
        unsigned char bin[16];
        if (b - a > 0 && b - a < sizeof hop) {
            memcpy(hop, xff + a, b - a);
            hop[b - a] = '\0';
            if (inet_pton(AF_INET, hop, bin) != 1 && inet_pton(AF_INET6, hop, bin) != 1)
                return; /* not an address: trust nothing further */
            snprintf(out, cap, "%s", hop);
            if (!trusted(cfg, hop))
                return;
        }
        end = start > 0 ? start - 1 : 0;
    }
}

/* The request's id: the caller's X-Request-Id when it is sane, else a new one. */
void request_id(struct MHD_Connection *conn, char *out)
{
    const char *in = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Request-Id");
    if (in) {
        size_t n = strlen(in);
        int ok = n > 0 && n <= REQUEST_ID_MAX;
        for (size_t i = 0; ok && i < n; i++)
            ok = (in[i] >= '0' && in[i] <= '9') || (in[i] >= 'a' && in[i] <= 'z') || (in[i] >= 'A' && in[i] <= 'Z') ||
                 strchr("-_.:/+=", in[i]) != NULL;
        if (ok) {
            memcpy(out, in, n + 1);
            return;
        }
    }
    /* the process's start and pid, then a counter: unique per process,
     * and across replicas in practice */
    static atomic_ulong counter, base;
    unsigned long b = atomic_load(&base);
    if (!b) {
        unsigned long mine = (((unsigned long)time(NULL) << 20) ^ ((unsigned long)getpid() << 8)) | 1;
        unsigned long expected = 0;
        b = atomic_compare_exchange_strong(&base, &expected, mine) ? mine : expected;
    }
    unsigned long n = atomic_fetch_add(&counter, 1) + 1;
    snprintf(out, REQUEST_ID_MAX + 1, "%08lx%08lx", b & 0xFFFFFFFFUL, n & 0xFFFFFFFFUL);
}

/* Constant-time comparison of the bearer token with the configured one. */
int token_ok(const char *header, const char *token)
{
    if (!header || strncasecmp(header, "Bearer ", 7) != 0)
        return 0;
    const char *given = header + 7;
    size_t a = strlen(given), b = strlen(token);
    volatile unsigned char diff = (unsigned char)(a != b);
    for (size_t i = 0; i < b; i++)
        diff |= (unsigned char)(token[i] ^ given[a ? i % a : 0]);
    return diff == 0;
}
