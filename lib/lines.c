/*
 * lines.c - line roles (see lines.h): features, the model, greedy decoding
 * and the averaged-perceptron trainer.
 */
#include "lines.h"
#include "hashtab.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "credits.h"
#include "dateline.h"
#include "doc.h"
#include "related.h"
#include "stamp.h"
#include "utf8.h"

const char lines_role_letters[LR_ROLES + 1] = "HSYTDCXBKRGF";

static const char *const role_names[LR_ROLES] = {
    "headline", "subheadline", "byline", "timestamp", "dateline", "caption",
    "boilerplate", "body", "related_heading", "related_item", "signoff", "footer"};

const char *lines_role_name(int role)
{
    return role >= 0 && role < LR_ROLES ? role_names[role] : "body";
}

int lines_role_of_letter(char c)
{
    const char *p = c ? strchr(lines_role_letters, c) : NULL;
    return p ? (int)(p - lines_role_letters) : -1;
}

/* ---- splitting ------------------------------------------------------------ */

/* Leading indentation of t[a, e), tabs counting four. */
static unsigned indent_of(const char *t, uint32_t a, uint32_t e)
{
    unsigned w = 0;
    for (; a < e && (t[a] == ' ' || t[a] == '\t'); a++)
        w += t[a] == '\t' ? 4 : 1;
    return w;
}

long lines_split(const char *t, uint32_t n, line_info **out)
{
    uint32_t cap = 64, count = 0, block = 0;
    /* the least indentation of any line: a line indented deeper opens a
     * block (wire copy marks paragraphs so) */
    unsigned base = UINT32_MAX;
    for (uint32_t pos = 0; pos < n;) {
        const char *nl = memchr(t + pos, '\n', n - pos);
        uint32_t e = nl ? (uint32_t)(nl - t) : n;
        uint32_t k = pos;
        while (k < e && (t[k] == ' ' || t[k] == '\t' || t[k] == '\r'))
            k++;
        /* a line of spaces is blank; one that opens with other white space
         * (no-break, ideographic) is looked at whole */
        if (k < e && ((unsigned char)t[k] < 0x80 || !span_empty(text_trim(t, (span){k, e})))) {
            unsigned in = indent_of(t, pos, e);
            if (in < base)
                base = in;
        }
        pos = e + 1;
    }
    line_info *v = malloc(cap * sizeof *v);
    if (!v)
        return -1;
    int blank = 1;
    uint32_t pos = 0;
    while (pos < n) {
        uint32_t pos_start = pos;
        const char *nl = memchr(t + pos, '\n', n - pos);
        uint32_t e = nl ? (uint32_t)(nl - t) : n;
        uint32_t f = e > pos && t[e - 1] == '\r' ? e - 1 : e;
        span s = text_trim(t, (span){pos, f});
        pos = e + 1;
        if (span_empty(s)) {
            if (count && !blank)
                v[count - 1].blank_after = 1;
            if (!blank)
                block++;
            blank = 1;
            continue;
        }
        if (count && !blank && indent_of(t, pos_start, e) >= base + 2)
            block++;
        if (count == cap) {
            line_info *nv = realloc(v, (size_t)cap * 2 * sizeof *v);
            if (!nv) {
                free(v);
                return -1;
            }
            v = nv;
            cap *= 2;
        }
        v[count] = (line_info){.s = s, .block = block, .blank_before = (uint8_t)(blank && count > 0)};
        count++;
        blank = 0;
    }
    *out = v;
    return (long)count;
}

/* ---- features ------------------------------------------------------------- */

#define FEAT_MAX 96
#define WORD_MAX 24

static uint64_t fnv(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return h ? h : 1;
}

typedef struct feats {
    uint64_t h[FEAT_MAX];
    int n;
} feats;

/* Adds the feature of template tmpl (the FNV-1a hash of its name, written
 * beside each call) and up to three values: hashes, no strings built. */
static inline uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static void feat(feats *f, uint64_t tmpl, uint64_t a, uint64_t b, uint64_t c)
{
    if (f->n >= FEAT_MAX)
        return;
    uint64_t h = mix64(tmpl ^ ((a + 1) * 0xD6E8FEB86659FD93ULL) ^ ((b + 1) * 0x9E3779B97F4A7C15ULL) ^
                       ((c + 1) * 0xC2B2AE3D27D4EB4FULL));
    f->h[f->n++] = h ? h : 1;
}

static int bucket(uint32_t x, const uint32_t *edges, int n)
{
    int i = 0;
    while (i < n && x > edges[i])
        i++;
    return i;
}

static const uint32_t len_edges[] = {10, 20, 40, 60, 80, 120, 200, 400};
static const uint32_t word_edges[] = {1, 2, 3, 5, 8, 12, 20, 40};
static const uint32_t pos_edges[] = {0, 1, 2, 3, 4, 7, 12, 20, 40};

/* A character class for the first or last character of a line. */
static char char_class(const char *t, span s, int last)
{
    uint32_t i = last ? s.end - 1 : s.start;
    if (last)
        while (i > s.start && ((unsigned char)t[i] & 0xC0) == 0x80)
            i--;
    unsigned char c = (unsigned char)t[i];
    if (c >= 0x80) {
        /* quotes and dashes in UTF-8: E2 80 9x */
        if (c == 0xE2 && i + 2 < s.end && (unsigned char)t[i + 1] == 0x80) {
            unsigned char d = (unsigned char)t[i + 2];
            if (d >= 0x98 && d <= 0x9F)
                return 'q';
            if (d == 0x93 || d == 0x94)
                return '-';
            if (d == 0xA6)
                return 'e'; /* ellipsis */
            if (d == 0xA2)
                return '*';
        }
        return 'u';
    }
    if (is_ascii_upper(c))
        return 'A';
    if (is_ascii_lower(c))
        return 'a';
    if (is_ascii_digit(c))
        return '9';
    switch (c) {
    case '.': case '!': case '?': case ':': case ',': case ';': case ')': case '(': case '*':
    case '-': case '|': case '[': case ']': case '#': case '@': case '>':
        return (char)c;
    case '"': case '\'':
        return 'q';
    default:
        return 'o';
    }
}

/* The lower-case ASCII letters and digits of the word t[a, b), at most
 * WORD_MAX - 1 of them; "" when it has none. */
static void word_key(const char *t, uint32_t a, uint32_t b, char *out)
{
    int k = 0;
    for (uint32_t i = a; i < b && k < WORD_MAX - 1; i++) {
        unsigned char c = (unsigned char)t[i];
        if (is_ascii_alpha(c) || is_ascii_digit(c))
            out[k++] = (char)ascii_lower(c);
    }
    out[k] = 0;
}

