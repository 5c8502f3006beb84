/*
 * ner.c - the tagging stage. Reads the tokens and sentences; adds a BILOU
 * label to every token with a greedy averaged perceptron. The features are
 * those of ../shared/docs/ner.md section 3 and 4: words and shapes in a
 * window, affixes, the labels already chosen, casing context and the
 * document's own earlier decisions for the same word.
 */
#include "ner.h"
#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fold.h"
#include "hashtab.h"
#include "text.h"
#include "utf8.h"

#define MODEL_MAGIC "ENRNER1"
#define MODEL_HEADER 32

/* ---- hashing ------------------------------------------------------------- */

static uint64_t feat2(uint64_t tmpl, uint64_t a)
{
    uint64_t h = fold_mix64(tmpl * 0x9E3779B97F4A7C15ULL ^ a);
    return h ? h : 1;
}

static uint64_t feat3(uint64_t tmpl, uint64_t a, uint64_t b)
{
    return feat2(tmpl, fold_mix64(a) ^ (b * 0xD6E8FEB86659FD93ULL));
}

/* ---- token attributes ------------------------------------------------------ */

enum attr_flag {
    A_INIT_CAP = 1u << 0,
    A_ALL_CAPS = 1u << 1,
    A_HAS_DIGIT = 1u << 2,
    A_ALL_DIGIT = 1u << 3,
    A_HAS_HYPHEN = 1u << 4,
    A_HAS_PERIOD = 1u << 5,
    A_PUNCT = 1u << 6,
    A_LEX_KNOWN = 1u << 7, /* the lower-case form was seen in lower case in training */
    A_HAS_LOWER = 1u << 8,
};

/* The BILOU position (1 + position, 0: none) of a token in phrase list
 * number l (phrases.h: the list of bit PH_x is number ctz(PH_x)). */
static unsigned gaz_pos(const ner_token_attr *a, unsigned l)
{
    return (a->gaz >> (3 * l)) & 7;
}

/* Whether the token is in the phrase list of bit ph (PH_TITLE, ...). */
static int in_list(const ner_token_attr *a, unsigned ph)
{
    return gaz_pos(a, (unsigned)__builtin_ctz(ph)) != 0;
}

/* Latin-1 capitals (À..Þ but ×) count as upper case for shapes. */
static int upper_at(const unsigned char *s, size_t n, size_t i)
{
    if (is_ascii_upper(s[i]))
        return 1;
    return s[i] == 0xC3 && i + 1 < n && s[i + 1] >= 0x80 && s[i + 1] <= 0x9E && s[i + 1] != 0x97;
}

/* Is h in the lexicon? m->lex is an open-addressing set of lex_slots
 * (a power of two) when loaded, or a sorted array while training builds it
 * (lex_slots 0). */
static int lex_has(const ner_model *m, uint64_t h)
{
    if (m->lex_slots)
        return u64set_has(m->lex, m->lex_slots, h);
    uint32_t lo = 0, hi = m->n_lex;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (m->lex[mid] < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < m->n_lex && m->lex[lo] == h;
}

/* The attributes a word block needs (lower, affixes) from the word's
 * normalized lower-case bytes, exactly as token_attr computes them. */
static void lower_attr(const unsigned char *lw, size_t n, ner_token_attr *a)
{
    memset(a, 0, sizeof *a);
    a->lower = fold_hash_bytes(lw, n);
    for (size_t k = 0; k < 4; k++) {
        size_t len = k + 1 < n ? k + 1 : n;
        a->prefix[k] = fold_hash_bytes(lw, len) ^ (k + 1);
        a->suffix[k] = fold_hash_bytes(lw + n - len, len) ^ ((k + 1) << 8);
    }
}

/* The attributes of the word t[s]. The word, lower-case and shape hashes
 * are FNV-1a chains (fold_hash_bytes) run side by side in one pass. */
static void token_attr(const char *t, span s, int affixes, ner_token_attr *a)
{
    unsigned char w[FOLD_MAX], lw[FOLD_MAX];
    size_t n = fold_word(t, s, w);
    size_t ns = 0;
    uint32_t f = 0;
    int uppers = 0, lowers = 0, digits = 0, letters = 0;
    char prev = 0;
    uint64_t hw = FOLD_FNV_START, hl = hw, hs = hw;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = w[i];
        char k;
        if (upper_at(w, n, i)) {
            k = 'X';
            uppers++;
            letters++;
        } else if (is_ascii_lower(c) || c >= 0x80) {
            k = (c >= 0x80 && (c & 0xC0) == 0x80) ? prev : 'x';
            if (!(c >= 0x80 && (c & 0xC0) == 0x80)) {
                lowers++;
                letters++;
            }
        } else if (is_ascii_digit(c)) {
            k = 'd';
            digits++;
        } else {
            k = (char)c;
            if (c == '-')
                f |= A_HAS_HYPHEN;
            if (c == '.')
                f |= A_HAS_PERIOD;
        }
        if (k != prev && ns < FOLD_MAX) {
            hs = fold_fnv1a_step(hs, (unsigned char)k);
            ns++;
        }
        prev = k;
        lw[i] = (unsigned char)ascii_lower(c);
        hw = fold_fnv1a_step(hw, c);
        hl = fold_fnv1a_step(hl, lw[i]);
    }
    if (n > 0 && upper_at(w, n, 0))
        f |= A_INIT_CAP;
    if (uppers > 0 && lowers == 0)
        f |= A_ALL_CAPS;
    if (lowers > 0)
        f |= A_HAS_LOWER;
    if (digits > 0)
        f |= A_HAS_DIGIT;
    if (digits > 0 && (size_t)digits == n)
        f |= A_ALL_DIGIT;
    if (letters == 0 && digits == 0)
        f |= A_PUNCT;
    if (affixes) {
        lower_attr(lw, n, a);
    } else {
        memset(a, 0, sizeof *a);
        a->lower = fold_mix64(hl);
    }
    a->word = fold_mix64(hw);
    a->shape = fold_mix64(hs);
    a->flags = f;
}

