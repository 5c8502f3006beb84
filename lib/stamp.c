/*
 * stamp.c - time stamp lines near the top of a story: "Updated July 11,
 * 2024 at 3:02 p.m. EDT", "Published: 11 July 2024", "2024-07-11 14:05
 * GMT". A whole line or nothing: a sentence that mentions a date is prose.
 */
#include "stamp.h"
#include "rules.h"

#include <string.h>

#include "calendar.h"
#include "utf8.h"


typedef struct cursor {
    const char *t;
    uint32_t i, end;
} cursor;

static void skip_space(cursor *c)
{
    while (c->i < c->end) {
        size_t n = utf8_space_at(c->t, c->end, c->i);
        if (!n)
            break;
        c->i += (uint32_t)n;
    }
}

/* The next word: letters, digits, dots, colons, slashes, plus and minus signs. */
static span next_word(cursor *c)
{
    skip_space(c);
    span w = {c->i, c->i};
    while (w.end < c->end && !utf8_space_at(c->t, c->end, w.end) && c->t[w.end] != ',' &&
           c->t[w.end] != '|' && c->t[w.end] != '(' && c->t[w.end] != ')')
        w.end++;
    return w;
}

static int number(const char *t, span w, int min_digits, int max_digits)
{
    uint32_t n = span_len(w);
    if ((int)n < min_digits || (int)n > max_digits)
        return -1;
    int v = 0;
    for (uint32_t k = w.start; k < w.end; k++) {
        if (!is_ascii_digit((unsigned char)t[k]))
            return -1;
        v = v * 10 + (t[k] - '0');
    }
    return v;
}

static int weekday_word(const char *t, span w)
{
    if (!span_empty(w) && t[w.end - 1] == '.')
        w.end--;
    for (size_t k = 0; k < RULES_N(rules_calendar_weekdays); k++)
        if (text_ieq(t, w, rules_calendar_weekdays[k]))
            return 1;
    return 0;
}

static void skip_comma(cursor *c)
{
    skip_space(c);
    if (c->i < c->end && c->t[c->i] == ',')
        c->i++;
}

/* "2024-07-11", optionally "T14:05" glued on. */
static int iso_date(const char *t, span w, stamp_info *out)
{
    if (span_len(w) < 10 || t[w.start + 4] != '-' || t[w.start + 7] != '-')
        return 0;
    int y = number(t, (span){w.start, w.start + 4}, 4, 4), m = number(t, (span){w.start + 5, w.start + 7}, 2, 2),
        d = number(t, (span){w.start + 8, w.start + 10}, 2, 2);
    if (y < 1800 || m < 1 || m > 12 || d < 1 || d > calendar_days_in_month(y, m))
        return 0;
    if (span_len(w) > 10 && t[w.start + 10] != 'T' && t[w.start + 10] != 't')
        return 0;
    out->date.year = y;
    out->date.month = m;
    out->date.day = d;
    return 1;
}

/* A day of the month, maybe with an ordinal suffix ("18th"). */
static int day_number(const char *t, span w)
{
    if (span_len(w) >= 3) {
        span sfx = {w.end - 2, w.end};
        if (text_ieq(t, sfx, "st") || text_ieq(t, sfx, "nd") || text_ieq(t, sfx, "rd") || text_ieq(t, sfx, "th"))
            w.end -= 2;
    }
    return number(t, w, 1, 2);
}

/* "11/19/19", "11/19/2019" (month first, as US pages write it, unless the
 * first number cannot be a month), "27/09/2018", "18.11.2019" (day first
 * with dots). */
static int numeric_date(const char *t, span w, stamp_info *out)
{
    uint32_t k = w.start;
    int part[3] = {0, 0, 0}, len[3] = {0, 0, 0}, np = 0;
    char sep = 0;
    while (k < w.end && np < 3) {
        uint32_t a = k;
        while (k < w.end && is_ascii_digit((unsigned char)t[k]))
            k++;
        if (k == a || k - a > 4)
            return 0;
        part[np] = number(t, (span){a, k}, 1, 4);
        len[np++] = (int)(k - a);
        if (k < w.end) {
            if (np == 3 || (t[k] != '/' && t[k] != '.') || (sep && t[k] != sep))
                return 0;
            sep = t[k++];
        }
    }
    if (np != 3 || k != w.end || len[0] > 2 || len[1] > 2 || (len[2] != 2 && len[2] != 4))
        return 0;
    int m = part[0], d = part[1], y = part[2];
    if (sep == '.' || m > 12) {
        d = part[0];
        m = part[1];
    }
    if (len[2] == 2)
        y += y < 70 ? 2000 : 1900;
    if (y < 1800 || m < 1 || m > 12 || d < 1 || d > calendar_days_in_month(y, m))
        return 0;
    out->date.year = y;
    out->date.month = m;
    out->date.day = d;
    return 1;
}

