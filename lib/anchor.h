/*
 * anchor.h - the stage "anchor": the reference date.
 */
#ifndef ENRICH_ANCHOR_H
#define ENRICH_ANCHOR_H

#include "doc.h"

/* Sets the doc's reference date: the request's, else a time stamp line's
 * ("Published ..." first), else a dateline's with its year; else warns
 * "no_reference_date". Runs after the stamp and dateline stages. 0, or -1
 * (out of memory). */
int anchor_run(enrich_doc *doc);

#endif
