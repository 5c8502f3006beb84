/*
 * unit.h - shared helpers of the libenrich unit tests (Check).
 */
#ifndef ENRICH_UNIT_H
#define ENRICH_UNIT_H

#include <check.h>
#include <string.h>

#include "doc.h"
#include "enrich.h"

/* The engine every test shares, made once in main(). */
extern enrich_engine *test_engine;

/* Annotates a NUL-terminated text; fails the test when that fails. */
enrich_doc *annotate(const char *text, const char *reference_date);

/* The text of a span as a NUL-terminated copy (static buffer, one at a time). */
const char *span_str(const enrich_doc *doc, span s);

/* ck_assert on a span's text. */
#define ck_assert_span(doc, s, expected) ck_assert_str_eq(span_str((doc), (s)), (expected))

Suite *arena_suite(void);
Suite *utf8_suite(void);
Suite *text_suite(void);
Suite *calendar_suite(void);
Suite *gazetteer_suite(void);
Suite *dateline_suite(void);
Suite *credits_suite(void);
Suite *related_suite(void);
Suite *stamp_suite(void);
Suite *layout_suite(void);
Suite *api_suite(void);
Suite *tokens_suite(void);
Suite *entities_suite(void);
Suite *dictionary_suite(void);
Suite *trainer_suite(void);
Suite *timex_suite(void);
Suite *quotes_suite(void);

#endif