typedef struct shape {
    uint32_t len, words;
    int caps;      /* 0 no letters, 1 all capitals, 2 title case, 3 half, 4 low */
    int first_names, digits, furniture;
    uint32_t cap_words;
    int year, clock, month, ampm, ago;
    char fc, lc;
    char fw[WORD_MAX], fw2[WORD_MAX], lw[WORD_MAX];
    int credit, stamp, relhead, link, dl_line, dl_inline, dl_checked;
    int has_pipe, has_dash, has_at, has_url, has_copy, has_paren, has_under, has_colon, has_comma, has_slash, has_bracket;
    int long_line;
} shape;

static int is_space_byte(unsigned char c) { return c == ' ' || c == '\t'; }

/* Lines among the first this many, up to the first line of running text,
 * may hold the dateline. */
#define DATELINE_LINES 8

static void line_shape(const enrich_engine *e, const char *t, span s, int dl, shape *sh, lines_dateline *found)
{
    memset(sh, 0, sizeof *sh);
    sh->len = span_len(s);
    /* names and month words are looked up on short lines only (bylines,
     * stamps, captions' credits), where they tell; not in running text */
    unsigned spaces = 0;
    for (uint32_t k = s.start; k < s.end; k++)
        spaces += t[k] == ' ';
    int short_line = spaces < 12;
    sh->fc = char_class(t, s, 0);
    sh->lc = char_class(t, s, 1);
    int upper = 0, lower = 0, widx = 0, prev_digit = 0, has_by = 0;
    uint32_t i = s.start, last_a = 0, last_i = 0;
    while (i < s.end) {
        while (i < s.end && is_space_byte((unsigned char)t[i]))
            i++;
        if (i >= s.end)
            break;
        uint32_t a = i;
        while (i < s.end && !is_space_byte((unsigned char)t[i]))
            i++;
        sh->words++;
        uint32_t c0 = a;
        while (c0 < i && !is_ascii_alpha(t[c0]) && !is_ascii_digit(t[c0]) && (unsigned char)t[c0] < 0x80)
            c0++;
        /* the words' keys: the first two, short ones (by, am, ago), and the
         * last, read when the line ends */
        char key[WORD_MAX];
        key[0] = 0;
        if (widx < 2 || i - a <= 4)
            word_key(t, a, i, key);
        if (widx == 0 && key[0]) {
            memcpy(sh->fw, key, WORD_MAX);
            widx = 1;
        } else if (widx == 1 && key[0]) {
            memcpy(sh->fw2, key, WORD_MAX);
            widx = 2;
        }
        if (c0 < i) {
            last_a = a;
            last_i = i;
        }
        if (c0 < i && is_ascii_upper(t[c0])) {
            sh->cap_words++;
            /* a first name or a button's word ("Share"): letters alone */
            if (short_line && e) {
                uint32_t z = c0;
                while (z < i && is_ascii_alpha(t[z]))
                    z++;
                if (z > c0 + 1) {
                    uint64_t h = fold_lower_hash(t, (span){c0, z});
                    uint64_t ph = phrase_extend(0, h);
                    if (phrases_may_start(&e->phrases, ph)) {
                        const phrase *f = phrases_find(&e->phrases, ph);
                        sh->first_names += f && (f->lists & PH_FIRST_NAME);
                    }
                    sh->furniture += wordset_has(&e->furniture_words, h);
                }
            }
        }
        /* a month name stands by a number: "Nov 19", "19 November" */
        uint32_t nx = i;
        while (nx < s.end && is_space_byte((unsigned char)t[nx]))
            nx++;
        int by_number = prev_digit || (nx < s.end && is_ascii_digit(t[nx]));
        prev_digit = c0 < i && is_ascii_digit(t[c0]);
        if (by_number && i - c0 >= 3 && i - c0 <= 10 && strchr("ADFJMNOSadfjmnos", t[c0]) &&
            calendar_month(t + c0, i - c0) > 0)
            sh->month = 1;
        if (key[0] == 'b' && key[1] == 'y' && !key[2])
            has_by = 1;
        if (strcmp(key, "am") == 0 || strcmp(key, "pm") == 0)
            sh->ampm = 1;
        if (strcmp(key, "ago") == 0)
            sh->ago = 1;
    }
    if (last_i > last_a)
        word_key(t, last_a, last_i, sh->lw);
    for (i = s.start; i < s.end; i++) {
        unsigned char c = (unsigned char)t[i];
        if (is_ascii_upper(c))
            upper++;
        else if (is_ascii_lower(c))
            lower++;
        else if (is_ascii_digit(c)) {
            sh->digits++;
            if (i + 3 < s.end && (c == '1' || c == '2') && is_ascii_digit(t[i + 1]) && is_ascii_digit(t[i + 2]) &&
                is_ascii_digit(t[i + 3]) && (i + 4 >= s.end || !is_ascii_digit(t[i + 4])) &&
                (i == s.start || !is_ascii_digit(t[i - 1])))
                sh->year = 1;
            if (i + 2 < s.end && t[i + 1] == ':' && is_ascii_digit(t[i + 2]))
                sh->clock = 1;
        } else if (c == '|')
            sh->has_pipe = 1;
        else if (c == '@')
            sh->has_at = 1;
        else if (c == '(')
            sh->has_paren = 1;
        else if (c == '_')
            sh->has_under = 1;
        else if (c == ':')
            sh->has_colon = 1;
        else if (c == ',')
            sh->has_comma = 1;
        else if (c == '/')
            sh->has_slash = 1;
        else if (c == '[')
            sh->has_bracket = 1;
        else if (c == '-' && i > s.start && i + 1 < s.end && t[i - 1] == ' ' && t[i + 1] == ' ')
            sh->has_dash = 1;
        else if (c == 0xE2 && i + 2 < s.end && (unsigned char)t[i + 1] == 0x80 &&
                 ((unsigned char)t[i + 2] == 0x93 || (unsigned char)t[i + 2] == 0x94))
            sh->has_dash = 1;
        else if (c == 0xC2 && i + 1 < s.end && (unsigned char)t[i + 1] == 0xA9)
            sh->has_copy = 1;
    }
    if (sh->has_slash && text_ifind(t, s, "http") >= 0)
        sh->has_url = 1;
    if (upper + lower == 0)
        sh->caps = 0;
    else if (lower == 0 && upper >= 2)
        sh->caps = 1;
    else if (sh->words && sh->cap_words * 10 >= sh->words * 8)
        sh->caps = 2;
    else if (sh->words && sh->cap_words * 2 >= sh->words)
        sh->caps = 3;
    else
        sh->caps = 4;
    sh->long_line = sh->len >= 150 || sh->words >= 25;
    if (!e || sh->len > 600)
        return;
    credit cr[CREDITS_MAX_PER_LINE];
    stamp_info st[STAMPS_MAX_PER_LINE];
    span rest;
    dateline_info d;
    uint32_t after;
    /* the parsers only where their forms can be: credits hold "by", a
     * colon or a comma on a short line; stamps digits and a date or clock;
     * datelines stand among the first lines */
    if (sh->words <= 40 && (has_by || sh->has_colon || (sh->has_comma && sh->words <= 10)))
        sh->credit = credits_parse_line(t, s, cr, CREDITS_MAX_PER_LINE) > 0;
    if (sh->digits && sh->len <= 200 && (sh->month || sh->clock || sh->year || sh->ago || sh->has_slash))
        sh->stamp = stamp_parse_line(t, s, st, STAMPS_MAX_PER_LINE) > 0;
    if ((sh->words <= 8 && sh->len <= 64) || sh->has_colon)
        sh->relhead = related_heading(t, s, &rest);
    if (sh->has_slash || sh->has_bracket)
        sh->link = related_link_line(t, s);
    sh->dl_checked = dl != 0;
    if (dl && (utf8_name_start(t, s.end, s.start) ||
                                   t[s.start] == '*')) {
        /* a dateline closes with a dash, a colon or an agency in brackets
         * within its first 100 bytes */
        uint32_t lim = s.start + 100 < s.end ? s.start + 100 : s.end;
        int sep = 0;
        for (uint32_t k = s.start; k < lim && !sep; k++)
            sep = t[k] == '-' || t[k] == ':' || t[k] == '(' || (unsigned char)t[k] == 0xE2;
        if (sep)
            sh->dl_inline = dateline_parse_inline(e, t, s, found && found->info && found->line == UINT32_MAX ? found->info : &d,
                                                  found && found->line == UINT32_MAX ? &found->after : &after);
        /* a dateline standing alone: a few words, no sentence's end */
        if (!sh->dl_inline && sh->words <= 8 && sh->len <= 120 && sh->lc != '.' && sh->lc != '?' &&
            sh->lc != '!' && sh->lc != 'q')
            sh->dl_line = dateline_parse_line(e, t, s, &d);
    }
}

