/*
 * calendar.c - a resource: month names (data/rules/calendar.txt, so adding
 * a spelling is one line) and the Gregorian arithmetic that date
 * resolution needs.
 */
#include "calendar.h"

#include <string.h>

#include "rules.h"
#include "text.h"

/* A month's spelling, its length and its number (data/rules/calendar.txt). */
typedef rules_word_len_value month_name;

/* The month of s[0, n) in table[0, count), letters compared in lower
 * case, else 0. */
static int find_month(const month_name *table, size_t count, const char *s, size_t n)
{
    for (size_t i = 0; i < count; i++) {
        const char *name = table[i].word;
        if (table[i].len != n || ascii_lower((unsigned char)s[0]) != (unsigned char)name[0])
            continue;
        size_t k = 1;
        while (k < n && ascii_lower((unsigned char)s[k]) == (unsigned char)name[k])
            k++;
        if (k == n)
            return table[i].value;
    }
    return 0;
}

int calendar_month(const char *s, size_t n)
{
    if (n > 0 && s[n - 1] == '.')
        n--; /* "Feb." */
    if (n < 3 || n > 9)
        return 0;
    return find_month(rules_calendar_months, RULES_N(rules_calendar_months), s, n);
}

/* Month names of the other languages newsrooms' pages come in, lower
 * case, full forms only (abbreviations collide: Italian "ago"): Spanish,
 * Portuguese, Italian, French, German, Indonesian, and Russian in the
 * genitive ("24 сентября") and the nominative. */

int calendar_month_foreign(const char *s, size_t n)
{
    return n ? find_month(rules_calendar_foreign_months, RULES_N(rules_calendar_foreign_months), s, n) : 0;
}

const char *calendar_month_foreign_spelling(size_t i)
{
    return i < RULES_N(rules_calendar_foreign_months) ? rules_calendar_foreign_months[i].word : NULL;
}

const char *calendar_month_spelling(size_t i)
{
    return i < RULES_N(rules_calendar_months) ? rules_calendar_months[i].word : NULL;
}

int calendar_is_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int calendar_days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    return days[month - 1] + (month == 2 && calendar_is_leap(year));
}

long calendar_days(int year, int month, int day)
{
    /* Howard Hinnant's days_from_civil. */
    long y = year - (month <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long mp = (month + 9) % 12;
    long doy = (153 * mp + 2) / 5 + day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Howard Hinnant's civil_from_days, after adding days. */
void calendar_add_days(int *y, int *m, int *d, long days)
{
    long z = calendar_days(*y, *m, *d) + days + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* ISO weekday of a date, Monday 1 .. Sunday 7. */
int calendar_weekday(int y, int m, int d)
{
    long z = calendar_days(y, m, d); /* 1970-01-01 was a Thursday */
    long w = ((z % 7) + 7 + 3) % 7; /* Monday 0 */
    return (int)w + 1;
}

/* ISO week of a date. */
void calendar_iso_week(int y, int m, int d, int *wy, int *wk)
{
    int wd = calendar_weekday(y, m, d);
    int ty = y, tm = m, td = d;
    calendar_add_days(&ty, &tm, &td, 4 - wd); /* the Thursday of the week */
    *wy = ty;
    *wk = (int)((calendar_days(ty, tm, td) - calendar_days(ty, 1, 1)) / 7 + 1);
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!is_ascii_digit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int calendar_parse_iso(const char *s, int *year, int *month, int *day)
{
    int y, m, d;
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    if (digits(s, 4, &y) || digits(s + 5, 2, &m) || digits(s + 8, 2, &d))
        return -1;
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > calendar_days_in_month(y, m))
        return -1;
    *year = y;
    *month = m;
    *day = d;
    return 0;
}
