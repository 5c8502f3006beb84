/*
 * calendar.c - a resource: month names (a table, so adding a spelling is
 * one line) and the Gregorian arithmetic that date resolution needs.
 */
#include "calendar.h"

#include <string.h>

#include "text.h"

/* A month's spelling, its length and its number. */
typedef struct month_name {
    const char *name;
    size_t len;
    int month;
} month_name;

#define M(s) s, sizeof s - 1
static const month_name month_names[] = {
    {M("january"), 1},  {M("jan"), 1},  {M("february"), 2}, {M("feb"), 2},  {M("march"), 3},
    {M("mar"), 3},      {M("april"), 4}, {M("apr"), 4},     {M("may"), 5},  {M("june"), 6},
    {M("jun"), 6},      {M("july"), 7},  {M("jul"), 7},     {M("august"), 8}, {M("aug"), 8},
    {M("september"), 9}, {M("sept"), 9}, {M("sep"), 9},     {M("october"), 10}, {M("oct"), 10},
    {M("november"), 11}, {M("nov"), 11}, {M("december"), 12}, {M("dec"), 12},
};

/* The month of s[0, n) in table[0, count), letters compared in lower
 * case, else 0. */
static int find_month(const month_name *table, size_t count, const char *s, size_t n)
{
    for (size_t i = 0; i < count; i++) {
        const char *name = table[i].name;
        if (table[i].len != n || ascii_lower((unsigned char)s[0]) != (unsigned char)name[0])
            continue;
        size_t k = 1;
        while (k < n && ascii_lower((unsigned char)s[k]) == (unsigned char)name[k])
            k++;
        if (k == n)
            return table[i].month;
    }
    return 0;
}

int calendar_month(const char *s, size_t n)
{
    if (n > 0 && s[n - 1] == '.')
        n--; /* "Feb." */
    if (n < 3 || n > 9)
        return 0;
    return find_month(month_names, sizeof month_names / sizeof month_names[0], s, n);
}

/* Month names of the other languages newsrooms' pages come in, lower
 * case, full forms only (abbreviations collide: Italian "ago"): Spanish,
 * Portuguese, Italian, French, German, Indonesian, and Russian in the
 * genitive ("24 сентября") and the nominative. */
static const month_name foreign_months[] = {
    {M("enero"), 1}, {M("febrero"), 2}, {M("marzo"), 3}, {M("abril"), 4}, {M("mayo"), 5}, {M("junio"), 6}, {M("julio"), 7},
    {M("agosto"), 8}, {M("septiembre"), 9}, {M("setiembre"), 9}, {M("octubre"), 10}, {M("noviembre"), 11}, {M("diciembre"), 12},
    {M("janeiro"), 1}, {M("fevereiro"), 2}, {M("mar\xC3\xA7o"), 3}, {M("maio"), 5}, {M("junho"), 6}, {M("julho"), 7},
    {M("setembro"), 9}, {M("outubro"), 10}, {M("novembro"), 11}, {M("dezembro"), 12},
    {M("gennaio"), 1}, {M("febbraio"), 2}, {M("aprile"), 4}, {M("maggio"), 5}, {M("giugno"), 6}, {M("luglio"), 7},
    {M("settembre"), 9}, {M("ottobre"), 10}, {M("dicembre"), 12},
    {M("janvier"), 1}, {M("f\xC3\xA9vrier"), 2}, {M("mars"), 3}, {M("avril"), 4}, {M("mai"), 5}, {M("juin"), 6}, {M("juillet"), 7},
    {M("ao\xC3\xBBt"), 8}, {M("septembre"), 9}, {M("octobre"), 10}, {M("d\xC3\xA9\x63\x65mbre"), 12},
    {M("januar"), 1}, {M("j\xC3\xA4nner"), 1}, {M("februar"), 2}, {M("m\xC3\xA4rz"), 3}, {M("juni"), 6}, {M("juli"), 7},
    {M("oktober"), 10}, {M("dezember"), 12},
    {M("januari"), 1}, {M("februari"), 2}, {M("maret"), 3}, {M("mei"), 5}, {M("agustus"), 8}, {M("desember"), 12},
    {M("\xD1\x8F\xD0\xBD\xD0\xB2\xD0\xB0\xD1\x80\xD1\x8F"), 1},
    {M("\xD1\x84\xD0\xB5\xD0\xB2\xD1\x80\xD0\xB0\xD0\xBB\xD1\x8F"), 2},
    {M("\xD0\xBC\xD0\xB0\xD1\x80\xD1\x82\xD0\xB0"), 3},
    {M("\xD0\xB0\xD0\xBF\xD1\x80\xD0\xB5\xD0\xBB\xD1\x8F"), 4},
    {M("\xD0\xBC\xD0\xB0\xD1\x8F"), 5},
    {M("\xD0\xB8\xD1\x8E\xD0\xBD\xD1\x8F"), 6},
    {M("\xD0\xB8\xD1\x8E\xD0\xBB\xD1\x8F"), 7},
    {M("\xD0\xB0\xD0\xB2\xD0\xB3\xD1\x83\xD1\x81\xD1\x82\xD0\xB0"), 8},
    {M("\xD1\x81\xD0\xB5\xD0\xBD\xD1\x82\xD1\x8F\xD0\xB1\xD1\x80\xD1\x8F"), 9},
    {M("\xD0\xBE\xD0\xBA\xD1\x82\xD1\x8F\xD0\xB1\xD1\x80\xD1\x8F"), 10},
    {M("\xD0\xBD\xD0\xBE\xD1\x8F\xD0\xB1\xD1\x80\xD1\x8F"), 11},
    {M("\xD0\xB4\xD0\xB5\xD0\xBA\xD0\xB0\xD0\xB1\xD1\x80\xD1\x8F"), 12},
};

int calendar_month_foreign(const char *s, size_t n)
{
    return n ? find_month(foreign_months, sizeof foreign_months / sizeof foreign_months[0], s, n) : 0;
}

#undef M

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
