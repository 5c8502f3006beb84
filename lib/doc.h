/*
 * doc.h - the engine and document structures every stage shares.
 * Stages read the text and the fields of earlier stages and add their own.
 */
#ifndef ENRICH_DOC_H
#define ENRICH_DOC_H

#include <stdint.h>

#include "arena.h"
#include "enrich.h"
#include "gazetteer.h"
#include "entity_types.h"
#include "line_types.h"
#include "ner_model.h"
#include "phrases.h"
#include "dictionary.h"
#include "text.h"
#include "wordset.h"

struct enrich_engine {
    gazetteer places;
    phrase_table phrases;
    ner_model ner;
    ner_cues ner_cues;        /* the tagger's context words (ner_model.h) */
    dictionary dict;
    wordset speech_verbs;     /* "said", "added": quote attribution */
    wordset first_names;      /* line features: name-like lines */
    wordset female_names, male_names; /* first names of one gender only: "she said" */
    wordset byline_words;     /* "Staff", "Writer": byline pieces that are no person */
    wordset furniture_words;  /* "share", "subscribe": a page's furniture (lines.h) */
    lines_model layout;       /* line roles (lines.h) */
    uint64_t *timex_triggers; /* a set of lower-case hashes (timex.h) */
    uint32_t timex_trigger_slots;
};

/* A calendar date found in the text, month and day known, year maybe. */
typedef struct doc_date {
    span text;
    int year;  /* 0 when the text gives none */
    int month; /* 1..12 */
    int day;   /* 1..31 */
    int resolved_year; /* the year, or the one the dates stage chose; 0: unknown */
} doc_date;

/* A time stamp line: "Updated July 11, 2024 at 3:02 p.m. EDT". */
typedef struct stamp_info {
    span text;         /* the whole line */
    const char *label; /* static: "published", "updated", or NULL */
    doc_date date;     /* year, month and day all known */
} stamp_info;

/* Where the dateline stood: a line of its own, the head of a line with a
 * bar and a time stamp after it, or the opening of a paragraph. */
enum dateline_kind { DL_ALONE = 1, DL_BAR, DL_INLINE };

typedef struct dateline_info {
    int found;
    span text;           /* without the closing dash */
    span city;           /* empty when none */
    span region_text;    /* empty when none */
    const place *region; /* NULL when unknown */
    const place *country;
    span country_text;   /* the part naming the country, or empty */
    int has_date;
    doc_date date;
    span agency; /* "Reuters" inside "(Reuters)"; empty when none */
} dateline_info;

typedef enum credit_role {
    ROLE_AUTHOR = 0,
    ROLE_REPORTER,
    ROLE_EDITOR,
    ROLE_TRANSLATOR,
    ROLE_PHOTOGRAPHER
} credit_role;

typedef struct credit {
    credit_role role;
    span clause; /* "Edited by Mike Firn." */
    span name;   /* "Mike Firn" */
} credit;

/* A run of lines of one role (lines.h), for article.blocks. */
typedef struct doc_block {
    span s;
    uint8_t role; /* line_role */
} doc_block;

typedef struct related_item {
    span title; /* empty when the link has no title */
    span url;   /* empty when none */
} related_item;

/* Where a token stands in the article. */
typedef enum region_kind {
    REGION_BODY = 0,
    REGION_HEADLINE,
    REGION_SUBHEADLINE,
    REGION_DATELINE,
    REGION_META,   /* time stamp, byline, boilerplate and footer lines: their dates, no entities */
    REGION_CAPTION /* captions: names and dates */
} region_kind;

enum token_flag {
    TOK_SENT_START = 1u << 0, /* first token of its sentence */
    TOK_LINE_START = 1u << 1, /* first token on its line */
    TOK_CAPS_LINE = 1u << 2,  /* its line has letters and none in lower case */
    TOK_AFTER_QUOTE = 1u << 3 /* follows an opening quotation mark */
};

typedef struct token {
    span s;
    uint16_t flags;  /* enum token_flag */
    uint8_t region;  /* region_kind */
    uint8_t label;   /* the tagger's label (ner.h) */
} token;

typedef struct sentence {
    uint32_t first, count; /* tokens [first, first + count) */
} sentence;

