/*
 * jsonout.c - the JSON sink of the emit stage: a jansson tree or compact
 * text, from one sequence of calls.
 */
#include "jsonout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void jout_init(jout *o, int text)
{
    memset(o, 0, sizeof *o);
    o->text = text;
    o->first[0] = 1;
}

static void put(jout *o, const char *s, size_t n)
{
    if (o->failed)
        return;
    if (o->len + n + 1 > o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 4096;
        while (cap < o->len + n + 1)
            cap *= 2;
        char *b = realloc(o->buf, cap);
        if (!b) {
            o->failed = 1;
            return;
        }
        o->buf = b;
        o->cap = cap;
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

static void putc1(jout *o, char c)
{
    if (!o->failed && o->len + 2 <= o->cap)
        o->buf[o->len++] = c;
    else
        put(o, &c, 1);
}

/* Text: the comma before an item that is not the first of its container. */
static void separate(jout *o)
{
    if (o->after_key) {
        o->after_key = 0;
        return;
    }
    if (!o->first[o->depth])
        putc1(o, ',');
    o->first[o->depth] = 0;
}

/* Tree: attaches v to the open container (or makes it the root). */
static void attach(jout *o, json_t *v)
{
    if (!v) {
        o->failed = 1;
        return;
    }
    if (o->depth == 0) {
        if (o->root)
            json_decref(o->root);
        o->root = v;
        return;
    }
    json_t *parent = o->stack[o->depth - 1];
    int rc = json_is_object(parent) ? json_object_set_new(parent, o->key ? o->key : "", v)
                                    : json_array_append_new(parent, v);
    if (rc != 0)
        o->failed = 1;
    o->key = NULL;
}

static void begin(jout *o, int object)
{
    if (o->depth + 1 >= JOUT_MAX_DEPTH) {
        o->failed = 1;
        return;
    }
    if (o->text) {
        separate(o);
        putc1(o, object ? '{' : '[');
        o->depth++;
        o->first[o->depth] = 1;
        return;
    }
    json_t *c = object ? json_object() : json_array();
    if (!c) {
        o->failed = 1;
        return;
    }
    json_incref(c); /* the stack's reference, dropped at the end */
    attach(o, c);
    o->stack[o->depth++] = c;
}

static void end(jout *o, int object)
{
    if (o->depth == 0) {
        o->failed = 1;
        return;
    }
    if (o->text) {
        putc1(o, object ? '}' : ']');
        o->depth--;
        return;
    }
    json_decref(o->stack[--o->depth]);
}

void jout_object_begin(jout *o) { begin(o, 1); }
void jout_object_end(jout *o) { end(o, 1); }
void jout_array_begin(jout *o) { begin(o, 0); }
void jout_array_end(jout *o) { end(o, 0); }

void jout_key(jout *o, const char *key)
{
    if (o->text) {
        separate(o);
        putc1(o, '"');
        put(o, key, strlen(key));
        put(o, "\":", 2);
        o->after_key = 1;
    } else {
        o->key = key;
    }
}

/* Escapes as jansson's dump does without JSON_ENSURE_ASCII: quote,
 * backslash and control characters; everything else as it is. */
void jout_stringn(jout *o, const char *s, size_t n)
{
    if (!o->text) {
        attach(o, json_stringn(s, n));
        return;
    }
    separate(o);
    putc1(o, '"');
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        put(o, s + run, i - run);
        run = i + 1;
        char esc[8];
        switch (c) {
        case '"': put(o, "\\\"", 2); break;
        case '\\': put(o, "\\\\", 2); break;
        case '\b': put(o, "\\b", 2); break;
        case '\f': put(o, "\\f", 2); break;
        case '\n': put(o, "\\n", 2); break;
        case '\r': put(o, "\\r", 2); break;
        case '\t': put(o, "\\t", 2); break;
        default:
            snprintf(esc, sizeof esc, "\\u%04X", c);
            put(o, esc, 6);
        }
    }
    put(o, s + run, n - run);
    putc1(o, '"');
}

void jout_string(jout *o, const char *s)
{
    jout_stringn(o, s, strlen(s));
}

void jout_string_or_null(jout *o, const char *s)
{
    if (s)
        jout_string(o, s);
    else
        jout_null(o);
}

void jout_int(jout *o, long long v)
{
    if (!o->text) {
        attach(o, json_integer((json_int_t)v));
        return;
    }
    separate(o);
    /* digits written back to front: offsets are most of what is printed,
     * and snprintf cost more than the rest of the emitter */
    char b[24];
    size_t i = sizeof b;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        b[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        b[--i] = '-';
    put(o, b + i, sizeof b - i);
}

/* As jansson writes reals: %.17g, ".0" when it looks like an integer, and
 * no '+' or leading zeros in the exponent. */
void jout_real(jout *o, double v)
{
    if (!o->text) {
        attach(o, json_real(v));
        return;
    }
    separate(o);
    char b[40], out[40];
    snprintf(b, sizeof b, "%.17g", v);
    size_t k = 0;
    int dotted = 0;
    for (size_t i = 0; b[i]; i++) {
        if (b[i] == '.' || b[i] == 'e')
            dotted = 1;
        if (b[i] == 'e') {
            out[k++] = 'e';
            i++;
            if (b[i] == '-')
                out[k++] = '-';
            else if (b[i] != '+')
                i--;
            while (b[i + 1] == '0' && b[i + 2])
                i++;
            continue;
        }
        out[k++] = b[i];
    }
    if (!dotted) {
        out[k++] = '.';
        out[k++] = '0';
    }
    put(o, out, k);
}

void jout_null(jout *o)
{
    if (!o->text) {
        attach(o, json_null());
        return;
    }
    separate(o);
    put(o, "null", 4);
}

char *jout_take_text(jout *o, size_t *len)
{
    if (o->failed || o->depth != 0 || !o->buf) {
        free(o->buf);
        o->buf = NULL;
        return NULL;
    }
    o->buf[o->len] = '\0';
    *len = o->len;
    char *b = o->buf;
    o->buf = NULL;
    return b;
}

json_t *jout_take_tree(jout *o)
{
    json_t *r = o->root;
    o->root = NULL;
    if (o->failed || o->depth != 0) {
        while (o->depth > 0)
            json_decref(o->stack[--o->depth]);
        json_decref(r);
        return NULL;
    }
    return r;
}