/* Reads the date at the cursor: "July 11, 2024", "Jul. 11 2024", "11 July
 * 2024", "Nov. 18th 2019", "2024-07-11", "11/19/19", with an optional
 * weekday before it. */
static int read_date(cursor *c, stamp_info *out)
{
    const char *t = c->t;
    span w = next_word(c);
    if (weekday_word(t, w)) {
        c->i = w.end;
        skip_comma(c);
        w = next_word(c);
    }
    uint32_t start = w.start;
    if (iso_date(t, w, out)) {
        c->i = w.end;
        out->date.text = (span){start, start + 10};
        return 1;
    }
    if (numeric_date(t, w, out)) {
        c->i = w.end;
        out->date.text = w;
        return 1;
    }
    int month = calendar_month(t + w.start, span_len(w)), day, year;
    if (month) {
        c->i = w.end;
        span dw = next_word(c);
        if ((day = day_number(t, dw)) < 1)
            return 0;
        c->i = dw.end;
        skip_comma(c);
    } else {
        if ((day = day_number(t, w)) < 1)
            return 0;
        c->i = w.end;
        span mw = next_word(c);
        if (!(month = calendar_month(t + mw.start, span_len(mw))))
            return 0;
        c->i = mw.end;
        skip_comma(c);
    }
    span yw = next_word(c);
    if ((year = number(t, yw, 4, 4)) < 1800 || day > calendar_days_in_month(year, month))
        return 0;
    c->i = yw.end;
    out->date.text = (span){start, yw.end};
    out->date.year = year;
    out->date.month = month;
    out->date.day = day;
    return 1;
}

/* Is w a clock time or a zone word: "3:02", "14:05", "3pm", "p.m.", "EDT",
 * "GMT+8"? */
static int time_word(const char *t, span w)
{
    for (size_t k = 0; k < RULES_N(rules_stamp_time_words); k++)
        if (text_ieq(t, w, rules_stamp_time_words[k]))
            return 1;
    uint32_t k = w.start;
    int digits = 0, colons = 0;
    while (k < w.end && (is_ascii_digit((unsigned char)t[k]) ||
                         ((t[k] == ':' || t[k] == '.') && digits && k + 1 < w.end &&
                          is_ascii_digit((unsigned char)t[k + 1])))) {
        digits += is_ascii_digit((unsigned char)t[k]);
        colons += !is_ascii_digit((unsigned char)t[k]);
        k++;
    }
    if (digits) { /* a clock: "14:05", "14.05", "3:02pm", "3pm" */
        span rest = {k, w.end};
        return digits <= 6 && (colons || !span_empty(rest)) &&
               (span_empty(rest) || text_ieq(t, rest, "am") || text_ieq(t, rest, "pm") ||
                text_ieq(t, rest, "a.m.") || text_ieq(t, rest, "p.m.") || text_ieq(t, rest, "h"));
    }
    /* a zone: two to five capitals, maybe an offset ("GMT+8", "UTC-05:00") */
    int caps = 0;
    while (k < w.end && is_ascii_upper((unsigned char)t[k])) {
        caps++;
        k++;
    }
    if (caps < 2 || caps > 5)
        return 0;
    if (k < w.end && (t[k] == '+' || t[k] == '-'))
        for (k++; k < w.end && (is_ascii_digit((unsigned char)t[k]) || t[k] == ':'); k++)
            ;
    return k == w.end;
}

/* A label at the cursor ("Updated", "First published:", "Posted on"):
 * moves past it and returns its name in the response, or "" for "Date:";
 * NULL when there is none. */
static const char *read_label(cursor *c)
{
    const char *t = c->t;
    skip_space(c);
    span rest = {c->i, c->end};
    for (size_t k = 0; k < RULES_N(rules_stamp_labels); k++) {
        uint32_t n = (uint32_t)strlen(rules_stamp_labels[k][0]);
        if (span_len(rest) > n && text_istarts(t, rest, rules_stamp_labels[k][0]) &&
            !is_ascii_alpha((unsigned char)t[rest.start + n])) {
            c->i = rest.start + n;
            skip_space(c);
            if (c->i < c->end && t[c->i] == ':')
                c->i++;
            span on = next_word(c);
            if (text_ieq(t, on, "on"))
                c->i = on.end;
            return rules_stamp_labels[k][1] ? rules_stamp_labels[k][1] : "";
        }
    }
    return NULL;
}

