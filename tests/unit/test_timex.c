/*
 * test_timex.c - the dates stage, family by family, in sentences written
 * for these tests, against a reference date.
 */
#include "timex.h"
#include "unit.h"

/* "text=value|text=value" of the dates found in t. */
static const char *dates_of(const char *t, const char *ref)
{
    static char out[1024];
    enrich_doc *doc = annotate(t, ref);
    out[0] = '\0';
    for (uint32_t i = 0; i < doc->dates.n; i++) {
        const timex *x = &doc->dates.v[i];
        size_t len = strlen(out);
        snprintf(out + len, sizeof out - len, "%s%.*s=%s:%s", i ? "|" : "", (int)span_len(x->s),
                 doc->text + x->s.start, timex_type_name((timex_type)x->type), x->value);
    }
    enrich_doc_free(doc);
    return out;
}

START_TEST(timex_calendar_dates)
{
    ck_assert_str_eq(dates_of("The deal closed on Sept. 30, 1989, officials said.", "1989-11-02"),
                     "Sept. 30, 1989=DATE:1989-09-30");
    ck_assert_str_eq(dates_of("Talks resumed on July 10 in Geneva.", "2024-07-11"), "July 10=DATE:2024-07-10");
    ck_assert_str_eq(dates_of("The plant opened in August 2023 near Seoul.", "2024-07-11"),
                     "August 2023=DATE:2023-08");
    /* the nearest year: December read in January is last December */
    ck_assert_str_eq(dates_of("Sales fell in December, the company said.", "1998-01-08"),
                     "December=DATE:1997-12");
    ck_assert_str_eq(dates_of("Prices rose last May and again in early March.", "1998-03-05"),
                     "last May=DATE:1997-05|early March=DATE:1998-03");
    ck_assert_str_eq(dates_of("Output peaked in June last year.", "1998-03-05"), "June last year=DATE:1997-06");
    ck_assert_str_eq(dates_of("The report came out on 2 March 2024.", NULL), "2 March 2024=DATE:2024-03-02");
    /* years in words, as broadcast transcripts write them */
    ck_assert_str_eq(dates_of("Atlanta, nineteen ninety-six: a bomb shocks the games.", "1998-02-27"),
                     "nineteen ninety-six=DATE:1996");
    ck_assert_str_eq(dates_of("In January nineteen ninety-seven a clinic was hit.", "1998-02-27"),
                     "January nineteen ninety-seven=DATE:1997-01");
    ck_assert_str_eq(dates_of("Computers may fail in the year two thousand.", "1998-02-27"),
                     "the year two thousand=DATE:2000");
    ck_assert_str_eq(dates_of("Two thousand people marched.", "1998-02-27"), "");
    /* a verb is no month */
    ck_assert_str_eq(dates_of("Officials may march on the capital.", "2024-07-11"), "");
    /* a day range is its first day; the span ends there unless a year follows */
    ck_assert_str_eq(dates_of("The finals run Oct. 5\u20137 in Gladstone.", "2018-09-01"), "Oct. 5=DATE:2018-10-05");
    ck_assert_str_eq(dates_of("The show runs Oct. 11-21, 2018, in Harrisburg.", "2018-09-01"),
                     "Oct. 11-21, 2018=DATE:2018-10-11");
    /* dates in numbers: ISO, day first with dots, the order nearer the reference when both fit */
    ck_assert_str_eq(dates_of("It went on sale on 2019-11-19 in Europe.", "2019-11-20"),
                     "2019-11-19=DATE:2019-11-19");
    ck_assert_str_eq(dates_of("Posted 18.11.2019 and 27/09/2018 and 05/10/2019.", "2019-10-07"),
                     "18.11.2019=DATE:2019-11-18|27/09/2018=DATE:2018-09-27|05/10/2019=DATE:2019-10-05");
    ck_assert_str_eq(dates_of("Version 1.2.3 costs 6.13 euros, 31/31/2019 is none.", "2019-10-07"), "");
    /* seasons with a year, a month "of" a year */
    ck_assert_str_eq(dates_of("Launch is set for summer 2020, not the fall of 2021.", "2019-10-07"),
                     "summer 2020=DATE:2020-SU|the fall of 2021=DATE:2021-FA");
    ck_assert_str_eq(dates_of("He left in October of 2006.", "2019-10-07"), "October of 2006=DATE:2006-10");
    ck_assert_str_eq(dates_of("Sales fell in the first half of 2020.", "2019-10-07"),
                     "the first half of 2020=DATE:2020-H1");
    /* a list of dates under a heading that names the year takes it */
    ck_assert_str_eq(dates_of("Band sets tour\n\nThe band has set its tour.\n\nTour 2020 dates:\n\n"
                              "June 10 -- Tampa, FL\nJune 14 -- Atlanta, GA\n\nPast dates:\n\nJune 2 -- Miami, FL\n",
                              "2019-11-19"),
                     "2020=DATE:2020|June 10=DATE:2020-06-10|June 14=DATE:2020-06-14|June 2=DATE:2019-06-02");
    /* centuries, decades with "mid-", the day "of" a month, an ISO time stamp's date */
    ck_assert_str_eq(dates_of("Built in the 14th century, a 14th-century wall, the 1300s and the mid-1950s.", "2019-11-19"),
                     "the 14th century=DATE:13|14th-century=DATE:13|the 1300s=DATE:13|the mid-1950s=DATE:195");
    ck_assert_str_eq(dates_of("Open on the 3rd of May, posted 2019-11-18T23:30:00Z.", "2019-11-19"),
                     "3rd of May=DATE:2019-05-03|2019-11-18T23:30:00Z=DATE:2019-11-18");
    /* "last November" in November is a year back, "next November" a year on; "late-September" */
    ck_assert_str_eq(dates_of("Sales fell last November. They fell in late-September. They will rise next November.", "2019-11-19"),
                     "last November=DATE:2018-11|late-September=DATE:2019-09|next November=DATE:2020-11");
    /* months of other languages, with their day or year; "Mars 2020" is none */
    ck_assert_str_eq(dates_of("Foi em 22 de outubro de 2010, em Mai 2017, 24 \xD1\x81\xD0\xB5\xD0\xBD\xD1\x82\xD1\x8F"
                              "\xD0\xB1\xD1\x80\xD1\x8F 2018 e Maret 30, 2015; Mars 2020 launched.", "2019-11-19"),
                     "22 de outubro de 2010=DATE:2010-10-22|Mai 2017=DATE:2017-05|24 \xD1\x81\xD0\xB5\xD0\xBD\xD1"
                     "\x82\xD1\x8F\xD0\xB1\xD1\x80\xD1\x8F 2018=DATE:2018-09-24|Maret 30, 2015=DATE:2015-03-30|2020=DATE:2020");
    /* a score is no range: the second number is smaller */
    ck_assert_str_eq(dates_of("They won on May 3-2 in the end.", "2018-09-01"), "May=DATE:2018-05");
}
END_TEST

