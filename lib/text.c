/*
 * text.c - helpers over byte ranges: trimming, ASCII case-insensitive
 * matching and the normalized keys used by the gazetteers.
 */
#include "text.h"

#include <utf8proc.h>

#include <string.h>

#include "utf8.h"

span text_trim(const char *t, span s)
{
    size_t k;
    while (s.start < s.end && (k = utf8_space_at(t, s.end, s.start)) > 0)
        s.start += (uint32_t)k;
    while (s.end > s.start && (k = utf8_space_before(t, s.end)) > 0)
        s.end -= (uint32_t)k;
    return s;
}

/* Do the n bytes at a and b match, ASCII case folded? */
static int ieq_n(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (ascii_lower((unsigned char)a[i]) != ascii_lower((unsigned char)b[i]))
            return 0;
    return 1;
}

int text_ieq(const char *t, span s, const char *word)
{
    size_t n = span_len(s);
    for (size_t i = 0; i < n; i++)
        if (!word[i] || ascii_lower((unsigned char)t[s.start + i]) != ascii_lower((unsigned char)word[i]))
            return 0;
    return word[n] == '\0';
}

int text_istarts(const char *t, span s, const char *word)
{
    /* word is short: stop at its end or at the first difference */
    size_t i = 0, len = span_len(s);
    for (; word[i]; i++)
        if (i >= len || ascii_lower((unsigned char)t[s.start + i]) != ascii_lower((unsigned char)word[i]))
            return 0;
    return 1;
}

long text_ifind(const char *t, span s, const char *needle)
{
    size_t n = strlen(needle);
    if (n == 0)
        return (long)s.start;
    unsigned char lo = (unsigned char)ascii_lower((unsigned char)needle[0]);
    unsigned char up = lo >= 'a' && lo <= 'z' ? (unsigned char)(lo - 32) : lo;
    for (uint32_t i = s.start; i + n <= s.end; i++) {
        unsigned char c = (unsigned char)t[i];
        if ((c == lo || c == up) && ieq_n(t + i + 1, needle + 1, n - 1))
            return (long)i;
    }
    return -1;
}

int text_name_key(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    int pending_space = 0;
    size_t i = 0;
    while (i < n) {
        size_t sp = utf8_space_at(s, n, i);
        if (sp > 0 || s[i] == '\n' || s[i] == '\r') {
            pending_space = o > 0;
            i += sp > 0 ? sp : 1;
            continue;
        }
        unsigned char c = (unsigned char)s[i];
        char emit[4];
        size_t elen = 1;
        size_t step = 1;
        if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
            ((unsigned char)s[i + 2] == 0x98 || (unsigned char)s[i + 2] == 0x99)) {
            emit[0] = '\''; /* ‘ ’ */
            step = 3;
        } else {
            emit[0] = (char)ascii_lower(c);
        }
        if (pending_space) {
            if (o + 1 >= cap)
                return -1;
            out[o++] = ' ';
            pending_space = 0;
        }
        if (o + elen >= cap)
            return -1;
        memcpy(out + o, emit, elen);
        o += elen;
        i += step;
    }
    out[o] = '\0';
    return (int)o;
}

unsigned text_word_count(const char *t, span s)
{
    unsigned words = 0;
    int in_word = 0;
    uint32_t i = s.start;
    while (i < s.end) {
        size_t sp = utf8_space_at(t, s.end, i);
        if (sp > 0) {
            in_word = 0;
            i += (uint32_t)sp;
            continue;
        }
        if (!in_word)
            words++;
        in_word = 1;
        i++;
    }
    return words;
}

/* Latin letters without their marks ("é" -> "e", "ș" -> "s"): Unicode's
 * canonical decomposition with the marks stripped, from utf8proc; and the
 * letters that have none, spelled as English writes them ("ł" -> "l",
 * "ß" -> "ss", "Þ" -> "Th"). */
static const struct {
    uint32_t cp;
    const char *ascii;
} undecomposed[] = {
    {0xC6, "AE"}, {0xD0, "D"},  {0xD8, "O"},  {0xDE, "Th"}, {0xDF, "ss"}, {0xE6, "ae"}, {0xF0, "d"},
    {0xF8, "o"},  {0xFE, "th"}, {0x110, "D"}, {0x111, "d"}, {0x126, "H"}, {0x127, "h"}, {0x131, "i"},
    {0x132, "IJ"}, {0x133, "ij"}, {0x138, "k"}, {0x13F, "L"}, {0x140, "l"}, {0x141, "L"}, {0x142, "l"},
    {0x149, "n"}, {0x14A, "N"}, {0x14B, "n"}, {0x152, "OE"}, {0x153, "oe"}, {0x166, "T"}, {0x167, "t"},
    {0x17F, "s"},
};

/* The ASCII spelling of Latin letter cp into out (at least 4 bytes); its
 * length, or 0 when cp is no Latin letter (× and ÷, other scripts). */
static size_t latin_ascii(uint32_t cp, char *out)
{
    for (size_t k = 0; k < sizeof undecomposed / sizeof undecomposed[0]; k++)
        if (undecomposed[k].cp == cp) {
            size_t n = strlen(undecomposed[k].ascii);
            memcpy(out, undecomposed[k].ascii, n);
            return n;
        }
    utf8proc_int32_t parts[8];
    int last = 0;
    utf8proc_ssize_t np = utf8proc_decompose_char((utf8proc_int32_t)cp, parts, 8,
                                                  UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK, &last);
    if (np != 1 || parts[0] >= 0x80 || !is_ascii_alpha((int)parts[0]))
        return 0;
    out[0] = (char)parts[0];
    return 1;
}

int text_fold_ascii(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    int changed = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        char piece[4];
        size_t len, step;
        if (c < 0x80) {
            piece[0] = (char)c;
            len = 1;
            step = 1;
        } else {
            utf8proc_int32_t cp;
            utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
            if (k <= 0 || !(len = latin_ascii((uint32_t)cp, piece)))
                return -1;
            step = (size_t)k;
            changed = 1;
        }
        if (o + len >= cap)
            return -1;
        memcpy(out + o, piece, len);
        o += len;
        i += step;
    }
    out[o] = '\0';
    return changed ? (int)o : 0;
}

span text_next_word(const char *t, uint32_t end, uint32_t *i)
{
    uint32_t k = *i;
    size_t sp;
    while (k < end && (sp = utf8_space_at(t, end, k)))
        k += (uint32_t)sp;
    uint32_t w = k;
    for (; k < end; k++) {
        unsigned char c = (unsigned char)t[k];
        if (c < 0x80 ? c == ' ' || c == '\t' : utf8_space_at(t, end, k) != 0)
            break; /* most bytes are ASCII and no space: no call */
    }
    *i = k;
    return (span){w, k};
}
