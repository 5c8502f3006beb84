/*
 * cluster_train.c - word classes learned from unlabelled text, for the
 * entity tagger's class features (issue 15). The exchange algorithm
 * (Kneser and Ney 1993; Martin, Liermann and Ney 1998): every word of the
 * vocabulary sits in one of K classes and moves, one word at a time, to
 * the class that most raises the likelihood of the text under a class
 * bigram model,
 *
 *     sum over class pairs N(a,b) log N(a,b)  -  2 sum over classes N(c) log N(c),
 *
 * until a pass moves no word or the passes run out. Words are the
 * tokenizer's, folded to lower case as the tagger's word blocks key them;
 * rarer words and sentence boundaries sit in two fixed classes of their
 * own. Deterministic: the same texts and settings give the same table.
 */
#include "enrich.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "fold.h"
#include "hashtab.h"

typedef struct word {
    uint64_t key;    /* fold_lower_hash */
    uint32_t off;    /* the folded bytes in the string pool */
    uint32_t len;
    uint64_t count;
} word;

typedef struct corpus {
    word *words;         /* distinct words, in the order first seen */
    uint32_t n_words, cap_words;
    uint32_t *slot_word; /* open addressing by key: index + 1, 0 empty */
    uint32_t n_slots;
    char *pool;
    size_t pool_len, pool_cap;
    uint32_t *seq;       /* word indexes, BOUNDARY between sentences */
    size_t n_seq, cap_seq;
} corpus;

#define BOUNDARY UINT32_MAX

static int fail(enrich_error *err, int code, const char *msg)
{
    if (err) {
        err->code = code;
        err->position = (size_t)-1;
        snprintf(err->message, sizeof err->message, "%s", msg);
    }
    return code;
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 1024;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * size);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

static int rehash(corpus *c)
{
    uint32_t n = c->n_slots ? c->n_slots * 2 : 1u << 14;
    uint32_t *s = calloc(n, sizeof *s);
    if (!s)
        return -1;
    for (uint32_t w = 0; w < c->n_words; w++) {
        uint32_t i = hashtab_first(c->words[w].key, n);
        while (s[i])
            i = hashtab_next(i, n);
        s[i] = w + 1;
    }
    free(c->slot_word);
    c->slot_word = s;
    c->n_slots = n;
    return 0;
}

/* The index of the word of bytes b[0, n), added when new; -1 out of memory. */
static long intern(corpus *c, const unsigned char *b, size_t n)
{
    uint64_t key = fold_hash_bytes(b, n);
    if ((c->n_words + 1) * 2 > c->n_slots && rehash(c))
        return -1;
    uint32_t i = hashtab_first(key, c->n_slots);
    while (c->slot_word[i]) {
        word *w = &c->words[c->slot_word[i] - 1];
        if (w->key == key && w->len == n && memcmp(c->pool + w->off, b, n) == 0)
            return c->slot_word[i] - 1;
        i = hashtab_next(i, c->n_slots);
    }
    size_t cw = c->cap_words;
    if (grow((void **)&c->words, &cw, c->n_words + 1, sizeof *c->words) ||
        grow((void **)&c->pool, &c->pool_cap, c->pool_len + n, 1))
        return -1;
    c->cap_words = (uint32_t)cw;
    memcpy(c->pool + c->pool_len, b, n);
    c->words[c->n_words] = (word){key, (uint32_t)c->pool_len, (uint32_t)n, 0};
    c->pool_len += n;
    c->slot_word[i] = ++c->n_words;
    return c->n_words - 1;
}

static int push(corpus *c, uint32_t w)
{
    if (grow((void **)&c->seq, &c->cap_seq, c->n_seq + 1, sizeof *c->seq))
        return -1;
    c->seq[c->n_seq++] = w;
    return 0;
}

/* Reads one text's sentences into the sequence. */
static int read_text(corpus *c, const enrich_doc *doc)
{
    unsigned char buf[FOLD_MAX];
    for (uint32_t s = 0; s < doc->sentences.n; s++) {
        const sentence *se = &doc->sentences.v[s];
        if (push(c, BOUNDARY))
            return -1;
        for (uint32_t i = se->first; i < se->first + se->count; i++) {
            size_t n = fold_lower_bytes(doc->text, doc->tokens.v[i].s, buf);
            if (n == 0 || memchr(buf, 0, n) || memchr(buf, '\t', n) || memchr(buf, '\n', n))
                continue;
            long w = intern(c, buf, n);
            if (w < 0 || push(c, (uint32_t)w))
                return -1;
            c->words[w].count++;
        }
    }
    return 0;
}

