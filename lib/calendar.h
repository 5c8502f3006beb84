/*
 * calendar.h - month names and Gregorian date arithmetic.
 */
#ifndef ENRICH_CALENDAR_H
#define ENRICH_CALENDAR_H

#include <stddef.h>

/* The month named by s[0, n) ("February", "Feb", "Feb.", "Sept."), 1..12,
 * or 0. Case-insensitive. */
int calendar_month(const char *s, size_t n);

/* The month (1-12) of a full month name in Spanish, Portuguese, Italian,
 * French, German, Indonesian or Russian (lower case as written, ASCII
 * letters in any case), else 0. */
int calendar_month_foreign(const char *s, size_t n);

/* The i-th spelling of that table, or NULL past the end. */
const char *calendar_month_foreign_spelling(size_t i);

/* The i-th spelling in the month table (lower case, no period), or NULL
 * past the end. */
const char *calendar_month_spelling(size_t i);

int calendar_is_leap(int year);
int calendar_days_in_month(int year, int month);

/* Days since 1970-01-01 of a proleptic Gregorian date. */
long calendar_days(int year, int month, int day);

/* Parses exactly "YYYY-MM-DD" naming a real date; 0 on success, -1 if not. */
int calendar_parse_iso(const char *s, int *year, int *month, int *day);

/* Moves the date *y-*m-*d by days (negative: back). */
void calendar_add_days(int *y, int *m, int *d, long days);

/* The ISO weekday of a date: Monday 1 .. Sunday 7. */
int calendar_weekday(int y, int m, int d);

/* The ISO week of a date and the year it belongs to. */
void calendar_iso_week(int y, int m, int d, int *wy, int *wk);

#endif
