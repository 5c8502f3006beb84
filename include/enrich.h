/*
 * enrich.h - the one public header of libenrich.
 *
 * libenrich turns the raw text of a news article into annotated JSON: the
 * article's layout (headline, subheadline, dateline, bylines, body), its
 * related-story links, and later its entities, dates and quotes.
 *
 * The library is pure computation on a buffer: no sockets, no threads, no
 * global mutable state, no printing. Two kinds of object:
 *
 *   enrich_engine  long-lived. Everything loaded once (gazetteers, models,
 *                  rules). Immutable after creation; one engine may be used
 *                  by any number of threads at once.
 *   enrich_doc     short-lived. One article's analysis. Its memory lives in
 *                  one arena released by enrich_doc_free().
 *
 * Every span is a half-open range [start, end) into the original input. The
 * unit is chosen per call: UTF-8 bytes (default), UTF-16 code units or
 * Unicode code points. A span's "text" always equals the input sliced there.
 *
 * Errors are return values (NULL or a negative code) plus an optional,
 * caller-owned enrich_error that names the problem in a sentence. There is
 * no global error state.
 */
#ifndef ENRICH_H
#define ENRICH_H

#include <stddef.h>
#include <jansson.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define ENRICH_API __attribute__((visibility("default")))
#else
#define ENRICH_API
#endif

/* ---------------------------------------------------------------------
 * Version
 * ------------------------------------------------------------------- */

#define ENRICH_VERSION_MAJOR 0
#define ENRICH_VERSION_MINOR 1
#define ENRICH_VERSION_PATCH 0
#define ENRICH_VERSION "0.1.0"

/* The version of the response format ("version" in every response). */
#define ENRICH_RESPONSE_VERSION "1"

/* The library's version string, which may differ from the header's when
 * linked dynamically. Static storage; never free it. */
ENRICH_API const char *enrich_version(void);

/* ---------------------------------------------------------------------
 * Errors
 * ------------------------------------------------------------------- */

enum enrich_status {
    ENRICH_OK = 0,
    ENRICH_ERR_NOMEM = -1,     /* an allocation failed */
    ENRICH_ERR_UTF8 = -2,      /* input is not valid UTF-8 (position set) */
    ENRICH_ERR_NUL = -3,       /* input contains a NUL byte (position set) */
    ENRICH_ERR_TOO_LARGE = -4, /* input longer than ENRICH_MAX_INPUT */
    ENRICH_ERR_DATE = -5,      /* reference date is not a YYYY-MM-DD date */
    ENRICH_ERR_ARG = -6,       /* an argument or option value is invalid */
    ENRICH_ERR_DATA = -7,      /* a resource (table, model) is malformed */
    ENRICH_ERR_JSON = -8,      /* a request is not JSON (position set) */
    ENRICH_ERR_REQUEST = -9    /* a JSON request has the wrong shape */
};

/* The largest input accepted, in bytes (spans are kept as 32-bit). */
#define ENRICH_MAX_INPUT ((size_t)0x7fffffff)

#define ENRICH_ERROR_MESSAGE_SIZE 200

typedef struct enrich_error {
    int code;         /* one of enum enrich_status */
    size_t position;  /* byte offset the error refers to, or (size_t)-1 */
    char message[ENRICH_ERROR_MESSAGE_SIZE]; /* a sentence for humans */
} enrich_error;

/* A short description of a status code ("invalid UTF-8"). Static storage. */
ENRICH_API const char *enrich_strerror(int code);

/* A stable machine name for a status code ("invalid_utf8"). Static storage. */
ENRICH_API const char *enrich_error_name(int code);

/* ---------------------------------------------------------------------
 * Options of one call
 * ------------------------------------------------------------------- */

typedef enum enrich_offset_unit {
    ENRICH_OFFSETS_UTF8 = 0,  /* bytes of UTF-8 (default) */
    ENRICH_OFFSETS_UTF16,     /* UTF-16 code units, as JavaScript counts */
    ENRICH_OFFSETS_CODEPOINT  /* Unicode code points, as Python counts */
} enrich_offset_unit;

/* Parts of the response; combine with |. */
enum enrich_part {
    ENRICH_PART_ARTICLE = 1u << 0,  /* "article": layout, dateline, bylines */
    ENRICH_PART_ENTITIES = 1u << 1, /* "entities" */
    ENRICH_PART_DATES = 1u << 2,    /* "dates" */
    ENRICH_PART_RELATED = 1u << 3,  /* "related" */
    ENRICH_PART_QUOTES = 1u << 4,   /* "quotes" */
    ENRICH_PART_ALL = 0x1fu
};

