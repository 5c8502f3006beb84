/*
 * layout.h - the stages "layout" (a role for every line, article.blocks)
 * and "article" (headline, subheadline, body paragraphs).
 */
#ifndef ENRICH_LAYOUT_H
#define ENRICH_LAYOUT_H

#include "doc.h"

/* Each returns 0, or -1 when memory ran out. layout_run comes first and
 * leaves doc->lines for the stages after it; article_run runs after the
 * dateline stage. */
int layout_run(enrich_doc *doc);
int article_run(enrich_doc *doc);

#endif