START_TEST(timex_weekdays_and_tense)
{
    /* 2024-07-11 is a Thursday */
    ck_assert_str_eq(dates_of("NATO leaders met in Washington on Wednesday.", "2024-07-11"),
                     "Wednesday=DATE:2024-07-10");
    ck_assert_str_eq(dates_of("The leaders will meet again on Monday.", "2024-07-11"), "Monday=DATE:2024-07-15");
    ck_assert_str_eq(dates_of("Police were called on Friday night.", "2024-07-11"),
                     "Friday night=TIME:2024-07-05TNI");
    ck_assert_str_eq(dates_of("The vote is at 10 p.m. Wednesday.", "2024-07-11"),
                     "10 p.m. Wednesday=TIME:2024-07-10T22:00");
    ck_assert_str_eq(dates_of("It happened on Thursday.", "2024-07-11"), "Thursday=DATE:2024-07-11");
    /* no tense: the nearer one, tomorrow rather than six days back */
    ck_assert_str_eq(dates_of("Launch day is Friday.", "2024-07-11"), "Friday=DATE:2024-07-12");
    ck_assert_str_eq(dates_of("Launch day is Monday.", "2024-07-11"), "Monday=DATE:2024-07-08");
    ck_assert_str_eq(dates_of("They met on Wednesday.", NULL), "Wednesday=DATE:XXXX-WXX-3");
}
END_TEST