typedef struct enrich_options {
    /* "YYYY-MM-DD" or NULL. Relative dates resolve against it. Borrowed for
     * the duration of enrich_annotate() only. */
    const char *reference_date;
    enrich_offset_unit offsets;
    unsigned include; /* enum enrich_part bits; 0 means ENRICH_PART_ALL. Only
                       * the stages the parts need run. */
    /* NULL, or enrich_stage_count() doubles: each stage's wall time in
     * seconds is added to its slot (the caller zeroes them once). */
    double *stage_seconds;
} enrich_options;

/* The pipeline's stages, in the order they run ("layout", "dateline", ...,
 * "quotes"): their number, and the name of stage i (NULL past the end). */
ENRICH_API unsigned enrich_stage_count(void);
ENRICH_API const char *enrich_stage_name(unsigned i);

/* Fills *opts with the defaults: no reference date, UTF-8 offsets, all parts. */
ENRICH_API void enrich_options_init(enrich_options *opts);

/* Parses "utf8", "utf16" or "codepoint". Returns ENRICH_OK or ENRICH_ERR_ARG. */
ENRICH_API int enrich_parse_offsets(const char *s, enrich_offset_unit *out);

/* The name of an offset unit ("utf8"). Static storage. */
ENRICH_API const char *enrich_offsets_name(enrich_offset_unit unit);

/* Parses a comma-separated list of part names ("article,dates"; "all").
 * Returns ENRICH_OK or ENRICH_ERR_ARG with a message naming the bad part. */
ENRICH_API int enrich_parse_include(const char *s, unsigned *out,
                                    enrich_error *err);

/* Checks that s is a real calendar date written YYYY-MM-DD.
 * Returns ENRICH_OK or ENRICH_ERR_DATE with a message. */
ENRICH_API int enrich_check_date(const char *s, enrich_error *err);

/* ---------------------------------------------------------------------
 * Engine: create once, share between threads, free once
 * ------------------------------------------------------------------- */

typedef struct enrich_engine enrich_engine;

/* Builds an engine from the resources compiled into the library.
 * Returns a new engine (free with enrich_engine_free) or NULL with *err set
 * (err may be NULL). */
ENRICH_API enrich_engine *enrich_engine_new(enrich_error *err);

/* What an engine may load instead of, or besides, the compiled-in resources.
 * Every buffer is copied; the caller keeps ownership. */
typedef struct enrich_engine_config {
    const void *model;      /* an entity model (enrich_train), or NULL */
    size_t model_len;
    const char *dictionary; /* custom entries (format below), or NULL */
    size_t dictionary_len;
    int no_model;           /* nonzero: no entity model at all (training needs none) */
    const char *layout_model; /* a line-role model (enrich_layout_train), or NULL */
    size_t layout_model_len;
} enrich_engine_config;

/* A custom dictionary is UTF-8 text, one entry a line, tab-separated:
 *     name <TAB> type <TAB> aliases separated by | <TAB> id
 * type is PERSON, ORG, GPE, LOC, FAC, NORP, EVENT or MISC; aliases and id
 * may be empty; # starts a comment line. Its names win over the tagger and
 * the gazetteers; every name and alias of an entry is one entity, named by
 * the entry's name, its id given as links.id. A broken line fails engine
 * creation with ENRICH_ERR_DATA and "dictionary line N: ..." in err. */

ENRICH_API void enrich_engine_config_init(enrich_engine_config *config);

/* Like enrich_engine_new, with config (NULL: the defaults). A malformed
 * model fails with ENRICH_ERR_DATA and a message. */
ENRICH_API enrich_engine *enrich_engine_new_with(const enrich_engine_config *config,
                                                 enrich_error *err);

/* Frees an engine. No document made by it may be in use. NULL is a no-op. */
ENRICH_API void enrich_engine_free(enrich_engine *engine);

/* ---------------------------------------------------------------------
 * Documents: one per article
 * ------------------------------------------------------------------- */

typedef struct enrich_doc enrich_doc;

/* Analyses text[0, len). The text is borrowed: it must stay unchanged and
 * alive until enrich_doc_free(). opts may be NULL for the defaults.
 * Returns a new document or NULL with *err set: ENRICH_ERR_UTF8 or
 * ENRICH_ERR_NUL with the byte position, ENRICH_ERR_TOO_LARGE,
 * ENRICH_ERR_DATE, ENRICH_ERR_ARG, ENRICH_ERR_NOMEM. */
