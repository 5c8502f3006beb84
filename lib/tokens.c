/*
 * tokens.c - the tokens stage. Reads the regions layout found; adds tokens
 * (byte spans) and sentences. Splits as CoNLL-2003 does: white space, then
 * quotes, brackets and trailing punctuation, the possessive 's and n't; it
 * keeps abbreviations ("U.S.", "Inc."), numbers ("1,750", "2.27") and
 * hyphenated compounds whole.
 */
#include "tokens.h"
#include "rules.h"

#include <string.h>

#include "utf8.h"


static int push_token(enrich_doc *doc, span s, region_kind region, uint16_t flags)
{
    token *tk = DOC_PUSH(doc, doc->tokens);
    if (!tk)
        return -1;
    tk->s = s;
    tk->region = (uint8_t)region;
    tk->flags = flags;
    return 0;
}

/* A name glued to its own repetition and to the text after it, as pages
 * with hover cards copy: "Kristi NoemKristi Lynn NoemSouth Dakota ...".
 * Where, inside c, a capitalised word follows a lower-case letter, and it
 * or the word it is glued to equals one of the last four tokens of the
 * line, with only capitalised ones after it, the byte it starts at; else
 * 0. */
static uint32_t glued_restart(const enrich_doc *doc, span c, uint32_t line_first)
{
    const char *t = doc->text;
    /* a repetition needs a capitalised chunk after a capitalised token */
    if (!is_ascii_upper((unsigned char)t[c.start]) || span_len(c) < 4 || doc->tokens.n <= line_first ||
        !is_ascii_upper((unsigned char)t[doc->tokens.v[doc->tokens.n - 1].s.start]))
        return 0;
    for (uint32_t p = c.start + 2; p + 1 < c.end; p++) {
        if (!is_ascii_lower((unsigned char)t[p - 1]) || !is_ascii_upper((unsigned char)t[p]) ||
            !is_ascii_lower((unsigned char)t[p + 1]))
            continue;
        uint32_t q = p + 1;
        while (q < c.end && is_ascii_lower((unsigned char)t[q]))
            q++;
        /* the tokens back to the same word are a name in capitals */
        uint32_t from = doc->tokens.n > line_first + 4 ? doc->tokens.n - 4 : line_first;
        for (uint32_t k = doc->tokens.n; k > from; k--) {
            span w = doc->tokens.v[k - 1].s;
            if (!is_ascii_upper((unsigned char)t[w.start]))
                break;
            if ((span_len(w) == q - p && memcmp(t + w.start, t + p, q - p) == 0) ||
                (span_len(w) == p - c.start && memcmp(t + w.start, t + c.start, p - c.start) == 0))
                return p;
        }
    }
    return 0;
}

/* Splits one white-space-free chunk into tokens. */
static int chunk_tokens(enrich_doc *doc, span c, region_kind region, uint16_t flags)
{
    /* most chunks are one word */
    if (cut_one_word(doc->text, c))
        return push_token(doc, c, region, flags);
    span piece[CUT_MAX_PIECES];
    uint8_t kind[CUT_MAX_PIECES];
    int n = cut_chunk(doc->text, c, (flags & TOK_LINE_START) != 0, piece, kind, CUT_MAX_PIECES);
    for (int i = 0; i < n; i++) {
        uint16_t f = kind[i] == CUT_AFTER ? flags & (uint16_t)~(TOK_SENT_START | TOK_LINE_START) : flags;
        if (push_token(doc, piece[i], region, f))
            return -1;
        if (kind[i] == CUT_LEAD) {
            flags &= (uint16_t)~TOK_SENT_START;
            flags |= TOK_AFTER_QUOTE;
        }
    }
    return 0;
}

static int ends_sentence(const char *t, const token *tk)
{
    uint32_t n = span_len(tk->s);
    char c = t[tk->s.end - 1];
    if (n == 1 && (c == '.' || c == '!' || c == '?'))
        return 1;
    if (n == 3 && memcmp(t + tk->s.start, "\xE2\x80\xA6", 3) == 0)
        return 1;
    return 0;
}

/* Does the text from p on start a sentence: end of line, a capital, a
 * digit or an opening quote? */
static int opens_sentence(const char *t, uint32_t p, uint32_t end)
{
    size_t sp;
    while (p < end && (sp = utf8_space_at(t, end, p)) > 0)
        p += (uint32_t)sp;
    if (p >= end)
        return 1;
    unsigned char c = (unsigned char)t[p];
    return is_ascii_upper(c) || is_ascii_digit(c) || c == '"' || c == '(' ||
           (p + 3 <= end && (memcmp(t + p, "\xE2\x80\x9C", 3) == 0 || memcmp(t + p, "\xE2\x80\x98", 3) == 0));
}

static int line_has_no_lower(const char *t, span line)
{
    int letters = 0;
    for (uint32_t i = line.start; i < line.end; i++) {
        unsigned char c = (unsigned char)t[i];
        if (is_ascii_lower(c))
            return 0;
        letters += is_ascii_upper(c);
    }
    return letters > 0;
}

