/*
 * calendar.c - a resource: month names (a table, so adding a spelling is
 * one line) and the Gregorian arithmetic that date resolution needs.
 */
#include "calendar.h"

#include <string.h>

#include "text.h"

static const struct {
    const char *name;
    int month;
} month_names[] = {
    {"january", 1},  {"jan", 1},  {"february", 2}, {"feb", 2},  {"march", 3},
    {"mar", 3},      {"april", 4}, {"apr", 4},     {"may", 5},  {"june", 6},
    {"jun", 6},      {"july", 7},  {"jul", 7},     {"august", 8}, {"aug", 8},
    {"september", 9}, {"sept", 9}, {"sep", 9},     {"october", 10}, {"oct", 10},
    {"november", 11}, {"nov", 11}, {"december", 12}, {"dec", 12},
};

int calendar_month(const char *s, size_t n)
{
    if (n > 0 && s[n - 1] == '.')
        n--; /* "Feb." */
    if (n < 3 || n > 9)
        return 0;
    for (size_t i = 0; i < sizeof month_names / sizeof month_names[0]; i++) {
        const char *name = month_names[i].name;
        if (strlen(name) != n)
            continue;
        size_t k = 0;
        while (k < n && ascii_lower((unsigned char)s[k]) == name[k])
            k++;
        if (k == n)
            return month_names[i].month;
    }
    return 0;
}

/* Month names of the other languages newsrooms' pages come in, lower
 * case, full forms only (abbreviations collide: Italian "ago"): Spanish,
 * Portuguese, Italian, French, German, Indonesian, and Russian in the
 * genitive ("24 сентября") and the nominative. */
static const struct {
    const char *name;
    int month;
} foreign_months[] = {
    {"enero", 1}, {"febrero", 2}, {"marzo", 3}, {"abril", 4}, {"mayo", 5}, {"junio", 6}, {"julio", 7},
    {"agosto", 8}, {"septiembre", 9}, {"setiembre", 9}, {"octubre", 10}, {"noviembre", 11}, {"diciembre", 12},
    {"janeiro", 1}, {"fevereiro", 2}, {"mar\xC3\xA7o", 3}, {"maio", 5}, {"junho", 6}, {"julho", 7},
    {"setembro", 9}, {"outubro", 10}, {"novembro", 11}, {"dezembro", 12},
    {"gennaio", 1}, {"febbraio", 2}, {"aprile", 4}, {"maggio", 5}, {"giugno", 6}, {"luglio", 7},
    {"settembre", 9}, {"ottobre", 10}, {"dicembre", 12},
    {"janvier", 1}, {"f\xC3\xA9vrier", 2}, {"mars", 3}, {"avril", 4}, {"mai", 5}, {"juin", 6}, {"juillet", 7},
    {"ao\xC3\xBBt", 8}, {"septembre", 9}, {"octobre", 10}, {"d\xC3\xA9\x63\x65mbre", 12},
    {"januar", 1}, {"j\xC3\xA4nner", 1}, {"februar", 2}, {"m\xC3\xA4rz", 3}, {"juni", 6}, {"juli", 7},
    {"oktober", 10}, {"dezember", 12},
    {"januari", 1}, {"februari", 2}, {"maret", 3}, {"mei", 5}, {"agustus", 8}, {"desember", 12},
    {"\xD1\x8F\xD0\xBD\xD0\xB2\xD0\xB0\xD1\x80\xD1\x8F", 1},
    {"\xD1\x84\xD0\xB5\xD0\xB2\xD1\x80\xD0\xB0\xD0\xBB\xD1\x8F", 2},
    {"\xD0\xBC\xD0\xB0\xD1\x80\xD1\x82\xD0\xB0", 3},
    {"\xD0\xB0\xD0\xBF\xD1\x80\xD0\xB5\xD0\xBB\xD1\x8F", 4},
    {"\xD0\xBC\xD0\xB0\xD1\x8F", 5},
    {"\xD0\xB8\xD1\x8E\xD0\xBD\xD1\x8F", 6},
    {"\xD0\xB8\xD1\x8E\xD0\xBB\xD1\x8F", 7},
    {"\xD0\xB0\xD0\xB2\xD0\xB3\xD1\x83\xD1\x81\xD1\x82\xD0\xB0", 8},
    {"\xD1\x81\xD0\xB5\xD0\xBD\xD1\x82\xD1\x8F\xD0\xB1\xD1\x80\xD1\x8F", 9},
    {"\xD0\xBE\xD0\xBA\xD1\x82\xD1\x8F\xD0\xB1\xD1\x80\xD1\x8F", 10},
    {"\xD0\xBD\xD0\xBE\xD1\x8F\xD0\xB1\xD1\x80\xD1\x8F", 11},
    {"\xD0\xB4\xD0\xB5\xD0\xBA\xD0\xB0\xD0\xB1\xD1\x80\xD1\x8F", 12},
};

int calendar_month_foreign(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof foreign_months / sizeof foreign_months[0]; i++) {
        const char *name = foreign_months[i].name;
        if (strlen(name) != n)
            continue;
        size_t k = 0;
        while (k < n && ascii_lower((unsigned char)s[k]) == (unsigned char)name[k])
            k++;
        if (k == n)
            return foreign_months[i].month;
    }
    return 0;
}

const char *calendar_month_foreign_spelling(size_t i)
{
    return i < sizeof foreign_months / sizeof foreign_months[0] ? foreign_months[i].name : NULL;
}

const char *calendar_month_spelling(size_t i)
{
    return i < sizeof month_names / sizeof month_names[0] ? month_names[i].name : NULL;
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