/* ---- the exchange algorithm ------------------------------------------------- */

/* A word's neighbours: (neighbour, count) runs, right ones then left ones. */
typedef struct adj {
    uint32_t *first; /* per word: start of its right run; first[V] the end */
    uint32_t *lfirst;
    uint32_t *nb, *lnb;
    uint32_t *cnt, *lcnt;
} adj;

typedef struct pair {
    uint32_t a, b;
} pair;

static int cmp_pair(const void *x, const void *y)
{
    const pair *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    return (p->b > q->b) - (p->b < q->b);
}

/* Builds one direction's runs from the pairs (sorted by a). */
static int runs_of(pair *p, size_t n, uint32_t nodes, uint32_t **first, uint32_t **nb, uint32_t **cnt)
{
    qsort(p, n, sizeof *p, cmp_pair);
    *first = calloc((size_t)nodes + 1, sizeof **first);
    *nb = malloc((n ? n : 1) * sizeof **nb);
    *cnt = malloc((n ? n : 1) * sizeof **cnt);
    if (!*first || !*nb || !*cnt)
        return -1;
    size_t u = 0;
    for (size_t i = 0; i < n; i++) {
        if (u > 0 && p[i].a == p[u - 1].a && p[i].b == p[u - 1].b) {
            (*cnt)[u - 1]++;
            continue;
        }
        p[u] = p[i];
        (*nb)[u] = p[i].b;
        (*cnt)[u] = 1;
        (*first)[p[i].a + 1] = (uint32_t)(u + 1);
        u++;
    }
    for (uint32_t w = 1; w <= nodes; w++)
        if ((*first)[w] < (*first)[w - 1])
            (*first)[w] = (*first)[w - 1];
    return 0;
}

static double xlogx(double x)
{
    return x > 0 ? x * log(x) : 0;
}

/* Classes of the v clusterable words (0..v-1) into k classes; words v
 * (rare) and v + 1 (boundary) hold classes k and k + 1. */
