/*
 * layout.c - the layout stage. Reads the validated text; adds the
 * headline, subheadline, dateline, credits (bylines, editors), related
 * links and the body paragraphs that later stages analyse.
 *
 * A block is a run of non-blank lines; a line indented deeper than the
 * text's least indentation also starts one (wire copy marks paragraphs that
 * way). A sign-off ("Reuter") on the last line is neither block nor body.
 */
#include "layout.h"

#include <stdlib.h>

#include "credits.h"
#include "dateline.h"
#include "related.h"
#include "stamp.h"
#include "utf8.h"

#define HEADLINE_MAX_BYTES 250
#define HEADLINE_MAX_WORDS 35
#define SUBHEADLINE_MAX_BYTES 400
#define HEAD_BLOCKS_MAX 6 /* bylines and datelines stand within these */

typedef struct block {
    span s;         /* trimmed, first line's start to last line's end */
    uint32_t lines; /* number of lines */
} block;

typedef DOC_VEC(block) block_vec;

/* Leading indentation of a raw line, tabs counting four. */
static unsigned indent_of(const char *t, span raw)
{
    unsigned w = 0;
    for (uint32_t i = raw.start; i < raw.end; i++) {
        if (t[i] == ' ')
            w++;
        else if (t[i] == '\t')
            w += 4;
        else
            break;
    }
    return w;
}

/* Sign-offs that end wire copy; a last line holding only one is no body. */
static const char *const signoffs[] = {"Reuter", "Reuters", "(Reuters)", "AP", "(AP)", "AFP", "UPI"};

static int is_signoff(const char *t, span s)
{
    for (size_t i = 0; i < sizeof signoffs / sizeof signoffs[0]; i++)
        if (text_ieq(t, s, signoffs[i]))
            return 1;
    return 0;
}

/* The line starting at *pos in t[0, n): its raw span (without the line
 * break) and its trimmed span. Returns 0 when no line is left. */
static int next_raw_line(const char *t, uint32_t n, uint32_t *pos, span *raw, span *trimmed)
{
    if (*pos >= n)
        return 0;
    uint32_t e = *pos;
    while (e < n && t[e] != '\n')
        e++;
    *raw = (span){*pos, e};
    if (raw->end > raw->start && t[raw->end - 1] == '\r')
        raw->end--;
    *trimmed = text_trim(t, *raw);
    *pos = e + 1;
    return 1;
}

static int split_blocks(enrich_doc *doc, block_vec *out)
{
    const char *t = doc->text;
    uint32_t n = doc->len;
    /* The least indentation of any line: deeper lines open paragraphs, so a
     * text indented throughout is not cut at every line. */
    unsigned base = UINT32_MAX;
    span last = {0, 0}, raw, s;
    uint32_t pos = 0;
    while (next_raw_line(t, n, &pos, &raw, &s)) {
        if (!span_empty(s)) {
            unsigned in = indent_of(t, raw);
            if (in < base)
                base = in;
            last = s;
        }
    }
    if (!is_signoff(t, last))
        last.start = last.end = UINT32_MAX;

    block *cur = NULL;
    pos = 0;
    while (next_raw_line(t, n, &pos, &raw, &s)) {
        if (span_empty(s) || s.start == last.start) {
            cur = NULL;
            continue;
        }
        if (cur && indent_of(t, raw) >= base + 2)
            cur = NULL;
        if (!cur) {
            cur = DOC_PUSH(doc, *out);
            if (!cur)
                return -1;
            cur->s.start = s.start;
        }
        cur->s.end = s.end;
        cur->lines++;
    }
    return 0;
}

/* The next line of block b starting at *pos; 0 when there is none. */
static int next_line(const char *t, span b, uint32_t *pos, span *line)
{
    if (*pos >= b.end)
        return 0;
    uint32_t e = *pos;
    while (e < b.end && t[e] != '\n')
        e++;
    *line = text_trim(t, (span){*pos, e});
    *pos = e + 1;
    return 1;
}

static int add_credits(enrich_doc *doc, const credit *c, int n)
{
    for (int k = 0; k < n; k++) {
        credit *slot = DOC_PUSH(doc, doc->credits);
        if (!slot)
            return -1;
        *slot = c[k];
    }
    return 0;
}

/* Is every line of the block a credit line? Adds their credits when so
 * (returns 1), 0 when not, -1 when memory ran out. */
static int take_credit_block(enrich_doc *doc, const block *b)
{
    const char *t = doc->text;
    credit tmp[CREDITS_MAX_PER_LINE];
    uint32_t pos = b->s.start;
    span line;
    while (next_line(t, b->s, &pos, &line))
        if (!credits_parse_line(t, line, tmp, CREDITS_MAX_PER_LINE))
            return 0;
    pos = b->s.start;
    while (next_line(t, b->s, &pos, &line)) {
        int n = credits_parse_line(t, line, tmp, CREDITS_MAX_PER_LINE);
        if (add_credits(doc, tmp, n))
            return -1;
    }
    return 1;
}

