/*
 * utf8.h - UTF-8 validation, decoding, Unicode spaces and offset units.
 */
#ifndef ENRICH_UTF8_H
#define ENRICH_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "enrich.h"

/* Result of utf8_validate. */
typedef enum utf8_result { UTF8_VALID = 0, UTF8_INVALID, UTF8_HAS_NUL } utf8_result;

/* Checks s[0, n) is well-formed UTF-8 (no overlongs, no surrogates, nothing
 * past U+10FFFF) without NUL bytes. On failure *bad is the offset of the
 * first offending byte. */
utf8_result utf8_validate(const char *s, size_t n, size_t *bad);

/* Decodes the character at s[i] (valid UTF-8 inside [0, n)); stores its
 * length in *len. A continuation byte at s[i] decodes as itself, length 1. */
uint32_t utf8_decode(const char *s, size_t n, size_t i, size_t *len);

/* Length of the character that ends just before s[i] (i > 0). */
size_t utf8_prev_len(const char *s, size_t i);

/* Could the character at s[i] open a name? An ASCII capital; beyond
 * ASCII, any character but a lower-case letter (utf8proc's category Ll):
 * Greek and Cyrillic capitals yes, their lower case no, and letters of
 * scripts without case (Korean, Japanese, Chinese) yes. */
int utf8_name_start_wide(const char *s, size_t n, size_t i);
static inline int utf8_name_start(const char *s, size_t n, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    return c < 0x80 ? c >= 'A' && c <= 'Z' : utf8_name_start_wide(s, n, i);
}

/* Horizontal white space: ASCII space and tab, NO-BREAK SPACE, the
 * U+2000..U+200B spaces, NARROW NO-BREAK SPACE, MEDIUM MATHEMATICAL SPACE,
 * IDEOGRAPHIC SPACE and the byte-order mark. Returns its length in bytes at
 * s[i], or 0 when s[i] starts no such character (a continuation byte starts
 * none, so a scan may step byte by byte). */
size_t utf8_space_at_wide(const char *s, size_t n, size_t i);
static inline size_t utf8_space_at(const char *s, size_t n, size_t i)
{
    if (i >= n)
        return 0;
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80)
        return c == ' ' || c == '\t';
    return utf8_space_at_wide(s, n, i);
}

/* The same test for the character ending at s[i] (i > 0); 0 if none. */
size_t utf8_space_before(const char *s, size_t i);

/* Converts byte offsets into another unit. Offsets given must lie on
 * character boundaries of a validated text. */
typedef struct offset_map {
    enrich_offset_unit unit;
    const unsigned char *text;
    size_t len;
    uint32_t *checkpoint; /* units before byte k * OFFSET_MAP_STEP */
} offset_map;

#define OFFSET_MAP_STEP 256

/* Prepares a map; returns 0, or -1 when the arena runs out. */
int offset_map_init(offset_map *m, arena *a, const char *text, size_t len,
                    enrich_offset_unit unit);

/* The offset of byte b in the map's unit. */
size_t offset_map_convert(const offset_map *m, size_t b);

#endif
