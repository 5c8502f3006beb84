/*
 * test_recognizers.c - the gazetteer, datelines, credits and related links.
 */
#include "credits.h"
#include "dateline.h"
#include "gazetteer.h"
#include "related.h"
#include "stamp.h"
#include "unit.h"

static span whole(const char *t)
{
    return (span){0, (uint32_t)strlen(t)};
}

/* ---- gazetteer ---------------------------------------------------------- */

static const char *country_code(const char *name)
{
    const place *p = gazetteer_find(&test_engine->places, name, strlen(name), PLACE_COUNTRY);
    return p ? p->code : "";
}

START_TEST(gazetteer_countries_by_any_name)
{
    ck_assert_str_eq(country_code("Taiwan"), "TW");
    ck_assert_str_eq(country_code("TAIWAN"), "TW");
    ck_assert_str_eq(country_code("Russia"), "RU");
    ck_assert_str_eq(country_code("Russian Federation"), "RU");
    ck_assert_str_eq(country_code("U.S."), "US");
    ck_assert_str_eq(country_code("United States"), "US");
    ck_assert_str_eq(country_code("DPRK"), "KP");
    ck_assert_str_eq(country_code("Democratic People\xE2\x80\x99s Republic of Korea"), "KP");
    ck_assert_str_eq(country_code("South  Korea"), "KR");
    ck_assert_str_eq(country_code("Britain"), "GB");
    ck_assert_str_eq(country_code("Atlantis"), "");
    const place *p = gazetteer_find(&test_engine->places, "North Korea", 11, PLACE_COUNTRY);
    ck_assert_str_eq(p->name, "North Korea");
}
END_TEST

START_TEST(gazetteer_regions_link_their_country)
{
    const place *p = gazetteer_find(&test_engine->places, "Calif.", 6, PLACE_REGION);
    ck_assert_ptr_nonnull(p);
    ck_assert_str_eq(p->name, "California");
    ck_assert_str_eq(p->country->code, "US");
    /* Georgia is a country and a state: the kind decides. */
    ck_assert_str_eq(gazetteer_find(&test_engine->places, "Georgia", 7, PLACE_COUNTRY)->code, "GE");
    ck_assert_str_eq(gazetteer_find(&test_engine->places, "Georgia", 7, PLACE_REGION)->code, "US-GA");
    ck_assert_ptr_null(gazetteer_find(&test_engine->places, "Calif.", 6, PLACE_COUNTRY));
}
END_TEST

START_TEST(gazetteer_bad_tables_name_their_line)
{
    gazetteer g;
    enrich_error err;
    const char bad_kind[] = "# comment\ncountry\tFR\tFrance\t\ncity\tXX\tNowhere\t\n";
    ck_assert_int_eq(gazetteer_load(&g, bad_kind, sizeof bad_kind - 1, &err), ENRICH_ERR_DATA);
    ck_assert_ptr_nonnull(strstr(err.message, "line 3"));
    const char too_few[] = "country\tFR\n";
    ck_assert_int_eq(gazetteer_load(&g, too_few, sizeof too_few - 1, &err), ENRICH_ERR_DATA);
    ck_assert_ptr_nonnull(strstr(err.message, "line 1"));
    const char orphan[] = "region\tZZ-AA\tSomewhere\t\n";
    ck_assert_int_eq(gazetteer_load(&g, orphan, sizeof orphan - 1, &err), ENRICH_ERR_DATA);
    const char good[] = "country\tFR\tFrance\tRepublique|French Republic\n";
    ck_assert_int_eq(gazetteer_load(&g, good, sizeof good - 1, &err), ENRICH_OK);
    ck_assert_str_eq(gazetteer_find(&g, "french republic", 15, PLACE_COUNTRY)->code, "FR");
    gazetteer_free(&g);
}
END_TEST

Suite *gazetteer_suite(void)
{
    Suite *s = suite_create("gazetteer");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, gazetteer_countries_by_any_name);
    tcase_add_test(tc, gazetteer_regions_link_their_country);
    tcase_add_test(tc, gazetteer_bad_tables_name_their_line);
    suite_add_tcase(s, tc);
    return s;
}

/* ---- datelines ---------------------------------------------------------- */

typedef struct dl_case {
    const char *line, *text, *city, *region, *country_code, *agency;
    int month, day, year;
} dl_case;