/* ---- document history ------------------------------------------------------ */

struct ner_history {
    uint64_t key; /* lower-case hash; 0 = empty */
    uint16_t count[NER_CLASSES + 1]; /* classes, then O */
    uint16_t seen;  /* enum seen_flag: how the word appears anywhere in the story */
    uint16_t agg;   /* enum agg_flag: the contexts it stands in, capitalised, anywhere */
};

/* The contexts a capitalised word stands in across the story, each a
 * feature of its every occurrence (context aggregation, Ratinov and Roth
 * 2009): what one sentence says of "Kavan" types it in the others. */
enum agg_flag {
    AGG_AFTER_TITLE = 1u << 0,    /* "Minister Kavan" */
    AGG_BEFORE_ORG_WORD = 1u << 1, /* "Acme Corp" */
    AGG_BEFORE_SAID = 1u << 2,    /* "Kavan said" */
    AGG_AFTER_SAID = 1u << 3,     /* "said Kavan" */
    AGG_AFTER_PLACE = 1u << 4,    /* "in Kavan", "at", "from", "near" */
    AGG_AFTER_THE = 1u << 5,      /* "the Kavan" */
    AGG_IN_ORG_RUN = 1u << 6,     /* "Acme" in "Acme Cables SpA" */
    AGG_AFTER_ORG_NOUN = 1u << 7, /* "company Acme", "club Acme" */
    AGG_THING = 1u << 8,          /* "Acme said it", "Acme , which" */
    AGG_PERSON = 1u << 9,         /* "Kavan said he", "Kavan , who" */
    AGG_BEFORE_TITLE = 1u << 10,  /* "Acme chairman", "Acme general manager" */
    AGG_FLAGS = 11,
};

/* How a word appears across the whole story, read before tagging. */
enum seen_flag {
    SEEN_LOWER = 1u << 0,      /* written in lower case */
    SEEN_CAP_INSIDE = 1u << 1, /* capitalised, not opening a sentence */
    SEEN_RUN_FIRST = 1u << 2,  /* first of a run of two or more capitalised words */
    SEEN_RUN_LAST = 1u << 3,   /* last of such a run */
    SEEN_RUN_MID = 1u << 4,
    SEEN_AFTER_NAME = 1u << 5, /* in a run whose first word is a first name */
};

static struct ner_history *history_slot(const ner_doc_state *st, uint64_t key)
{
    if (!st->history_slots)
        return NULL;
    uint32_t i = hashtab_first(key, st->history_slots);
    while (st->history[i].key && st->history[i].key != key)
        i = hashtab_next(i, st->history_slots);
    return &st->history[i];
}

/* Marks the phrase-list positions of the tokens of one sentence: at each
 * token the longest phrase of each list that starts there, unless a longer
 * one of that list already covers it. */
static void mark_phrases(const phrase_table *pt, const sentence *se, ner_token_attr *a)
{
    uint32_t covered[PH_LISTS] = {0};
    uint32_t end = se->first + se->count;
    for (uint32_t i = se->first; i < end; i++) {
        if (i + 8 < end)
            phrases_prefetch_start(pt, phrase_extend(0, a[i + 8].lower));
        if (a[i].flags & A_PUNCT)
            continue;
        uint32_t maxn = end - i < PHRASE_MAX_TOKENS ? end - i : PHRASE_MAX_TOKENS;
        /* Walk longer and longer phrases while some entry goes on. */
        uint32_t longest[PH_LISTS] = {0};
        uint64_t h = 0;
        for (uint32_t n = 1; n <= maxn; n++) {
            h = phrase_extend(h, a[i + n - 1].lower);
            if (n == 1 && !phrases_may_start(pt, h))
                break;
            const phrase *e = phrases_find(pt, h);
            if (!e)
                break;
            for (int l = 0; l < PH_LISTS; l++)
                if (e->lists & (1u << l))
                    longest[l] = n;
            if (!e->continues)
                break;
        }
        for (int l = 0; l < PH_LISTS; l++) {
            uint32_t n = longest[l];
            if (!n || covered[l] > i)
                continue;
            covered[l] = i + n;
            for (uint32_t k = 0; k < n; k++) {
                uint32_t pos = n == 1 ? NER_U : k == 0 ? NER_B : k == n - 1 ? NER_L : NER_I;
                a[i + k].gaz = (a[i + k].gaz & ~(7u << (3 * l))) | ((pos + 1) << (3 * l));
            }
        }
    }
}

static void read_story(ner_doc_state *st);

static uint32_t vocab_slot(const ner_model *m, uint64_t key)
{
    return hashtab_first(key, m->vocab_slots);
}

/* Each token's lexicon flag and, with a model that has word blocks, its
 * block: one vocabulary slot per token, fetched some tokens ahead so the
 * misses overlap. */
