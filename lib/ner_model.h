/*
 * ner_model.h - the entity tagger's labels and its model as the engine
 * holds it (ner.h has the features, tagging and training).
 */
#ifndef ENRICH_NER_MODEL_H
#define ENRICH_NER_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "enrich.h"

/* Entity classes of the tagger (the CoNLL-2003 four). */
enum ner_class { NER_PER = 0, NER_ORG, NER_LOC, NER_MISC, NER_CLASSES };

/* Labels: 0 is O; then B, I, L, U for each class. */
#define NER_LABELS (1 + 4 * NER_CLASSES)
enum ner_pos { NER_B = 0, NER_I, NER_L, NER_U };

static inline int ner_label(int cls, int pos) { return 1 + cls * 4 + pos; }
static inline int ner_label_class(int label) { return label ? (label - 1) / 4 : -1; }
static inline int ner_label_pos(int label) { return label ? (label - 1) % 4 : -1; }

#define NER_WINDOW 5
#define NER_BLOCK (NER_WINDOW * NER_LABELS)

typedef struct ner_slot {
    uint64_t key; /* 0 = empty */
    const int16_t *row;
} ner_slot;

/* A word of the training vocabulary: its block and whether the lexicon
 * has it, in one slot so a token costs one miss. */
typedef struct ner_vocab_slot {
    uint64_t key; /* lower-case hash; 0 = empty */
    uint32_t index; /* of the block */
    uint32_t lex;   /* 1: in the lexicon */
} ner_vocab_slot;

/* The model as loaded: an exact hash table from feature id to a row of
 * NER_LABELS weights, and the set of words seen in lower case in training. */
typedef struct ner_model {
    uint32_t n_features;
    float scale;            /* weight = int16 * scale */
    const int16_t *weights; /* n_features rows */
    struct ner_slot *slots; /* open addressing, power-of-two size */
    uint32_t n_slots;
    uint64_t *lex;          /* hashes of lower-case words: a set of lex_slots */
    uint32_t n_lex;
    uint32_t lex_slots;     /* 0: lex is a sorted array of n_lex (training) */
    /* Word blocks: for each word of the training vocabulary, the summed
     * rows of every feature that is a function of the word alone, one row
     * per window offset -2..2 (NER_BLOCK int32 values). Exactly the sums
     * the single features would give; a token costs one lookup. */
    struct ner_vocab_slot *vocab; /* open addressing by lower-case hash */
    uint32_t vocab_slots, n_vocab;
    int lex_outside;        /* some lexicon word has no block: look words up in lex too */
    int32_t *blocks;
    /* Word classes (data/clusters.tsv, enrich train-clusters): per
     * lower-case hash, a coarse and a fine class, each plus one (0: none). */
    uint64_t *clu_key;      /* open addressing; 0 = empty */
    uint16_t (*clu_cls)[2];
    uint32_t clu_slots, n_clu;
    void *owned;            /* a copy of the model bytes, when loaded from a file */
} ner_model;

/* The context words of the tagger's context aggregation (data/rules/ner.txt)
 * by their lower-case hash, hashed once for the engine (ner_cues_init). */
#define NER_CUES_MAX 48
typedef struct ner_cue_set {
    uint64_t h[NER_CUES_MAX];
    int n;
} ner_cue_set;
typedef struct ner_cues {
    ner_cue_set said, places, article, org_noun, thing, person;
} ner_cues;
void ner_cues_init(ner_cues *c);

/* Loads a model from bytes (the compiled-in one or a file's). The bytes
 * must outlive the model unless copy is set. Returns ENRICH_OK,
 * ENRICH_ERR_DATA (with a message) or ENRICH_ERR_NOMEM. */
int ner_model_load(ner_model *m, const void *bytes, size_t len, int copy, enrich_error *err);
void ner_model_free(ner_model *m);

/* A word class entry of a model file (version 3): the word's lower-case
 * hash, its coarse class and its fine class (each plus one), little-endian. */
#define NER_CLASS_ENTRY_BYTES 12

/* Adds word w's classes (each plus one) to m's class table, which holds
 * room for n words (ner_clusters_alloc first). */
int ner_clusters_alloc(ner_model *m, uint32_t n);
void ner_clusters_put(ner_model *m, uint64_t lower, uint16_t coarse, uint16_t fine);

/* Word w's classes (plus one), or NULL when the table has none for it. */
const uint16_t *ner_clusters_of(const ner_model *m, uint64_t lower);

#endif
