/*
 * test_basics.c - the arena, UTF-8, text helpers and the calendar.
 */
#include <stdint.h>

#include "arena.h"
#include "calendar.h"
#include "text.h"
#include "unit.h"
#include "utf8.h"

START_TEST(arena_alloc_is_zeroed_aligned_and_stable)
{
    arena a;
    arena_init(&a, 64);
    char *first = arena_alloc(&a, 10);
    ck_assert_ptr_nonnull(first);
    memcpy(first, "123456789", 10);
    for (int i = 0; i < 1000; i++) {
        unsigned char *p = arena_alloc(&a, (size_t)i + 1);
        ck_assert_ptr_nonnull(p);
        ck_assert_uint_eq((uintptr_t)p % 16, 0);
        for (int k = 0; k <= i; k++)
            ck_assert_uint_eq(p[k], 0);
        memset(p, 0xAB, (size_t)i + 1);
    }
    ck_assert_str_eq(first, "123456789"); /* earlier memory never moves */
    arena_free(&a);
}
END_TEST

START_TEST(arena_rejects_overflow)
{
    arena a;
    arena_init(&a, 64);
    ck_assert_ptr_null(arena_array(&a, SIZE_MAX / 2, 4));
    ck_assert_ptr_null(arena_alloc(&a, SIZE_MAX - 3));
    int *v = arena_array(&a, 4, sizeof(int));
    v[0] = 1; v[3] = 4;
    int *w = arena_grow(&a, v, 4, 8, sizeof(int));
    ck_assert_int_eq(w[0], 1);
    ck_assert_int_eq(w[3], 4);
    ck_assert_int_eq(w[7], 0);
    ck_assert_str_eq(arena_strndup(&a, "abcdef", 3), "abc");
    arena_free(&a);
}
END_TEST

Suite *arena_suite(void)
{
    Suite *s = suite_create("arena");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, arena_alloc_is_zeroed_aligned_and_stable);
    tcase_add_test(tc, arena_rejects_overflow);
    suite_add_tcase(s, tc);
    return s;
}

static utf8_result check(const char *s, size_t n, size_t *bad)
{
    *bad = 999;
    return utf8_validate(s, n, bad);
}

START_TEST(utf8_accepts_well_formed)
{
    size_t bad;
    const char ok[] = "plain \xC3\xA9 \xE2\x80\x99 \xF0\x9F\x98\x80 \xEF\xBB\xBF end";
    ck_assert_int_eq(check(ok, sizeof ok - 1, &bad), UTF8_VALID);
    ck_assert_int_eq(check("", 0, &bad), UTF8_VALID);
    /* the largest code point and the last before the surrogates */
    ck_assert_int_eq(check("\xF4\x8F\xBF\xBF\xED\x9F\xBF", 7, &bad), UTF8_VALID);
}
END_TEST

START_TEST(utf8_rejects_ill_formed_with_position)
{
    static const struct {
        const char *s;
        size_t n, pos;
    } cases[] = {
        {"ab\xFF", 3, 2},             /* never valid */
        {"\xC0\xAF", 2, 0},           /* overlong '/' */
        {"x\xE0\x80\xAF", 4, 1},      /* overlong, three bytes */
        {"xy\xF0\x80\x80\xAF", 6, 2}, /* overlong, four bytes */
        {"\xED\xA0\x80", 3, 0},       /* a surrogate */
        {"\xF4\x90\x80\x80", 4, 0},   /* past U+10FFFF */
        {"abc\xE2\x80", 5, 3},        /* cut short at the end */
        {"\xE2\x28\xA1", 3, 0},       /* bad continuation */
        {"\x80", 1, 0},               /* lone continuation */
        {"\xF5\x80\x80\x80", 4, 0},   /* lead byte out of range */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t bad;
        ck_assert_int_eq(check(cases[i].s, cases[i].n, &bad), UTF8_INVALID);
        ck_assert_uint_eq(bad, cases[i].pos);
    }
    size_t bad;
    ck_assert_int_eq(check("ab\0cd", 5, &bad), UTF8_HAS_NUL);
    ck_assert_uint_eq(bad, 2);
}
END_TEST