#define VOCAB_AHEAD 12
static void find_words(ner_doc_state *st, const ner_model *m)
{
    uint32_t n = st->doc->tokens.n;
    ner_token_attr *a = st->attr;
    if (!m->n_vocab) {
        for (uint32_t i = 0; m->n_lex && i < n; i++)
            if (lex_has(m, a[i].lower))
                a[i].flags |= A_LEX_KNOWN;
        return;
    }
    for (uint32_t i = 0; i < n && i < VOCAB_AHEAD; i++)
        __builtin_prefetch(&m->vocab[vocab_slot(m, a[i].lower ? a[i].lower : 1)]);
    for (uint32_t i = 0; i < n; i++) {
        if (i + VOCAB_AHEAD < n) {
            uint64_t ahead = a[i + VOCAB_AHEAD].lower;
            __builtin_prefetch(&m->vocab[vocab_slot(m, ahead ? ahead : 1)]);
        }
        uint64_t key = a[i].lower ? a[i].lower : 1;
        uint32_t j = vocab_slot(m, key);
        while (m->vocab[j].key && m->vocab[j].key != key)
            j = hashtab_next(j, m->vocab_slots);
        if (m->vocab[j].key) {
            st->blk[i] = m->blocks + (size_t)m->vocab[j].index * NER_BLOCK;
            if (m->vocab[j].lex)
                a[i].flags |= A_LEX_KNOWN;
        } else if (m->lex_outside && lex_has(m, a[i].lower)) {
            a[i].flags |= A_LEX_KNOWN;
        }
    }
}

int ner_state_init(ner_doc_state *st, enrich_doc *doc, const ner_model *m, int affixes)
{
    uint32_t n = doc->tokens.n;
    st->doc = doc;
    st->attr = arena_array(&doc->arena, n ? n : 1, sizeof *st->attr);
    st->labels = arena_array(&doc->arena, n ? n : 1, 1);
    st->history_slots = 16;
    while (st->history_slots < 2 * n)
        st->history_slots *= 2;
    st->history = arena_array(&doc->arena, st->history_slots, sizeof *st->history);
    st->blk = arena_array(&doc->arena, n ? n : 1, sizeof *st->blk);
    if (!st->attr || !st->labels || !st->history || !st->blk)
        return -1;
    for (uint32_t i = 0; i < n; i++) {
        token_attr(doc->text, doc->tokens.v[i].s, affixes, &st->attr[i]);
        const uint16_t *c = affixes && m ? ner_clusters_of(m, st->attr[i].lower) : NULL;
        if (c)
            memcpy(st->attr[i].clu, c, sizeof st->attr[i].clu);
    }
    if (m)
        find_words(st, m);
    for (uint32_t s = 0; s < doc->sentences.n; s++)
        mark_phrases(&doc->engine->phrases, &doc->sentences.v[s], st->attr);
    read_story(st);
    return 0;
}

void ner_state_reset(ner_doc_state *st)
{
    uint32_t n = st->doc->tokens.n;
    memset(st->labels, 0, n ? n : 1);
    for (uint32_t i = 0; i < st->history_slots; i++)
        memset(st->history[i].count, 0, sizeof st->history[i].count);
}

static void note_seen(ner_doc_state *st, uint64_t key, unsigned flags)
{
    struct ner_history *h = history_slot(st, key);
    if (h) {
        h->key = key;
        h->seen |= (uint16_t)flags;
    }
}

static void cues_of(ner_cue_set *c, const char *const *words, size_t n)
{
    c->n = 0;
    for (size_t i = 0; i < n && c->n < NER_CUES_MAX; i++)
        c->h[c->n++] = fold_hash_bytes((const unsigned char *)words[i], strlen(words[i]));
}

void ner_cues_init(ner_cues *c)
{
    _Static_assert(RULES_N(rules_ner_agg_said) <= NER_CUES_MAX && RULES_N(rules_ner_agg_place) <= NER_CUES_MAX &&
                       RULES_N(rules_ner_agg_article) <= NER_CUES_MAX &&
                       RULES_N(rules_ner_agg_org_noun) <= NER_CUES_MAX &&
                       RULES_N(rules_ner_agg_thing) <= NER_CUES_MAX && RULES_N(rules_ner_agg_person) <= NER_CUES_MAX,
                   "a cue list of data/rules/ner.txt outgrew NER_CUES_MAX");
    cues_of(&c->said, rules_ner_agg_said, RULES_N(rules_ner_agg_said));
    cues_of(&c->places, rules_ner_agg_place, RULES_N(rules_ner_agg_place));
    cues_of(&c->article, rules_ner_agg_article, RULES_N(rules_ner_agg_article));
    cues_of(&c->org_noun, rules_ner_agg_org_noun, RULES_N(rules_ner_agg_org_noun));
    cues_of(&c->thing, rules_ner_agg_thing, RULES_N(rules_ner_agg_thing));
    cues_of(&c->person, rules_ner_agg_person, RULES_N(rules_ner_agg_person));
}

static int cue_has(const ner_cue_set *c, uint64_t h)
{
    for (int i = 0; i < c->n; i++)
        if (c->h[i] == h)
            return 1;
    return 0;
}

