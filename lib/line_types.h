/*
 * line_types.h - a line, its role and what the rule parsers saw in it, and
 * the line-role model as loaded: the types the doc and the engine hold,
 * apart from lines.c's functions.
 */
#ifndef ENRICH_LINE_TYPES_H
#define ENRICH_LINE_TYPES_H

#include <stdint.h>

#include "text.h"

struct dateline_info;

/* The first dateline that opens a line, as classifying found it (so that
 * layout need not parse it again). */
typedef struct lines_dateline {
    uint32_t line;  /* its line, or UINT32_MAX when none was found */
    uint32_t after; /* where the line's text goes on after the dash */
    struct dateline_info *info; /* filled when line is set; the caller's */
} lines_dateline;

typedef enum line_role {
    LR_HEADLINE = 0,
    LR_SUBHEADLINE,
    LR_BYLINE,
    LR_TIMESTAMP,
    LR_DATELINE,
    LR_CAPTION,
    LR_BOILERPLATE,
    LR_BODY,
    LR_RELATED_HEADING,
    LR_RELATED_ITEM,
    LR_SIGNOFF,
    LR_FOOTER,
    LR_ROLES
} line_role;

/* What the rule parsers found the line to be (lines_classify sets them;
 * the dateline ones only among the first lines). */
enum line_flag {
    LF_CREDIT = 1u << 0,    /* wholly credits (credits_parse_line) */
    LF_STAMP = 1u << 1,     /* wholly time stamps */
    LF_RELHEAD = 1u << 2,   /* a related heading */
    LF_LINK = 1u << 3,      /* a link alone */
    LF_DL_LINE = 1u << 4,   /* a dateline by itself */
    LF_DL_INLINE = 1u << 5, /* opens with a dateline */
    LF_DL_CHECKED = 1u << 6, /* the two above were looked for */
    LF_FURNITURE = 1u << 7,  /* a page's furniture: two of its words ("Share on Facebook"),
                              * or one on a line of four words at most */
    LF_ALONE_OK = 1u << 8,   /* may be a dateline on its own line (layout) */
    LF_AFTER_BODY = 1u << 9  /* the story's text began above it (dateline stage) */
};

typedef struct line_info {
    span s;             /* trimmed; never empty */
    uint32_t block;     /* blocks: runs of lines without a blank line between */
    uint8_t blank_before, blank_after;
    uint8_t role;       /* line_role */
    uint16_t flags;     /* enum line_flag */
    uint16_t words;     /* words on the line, up to 65535 (lines_classify) */
} line_info;

/* The model as loaded: feature hash -> a row of LR_ROLES weights. */
typedef struct lines_slot {
    uint32_t fp;  /* the feature hash's high half, never 0; 0 = empty */
    uint32_t row; /* index into rows */
} lines_slot;

/* Compact, to stay in cache beside the tagger: 8 bytes a slot, weights as
 * int16 scaled by one factor (a row's argmax does not change with it). */
typedef struct lines_model {
    lines_slot *slots; /* open addressing, a power of two of them */
    int16_t *rows;     /* n_features rows of LR_ROLES, dense */
    uint32_t n_slots, n_features;
} lines_model;

#endif
