/*
 * test_api.c - the public API: errors, options, the response object and
 * its offsets.
 */
#include "unit.h"

static json_t *respond(const char *text, size_t len, const enrich_options *o)
{
    enrich_error err;
    enrich_doc *doc = enrich_annotate(test_engine, text, len, o, &err);
    ck_assert_msg(doc != NULL, "annotate failed: %s", doc ? "" : err.message);
    json_t *j = enrich_doc_json(doc);
    ck_assert_ptr_nonnull(j);
    enrich_doc_free(doc);
    return j;
}

START_TEST(api_rejects_bad_input_with_position)
{
    enrich_error err;
    memset(&err, 0, sizeof err);
    ck_assert_ptr_null(enrich_annotate(test_engine, "caf\xC3", 4, NULL, &err));
    ck_assert_int_eq(err.code, ENRICH_ERR_UTF8);
    ck_assert_uint_eq(err.position, 3);
    ck_assert_ptr_nonnull(strstr(err.message, "byte offset 3"));
    ck_assert_ptr_null(enrich_annotate(test_engine, "a\0b", 3, NULL, &err));
    ck_assert_int_eq(err.code, ENRICH_ERR_NUL);
    ck_assert_uint_eq(err.position, 1);
    enrich_options o;
    enrich_options_init(&o);
    o.reference_date = "2024-02-30";
    ck_assert_ptr_null(enrich_annotate(test_engine, "x", 1, &o, &err));
    ck_assert_int_eq(err.code, ENRICH_ERR_DATE);
    enrich_options_init(&o);
    o.offsets = (enrich_offset_unit)7;
    ck_assert_ptr_null(enrich_annotate(test_engine, "x", 1, &o, &err));
    ck_assert_int_eq(err.code, ENRICH_ERR_ARG);
    ck_assert_ptr_null(enrich_annotate(NULL, "x", 1, NULL, &err));
    ck_assert_ptr_null(enrich_annotate(test_engine, NULL, 3, NULL, NULL)); /* err may be NULL */
    ck_assert_ptr_null(enrich_annotate(test_engine, "x", ENRICH_MAX_INPUT + 1, NULL, &err));
    ck_assert_int_eq(err.code, ENRICH_ERR_TOO_LARGE);
    enrich_doc_free(NULL);
    enrich_engine_free(NULL);
    ck_assert_ptr_null(enrich_doc_json(NULL));
}
END_TEST

/* JSON requests: one parser for the server's JSON body and for JSON Lines;
 * errors point at the start of the bad token and say what happened in the
 * request's own words. */