/* Closes the open sentence at the current token count. */
static int close_sentence(enrich_doc *doc, uint32_t *first)
{
    uint32_t n = doc->tokens.n;
    if (n > *first) {
        sentence *s = DOC_PUSH(doc, doc->sentences);
        if (!s)
            return -1;
        s->first = *first;
        s->count = n - *first;
        doc->tokens.v[*first].flags |= TOK_SENT_START;
    }
    *first = n;
    return 0;
}

int tokens_region(enrich_doc *doc, span region_span, region_kind region)
{
    const char *t = doc->text;
    uint32_t first = doc->tokens.n;
    uint32_t i = region_span.start;
    while (i < region_span.end) {
        /* One line. */
        uint32_t e = i;
        while (e < region_span.end && t[e] != '\n')
            e++;
        span line = text_trim(t, (span){i, e});
        uint16_t line_flags = TOK_LINE_START | (line_has_no_lower(t, line) ? TOK_CAPS_LINE : 0);
        uint32_t p = line.start;
        uint32_t line_first = doc->tokens.n;
        while (p < line.end) {
            size_t sp = utf8_space_at(t, line.end, p);
            if (sp) {
                p += (uint32_t)sp;
                continue;
            }
            span c = {p, p};
            while (c.end < line.end && !utf8_space_at(t, line.end, c.end))
                c.end++;
            p = c.end;
            /* A dash between words is a token of its own. */
            size_t d = cut_dash(t, c);
            uint16_t f = (uint16_t)(line_flags & TOK_CAPS_LINE);
            if (doc->tokens.n == line_first)
                f |= TOK_LINE_START;
            if (d && d == span_len(c)) {
                if (push_token(doc, c, region, f))
                    return -1;
                continue;
            }
            uint32_t before = doc->tokens.n;
            /* a name glued to its repetition is two chunks, and the
             * repetition is no part of the name before it */
            uint32_t glued = glued_restart(doc, c, line_first);
            span part = glued ? (span){c.start, glued} : c;
            for (;;) {
                if (chunk_tokens(doc, part, region, f))
                    return -1;
                if (!glued || part.end == c.end)
                    break;
                part = (span){glued, c.end};
                f &= (uint16_t)~TOK_LINE_START;
                if (close_sentence(doc, &first))
                    return -1;
            }
            int ends = 0;
            for (uint32_t k = before; k < doc->tokens.n; k++)
                ends |= ends_sentence(t, &doc->tokens.v[k]);
            if (ends && opens_sentence(t, p, line.end) && close_sentence(doc, &first))
                return -1;
        }
        /* A line break ends a sentence after a short or capitals-only line
         * (headlines, bylines, datelines, table rows), not inside wrapped prose. */
        if (doc->tokens.n > first && (span_len(line) < 50 || (line_flags & TOK_CAPS_LINE)))
            if (close_sentence(doc, &first))
                return -1;
        i = e + 1;
    }
    return close_sentence(doc, &first);
}

/* The regions in text order: headline, subheadline, dateline, body
 * paragraphs, captions (their names and dates count), and the time stamp,
 * byline, boilerplate and footer lines (their dates count, their names are
 * no entities). Related items and sign-offs are left out. */
int tokens_run(enrich_doc *doc)
{
    const doc_block *b = doc->blocks.v;
    uint32_t nb = doc->blocks.n, k = 0;
    struct {
        span s;
        region_kind kind;
    } fixed[3] = {{doc->headline, REGION_HEADLINE}, {doc->subheadline, REGION_SUBHEADLINE},
                  {doc->dateline.found ? doc->dateline.text : (span){0, 0}, REGION_DATELINE}};
    uint32_t f = 0, p = 0;
    for (;;) {
        /* the next region by start: fixed ones, paragraphs, meta blocks */
        while (k < nb && b[k].role != LR_TIMESTAMP && b[k].role != LR_BYLINE && b[k].role != LR_CAPTION &&
               b[k].role != LR_FOOTER && b[k].role != LR_BOILERPLATE)
            k++;
        while (f < 3 && span_empty(fixed[f].s))
            f++;
        uint32_t best = UINT32_MAX;
        int which = -1;
        if (f < 3 && fixed[f].s.start < best)
            best = fixed[f].s.start, which = 0;
        if (p < doc->paragraphs.n && doc->paragraphs.v[p].start < best)
            best = doc->paragraphs.v[p].start, which = 1;
        if (k < nb && b[k].s.start < best)
            best = b[k].s.start, which = 2;
        if (which < 0)
            return 0;
        int rc;
        if (which == 0) {
            rc = tokens_region(doc, fixed[f].s, fixed[f].kind);
            f++;
        } else if (which == 1) {
            rc = tokens_region(doc, doc->paragraphs.v[p], REGION_BODY);
            p++;
        } else {
            rc = tokens_region(doc, b[k].s, b[k].role == LR_CAPTION ? REGION_CAPTION : REGION_META);
            k++;
        }
        if (rc)
            return -1;
    }
}