/* Features of line i that do not depend on the roles given so far. */
/* What the features read about the whole page. */
typedef struct page_ctx {
    const uint32_t *long_before; /* long lines before line i */
    const uint32_t *run_first;   /* the first line of i's run of title-like lines */
    const uint32_t *run_end;     /* the line after it */
} page_ctx;

/* A line shaped like a headline: three to twenty-five words, not ending a
 * sentence or a clause. */
static int title_like(const shape *x)
{
    return x->words >= 3 && x->words <= 25 && x->lc != '.' && x->lc != ':' && x->lc != ',' && x->lc != ';';
}

static void static_features(const char *t, const line_info *L, const shape *sh, uint32_t n, uint32_t i,
                            const page_ctx *cx, feats *f)
{
    const uint32_t *long_before = cx->long_before;
    const shape *x = &sh[i];
    int lb = (int)long_before[i], la = (int)(long_before[n] - long_before[i] - (uint32_t)x->long_line);
    lb = lb > 3 ? 3 : lb;
    la = la > 3 ? 3 : la;
    int L_ = bucket(x->len, len_edges, 8), W = bucket(x->words, word_edges, 8);
    int P = bucket(i, pos_edges, 9), R = bucket(n - 1 - i, pos_edges, 9);
    int fn = x->first_names > 3 ? 3 : x->first_names;
    feat(f, 0xaf63df4c8601f1a5ULL /* b */, 0, 0, 0);
    feat(f, 0x25ef9419b95bc36aULL /* L%d */, (uint64_t)(L_), 0, 0);
    feat(f, 0x73d00319e5718af7ULL /* W%d */, (uint64_t)(W), 0, 0);
    feat(f, 0xf6ca07190da8d143ULL /* c%d */, (uint64_t)(x->caps), 0, 0);
    feat(f, 0x0062a9792056b6b6ULL /* fc%c */, (uint64_t)(x->fc), 0, 0);
    feat(f, 0xf19b71ad8555ebacULL /* lc%c */, (uint64_t)(x->lc), 0, 0);
    feat(f, 0x2d1c674420c9bb82ULL /* fc%c_lc%c */, (uint64_t)(x->fc), (uint64_t)(x->lc), 0);
    feat(f, 0x5189a50f1a7ad581ULL /* W%d_lc%c */, (uint64_t)(W), (uint64_t)(x->lc), 0);
    feat(f, 0xc15abf7eb35045b8ULL /* W%d_c%d */, (uint64_t)(W), (uint64_t)(x->caps), 0);
    if (x->fw[0])
        feat(f, 0xdde7fd6cfc8a5039ULL /* fw=%s */, fnv(x->fw), 0, 0);
    if (x->fw2[0])
        feat(f, 0x334a80ae3c1800f1ULL /* f2=%s_%s */, fnv(x->fw), fnv(x->fw2), 0);
    if (x->lw[0])
        feat(f, 0xd6f9297fff7bd97bULL /* lw=%s */, fnv(x->lw), 0, 0);
    if (x->words <= 4 && x->fw[0])
        feat(f, 0x6e9ff96d7f81be34ULL /* short_fw=%s */, fnv(x->fw), 0, 0);
    feat(f, 0xe5852f7910dee8fcULL /* fn%d */, (uint64_t)(fn), 0, 0);
    feat(f, 0x2e16990ab9dddbecULL /* fn%d_c%d_W%d */, (uint64_t)(fn), (uint64_t)(x->caps), (uint64_t)(W));
    if (x->furniture)
        feat(f, 0x98573e0d2125fccaULL /* furn%d_W%d */, x->furniture > 2 ? 2 : x->furniture, (uint64_t)W, 0);
    if (x->first_names && x->caps <= 2 && x->words <= 8)
        feat(f, 0xafb732fff268924dULL /* namey */, 0, 0, 0);
    if (x->year) feat(f, 0x08ed4407b589ef92ULL /* yr */, 0, 0, 0);
    if (x->clock) feat(f, 0xf6080c190d03c7e3ULL /* clk */, 0, 0, 0);
    if (x->month) feat(f, 0x0808631917671fe1ULL /* mon */, 0, 0, 0);
    if (x->month && x->year) feat(f, 0xaa3dc6e89b656266ULL /* mon_yr_W%d */, (uint64_t)(W), 0, 0);
    if (x->ampm) feat(f, 0x8c229d83aecc34fcULL /* ampm */, 0, 0, 0);
    if (x->ago) feat(f, 0xe715be190539325aULL /* ago */, 0, 0, 0);
    if ((uint32_t)x->digits * 4 > x->len) feat(f, 0x62030ba9632d923dULL /* digity */, 0, 0, 0);
    if (x->credit) feat(f, 0xdd92efead02710a4ULL /* credit */, 0, 0, 0);
    if (x->stamp) feat(f, 0xee7ba9ad45c64144ULL /* stamp */, 0, 0, 0);
    if (x->relhead) feat(f, 0x49415bf5f7c3f4c6ULL /* relhead */, 0, 0, 0);
    if (x->link) feat(f, 0xbf4b9bad694f4809ULL /* link */, 0, 0, 0);
    if (x->dl_line) feat(f, 0x1838f21d81f8893cULL /* dl_line */, 0, 0, 0);
    if (x->dl_inline) feat(f, 0x3a9d4b5549478323ULL /* dl_inline */, 0, 0, 0);
    if (x->has_pipe) feat(f, 0xbed8c20dc4e85ed9ULL /* pipe */, 0, 0, 0);
    if (x->has_dash) feat(f, 0x85657e6730abe435ULL /* dash */, 0, 0, 0);
    if (x->has_at) feat(f, 0x089c4e07b545a968ULL /* at */, 0, 0, 0);
    if (x->has_url) feat(f, 0x4c4e8b193dc8be7eULL /* url */, 0, 0, 0);
    if (x->has_copy) feat(f, 0x0bf903911984eee4ULL /* copy */, 0, 0, 0);
    if (x->has_paren) feat(f, 0x0c1eb2a7a1ce22dbULL /* paren */, 0, 0, 0);
    if (x->has_under) feat(f, 0xa9b4194ecfe6716dULL /* under */, 0, 0, 0);
    feat(f, 0x8e9fa019f4dd56ceULL /* P%d */, (uint64_t)(P), 0, 0);
    feat(f, 0x9f18de19fdf42abcULL /* R%d */, (uint64_t)(R), 0, 0);
    feat(f, 0xe1323575ac1a5195ULL /* dec%u */, (uint64_t)(n > 1 ? i * 10 / n : 0u), 0, 0);
    feat(f, 0xfa3ea7ad8a39096aULL /* lb%d */, (uint64_t)(lb), 0, 0);
    feat(f, 0x03acbead8fc7a5dfULL /* la%d */, (uint64_t)(la), 0, 0);
    feat(f, 0xbc8367dfac5d62c9ULL /* lb%d_la%d */, (uint64_t)(lb), (uint64_t)(la), 0);
    feat(f, 0xf821026825def30eULL /* lb%d_la%d_W%d */, (uint64_t)(lb), (uint64_t)(la), (uint64_t)(W));
    feat(f, 0x1838c4b2115b94abULL /* lb%d_la%d_lc%c */, (uint64_t)(lb), (uint64_t)(la), (uint64_t)(x->lc));
    feat(f, 0x3e9248f4f8b2284dULL /* P%d_W%d */, (uint64_t)(P), (uint64_t)(W), 0);
    feat(f, 0x610c946623ffbbf1ULL /* bb%d_ba%d */, (uint64_t)(L[i].blank_before), (uint64_t)(L[i].blank_after), 0);
    if (x->long_line) feat(f, 0xcde8c9ad70d16733ULL /* long */, 0, 0, 0);
    if (i > 0) {
        const shape *p = &sh[i - 1];
        feat(f, 0xb972820e52addb90ULL /* pL%d */, (uint64_t)(bucket(p->len, len_edges, 8)), 0, 0);
        feat(f, 0x10605e4e219f5476ULL /* plc%c */, (uint64_t)(p->lc), 0, 0);
        if (p->credit) feat(f, 0x0bc550674c436baeULL /* pcredit */, 0, 0, 0);
        if (p->relhead) feat(f, 0x15097f45e940e158ULL /* prelhead */, 0, 0, 0);
        if (p->fw[0] && p->words <= 3) feat(f, 0x52b8a71af995c3bbULL /* pfw=%s */, fnv(p->fw), 0, 0);
        if (L[i - 1].block == L[i].block) feat(f, 0x9476534d7c05e99cULL /* sameblock_prev */, 0, 0, 0);
        if (span_len(L[i - 1].s) == span_len(L[i].s) &&
            memcmp(t + L[i - 1].s.start, t + L[i].s.start, span_len(L[i].s)) == 0)
            feat(f, 0x5cd6f5da11009906ULL /* dup_prev */, 0, 0, 0);
        if (bucket(p->len, len_edges, 8) == L_ && p->lc == x->lc) feat(f, 0x872bbf2e6ddd5a56ULL /* like_prev */, 0, 0, 0);
    } else {
        feat(f, 0x89d7ed7f996f1d41ULL /* first */, 0, 0, 0);
    }
    if (i + 1 < n) {
        const shape *q = &sh[i + 1];
        feat(f, 0x496fe1bb6a3cd7e6ULL /* nL%d */, (uint64_t)(bucket(q->len, len_edges, 8)), 0, 0);
        feat(f, 0x18ceaf6ac936b8f8ULL /* nlc%c */, (uint64_t)(q->lc), 0, 0);
        if (q->credit) feat(f, 0xf23df36edcd41178ULL /* ncredit */, 0, 0, 0);
        if (q->stamp) feat(f, 0xe0d1e762b8bd28e8ULL /* nstamp */, 0, 0, 0);
        if (q->dl_inline) feat(f, 0xf71f9bfea5ebc7afULL /* ndl_inline */, 0, 0, 0);
        if (q->fw[0] && q->words <= 3) feat(f, 0x0aaeda1c602b73adULL /* nfw=%s */, fnv(q->fw), 0, 0);
        if (bucket(q->len, len_edges, 8) == L_ && q->lc == x->lc) feat(f, 0x0151ad76952ef582ULL /* like_next */, 0, 0, 0);
    } else {
        feat(f, 0x0456d2ad905847d9ULL /* last */, 0, 0, 0);
    }
    /* lists: the run of title-like lines this line stands in, and the
     * short line heading it */
    uint32_t rf = cx->run_first[i], re = cx->run_end[i];
    if (re > rf) {
        uint32_t rl = re - rf;
        feat(f, 0x7a33b36a33aa6838ULL /* run%u */, rl > 4 ? 4 : rl, 0, 0);
        feat(f, 0x770fc22cdd9b5e3fULL /* run%u_la%d */, rl > 4 ? 4 : rl, (uint64_t)la, 0);
        if (rf > 0 && sh[rf - 1].words <= 8 && !title_like(&sh[rf - 1])) {
            const shape *h = &sh[rf - 1];
            if (h->fw[0])
                feat(f, 0x3985a023c9625783ULL /* hfw=%s */, fnv(h->fw), 0, 0);
            if (h->lw[0])
                feat(f, 0x1d3c8bef19fb7171ULL /* hlw=%s */, fnv(h->lw), 0, 0);
            if (h->relhead)
                feat(f, 0x25cedf8de2818050ULL /* hrelhead */, 0, 0, 0);
        }
    } else if (i + 1 < n && cx->run_end[i + 1] > cx->run_first[i + 1]) {
        uint32_t rl = cx->run_end[i + 1] - cx->run_first[i + 1];
        feat(f, 0xe33aef8bfbd47e90ULL /* heads_run%u */, rl > 4 ? 4 : rl, 0, 0);
        if (x->words <= 8 && x->fw[0])
            feat(f, 0x715a9fe623a11991ULL /* heads_fw=%s */, fnv(x->fw), 0, 0);
    }
    if (i > 0 && span_len(L[0].s) == span_len(L[i].s) && memcmp(t + L[0].s.start, t + L[i].s.start, span_len(L[i].s)) == 0)
        feat(f, 0x50595622a83cd2efULL /* dup_first */, 0, 0, 0);
}

