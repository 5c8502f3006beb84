/*
 * fold.h - one fold and one hash for words, which every stage and resource
 * shares: curly quotes and dashes folded to ASCII, ASCII lower case, and a
 * 64-bit FNV-1a hash finished by a mixer. The lexicons, word lists, phrase
 * tables and the tagger's features all key on these.
 */
#ifndef ENRICH_FOLD_H
#define ENRICH_FOLD_H

#include <stddef.h>
#include <stdint.h>

#include "text.h"

/* The longest word folded, in bytes; longer ones are cut. */
#define FOLD_MAX 64

/* A 64-bit finalizer (splitmix64's): every bit of x moves every bit out. */
static inline uint64_t fold_mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

/* FNV-1a (64-bit): the one hash function of the library. A chain starts
 * at FOLD_FNV_START and takes one byte a step. */
#define FOLD_FNV_START 1469598103934665603ULL
static inline uint64_t fold_fnv1a_step(uint64_t h, unsigned char c)
{
    return (h ^ c) * 1099511628211ULL;
}

/* FNV-1a over p[0, n). */
static inline uint64_t fold_fnv1a(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = FOLD_FNV_START;
    for (size_t i = 0; i < n; i++)
        h = fold_fnv1a_step(h, s[i]);
    return h;
}

/* FNV-1a over s[0, n), mixed: keys whose low bits index a table. */
static inline uint64_t fold_hash_bytes(const unsigned char *s, size_t n)
{
    return fold_mix64(fold_fnv1a(s, n));
}

/* Writes the word t[s] with curly quotes (‘ ’ “ ”) and dashes (– —) as
 * ASCII into out (at most FOLD_MAX bytes); returns the length. */
static inline size_t fold_word(const char *t, span s, unsigned char *out)
{
    size_t o = 0;
    uint32_t i = s.start;
    while (i < s.end && o < FOLD_MAX) {
        unsigned char c = (unsigned char)t[i];
        if (c == 0xE2 && i + 2 < s.end && (unsigned char)t[i + 1] == 0x80) {
            unsigned char c2 = (unsigned char)t[i + 2];
            if (c2 == 0x98 || c2 == 0x99) {
                out[o++] = '\'';
                i += 3;
                continue;
            }
            if (c2 == 0x9C || c2 == 0x9D) {
                out[o++] = '"';
                i += 3;
                continue;
            }
            if (c2 == 0x93 || c2 == 0x94) {
                out[o++] = '-';
                i += 3;
                continue;
            }
        }
        out[o++] = c;
        i++;
    }
    return o;
}

/* fold_word, then ASCII lower case. */
size_t fold_lower_bytes(const char *t, span s, unsigned char *out);

/* The hash of the word's folded lower-case form: the key of every word
 * list, lexicon and phrase table. */
uint64_t fold_lower_hash(const char *t, span s);

#endif
