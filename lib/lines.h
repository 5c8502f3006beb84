/*
 * lines.h - a role for every line of an article as pasted from a page:
 * headline, subheadline, byline, time stamp, dateline paragraph, caption or
 * credit, boilerplate, body, related heading and item, sign-off, footer.
 *
 * An averaged perceptron over line features (shape, words, position, what
 * the rule parsers of credits.h, stamp.h, related.h and dateline.h make of
 * the line, its neighbours) decodes the lines left to right, each seeing
 * the roles given to the two lines before it. The model is text
 * (data/layout.model), trained by lines_train on labelled pages.
 */
#ifndef ENRICH_LINES_H
#define ENRICH_LINES_H

#include <stddef.h>
#include <stdint.h>

#include "enrich.h"
#include "text.h"

struct enrich_engine;
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

/* One letter per role, in enum order (the labels' alphabet):
 * H S Y T D C X B K R G F. */
extern const char lines_role_letters[LR_ROLES + 1];

/* The role's name in the response ("related_item"). */
const char *lines_role_name(int role);

/* The role of a letter, or -1. */
int lines_role_of_letter(char c);

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

/* Loads the text model data[0, len). An empty text is an empty model (every
 * line is body). Returns ENRICH_OK, ENRICH_ERR_DATA (message in err) or
 * ENRICH_ERR_NOMEM. */
int lines_model_load(lines_model *m, const char *data, size_t len, enrich_error *err);
void lines_model_free(lines_model *m);

/* The non-blank lines of t[0, n), trimmed. *out is malloc'd (free it);
 * returns the count, or -1 when memory ran out. */
long lines_split(const char *t, uint32_t n, line_info **out);

/* Gives every line its role (line_info.role) with model m; dl (may be
 * NULL) receives the first dateline opening a line. Returns 0, -1 when
 * memory ran out. */
int lines_classify(const struct enrich_engine *e, const lines_model *m, const char *t, line_info *lines,
                   uint32_t n, lines_dateline *dl);

/* A labelled page: its text and one role letter per non-blank line. */
typedef struct lines_sample {
    const char *text;
    size_t len;
    const char *roles;
} lines_sample;

/* Trains a model on the samples whose fold (index % folds) is not
 * held_out (folds 0: all of them), epochs passes in an order drawn from
 * seed; runs (0 counts as 1) such models from seeds seed, seed + 1, ...
 * are averaged into one. Writes the text model to *out (malloc'd) and its
 * length. Features that occur on fewer than min_pages samples are left
 * out. Returns ENRICH_OK, ENRICH_ERR_ARG (a label count that does not
 * match the lines, message in err) or ENRICH_ERR_NOMEM. */
int lines_train(const struct enrich_engine *e, const lines_sample *s, size_t n, unsigned folds, unsigned held_out,
                unsigned epochs, unsigned seed, unsigned runs, unsigned min_pages, char **out, size_t *out_len,
                enrich_error *err);

#endif