/* The nearest tense cue decides a bare weekday or month, read outward from
 * the expression; passives, "was expected" and possessives are handled. */
START_TEST(timex_tense_cues)
{
    /* 2024-07-11 is a Thursday */
    ck_assert_str_eq(dates_of("The union is set to resume talks with the company on Monday.", "2024-07-11"),
                     "Monday=DATE:2024-07-15");
    ck_assert_str_eq(dates_of("Protesters were planning to march through the city on Saturday.", "2024-07-11"),
                     "Saturday=DATE:2024-07-13");
    ck_assert_str_eq(dates_of("The ceremony would still be held in the capital on Saturday.", "2024-07-11"),
                     "Saturday=DATE:2024-07-13");
    ck_assert_str_eq(dates_of("The airline said it will resume flights to the island Monday.", "2024-07-11"),
                     "Monday=DATE:2024-07-15");
    ck_assert_str_eq(dates_of("Investors will study Monday's ruling closely.", "2024-07-11"),
                     "Monday=DATE:2024-07-08");
    ck_assert_str_eq(dates_of("A gunman shot two guards at the border on Tuesday, police said.", "2024-07-11"),
                     "Tuesday=DATE:2024-07-09");
    ck_assert_str_eq(dates_of("The blast next to the embassy on Friday killed 12 people.", "2024-07-11"),
                     "Friday=DATE:2024-07-05");
    /* news writes coming events in the present */
    ck_assert_str_eq(dates_of("Talks resume in Geneva on Monday.", "2024-07-11"), "Monday=DATE:2024-07-15");
    ck_assert_str_eq(dates_of("The prime minister visits Seoul on Saturday.", "2024-07-11"),
                     "Saturday=DATE:2024-07-13");
    /* months: after the reference in a future sentence, before it in a
     * past one, else the nearest */
    ck_assert_str_eq(dates_of("The dividend is payable Jan. 2 to holders of record.", "1989-11-02"),
                     "Jan. 2=DATE:1990-01-02");
    ck_assert_str_eq(dates_of("The doctor was shot on Oct. 23 at his home.", "1999-05-05"),
                     "Oct. 23=DATE:1998-10-23");
    ck_assert_str_eq(dates_of("She will command a shuttle mission in December.", "1998-03-04"),
                     "December=DATE:1998-12");
    ck_assert_str_eq(dates_of("The board will meet on Nov. 16 to vote.", "1989-10-27"),
                     "Nov. 16=DATE:1989-11-16");
    ck_assert_str_eq(dates_of("The funds were transferred in Nov. 20 filings.", "1989-10-27"),
                     "Nov. 20=DATE:1989-11-20");
}
END_TEST

START_TEST(timex_relative_and_references)
{
    ck_assert_str_eq(dates_of("Shares rose today but fell yesterday.", "2024-03-01"),
                     "today=DATE:2024-03-01|yesterday=DATE:2024-02-29");
    ck_assert_str_eq(dates_of("The company is now profitable.", "2024-03-01"), "now=DATE:PRESENT_REF");
    ck_assert_str_eq(dates_of("Profit fell last year and rose this month.", "2024-03-01"),
                     "last year=DATE:2023|this month=DATE:2024-03");
    ck_assert_str_eq(dates_of("Talks start next week.", "2024-03-01"), "next week=DATE:2024-W10");
    ck_assert_str_eq(dates_of("It opened two years ago.", "2024-03-01"), "two years ago=DATE:2022");
    ck_assert_str_eq(dates_of("Sales rose earlier this year.", "2024-03-01"), "earlier this year=DATE:2024");
    ck_assert_str_eq(dates_of("Growth slowed in the late 1970s and the 1990s.", "2024-03-01"),
                     "the late 1970s=DATE:197|the 1990s=DATE:199");
    ck_assert_str_eq(dates_of("Snow fell last winter.", "2024-03-01"), "last winter=DATE:2023-WI");
    /* a part of the day after yesterday or tomorrow; am and pm written on */
    ck_assert_str_eq(dates_of("It fell yesterday evening and opens tomorrow morning at 4:20am, not 8:22PM.", "2024-03-01"),
                     "yesterday evening=TIME:2024-02-29TEV|tomorrow morning=TIME:2024-03-02TMO|"
                     "4:20am=TIME:2024-03-01T04:20|8:22PM=TIME:2024-03-01T20:22");
}
END_TEST