/* Features that depend on the roles of the two lines before. */
static void role_features(const shape *sh, uint32_t i, const uint8_t *roles, feats *f)
{
    char p1 = i > 0 ? lines_role_letters[roles[i - 1]] : '^';
    char p2 = i > 1 ? lines_role_letters[roles[i - 2]] : '^';
    const shape *x = &sh[i];
    feat(f, 0x0d92b020bd8063b8ULL /* r1%c */, (uint64_t)(p1), 0, 0);
    feat(f, 0x8be592c8c2337315ULL /* r2%c%c */, (uint64_t)(p2), (uint64_t)(p1), 0);
    feat(f, 0x6512401335ee2b0aULL /* r1%c_L%d */, (uint64_t)(p1), (uint64_t)(bucket(x->len, len_edges, 8)), 0);
    feat(f, 0x22d08cacd8fe7b0cULL /* r1%c_lc%c */, (uint64_t)(p1), (uint64_t)(x->lc), 0);
    feat(f, 0x604bf313c43bbd23ULL /* r1%c_c%d */, (uint64_t)(p1), (uint64_t)(x->caps), 0);
    if (x->long_line) feat(f, 0xff1de4acc479f693ULL /* r1%c_long */, (uint64_t)(p1), 0, 0);
    if (x->fw[0] && x->words <= 4) feat(f, 0x1cac859e583fa699ULL /* r1%c_fw=%s */, (uint64_t)(p1), fnv(x->fw), 0);
}