START_TEST(api_json_requests)
{
    enrich_request req;
    enrich_error err;
    const char *ok = "{\"id\": 7, \"text\": \"Paris\", \"options\": {\"offsets\": \"utf16\", \"include\": \"dates\"}, "
                     "\"include\": \"article\"}";
    ck_assert_int_eq(enrich_request_parse(ok, strlen(ok), NULL, &req, &err), ENRICH_OK);
    ck_assert_str_eq(req.text, "Paris");
    ck_assert_int_eq(json_integer_value(req.id), 7);
    ck_assert_int_eq(req.opts.offsets, ENRICH_OFFSETS_UTF16);
    ck_assert_uint_eq(req.opts.include, ENRICH_PART_ARTICLE); /* the top wins over "options" */
    enrich_request_free(&req);
    /* a NUL in the text is the annotator's to place, not a JSON error */
    const char *nul = "{\"text\": \"a\\u0000b\"}";
    ck_assert_int_eq(enrich_request_parse(nul, strlen(nul), NULL, &req, &err), ENRICH_OK);
    ck_assert_uint_eq(req.text_len, 3);
    ck_assert_ptr_null(enrich_annotate(test_engine, req.text, req.text_len, &req.opts, &err));
    ck_assert_int_eq(err.code, ENRICH_ERR_NUL);
    ck_assert_uint_eq(err.position, 1);
    enrich_request_free(&req);
    /* a bad token: its start, by byte and by column */
    const char *bad = "{\"id\": 1, \"text\": tru}";
    ck_assert_int_eq(enrich_request_parse(bad, strlen(bad), NULL, &req, &err), ENRICH_ERR_JSON);
    ck_assert_uint_eq(err.position, 18);
    ck_assert_msg(strstr(err.message, "column 19") != NULL, "%s", err.message);
    ck_assert_ptr_null(strstr(err.message, "JSON_"));
    /* an integer id beyond 64 bits is valid JSON of the wrong shape */
    const char *big = "{\"text\": \"a\", \"id\": 123456789012345678901234567890}";
    ck_assert_int_eq(enrich_request_parse(big, strlen(big), NULL, &req, &err), ENRICH_ERR_REQUEST);
    ck_assert_msg(strstr(err.message, "64-bit") && strstr(err.message, "column 21"), "%s", err.message);
    /* 7.0 is the integer 7; a number past 64 bits where nobody reads it is
     * no fault */
    const char *real_id = "{\"text\": \"a\", \"id\": 7.0, \"extra\": {\"n\": 123456789012345678901234567890}}";
    ck_assert_int_eq(enrich_request_parse(real_id, strlen(real_id), NULL, &req, &err), ENRICH_OK);
    ck_assert(json_is_integer(req.id));
    ck_assert_int_eq(json_integer_value(req.id), 7);
    enrich_request_free(&req);
    /* shapes, options, a NUL in an option, a bad date */
    static const struct {
        const char *json;
        int code;
    } cases[] = {
        {"[1]", ENRICH_ERR_REQUEST},
        {"{\"id\": 1}", ENRICH_ERR_REQUEST},
        {"{\"text\": \"a\", \"id\": {}}", ENRICH_ERR_REQUEST},
        {"{\"text\": \"a\", \"include\": \"\"}", ENRICH_ERR_REQUEST},
        {"{\"text\": \"a\", \"include\": \"all\\u0000x\"}", ENRICH_ERR_REQUEST},
        {"{\"text\": \"a\", \"options\": 3}", ENRICH_ERR_REQUEST},
        {"{\"text\": \"a\", \"offsets\": \"bytes\"}", ENRICH_ERR_REQUEST},
        {"{\"text\": \"a\", \"reference_date\": \"2024-02-30\"}", ENRICH_ERR_DATE},
        {"{\"text\": \"a\", \"text\": \"b\"}", ENRICH_ERR_JSON},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = enrich_request_parse(cases[i].json, strlen(cases[i].json), NULL, &req, &err);
        ck_assert_msg(rc == cases[i].code, "%s: %d, wanted %d", cases[i].json, rc, cases[i].code);
        ck_assert_int_eq(err.code, rc);
    }
    /* a bad JSON Lines record names its line and the token's start */
    size_t n = 0;
    char *line = enrich_jsonl_record(test_engine, NULL, bad, strlen(bad), 4, &n);
    ck_assert_ptr_nonnull(line);
    ck_assert_msg(strstr(line, "\"code\":\"invalid_json\"") && strstr(line, "line 4:") &&
                      strstr(line, "column 19") && strstr(line, "\"position\":18"),
                  "%s", line);
    free(line);
}
END_TEST

/* The pipeline's table: its stages by name, and their times when asked. */
START_TEST(api_stages_named_and_timed)
{
    unsigned n = enrich_stage_count();
    ck_assert_uint_ge(n, 10);
    ck_assert_str_eq(enrich_stage_name(0), "layout");
    ck_assert_str_eq(enrich_stage_name(n - 1), "quotes");
    ck_assert_ptr_null(enrich_stage_name(n));
    double seconds[64] = {0};
    enrich_options o;
    enrich_options_init(&o);
    o.stage_seconds = seconds;
    o.include = ENRICH_PART_ARTICLE | ENRICH_PART_DATES; /* no tagger, no quotes */
    enrich_error err;
    const char *t = "Talks end\n\nPARIS (Reuters) - Ministers met on Tuesday, John Smith said.\n";
    enrich_doc *doc = enrich_annotate(test_engine, t, strlen(t), &o, &err);
    ck_assert_ptr_nonnull(doc);
    enrich_doc_free(doc);
    double total = 0;
    for (unsigned i = 0; i < n; i++) {
        const char *name = enrich_stage_name(i);
        int skipped = !strcmp(name, "ner") || !strcmp(name, "entities") || !strcmp(name, "quotes");
        ck_assert_msg(skipped ? seconds[i] == 0.0 : seconds[i] >= 0.0, "%s: %g s", name, seconds[i]);
        total += seconds[i];
    }
    ck_assert(total > 0.0); /* a clock's tick may hide one stage, not all */
}
END_TEST