START_TEST(timex_holidays_and_named_weekdays)
{
    /* Thanksgiving 1998 was Thursday, November 26 */
    ck_assert_str_eq(dates_of("Stores opened on Thanksgiving Day.", "1998-12-01"),
                     "Thanksgiving Day=DATE:1998-11-26");
    ck_assert_str_eq(dates_of("Markets close for Christmas.", "1998-12-01"), "Christmas=DATE:1998-12-25");
    /* 2024-07-11 is a Thursday: last Thursday is a week back */
    ck_assert_str_eq(dates_of("He spoke last Thursday and left last Friday.", "2024-07-11"),
                     "last Thursday=DATE:2024-07-04|last Friday=DATE:2024-07-05");
    ck_assert_str_eq(dates_of("They meet next Thursday.", "2024-07-11"), "next Thursday=DATE:2024-07-18");
    ck_assert_str_eq(dates_of("Rates rose in mid-November.", "1998-12-01"), "mid-November=DATE:1998-11");
    ck_assert_str_eq(dates_of("Third-quarter sales beat year-earlier levels.", "1989-11-02"),
                     "Third-quarter=DATE:1989-Q3|year-earlier=DATE:1988-Q3");
}
END_TEST

START_TEST(timex_iso_weeks_at_year_ends)
{
    /* 2008-12-29 is in 2009-W01; 2010-01-03 is in 2009-W53 */
    ck_assert_str_eq(dates_of("Talks resume this week.", "2008-12-29"), "this week=DATE:2009-W01");
    ck_assert_str_eq(dates_of("Talks resumed this week.", "2010-01-03"), "this week=DATE:2009-W53");
}
END_TEST

START_TEST(timex_durations_and_sets)
{
    ck_assert_str_eq(dates_of("The strike lasted three weeks.", "2024-03-01"), "three weeks=DURATION:P3W");
    ck_assert_str_eq(dates_of("Profit doubled over the past five years.", "2024-03-01"),
                     "the past five years=DURATION:P5Y");
    ck_assert_str_eq(dates_of("The 16-hour flight landed.", "2024-03-01"), "16-hour=DURATION:PT16H");
    ck_assert_str_eq(dates_of("They waited more than four hours.", "2024-03-01"),
                     "more than four hours=DURATION:PT4H");
    ck_assert_str_eq(dates_of("It took a decade.", "2024-03-01"), "a decade=DURATION:P10Y");
    ck_assert_str_eq(dates_of("The paper appears daily and meets every Monday.", "2024-03-01"),
                     "daily=SET:P1D|every Monday=SET:XXXX-WXX-1");
    /* a rate is no duration; an age is no date */
    ck_assert_str_eq(dates_of("It costs $5 a year.", "2024-03-01"), "");
    ck_assert_str_eq(dates_of("The 52-year-old chairman resigned.", "2024-03-01"), "");
}
END_TEST