START_TEST(utf8_offset_units)
{
    /* "é😀a" : é is 2 bytes/1 unit, 😀 4 bytes/2 UTF-16 units/1 code point */
    const char s[] = "\xC3\xA9\xF0\x9F\x98\x80" "a";
    arena a;
    arena_init(&a, 64);
    offset_map m16, mcp, m8;
    ck_assert_int_eq(offset_map_init(&m16, &a, s, 7, ENRICH_OFFSETS_UTF16), 0);
    ck_assert_int_eq(offset_map_init(&mcp, &a, s, 7, ENRICH_OFFSETS_CODEPOINT), 0);
    ck_assert_int_eq(offset_map_init(&m8, &a, s, 7, ENRICH_OFFSETS_UTF8), 0);
    ck_assert_uint_eq(offset_map_convert(&m16, 2), 1);
    ck_assert_uint_eq(offset_map_convert(&m16, 6), 3);
    ck_assert_uint_eq(offset_map_convert(&m16, 7), 4);
    ck_assert_uint_eq(offset_map_convert(&mcp, 6), 2);
    ck_assert_uint_eq(offset_map_convert(&mcp, 7), 3);
    ck_assert_uint_eq(offset_map_convert(&m8, 6), 6);
    arena_free(&a);
}
END_TEST

START_TEST(utf8_offset_units_across_checkpoints)
{
    /* 1000 times "é" then "x": checkpoints fall inside characters. */
    char s[2001];
    for (int i = 0; i < 1000; i++)
        memcpy(s + 2 * i, "\xC3\xA9", 2);
    s[2000] = 'x';
    arena a;
    arena_init(&a, 64);
    offset_map m;
    ck_assert_int_eq(offset_map_init(&m, &a, s, 2001, ENRICH_OFFSETS_CODEPOINT), 0);
    for (size_t b = 0; b <= 2000; b += 2)
        ck_assert_uint_eq(offset_map_convert(&m, b), b / 2);
    ck_assert_uint_eq(offset_map_convert(&m, 2001), 1001);
    arena_free(&a);
}
END_TEST

START_TEST(utf8_spaces)
{
    const char s[] = "a\xC2\xA0" "b\xE3\x80\x80" "c";
    ck_assert_uint_eq(utf8_space_at(s, sizeof s - 1, 1), 2);
    ck_assert_uint_eq(utf8_space_at(s, sizeof s - 1, 0), 0);
    ck_assert_uint_eq(utf8_space_at(s, sizeof s - 1, 4), 3);
    ck_assert_uint_eq(utf8_space_before(s, 3), 2);
    ck_assert_uint_eq(utf8_space_before(s, 7), 3);
    ck_assert_uint_eq(utf8_space_before(s, 4), 0);
    /* The last byte of an emoji before a space is no space (fuzz find). */
    const char e[] = "A\xF0\x9F\x98\x80 B";
    for (size_t i = 1; i <= 4; i++)
        ck_assert_uint_eq(utf8_space_at(e, sizeof e - 1, i), 0);
    ck_assert_uint_eq(utf8_space_at(e, sizeof e - 1, 5), 1);
}
END_TEST

Suite *utf8_suite(void)
{
    Suite *s = suite_create("utf8");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, utf8_accepts_well_formed);
    tcase_add_test(tc, utf8_rejects_ill_formed_with_position);
    tcase_add_test(tc, utf8_offset_units);
    tcase_add_test(tc, utf8_offset_units_across_checkpoints);
    tcase_add_test(tc, utf8_spaces);
    suite_add_tcase(s, tc);
    return s;
}

START_TEST(text_trim_and_match)
{
    const char *t = "\xC2\xA0  Related Stories:\t";
    span s = text_trim(t, (span){0, (uint32_t)strlen(t)});
    ck_assert_uint_eq(s.start, 4);
    ck_assert_uint_eq(s.end, (uint32_t)strlen(t) - 1);
    ck_assert(text_istarts(t, s, "related stories"));
    ck_assert(!text_ieq(t, s, "related stories"));
    ck_assert(text_ieq(t, s, "RELATED STORIES:"));
    ck_assert_int_eq(text_ifind(t, s, "STORIES"), 12);
    ck_assert_int_eq(text_ifind(t, s, "missing"), -1);
    ck_assert_uint_eq(text_word_count(t, s), 2);
}
END_TEST

START_TEST(text_name_keys)
{
    char out[32];
    const char *s = "  Democratic People\xE2\x80\x99s   REPUBLIC ";
    ck_assert_int_gt(text_name_key(s, strlen(s), out, sizeof out), 0);
    ck_assert_str_eq(out, "democratic people's republic");
    ck_assert_int_eq(text_name_key(s, strlen(s), out, 10), -1); /* does not fit */
}
END_TEST

