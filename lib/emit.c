/*
 * emit.c - the emit stage. Reads everything the other stages added; writes
 * the response (openapi.yaml) with offsets in the unit asked for, through a
 * JSON sink (jsonout.h): a jansson tree, or compact text directly.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "credits.h"
#include "lines.h"
#include "doc.h"
#include "entities.h"
#include "jsonout.h"
#include "timex.h"
#include "utf8.h"

typedef struct emitter {
    const enrich_doc *doc;
    offset_map map;
    jout *o;
} emitter;

static void text_of(emitter *em, span s)
{
    jout_stringn(em->o, em->doc->text + s.start, span_len(s));
}

static void text_or_null(emitter *em, span s)
{
    if (span_empty(s))
        jout_null(em->o);
    else
        text_of(em, s);
}

static void offset(emitter *em, const char *key, uint32_t b)
{
    jout_key(em->o, key);
    jout_int(em->o, (long long)offset_map_convert(&em->map, b));
}

/* "text", "start", "end" of s, inside an open object. */
static void span_fields(emitter *em, span s)
{
    jout_key(em->o, "text");
    text_of(em, s);
    offset(em, "start", s.start);
    offset(em, "end", s.end);
}

static void span_object(emitter *em, span s)
{
    if (span_empty(s)) {
        jout_null(em->o);
        return;
    }
    jout_object_begin(em->o);
    span_fields(em, s);
    jout_object_end(em->o);
}

/* A date of the article's parts, its year as the dates stage resolved it. */
static void date_object(emitter *em, const doc_date *d)
{
    char value[16];
    if (d->resolved_year)
        snprintf(value, sizeof value, "%04d-%02d-%02d", d->resolved_year, d->month, d->day);
    else
        snprintf(value, sizeof value, "XXXX-%02d-%02d", d->month, d->day);
    jout_object_begin(em->o);
    span_fields(em, d->text);
    jout_key(em->o, "type");
    jout_string(em->o, "DATE");
    jout_key(em->o, "value");
    jout_string(em->o, value);
    jout_key(em->o, "grain");
    jout_string(em->o, "day");
    jout_object_end(em->o);
}

static void dateline_object(emitter *em)
{
    const dateline_info *d = &em->doc->dateline;
    jout *o = em->o;
    if (!d->found) {
        jout_null(o);
        return;
    }
    jout_object_begin(o);
    span_fields(em, d->text);
    jout_key(o, "city");
    text_or_null(em, d->city);
    jout_key(o, "region");
    if (d->region)
        jout_string(o, d->region->name);
    else
        text_or_null(em, d->region_text);
    jout_key(o, "country");
    jout_string_or_null(o, d->country ? d->country->name : NULL);
    jout_key(o, "country_code");
    jout_string_or_null(o, d->country ? d->country->code : NULL);
    jout_key(o, "date");
    if (d->has_date)
        date_object(em, &d->date);
    else
        jout_null(o);
    jout_key(o, "agency");
    text_or_null(em, d->agency);
    jout_object_end(o);
}

