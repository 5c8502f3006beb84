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
#include "line_types.h"
#include "text.h"

struct enrich_engine;

/* One letter per role, in enum order (the labels' alphabet):
 * H S Y T D C X B K R G F. */
extern const char lines_role_letters[LR_ROLES + 1];

/* The role's name in the response ("related_item"). */
const char *lines_role_name(int role);

/* The role of a letter, or -1. */
int lines_role_of_letter(char c);

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