ENRICH_API enrich_doc *enrich_annotate(const enrich_engine *engine,
                                       const char *text, size_t len,
                                       const enrich_options *opts,
                                       enrich_error *err);

/* The response object (see openapi.yaml). Returns a new reference the
 * caller must json_decref(), or NULL if memory ran out. */
ENRICH_API json_t *enrich_doc_json(const enrich_doc *doc);

/* The response as JSON text: compact (written directly, the fast path) or
 * indented by two when pretty is set; byte for byte what json_dumps of
 * enrich_doc_json with enrich_json_flags(pretty) gives, except that id,
 * when not NULL (a string, an integer or null), comes first as "id".
 * Returns a malloc'd NUL-terminated string the caller frees, its length in
 * *len, or NULL when memory ran out. */
ENRICH_API char *enrich_doc_dumps(const enrich_doc *doc, const json_t *id, int pretty,
                                  size_t *len);

/* A request as JSON: {"text", "id", "reference_date", "offsets",
 * "include", "options": {"reference_date", "offsets", "include"}}; each
 * option may stand at the top or inside "options" (the top wins), and
 * unknown fields are ignored. */
typedef struct enrich_request {
    json_t *root;         /* owns what the fields below point into */
    const char *text;     /* the article (may hold a NUL: enrich_annotate says where) */
    size_t text_len;
    json_t *id;           /* a string, an integer or null; NULL when absent */
    enrich_options opts;  /* defaults, with the request's options over them */
} enrich_request;

/* Parses json[0, len) into *req over defaults (NULL: enrich_options_init).
 * Returns ENRICH_OK (free with enrich_request_free), or:
 *   ENRICH_ERR_JSON     not JSON, or a key twice; position at the start of
 *                       the offending token, the message in the request's
 *                       own terms (line and column);
 *   ENRICH_ERR_REQUEST  JSON of the wrong shape, a number beyond 64 bits,
 *                       an option that is not one;
 *   ENRICH_ERR_DATE     a reference_date that is not a calendar date;
 *   ENRICH_ERR_NOMEM.
 * On error *req holds nothing to free, except that req->id may name the
 * request's id (valid until the call returns, NULL when none). */
ENRICH_API int enrich_request_parse(const char *json, size_t len, const enrich_options *defaults,
                                    enrich_request *req, enrich_error *err);
ENRICH_API void enrich_request_free(enrich_request *req);

/* One JSON Lines record: line[0, len) is {"id", "text", "reference_date",
 * "offsets", "include"} (all but "text" optional; the record's fields win
 * over defaults, which may be NULL). Returns the response line as
 * enrich_doc_dumps writes it, with the record's id first, or, for a bad
 * record, {"id": ..., "error": {"code", "message"[, "position"]}} naming
 * lineno. Never ends in a newline. A malloc'd string (length in *n) the
 * caller frees; NULL only when memory ran out. */
ENRICH_API char *enrich_jsonl_record(const enrich_engine *engine, const enrich_options *defaults,
                                     const char *line, size_t len, size_t lineno, size_t *n);

/* Frees a document and everything it owns. NULL is a no-op. */
ENRICH_API void enrich_doc_free(enrich_doc *doc);

/* ---------------------------------------------------------------------
 * Training the entity model
 * ------------------------------------------------------------------- */

typedef struct enrich_train_options {
    unsigned epochs;          /* passes over the data (default 10) */
    unsigned long long seed;  /* document shuffling (default 1) */
    const char *dev;          /* optional CoNLL text scored after each epoch */
    size_t dev_len;
    /* Called after each epoch with the training accuracy and, when dev is
     * set, the PER/LOC/ORG micro F1 on it in percent (else -1). */
    void (*progress)(void *data, unsigned epoch, double train_accuracy, double dev_f1);
    void *progress_data;
    /* Models trained, shuffled from seed, seed + 1, ..., whose averaged
     * weights are averaged into the one written (default 1; 0 counts as 1):
     * less of the model is owed to one shuffle. */
    unsigned runs;
    /* Word classes, the text 'enrich train-clusters' writes (NULL: none):
     * the model keeps them and gives the tagger their features. */
    const char *clusters;
    size_t clusters_len;
    /* Features whose largest weight, on the int16 scale of the model's
     * largest (32767), stays below this are left out: a smaller, faster
     * model (default 1: every feature with a weight). */
    unsigned min_weight;
} enrich_train_options;