START_TEST(api_option_parsers)
{
    enrich_offset_unit u;
    ck_assert_int_eq(enrich_parse_offsets("utf16", &u), ENRICH_OK);
    ck_assert_int_eq(u, ENRICH_OFFSETS_UTF16);
    ck_assert_int_eq(enrich_parse_offsets("codepoint", &u), ENRICH_OK);
    ck_assert_int_eq(enrich_parse_offsets("bytes", &u), ENRICH_ERR_ARG);
    ck_assert_int_eq(enrich_parse_offsets(NULL, &u), ENRICH_ERR_ARG);
    ck_assert_str_eq(enrich_offsets_name(ENRICH_OFFSETS_CODEPOINT), "codepoint");
    unsigned parts;
    enrich_error err;
    ck_assert_int_eq(enrich_parse_include("article,dates", &parts, &err), ENRICH_OK);
    ck_assert_uint_eq(parts, ENRICH_PART_ARTICLE | ENRICH_PART_DATES);
    ck_assert_int_eq(enrich_parse_include("all", &parts, &err), ENRICH_OK);
    ck_assert_uint_eq(parts, ENRICH_PART_ALL);
    ck_assert_int_eq(enrich_parse_include("article,,dates", &parts, &err), ENRICH_ERR_ARG);
    ck_assert_int_eq(enrich_parse_include("people", &parts, &err), ENRICH_ERR_ARG);
    ck_assert_ptr_nonnull(strstr(err.message, "'people'"));
    ck_assert_int_eq(enrich_check_date("2024-07-11", &err), ENRICH_OK);
    ck_assert_int_eq(enrich_check_date("11/07/2024", &err), ENRICH_ERR_DATE);
    ck_assert_str_eq(enrich_error_name(ENRICH_ERR_UTF8), "invalid_utf8");
    ck_assert_str_eq(enrich_strerror(ENRICH_ERR_NOMEM), "out of memory");
    ck_assert_str_eq(enrich_strerror(-99), "unknown error");
    ck_assert_str_eq(enrich_version(), ENRICH_VERSION);
}
END_TEST

START_TEST(api_response_shape_and_warning)
{
    const char *t = "Headline here\n\nTaipei, Taiwan\n\nBody text.";
    json_t *j = respond(t, strlen(t), NULL);
    ck_assert_str_eq(json_string_value(json_object_get(j, "version")), "1");
    ck_assert(json_is_null(json_object_get(j, "reference_date")));
    ck_assert_str_eq(json_string_value(json_object_get(j, "offsets")), "utf8");
    json_t *w = json_array_get(json_object_get(j, "warnings"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(w, "code")), "no_reference_date");
    json_t *dl = json_object_get(json_object_get(j, "article"), "dateline");
    ck_assert_str_eq(json_string_value(json_object_get(dl, "country_code")), "TW");
    ck_assert_int_eq(json_integer_value(json_object_get(dl, "start")), 15);
    ck_assert(json_is_array(json_object_get(j, "entities")));
    ck_assert(json_is_array(json_object_get(j, "quotes")));
    json_decref(j);
}
END_TEST

START_TEST(api_dateline_date_resolves_against_reference)
{
    enrich_options o;
    enrich_options_init(&o);
    o.reference_date = "1987-01-02";
    const char *t = "HEADLINE HERE\n\nLONDON, Dec 31 - Prices rose.\n";
    json_t *j = respond(t, strlen(t), &o);
    json_t *date = json_object_get(json_object_get(json_object_get(j, "article"), "dateline"), "date");
    ck_assert_str_eq(json_string_value(json_object_get(date, "value")), "1986-12-31");
    ck_assert_str_eq(json_string_value(json_object_get(date, "text")), "Dec 31");
    json_decref(j);
    j = respond(t, strlen(t), NULL);
    date = json_object_get(json_object_get(json_object_get(j, "article"), "dateline"), "date");
    ck_assert_str_eq(json_string_value(json_object_get(date, "value")), "XXXX-12-31");
    json_decref(j);
}
END_TEST