START_TEST(text_ascii_folding)
{
    char out[32];
    const char *s = "Montr\xC3\xA9" "al";
    ck_assert_int_eq(text_fold_ascii(s, strlen(s), out, sizeof out), 8);
    ck_assert_str_eq(out, "Montreal");
    s = "\xC5\x81\xC3\xB3" "d\xC5\xBA"; /* Łódź */
    ck_assert_int_eq(text_fold_ascii(s, strlen(s), out, sizeof out), 4);
    ck_assert_str_eq(out, "Lodz");
    s = "Stra\xC3\x9F" "e";
    ck_assert_int_gt(text_fold_ascii(s, strlen(s), out, sizeof out), 0);
    ck_assert_str_eq(out, "Strasse");
    ck_assert_int_eq(text_fold_ascii("Paris", 5, out, sizeof out), 0);          /* nothing to fold */
    /* beyond Latin-1 and Latin Extended-A, from Unicode's decompositions */
    s = "Ia\xC8\x99i"; /* Iași, s with comma below (U+0219) */
    ck_assert_int_eq(text_fold_ascii(s, strlen(s), out, sizeof out), 4);
    ck_assert_str_eq(out, "Iasi");
    s = "H\xE1\xBB\x93 Ch\xC3\xAD Minh"; /* Hồ Chí Minh */
    ck_assert_int_gt(text_fold_ascii(s, strlen(s), out, sizeof out), 0);
    ck_assert_str_eq(out, "Ho Chi Minh");
    s = "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0"; /* Москва */
    ck_assert_int_eq(text_fold_ascii(s, strlen(s), out, sizeof out), -1);
    s = "S\xC3\xA3o Paulo";
    ck_assert_int_eq(text_fold_ascii(s, strlen(s), out, 5), -1);               /* does not fit */
    ck_assert_int_eq(text_fold_ascii("\xC3", 1, out, sizeof out), -1);         /* cut short */
}
END_TEST

Suite *text_suite(void)
{
    Suite *s = suite_create("text");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, text_trim_and_match);
    tcase_add_test(tc, text_name_keys);
    tcase_add_test(tc, text_ascii_folding);
    suite_add_tcase(s, tc);
    return s;
}

START_TEST(calendar_months)
{
    ck_assert_int_eq(calendar_month("February", 8), 2);
    ck_assert_int_eq(calendar_month("Feb", 3), 2);
    ck_assert_int_eq(calendar_month("Feb.", 4), 2);
    ck_assert_int_eq(calendar_month("SEPT.", 5), 9);
    ck_assert_int_eq(calendar_month("dec", 3), 12);
    ck_assert_int_eq(calendar_month("Febru", 5), 0);
    ck_assert_int_eq(calendar_month("Mayday", 6), 0);
}
END_TEST

START_TEST(calendar_dates)
{
    int y, m, d;
    ck_assert_int_eq(calendar_parse_iso("2024-02-29", &y, &m, &d), 0);
    ck_assert_int_eq(y * 10000 + m * 100 + d, 20240229);
    ck_assert_int_eq(calendar_parse_iso("2023-02-29", &y, &m, &d), -1);
    ck_assert_int_eq(calendar_parse_iso("2024-13-01", &y, &m, &d), -1);
    ck_assert_int_eq(calendar_parse_iso("2024-7-11", &y, &m, &d), -1);
    ck_assert_int_eq(calendar_parse_iso("2024-07-11x", &y, &m, &d), -1);
    ck_assert_int_eq(calendar_parse_iso("1900-02-29", &y, &m, &d), -1);
    ck_assert_int_eq(calendar_parse_iso("2000-02-29", &y, &m, &d), 0);
    ck_assert_int_eq(calendar_days(1970, 1, 1), 0);
    ck_assert_int_eq(calendar_days(2024, 7, 11) - calendar_days(2024, 7, 10), 1);
    ck_assert_int_eq(calendar_days(2001, 1, 1) - calendar_days(2000, 1, 1), 366);
}
END_TEST

Suite *calendar_suite(void)
{
    Suite *s = suite_create("calendar");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, calendar_months);
    tcase_add_test(tc, calendar_dates);
    suite_add_tcase(s, tc);
    return s;
}