static void article_object(emitter *em)
{
    const enrich_doc *doc = em->doc;
    jout *o = em->o;
    jout_object_begin(o);
    jout_key(o, "headline");
    span_object(em, doc->headline);
    jout_key(o, "subheadline");
    span_object(em, doc->subheadline);
    jout_key(o, "dateline");
    dateline_object(em);
    jout_key(o, "bylines");
    jout_array_begin(o);
    for (uint32_t i = 0; i < doc->credits.n; i++) {
        const credit *c = &doc->credits.v[i];
        jout_object_begin(o);
        jout_key(o, "role");
        jout_string(o, credits_role_name(c->role));
        jout_key(o, "name");
        text_of(em, c->name);
        span_fields(em, c->clause);
        jout_object_end(o);
    }
    jout_array_end(o);
    jout_key(o, "timestamps");
    jout_array_begin(o);
    for (uint32_t i = 0; i < doc->stamps.n; i++) {
        const stamp_info *st = &doc->stamps.v[i];
        jout_object_begin(o);
        span_fields(em, st->text);
        jout_key(o, "label");
        jout_string_or_null(o, st->label);
        jout_key(o, "date");
        date_object(em, &st->date);
        jout_object_end(o);
    }
    jout_array_end(o);
    jout_key(o, "body");
    if (doc->paragraphs.n == 0) {
        jout_null(o);
    } else {
        jout_object_begin(o);
        offset(em, "start", doc->body.start);
        offset(em, "end", doc->body.end);
        jout_key(o, "paragraphs");
        jout_array_begin(o);
        for (uint32_t i = 0; i < doc->paragraphs.n; i++) {
            jout_object_begin(o);
            offset(em, "start", doc->paragraphs.v[i].start);
            offset(em, "end", doc->paragraphs.v[i].end);
            jout_object_end(o);
        }
        jout_array_end(o);
        jout_object_end(o);
    }
    jout_key(o, "blocks");
    jout_array_begin(o);
    for (uint32_t i = 0; i < doc->blocks.n; i++) {
        jout_object_begin(o);
        jout_key(o, "role");
        jout_string(o, lines_role_name(doc->blocks.v[i].role));
        offset(em, "start", doc->blocks.v[i].s.start);
        offset(em, "end", doc->blocks.v[i].s.end);
        jout_object_end(o);
    }
    jout_array_end(o);
    jout_object_end(o);
}

static void entities_array(emitter *em)
{
    const enrich_doc *doc = em->doc;
    jout *o = em->o;
    jout_array_begin(o);
    for (uint32_t e = 0; e < doc->entities.n; e++) {
        const entity *en = &doc->entities.v[e];
        char id[16];
        snprintf(id, sizeof id, "e%u", e + 1);
        jout_object_begin(o);
        jout_key(o, "id");
        jout_string(o, id);
        jout_key(o, "type");
        jout_string(o, entity_type_name((entity_type)en->type));
        jout_key(o, "name");
        if (en->name_str)
            jout_string(o, en->name_str);
        else
            text_of(em, en->name);
        jout_key(o, "salience");
        jout_real(o, round(en->weight * 10000.0) / 10000.0);
        jout_key(o, "links");
        jout_object_begin(o);
        jout_key(o, "iso3166");
        jout_string_or_null(o, en->iso3166);
        jout_key(o, "geonames");
        if (en->geonames)
            jout_int(o, en->geonames);
        else
            jout_null(o);
        jout_key(o, "id");
        jout_string_or_null(o, en->id);
        jout_object_end(o);
        jout_key(o, "mentions");
        jout_array_begin(o);
        for (uint32_t i = en->first; i != UINT32_MAX; i = doc->mentions.v[i].next)
            span_object(em, doc->mentions.v[i].s);
        jout_array_end(o);
        jout_object_end(o);
    }
    jout_array_end(o);
}

static void related_array(emitter *em)
{
    const enrich_doc *doc = em->doc;
    jout *o = em->o;
    jout_array_begin(o);
    for (uint32_t i = 0; i < doc->related.n; i++) {
        const related_item *r = &doc->related.v[i];
        span whole = r->title;
        if (span_empty(whole) || (!span_empty(r->url) && r->url.end > whole.end))
            whole.end = r->url.end;
        if (span_empty(r->title))
            whole.start = r->url.start;
        jout_object_begin(o);
        jout_key(o, "title");
        text_or_null(em, r->title);
        jout_key(o, "url");
        text_or_null(em, r->url);
        offset(em, "start", whole.start);
        offset(em, "end", whole.end);
        jout_object_end(o);
    }
    jout_array_end(o);
}

static void warnings_array(emitter *em)
{
    const enrich_doc *doc = em->doc;
    jout *o = em->o;
    jout_array_begin(o);
    for (uint32_t i = 0; i < doc->warnings.n; i++) {
        jout_object_begin(o);
        jout_key(o, "code");
        jout_string(o, doc->warnings.v[i].code);
        jout_key(o, "message");
        jout_string(o, doc->warnings.v[i].message);
        jout_object_end(o);
    }
    jout_array_end(o);
}

/* The whole response into o; id (a string or an integer), when given,
 * comes first. Returns 0, or -1 when memory ran out. */