static void check_dateline(const char *t, const dateline_info *d, const dl_case *c)
{
    char buf[256];
    ck_assert_msg(d->found, "no dateline in '%s'", c->line);
    snprintf(buf, sizeof buf, "%.*s", (int)span_len(d->text), t + d->text.start);
    ck_assert_str_eq(buf, c->text);
    snprintf(buf, sizeof buf, "%.*s", (int)span_len(d->city), t + d->city.start);
    ck_assert_str_eq(buf, c->city);
    const char *region = d->region ? d->region->name : "";
    ck_assert_str_eq(region, c->region);
    ck_assert_str_eq(d->country ? d->country->code : "", c->country_code);
    snprintf(buf, sizeof buf, "%.*s", (int)span_len(d->agency), t + d->agency.start);
    ck_assert_str_eq(buf, c->agency);
    ck_assert_int_eq(d->has_date ? d->date.month * 100 + d->date.day : 0, c->month * 100 + c->day);
    ck_assert_int_eq(d->has_date ? d->date.year : 0, c->year);
}

START_TEST(dateline_lines)
{
    static const dl_case cases[] = {
        {"Taipei, Taiwan", "Taipei, Taiwan", "Taipei", "", "TW", "", 0, 0, 0},
        {"SEOUL, South Korea", "SEOUL, South Korea", "SEOUL", "", "KR", "", 0, 0, 0},
        {"Kyiv, Ukraine -", "Kyiv, Ukraine", "Kyiv", "", "UA", "", 0, 0, 0},
        {"Santa Cruz, Calif.", "Santa Cruz, Calif.", "Santa Cruz", "California", "US", "", 0, 0, 0},
        {"Rio de Janeiro, Brazil", "Rio de Janeiro, Brazil", "Rio de Janeiro", "", "BR", "", 0, 0, 0},
        {"PORTLAND, Maine, United States", "PORTLAND, Maine, United States", "PORTLAND", "Maine", "US", "", 0, 0, 0},
        {"SEOUL, July 11 (Reuters)", "SEOUL, July 11 (Reuters)", "SEOUL", "", "KR", "Reuters", 7, 11, 0},
        {"São Paulo, Brazil, March 3, 2024", "São Paulo, Brazil, March 3, 2024", "São Paulo", "", "BR", "", 3, 3, 2024},
        /* a country alone is the dateline's place and its country */
        {"Ukraine", "Ukraine", "Ukraine", "", "UA", "", 0, 0, 0},
        {"KUWAIT, March 1 -", "KUWAIT, March 1", "KUWAIT", "", "KW", "", 3, 1, 0},
        /* provinces and their abbreviations, periods or not */
        {"CALGARY, Alberta, March 3 -", "CALGARY, Alberta, March 3", "CALGARY", "Alberta", "CA", "", 3, 3, 0},
        {"OAKVILLE, Ont., March 3 -", "OAKVILLE, Ont., March 3", "OAKVILLE", "Ontario", "CA", "", 3, 3, 0},
        {"MIAMI, Fla, March 3 -", "MIAMI, Fla, March 3", "MIAMI", "Florida", "US", "", 3, 3, 0},
        {"CHARLOTTE, N.C, March 24", "CHARLOTTE, N.C, March 24", "CHARLOTTE", "North Carolina", "US", "", 3, 24, 0},
        {"OAK LAWN, IL, March 4", "OAK LAWN, IL, March 4", "OAK LAWN", "Illinois", "US", "", 3, 4, 0},
        /* the date typed without its comma, with its day first, or with a slip */
        {"ANGLETON, Tex. March 3 -", "ANGLETON, Tex. March 3", "ANGLETON", "Texas", "US", "", 3, 3, 0},
        {"AMSTERDAM, 2 March", "AMSTERDAM, 2 March", "AMSTERDAM", "", "NL", "", 3, 2, 0},
        {"RENO, Nev., Mach 4 -", "RENO, Nev., Mach 4", "RENO", "Nevada", "US", "", 3, 4, 0},
        {"MONTREAL, Feb 26-", "MONTREAL, Feb 26", "MONTREAL", "", "CA", "", 2, 26, 0},
        {"MUNICH, West Germany, March 26", "MUNICH, West Germany, March 26", "MUNICH", "", "DE", "", 3, 26, 0},
        {"GRONINGEN, the Netherlands, March 31", "GRONINGEN, the Netherlands, March 31", "GRONINGEN", "", "NL", "", 3, 31, 0},
        /* the agency first, as Indian and some web pages write it */
        {"PTI, Washington", "PTI, Washington", "Washington", "", "US", "PTI", 0, 0, 0},
        {"Agency Staff, Nairobi", "Agency Staff, Nairobi", "Nairobi", "", "KE", "Agency Staff", 0, 0, 0},
        /* a city and the desk that filed it */
        {"New Delhi, News Nation Bureau", "New Delhi, News Nation Bureau", "New Delhi", "", "IN", "News Nation Bureau", 0, 0, 0},
        {"Lagos, Metro Desk", "Lagos, Metro Desk", "Lagos", "", "NG", "Metro Desk", 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        dateline_info d;
        memset(&d, 0, sizeof d);
        const char *t = cases[i].line;
        ck_assert_msg(dateline_parse_line(test_engine, t, whole(t), &d), "not a dateline: %s", t);
        check_dateline(t, &d, &cases[i]);
    }
}
END_TEST

START_TEST(dateline_inline_forms)
{
    static const dl_case cases[] = {
        {"SALVADOR, Feb 26 - Showers continued", "SALVADOR, Feb 26", "SALVADOR", "", "BR", "", 2, 26, 0},
        {"SANTA CRUZ, Calif., Feb 26 - Sales rose", "SANTA CRUZ, Calif., Feb 26", "SANTA CRUZ", "California", "US", "", 2, 26, 0},
        {"WASHINGTON (AP) \xE2\x80\x94 The Senate voted", "WASHINGTON (AP)", "WASHINGTON", "", "US", "AP", 0, 0, 0},
        {"SEOUL, July 11 (Reuters) - North Korea said", "SEOUL, July 11 (Reuters)", "SEOUL", "", "KR", "Reuters", 7, 11, 0},
        {"NEW YORK, March 2 -- Stocks fell", "NEW YORK, March 2", "NEW YORK", "", "US", "", 3, 2, 0},
        {"PARIS (AFP) \xE2\x80\x93 France said", "PARIS (AFP)", "PARIS", "", "FR", "AFP", 0, 0, 0},
        {"TOKYO - The Bank of Japan intervened", "TOKYO", "TOKYO", "", "JP", "", 0, 0, 0},
        {"TOKYO, March 5 -President Goto said", "TOKYO, March 5", "TOKYO", "", "JP", "", 3, 5, 0},
        {"LOS ANGELES, March 20 -<Quotron Systems Inc> said", "LOS ANGELES, March 20", "LOS ANGELES", "", "US", "", 3, 20, 0},
        {"****LONDON, March 5 - India bought sugar", "LONDON, March 5", "LONDON", "", "GB", "", 3, 5, 0},
        {"La paz, march 4 - About 1,000 employees resigned", "La paz, march 4", "La paz", "", "BO", "", 3, 4, 0},
        {"CHICAGO, March 4, - South Korea's surplus", "CHICAGO, March 4,", "CHICAGO", "", "US", "", 3, 4, 0},
        {"ROME, March 13, Reuter - Italy's rate rose", "ROME, March 13, Reuter", "ROME", "", "IT", "Reuter", 3, 13, 0},
        {"CHICAGO, April - U.S. Labor Secretary said", "CHICAGO, April", "CHICAGO", "", "US", "", 0, 0, 0},
        {"WASHINGTON, July 11 (UPI) -- The Senate voted", "WASHINGTON, July 11 (UPI)", "WASHINGTON", "", "US", "UPI", 7, 11, 0},
        {"HONG KONG, July 11 (Bloomberg) -- Stocks fell", "HONG KONG, July 11 (Bloomberg)", "HONG KONG", "", "HK", "Bloomberg", 7, 11, 0},
        {"(Bloomberg) -- Apple Inc. said it would buy", "(Bloomberg)", "", "", "", "Bloomberg", 0, 0, 0},
        {"NEW DELHI: India said it would act", "NEW DELHI", "NEW DELHI", "", "IN", "", 0, 0, 0},
        {"Seoul (dpa) - South Korea said", "Seoul (dpa)", "Seoul", "", "KR", "dpa", 0, 0, 0},
        {"Taipei, Taiwan \xE2\x80\x94 Officials said", "Taipei, Taiwan", "Taipei", "", "TW", "", 0, 0, 0},
        {"WESTPORT, Conn., Feb 26 - Liberty", "WESTPORT, Conn., Feb 26", "WESTPORT", "Connecticut", "US", "", 2, 26, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        dateline_info d;
        memset(&d, 0, sizeof d);
        uint32_t rest = 0;
        const char *t = cases[i].line;
        ck_assert_msg(dateline_parse_inline(test_engine, t, whole(t), &d, &rest), "no dateline: %s", t);
        check_dateline(t, &d, &cases[i]);
        /* the sentence goes on after the dash */
        ck_assert(t[rest] != ' ' && t[rest] != '-' && t[rest] != '\0');
    }
}
END_TEST

START_TEST(dateline_rejects_prose)
{
    static const char *const lines[] = {
        "They warn the North - and its allies",
        "RELATED STORIES",
        "Separately, South Korean President",
        "The company said - in a statement - that",
        "Tuesday",
        "Big Plans For Summer",
        "London calling, again",
        "HEAVY SNOWS HIT GREECE, ITALY",
        "SILVER - total 156,708,754 off 323,664.",
        "COPPER GRADE A - 2650 tonnes mainly carries",
        "Shares rose 5 pct, the company said - a record",
        "Analysts: the market will fall",
        "Note: prices rose in May",
        "(note) - a remark",
        "",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        dateline_info d;
        uint32_t rest;
        const char *t = lines[i];
        ck_assert_msg(!dateline_parse_line(test_engine, t, whole(t), &d), "line taken: %s", t);
        ck_assert_msg(!dateline_parse_inline(test_engine, t, whole(t), &d, &rest), "inline taken: %s", t);
    }
}
END_TEST

Suite *dateline_suite(void)
{
    Suite *s = suite_create("dateline");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, dateline_lines);
    tcase_add_test(tc, dateline_inline_forms);
    tcase_add_test(tc, dateline_rejects_prose);
    suite_add_tcase(s, tc);
    return s;
}

/* ---- credits ------------------------------------------------------------ */

/* Parses a line and renders its credits as "role:name|role:name". */
static const char *credits_of(const char *t)
{
    static char out[512];
    credit c[CREDITS_MAX_PER_LINE];
    int n = credits_parse_line(t, whole(t), c, CREDITS_MAX_PER_LINE);
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        size_t len = strlen(out);
        snprintf(out + len, sizeof out - len, "%s%s:%.*s", i ? "|" : "", credits_role_name(c[i].role),
                 (int)span_len(c[i].name), t + c[i].name.start);
    }
    return out;
}

