/*
 * enginep.h - internal entry points of the engine for the trainer and tests.
 */
#ifndef ENRICH_ENGINEP_H
#define ENRICH_ENGINEP_H

#include "doc.h"
#include "ner.h"

/* Validates text and runs the stages up to tokens (layout, tokens), not the
 * recognizers. opts may be NULL. NULL with *err set on failure. */
enrich_doc *doc_prepare(const enrich_engine *e, const char *text, size_t len, const enrich_options *opts,
                        enrich_error *err);

/* Tags doc's tokens with model m (ner_run uses the engine's model). */
int ner_tag_with(enrich_doc *doc, const ner_model *m);

#endif
