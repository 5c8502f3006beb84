/*
 * layout.h - the layout stage: headline, subheadline, dateline, bylines,
 * body paragraphs, related-stories block and credits.
 */
#ifndef ENRICH_LAYOUT_H
#define ENRICH_LAYOUT_H

#include "doc.h"

/* Runs the stage on doc->text. Returns 0, or -1 when memory ran out. */
int layout_run(enrich_doc *doc);

#endif