START_TEST(credits_roles_and_names)
{
    ck_assert_str_eq(credits_of("Edited by Mike Firn."), "editor:Mike Firn");
    ck_assert_str_eq(credits_of("By Jane Doe and John Roe"), "author:Jane Doe|author:John Roe");
    ck_assert_str_eq(credits_of("By Jane Doe, Reuters"), "author:Jane Doe");
    ck_assert_str_eq(credits_of("Reporting by Hyonhee Shin in Seoul; Editing by Ed Davies"),
                     "reporter:Hyonhee Shin|editor:Ed Davies");
    ck_assert_str_eq(credits_of("(Reporting by Ann Lee, Bo Chan and Cy Park; Editing by Di Vo)"),
                     "reporter:Ann Lee|reporter:Bo Chan|reporter:Cy Park|editor:Di Vo");
    ck_assert_str_eq(credits_of("Additional reporting by Ludwig van Beethoven"),
                     "reporter:Ludwig van Beethoven");
    ck_assert_str_eq(credits_of("Translated by Ana Lima"), "translator:Ana Lima");
    ck_assert_str_eq(credits_of("Written in English by Kim Min-ji"), "translator:Kim Min-ji");
    ck_assert_str_eq(credits_of("Photos by Lee Jae-won"), "photographer:Lee Jae-won");
    ck_assert_str_eq(credits_of("By John Q. Public"), "author:John Q. Public");
    ck_assert_str_eq(credits_of("By Zoë O\xE2\x80\x99" "Connor"), "author:Zoë O\xE2\x80\x99" "Connor");
    ck_assert_str_eq(credits_of("Jane Doe, Reuters"), "author:Jane Doe");
    ck_assert_str_eq(credits_of("Jane Doe and John Roe, The Associated Press"), "author:Jane Doe|author:John Roe");
    ck_assert_str_eq(credits_of("By Jane Doe | Reuters"), "author:Jane Doe");
    ck_assert_str_eq(credits_of("By Jane Doe, John Roe and Kim Lee"), "author:Jane Doe|author:John Roe|author:Kim Lee");
    ck_assert_str_eq(credits_of("Story by Jane Doe"), "author:Jane Doe");
    ck_assert_str_eq(credits_of("Photo: Lee Jin-man/AP"), "photographer:Lee Jin-man");
    ck_assert_str_eq(credits_of("Translated from Korean by Kim Lee"), "translator:Kim Lee");
    ck_assert_str_eq(credits_of("Reporting by Jane Doe in Seoul and John Roe in Tokyo; Writing by Kim Lee"),
                     "reporter:Jane Doe|reporter:John Roe|author:Kim Lee");
    ck_assert_str_eq(credits_of("Edited by John Roe and Jane Doe"), "editor:John Roe|editor:Jane Doe");
}
END_TEST