/* ---- the model ------------------------------------------------------------- */

static uint32_t slot_of(const uint64_t *keys, uint32_t n_slots, uint64_t k)
{
    uint32_t i = hashtab_first(k ^ (k >> 32), n_slots);
    while (keys[i] && keys[i] != k)
        i = hashtab_next(i, n_slots);
    return i;
}

static uint32_t key_fp(uint64_t k)
{
    return (uint32_t)(k >> 32) | 1u;
}

static const int16_t *model_row(const lines_model *m, uint64_t k)
{
    if (!m->n_slots)
        return NULL;
    uint32_t i = hashtab_first(k ^ (k >> 32), m->n_slots), fp = key_fp(k);
    while (m->slots[i].fp && m->slots[i].fp != fp)
        i = hashtab_next(i, m->n_slots);
    return m->slots[i].fp ? m->rows + (size_t)m->slots[i].row * LR_ROLES : NULL;
}

static int data_fail(enrich_error *err, unsigned line)
{
    if (err) {
        err->code = ENRICH_ERR_DATA;
        err->position = (size_t)-1;
        snprintf(err->message, sizeof err->message, "layout model: line %u is malformed", line);
    }
    return ENRICH_ERR_DATA;
}

int lines_model_load(lines_model *m, const char *data, size_t len, enrich_error *err)
{
    memset(m, 0, sizeof *m);
    uint32_t rows = 0;
    for (size_t i = 0; i < len; i++)
        rows += data[i] == '\n';
    m->n_slots = 16;
    while (m->n_slots < rows * 2 + 2)
        m->n_slots *= 2;
    m->slots = calloc(m->n_slots, sizeof *m->slots);
    m->rows = calloc((size_t)(rows ? rows : 1) * LR_ROLES, sizeof *m->rows);
    float *fw = calloc((size_t)(rows ? rows : 1) * LR_ROLES, sizeof *fw); /* as read, before scaling */
    if (!m->slots || !m->rows || !fw) {
        free(fw);
        lines_model_free(m);
        return ENRICH_ERR_NOMEM;
    }
    float top = 0;
    size_t i = 0;
    unsigned lineno = 0;
    while (i < len) {
        size_t e = i;
        while (e < len && data[e] != '\n')
            e++;
        lineno++;
        if (e > i && data[i] != '#') {
            char buf[512];
            size_t n = e - i < sizeof buf - 1 ? e - i : sizeof buf - 1;
            memcpy(buf, data + i, n);
            buf[n] = 0;
            char *p = buf, *end;
            unsigned long long k = strtoull(p, &end, 16);
            if (end == p || k == 0) {
                free(fw);
                lines_model_free(m);
                return data_fail(err, lineno);
            }
            float w[LR_ROLES];
            for (int r = 0; r < LR_ROLES; r++) {
                p = end;
                w[r] = strtof(p, &end);
                if (end == p || !isfinite(w[r]) || fabsf(w[r]) > 1e6f) {
                    free(fw);
                    lines_model_free(m);
                    return data_fail(err, lineno);
                }
                if (fabsf(w[r]) > top)
                    top = fabsf(w[r]);
            }
            uint32_t s = hashtab_first(k ^ (k >> 32), m->n_slots), fp = key_fp((uint64_t)k);
            while (m->slots[s].fp && m->slots[s].fp != fp)
                s = hashtab_next(s, m->n_slots);
            if (!m->slots[s].fp) {
                m->slots[s].fp = fp;
                m->slots[s].row = m->n_features++;
            }
            memcpy(fw + (size_t)m->slots[s].row * LR_ROLES, w, sizeof w);
        }
        i = e + 1;
    }
    /* one scale for all: the largest weight to 8,000, so that a hundred
     * features summed stay far inside an int32 */
    float scale = top > 0 ? 8000.0f / top : 1.0f;
    for (size_t k = 0; k < (size_t)m->n_features * LR_ROLES; k++)
        m->rows[k] = (int16_t)lrintf(fw[k] * scale);
    free(fw);
    return ENRICH_OK;
}

void lines_model_free(lines_model *m)
{
    free(m->slots);
    free(m->rows);
    memset(m, 0, sizeof *m);
}

/* ---- decoding -------------------------------------------------------------- */

/* Per-page state: shapes and the static features of every line. */
typedef int32_t score_row[LR_ROLES];
typedef float tr_row[LR_ROLES];