/* Separators between a stamp's parts or two stamps: , | ( ) - / — – */
static int skip_separator(cursor *c)
{
    const char *t = c->t;
    skip_space(c);
    if (c->i >= c->end)
        return 0;
    char ch = t[c->i];
    if (ch == ',' || ch == '|' || ch == '(' || ch == ')' || ch == '-' || ch == '/') {
        c->i++;
        return 1;
    }
    if ((unsigned char)ch == 0xE2 && c->i + 2 < c->end && (unsigned char)t[c->i + 1] == 0x80 &&
        ((unsigned char)t[c->i + 2] == 0x94 || (unsigned char)t[c->i + 2] == 0x93)) {
        c->i += 3;
        return 1;
    }
    return 0;
}

int stamp_parse_line(const char *t, span line, stamp_info *out, int max)
{
    line = text_trim(t, line);
    if (span_empty(line) || span_len(line) > 160)
        return 0;
    cursor c = {t, line.start, line.end};
    int n = 0;
    while (c.i < c.end) {
        if (n == max)
            return 0;
        stamp_info *st = &out[n];
        memset(st, 0, sizeof *st);
        skip_space(&c);
        uint32_t start = c.i;
        const char *label = read_label(&c);
        st->label = label && *label ? label : NULL;
        if (n > 0 && !label)
            return 0; /* a second stamp on the line names itself */
        /* "Published 7:07 PM EST Nov 19, 2019": a clock before the date,
         * and after the clock its a.m. and zone */
        for (int k = 0; k < 4; k++) {
            cursor peek = c;
            span w = next_word(&peek);
            if (span_empty(w) || !time_word(t, w) || text_ieq(t, w, "on") ||
                (k == 0 && !is_ascii_digit((unsigned char)t[w.start])))
                break;
            c.i = w.end;
            while (skip_separator(&c))
                ;
        }
        if (!read_date(&c, st))
            return 0;
        uint32_t end = c.i;
        /* a clock and a zone, up to the next stamp's label */
        for (;;) {
            while (skip_separator(&c))
                ;
            if (c.i >= c.end)
                break;
            cursor peek = c;
            if (read_label(&peek))
                break;
            span w = next_word(&c);
            if (span_empty(w) || !time_word(t, w))
                return 0;
            c.i = end = w.end;
        }
        st->text = (span){start, end};
        n++;
    }
    return n;
}

int stamp_find_in_line(const char *t, span line, stamp_info *out, int max)
{
    line = text_trim(t, line);
    if (span_empty(line) || span_len(line) > 300)
        return 0;
    int n = stamp_parse_line(t, line, out, max);
    if (n)
        return n;
    /* after a separator or a word: "By Tess Bonn - 11/19/19 06:56 AM EST",
     * "by Jeff Foust \xE2\x80\x94 November 18, 2019", "By Louis Jacobson on
     * Monday, November 18th, 2019 at 11:04 a.m." */
    for (uint32_t i = line.start + 1; i < line.end; i++) {
        if (!utf8_space_at(t, line.end, i - 1) || utf8_space_at(t, line.end, i))
            continue;
        span rest = {i, line.end};
        unsigned char c0 = (unsigned char)t[i];
        if (!(is_ascii_digit(c0) || is_ascii_upper(c0) || text_istarts(t, rest, "on ") ||
              text_istarts(t, rest, "updated") || text_istarts(t, rest, "published") || text_istarts(t, rest, "posted")))
            continue;
        if (text_istarts(t, rest, "on "))
            rest.start += 3;
        n = stamp_parse_line(t, rest, out, max);
        if (n)
            return n;
    }
    return 0;
}

/* ---- the stage ---------------------------------------------------------- */

/* Stage "stamp": the time stamps of byline and time stamp lines, and of a
 * dateline's bar. */
int stamp_run(enrich_doc *doc)
{
    stamp_info st[STAMPS_MAX_PER_LINE];
    for (uint32_t i = 0; i < doc->nlines; i++) {
        const line_info *l = &doc->lines[i];
        span s = l->s;
        if (i == doc->dl_line && doc->dl_kind == DL_BAR)
            s.start = doc->dl_after;
        else if (l->role != LR_BYLINE && l->role != LR_TIMESTAMP)
            continue;
        int k = stamp_find_in_line(doc->text, s, st, STAMPS_MAX_PER_LINE);
        for (int j = 0; j < k; j++) {
            stamp_info *slot = DOC_PUSH(doc, doc->stamps);
            if (!slot)
                return -1;
            *slot = st[j];
        }
    }
    return 0;
}
