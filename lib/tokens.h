/*
 * tokens.h - the tokens stage: tokens and sentences over the regions the
 * recognizers read (headline, subheadline, dateline, body paragraphs).
 */
#ifndef ENRICH_TOKENS_H
#define ENRICH_TOKENS_H

#include "cut.h"
#include "doc.h"

/* Tokenizes t[s] as one region; appends tokens and sentences to the
 * document. Returns 0, or -1 when memory ran out. */
int tokens_region(enrich_doc *doc, span s, region_kind region);

/* Runs the stage over every region layout found. */
int tokens_run(enrich_doc *doc);

#endif