static void score_with(const lines_model *m, const feats *f, score_row s);

typedef struct page {
    shape *sh;
    feats *fs;       /* training: every line's static features */
    score_row *base; /* tagging: every line's score from its static features */
    uint8_t *cont; /* 1: the line goes on a hard-wrapped paragraph (continues);
                    * WRAP_START: it opens one; either way not classified */
    uint32_t n;
} page;

/* Does line i go on the paragraph of the line before, hard-wrapped as wire
 * copy and plain-text mail are: the same block, the line before of a wrap
 * width (50 to 100 bytes) and not closing a sentence. Such a line has its
 * paragraph's role and is not classified on its own. */
static int continues(const char *t, const line_info *L, uint32_t i)
{
    if (i == 0 || L[i].block != L[i - 1].block)
        return 0;
    uint32_t len = span_len(L[i - 1].s);
    if (len < 50 || len > 100 || span_len(L[i].s) > 100)
        return 0;
    char c = t[L[i - 1].s.end - 1];
    return c != '.' && c != '!' && c != '?' && c != ':' && c != '"' && (unsigned char)c < 0x80;
}

#define WRAP_START 2

/* The role a continuation line takes from the line before: the same (a
 * dateline paragraph is one block of that role). */
static uint8_t continued_role(uint8_t prev)
{
    return prev;
}

/* The role of a line not classified (p->cont[i] set): a continuation
 * line's paragraph's; a hard-wrapped paragraph's first line is the story,
 * its dateline paragraph when it is the first and opens with a dateline.
 * story: a line of the story came before. */
static uint8_t ruled_role(const uint8_t *cont, const shape *sh, uint32_t i, const uint8_t *roles, int story)
{
    if (cont[i] == 1)
        return continued_role(roles[i - 1]);
    return !story && sh[i].dl_inline ? LR_DATELINE : LR_BODY;
}

/* The cheap part of a line's shape, for a continuation line: what the
 * features of its neighbours read. */
static void line_shape_cheap(const char *t, span s, shape *sh)
{
    sh->len = span_len(s);
    sh->fc = char_class(t, s, 0);
    sh->lc = char_class(t, s, 1);
    sh->fw[0] = sh->fw2[0] = sh->lw[0] = 0;
    /* words: runs of non-space (one space between words is the rule in
     * running text, so the count of spaces is the count less one) */
    uint32_t spaces = 0;
    for (uint32_t k = s.start; k < s.end; k++)
        spaces += t[k] == ' ';
    sh->words = spaces + 1;
    sh->long_line = sh->len >= 150 || sh->words >= 25;
}
static void page_free(page *p)
{
    free(p->sh);
    free(p->fs);
    free(p->base);
    free(p->cont);
    memset(p, 0, sizeof *p);
}

/* Builds the shapes of the lines and, with a model m, each line's score
 * from its static features (tagging); without, the features themselves
 * (training). */
static int page_build(const enrich_engine *e, const lines_model *m, const char *t, const line_info *L, uint32_t n,
                      page *p, lines_dateline *found)
{
    memset(p, 0, sizeof *p);
    p->n = n;
    p->sh = malloc((n ? n : 1) * sizeof *p->sh);
    if (m)
        p->base = calloc(n ? n : 1, sizeof *p->base);
    else
        p->fs = malloc((n ? n : 1) * sizeof *p->fs);
    p->cont = malloc(n ? n : 1);
    uint32_t *lb = malloc(((size_t)n + 1) * sizeof *lb);
    uint32_t *rf = malloc((n ? n : 1) * sizeof *rf), *re = malloc((n ? n : 1) * sizeof *re);
    if (!p->sh || (!p->fs && !p->base) || !p->cont || !lb || !rf || !re) {
        free(lb);
        free(rf);
        free(re);
        page_free(p);
        return -1;
    }
    lb[0] = 0;
    /* a line of running text seen (a long line, or one a hard-wrapped
     * paragraph goes on from): no dateline after it */
    int prose = 0;
    for (uint32_t i = 0; i < n; i++)
        p->cont[i] = (uint8_t)continues(t, L, i);
    /* the first line of a hard-wrapped paragraph (not the text's first)
     * whose next line goes on in lower case, mid-sentence: running text,
     * the story's (WRAP_START); a list of titles goes on in capitals */
    for (uint32_t i = 1; i + 1 < n; i++)
        if (!p->cont[i] && p->cont[i + 1] == 1 && is_ascii_lower((unsigned char)t[L[i + 1].s.start]))
            p->cont[i] = WRAP_START;
    dateline_info d;
    uint32_t after;
    for (uint32_t i = 0; i < n; i++) {
        if (p->cont[i])
            memset(&p->sh[i], 0, sizeof p->sh[i]);
        if (p->cont[i] == WRAP_START) {
            /* its role needs only whether it opens with a dateline */
            line_shape_cheap(t, L[i].s, &p->sh[i]);
            p->sh[i].dl_checked = !prose;
            if (!prose && e)
                p->sh[i].dl_inline = dateline_parse_inline(
                    e, t, L[i].s, found && found->info && found->line == UINT32_MAX ? found->info : &d,
                    found && found->line == UINT32_MAX ? &found->after : &after);
            if (found && found->line == UINT32_MAX && p->sh[i].dl_inline)
                found->line = i;
        } else if (p->cont[i] == 1)
            line_shape_cheap(t, L[i].s, &p->sh[i]);
        else /* dl: parse datelines (not on the first line: the headline) */
        {
            line_shape(e, t, L[i].s, prose || i == 0 || i >= DATELINE_LINES ? 0 : 2, &p->sh[i], found);
            if (found && found->line == UINT32_MAX && p->sh[i].dl_inline)
                found->line = i;
        }
        if (p->sh[i].long_line || (i + 1 < n && p->cont[i + 1] == 1))
            prose = 1;
        lb[i + 1] = lb[i] + (uint32_t)p->sh[i].long_line;
    }
    /* runs of title-like lines (a continuation line is no title) */
    for (uint32_t i = 0; i < n;) {
        uint32_t j = i;
        while (j < n && !p->cont[j] && title_like(&p->sh[j]))
            j++;
        for (uint32_t k = i; k < j; k++)
            rf[k] = i, re[k] = j;
        if (j == i)
            rf[i] = re[i] = i, j = i + 1;
        i = j;
    }
    page_ctx cx = {lb, rf, re};
    for (uint32_t i = 0; i < n; i++) {
        if (m) {
            feats f;
            f.n = 0;
            if (!p->cont[i]) {
                static_features(t, L, p->sh, n, i, &cx, &f);
                score_with(m, &f, p->base[i]);
            }
        } else {
            p->fs[i].n = 0;
            if (!p->cont[i])
                static_features(t, L, p->sh, n, i, &cx, &p->fs[i]);
        }
    }
    free(lb);
    free(rf);
    free(re);
    return 0;
}