static int exchange(const adj *g, const uint64_t *count, uint32_t v, uint32_t k, unsigned iterations,
                    uint16_t *cls_out)
{
    uint32_t kk = k + 2, nodes = v + 2;
    uint32_t *cls = malloc((size_t)nodes * sizeof *cls);
    double *n2 = calloc((size_t)kk * kk, sizeof *n2), *n1 = calloc(kk, sizeof *n1);
    double *r = calloc(kk, sizeof *r), *l = calloc(kk, sizeof *l);
    uint32_t *rc = malloc(kk * sizeof *rc), *lc = malloc(kk * sizeof *lc);
    int rc_ok = cls && n2 && n1 && r && l && rc && lc ? 0 : -1;
    if (rc_ok == 0) {
        for (uint32_t w = 0; w < v; w++)
            cls[w] = w % k;
        cls[v] = k;
        cls[v + 1] = k + 1;
        for (uint32_t w = 0; w < nodes; w++) {
            n1[cls[w]] += (double)count[w];
            for (uint32_t e = g->first[w]; e < g->first[w + 1]; e++)
                n2[(size_t)cls[w] * kk + cls[g->nb[e]]] += g->cnt[e];
        }
        for (unsigned it = 0; it < iterations; it++) {
            uint32_t moved = 0;
            for (uint32_t w = 0; w < v; w++) {
                uint32_t a = cls[w], nr = 0, nl = 0;
                double self = 0;
                for (uint32_t e = g->first[w]; e < g->first[w + 1]; e++) {
                    if (g->nb[e] == w) {
                        self += g->cnt[e];
                        continue;
                    }
                    uint32_t c = cls[g->nb[e]];
                    if (r[c] == 0)
                        rc[nr++] = c;
                    r[c] += g->cnt[e];
                }
                for (uint32_t e = g->lfirst[w]; e < g->lfirst[w + 1]; e++) {
                    if (g->lnb[e] == w)
                        continue;
                    uint32_t c = cls[g->lnb[e]];
                    if (l[c] == 0)
                        lc[nl++] = c;
                    l[c] += g->lcnt[e];
                }
                double cw = (double)count[w];
                /* take w out of a */
                for (uint32_t i = 0; i < nr; i++)
                    n2[(size_t)a * kk + rc[i]] -= r[rc[i]];
                for (uint32_t i = 0; i < nl; i++)
                    n2[(size_t)lc[i] * kk + a] -= l[lc[i]];
                n2[(size_t)a * kk + a] -= self;
                n1[a] -= cw;
                /* the class it adds most to */
                uint32_t best = a;
                double best_gain = -INFINITY;
                for (uint32_t b = 0; b < k; b++) {
                    double gain = 0;
                    for (uint32_t i = 0; i < nr; i++)
                        if (rc[i] != b) {
                            double x = n2[(size_t)b * kk + rc[i]];
                            gain += xlogx(x + r[rc[i]]) - xlogx(x);
                        }
                    for (uint32_t i = 0; i < nl; i++)
                        if (lc[i] != b) {
                            double x = n2[(size_t)lc[i] * kk + b];
                            gain += xlogx(x + l[lc[i]]) - xlogx(x);
                        }
                    double bb = n2[(size_t)b * kk + b];
                    gain += xlogx(bb + r[b] + l[b] + self) - xlogx(bb);
                    gain -= 2 * (xlogx(n1[b] + cw) - xlogx(n1[b]));
                    if (gain > best_gain + 1e-9 || (b == a && gain >= best_gain - 1e-9)) {
                        best_gain = gain;
                        best = b;
                    }
                }
                /* put it there */
                for (uint32_t i = 0; i < nr; i++)
                    n2[(size_t)best * kk + rc[i]] += r[rc[i]];
                for (uint32_t i = 0; i < nl; i++)
                    n2[(size_t)lc[i] * kk + best] += l[lc[i]];
                n2[(size_t)best * kk + best] += self;
                n1[best] += cw;
                moved += best != a;
                cls[w] = best;
                for (uint32_t i = 0; i < nr; i++)
                    r[rc[i]] = 0;
                for (uint32_t i = 0; i < nl; i++)
                    l[lc[i]] = 0;
            }
            if (moved == 0)
                break;
        }
        /* Classes numbered by their most frequent word. */
        uint32_t *renum = malloc(kk * sizeof *renum);
        if (!renum) {
            rc_ok = -1;
        } else {
            for (uint32_t c = 0; c < kk; c++)
                renum[c] = UINT32_MAX;
            uint32_t next = 0;
            for (uint32_t w = 0; w < v; w++) {
                if (renum[cls[w]] == UINT32_MAX)
                    renum[cls[w]] = next++;
                cls_out[w] = (uint16_t)renum[cls[w]];
            }
            free(renum);
        }
    }
    free(cls);
    free(n2);
    free(n1);
    free(r);
    free(l);
    free(rc);
    free(lc);
    return rc_ok;
}

/* A word of the vocabulary in its rank: its bytes (in the pool, which no
 * longer moves), its count and its first-seen index. */
typedef struct ranked {
    const char *s;
    uint32_t len, first;
    uint64_t count;
} ranked;

/* Most frequent first; then by bytes, so the order is the same every run. */
static int cmp_ranked(const void *x, const void *y)
{
    const ranked *a = x, *b = y;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    uint32_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->s, b->s, n);
    return c ? c : (a->len > b->len) - (a->len < b->len);
}

