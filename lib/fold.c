/*
 * fold.c - one fold and one hash for words (see fold.h).
 */
#include "fold.h"

#include "utf8.h"

size_t fold_lower_bytes(const char *t, span s, unsigned char *out)
{
    size_t n = fold_word(t, s, out);
    for (size_t i = 0; i < n; i++)
        out[i] = (unsigned char)ascii_lower(out[i]);
    return n;
}

uint64_t fold_lower_hash(const char *t, span s)
{
    unsigned char buf[FOLD_MAX];
    return fold_hash_bytes(buf, fold_lower_bytes(t, s, buf));
}