static int best_role_f(const tr_row s)
{
    int b = LR_BODY;
    for (int r = 0; r < LR_ROLES; r++)
        if (s[r] > s[b])
            b = r;
    return b;
}

static int best_role(const score_row s)
{
    int b = LR_BODY;
    for (int r = 0; r < LR_ROLES; r++)
        if (s[r] > s[b])
            b = r;
    return b;
}

static void score_with(const lines_model *m, const feats *f, score_row s)
{
    for (int k = 0; k < f->n; k++) {
        const int16_t *w = model_row(m, f->h[k]);
        if (w)
            for (int r = 0; r < LR_ROLES; r++)
                s[r] += w[r];
    }
}

int lines_classify(const enrich_engine *e, const lines_model *m, const char *t, line_info *L, uint32_t n,
                   lines_dateline *dl)
{
    if (dl)
        dl->line = UINT32_MAX;
    if (!m || !m->n_features) {
        for (uint32_t i = 0; i < n; i++)
            L[i].role = LR_BODY;
        return 0;
    }
    page p;
    if (page_build(e, m, t, L, n, &p, dl))
        return -1;
    uint8_t *roles = malloc(n ? n : 1);
    if (!roles) {
        page_free(&p);
        return -1;
    }
    int story = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (p.cont[i]) {
            roles[i] = ruled_role(p.cont, p.sh, i, roles, story);
        } else {
            score_row s;
            memcpy(s, p.base[i], sizeof s);
            feats d;
            d.n = 0;
            role_features(p.sh, i, roles, &d);
            score_with(m, &d, s);
            roles[i] = (uint8_t)best_role(s);
        }
        story |= roles[i] == LR_BODY || roles[i] == LR_DATELINE;
        L[i].role = roles[i];
        const shape *x = &p.sh[i];
        L[i].words = x->words > 65535 ? 65535 : (uint16_t)x->words;
        L[i].flags = (uint16_t)((x->credit ? LF_CREDIT : 0) | (x->stamp ? LF_STAMP : 0) | (x->relhead ? LF_RELHEAD : 0) |
                               (x->link ? LF_LINK : 0) | (x->dl_line ? LF_DL_LINE : 0) |
                               (x->dl_inline ? LF_DL_INLINE : 0) | (x->dl_checked ? LF_DL_CHECKED : 0) |
                               (x->furniture >= 2 || (x->furniture && x->words <= 4) ? LF_FURNITURE : 0));
    }
    free(roles);
    page_free(&p);
    return 0;
}

/* ---- training -------------------------------------------------------------- */

typedef struct tw {
    float w[LR_ROLES];     /* current weights */
    double acc[LR_ROLES];  /* summed weights over updates, for the average */
    uint32_t stamp[LR_ROLES];
} tw;

typedef struct trainer {
    uint64_t *keys;
    tw *w;
    uint32_t *pages, *last_page; /* pages a feature occurs on */
    uint32_t n_slots, n;
} trainer;

static int tr_grow(trainer *tr)
{
    uint32_t ns = tr->n_slots ? tr->n_slots * 2 : 1u << 14;
    uint64_t *k = calloc(ns, sizeof *k);
    tw *w = calloc(ns, sizeof *w);
    uint32_t *pg = calloc(ns, sizeof *pg), *lp = calloc(ns, sizeof *lp);
    if (!k || !w || !pg || !lp) {
        free(k); free(w); free(pg); free(lp);
        return -1;
    }
    for (uint32_t i = 0; i < tr->n_slots; i++)
        if (tr->keys[i]) {
            uint32_t s = slot_of(k, ns, tr->keys[i]);
            k[s] = tr->keys[i];
            w[s] = tr->w[i];
            pg[s] = tr->pages[i];
            lp[s] = tr->last_page[i];
        }
    free(tr->keys); free(tr->w); free(tr->pages); free(tr->last_page);
    tr->keys = k; tr->w = w; tr->pages = pg; tr->last_page = lp;
    tr->n_slots = ns;
    return 0;
}

/* The slot of feature k, added when absent (add) or -1. */
static long tr_slot(trainer *tr, uint64_t k, int add)
{
    if (add && (tr->n + 1) * 2 > tr->n_slots && tr_grow(tr))
        return -2;
    if (!tr->n_slots)
        return -1;
    uint32_t s = slot_of(tr->keys, tr->n_slots, k);
    if (!tr->keys[s]) {
        if (!add)
            return -1;
        tr->keys[s] = k;
        tr->n++;
    }
    return s;
}

static void tr_free(trainer *tr)
{
    free(tr->keys); free(tr->w); free(tr->pages); free(tr->last_page);
    memset(tr, 0, sizeof *tr);
}

static void tr_score(const trainer *tr, const feats *f, unsigned min_pages, tr_row s)
{
    for (int k = 0; k < f->n; k++) {
        uint32_t i = slot_of(tr->keys, tr->n_slots, f->h[k]);
        if (tr->keys[i] && tr->pages[i] >= min_pages)
            for (int r = 0; r < LR_ROLES; r++)
                s[r] += tr->w[i].w[r];
    }
}

static void tr_update(trainer *tr, const feats *f, unsigned min_pages, int r, float d, uint32_t now)
{
    for (int k = 0; k < f->n; k++) {
        uint32_t i = slot_of(tr->keys, tr->n_slots, f->h[k]);
        if (!tr->keys[i] || tr->pages[i] < min_pages)
            continue;
        tw *x = &tr->w[i];
        x->acc[r] += (double)(now - x->stamp[r]) * x->w[r];
        x->stamp[r] = now;
        x->w[r] += d;
    }
}

static int train_fail(enrich_error *err, int code, const char *msg, size_t which)
{
    if (err) {
        err->code = code;
        err->position = which;
        snprintf(err->message, sizeof err->message, "%s", msg);
    }
    return code;
}

/* Counts, for each feature, the samples it occurs on (role features too:
 * every role pair can occur, so they are counted as seen with the labels). */
static int count_feature(trainer *tr, uint64_t h, uint32_t sample)
{
    long s = tr_slot(tr, h, 1);
    if (s < 0)
        return -1;
    if (tr->last_page[s] != sample + 1) {
        tr->last_page[s] = sample + 1;
        tr->pages[s]++;
    }
    return 0;
}

