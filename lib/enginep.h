/*
 * enginep.h - internal entry points of the engine for the trainer and tests.
 */
#ifndef ENRICH_ENGINEP_H
#define ENRICH_ENGINEP_H

#include "doc.h"

/* The pipeline's stages (engine.c's table) and the first one doc_prepare
 * leaves to enrich_annotate. */
#define PIPELINE_STAGES 12
#define PIPELINE_PREPARED 8

/* Runs stages [from, to) that the doc's parts ask for, adding each one's
 * time to seconds[i] when seconds is not NULL. 0, or -1 (out of memory). */
int pipeline_run(enrich_doc *doc, unsigned from, unsigned to, double *seconds);

/* Validates text and runs the stages before the recognizers (layout to
 * anchor). opts may be NULL. NULL with *err set on failure. */
enrich_doc *doc_prepare(const enrich_engine *e, const char *text, size_t len, const enrich_options *opts,
                        enrich_error *err);

#endif