START_TEST(timex_recall_families)
{
    /* a year or a decade with its century left out, nearest before the reference */
    ck_assert_str_eq(dates_of("It was founded in '58 and boomed in the '80s.", "2024-07-11"),
                     "'58=DATE:1958|the '80s=DATE:198");
    ck_assert_str_eq(dates_of("He said '21 was good.", "2024-07-11"), "'21=DATE:2021");
    /* quoting with two apostrophes, and a title with a unit, are no years */
    ck_assert_str_eq(dates_of("He said on CBS's ''60 Minutes.''", "2024-07-11"), "");
    ck_assert_str_eq(dates_of("Profits rose this fiscal year.", "2024-07-11"), "this fiscal year=DATE:2024");
    ck_assert_str_eq(dates_of("In fiscal year 1990 sales fell.", "2024-07-11"), "fiscal year 1990=DATE:1990");
    ck_assert_str_eq(dates_of("He jogs every morning; each summer they travel.", "2024-07-11"),
                     "every morning=SET:XXXX-XX-XXTMO|each summer=SET:XXXX-SU");
    ck_assert_str_eq(dates_of("At the time, nobody objected.", "2024-07-11"), "At the time=DATE:PAST_REF");
    ck_assert_str_eq(dates_of("At the time of the attack he slept.", "2024-07-11"), "");
    ck_assert_str_eq(dates_of("She won in 2:03:59 at 10:30:00 a.m.", "2024-07-11"),
                     "2:03:59=DURATION:PT2H3M59S");
    /* a run of digits too long for a clock is none, and overflows nothing
     * (found by the fuzzer: UBSan stops the test run on a signed overflow) */
    ck_assert_str_eq(dates_of("It ran 3:44444444444444444402 and 2:59:4444444444444444444.", "2024-07-11"), "");
    /* halves, words between the number and its unit, ages, bare units */
    ck_assert_str_eq(dates_of("He stayed 2 1/2 years and waited 5 1/2 hours.", "2024-07-11"),
                     "2 1/2 years=DURATION:P2Y6M|5 1/2 hours=DURATION:PT5H30M");
    ck_assert_str_eq(dates_of("Stay two more weeks; eight trading days passed.", "2024-07-11"),
                     "two more weeks=DURATION:P2W|eight trading days=DURATION:P8D");
    ck_assert_str_eq(dates_of("It will change for a couple of years.", "2024-07-11"),
                     "a couple of years=DURATION:P2Y");
    ck_assert_str_eq(dates_of("Mr. Smith, 52 years old, quit.", "2024-07-11"), "");
    ck_assert_str_eq(dates_of("Troops came within weeks. Months ago it failed.", "2024-07-11"),
                     "weeks=DURATION:PXW|Months ago=DATE:PAST_REF");
    ck_assert_str_eq(dates_of("In the near future, and these days, prices fall.", "2024-07-11"),
                     "the near future=DATE:FUTURE_REF|these days=DATE:PRESENT_REF");
    ck_assert_str_eq(dates_of("At year-end assets rose, as in the nineties.", "2024-07-11"),
                     "year-end=DATE:2024|the nineties=DATE:199");
    /* no dates: a man named Jan, an ordinal, rates */
    ck_assert_str_eq(dates_of("Minister Jan Kavan spoke; a second group came.", "2024-07-11"), "");
    ck_assert_str_eq(dates_of("Four flights a week; $500 million a year in costs.", "2024-07-11"), "");
    /* what business copy writes after a date, and ranges */
    ck_assert_str_eq(dates_of("Profit fell in the 1988 second quarter and the 1989 period.", "1989-11-02"),
                     "the 1988 second quarter=DATE:1988-Q2|the 1989 period=DATE:1989");
    ck_assert_str_eq(dates_of("This year's second quarter was weak for the next year or so.", "1989-11-02"),
                     "This year's second quarter=DATE:1989-Q2|the next year or so=DATE:1990");
    ck_assert_str_eq(dates_of("It takes two to three weeks.", "1989-11-02"), "two to three weeks=DURATION:P3W");
    ck_assert_str_eq(dates_of("Net rose in the year ended March 31, as the year before.", "1989-11-02"),
                     "the year=DURATION:P1Y|March 31=DATE:1989-03-31");
    ck_assert_str_eq(dates_of("Iraq imports about three-quarters of its food.", "1989-11-02"), "");
    /* "that year": the latest year named before it; "last night" yesterday's */
    ck_assert_str_eq(dates_of("Sales fell in 1988. That year was bad. Last night it rained.", "1989-11-02"),
                     "1988=DATE:1988|That year=DATE:1988|Last night=TIME:1989-11-01TNI");
    ck_assert_str_eq(dates_of("That year was bad.", "1989-11-02"), "");
    ck_assert_str_eq(dates_of("He woke at 4 in the morning on Tuesday nights.", "1989-11-02"),
                     "4 in the morning=TIME:1989-11-02T04:00|Tuesday nights=TIME:1989-10-31TNI");
    ck_assert_str_eq(dates_of("This past spring it rained.", "1989-11-02"), "This past spring=DATE:1989-SP");
    /* "about" and "almost" stay out of the extent */
    ck_assert_str_eq(dates_of("It took about three weeks.", "1989-11-02"), "three weeks=DURATION:P3W");
    ck_assert_str_eq(dates_of("It lost money for several quarters of the decade.", "1989-11-02"),
                     "several quarters=DURATION:PXM");
    ck_assert_str_eq(dates_of("Sales fell on Jan 5 and in Jan 2020.", "2024-07-11"),
                     "Jan 5=DATE:2024-01-05|Jan 2020=DATE:2020-01");
}
END_TEST