int lines_train(const enrich_engine *e, const lines_sample *S, size_t n, unsigned folds, unsigned held_out,
                unsigned epochs, unsigned seed, unsigned runs, unsigned min_pages, char **out, size_t *out_len,
                enrich_error *err)
{
    trainer tr = {0};
    page *pages = calloc(n ? n : 1, sizeof *pages);
    uint8_t **gold = calloc(n ? n : 1, sizeof *gold);
    size_t *order = calloc(n ? n : 1, sizeof *order);
    float (*bag)[LR_ROLES] = NULL; /* the runs' averaged weights, summed */
    int rc = ENRICH_ERR_NOMEM;
    size_t used = 0;
    if (!pages || !gold || !order)
        goto done;
    for (size_t k = 0; k < n; k++) {
        if (folds > 1 && k % folds == held_out)
            continue;
        line_info *L;
        long m = lines_split(S[k].text, (uint32_t)S[k].len, &L);
        if (m < 0)
            goto done;
        size_t nr = strlen(S[k].roles);
        if ((size_t)m != nr) {
            free(L);
            char msg[128];
            snprintf(msg, sizeof msg, "sample %zu has %ld lines and %zu labels", k, m, nr);
            rc = train_fail(err, ENRICH_ERR_ARG, msg, k);
            goto done;
        }
        gold[k] = malloc((size_t)m + 1);
        if (!gold[k] || page_build(e, NULL, S[k].text, L, (uint32_t)m, &pages[k], NULL)) {
            free(L);
            goto done;
        }
        free(L);
        for (long i = 0; i < m; i++) {
            int r = lines_role_of_letter(S[k].roles[i]);
            if (r < 0) {
                char msg[128];
                snprintf(msg, sizeof msg, "sample %zu: unknown role letter '%c'", k, S[k].roles[i]);
                rc = train_fail(err, ENRICH_ERR_ARG, msg, k);
                goto done;
            }
            gold[k][i] = (uint8_t)r;
        }
        for (uint32_t i = 0; i < pages[k].n; i++) {
            if (pages[k].cont[i])
                continue;
            for (int j = 0; j < pages[k].fs[i].n; j++)
                if (count_feature(&tr, pages[k].fs[i].h[j], (uint32_t)k))
                    goto done;
            feats d;
            d.n = 0;
            role_features(pages[k].sh, i, gold[k], &d);
            for (int j = 0; j < d.n; j++)
                if (count_feature(&tr, d.h[j], (uint32_t)k))
                    goto done;
        }
        order[used++] = k;
    }
    uint32_t now = 1;
    uint8_t *pred = NULL;
    if (!runs)
        runs = 1;
    bag = calloc(tr.n_slots ? tr.n_slots : 1, sizeof *bag);
    if (!bag)
        goto done;
    /* runs models from seeds seed, seed + 1, ...; their averaged weights
     * are averaged again (bagging over the shuffles: the perceptron's
     * answer moves with the order it sees the pages in) */
    for (unsigned run = 0; run < runs; run++) {
    now = 1;
    for (uint32_t i = 0; i < tr.n_slots; i++)
        memset(&tr.w[i], 0, sizeof tr.w[i]);
    uint64_t rng = (seed + run) * 0x9E3779B97F4A7C15ULL + 1;
    for (unsigned ep = 0; ep < epochs; ep++) {
        for (size_t k = used; k > 1; k--) { /* Fisher-Yates, xorshift */
            rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
            size_t j = (size_t)(rng % k);
            size_t tmp = order[k - 1]; order[k - 1] = order[j]; order[j] = tmp;
        }
        for (size_t q = 0; q < used; q++) {
            size_t k = order[q];
            page *p = &pages[k];
            uint8_t *np = realloc(pred, p->n ? p->n : 1);
            if (!np)
                goto done;
            pred = np;
            int story = 0;
            for (uint32_t i = 0; i < p->n; i++) {
                if (p->cont[i]) {
                    pred[i] = ruled_role(p->cont, p->sh, i, pred, story);
                    story |= pred[i] == LR_BODY || pred[i] == LR_DATELINE;
                    now++;
                    continue;
                }
                tr_row s = {0};
                feats d;
                d.n = 0;
                role_features(p->sh, i, pred, &d);
                tr_score(&tr, &p->fs[i], min_pages, s);
                tr_score(&tr, &d, min_pages, s);
                int g = gold[k][i], b = best_role_f(s);
                if (b != g) {
                    tr_update(&tr, &p->fs[i], min_pages, g, 1.0f, now);
                    tr_update(&tr, &d, min_pages, g, 1.0f, now);
                    tr_update(&tr, &p->fs[i], min_pages, b, -1.0f, now);
                    tr_update(&tr, &d, min_pages, b, -1.0f, now);
                }
                pred[i] = (uint8_t)b; /* decode as at run time: its own history */
                story |= b == LR_BODY || b == LR_DATELINE;
                now++;
            }
        }
    }
    for (uint32_t i = 0; i < tr.n_slots; i++) {
        if (!tr.keys[i] || tr.pages[i] < min_pages)
            continue;
        for (int r = 0; r < LR_ROLES; r++) {
            tw *x = &tr.w[i];
            double a = x->acc[r] + (double)(now - x->stamp[r]) * x->w[r];
            bag[i][r] += (float)(a / now) / (float)runs;
        }
    }
    }
    free(pred);
    /* the averaged weights, as text */
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    if (!buf)
        goto done;
    len = (size_t)snprintf(buf, cap, "# enrich layout model 1: feature hash, then a weight for each role %s\n",
                           lines_role_letters);
    for (uint32_t i = 0; i < tr.n_slots; i++) {
        if (!tr.keys[i] || tr.pages[i] < min_pages)
            continue;
        float avg[LR_ROLES];
        int nz = 0;
        for (int r = 0; r < LR_ROLES; r++) {
            avg[r] = bag[i][r];
            if (fabsf(avg[r]) >= 0.0005f)
                nz = 1;
        }
        if (!nz)
            continue;
        if (cap - len < 512) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                goto done;
            }
            buf = nb;
            cap *= 2;
        }
        len += (size_t)snprintf(buf + len, cap - len, "%016llx", (unsigned long long)tr.keys[i]);
        for (int r = 0; r < LR_ROLES; r++) {
            float v = fabsf(avg[r]) < 0.0005f ? 0.0f : avg[r];
            if (v == 0.0f)
                len += (size_t)snprintf(buf + len, cap - len, " 0");
            else
                len += (size_t)snprintf(buf + len, cap - len, " %.3g", (double)v);
        }
        buf[len++] = '\n';
    }
    *out = buf;
    *out_len = len;
    rc = ENRICH_OK;
done:
    for (size_t k = 0; pages && gold && k < n; k++) {
        page_free(&pages[k]);
        free(gold[k]);
    }
    free(pages);
    free(gold);
    free(order);
    free(bag);
    tr_free(&tr);
    if (rc == ENRICH_ERR_NOMEM)
        train_fail(err, rc, "out of memory training the layout model", (size_t)-1);
    return rc;
}