START_TEST(credits_reject_prose)
{
    ck_assert_str_eq(credits_of("By contrast, the company said it would wait."), "");
    ck_assert_str_eq(credits_of("Edited by the board of directors"), "");
    ck_assert_str_eq(credits_of("By 2030 the plan will be complete"), "");
    ck_assert_str_eq(credits_of("Bystanders said they saw the blast"), "");
    ck_assert_str_eq(credits_of("Reporting by"), "");
    ck_assert_str_eq(credits_of("Reporting by Jane Doe; and then the market fell"), "");
    ck_assert_str_eq(credits_of("Seoul, Reuters"), "");
    ck_assert_str_eq(credits_of("Jane Doe is a Reuters correspondent in Seoul."), "");
    ck_assert_str_eq(credits_of("Translated from the original Korean text by hand"), "");
}
END_TEST

Suite *credits_suite(void)
{
    Suite *s = suite_create("credits");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, credits_roles_and_names);
    tcase_add_test(tc, credits_reject_prose);
    suite_add_tcase(s, tc);
    return s;
}

/* ---- related ------------------------------------------------------------ */

static const char *related_of(const char *t)
{
    static char out[1024];
    related_item r[RELATED_MAX_PER_LINE];
    int n = related_parse_line(t, whole(t), r, RELATED_MAX_PER_LINE);
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        size_t len = strlen(out);
        snprintf(out + len, sizeof out - len, "%s%.*s<%.*s>", i ? "|" : "", (int)span_len(r[i].title),
                 t + r[i].title.start, (int)span_len(r[i].url), t + r[i].url.start);
    }
    return out;
}

