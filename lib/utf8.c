/*
 * utf8.c - reads raw bytes; says whether they are valid UTF-8, decodes
 * characters, spots Unicode spaces, and converts byte offsets into UTF-16
 * or code point offsets for the emit stage.
 */
#include "utf8.h"

#include <utf8proc.h>

utf8_result utf8_validate(const char *str, size_t n, size_t *bad)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) {
            if (c == 0) {
                *bad = i;
                return UTF8_HAS_NUL;
            }
            i++;
            continue;
        }
        size_t need;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            if (c == 0xE0)
                lo = 0xA0; /* overlong */
            else if (c == 0xED)
                hi = 0x9F; /* surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            if (c == 0xF0)
                lo = 0x90; /* overlong */
            else if (c == 0xF4)
                hi = 0x8F; /* past U+10FFFF */
        } else {
            *bad = i;
            return UTF8_INVALID;
        }
        if (n - i <= need) {
            *bad = i;
            return UTF8_INVALID;
        }
        if (s[i + 1] < lo || s[i + 1] > hi) {
            *bad = i;
            return UTF8_INVALID;
        }
        for (size_t k = 2; k <= need; k++) {
            if ((s[i + k] & 0xC0) != 0x80) {
                *bad = i;
                return UTF8_INVALID;
            }
        }
        i += need + 1;
    }
    return UTF8_VALID;
}

uint32_t utf8_decode(const char *str, size_t n, size_t i, size_t *len)
{
    const unsigned char *s = (const unsigned char *)str;
    unsigned char c = s[i];
    /* ASCII, or a continuation byte, which starts no character: callers
     * that step byte by byte must not read one as a lead. */
    if (c < 0xC0 || i + 1 >= n) {
        *len = 1;
        return c;
    }
    if (c < 0xE0) {
        *len = 2;
        return ((uint32_t)(c & 0x1F) << 6) | (s[i + 1] & 0x3F);
    }
    if (c < 0xF0 && i + 2 < n) {
        *len = 3;
        return ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(s[i + 1] & 0x3F) << 6) |
               (s[i + 2] & 0x3F);
    }
    if (i + 3 < n) {
        *len = 4;
        return ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(s[i + 1] & 0x3F) << 12) |
               ((uint32_t)(s[i + 2] & 0x3F) << 6) | (s[i + 3] & 0x3F);
    }
    *len = 1;
    return c;
}

size_t utf8_prev_len(const char *str, size_t i)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t k = 1;
    while (k < 4 && k < i && (s[i - k] & 0xC0) == 0x80)
        k++;
    return k;
}

static int is_unicode_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200B) ||
           cp == 0x202F || cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

/* utf8_space_at past ASCII. */
size_t utf8_space_at_wide(const char *s, size_t n, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    /* Only these lead bytes start a space: C2 (U+00A0), E2 (U+2000..),
     * E3 (U+3000), EF (U+FEFF); a continuation byte starts nothing. */
    if (c != 0xC2 && c != 0xE2 && c != 0xE3 && c != 0xEF)
        return 0;
    size_t len;
    uint32_t cp = utf8_decode(s, n, i, &len);
    return is_unicode_space(cp) ? len : 0;
}

size_t utf8_space_before(const char *s, size_t i)
{
    if (i == 0)
        return 0;
    size_t k = utf8_prev_len(s, i);
    size_t len;
    uint32_t cp = utf8_decode(s, i, i - k, &len);
    return is_unicode_space(cp) ? k : 0;
}

/* Units a character with this lead byte counts for; 0 for continuation. */
static unsigned units_of(enrich_offset_unit unit, unsigned char c)
{
    if ((c & 0xC0) == 0x80)
        return 0;
    if (unit == ENRICH_OFFSETS_UTF16 && c >= 0xF0)
        return 2;
    return 1;
}

int offset_map_init(offset_map *m, arena *a, const char *text, size_t len,
                    enrich_offset_unit unit)
{
    m->unit = unit;
    m->text = (const unsigned char *)text;
    m->len = len;
    m->checkpoint = NULL;
    if (unit == ENRICH_OFFSETS_UTF8)
        return 0;
    size_t steps = len / OFFSET_MAP_STEP + 1;
    m->checkpoint = arena_array(a, steps, sizeof(uint32_t));
    if (!m->checkpoint)
        return -1;
    uint32_t units = 0;
    for (size_t b = 0; b < len; b++) {
        if (b % OFFSET_MAP_STEP == 0)
            m->checkpoint[b / OFFSET_MAP_STEP] = units;
        units += units_of(unit, m->text[b]);
    }
    if (len % OFFSET_MAP_STEP == 0)
        m->checkpoint[len / OFFSET_MAP_STEP] = units;
    return 0;
}

size_t offset_map_convert(const offset_map *m, size_t b)
{
    if (m->unit == ENRICH_OFFSETS_UTF8)
        return b;
    if (b > m->len)
        b = m->len;
    size_t k = b / OFFSET_MAP_STEP;
    size_t units = m->checkpoint[k];
    for (size_t i = k * OFFSET_MAP_STEP; i < b; i++)
        units += units_of(m->unit, m->text[i]);
    return units;
}

int utf8_name_start_wide(const char *s, size_t n, size_t i)
{
    size_t len;
    uint32_t cp = utf8_decode(s, n, i, &len);
    return utf8proc_category((utf8proc_int32_t)cp) != UTF8PROC_CATEGORY_LL;
}