/* Reads the story once for how each word is written where it stands. */
static void read_story(ner_doc_state *st)
{
    const enrich_doc *doc = st->doc;
    const ner_cues *cu = &doc->engine->ner_cues;
    const ner_token_attr *a = st->attr;
    for (uint32_t s = 0; s < doc->sentences.n; s++) {
        const sentence *se = &doc->sentences.v[s];
        uint32_t end = se->first + se->count;
        uint32_t i = se->first;
        while (i < end) {
            uint32_t f = a[i].flags;
            if (!(f & (A_INIT_CAP | A_ALL_CAPS))) {
                if (f & A_HAS_LOWER)
                    note_seen(st, a[i].lower, SEEN_LOWER);
                i++;
                continue;
            }
            uint32_t j = i;
            while (j < end && (a[j].flags & A_INIT_CAP) && !(doc->tokens.v[j].flags & TOK_CAPS_LINE))
                j++;
            if (j - i >= 2 && j - i <= 6) {
                int named = in_list(&a[i], PH_FIRST_NAME);
                for (uint32_t k = i; k < j; k++)
                    note_seen(st, a[k].lower,
                              (k == i ? SEEN_RUN_FIRST : k + 1 == j ? SEEN_RUN_LAST : SEEN_RUN_MID) |
                                  (named && k > i ? SEEN_AFTER_NAME : 0));
            }
            for (uint32_t k = i; k < (j > i ? j : i + 1); k++)
                if (!(doc->tokens.v[k].flags & (TOK_SENT_START | TOK_CAPS_LINE)))
                    note_seen(st, a[k].lower, SEEN_CAP_INSIDE);
            /* the run's contexts, for each of its words */
            unsigned agg = 0;
            uint32_t last = (j > i ? j : i + 1) - 1;
            if (!(doc->tokens.v[i].flags & TOK_CAPS_LINE)) {
                if (i > se->first) {
                    uint64_t p = a[i - 1].lower;
                    agg |= in_list(&a[i - 1], PH_TITLE) ? AGG_AFTER_TITLE : 0;
                    agg |= cue_has(&cu->said, p) ? AGG_AFTER_SAID : 0;
                    agg |= cue_has(&cu->places, p) ? AGG_AFTER_PLACE : 0;
                    agg |= cue_has(&cu->article, p) ? AGG_AFTER_THE : 0;
                    agg |= cue_has(&cu->org_noun, p) ? AGG_AFTER_ORG_NOUN : 0;
                }
                if (last + 1 < end) {
                    uint64_t nx = a[last + 1].lower;
                    agg |= in_list(&a[last + 1], PH_ORG_WORD) ? AGG_BEFORE_ORG_WORD : 0;
                    agg |= cue_has(&cu->said, nx) ? AGG_BEFORE_SAID : 0;
                    agg |= in_list(&a[last + 1], PH_TITLE) && !(a[last + 1].flags & (A_INIT_CAP | A_ALL_CAPS))
                               ? AGG_BEFORE_TITLE
                               : 0; /* a title in lower case */
                    /* the pronoun after "said" or a comma: "Acme said it" */
                    if (last + 2 < end && (cue_has(&cu->said, nx) || (a[last + 1].flags & A_PUNCT))) {
                        uint64_t pr = a[last + 2].lower;
                        agg |= cue_has(&cu->thing, pr) ? AGG_THING : cue_has(&cu->person, pr) ? AGG_PERSON : 0;
                    }
                }
                for (uint32_t k = i; j - i >= 2 && k <= last; k++)
                    if (in_list(&a[k], PH_ORG_WORD)) {
                        agg |= AGG_IN_ORG_RUN;
                        break;
                    }
            }
            for (uint32_t k = i; agg && k <= last; k++) {
                struct ner_history *h = history_slot(st, a[k].lower);
                if (h) {
                    h->key = a[k].lower;
                    h->agg |= (uint16_t)agg;
                }
            }
            i = j > i ? j : i + 1;
        }
    }
}

void ner_state_commit(ner_doc_state *st, uint32_t i, int label)
{
    st->labels[i] = (uint8_t)label;
    const ner_token_attr *a = &st->attr[i];
    if (!(a->flags & (A_INIT_CAP | A_ALL_CAPS)))
        return; /* the history speaks of capitalised words */
    struct ner_history *h = history_slot(st, a->lower);
    if (!h)
        return;
    h->key = a->lower;
    int c = label ? ner_label_class(label) : NER_CLASSES;
    if (h->count[c] < UINT16_MAX)
        h->count[c]++;
}

/* ---- features ---------------------------------------------------------------- */

enum tmpl {
    T_BIAS = 1, T_LOWER = 2 /* .. 6 */, T_WORD = 7, T_BI_L = 8, T_BI_R = 9, T_SHAPE = 10 /* .. 14 */,
    T_SH_L = 15, T_SH_R = 16, T_PRE = 17 /* .. 20 */, T_SUF = 21 /* .. 24 */, T_SUF3_L = 25,
    T_SUF3_R = 26, T_Y1 = 27, T_Y2 = 28, T_Y1_W = 29, T_Y1_SH = 30, T_CASE = 31, T_LINE = 32,
    T_REGION = 33, T_HIST = 34 /* .. 38 */, T_CAPSLINE_W = 39, T_LEX_SH = 40, T_GAZ = 41,
    T_GAZ_L = 42, T_GAZ_R = 43, T_GAZ_SH = 44, T_SEEN = 45, T_CLU = 46 /* .. 48 */, T_CLU_FINE = 49 /* .. 51 */,
    T_AGG = 52,
};

static void add(ner_feat *out, int *n, uint64_t id)
{
    out[*n].id = id;
    out[*n].value = 1.0f;
    (*n)++;
}

static const uint64_t BOUNDARY_LEFT = 0x1234567ULL, BOUNDARY_RIGHT = 0x7654321ULL;

int ner_features(const ner_doc_state *st, const sentence *s, uint32_t i, ner_feat *out)
{
    return ner_features_ex(st, s, i, out, 0);
}