START_TEST(timex_business_quarters)
{
    /* reference in the fourth quarter of 1989 */
    ck_assert_str_eq(dates_of("Net income rose in the third quarter.", "1989-11-02"),
                     "the third quarter=DATE:1989-Q3");
    ck_assert_str_eq(dates_of("The third-quarter loss widened.", "1989-11-02"), "third-quarter=DATE:1989-Q3");
    ck_assert_str_eq(dates_of("Earnings rose 5% in the quarter.", "1989-11-02"), "the quarter=DATE:1989-Q3");
    ck_assert_str_eq(dates_of("Third-quarter profit rose from a year earlier.", "1989-11-02"),
                     "Third-quarter=DATE:1989-Q3|a year earlier=DATE:1988-Q3");
    ck_assert_str_eq(dates_of("Revenue fell in the first nine months.", "1989-11-02"),
                     "the first nine months=DURATION:P9M");
    /* the quarter named in an earlier sentence anchors "a year earlier" */
    ck_assert_str_eq(dates_of("Profit rose in the third quarter. A year earlier, it fell.", "1989-11-02"),
                     "the third quarter=DATE:1989-Q3|A year earlier=DATE:1988-Q3");
    /* 1990-08-14 was a Tuesday: the weekend just past is in week 32 */
    ck_assert_str_eq(dates_of("Fighting eased over the weekend.", "1990-08-14"), "the weekend=DATE:1990-W32-WE");
}
END_TEST

/* Without a request date, the story's own date anchors it: a time stamp
 * line, "Published" first, else a dateline with its year. */
/* Long runs of digits where a day or an hour may stand are no day, no hour,
 * and no overflow (a fuzzer's find). */
START_TEST(timex_long_digit_runs)
{
    ck_assert_str_eq(dates_of("It happened on 7777777777th March and at 7777777777:30 pm.", "2024-03-06"), "March=DATE:2024-03");
    const char *stamp = "Published July 77777777777777777777 - the text goes on.";
    enrich_doc *doc = annotate(stamp, "2024-03-06");
    ck_assert_ptr_nonnull(doc);
    enrich_doc_free(doc);
}
END_TEST