static int is_heading_block(const enrich_doc *doc, const block *b)
{
    span rest;
    return b->lines == 1 && related_heading(doc->text, b->s, &rest);
}


/* Is b, the first block, a headline? next is the block after it. A short
 * line before a dateline is one even when it looks like a dateline itself
 * ("ROTTERDAM PORT SUBSIDY TO END JULY 1 - MINISTER") or ends in a period
 * ("... TEXTILE EXPORTS TO U.S."). */
static int headline_like(const enrich_doc *doc, const block *b, const block *next)
{
    const char *t = doc->text;
    if (b->lines != 1 || span_len(b->s) > HEADLINE_MAX_BYTES ||
        text_word_count(t, b->s) > HEADLINE_MAX_WORDS)
        return 0;
    credit tmp[CREDITS_MAX_PER_LINE];
    if (credits_parse_line(t, b->s, tmp, CREDITS_MAX_PER_LINE) || is_heading_block(doc, b))
        return 0;
    char last = t[b->s.end - 1];
    dateline_info d;
    uint32_t rest;
    if (next->lines >= 1 && !is_heading_block(doc, next) && dateline_parse_inline(doc->engine, t, next->s, &d, &rest))
        return last != ',' && last != ';' && last != ':';
    if (last == '.' || last == ',' || last == ';' || last == ':')
        return 0;
    if (dateline_parse_line(doc->engine, t, b->s, &d) ||
        dateline_parse_inline(doc->engine, t, b->s, &d, &rest))
        return 0;
    return 1;
}

/* Is every line of block b a byline, a time stamp or (one, when the story
 * has none yet) a dateline? take (the story itself, or NULL to only look)
 * receives them. Returns 1 when so, 0 when not, -1 when memory ran out. */
static int head_block(const enrich_doc *doc, const block *b, enrich_doc *take)
{
    const char *t = doc->text;
    credit tmp[CREDITS_MAX_PER_LINE];
    dateline_info d;
    stamp_info st[STAMPS_MAX_PER_LINE];
    int datelines = doc->dateline.found;
    uint32_t pos = b->s.start;
    span line;
    while (next_line(t, b->s, &pos, &line)) {
        int n = credits_parse_line(t, line, tmp, CREDITS_MAX_PER_LINE);
        if (n) {
            if (take && add_credits(take, tmp, n))
                return -1;
        } else if ((n = stamp_parse_line(t, line, st, STAMPS_MAX_PER_LINE))) {
            for (int j = 0; take && j < n; j++) {
                stamp_info *slot = DOC_PUSH(take, take->stamps);
                if (!slot)
                    return -1;
                *slot = st[j];
            }
        } else if (!datelines && dateline_parse_line(doc->engine, t, line, &d)) {
            datelines = 1;
            if (take)
                take->dateline = d;
        } else {
            return 0;
        }
    }
    return 1;
}

/* Does block b anchor a subheadline before it: bylines, a time stamp or a
 * dateline with the story after them (last: b is the last block, where
 * credits close the story instead), or a paragraph that opens with a
 * dateline? */
static int anchors_subheadline(const enrich_doc *doc, const block *b, int last)
{
    dateline_info d;
    uint32_t rest;
    if (!last && head_block(doc, b, NULL) == 1)
        return 1;
    return dateline_parse_inline(doc->engine, doc->text, b->s, &d, &rest);
}

/* Adds the links on the lines of t[s] from pos on, when every one of those
 * lines is a link title. Returns how many were added (0: not all were),
 * -1 when memory ran out. */
static int take_link_lines(enrich_doc *doc, span s, uint32_t pos)
{
    const char *t = doc->text;
    related_item tmp[RELATED_MAX_PER_LINE];
    span line;
    uint32_t p = pos;
    int lines = 0;
    while (next_line(t, s, &p, &line)) {
        if (!related_artifact_line(t, line) && related_parse_line(t, line, tmp, RELATED_MAX_PER_LINE) == 0)
            return 0;
        lines++;
    }
    int added = 0;
    while (lines > 0 && next_line(t, s, &pos, &line)) {
        if (related_artifact_line(t, line))
            continue; /* the title above it was the link */
        int n = related_parse_line(t, line, tmp, RELATED_MAX_PER_LINE);
        for (int j = 0; j < n; j++) {
            related_item *slot = DOC_PUSH(doc, doc->related);
            if (!slot)
                return -1;
            *slot = tmp[j];
            added++;
        }
    }
    return added;
}

