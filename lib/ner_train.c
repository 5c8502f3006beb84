/*
 * ner_train.c - the trainer of the entity tagger: CoNLL-format bytes in,
 * model bytes out. Averaged perceptron (Collins 2002) with lazy averaging,
 * greedy decoding and the model's own predictions as history (as it will
 * see them when tagging). Deterministic: documents are shuffled with a
 * seeded xorshift, features are hashed with fixed functions and the model
 * is written sorted, so the same files and options give the same bytes.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "hashtab.h"
#include "enginep.h"
#include "ner.h"

typedef struct train_doc {
    char *text;
    size_t len;
    enrich_doc *doc;
    uint8_t *gold;     /* per doc token */
    ner_doc_state st;
} train_doc;

typedef struct train_row {
    float w[NER_LABELS];
    double total[NER_LABELS];
    uint32_t ts[NER_LABELS];
} train_row;

typedef struct train_table {
    uint64_t *keys;
    uint32_t *idx;
    uint32_t slots, used;
    train_row *rows;
    uint32_t cap;
} train_table;

static int fail(enrich_error *err, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(enrich_error *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->code = code;
        err->position = (size_t)-1;
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return code;
}

/* ---- reading CoNLL ---------------------------------------------------------- */

typedef struct gold_tok {
    uint32_t start, end;
    int cls;  /* -1 for O */
    char pre; /* 'B' or 'I' */
} gold_tok;

typedef struct conll_doc {
    char *text;
    size_t len, cap;
    gold_tok *toks;
    size_t n, tcap;
} conll_doc;

static int append_text(conll_doc *d, const char *s, size_t n)
{
    if (d->len + n + 1 > d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 4096;
        while (cap < d->len + n + 1)
            cap *= 2;
        char *t = realloc(d->text, cap);
        if (!t)
            return -1;
        d->text = t;
        d->cap = cap;
    }
    memcpy(d->text + d->len, s, n);
    d->len += n;
    d->text[d->len] = '\0';
    return 0;
}

static int class_of(const char *s, size_t n)
{
    static const char *const names[] = {"PER", "ORG", "LOC", "MISC"};
    for (int c = 0; c < 4; c++)
        if (strlen(names[c]) == n && memcmp(names[c], s, n) == 0)
            return c;
    return -2;
}

/* Converts IOB1/IOB2 tags of one document into BILOU labels per token. */
static void bilou(const gold_tok *g, size_t n, uint8_t *out)
{
    for (size_t i = 0; i < n; i++) {
        if (g[i].cls < 0) {
            out[i] = 0;
            continue;
        }
        int begins = i == 0 || g[i - 1].cls != g[i].cls || g[i].pre == 'B' || g[i - 1].start == UINT32_MAX;
        int ends = i + 1 == n || g[i + 1].cls != g[i].cls || g[i + 1].pre == 'B';
        int pos = begins ? (ends ? NER_U : NER_B) : (ends ? NER_L : NER_I);
        out[i] = (uint8_t)ner_label(g[i].cls, pos);
    }
}

typedef struct doc_list {
    train_doc *v;
    size_t n, cap;
} doc_list;

/* Turns one read document into a train_doc: our own layout and tokens over
 * its text, each token given the gold label of the CoNLL token it matches. */
static int finish_doc(const enrich_engine *e, conll_doc *cd, doc_list *out, enrich_error *err)
{
    if (cd->n == 0)
        return 0;
    if (out->n == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 256;
        train_doc *v = realloc(out->v, cap * sizeof *v);
        if (!v)
            return fail(err, ENRICH_ERR_NOMEM, "out of memory");
        out->v = v;
        out->cap = cap;
    }
    uint8_t *gl = malloc(cd->n);
    if (!gl)
        return fail(err, ENRICH_ERR_NOMEM, "out of memory");
    bilou(cd->toks, cd->n, gl);
    train_doc *td = &out->v[out->n];
    memset(td, 0, sizeof *td);
    td->text = cd->text;
    td->len = cd->len;
    cd->text = NULL;
    cd->len = cd->cap = 0;
    td->doc = doc_prepare(e, td->text, td->len, NULL, err);
    if (!td->doc) {
        free(gl);
        free(td->text);
        return err ? err->code : ENRICH_ERR_DATA;
    }
    td->gold = calloc(td->doc->tokens.n ? td->doc->tokens.n : 1, 1);
    if (!td->gold) {
        free(gl);
        return fail(err, ENRICH_ERR_NOMEM, "out of memory");
    }
    size_t g = 0;
    for (uint32_t i = 0; i < td->doc->tokens.n; i++) {
        span s = td->doc->tokens.v[i].s;
        while (g < cd->n && (cd->toks[g].start == UINT32_MAX || cd->toks[g].end <= s.start))
            g++;
        if (g < cd->n && cd->toks[g].start == s.start)
            td->gold[i] = gl[g];
    }
    free(gl);
    cd->n = 0;
    out->n++;
    return 0;
}

static int read_conll(const enrich_engine *e, const char *buf, size_t len, unsigned file, doc_list *out,
                      enrich_error *err)
{
    conll_doc cd;
    memset(&cd, 0, sizeof cd);
    unsigned line = 0;
    size_t i = 0;
    int in_sentence = 0;
    int rc = 0;
    while (i < len && rc == 0) {
        size_t e2 = i;
        while (e2 < len && buf[e2] != '\n')
            e2++;
        line++;
        const char *l = buf + i;
        size_t n = e2 - i;
        if (n && l[n - 1] == '\r')
            n--;
        i = e2 + 1;
        if (n >= 10 && memcmp(l, "-DOCSTART-", 10) == 0) {
            rc = finish_doc(e, &cd, out, err);
            in_sentence = 0;
            continue;
        }
        size_t k = 0;
        while (k < n && (l[k] == ' ' || l[k] == '\t'))
            k++;
        if (k == n) { /* blank: a sentence ends */
            if (in_sentence && append_text(&cd, "\n", 1))
                rc = fail(err, ENRICH_ERR_NOMEM, "out of memory");
            in_sentence = 0;
            continue;
        }
        /* first column: the word; last column: the tag */
        size_t w0 = k, w1 = k;
        while (w1 < n && l[w1] != ' ' && l[w1] != '\t')
            w1++;
        size_t t1 = n, t0;
        while (t1 > w1 && (l[t1 - 1] == ' ' || l[t1 - 1] == '\t'))
            t1--;
        t0 = t1;
        while (t0 > w1 && l[t0 - 1] != ' ' && l[t0 - 1] != '\t')
            t0--;
        if (t0 <= w1 || t0 == t1) {
            rc = fail(err, ENRICH_ERR_DATA, "training file %u, line %u: expected a word and a tag", file, line);
            break;
        }
        gold_tok g = {0, 0, -1, 'I'};
        if (!(t1 - t0 == 1 && l[t0] == 'O')) {
            if (t1 - t0 < 3 || (l[t0] != 'B' && l[t0] != 'I') || l[t0 + 1] != '-' ||
                (g.cls = class_of(l + t0 + 2, t1 - t0 - 2)) < 0) {
                rc = fail(err, ENRICH_ERR_DATA,
                          "training file %u, line %u: tag must be O or B-/I- with PER, ORG, LOC or MISC", file, line);
                break;
            }
            g.pre = l[t0];
        }
        if (in_sentence && append_text(&cd, " ", 1)) {
            rc = fail(err, ENRICH_ERR_NOMEM, "out of memory");
            break;
        }
        g.start = (uint32_t)cd.len;
        if (append_text(&cd, l + w0, w1 - w0)) {
            rc = fail(err, ENRICH_ERR_NOMEM, "out of memory");
            break;
        }
        g.end = (uint32_t)cd.len;
        if (cd.n == cd.tcap) {
            size_t cap = cd.tcap ? cd.tcap * 2 : 1024;
            gold_tok *v = realloc(cd.toks, cap * sizeof *v);
            if (!v) {
                rc = fail(err, ENRICH_ERR_NOMEM, "out of memory");
                break;
            }
            cd.toks = v;
            cd.tcap = cap;
        }
        /* a sentence break between two tokens resets I-continuation */
        if (!in_sentence && cd.n > 0 && g.pre == 'I')
            g.pre = 'B';
        cd.toks[cd.n++] = g;
        in_sentence = 1;
    }
    if (rc == 0)
        rc = finish_doc(e, &cd, out, err);
    free(cd.text);
    free(cd.toks);
    return rc;
}

/* ---- the weight table ---------------------------------------------------------- */

static int table_grow(train_table *t)
{
    uint32_t slots = t->slots ? t->slots * 2 : 1u << 16;
    uint64_t *keys = calloc(slots, sizeof *keys);
    uint32_t *idx = calloc(slots, sizeof *idx);
    if (!keys || !idx) {
        free(keys);
        free(idx);
        return -1;
    }
    for (uint32_t i = 0; i < t->slots; i++) {
        if (!t->keys[i])
            continue;
        uint32_t j = hashtab_first(t->keys[i], slots);
        while (keys[j])
            j = hashtab_next(j, slots);
        keys[j] = t->keys[i];
        idx[j] = t->idx[i];
    }
    free(t->keys);
    free(t->idx);
    t->keys = keys;
    t->idx = idx;
    t->slots = slots;
    return 0;
}

/* The row of key k; created (zeroed) when create is set. NULL if absent or
 * out of memory. */
static train_row *table_row(train_table *t, uint64_t k, int create)
{
    if (create && (t->used + 1) * 2 > t->slots && table_grow(t))
        return NULL;
    if (!t->slots)
        return NULL;
    uint32_t i = hashtab_first(k, t->slots);
    while (t->keys[i]) {
        if (t->keys[i] == k)
            return &t->rows[t->idx[i]];
        i = hashtab_next(i, t->slots);
    }
    if (!create)
        return NULL;
    if (t->used == t->cap) {
        uint32_t cap = t->cap ? t->cap * 2 : 1u << 15;
        train_row *r = realloc(t->rows, (size_t)cap * sizeof *r);
        if (!r)
            return NULL;
        t->rows = r;
        t->cap = cap;
    }
    t->keys[i] = k;
    t->idx[i] = t->used;
    train_row *r = &t->rows[t->used++];
    memset(r, 0, sizeof *r);
    return r;
}

/* Empties the table and frees its memory. */
static void table_clear(train_table *t)
{
    free(t->keys);
    free(t->idx);
    free(t->rows);
    memset(t, 0, sizeof *t);
}

/* Adds share times each row's weights averaged at time now to sum's
 * plain weights (sum is written at time 1 with no history: its totals and
 * times zero, so what it writes is the weights themselves). */
static int table_fold(train_table *sum, const train_table *t, uint32_t now, double share)
{
    for (uint32_t s = 0; s < t->slots; s++) {
        if (!t->keys[s])
            continue;
        const train_row *row = &t->rows[t->idx[s]];
        train_row *r = table_row(sum, t->keys[s], 1);
        if (!r)
            return -1;
        for (int l = 0; l < NER_LABELS; l++) {
            double total = row->total[l] + (double)(now - row->ts[l]) * row->w[l];
            r->w[l] += (float)(now ? total / now * share : 0);
        }
    }
    return 0;
}

static void update(train_row *r, int label, float delta, uint32_t now)
{
    r->total[label] += (double)(now - r->ts[label]) * r->w[label];
    r->ts[label] = now;
    r->w[label] += delta;
}

/* ---- writing the model --------------------------------------------------------- */

typedef struct keyed {
    uint64_t key;
    uint32_t row;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
    uint64_t x = ((const keyed *)a)->key, y = ((const keyed *)b)->key;
    return x < y ? -1 : x > y;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void wr32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static void wr64(unsigned char *p, uint64_t v)
{
    wr32(p, (uint32_t)v);
    wr32(p + 4, (uint32_t)(v >> 32));
}

/* Averages the weights at time now, quantizes them to int16 and writes the
 * model: rows whose every weight rounds below min_weight (at least 1) are
 * dropped. */
static int write_model(const train_table *t, uint32_t now, const uint64_t *lex, uint32_t nlex,
                       const unsigned char *vocab, size_t vocab_len, const ner_model *clu, unsigned min_weight,
                       unsigned char **out, size_t *out_len)
{
    if (min_weight < 1)
        min_weight = 1;
    float *avg = malloc((size_t)(t->used ? t->used : 1) * NER_LABELS * sizeof *avg);
    keyed *order = malloc((size_t)(t->used ? t->used : 1) * sizeof *order);
    if (!avg || !order) {
        free(avg);
        free(order);
        return -1;
    }
    float maxw = 0;
    for (uint32_t r = 0; r < t->used; r++) {
        for (int l = 0; l < NER_LABELS; l++) {
            const train_row *row = &t->rows[r];
            double total = row->total[l] + (double)(now - row->ts[l]) * row->w[l];
            float a = now ? (float)(total / now) : 0;
            avg[(size_t)r * NER_LABELS + l] = a;
            if (fabsf(a) > maxw)
                maxw = fabsf(a);
        }
    }
    float scale = maxw > 0 ? maxw / 32767.0f : 1.0f;
    uint32_t kept = 0;
    for (uint32_t s = 0; s < t->slots; s++) {
        if (!t->keys[s])
            continue;
        uint32_t r = t->idx[s];
        int nonzero = 0;
        for (int l = 0; l < NER_LABELS && !nonzero; l++)
            nonzero = labs(lrintf(avg[(size_t)r * NER_LABELS + l] / scale)) >= (long)min_weight;
        if (nonzero)
            order[kept++] = (keyed){t->keys[s], r};
    }
    qsort(order, kept, sizeof *order, cmp_keyed);
    size_t len = 32 + (size_t)kept * 8 + (size_t)kept * NER_LABELS * 2 + (size_t)nlex * 8 + vocab_len;
    uint32_t nclu = clu ? clu->n_clu : 0;
    if (nclu)
        len += 4 + (size_t)nclu * NER_CLASS_ENTRY_BYTES; /* version 3: the word classes */
    unsigned char *p = calloc(1, len);
    if (!p) {
        free(avg);
        free(order);
        return -1;
    }
    memcpy(p, "ENRNER1", 8);
    wr32(p + 8, nclu ? 3 : 2);
    wr32(p + 12, NER_LABELS);
    wr32(p + 16, kept);
    wr32(p + 20, nlex);
    uint32_t sb;
    memcpy(&sb, &scale, 4);
    wr32(p + 24, sb);
    wr32(p + 28, (uint32_t)vocab_len);
    unsigned char *keys = p + 32, *w = keys + (size_t)kept * 8, *lx = w + (size_t)kept * NER_LABELS * 2;
    for (uint32_t i = 0; i < kept; i++) {
        wr64(keys + (size_t)i * 8, order[i].key);
        for (int l = 0; l < NER_LABELS; l++) {
            long q = lrintf(avg[(size_t)order[i].row * NER_LABELS + l] / scale);
            uint16_t u = (uint16_t)(int16_t)(q > 32767 ? 32767 : q < -32767 ? -32767 : q);
            unsigned char *c = w + ((size_t)i * NER_LABELS + (size_t)l) * 2;
            c[0] = (unsigned char)u;
            c[1] = (unsigned char)(u >> 8);
        }
    }
    for (uint32_t i = 0; i < nlex; i++)
        wr64(lx + (size_t)i * 8, lex[i]);
    if (vocab_len)
        memcpy(lx + (size_t)nlex * 8, vocab, vocab_len);
    if (nclu) {
        /* the classes in key order: the same table, the same bytes */
        unsigned char *c = lx + (size_t)nlex * 8 + vocab_len;
        wr32(c, nclu);
        c += 4;
        uint64_t *keys_sorted = malloc((size_t)nclu * sizeof *keys_sorted);
        if (!keys_sorted) {
            free(avg);
            free(order);
            free(p);
            return -1;
        }
        uint32_t k = 0;
        for (uint32_t i = 0; i < clu->clu_slots; i++)
            if (clu->clu_key[i])
                keys_sorted[k++] = clu->clu_key[i];
        qsort(keys_sorted, k, sizeof *keys_sorted, cmp_u64);
        for (uint32_t i = 0; i < k; i++, c += NER_CLASS_ENTRY_BYTES) {
            const uint16_t *cls = ner_clusters_of(clu, keys_sorted[i]);
            wr64(c, keys_sorted[i]);
            c[8] = (unsigned char)cls[0];
            c[9] = (unsigned char)(cls[0] >> 8);
            c[10] = (unsigned char)cls[1];
            c[11] = (unsigned char)(cls[1] >> 8);
        }
        free(keys_sorted);
    }
    free(avg);
    free(order);
    *out = p;
    *out_len = len;
    return 0;
}

/* ---- evaluation on a dev set ---------------------------------------------------- */

typedef struct span_set {
    uint32_t a[4096], b[4096];
    int c[4096];
    int n;
} span_set;

static void collect(void *ud, int cls, uint32_t a, uint32_t b)
{
    span_set *s = ud;
    if (s->n < 4096) {
        s->a[s->n] = a;
        s->b[s->n] = b;
        s->c[s->n] = cls;
        s->n++;
    }
}

/* PER/LOC/ORG micro F1 of the model on the documents, in percent. */
static double dev_f1(const ner_model *m, doc_list *dev)
{
    long tp = 0, np = 0, ng = 0;
    span_set *sets = calloc(2, sizeof *sets); /* 96 KB: on the heap, not static */
    if (!sets)
        return -1.0; /* no memory: no epoch is chosen by it */
    span_set *gs = &sets[0], *ps = &sets[1];
    for (size_t d = 0; d < dev->n; d++) {
        train_doc *td = &dev->v[d];
        enrich_doc *doc = td->doc;
        ner_tag_with(doc, m);
        for (uint32_t s = 0; s < doc->sentences.n; s++) {
            const sentence *se = &doc->sentences.v[s];
            token *tk = doc->tokens.v;
            ps->n = gs->n = 0;
            ner_spans(tk, se->first, se->count, collect, ps);
            uint8_t keep[512];
            uint32_t cnt = se->count < 512 ? se->count : 512;
            for (uint32_t i = 0; i < cnt; i++) {
                keep[i] = tk[se->first + i].label;
                tk[se->first + i].label = td->gold[se->first + i];
            }
            ner_spans(tk, se->first, cnt, collect, gs);
            for (uint32_t i = 0; i < cnt; i++)
                tk[se->first + i].label = keep[i];
            for (int i = 0; i < ps->n; i++)
                np += ps->c[i] != NER_MISC;
            for (int i = 0; i < gs->n; i++) {
                if (gs->c[i] == NER_MISC)
                    continue;
                ng++;
                for (int j = 0; j < ps->n; j++)
                    if (ps->a[j] == gs->a[i] && ps->b[j] == gs->b[i] && ps->c[j] == gs->c[i])
                        tp++;
            }
        }
    }
    free(sets);
    double p = np ? (double)tp / np : 0, r = ng ? (double)tp / ng : 0;
    return p + r > 0 ? 200.0 * p * r / (p + r) : 0;
}

/* ---- word classes ------------------------------------------------------------------ */

/* Reads 'enrich train-clusters' output (word, coarse class, fine class a
 * line; '#' lines are comments) into m's class table. -1 out of memory. */
static int read_clusters(ner_model *m, const char *t, size_t len)
{
    uint32_t lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += t[i] == '\n';
    if (ner_clusters_alloc(m, lines + 1) != 0)
        return -1;
    size_t i = 0;
    while (i < len) {
        size_t e = i;
        while (e < len && t[e] != '\n')
            e++;
        const char *tab1 = memchr(t + i, '\t', e - i);
        const char *tab2 = tab1 ? memchr(tab1 + 1, '\t', (size_t)(t + e - tab1 - 1)) : NULL;
        if (t[i] != '#' && tab1 && tab2 && tab1 > t + i) {
            unsigned long c1 = strtoul(tab1 + 1, NULL, 10), c2 = strtoul(tab2 + 1, NULL, 10);
            if (c1 < 65535 && c2 < 65535)
                ner_clusters_put(m, fold_hash_bytes((const unsigned char *)t + i, (size_t)(tab1 - (t + i))),
                                 (uint16_t)(c1 + 1), (uint16_t)(c2 + 1));
        }
        i = e + 1;
    }
    return 0;
}

/* ---- the vocabulary ----------------------------------------------------------------- */

typedef struct word_ref {
    const unsigned char *s;
    uint32_t n;
} word_ref;

static int cmp_word(const void *a, const void *b)
{
    const word_ref *x = a, *y = b;
    uint32_t n = x->n < y->n ? x->n : y->n;
    int c = memcmp(x->s, y->s, n);
    return c ? c : (x->n > y->n) - (x->n < y->n);
}

/* The distinct lower-case forms of the training tokens, sorted, each
 * followed by a NUL: the words the model gets blocks for. */
static int build_vocab(const doc_list *train, unsigned char **out, size_t *out_len)
{
    size_t total = 0;
    for (size_t d = 0; d < train->n; d++)
        total += train->v[d].doc->tokens.n;
    unsigned char *buf = malloc(total * 65 + 1);
    word_ref *w = malloc((total ? total : 1) * sizeof *w);
    if (!buf || !w) {
        free(buf);
        free(w);
        return -1;
    }
    size_t used = 0, nw = 0;
    for (size_t d = 0; d < train->n; d++) {
        enrich_doc *doc = train->v[d].doc;
        for (uint32_t i = 0; i < doc->tokens.n; i++) {
            size_t n = fold_lower_bytes(doc->text, doc->tokens.v[i].s, buf + used);
            if (n == 0 || memchr(buf + used, 0, n))
                continue;
            w[nw].s = buf + used;
            w[nw].n = (uint32_t)n;
            nw++;
            used += n;
        }
    }
    qsort(w, nw, sizeof *w, cmp_word);
    size_t len = 0;
    for (size_t i = 0; i < nw; i++)
        if (i == 0 || cmp_word(&w[i], &w[i - 1]) != 0)
            len += w[i].n + 1;
    unsigned char *v = malloc(len ? len : 1);
    if (!v) {
        free(buf);
        free(w);
        return -1;
    }
    size_t o = 0;
    for (size_t i = 0; i < nw; i++) {
        if (i > 0 && cmp_word(&w[i], &w[i - 1]) == 0)
            continue;
        memcpy(v + o, w[i].s, w[i].n);
        o += w[i].n;
        v[o++] = 0;
    }
    free(buf);
    free(w);
    *out = v;
    *out_len = len;
    return 0;
}

/* ---- training ------------------------------------------------------------------- */

void enrich_train_options_init(enrich_train_options *o)
{
    memset(o, 0, sizeof *o);
    o->epochs = 10;
    o->seed = 1;
    o->runs = 1;
    o->min_weight = 1;
}

static void free_docs(doc_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        enrich_doc_free(l->v[i].doc);
        free(l->v[i].text);
        free(l->v[i].gold);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

static uint64_t xorshift(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *s = x;
    return x;
}

/* One pass of the perceptron over one document: tag it greedily, and
 * where the tag is wrong move the weights toward the gold one. now counts
 * the updates (for averaging); correct and seen count the tokens. 0, or
 * -1 when memory ran out. */
static int train_doc_once(train_doc *td, train_table *tab, uint32_t *now, long *correct, long *seen)
{
    ner_doc_state *st = &td->st;
    enrich_doc *doc = td->doc;
    ner_feat feats[NER_MAX_FEATS];
    memset(st->labels, 0, doc->tokens.n ? doc->tokens.n : 1);
    ner_state_reset(st);
    for (uint32_t s = 0; s < doc->sentences.n; s++) {
        const sentence *se = &doc->sentences.v[s];
        for (uint32_t i = se->first; i < se->first + se->count; i++) {
            int nf = ner_features(st, se, i, feats);
            float score[NER_LABELS] = {0};
            for (int f = 0; f < nf; f++) {
                const train_row *r = table_row(tab, feats[f].id, 0);
                if (r)
                    for (int l = 0; l < NER_LABELS; l++)
                        score[l] += feats[f].value * r->w[l];
            }
            int best = 0;
            for (int l = 1; l < NER_LABELS; l++)
                if (score[l] > score[best])
                    best = l;
            int gold = td->gold[i];
            (*now)++;
            (*seen)++;
            if (best == gold) {
                (*correct)++;
            } else {
                for (int f = 0; f < nf; f++) {
                    train_row *r = table_row(tab, feats[f].id, 1);
                    if (!r)
                        return -1;
                    update(r, gold, feats[f].value, *now);
                    update(r, best, -feats[f].value, *now);
                }
            }
            ner_state_commit(st, i, best);
        }
    }
    return 0;
}

/* The lexicon: the hashes of the words seen written in lower case,
 * sorted and unique; NULL when memory ran out. */
static uint64_t *build_lexicon(const doc_list *train, size_t *n_out)
{
    size_t nlex = 0, lcap = 1024;
    uint64_t *lex = malloc(lcap * sizeof *lex);
    for (size_t d = 0; lex && d < train->n; d++) {
        enrich_doc *doc = train->v[d].doc;
        for (uint32_t i = 0; i < doc->tokens.n; i++) {
            span s = doc->tokens.v[i].s;
            int lower = 1;
            for (uint32_t k = s.start; k < s.end && lower; k++)
                lower = !(doc->text[k] >= 'A' && doc->text[k] <= 'Z');
            if (!lower)
                continue;
            if (nlex == lcap) {
                uint64_t *v = realloc(lex, lcap * 2 * sizeof *lex);
                if (!v) {
                    free(lex);
                    return NULL;
                }
                lex = v;
                lcap *= 2;
            }
            lex[nlex++] = fold_lower_hash(doc->text, s);
        }
    }
    if (!lex)
        return NULL;
    qsort(lex, nlex, sizeof *lex, cmp_u64);
    size_t u = 0;
    for (size_t i = 0; i < nlex; i++)
        if (u == 0 || lex[i] != lex[u - 1])
            lex[u++] = lex[i];
    *n_out = u;
    return lex;
}

int enrich_train(const enrich_engine *engine, const char *const *files, const size_t *lens, size_t n_files,
                 const enrich_train_options *opts, void **model, size_t *model_len, enrich_error *err)
{
    enrich_train_options defaults;
    if (!opts) {
        enrich_train_options_init(&defaults);
        opts = &defaults;
    }
    if (!engine || !files || !model || !model_len || n_files == 0 || opts->epochs == 0)
        return fail(err, ENRICH_ERR_ARG, "enrich_train: no engine, files or epochs");
    doc_list train = {0}, dev = {0};
    train_table tab, sum; /* one run's weights; the runs' averages, summed */
    ner_model lexm; /* the lexicon and the word classes, as the features read them */
    memset(&lexm, 0, sizeof lexm);
    memset(&tab, 0, sizeof tab);
    memset(&sum, 0, sizeof sum);
    uint64_t *lex = NULL;
    unsigned char *vocab = NULL;
    size_t vocab_len = 0;
    unsigned char *bytes = NULL;
    size_t nbytes = 0;
    int rc = ENRICH_OK;
    for (size_t f = 0; f < n_files && rc == ENRICH_OK; f++)
        rc = read_conll(engine, files[f], lens[f], (unsigned)f + 1, &train, err);
    if (rc == ENRICH_OK && opts->dev)
        rc = read_conll(engine, opts->dev, opts->dev_len, 0, &dev, err);
    if (rc != ENRICH_OK)
        goto done;
    if (train.n == 0) {
        rc = fail(err, ENRICH_ERR_DATA, "the training files hold no tagged tokens");
        goto done;
    }

    size_t nlex = 0;
    lex = build_lexicon(&train, &nlex);
    if (!lex) {
        rc = fail(err, ENRICH_ERR_NOMEM, "out of memory");
        goto done;
    }
    if (build_vocab(&train, &vocab, &vocab_len) != 0) {
        rc = fail(err, ENRICH_ERR_NOMEM, "out of memory");
        goto done;
    }
    memset(&lexm, 0, sizeof lexm);
    lexm.lex = lex;
    lexm.n_lex = (uint32_t)nlex;
    if (opts->clusters && read_clusters(&lexm, opts->clusters, opts->clusters_len) != 0) {
        rc = fail(err, ENRICH_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t d = 0; d < train.n; d++)
        if (ner_state_init(&train.v[d].st, train.v[d].doc, &lexm, 1)) {
            rc = fail(err, ENRICH_ERR_NOMEM, "out of memory");
            goto done;
        }

    size_t *order = malloc(train.n * sizeof *order);
    if (!order) {
        rc = fail(err, ENRICH_ERR_NOMEM, "out of memory");
        goto done;
    }
    unsigned runs = opts->runs ? opts->runs : 1;
    for (unsigned run = 0; run < runs && rc == ENRICH_OK; run++) {
        for (size_t i = 0; i < train.n; i++)
            order[i] = i;
        uint64_t rng = opts->seed + run ? opts->seed + run : 1;
        uint32_t now = 0;
        table_clear(&tab);
        for (unsigned epoch = 1; epoch <= opts->epochs && rc == ENRICH_OK; epoch++) {
            for (size_t i = train.n - 1; i > 0; i--) {
                size_t j = (size_t)(xorshift(&rng) % (i + 1));
                size_t tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
            }
            long correct = 0, seen = 0;
            for (size_t k = 0; k < train.n && rc == ENRICH_OK; k++)
                if (train_doc_once(&train.v[order[k]], &tab, &now, &correct, &seen) != 0)
                    rc = fail(err, ENRICH_ERR_NOMEM, "out of memory");
            double f1 = -1;
            if (rc == ENRICH_OK && dev.n > 0 && opts->progress) {
                unsigned char *b = NULL;
                size_t bl = 0;
                ner_model m;
                if (write_model(&tab, now, lex, (uint32_t)nlex, vocab, vocab_len, &lexm, opts->min_weight, &b, &bl) == 0 &&
                    ner_model_load(&m, b, bl, 0, NULL) == ENRICH_OK) {
                    f1 = dev_f1(&m, &dev);
                    ner_model_free(&m);
                }
                free(b);
            }
            if (opts->progress)
                opts->progress(opts->progress_data, run * opts->epochs + epoch, seen ? (double)correct / seen : 0, f1);
        }
        if (rc == ENRICH_OK && table_fold(&sum, &tab, now, 1.0 / runs) != 0)
            rc = fail(err, ENRICH_ERR_NOMEM, "out of memory");
    }
    free(order);
    /* the sum holds each run's averaged weights as plain weights: at time 1 */
    if (rc == ENRICH_OK && write_model(&sum, 1, lex, (uint32_t)nlex, vocab, vocab_len, &lexm, opts->min_weight, &bytes, &nbytes) != 0)
        rc = fail(err, ENRICH_ERR_NOMEM, "out of memory");
done:
    free_docs(&train);
    free_docs(&dev);
    table_clear(&tab);
    table_clear(&sum);
    free(lexm.clu_key);
    free(lexm.clu_cls);
    free(lex);
    free(vocab);
    if (rc == ENRICH_OK) {
        *model = bytes;
        *model_len = nbytes;
    } else {
        free(bytes);
    }
    return rc;
}