START_TEST(timex_story_anchors)
{
    const char *stamped = "NATO meets\n\nBy Jane Doe\nUpdated July 12, 2024 | Published July 11, 2024\n\n"
                          "NATO leaders met on Wednesday.\n";
    enrich_doc *doc = annotate(stamped, NULL);
    ck_assert_str_eq(doc->ref_source, "timestamp");
    ck_assert_int_eq(doc->ref_year * 10000 + doc->ref_month * 100 + doc->ref_day, 20240711);
    ck_assert_uint_eq(doc->stamps.n, 2);
    ck_assert_uint_eq(doc->warnings.n, 0);
    enrich_doc_free(doc);
    /* the time stamps' own dates count too */
    ck_assert_str_eq(dates_of(stamped, NULL),
                     "July 12, 2024=DATE:2024-07-12|July 11, 2024=DATE:2024-07-11|Wednesday=DATE:2024-07-10");
    /* the request's date wins */
    doc = annotate(stamped, "2024-07-20");
    ck_assert_str_eq(doc->ref_source, "request");
    ck_assert_int_eq(doc->ref_day, 20);
    enrich_doc_free(doc);
    /* a dateline with its year */
    doc = annotate("SEOUL, July 11, 2024 (Reuters) - Talks resumed on Monday.", NULL);
    ck_assert_str_eq(doc->ref_source, "dateline");
    ck_assert_uint_eq(doc->dates.n, 2); /* the dateline's date, Monday */
    ck_assert_str_eq(doc->dates.v[1].value, "2024-07-08");
    enrich_doc_free(doc);
    /* neither: a warning, values unresolved */
    doc = annotate("SEOUL, July 11 (Reuters) - Talks resumed on Monday.", NULL);
    ck_assert_ptr_null(doc->ref_source);
    ck_assert_uint_eq(doc->warnings.n, 1);
    ck_assert_str_eq(doc->warnings.v[0].code, "no_reference_date");
    ck_assert_str_eq(doc->dates.v[0].value, "XXXX-07-11");
    ck_assert_str_eq(doc->dates.v[1].value, "XXXX-WXX-1");
    ck_assert_int_eq(doc->dateline.date.resolved_year, 0);
    enrich_doc_free(doc);
}
END_TEST

/* The dateline's date goes through the dates stage: the day the story was
 * filed, on or before the reference date. */
START_TEST(timex_dateline_dates)
{
    enrich_doc *doc = annotate("NEW YORK, Dec 30 - Stocks fell.", "2025-01-02");
    ck_assert_int_eq(doc->dateline.date.resolved_year, 2024);
    enrich_doc_free(doc);
    doc = annotate("NEW YORK, Jan 3 - Stocks fell.", "2025-01-02"); /* a day ahead: time zones */
    ck_assert_int_eq(doc->dateline.date.resolved_year, 2025);
    enrich_doc_free(doc);
    doc = annotate("SANTA CRUZ, Calif., Feb 26 - Sales rose.", "1987-02-26");
    ck_assert_int_eq(doc->dateline.date.resolved_year, 1987);
    enrich_doc_free(doc);
    doc = annotate("LONDON, 30 June 2023 - Rates rose.", "2024-07-11"); /* its own year */
    ck_assert_int_eq(doc->dateline.date.resolved_year, 2023);
    enrich_doc_free(doc);
}
END_TEST

START_TEST(timex_not_in_related_or_credits_and_spans_exact)
{
    const char *t = "Markets rise\n\nStocks rose on Monday.\n\nRELATED STORIES\n\n"
                    "Shares slid on Friday as oil jumpedOpens in new window\xC2\xA0]\n\nReporting by Ann Lee in Seoul; Editing by Bo Chan\n";
    ck_assert_str_eq(dates_of(t, "2024-03-06"), "Monday=DATE:2024-03-04");
    /* offsets are the text's, in every unit */
    enrich_doc *doc = annotate("\xF0\x9F\x98\x80 On Monday, \xC3\xA9t\xC3\xA9 began.", "2024-03-06");
    ck_assert_uint_eq(doc->dates.n, 1);
    ck_assert_uint_eq(doc->dates.v[0].s.start, 8);
    enrich_doc_free(doc);
}
END_TEST

Suite *timex_suite(void)
{
    Suite *s = suite_create("timex");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, timex_calendar_dates);
    tcase_add_test(tc, timex_weekdays_and_tense);
    tcase_add_test(tc, timex_tense_cues);
    tcase_add_test(tc, timex_long_digit_runs);
    tcase_add_test(tc, timex_story_anchors);
    tcase_add_test(tc, timex_dateline_dates);
    tcase_add_test(tc, timex_relative_and_references);
    tcase_add_test(tc, timex_holidays_and_named_weekdays);
    tcase_add_test(tc, timex_iso_weeks_at_year_ends);
    tcase_add_test(tc, timex_durations_and_sets);
    tcase_add_test(tc, timex_recall_families);
    tcase_add_test(tc, timex_business_quarters);
    tcase_add_test(tc, timex_not_in_related_or_credits_and_spans_exact);
    suite_add_tcase(s, tc);
    return s;
}