START_TEST(related_headings)
{
    span rest;
    const char *t = "RELATED STORIES";
    ck_assert(related_heading(t, whole(t), &rest));
    ck_assert(span_empty(rest));
    t = "Read more:";
    ck_assert(related_heading(t, whole(t), &rest));
    t = "See also";
    ck_assert(related_heading(t, whole(t), &rest));
    t = "READ MORE: Markets slide as oil jumps";
    ck_assert(related_heading(t, whole(t), &rest));
    ck_assert_str_eq(t + rest.start, "Markets slide as oil jumps");
    t = "Related coverage \xC2\xBB";
    ck_assert(related_heading(t, whole(t), &rest));
    t = "Relatedly, the company said";
    ck_assert(!related_heading(t, whole(t), &rest));
    t = "Read more about it in the report.";
    ck_assert(!related_heading(t, whole(t), &rest));
}
END_TEST

START_TEST(related_titles_and_artifacts)
{
    ck_assert_str_eq(related_of("Russia fired North Korean missiles into Ukraine, US saysOpens in new window\xC2\xA0]"),
                     "Russia fired North Korean missiles into Ukraine, US says<>");
    ck_assert_str_eq(related_of("Title one Opens in new window ]Title two (opens in a new tab)"),
                     "Title one<>|Title two<>");
    ck_assert_str_eq(related_of("- Markets slide as oil jumps"), "Markets slide as oil jumps<>");
    ck_assert_str_eq(related_of("[Oil jumps](https://example.com/oil)"), "Oil jumps<https://example.com/oil>");
    ck_assert_str_eq(related_of("Oil jumps - https://example.com/oil"), "Oil jumps<https://example.com/oil>");
    ck_assert_str_eq(related_of("https://example.com/oil"), "<https://example.com/oil>");
    ck_assert_str_eq(related_of("\xE2\x80\xA2 Why the summit matters"), "Why the summit matters<>");
    ck_assert_str_eq(related_of("Tokyo, Seoul target arms deal with sanctions"),
                     "Tokyo, Seoul target arms deal with sanctions<>");
}
END_TEST