int enrich_cluster_train(const enrich_engine *engine, const char *const *texts, const size_t *lens, size_t n,
                         const enrich_cluster_options *opts, char **table, size_t *table_len, enrich_error *err)
{
    if (!engine || !texts || !lens || !table || !table_len || !opts || !opts->classes[0] || !opts->classes[1] ||
        opts->classes[0] > 4096 || opts->classes[1] > 4096)
        return fail(err, ENRICH_ERR_ARG, "enrich_cluster_train: no engine, texts or classes (1 to 4096)");
    corpus c;
    memset(&c, 0, sizeof c);
    int rc = ENRICH_OK;
    enrich_options eo;
    enrich_options_init(&eo);
    eo.include = ENRICH_PART_ENTITIES; /* the tokens, which entities read */
    for (size_t i = 0; i < n && rc == ENRICH_OK; i++) {
        enrich_error e;
        enrich_doc *doc = enrich_annotate(engine, texts[i], lens[i], &eo, &e);
        if (!doc)
            continue; /* a text the library rejects teaches nothing */
        if (read_text(&c, doc))
            rc = fail(err, ENRICH_ERR_NOMEM, "out of memory");
        enrich_doc_free(doc);
    }
    /* The vocabulary: words seen min_count times or more, most frequent
     * first; index maps a first-seen index to its rank (v: rare). */
    ranked *rank = rc == ENRICH_OK ? malloc((c.n_words ? c.n_words : 1) * sizeof *rank) : NULL;
    uint32_t *index = rc == ENRICH_OK ? malloc((c.n_words ? c.n_words : 1) * sizeof *index) : NULL;
    if (rc == ENRICH_OK && (!rank || !index))
        rc = fail(err, ENRICH_ERR_NOMEM, "out of memory");
    uint32_t v = 0;
    pair *pr = NULL, *pl = NULL;
    uint64_t *count = NULL;
    uint16_t *cls[2] = {NULL, NULL};
    adj g;
    memset(&g, 0, sizeof g);
    if (rc == ENRICH_OK) {
        for (uint32_t w = 0; w < c.n_words; w++)
            rank[w] = (ranked){c.pool + c.words[w].off, c.words[w].len, w, c.words[w].count};
        qsort(rank, c.n_words, sizeof *rank, cmp_ranked);
        while (v < c.n_words && rank[v].count >= (opts->min_count ? opts->min_count : 1))
            v++;
        for (uint32_t w = 0; w < c.n_words; w++)
            index[rank[w].first] = w < v ? w : v;
    }
    size_t np = 0;
    if (rc == ENRICH_OK) {
        count = calloc((size_t)v + 2, sizeof *count);
        pr = malloc((c.n_seq ? c.n_seq : 1) * sizeof *pr);
        pl = malloc((c.n_seq ? c.n_seq : 1) * sizeof *pl);
        cls[0] = malloc(((size_t)v + 1) * sizeof *cls[0]);
        cls[1] = malloc(((size_t)v + 1) * sizeof *cls[1]);
        if (!count || !pr || !pl || !cls[0] || !cls[1])
            rc = fail(err, ENRICH_ERR_NOMEM, "out of memory");
    }
    if (rc == ENRICH_OK) {
        for (size_t i = 0; i < c.n_seq; i++) {
            uint32_t a = c.seq[i] == BOUNDARY ? v + 1 : index[c.seq[i]];
            count[a]++;
            if (i + 1 < c.n_seq) {
                uint32_t b = c.seq[i + 1] == BOUNDARY ? v + 1 : index[c.seq[i + 1]];
                pr[np] = (pair){a, b};
                pl[np] = (pair){b, a};
                np++;
            }
        }
        if (runs_of(pr, np, v + 2, &g.first, &g.nb, &g.cnt) || runs_of(pl, np, v + 2, &g.lfirst, &g.lnb, &g.lcnt))
            rc = fail(err, ENRICH_ERR_NOMEM, "out of memory");
    }
    for (int k = 0; k < 2 && rc == ENRICH_OK; k++)
        if (exchange(&g, count, v, opts->classes[k], opts->iterations ? opts->iterations : 10, cls[k]))
            rc = fail(err, ENRICH_ERR_NOMEM, "out of memory");
    /* The table: a header, then word, class, class, in vocabulary order. */
    char *out = NULL;
    size_t len = 0, cap = 0;
    if (rc == ENRICH_OK) {
        cap = c.pool_len + (size_t)v * 16 + 256;
        out = malloc(cap);
        if (!out) {
            rc = fail(err, ENRICH_ERR_NOMEM, "out of memory");
        } else {
            len = (size_t)snprintf(out, cap,
                                   "# enrich word classes: word, class of %u, class of %u (exchange algorithm, "
                                   "%zu tokens, %u words seen %u times or more)\n",
                                   opts->classes[0], opts->classes[1], c.n_seq, v,
                                   opts->min_count ? opts->min_count : 1);
            for (uint32_t w = 0; w < v; w++)
                len += (size_t)snprintf(out + len, cap - len, "%.*s\t%u\t%u\n", (int)rank[w].len, rank[w].s,
                                        cls[0][w], cls[1][w]);
        }
    }
    free(rank);
    free(index);
    free(pr);
    free(pl);
    free(count);
    free(cls[0]);
    free(cls[1]);
    free(g.first);
    free(g.lfirst);
    free(g.nb);
    free(g.lnb);
    free(g.cnt);
    free(g.lcnt);
    free(c.words);
    free(c.slot_word);
    free(c.pool);
    free(c.seq);
    if (rc != ENRICH_OK) {
        free(out);
        return rc;
    }
    *table = out;
    *table_len = len;
    return ENRICH_OK;
}
