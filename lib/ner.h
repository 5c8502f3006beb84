/*
 * ner.h - the entity tagger: a greedy averaged perceptron over BILOU labels
 * (Collins 2002; Ratinov and Roth 2009), its features, its model format and
 * its trainer. Training and tagging share one feature function.
 */
#ifndef ENRICH_NER_H
#define ENRICH_NER_H

#include <stddef.h>
#include <stdint.h>

#include "doc.h"
#include "fold.h"
#include "ner_model.h"

/* One feature: a 64-bit id and a value (1 for indicator features). */
typedef struct ner_feat {
    uint64_t id;
    float value;
} ner_feat;

#define NER_MAX_FEATS 96

/* Per-token attributes the features read, computed once per document. */
typedef struct ner_token_attr {
    uint64_t word, lower, shape;
    uint64_t prefix[4], suffix[4];
    uint32_t flags;
    uint32_t gaz; /* per phrase list (phrases.h), 3 bits: 0 none, 1 + BILOU position */
    uint16_t clu[2]; /* word classes plus one, 0 none (read when training) */
} ner_token_attr;

/* The state of tagging one document: attributes and the labels so far. */
typedef struct ner_doc_state {
    const enrich_doc *doc;
    ner_token_attr *attr;
    uint8_t *labels;   /* predicted so far (training: predicted too) */
    struct ner_history *history; /* per lower-case word: classes predicted */
    uint32_t history_slots;
    const int32_t **blk; /* per token: its word block, or NULL (outside the
                          * vocabulary, or a model without blocks) */
} ner_doc_state;

/* Prepares the state for doc's tokens (memory from the doc's arena).
 * affixes: compute the prefix and suffix hashes (training needs them; the
 * tagger reads them from word blocks). */
int ner_state_init(ner_doc_state *st, enrich_doc *doc, const ner_model *m, int affixes);

/* The features of token i of sentence s; returns how many were written. */
int ner_features(const ner_doc_state *st, const sentence *s, uint32_t i, ner_feat *out);

/* Forgets the labels and the history (to tag the document again). */
void ner_state_reset(ner_doc_state *st);

/* ner_features, leaving out with blocks set the features word blocks hold. */
int ner_features_ex(const ner_doc_state *st, const sentence *s, uint32_t i, ner_feat *out, int blocks);

/* Records the label chosen for token i (updates the document history). */
void ner_state_commit(ner_doc_state *st, uint32_t i, int label);

/* Tags every sentence of doc with the engine's model (token.label). */
int ner_run(enrich_doc *doc);

/* Tags doc's tokens with model m (ner_run uses the engine's model). */
int ner_tag_with(enrich_doc *doc, const ner_model *m);

/* Repairs a greedy BILOU sequence into spans: calls fn(cls, first, last). */
void ner_spans(const token *tokens, uint32_t first, uint32_t count,
               void (*fn)(void *ud, int cls, uint32_t a, uint32_t b), void *ud);

#endif