START_TEST(related_rejects_prose)
{
    ck_assert_str_eq(related_of("Separately, the leaders pledged to bolster cooperation."), "");
    ck_assert_str_eq(related_of("and then the talks resumed"), "");
    ck_assert_str_eq(related_of("Yoon added that Russia's close alignment with North Korea highlighted the "
                                "importance of trilateral security cooperation among South Korea, the "
                                "United States and Japan, as outlined at their summit"),
                     "");
}
END_TEST

Suite *related_suite(void)
{
    Suite *s = suite_create("related");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, related_headings);
    tcase_add_test(tc, related_titles_and_artifacts);
    tcase_add_test(tc, related_rejects_prose);
    suite_add_tcase(s, tc);
    return s;
}

/* ---- time stamps ---------------------------------------------------------- */

/* Parses a line and renders its stamps as "label:YYYY-MM-DD[text]|...". */
static const char *stamps_of(const char *t)
{
    static char out[512];
    stamp_info st[STAMPS_MAX_PER_LINE];
    int n = stamp_parse_line(t, whole(t), st, STAMPS_MAX_PER_LINE);
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        size_t len = strlen(out);
        snprintf(out + len, sizeof out - len, "%s%s:%04d-%02d-%02d[%.*s]", i ? "|" : "",
                 st[i].label ? st[i].label : "-", st[i].date.year, st[i].date.month, st[i].date.day,
                 (int)span_len(st[i].text), t + st[i].text.start);
    }
    return out;
}

START_TEST(stamps_forms)
{
    ck_assert_str_eq(stamps_of("Updated July 11, 2024 at 3:02 p.m. EDT"),
                     "updated:2024-07-11[Updated July 11, 2024 at 3:02 p.m. EDT]");
    ck_assert_str_eq(stamps_of("Published: 11 July 2024"), "published:2024-07-11[Published: 11 July 2024]");
    ck_assert_str_eq(stamps_of("First published on Thu 11 Jul 2024 14.05 BST"),
                     "published:2024-07-11[First published on Thu 11 Jul 2024 14.05 BST]");
    ck_assert_str_eq(stamps_of("Posted Jul. 11, 2024 10:00 am"), "published:2024-07-11[Posted Jul. 11, 2024 10:00 am]");
    ck_assert_str_eq(stamps_of("Last updated: 2024-07-11 14:05 GMT+8"),
                     "updated:2024-07-11[Last updated: 2024-07-11 14:05 GMT+8]");
    ck_assert_str_eq(stamps_of("July 11, 2024"), "-:2024-07-11[July 11, 2024]");
    ck_assert_str_eq(stamps_of("Thursday, July 11, 2024"), "-:2024-07-11[Thursday, July 11, 2024]");
    ck_assert_str_eq(stamps_of("2024-07-11T14:05:00Z"), "-:2024-07-11[2024-07-11T14:05:00Z]");
    ck_assert_str_eq(stamps_of("Date: 11 July 2024"), "-:2024-07-11[Date: 11 July 2024]");
    ck_assert_str_eq(stamps_of("Modified 12 July 2024, 09:15 KST"), "updated:2024-07-12[Modified 12 July 2024, 09:15 KST]");
    /* two on one line */
    ck_assert_str_eq(stamps_of("Published July 11, 2024 | Updated July 12, 2024 at 9:30 a.m."),
                     "published:2024-07-11[Published July 11, 2024]|updated:2024-07-12[Updated July 12, 2024 at 9:30 a.m.]");
    ck_assert_str_eq(stamps_of("Published 11 July 2024 \xE2\x80\x94 Updated 12 July 2024"),
                     "published:2024-07-11[Published 11 July 2024]|updated:2024-07-12[Updated 12 July 2024]");
}
END_TEST

START_TEST(stamps_reject_prose)
{
    ck_assert_str_eq(stamps_of("Updated figures came out on July 11, 2024."), "");
    ck_assert_str_eq(stamps_of("July 11, 2024 was a hot day"), "");
    ck_assert_str_eq(stamps_of("Updated July 11"), ""); /* no year: no anchor */
    ck_assert_str_eq(stamps_of("Published February 30, 2024"), "");
    ck_assert_str_eq(stamps_of("Posted by Jane Doe"), "");
    ck_assert_str_eq(stamps_of("Updated July 11, 2024 | the market fell"), "");
    ck_assert_str_eq(stamps_of(""), "");
}
END_TEST

Suite *stamp_suite(void)
{
    Suite *s = suite_create("stamp");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, stamps_forms);
    tcase_add_test(tc, stamps_reject_prose);
    suite_add_tcase(s, tc);
    return s;
}