START_TEST(api_offsets_in_each_unit)
{
    /* "😀 é\n\nSeoul, South Korea\n\nBody.": the dateline starts at byte 9,
     * UTF-16 unit 6 (😀 counts two) and code point 5. */
    const char *t = "\xF0\x9F\x98\x80 \xC3\xA9\n\nSeoul, South Korea\n\nBody.";
    static const struct {
        enrich_offset_unit unit;
        long long start;
    } units[] = {{ENRICH_OFFSETS_UTF8, 9}, {ENRICH_OFFSETS_UTF16, 6}, {ENRICH_OFFSETS_CODEPOINT, 5}};
    for (size_t i = 0; i < 3; i++) {
        enrich_options o;
        enrich_options_init(&o);
        o.offsets = units[i].unit;
        json_t *j = respond(t, strlen(t), &o);
        json_t *dl = json_object_get(json_object_get(j, "article"), "dateline");
        ck_assert_int_eq(json_integer_value(json_object_get(dl, "start")), units[i].start);
        ck_assert_int_eq(json_integer_value(json_object_get(dl, "end")), units[i].start + 18);
        ck_assert_str_eq(json_string_value(json_object_get(j, "offsets")), enrich_offsets_name(units[i].unit));
        json_decref(j);
    }
}
END_TEST

START_TEST(api_include_leaves_parts_out)
{
    enrich_options o;
    enrich_options_init(&o);
    o.include = ENRICH_PART_RELATED;
    json_t *j = respond("x", 1, &o);
    ck_assert_ptr_null(json_object_get(j, "article"));
    ck_assert_ptr_null(json_object_get(j, "entities"));
    ck_assert_ptr_nonnull(json_object_get(j, "related"));
    ck_assert_ptr_nonnull(json_object_get(j, "warnings"));
    json_decref(j);
}
END_TEST

/* Asked alone, a part is what it is in the whole answer (the stages a part
 * does not need are skipped), and the skipped stages leave nothing behind. */
START_TEST(api_include_skips_work_not_results)
{
    const char *t = "Leaders meet\n\nSEOUL, July 11 (Reuters) - NATO leaders met Yoon Suk Yeol on Wednesday.\n\n"
                    "\u201cWe are close,\u201d Yoon said.\n";
    enrich_options o;
    enrich_options_init(&o);
    o.reference_date = "2024-07-11";
    json_t *full = respond(t, strlen(t), &o);
    static const struct {
        unsigned part;
        const char *key;
    } parts[] = {{ENRICH_PART_ARTICLE, "article"}, {ENRICH_PART_ENTITIES, "entities"}, {ENRICH_PART_DATES, "dates"},
                 {ENRICH_PART_RELATED, "related"}};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        o.include = parts[i].part;
        json_t *one = respond(t, strlen(t), &o);
        ck_assert_msg(json_equal(json_object_get(one, parts[i].key), json_object_get(full, parts[i].key)),
                      "%s alone differs", parts[i].key);
        json_decref(one);
    }
    /* the article alone runs no tagger and no date scan */
    enrich_doc *doc;
    enrich_error err;
    o.include = ENRICH_PART_ARTICLE;
    doc = enrich_annotate(test_engine, t, strlen(t), &o, &err);
    ck_assert_uint_eq(doc->mentions.n, 0);
    ck_assert_uint_eq(doc->dates.n, 0);
    ck_assert_int_eq(doc->dateline.date.resolved_year, 2024); /* the dateline's date still resolved */
    enrich_doc_free(doc);
    json_decref(full);
}
END_TEST

START_TEST(api_same_flags_same_bytes)
{
    const char *t = "Headline\n\nBy Ann Lee\n\nText.";
    json_t *a = respond(t, strlen(t), NULL);
    json_t *b = respond(t, strlen(t), NULL);
    char *sa = json_dumps(a, enrich_json_flags(0));
    char *sb = json_dumps(b, enrich_json_flags(0));
    ck_assert_str_eq(sa, sb);
    ck_assert_ptr_null(strchr(sa, '\n'));
    char *pretty = json_dumps(a, enrich_json_flags(1));
    ck_assert_ptr_nonnull(strchr(pretty, '\n'));
    free(sa);
    free(sb);
    free(pretty);
    json_decref(a);
    json_decref(b);
}
END_TEST

