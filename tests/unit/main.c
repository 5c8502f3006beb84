/*
 * main.c - runs every unit suite of libenrich.
 */
#include <stdio.h>
#include <stdlib.h>

#include "unit.h"

enrich_engine *test_engine;

enrich_doc *annotate(const char *text, const char *reference_date)
{
    enrich_options o;
    enrich_options_init(&o);
    o.reference_date = reference_date;
    enrich_error err;
    enrich_doc *doc = enrich_annotate(test_engine, text, strlen(text), &o, &err);
    ck_assert_msg(doc != NULL, "annotate failed: %s", doc ? "" : err.message);
    return doc;
}

const char *span_str(const enrich_doc *doc, span s)
{
    static char buf[4096];
    size_t n = span_len(s);
    if (n >= sizeof buf)
        n = sizeof buf - 1;
    memcpy(buf, doc->text + s.start, n);
    buf[n] = '\0';
    return buf;
}

int main(void)
{
    enrich_error err;
    test_engine = enrich_engine_new(&err);
    if (!test_engine) {
        fprintf(stderr, "cannot create the engine: %s\n", err.message);
        return 1;
    }
    SRunner *sr = srunner_create(arena_suite());
    srunner_add_suite(sr, utf8_suite());
    srunner_add_suite(sr, text_suite());
    srunner_add_suite(sr, calendar_suite());
    srunner_add_suite(sr, gazetteer_suite());
    srunner_add_suite(sr, dateline_suite());
    srunner_add_suite(sr, credits_suite());
    srunner_add_suite(sr, related_suite());
    srunner_add_suite(sr, stamp_suite());
    srunner_add_suite(sr, layout_suite());
    srunner_add_suite(sr, api_suite());
    srunner_add_suite(sr, tokens_suite());
    srunner_add_suite(sr, entities_suite());
    srunner_add_suite(sr, dictionary_suite());
    srunner_add_suite(sr, trainer_suite());
    srunner_add_suite(sr, timex_suite());
    srunner_add_suite(sr, quotes_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    enrich_engine_free(test_engine);
    return failed == 0 ? 0 : 1;
}
