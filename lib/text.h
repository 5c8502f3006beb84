/*
 * text.h - small helpers over byte ranges of the (validated) input.
 */
#ifndef ENRICH_TEXT_H
#define ENRICH_TEXT_H

#include <stddef.h>
#include <stdint.h>

typedef struct span {
    uint32_t start, end; /* [start, end) in bytes */
} span;

static inline int span_empty(span s) { return s.end <= s.start; }
static inline uint32_t span_len(span s) { return s.end > s.start ? s.end - s.start : 0; }

static inline int is_ascii_upper(int c) { return c >= 'A' && c <= 'Z'; }
static inline int is_ascii_lower(int c) { return c >= 'a' && c <= 'z'; }
static inline int is_ascii_digit(int c) { return c >= '0' && c <= '9'; }
static inline int is_ascii_alpha(int c) { return is_ascii_upper(c) || is_ascii_lower(c); }
static inline int ascii_lower(int c) { return is_ascii_upper(c) ? c + 32 : c; }

/* Shrinks s past Unicode white space at both ends. */
span text_trim(const char *t, span s);

/* The next word of t[*i .. end) (white space, ASCII or Unicode, between
 * words), *i moved to its end; an empty span at end when none is left. */
span text_next_word(const char *t, uint32_t end, uint32_t *i);

/* Case-insensitive (ASCII) comparison of t[s] with the NUL-terminated word. */
int text_ieq(const char *t, span s, const char *word);

/* Does t[s] start with word, case-insensitively (ASCII)? */
int text_istarts(const char *t, span s, const char *word);

/* Finds needle (ASCII, case-insensitive) in t[s]; returns its offset or -1. */
long text_ifind(const char *t, span s, const char *needle);

/* Normalizes a name for gazetteer keys: ASCII lower case, ’ and ‘ as ',
 * runs of white space as one space, no white space at the ends. Writes at
 * most cap - 1 bytes plus NUL; returns the length or -1 if it did not fit. */
int text_name_key(const char *s, size_t n, char *out, size_t cap);

/* s[0, n) with the marks taken off its Latin letters ("Montréal" ->
 * "Montreal", "Łódź" -> "Lodz") into out (cap bytes, NUL-terminated).
 * Returns the length, 0 when s had nothing to fold, -1 when it holds other
 * non-ASCII letters or out is too small. */
int text_fold_ascii(const char *s, size_t n, char *out, size_t cap);

/* Number of words (runs of non-space) in t[s]. */
unsigned text_word_count(const char *t, span s);

#endif