typedef struct mention {
    span s;
    uint8_t type;      /* entity_type this mention suggests */
    uint8_t region;    /* region_kind */
    uint8_t from_rule; /* added by a gazetteer rule, not the tagger */
    const phrase *ph;  /* its gazetteer entry, or NULL */
    const dict_entry *dict; /* its custom dictionary entry, or NULL */
    uint32_t entity;   /* index into doc->entities */
    uint32_t next;     /* next mention of the same entity, or UINT32_MAX */
} mention;

typedef struct entity {
    uint8_t type;          /* entity_type */
    span name;             /* the mention text that names it, when name_str is NULL */
    const char *name_str;  /* a gazetteer's name ("North Korea" for "DPRK") */
    const char *iso3166;   /* country or state code, or NULL */
    const char *id;        /* a custom dictionary entry's id, or NULL */
    uint32_t geonames;     /* 0 = none */
    double weight;         /* salience before normalization */
    uint32_t first, last;  /* first and last mention indexes */
    uint32_t count;
} entity;

typedef enum timex_type { TIMEX_DATE = 0, TIMEX_TIME, TIMEX_DURATION, TIMEX_SET } timex_type;

typedef struct timex {
    span s;
    uint8_t type;      /* timex_type */
    char value[28];    /* TIMEX3 value: "2024-07-10", "P3W", "PRESENT_REF" */
    const char *grain; /* static: "day", "month", "year", ... */
} timex;

typedef struct quote {
    span s;            /* marks included; over paragraphs when it goes on */
    span speaker_text; /* the words naming the speaker; empty when unknown */
    uint32_t entity;   /* the speaker's index into doc->entities, or UINT32_MAX */
} quote;

typedef struct doc_warning {
    const char *code;    /* static: "no_reference_date" */
    const char *message; /* static */
} doc_warning;

/* A growable array in the document arena. */
#define DOC_VEC(type) struct { type *v; uint32_t n, cap; }

struct enrich_doc {
    const enrich_engine *engine;
    const char *text;
    uint32_t len;
    arena arena;

    enrich_offset_unit offsets;
    unsigned include;
    int has_ref;
    int ref_year, ref_month, ref_day;
    const char *ref_source; /* static: "request", "timestamp", "dateline"; NULL without */

    /* layout: the lines and their roles, read by the stages after it */
    line_info *lines; /* malloc'd; freed with the doc */
    uint32_t nlines;
    lines_dateline first_dl;       /* the dateline classifying found first */
    dateline_info first_dl_info;
    uint32_t dl_line;              /* the dateline's line, UINT32_MAX when none */
    uint8_t dl_kind;               /* enum dateline_kind */
    uint32_t dl_after;             /* DL_INLINE: the paragraph's rest; DL_BAR: the stamp's start */

    span headline;    /* empty when none */
    span subheadline; /* empty when none */
    dateline_info dateline;
    span body;        /* from the first body paragraph to the last */
    DOC_VEC(span) paragraphs; /* body paragraphs only */
    DOC_VEC(credit) credits;
    DOC_VEC(stamp_info) stamps;
    DOC_VEC(related_item) related;
    DOC_VEC(doc_block) blocks; /* every non-blank line, by role */
    DOC_VEC(doc_warning) warnings;

    /* tokens */
    DOC_VEC(token) tokens;
    DOC_VEC(sentence) sentences;

    /* dates */
    DOC_VEC(timex) dates;

    /* entities */
    DOC_VEC(mention) mentions; /* in text order */
    DOC_VEC(entity) entities;  /* in order of first mention */

    /* quotes */
    DOC_VEC(quote) quotes; /* in text order */
};

/* Appends one zeroed element to a DOC_VEC; returns it or NULL (no memory). */
#define DOC_PUSH(doc, vec) \
    ((__typeof__((vec).v))doc_vec_push(&(doc)->arena, (void **)&(vec).v, &(vec).n, &(vec).cap, sizeof *(vec).v))

void *doc_vec_push(arena *a, void **v, uint32_t *n, uint32_t *cap, size_t sz);

/* Adds a warning; returns 0 or -1 when memory ran out. */
int doc_warn(enrich_doc *doc, const char *code, const char *message);

#endif
