/*
 * emit.c - the emit stage. Reads everything the other stages added; makes
 * the response object (openapi.yaml) with offsets in the unit asked for.
 */
#include <stdio.h>

#include "calendar.h"
#include "credits.h"
#include "entities.h"
#include <math.h>
#include "doc.h"
#include "utf8.h"

typedef struct emitter {
    const enrich_doc *doc;
    offset_map map;
    int failed;
} emitter;

/* Adds value under key, taking the reference; notes a failure. */
static void put(emitter *em, json_t *obj, const char *key, json_t *value)
{
    if (!value || json_object_set_new(obj, key, value) != 0)
        em->failed = 1;
}

static void append(emitter *em, json_t *arr, json_t *value)
{
    if (!value || json_array_append_new(arr, value) != 0)
        em->failed = 1;
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *text_of(const emitter *em, span s)
{
    return json_stringn(em->doc->text + s.start, span_len(s));
}

static json_t *text_or_null(const emitter *em, span s)
{
    return span_empty(s) ? json_null() : text_of(em, s);
}

/* {"text", "start", "end"} into obj. */
static void put_span(emitter *em, json_t *obj, span s)
{
    put(em, obj, "text", text_of(em, s));
    put(em, obj, "start", json_integer((json_int_t)offset_map_convert(&em->map, s.start)));
    put(em, obj, "end", json_integer((json_int_t)offset_map_convert(&em->map, s.end)));
}

static json_t *span_object(emitter *em, span s)
{
    if (span_empty(s))
        return json_null();
    json_t *o = json_object();
    if (o)
        put_span(em, o, s);
    return o;
}

/* A month and day resolved against the reference date: the year is the
 * reference year unless that puts the date more than a week after it. */
static json_t *date_object(emitter *em, const doc_date *d)
{
    const enrich_doc *doc = em->doc;
    json_t *o = json_object();
    if (!o)
        return NULL;
    char value[16];
    int year = d->year;
    if (!year && doc->has_ref) {
        year = doc->ref_year;
        long ahead = calendar_days(year, d->month, d->day) -
                     calendar_days(doc->ref_year, doc->ref_month, doc->ref_day);
        if (ahead > 7)
            year--;
    }
    if (year)
        snprintf(value, sizeof value, "%04d-%02d-%02d", year, d->month, d->day);
    else
        snprintf(value, sizeof value, "XXXX-%02d-%02d", d->month, d->day);
    put_span(em, o, d->text);
    put(em, o, "type", json_string("DATE"));
    put(em, o, "value", json_string(value));
    put(em, o, "grain", json_string("day"));
    return o;
}

static json_t *dateline_object(emitter *em)
{
    const dateline_info *d = &em->doc->dateline;
    if (!d->found)
        return json_null();
    json_t *o = json_object();
    if (!o)
        return NULL;
    put_span(em, o, d->text);
    put(em, o, "city", text_or_null(em, d->city));
    if (d->region)
        put(em, o, "region", json_string(d->region->name));
    else
        put(em, o, "region", text_or_null(em, d->region_text));
    put(em, o, "country", str_or_null(d->country ? d->country->name : NULL));
    put(em, o, "country_code", str_or_null(d->country ? d->country->code : NULL));
    put(em, o, "date", d->has_date ? date_object(em, &d->date) : json_null());
    put(em, o, "agency", text_or_null(em, d->agency));
    return o;
}

static json_t *article_object(emitter *em)
{
    const enrich_doc *doc = em->doc;
    json_t *a = json_object();
    if (!a)
        return NULL;
    put(em, a, "headline", span_object(em, doc->headline));
    put(em, a, "subheadline", span_object(em, doc->subheadline));
    put(em, a, "dateline", dateline_object(em));
    json_t *bylines = json_array();
    for (uint32_t i = 0; bylines && i < doc->credits.n; i++) {
        const credit *c = &doc->credits.v[i];
        json_t *o = json_object();
        if (o) {
            put(em, o, "role", json_string(credits_role_name(c->role)));
            put(em, o, "name", text_of(em, c->name));
            put_span(em, o, c->clause);
        }
        append(em, bylines, o);
    }
    put(em, a, "bylines", bylines);
    json_t *body = json_null();
    if (doc->paragraphs.n > 0) {
        body = json_object();
        json_t *paras = json_array();
        for (uint32_t i = 0; body && paras && i < doc->paragraphs.n; i++) {
            json_t *p = json_object();
            if (p) {
                span s = doc->paragraphs.v[i];
                put(em, p, "start", json_integer((json_int_t)offset_map_convert(&em->map, s.start)));
                put(em, p, "end", json_integer((json_int_t)offset_map_convert(&em->map, s.end)));
            }
            append(em, paras, p);
        }
        if (body) {
            put(em, body, "start", json_integer((json_int_t)offset_map_convert(&em->map, doc->body.start)));
            put(em, body, "end", json_integer((json_int_t)offset_map_convert(&em->map, doc->body.end)));
            put(em, body, "paragraphs", paras);
        } else {
            json_decref(paras);
        }
    }
    put(em, a, "body", body);
    return a;
}

static json_t *related_array(emitter *em)
{
    const enrich_doc *doc = em->doc;
    json_t *arr = json_array();
    for (uint32_t i = 0; arr && i < doc->related.n; i++) {
        const related_item *r = &doc->related.v[i];
        json_t *o = json_object();
        if (o) {
            span whole = r->title;
            if (span_empty(whole) || (!span_empty(r->url) && r->url.end > whole.end))
                whole.end = r->url.end;
            if (span_empty(r->title))
                whole.start = r->url.start;
            put(em, o, "title", text_or_null(em, r->title));
            put(em, o, "url", text_or_null(em, r->url));
            put(em, o, "start", json_integer((json_int_t)offset_map_convert(&em->map, whole.start)));
            put(em, o, "end", json_integer((json_int_t)offset_map_convert(&em->map, whole.end)));
        }
        append(em, arr, o);
    }
    return arr;
}

static json_t *entities_array(emitter *em)
{
    const enrich_doc *doc = em->doc;
    json_t *arr = json_array();
    for (uint32_t e = 0; arr && e < doc->entities.n; e++) {
        const entity *en = &doc->entities.v[e];
        json_t *o = json_object();
        if (o) {
            char id[16];
            snprintf(id, sizeof id, "e%u", e + 1);
            put(em, o, "id", json_string(id));
            put(em, o, "type", json_string(entities_type_name((entity_type)en->type)));
            put(em, o, "name", en->name_str ? json_string(en->name_str) : text_of(em, en->name));
            put(em, o, "salience", json_real(round(en->weight * 10000.0) / 10000.0));
            json_t *links = json_object();
            if (links) {
                put(em, links, "iso3166", str_or_null(en->iso3166));
                put(em, links, "geonames", en->geonames ? json_integer(en->geonames) : json_null());
                put(em, links, "id", str_or_null(en->id));
            }
            put(em, o, "links", links);
            json_t *ms = json_array();
            for (uint32_t i = en->first; ms && i != UINT32_MAX; i = doc->mentions.v[i].next)
                append(em, ms, span_object(em, doc->mentions.v[i].s));
            put(em, o, "mentions", ms);
        }
        append(em, arr, o);
    }
    return arr;
}

static json_t *warnings_array(emitter *em)
{
    const enrich_doc *doc = em->doc;
    json_t *arr = json_array();
    for (uint32_t i = 0; arr && i < doc->warnings.n; i++) {
        json_t *o = json_object();
        if (o) {
            put(em, o, "code", json_string(doc->warnings.v[i].code));
            put(em, o, "message", json_string(doc->warnings.v[i].message));
        }
        append(em, arr, o);
    }
    return arr;
}

json_t *enrich_doc_json(const enrich_doc *doc)
{
    if (!doc)
        return NULL;
    emitter em = {.doc = doc};
    arena scratch;
    arena_init(&scratch, 1024 + doc->len / 64);
    if (offset_map_init(&em.map, &scratch, doc->text, doc->len, doc->offsets)) {
        arena_free(&scratch);
        return NULL;
    }
    json_t *r = json_object();
    if (!r) {
        arena_free(&scratch);
        return NULL;
    }
    char ref[16];
    if (doc->has_ref)
        snprintf(ref, sizeof ref, "%04d-%02d-%02d", doc->ref_year, doc->ref_month, doc->ref_day);
    put(&em, r, "version", json_string(ENRICH_RESPONSE_VERSION));
    put(&em, r, "reference_date", doc->has_ref ? json_string(ref) : json_null());
    put(&em, r, "offsets", json_string(enrich_offsets_name(doc->offsets)));
    if (doc->include & ENRICH_PART_ARTICLE)
        put(&em, r, "article", article_object(&em));
    if (doc->include & ENRICH_PART_ENTITIES)
        put(&em, r, "entities", entities_array(&em));
    if (doc->include & ENRICH_PART_DATES)
        put(&em, r, "dates", json_array());
    if (doc->include & ENRICH_PART_RELATED)
        put(&em, r, "related", related_array(&em));
    if (doc->include & ENRICH_PART_QUOTES)
        put(&em, r, "quotes", json_array());
    put(&em, r, "warnings", warnings_array(&em));
    arena_free(&scratch);
    if (em.failed) {
        json_decref(r);
        return NULL;
    }
    return r;
}
