/*
 * quotes.h - the quotes stage: quoted speech in the body and who said it.
 */
#ifndef ENRICH_QUOTES_H
#define ENRICH_QUOTES_H

#include "doc.h"

/* Finds the quotes and their speakers; reads paragraphs, tokens, sentences,
 * mentions and entities. Returns 0, or -1 when memory ran out. */
int quotes_run(enrich_doc *doc);

#endif