static int emit(const enrich_doc *doc, const json_t *id, jout *o)
{
    emitter em = {.doc = doc, .o = o};
    arena scratch;
    arena_init(&scratch, 1024 + doc->len / 64);
    if (offset_map_init(&em.map, &scratch, doc->text, doc->len, doc->offsets)) {
        arena_free(&scratch);
        return -1;
    }
    char ref[16];
    if (doc->has_ref)
        snprintf(ref, sizeof ref, "%04d-%02d-%02d", doc->ref_year, doc->ref_month, doc->ref_day);
    jout_object_begin(o);
    if (json_is_string(id)) {
        jout_key(o, "id");
        jout_stringn(o, json_string_value(id), json_string_length(id));
    } else if (json_is_integer(id)) {
        jout_key(o, "id");
        jout_int(o, json_integer_value(id));
    } else if (json_is_null(id)) {
        jout_key(o, "id");
        jout_null(o);
    }
    jout_key(o, "version");
    jout_string(o, ENRICH_RESPONSE_VERSION);
    jout_key(o, "reference_date");
    jout_string_or_null(o, doc->has_ref ? ref : NULL);
    jout_key(o, "reference_date_source");
    jout_string_or_null(o, doc->ref_source);
    jout_key(o, "offsets");
    jout_string(o, enrich_offsets_name(doc->offsets));
    if (doc->include & ENRICH_PART_ARTICLE) {
        jout_key(o, "article");
        article_object(&em);
    }
    if (doc->include & ENRICH_PART_ENTITIES) {
        jout_key(o, "entities");
        entities_array(&em);
    }
    if (doc->include & ENRICH_PART_DATES) {
        jout_key(o, "dates");
        jout_array_begin(o);
        for (uint32_t i = 0; i < doc->dates.n; i++) {
            const timex *tx = &doc->dates.v[i];
            jout_object_begin(o);
            span_fields(&em, tx->s);
            jout_key(o, "type");
            jout_string(o, timex_type_name((timex_type)tx->type));
            jout_key(o, "value");
            jout_string(o, tx->value);
            jout_key(o, "grain");
            jout_string(o, tx->grain);
            jout_object_end(o);
        }
        jout_array_end(o);
    }
    if (doc->include & ENRICH_PART_RELATED) {
        jout_key(o, "related");
        related_array(&em);
    }
    if (doc->include & ENRICH_PART_QUOTES) {
        jout_key(o, "quotes");
        jout_array_begin(o);
        for (uint32_t i = 0; i < doc->quotes.n; i++) {
            const quote *q = &doc->quotes.v[i];
            jout_object_begin(o);
            span_fields(&em, q->s);
            jout_key(o, "speaker");
            if (q->entity == UINT32_MAX || !(doc->include & ENRICH_PART_ENTITIES)) {
                jout_null(o);
            } else {
                char eid[16];
                snprintf(eid, sizeof eid, "e%u", q->entity + 1);
                jout_string(o, eid);
            }
            jout_key(o, "speaker_text");
            text_or_null(&em, q->speaker_text);
            jout_object_end(o);
        }
        jout_array_end(o);
    }
    jout_key(o, "warnings");
    warnings_array(&em);
    jout_object_end(o);
    arena_free(&scratch);
    return o->failed ? -1 : 0;
}

json_t *enrich_doc_json(const enrich_doc *doc)
{
    if (!doc)
        return NULL;
    jout o;
    jout_init(&o, 0);
    emit(doc, NULL, &o);
    return jout_take_tree(&o);
}

char *enrich_doc_dumps(const enrich_doc *doc, const json_t *id, int pretty, size_t *len)
{
    if (!doc || !len)
        return NULL;
    jout o;
    jout_init(&o, !pretty);
    emit(doc, id, &o);
    if (!pretty)
        return jout_take_text(&o, len);
    json_t *tree = jout_take_tree(&o);
    char *s = tree ? json_dumps(tree, enrich_json_flags(1)) : NULL;
    json_decref(tree);
    if (s)
        *len = strlen(s);
    return s;
}