/* A related-stories block at b[k]: a heading line, maybe a title on it, link
 * lines under it in the same block and in the blocks that follow. Returns
 * the index of the first block after it, k when b[k] is no such block, or
 * -1 when memory ran out. */
static long take_related(enrich_doc *doc, const block *b, uint32_t k, uint32_t end)
{
    const char *t = doc->text;
    uint32_t pos = b[k].s.start;
    span first, rest;
    next_line(t, b[k].s, &pos, &first);
    if (!related_heading(t, first, &rest))
        return (long)k;
    uint32_t mark = doc->related.n;
    if (!span_empty(rest) && take_link_lines(doc, rest, rest.start) < 0)
        return -1;
    int n = pos < b[k].s.end ? take_link_lines(doc, b[k].s, pos) : 0;
    if (n < 0)
        return -1;
    if (pos < b[k].s.end && n == 0) {
        doc->related.n = mark; /* prose under the heading: no links here */
        return (long)k;
    }
    uint32_t j = k + 1;
    for (; j < end && !is_heading_block(doc, &b[j]); j++) {
        int got = take_link_lines(doc, b[j].s, b[j].s.start);
        if (got < 0)
            return -1;
        if (got == 0)
            break;
    }
    if (doc->related.n == mark)
        return (long)k; /* a heading with nothing after it is body text */
    return (long)j;
}

/* Is every line of block b a link alone (a bare URL, a Markdown link)? */
static int link_block(const enrich_doc *doc, const block *b)
{
    uint32_t pos = b->s.start;
    span line;
    while (next_line(doc->text, b->s, &pos, &line))
        if (!related_link_line(doc->text, line))
            return 0;
    return 1;
}

static int add_paragraph(enrich_doc *doc, span s)
{
    span *p = DOC_PUSH(doc, doc->paragraphs);
    if (!p)
        return -1;
    *p = s;
    if (doc->paragraphs.n == 1)
        doc->body.start = s.start;
    doc->body.end = s.end;
    return 0;
}

/* Credits by position: the clause, then the name within it ("By A and B"). */
static int cmp_credit(const void *a, const void *b)
{
    const credit *x = a, *y = b;
    if (x->clause.start != y->clause.start)
        return x->clause.start < y->clause.start ? -1 : 1;
    return (x->name.start > y->name.start) - (x->name.start < y->name.start);
}

int layout_run(enrich_doc *doc)
{
    const char *t = doc->text;
    block_vec blocks = {0};
    if (split_blocks(doc, &blocks))
        return -1;
    const block *b = blocks.v;
    uint32_t nb = blocks.n;
    uint32_t k = 0;

    /* Headline, then a subheadline if something anchors it. */
    if (nb >= 2 && headline_like(doc, &b[0], &b[1])) {
        doc->headline = b[0].s;
        k = 1;
        if (k + 1 < nb && b[k].lines == 1 && span_len(b[k].s) <= SUBHEADLINE_MAX_BYTES &&
            !is_heading_block(doc, &b[k]) && !anchors_subheadline(doc, &b[k], 0) &&
            anchors_subheadline(doc, &b[k + 1], k + 2 == nb)) {
            doc->subheadline = b[k].s;
            k++;
        }
    }

    /* Bylines, time stamps and a dateline standing on their own lines. */
    while (k + 1 < nb && k < HEAD_BLOCKS_MAX) {
        int r = head_block(doc, &b[k], NULL);
        if (r == 1)
            r = head_block(doc, &b[k], doc);
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        k++;
    }

    /* Credits at the end, last block first. */
    uint32_t end = nb;
    while (end > k + 1) {
        int r = take_credit_block(doc, &b[end - 1]);
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        end--;
    }
    /* trailing credit blocks were found last to first */
    if (doc->credits.n > 1)
        qsort(doc->credits.v, doc->credits.n, sizeof *doc->credits.v, cmp_credit);

    /* The body, with related-story blocks taken out of it. */
    while (k < end) {
        long next = take_related(doc, b, k, end);
        if (next < 0)
            return -1;
        if ((uint32_t)next > k) {
            k = (uint32_t)next;
            continue;
        }
        /* a block of links alone in the body: pasted with it */
        if (link_block(doc, &b[k])) {
            if (take_link_lines(doc, b[k].s, b[k].s.start) < 0)
                return -1;
            k++;
            continue;
        }
        span p = b[k].s;
        if (doc->paragraphs.n == 0 && !doc->dateline.found) {
            uint32_t after;
            if (dateline_parse_inline(doc->engine, t, p, &doc->dateline, &after))
                p.start = after;
        }
        if (!span_empty(p) && add_paragraph(doc, p))
            return -1;
        k++;
    }
    return 0;
}
