/*
 * cut.h - how the tokenizer cuts a chunk of text without white space:
 * leading marks, the word, a clitic, trailing marks and a final period
 * that ends no abbreviation. Below the stages, so that the phrase table
 * cuts its names exactly as the tokenizer cuts text; inline, since the
 * tokenizer runs it on every chunk.
 */
#ifndef ENRICH_CUT_H
#define ENRICH_CUT_H

#include <stdint.h>
#include <string.h>

#include "rules.h"
#include "text.h"

enum { CUT_LEAD = 0, CUT_CORE, CUT_AFTER };
#define CUT_MAX_PIECES 48

/* Could t[s] start (or end) with a mark at all? Letters and digits never
 * do, and most tokens begin and end with one. */
static inline int maybe_mark(unsigned char c)
{
    return !(is_ascii_alpha(c) || is_ascii_digit(c));
}

/* Is t[c] one word as it stands: no mark at either end, no apostrophe in
 * its last five bytes (where every clitic has one)? Most chunks are. */
static inline int cut_one_word(const char *t, span c)
{
    if (!maybe_mark((unsigned char)t[c.start]) && !maybe_mark((unsigned char)t[c.end - 1])) {
        for (uint32_t i = c.end - c.start > 5 ? c.end - 5 : c.start; i < c.end; i++)
            if (t[i] == '\'' || (unsigned char)t[i] == 0x99)
                return 0;
        return 1;
    }
    return 0;
}

static inline size_t match_any(const char *t, span s, const char *const *set, size_t n, int at_end)
{
    if (span_empty(s) || !maybe_mark((unsigned char)t[at_end ? s.end - 1 : s.start]))
        return 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(set[i]);
        if (span_len(s) < len)
            continue;
        uint32_t at = at_end ? s.end - (uint32_t)len : s.start;
        if (memcmp(t + at, set[i], len) == 0)
            return len;
    }
    return 0;
}

static inline int cut_is_abbreviation(const char *t, span s)
{
    uint32_t n = span_len(s);
    if (n < 2 || t[s.end - 1] != '.')
        return 0;
    /* An inner period ("U.S.", "a.m.") or a single letter ("M."). */
    for (uint32_t i = s.start; i + 1 < s.end; i++)
        if (t[i] == '.')
            return 1;
    if (n == 2 && is_ascii_alpha((unsigned char)t[s.start]))
        return 1;
    span word = {s.start, s.end - 1};
    char c0 = (char)ascii_lower((unsigned char)t[word.start]);
    for (size_t i = 0; i < RULES_N(rules_tokens_abbreviations); i++)
        if (rules_tokens_abbreviations[i][0] == c0 && text_ieq(t, word, rules_tokens_abbreviations[i]))
            return 1;
    for (size_t i = 0; i < RULES_N(rules_regions_us_abbreviations); i++)
        if (rules_regions_us_abbreviations[i][0] == c0 && text_ieq(t, word, rules_regions_us_abbreviations[i]))
            return 1;
    return 0;
}

/* The length of the clitic ending t[s], or 0; the clitic alone counts. */
static inline size_t clitic_suffix(const char *t, span s)
{
    /* Every clitic has an apostrophe (' or the last byte of ’) in its last
     * five bytes. */
    int apostrophe = 0;
    for (uint32_t i = span_len(s) > 5 ? s.end - 5 : s.start; i < s.end; i++)
        apostrophe |= t[i] == '\'' || (unsigned char)t[i] == 0x99;
    if (!apostrophe)
        return 0;
    for (size_t i = 0; i < RULES_N(rules_tokens_clitics); i++) {
        const char *c = rules_tokens_clitics[i];
        size_t n = strlen(c);
        size_t q = (size_t)(strchr(c, '\'') - c); /* where the apostrophe stands */
        for (int curly = 0; curly < 2; curly++) {
            size_t len = n + (curly ? 2 : 0); /* ’ is three bytes */
            if (span_len(s) < len)
                continue;
            uint32_t at = s.end - (uint32_t)len;
            int ok = 1;
            for (size_t k = 0, j = 0; ok && k < n; k++) {
                if (k == q) {
                    ok = curly ? memcmp(t + at + j, "\xE2\x80\x99", 3) == 0 : t[at + j] == '\'';
                    j += curly ? 3 : 1;
                } else {
                    ok = ascii_lower((unsigned char)t[at + j]) == c[k];
                    j++;
                }
            }
            if (ok)
                return len;
        }
    }
    return 0;
}

/* "1." to "99." opening a line: list and ranking numbers, kept whole. */
static inline int is_list_number(const char *t, span c)
{
    uint32_t n = span_len(c);
    if (n < 2 || n > 3 || t[c.end - 1] != '.')
        return 0;
    for (uint32_t i = c.start; i + 1 < c.end; i++)
        if (!is_ascii_digit((unsigned char)t[i]))
            return 0;
    return 1;
}

static inline int cut_chunk(const char *t, span c, int line_start, span *out, uint8_t *kind, int max)
{
    span tail[16];
    int ntail = 0, n = 0;
    size_t k;
    /* Leading marks, unless the chunk is a clitic ('s) or a year ('96);
     * room is kept for the word, its clitic and 16 trailing marks (a run
     * of marks longer than that stays in the word) */
    while (span_len(c) > 1 && n < max - 18 && (k = match_any(t, c, rules_tokens_openers, RULES_N(rules_tokens_openers), 0))) {
        if (t[c.start] == '\'' && (clitic_suffix(t, c) == span_len(c) ||
                                   is_ascii_digit((unsigned char)t[c.start + 1])))
            break;
        kind[n] = CUT_LEAD;
        out[n++] = (span){c.start, c.start + (uint32_t)k};
        c.start += (uint32_t)k;
    }
    /* Trailing marks and a final period that ends no abbreviation. */
    while (span_len(c) > 1 && ntail < 16) {
        k = match_any(t, c, rules_tokens_closers, RULES_N(rules_tokens_closers), 1);
        if (k && k == span_len(c))
            break;
        if (!k && t[c.end - 1] == '.' && !cut_is_abbreviation(t, c) && !(line_start && is_list_number(t, c)))
            k = 1;
        if (!k || clitic_suffix(t, c) == span_len(c))
            break;
        /* A possessive plural keeps its apostrophe as its own token. */
        tail[ntail++] = (span){c.end - (uint32_t)k, c.end};
        c.end -= (uint32_t)k;
    }
    /* The clitic 's or n't. */
    span clitic = {0, 0};
    k = clitic_suffix(t, c);
    if (k && k < span_len(c)) {
        clitic = (span){c.end - (uint32_t)k, c.end};
        c.end -= (uint32_t)k;
    }
    if (!span_empty(c) && n < max) {
        kind[n] = CUT_CORE;
        out[n++] = c;
    }
    if (!span_empty(clitic) && n < max) {
        kind[n] = CUT_AFTER;
        out[n++] = clitic;
    }
    while (ntail > 0 && n < max) {
        kind[n] = CUT_AFTER;
        out[n++] = tail[--ntail];
    }
    return n;
}

static inline size_t cut_dash(const char *t, span c)
{
    return match_any(t, c, rules_tokens_dashes, RULES_N(rules_tokens_dashes), 0);
}

#endif