int ner_features_ex(const ner_doc_state *st, const sentence *s, uint32_t i, ner_feat *out, int blocks)
{
    int n = 0;
    const ner_token_attr *a = st->attr;
    const token *tk = &st->doc->tokens.v[i];
    uint32_t first = s->first, last = s->first + s->count; /* [first, last) */
    uint64_t low[5], shp[5];
    for (int d = -2; d <= 2; d++) {
        long j = (long)i + d;
        if (j < (long)first) {
            low[d + 2] = shp[d + 2] = BOUNDARY_LEFT - (uint64_t)d;
        } else if (j >= (long)last) {
            low[d + 2] = shp[d + 2] = BOUNDARY_RIGHT + (uint64_t)d;
        } else {
            low[d + 2] = a[j].lower;
            shp[d + 2] = a[j].shape;
        }
        /* With blocks, a word's own features come from its block. */
        if (!blocks || j < (long)first || j >= (long)last)
            add(out, &n, feat2(T_LOWER + (uint64_t)(d + 2), low[d + 2]));
        add(out, &n, feat2(T_SHAPE + (uint64_t)(d + 2), shp[d + 2]));
    }
    const ner_token_attr *w = &a[i];
    add(out, &n, feat2(T_BIAS, 0));
    add(out, &n, feat2(T_WORD, w->word));
    add(out, &n, feat3(T_BI_L, low[1], low[2]));
    add(out, &n, feat3(T_BI_R, low[2], low[3]));
    add(out, &n, feat3(T_SH_L, shp[1], shp[2]));
    add(out, &n, feat3(T_SH_R, shp[2], shp[3]));
    for (uint64_t k = 0; !blocks && k < 4; k++) {
        add(out, &n, feat2(T_PRE + k, w->prefix[k]));
        add(out, &n, feat2(T_SUF + k, w->suffix[k]));
    }
    /* The word classes of the token and its neighbours (blocks hold them). */
    for (int d = -1; !blocks && d <= 1; d++) {
        long j = (long)i + d;
        if (j < (long)first || j >= (long)last)
            continue;
        if (a[j].clu[0])
            add(out, &n, feat2(T_CLU + (uint64_t)(d + 1), a[j].clu[0]));
        if (a[j].clu[1])
            add(out, &n, feat2(T_CLU_FINE + (uint64_t)(d + 1), a[j].clu[1]));
    }
    if (!blocks || i == first)
        add(out, &n, feat2(T_SUF3_L, i > first ? a[i - 1].suffix[2] : BOUNDARY_LEFT));
    if (!blocks || i + 1 == last)
        add(out, &n, feat2(T_SUF3_R, i + 1 < last ? a[i + 1].suffix[2] : BOUNDARY_RIGHT));

    /* Labels already chosen in this sentence. */
    uint64_t y1 = i > first ? st->labels[i - 1] : 99;
    uint64_t y2 = i > first + 1 ? st->labels[i - 2] : 99;
    add(out, &n, feat2(T_Y1, y1));
    add(out, &n, feat3(T_Y2, y2, y1));
    add(out, &n, feat3(T_Y1_W, y1, w->lower));
    add(out, &n, feat3(T_Y1_SH, y1, w->shape));

    /* Casing in context: a capital at a sentence's start says less. */
    uint64_t ctx = (tk->flags & TOK_SENT_START ? 1u : 0) | (tk->flags & TOK_AFTER_QUOTE ? 2u : 0) |
                   (w->flags & A_LEX_KNOWN ? 4u : 0) | (w->flags & A_INIT_CAP ? 8u : 0) |
                   (w->flags & A_ALL_CAPS ? 16u : 0) | (tk->flags & TOK_CAPS_LINE ? 32u : 0);
    add(out, &n, feat2(T_CASE, ctx));
    add(out, &n, feat3(T_LINE, tk->flags & (TOK_LINE_START | TOK_CAPS_LINE), w->shape));
    add(out, &n, feat3(T_REGION, tk->region, w->shape));
    add(out, &n, feat3(T_LEX_SH, (w->flags & A_LEX_KNOWN) | (tk->flags & TOK_SENT_START), w->shape));
    if (tk->flags & TOK_CAPS_LINE)
        add(out, &n, feat2(T_CAPSLINE_W, w->lower));

    /* Phrase lists here and next door. */
    for (uint64_t l = 0; l < PH_LISTS; l++) {
        uint32_t g = gaz_pos(w, (unsigned)l);
        if (g) {
            add(out, &n, feat2(T_GAZ, l * 8 + g));
            add(out, &n, feat3(T_GAZ_SH, l * 8 + g, w->shape));
        }
        if (i > first && gaz_pos(&a[i - 1], (unsigned)l))
            add(out, &n, feat2(T_GAZ_L, l * 8 + gaz_pos(&a[i - 1], (unsigned)l)));
        if (i + 1 < last && gaz_pos(&a[i + 1], (unsigned)l))
            add(out, &n, feat2(T_GAZ_R, l * 8 + gaz_pos(&a[i + 1], (unsigned)l)));
    }

    /* What this document said of the same word before. */
    if (w->flags & (A_INIT_CAP | A_ALL_CAPS)) {
        const struct ner_history *h = history_slot(st, w->lower);
        if (h && h->key == w->lower && h->seen)
            add(out, &n, feat2(T_SEEN, h->seen));
        for (uint64_t b = 0; h && h->key == w->lower && b < AGG_FLAGS; b++)
            if (h->agg & (1u << b))
                add(out, &n, feat2(T_AGG, b));
        if (h && h->key == w->lower) {
            unsigned total = 0;
            for (int c = 0; c <= NER_CLASSES; c++)
                total += h->count[c];
            for (int c = 0; total && c <= NER_CLASSES; c++) {
                if (!h->count[c])
                    continue;
                out[n].id = feat2(T_HIST + (uint64_t)c, 0);
                out[n].value = (float)h->count[c] / (float)total;
                n++;
            }
        }
    }
    return n;
}