START_TEST(api_engine_is_shared_state_free)
{
    /* Two engines answer alike; an engine serves many documents at once. */
    enrich_error err;
    enrich_engine *e2 = enrich_engine_new(&err);
    ck_assert_ptr_nonnull(e2);
    const char *t = "Head\n\nSeoul, South Korea\n\nBody.";
    enrich_doc *d1 = enrich_annotate(test_engine, t, strlen(t), NULL, &err);
    enrich_doc *d2 = enrich_annotate(e2, t, strlen(t), NULL, &err);
    enrich_doc *d3 = enrich_annotate(test_engine, t, strlen(t), NULL, &err);
    json_t *j1 = enrich_doc_json(d1), *j2 = enrich_doc_json(d2), *j3 = enrich_doc_json(d3);
    ck_assert(json_equal(j1, j2));
    ck_assert(json_equal(j1, j3));
    json_decref(j1);
    json_decref(j2);
    json_decref(j3);
    enrich_doc_free(d1);
    enrich_doc_free(d2);
    enrich_doc_free(d3);
    enrich_engine_free(e2);
}
END_TEST

/* The direct text and the jansson tree give the same bytes. */
static void assert_same_json(const char *t, size_t len, const enrich_options *o, const json_t *id)
{
    enrich_error err;
    enrich_doc *doc = enrich_annotate(test_engine, t, len, o, &err);
    ck_assert_ptr_nonnull(doc);
    for (int pretty = 0; pretty < 2; pretty++) {
        size_t n = 0;
        char *direct = enrich_doc_dumps(doc, id, pretty, &n);
        ck_assert_ptr_nonnull(direct);
        ck_assert_uint_eq(n, strlen(direct));
        json_t *tree = enrich_doc_json(doc);
        if (id) {
            json_t *with_id = json_pack("{s:O}", "id", (json_t *)id);
            json_object_update(with_id, tree);
            json_decref(tree);
            tree = with_id;
        }
        char *via = json_dumps(tree, enrich_json_flags(pretty));
        ck_assert_str_eq(direct, via);
        free(direct);
        free(via);
        json_decref(tree);
    }
    enrich_doc_free(doc);
}

START_TEST(api_direct_text_equals_the_tree)
{
    static const char *const texts[] = {
        "Headline with \"quotes\" and a back\\slash\n\nTaipei, Taiwan\n\nBody\ttab \x01\x1f ctrl \x7f del.",
        "NATO leaders condemn North Korea\xE2\x80\x99s arms exports\n\nThey warn.\n\nSeoul, South Korea\n\n"
        "\xE2\x80\x9CWe condemn,\xE2\x80\x9D the leaders said. Yoon Suk Yeol met Fumio Kishida.\n\n"
        "RELATED STORIES\n\nA titleOpens in new window\xC2\xA0]\n\nEdited by Mike Firn.",
        "",
        "\xF0\x9F\x98\x80 emoji \xE2\x80\xA8 line separator",
    };
    json_t *ids[] = {NULL, json_string("story-\"1\""), json_integer(-42), json_null()};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        for (int unit = 0; unit < 3; unit++) {
            enrich_options o;
            enrich_options_init(&o);
            o.offsets = (enrich_offset_unit)unit;
            o.reference_date = unit == 1 ? NULL : "2024-07-11";
            assert_same_json(texts[i], strlen(texts[i]), &o, ids[(i + (size_t)unit) % 4]);
        }
    }
    for (int k = 0; k < 4; k++)
        json_decref(ids[k]);
}
END_TEST

Suite *api_suite(void)
{
    Suite *s = suite_create("api");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, api_rejects_bad_input_with_position);
    tcase_add_test(tc, api_option_parsers);
    tcase_add_test(tc, api_response_shape_and_warning);
    tcase_add_test(tc, api_dateline_date_resolves_against_reference);
    tcase_add_test(tc, api_offsets_in_each_unit);
    tcase_add_test(tc, api_include_leaves_parts_out);
    tcase_add_test(tc, api_include_skips_work_not_results);
    tcase_add_test(tc, api_same_flags_same_bytes);
    tcase_add_test(tc, api_json_requests);
    tcase_add_test(tc, api_stages_named_and_timed);
    tcase_add_test(tc, api_engine_is_shared_state_free);
    tcase_add_test(tc, api_direct_text_equals_the_tree);
    suite_add_tcase(s, tc);
    return s;
}
