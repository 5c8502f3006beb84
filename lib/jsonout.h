/*
 * jsonout.h - one way to write the response, two results: a jansson tree
 * (enrich_doc_json) or compact JSON text written directly (enrich_doc_dump,
 * about twice as fast: no tree, no allocation per value). The text is the
 * bytes json_dumps(tree, JSON_COMPACT | JSON_PRESERVE_ORDER) gives; a test
 * holds the two to that.
 */
#ifndef ENRICH_JSONOUT_H
#define ENRICH_JSONOUT_H

#include <stddef.h>

#include <jansson.h>

#define JOUT_MAX_DEPTH 16

typedef struct jout {
    int text;       /* 1: write text; 0: build a tree */
    int failed;     /* memory ran out, or nesting too deep */
    int depth;
    /* text */
    char *buf;
    size_t len, cap;
    unsigned char first[JOUT_MAX_DEPTH]; /* nothing written yet at this depth */
    int after_key;
    /* tree */
    json_t *stack[JOUT_MAX_DEPTH];
    const char *key; /* the key the next value goes under */
    json_t *root;
} jout;

void jout_init(jout *o, int text);

void jout_object_begin(jout *o);
void jout_object_end(jout *o);
void jout_array_begin(jout *o);
void jout_array_end(jout *o);

/* The key of the next value in an object: a static string, no escaping needed. */
void jout_key(jout *o, const char *key);

void jout_stringn(jout *o, const char *s, size_t n); /* valid UTF-8 */
void jout_string(jout *o, const char *s);
void jout_string_or_null(jout *o, const char *s);
void jout_int(jout *o, long long v);
void jout_real(jout *o, double v);
void jout_null(jout *o);

/* Text: the malloc'd NUL-terminated buffer (caller frees) and its length.
 * Tree: the root (new reference). NULL when anything failed. */
char *jout_take_text(jout *o, size_t *len);
json_t *jout_take_tree(jout *o);

#endif