/* ---- the model --------------------------------------------------------------- */

static int build_blocks(ner_model *m, const unsigned char *vocab, size_t len);

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const unsigned char *p)
{
    return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static int model_error(enrich_error *err, const char *msg)
{
    if (err) {
        err->code = ENRICH_ERR_DATA;
        err->position = (size_t)-1;
        snprintf(err->message, sizeof err->message, "entity model: %s", msg);
    }
    return ENRICH_ERR_DATA;
}

int ner_model_load(ner_model *m, const void *bytes, size_t len, int copy, enrich_error *err)
{
    memset(m, 0, sizeof *m);
    const unsigned char *p = bytes;
    if (len < MODEL_HEADER || memcmp(p, MODEL_MAGIC, 8) != 0)
        return model_error(err, "not an enrich entity model (bad magic)");
    uint32_t version = rd32(p + 8), labels = rd32(p + 12), nf = rd32(p + 16), nlex = rd32(p + 20);
    uint32_t scale_bits = rd32(p + 24), vocab_len = rd32(p + 28);
    if ((version != 2 && version != 3) || labels != NER_LABELS)
        return model_error(err, "unsupported version or label set (retrain with this version)");
    size_t need = MODEL_HEADER + (size_t)nf * 8 + (size_t)nf * NER_LABELS * 2 + (size_t)nlex * 8 + vocab_len;
    uint32_t nclu = 0; /* version 3: word classes after the vocabulary */
    if (version == 3) {
        if (len < need + 4)
            return model_error(err, "truncated or oversized");
        nclu = rd32(p + need);
        need += 4 + (size_t)nclu * NER_CLASS_ENTRY_BYTES;
    }
    if (need != len)
        return model_error(err, "truncated or oversized");
    if (copy) {
        m->owned = malloc(len);
        if (!m->owned)
            return ENRICH_ERR_NOMEM;
        memcpy(m->owned, bytes, len);
        p = m->owned;
    }
    memcpy(&m->scale, &scale_bits, 4);
    m->n_features = nf;
    const unsigned char *keys = p + MODEL_HEADER;
    m->weights = (const int16_t *)(const void *)(keys + (size_t)nf * 8);
    const unsigned char *lex = keys + (size_t)nf * 8 + (size_t)nf * NER_LABELS * 2;
    m->n_slots = 16;
    while (m->n_slots < 2 * nf)
        m->n_slots *= 2;
    m->slots = calloc(m->n_slots, sizeof *m->slots);
    m->lex_slots = hashtab_slots(nlex);
    m->lex = calloc(m->lex_slots, sizeof *m->lex);
    if (!m->slots || !m->lex) {
        ner_model_free(m);
        return ENRICH_ERR_NOMEM;
    }
    for (uint32_t r = 0; r < nf; r++) {
        uint64_t k = rd64(keys + (size_t)r * 8);
        if (k == 0 || (r > 0 && k <= rd64(keys + (size_t)(r - 1) * 8))) {
            ner_model_free(m);
            return model_error(err, "feature keys not sorted");
        }
        uint32_t i = hashtab_first(k, m->n_slots);
        while (m->slots[i].key)
            i = hashtab_next(i, m->n_slots);
        m->slots[i].key = k;
        m->slots[i].row = m->weights + (size_t)r * NER_LABELS;
    }
    for (uint32_t i = 0; i < nlex; i++) {
        uint64_t h = rd64(lex + (size_t)i * 8);
        u64set_put(m->lex, m->lex_slots, h);
    }
    m->n_lex = nlex;
    const unsigned char *cl = lex + (size_t)nlex * 8 + vocab_len + 4;
    if (nclu && ner_clusters_alloc(m, nclu) != 0) {
        ner_model_free(m);
        return ENRICH_ERR_NOMEM;
    }
    for (uint32_t i = 0; i < nclu; i++) {
        const unsigned char *e = cl + (size_t)i * NER_CLASS_ENTRY_BYTES;
        ner_clusters_put(m, rd64(e), (uint16_t)(e[8] | e[9] << 8), (uint16_t)(e[10] | e[11] << 8));
    }
    if (build_blocks(m, lex + (size_t)nlex * 8, vocab_len) != 0) {
        ner_model_free(m);
        return ENRICH_ERR_NOMEM;
    }
    return ENRICH_OK;
}

void ner_model_free(ner_model *m)
{
    free(m->slots);
    free(m->lex);
    free(m->vocab);
    free(m->clu_key);
    free(m->clu_cls);
    free(m->blocks);
    free(m->owned);
    memset(m, 0, sizeof *m);
}

static const int16_t *model_row(const ner_model *m, uint64_t k)
{
    uint32_t i = hashtab_first(k, m->n_slots);
    while (m->slots[i].key) {
        if (m->slots[i].key == k)
            return m->slots[i].row;
        i = hashtab_next(i, m->n_slots);
    }
    return NULL;
}

/* Adds the row of feature id k, if the model has one, to out. */
static void add_row(const ner_model *m, uint64_t k, int32_t *out)
{
    const int16_t *row = model_row(m, k);
    for (int l = 0; row && l < NER_LABELS; l++)
        out[l] += row[l];
}

int ner_clusters_alloc(ner_model *m, uint32_t n)
{
    free(m->clu_key);
    free(m->clu_cls);
    m->n_clu = 0;
    m->clu_slots = hashtab_slots(n);
    m->clu_key = calloc(m->clu_slots, sizeof *m->clu_key);
    m->clu_cls = calloc(m->clu_slots, sizeof *m->clu_cls);
    return m->clu_key && m->clu_cls ? 0 : -1;
}

void ner_clusters_put(ner_model *m, uint64_t lower, uint16_t coarse, uint16_t fine)
{
    uint64_t key = lower ? lower : 1;
    uint32_t i = hashtab_first(key, m->clu_slots);
    while (m->clu_key[i] && m->clu_key[i] != key)
        i = hashtab_next(i, m->clu_slots);
    if (!m->clu_key[i])
        m->n_clu++;
    m->clu_key[i] = key;
    m->clu_cls[i][0] = coarse;
    m->clu_cls[i][1] = fine;
}

const uint16_t *ner_clusters_of(const ner_model *m, uint64_t lower)
{
    if (!m->n_clu)
        return NULL;
    uint64_t key = lower ? lower : 1;
    uint32_t i = hashtab_first(key, m->clu_slots);
    while (m->clu_key[i]) {
        if (m->clu_key[i] == key)
            return m->clu_cls[i];
        i = hashtab_next(i, m->clu_slots);
    }
    return NULL;
}

/* The block of a word with attributes a: what it adds at each offset.
 * Rows of the word itself exist only for the training vocabulary, so a word
 * outside it (known 0) has only its affixes to add. The slots are fetched
 * together before any is read, so their misses overlap. */
static void word_block(const ner_model *m, const ner_token_attr *a, int known, int32_t *out)
{
    uint64_t id[NER_WINDOW + 16];
    int at[NER_WINDOW + 16]; /* the offset row each adds to */
    int n = 0;
    const uint16_t *clu = ner_clusters_of(m, a->lower);
    for (int d = -1; clu && d <= 1; d++) {
        if (clu[0]) {
            id[n] = feat2(T_CLU + (uint64_t)(d + 1), clu[0]);
            at[n++] = d + 2;
        }
        if (clu[1]) {
            id[n] = feat2(T_CLU_FINE + (uint64_t)(d + 1), clu[1]);
            at[n++] = d + 2;
        }
    }
    for (uint64_t d = 0; known && d < NER_WINDOW; d++, n++) {
        id[n] = feat2(T_LOWER + d, a->lower);
        at[n] = (int)d;
    }
    for (uint64_t k = 0; k < 4; k++) {
        id[n] = feat2(T_PRE + k, a->prefix[k]);
        at[n++] = 2;
        id[n] = feat2(T_SUF + k, a->suffix[k]);
        at[n++] = 2;
    }
    id[n] = feat2(T_SUF3_L, a->suffix[2]); /* as a word before the token */
    at[n++] = 1;
    id[n] = feat2(T_SUF3_R, a->suffix[2]); /* as a word after it */
    at[n++] = 3;
    for (int f = 0; f < n; f++)
        __builtin_prefetch(&m->slots[hashtab_first(id[f], m->n_slots)]);
    memset(out, 0, NER_BLOCK * sizeof *out);
    for (int f = 0; f < n; f++)
        add_row(m, id[f], out + at[f] * NER_LABELS);
}

static int build_blocks(ner_model *m, const unsigned char *vocab, size_t len)
{
    uint32_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += vocab[i] == 0;
    m->vocab_slots = 16;
    while (m->vocab_slots < 2 * n)
        m->vocab_slots *= 2;
    m->vocab = calloc(m->vocab_slots, sizeof *m->vocab);
    m->blocks = malloc(((size_t)n ? n : 1) * NER_BLOCK * sizeof *m->blocks);
    if (!m->vocab || !m->blocks)
        return -1;
    size_t start = 0;
    uint32_t lex_inside = 0;
    for (size_t i = 0; i < len; i++) {
        if (vocab[i])
            continue;
        ner_token_attr a;
        lower_attr(vocab + start, i - start, &a);
        start = i + 1;
        uint64_t key = a.lower ? a.lower : 1;
        uint32_t j = vocab_slot(m, key);
        while (m->vocab[j].key && m->vocab[j].key != key)
            j = hashtab_next(j, m->vocab_slots);
        if (m->vocab[j].key)
            continue; /* listed twice */
        m->vocab[j].key = key;
        m->vocab[j].index = m->n_vocab;
        m->vocab[j].lex = m->n_lex && a.lower && lex_has(m, a.lower);
        lex_inside += m->vocab[j].lex;
        word_block(m, &a, 1, m->blocks + (size_t)m->n_vocab * NER_BLOCK);
        m->n_vocab++;
    }
    m->lex_outside = lex_inside != m->n_lex;
    return 0;
}

/* ---- tagging ------------------------------------------------------------------ */

typedef int16_t v16hi __attribute__((vector_size(32)));
typedef int32_t v16si __attribute__((vector_size(64)));
_Static_assert(NER_LABELS == 17, "the scoring loop sums labels 0..15 as a vector and 16 apart");

int ner_run(enrich_doc *doc)
{
    return ner_tag_with(doc, &doc->engine->ner);
}

int ner_tag_with(enrich_doc *doc, const ner_model *m)
{
    if (!m->n_features || doc->tokens.n == 0)
        return 0;
    ner_doc_state st;
    if (ner_state_init(&st, doc, m, 0)) /* blocks hold the affixes */
        return -1;
    /* Each token's word block: the vocabulary's, found by
     * ner_state_init, or made when a neighbour is scored; blocks made for
     * words outside the vocabulary are kept by word. */
    const int32_t **blk = st.blk;
    uint32_t memo_slots = 16;
    while (memo_slots < doc->tokens.n)
        memo_slots *= 2;
    uint64_t *memo_key = arena_array(&doc->arena, memo_slots, sizeof *memo_key);
    const int32_t **memo_blk = arena_array(&doc->arena, memo_slots, sizeof *memo_blk);
    if (!memo_key || !memo_blk)
        return -1;
    ner_feat feats[NER_MAX_FEATS];
    for (uint32_t s = 0; s < doc->sentences.n; s++) {
        const sentence *se = &doc->sentences.v[s];
        for (uint32_t i = se->first; i < se->first + se->count; i++) {
            /* A word in lower case, or punctuation, after no name opens
             * none: O without scoring (most tokens of prose). */
            const ner_token_attr *at = &st.attr[i];
            unsigned char c0 = (unsigned char)doc->text[doc->tokens.v[i].s.start];
            if ((i == se->first || st.labels[i - 1] == 0) && (is_ascii_lower(c0) || (at->flags & A_PUNCT))) {
                ner_state_commit(&st, i, 0);
                doc->tokens.v[i].label = 0;
                continue;
            }
            /* Fetch the neighbours' block rows, every feature's slot, then
             * every row, before summing: the misses overlap instead of
             * queueing. */
            for (int d = -2; d <= 2; d++) {
                long j = (long)i + d;
                if (j >= (long)se->first && j < (long)(se->first + se->count) && blk[j]) {
                    const int32_t *r = blk[j] + (d + 2) * NER_LABELS;
                    __builtin_prefetch(r);
                    __builtin_prefetch(r + NER_LABELS - 1);
                }
            }
            int nf = ner_features_ex(&st, se, i, feats, 1);
            for (int f = 0; f < nf; f++)
                __builtin_prefetch(&m->slots[hashtab_first(feats[f].id, m->n_slots)]);
            const int16_t *rows[NER_MAX_FEATS];
            for (int f = 0; f < nf; f++) {
                rows[f] = model_row(m, feats[f].id);
                if (rows[f])
                    __builtin_prefetch(rows[f]);
            }
            /* Labels 0..15 in one vector (GCC vector extensions, portable),
             * label 16 apart. */
            v16si acc = {0};
            int32_t acc16 = 0;
            for (int d = -2; d <= 2; d++) {
                long j = (long)i + d;
                if (j < (long)se->first || j >= (long)(se->first + se->count))
                    continue;
                if (!blk[j]) {
                    uint64_t key = st.attr[j].lower ? st.attr[j].lower : 1;
                    uint32_t slot = hashtab_first(key, memo_slots);
                    while (memo_key[slot] && memo_key[slot] != key)
                        slot = hashtab_next(slot, memo_slots);
                    if (memo_key[slot] == key)
                        blk[j] = memo_blk[slot];
                    if (!blk[j]) {
                        int32_t *b = arena_array(&doc->arena, NER_BLOCK, sizeof *b);
                        if (!b)
                            return -1;
                        unsigned char lw[FOLD_MAX];
                        ner_token_attr wa;
                        lower_attr(lw, fold_lower_bytes(doc->text, doc->tokens.v[j].s, lw), &wa);
                        word_block(m, &wa, 0, b);
                        blk[j] = b;
                        memo_key[slot] = key;
                        memo_blk[slot] = b;
                    }
                }
                const int32_t *r = blk[j] + (d + 2) * NER_LABELS;
                v16si v;
                memcpy(&v, r, sizeof v);
                acc += v;
                acc16 += r[16];
            }
            float fscore[NER_LABELS] = {0};
            for (int f = 0; f < nf; f++) {
                const int16_t *row = rows[f];
                if (!row)
                    continue;
                if (feats[f].value == 1.0f) {
                    v16hi r;
                    memcpy(&r, row, sizeof r);
                    acc += __builtin_convertvector(r, v16si);
                    acc16 += row[16];
                } else {
                    for (int l = 0; l < NER_LABELS; l++)
                        fscore[l] += feats[f].value * (float)row[l];
                }
            }
            int32_t score[NER_LABELS];
            memcpy(score, &acc, sizeof acc);
            score[16] = acc16;
            int best = 0;
            float best_score = (float)score[0] + fscore[0];
            for (int l = 1; l < NER_LABELS; l++) {
                float v = (float)score[l] + fscore[l];
                if (v > best_score) {
                    best_score = v;
                    best = l;
                }
            }
            ner_state_commit(&st, i, best);
            doc->tokens.v[i].label = (uint8_t)best;
        }
    }
    return 0;
}

void ner_spans(const token *tokens, uint32_t first, uint32_t count,
               void (*fn)(void *ud, int cls, uint32_t a, uint32_t b), void *ud)
{
    int open = -1; /* class of the open span */
    uint32_t start = 0;
    for (uint32_t i = first; i < first + count; i++) {
        int label = tokens[i].label;
        int cls = ner_label_class(label), pos = ner_label_pos(label);
        if (open >= 0 && cls >= 0 && cls != open && (pos == NER_I || pos == NER_L)) {
            /* "Der/B-ORG Spiegel/L-PER": a label that goes on with a name
             * of another class goes on with this one, whose class is the
             * later word's (the tagger has seen more of the name there) */
            open = cls;
        } else if (open >= 0 && (cls != open || pos == NER_B || pos == NER_U)) {
            fn(ud, open, start, i - 1);
            open = -1;
        }
        if (cls < 0)
            continue;
        if (open < 0) {
            open = cls;
            start = i;
        }
        if (pos == NER_L || pos == NER_U) {
            fn(ud, open, start, i);
            open = -1;
        }
    }
    if (open >= 0)
        fn(ud, open, start, first + count - 1);
}
