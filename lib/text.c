/*
 * text.c - helpers over byte ranges: trimming, ASCII case-insensitive
 * matching and the normalized keys used by the gazetteers.
 */
#include "text.h"

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

/* Latin letters U+00C0 to U+017F without their marks ("é" -> "e", "ł" ->
 * "l", "ß" -> "ss"); "" where there is no letter (× and ÷). From Unicode's
 * decompositions, with the letters that have none spelled as English
 * writes them. */
static const char latin_fold[192][3] = {
    "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I",
    "D", "N", "O", "O", "O", "O", "O", "", "O", "U", "U", "U", "U", "Y", "Th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y",
    "A", "a", "A", "a", "A", "a", "C", "c", "C", "c", "C", "c", "C", "c", "D", "d",
    "D", "d", "E", "e", "E", "e", "E", "e", "E", "e", "E", "e", "G", "g", "G", "g",
    "G", "g", "G", "g", "H", "h", "H", "h", "I", "i", "I", "i", "I", "i", "I", "i",
    "I", "i", "IJ", "ij", "J", "j", "K", "k", "k", "L", "l", "L", "l", "L", "l", "L",
    "l", "L", "l", "N", "n", "N", "n", "N", "n", "n", "N", "n", "O", "o", "O", "o",
    "O", "o", "OE", "oe", "R", "r", "R", "r", "R", "r", "S", "s", "S", "s", "S", "s",
    "S", "s", "T", "t", "T", "t", "T", "t", "U", "u", "U", "u", "U", "u", "U", "u",
    "U", "u", "U", "u", "W", "w", "Y", "y", "Y", "Z", "z", "Z", "z", "Z", "z", "s",
};

int text_fold_ascii(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    int changed = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        const char *piece;
        size_t len, step;
        char one[2] = {(char)c, 0};
        if (c < 0x80) {
            piece = one;
            len = 1;
            step = 1;
        } else if ((c == 0xC3 || c == 0xC4 || c == 0xC5) && i + 1 < n &&
                   ((unsigned char)s[i + 1] & 0xC0) == 0x80) {
            unsigned cp = ((c & 0x1Fu) << 6) | ((unsigned char)s[i + 1] & 0x3Fu);
            if (cp < 0xC0 || cp > 0x17F)
                return -1;
            piece = latin_fold[cp - 0xC0];
            len = strlen(piece);
            step = 2;
            changed = 1;
        } else {
            return -1;
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
