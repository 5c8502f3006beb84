/*
 * arena.h - a bump allocator: one document's memory, freed in one call.
 * Chunks come from malloc; allocations never move; nothing is freed singly.
 */
#ifndef ENRICH_ARENA_H
#define ENRICH_ARENA_H

#include <stddef.h>

typedef struct arena_chunk arena_chunk;

typedef struct arena {
    arena_chunk *head;   /* newest chunk first */
    size_t chunk_size;   /* size of the next ordinary chunk */
    size_t total;        /* bytes obtained from malloc, for statistics */
} arena;

void arena_init(arena *a, size_t first_chunk);
void arena_free(arena *a);

/* Zeroed, 16-byte aligned memory, or NULL when malloc fails or n overflows. */
void *arena_alloc(arena *a, size_t n);

/* n elements of size sz, zeroed; NULL on overflow or failure. */
void *arena_array(arena *a, size_t n, size_t sz);

/* Grows an array allocated from the arena: returns a new block of new_n
 * elements holding the first old_n elements of old. */
void *arena_grow(arena *a, void *old, size_t old_n, size_t new_n, size_t sz);

/* A NUL-terminated copy of s[0, n). */
char *arena_strndup(arena *a, const char *s, size_t n);

#endif