ENRICH_API void enrich_train_options_init(enrich_train_options *opts);

/* Trains an entity model on CoNLL-format files (word first, IOB1 or IOB2
 * tag last, blank lines between sentences, -DOCSTART- between documents;
 * classes PER, ORG, LOC, MISC). files[i] holds lens[i] bytes. The engine
 * supplies layout and tokenization. On success *model is a malloc'd buffer
 * of *model_len bytes the caller frees; the same input and options always
 * give the same bytes. Errors: ENRICH_ERR_DATA naming the file and line,
 * ENRICH_ERR_ARG, ENRICH_ERR_NOMEM. */
ENRICH_API int enrich_train(const enrich_engine *engine, const char *const *files,
                            const size_t *lens, size_t n_files,
                            const enrich_train_options *opts, void **model,
                            size_t *model_len, enrich_error *err);

/* ---------------------------------------------------------------------
 * Word classes for the entity tagger
 * ------------------------------------------------------------------- */

typedef struct enrich_cluster_options {
    unsigned classes[2]; /* two clusterings, coarse and fine (e.g. 64, 512) */
    unsigned min_count;  /* words seen fewer times are left out (default 1) */
    unsigned iterations; /* passes of the exchange algorithm at most (0: 10) */
} enrich_cluster_options;

/* Learns word classes from unlabelled texts (texts[i] of lens[i] bytes,
 * tokenized as the engine does, words in lower case) with the exchange
 * algorithm, twice: opts->classes[0] and [1] classes. On success *table is
 * a malloc'd text the caller frees: a '#' header line, then one line a
 * word, "word<TAB>class<TAB>class", most frequent words first; the same
 * texts and options give the same bytes. Errors: ENRICH_ERR_ARG,
 * ENRICH_ERR_NOMEM. */
ENRICH_API int enrich_cluster_train(const enrich_engine *engine, const char *const *texts, const size_t *lens,
                                    size_t n, const enrich_cluster_options *opts, char **table,
                                    size_t *table_len, enrich_error *err);

/* ---------------------------------------------------------------------
 * The layout model: a role for every line of an article
 * ------------------------------------------------------------------- */

/* A labelled article: its text and one role letter per non-blank line, in
 * order: H headline, S subheadline, Y byline, T time stamp, D dateline
 * paragraph, C caption or credit, X boilerplate, B body, K related heading,
 * R related item, G sign-off, F footer. */
typedef struct enrich_layout_sample {
    const char *text;
    size_t len;
    const char *roles; /* NUL-terminated */
} enrich_layout_sample;

/* Trains a layout model (text) on the samples whose index % folds is not
 * held_out (folds 0 or 1: on all of them): epochs passes, shuffled from
 * seed; runs such models (0 counts as 1), shuffled from seed, seed + 1,
 * ..., are averaged into one, which is steadier than any of them; features
 * seen on fewer than min_pages samples are left out. On success *model is
 * a malloc'd text of *model_len bytes the caller frees. Errors:
 * ENRICH_ERR_ARG (a sample whose labels do not match its lines, named in
 * err), ENRICH_ERR_NOMEM. */
ENRICH_API int enrich_layout_train(const enrich_engine *engine, const enrich_layout_sample *samples,
                                   size_t n, unsigned folds, unsigned held_out, unsigned epochs,
                                   unsigned seed, unsigned runs, unsigned min_pages, char **model,
                                   size_t *model_len, enrich_error *err);

/* The role letters of text[0, len)'s non-blank lines as the layout model
 * (model[0, model_len), or the engine's own when model is NULL) gives them.
 * *roles is a malloc'd NUL-terminated string the caller frees. Errors:
 * ENRICH_ERR_DATA (a malformed model), ENRICH_ERR_NOMEM. */
ENRICH_API int enrich_layout_roles(const enrich_engine *engine, const char *model, size_t model_len,
                                   const char *text, size_t len, char **roles, enrich_error *err);

/* ---------------------------------------------------------------------
 * Encoding
 * ------------------------------------------------------------------- */

/* The JSON encoding flags every front end uses, so that the CLI and the
 * server print byte-identical responses. pretty != 0 indents by two. */
ENRICH_API size_t enrich_json_flags(int pretty);

#ifdef __cplusplus
}
#endif

#endif /* ENRICH_H */
