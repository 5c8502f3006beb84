/*
 * dateline.c - the dateline recognizer. Reads a line or the start of the
 * first paragraph (layout decides which); adds the dateline: its text,
 * city, region, country from the gazetteer, agency and month/day.
 */
#include "dateline.h"
#include "rules.h"

#include <string.h>

#include "calendar.h"
#include "phrases.h"
#include "utf8.h"

#define MAX_PARTS 6
#define INLINE_MAX 120 /* bytes before the dash */

static int is_particle(const char *t, span w)
{
    for (size_t i = 0; i < RULES_N(rules_dateline_place_particles); i++)
        if (text_ieq(t, w, rules_dateline_place_particles[i]) && is_ascii_lower((unsigned char)t[w.start]))
            return 1;
    return 0;
}

/* A word of a place name: starts with a capital (or a non-ASCII letter;
 * loose: any letter, as in "La paz, march 4" where a date vouches for it),
 * holds letters, dots, hyphens, slashes and apostrophes only. */
static int place_word(const char *t, span w, int first, int loose)
{
    unsigned char c0 = (unsigned char)t[w.start];
    if (!first && is_particle(t, w))
        return 1;
    if (!utf8_name_start(t, w.end, w.start) && !(loose && is_ascii_lower(c0)))
        return 0;
    for (uint32_t i = w.start; i < w.end; i++) {
        unsigned char c = (unsigned char)t[i];
        if (!(is_ascii_alpha(c) || c == '.' || c == '-' || c == '\'' || c == '/' || c >= 0x80))
            return 0;
    }
    return 1;
}

/* Splits s into words on white space; checks each with place_word. */
static int place_like(const char *t, span s, unsigned max_words, int loose, int *all_caps)
{
    unsigned words = 0;
    uint32_t i = s.start;
    *all_caps = 1;
    span w;
    while (!span_empty(w = text_next_word(t, s.end, &i))) {
        if (!place_word(t, w, words == 0, loose))
            return 0;
        for (uint32_t k = w.start; k < w.end; k++)
            if (is_ascii_lower((unsigned char)t[k]))
                *all_caps = 0;
        words++;
    }
    return words >= 1 && words <= max_words;
}

/* A month name as a wire dateline may type it: "Feb", "March", "Sept.",
 * and one slip of the keys in a full name ("Narch", "Marchg", "Mach"). */
static int dateline_month(const char *t, span w)
{
    size_t n = span_len(w);
    int m = calendar_month(t + w.start, n);
    if (m || n < 4)
        return m;
    if (t[w.end - 1] == '.')
        n--;
    for (size_t i = 0; calendar_month_spelling(i); i++) {
        const char *name = calendar_month_spelling(i);
        size_t len = strlen(name);
        if (len < 5 || (n + 1 != len && n != len && n != len + 1))
            continue;
        /* one edit: walk both from the front and the back */
        size_t a = 0;
        while (a < n && a < len && ascii_lower((unsigned char)t[w.start + a]) == name[a])
            a++;
        size_t b = 0;
        while (b < n - a && b < len - a &&
               ascii_lower((unsigned char)t[w.start + n - 1 - b]) == name[len - 1 - b])
            b++;
        if (a + b + 1 >= (n > len ? n : len))
            return calendar_month(name, len);
    }
    return 0;
}

static int day_number(const char *t, span s)
{
    if (span_len(s) < 1 || span_len(s) > 2)
        return 0;
    int day = 0;
    for (uint32_t k = s.start; k < s.end; k++) {
        if (!is_ascii_digit((unsigned char)t[k]))
            return 0;
        day = day * 10 + (t[k] - '0');
    }
    return day;
}

static int year_part(const char *t, span s, int *year);

/* "Feb 26", "March 2", "2 March", "30 June 2023" -> month, day (and year). */
static int month_day(const char *t, span s, doc_date *d)
{
    uint32_t i = s.start;
    while (i < s.end && !utf8_space_at(t, s.end, i))
        i++;
    span first = {s.start, i};
    span rest = text_trim(t, (span){i, s.end});
    int year = 0;
    uint32_t last = rest.end;
    while (last > rest.start && !utf8_space_before(t, last))
        last--;
    if (last > rest.start && year_part(t, (span){last, rest.end}, &year))
        rest = text_trim(t, (span){rest.start, last});
    else
        year = 0;
    int month = dateline_month(t, first), day = 0;
    if (month) {
        day = day_number(t, rest);
    } else if ((day = day_number(t, first))) {
        month = dateline_month(t, rest); /* "2 March" */
    }
    if (!month || day < 1 || day > calendar_days_in_month(2000, month))
        return 0;
    d->text = s;
    d->month = month;
    d->day = day;
    d->year = year;
    return 1;
}

/* A month with no day a reader can trust: "April", "March 187", "April l". */
static int month_only(const char *t, span s)
{
    uint32_t i = s.start;
    while (i < s.end && !utf8_space_at(t, s.end, i))
        i++;
    if (!dateline_month(t, (span){s.start, i}))
        return 0;
    span rest = text_trim(t, (span){i, s.end});
    if (span_len(rest) > 3)
        return 0;
    for (uint32_t k = rest.start; k < rest.end; k++)
        if (!is_ascii_alpha((unsigned char)t[k]) && !is_ascii_digit((unsigned char)t[k]))
            return 0;
    return 1;
}

static int year_part(const char *t, span s, int *year)
{
    if (span_len(s) != 4)
        return 0;
    int y = 0;
    for (uint32_t k = s.start; k < s.end; k++) {
        if (!is_ascii_digit((unsigned char)t[k]))
            return 0;
        y = y * 10 + (t[k] - '0');
    }
    *year = y;
    return y >= 1800;
}

/* A place by name as a dateline types it: "Fla" and "N.C" lack the
 * period of "Fla." and "N.C."; short forms ("AB", "Ont.") count here. */
static const place *find_place(const gazetteer *g, const char *t, span s, unsigned kinds)
{
    kinds |= PLACE_SHORT_FORMS;
    const place *pl = gazetteer_find(g, t + s.start, span_len(s), kinds);
    if (pl || span_empty(s) || span_len(s) > 30)
        return pl;
    char buf[32];
    size_t n = span_len(s);
    memcpy(buf, t + s.start, n);
    if (buf[n - 1] == '.')
        return gazetteer_find(g, buf, n - 1, kinds);
    buf[n] = '.';
    return gazetteer_find(g, buf, n + 1, kinds);
}

enum { LINE_ALONE = 0, INLINE_DASH = 1, INLINE_COLON = 2 };

/* The body of both entry points: s holds the dateline without its dash.
 * inline_mode (INLINE_DASH, INLINE_COLON; LINE_ALONE for a line) says how
 * it was closed, which decides what makes it believable. */
/* "(Reuters)" closing the dateline: into d->agency, *s shortened. 1: a
 * dateline of the agency alone ("(Bloomberg) --", inline only), -1: none,
 * 0: go on with *s. */
static int agency_at_end(const char *t, span *s, dateline_info *d, int inline_mode)
{
    if (t[s->end - 1] != ')')
        return 0;
    uint32_t open = s->end - 1;
    while (open > s->start && t[open] != '(')
        open--;
    if (t[open] != '(')
        return -1;
    span ag = text_trim(t, (span){open + 1, s->end - 1});
    if (span_empty(ag) || span_len(ag) > 30 || text_word_count(t, ag) > 3)
        return -1;
    d->agency = ag;
    *s = text_trim(t, (span){s->start, open});
    if (!span_empty(*s))
        return 0;
    /* "(Bloomberg) --": the agency alone, no place */
    return inline_mode && is_ascii_upper((unsigned char)t[ag.start]) ? 1 : -1;
}

/* The comma-separated parts of s, less typing slips around the commas
 * ("March 4, -", "N.Y,. March 13") and an agency after the date
 * ("WASHINGTON, March 12, Reuter"); their number, or 0 for none. */
static int split_parts(const char *t, span s, span *parts, dateline_info *d)
{
    int np = 0;
    uint32_t p = s.start;
    for (uint32_t i = s.start; i <= s.end; i++) {
        if (i == s.end || t[i] == ',') {
            if (np == MAX_PARTS)
                return 0;
            parts[np++] = text_trim(t, (span){p, i});
            p = i + 1;
        }
    }
    while (np > 1 && span_empty(parts[np - 1]))
        np--;
    for (int i = 1; i < np; i++)
        while (!span_empty(parts[i]) && t[parts[i].start] == '.')
            parts[i] = text_trim(t, (span){parts[i].start + 1, parts[i].end});
    if (np == 0 || span_empty(parts[0]))
        return 0;
    if (np >= 3 && span_empty(d->agency) &&
        (text_ieq(t, parts[np - 1], "Reuter") || text_ieq(t, parts[np - 1], "Reuters"))) {
        d->agency = parts[np - 1];
        np--;
    }
    return np;
}

/* A date at the end: "Feb 26", or "July 11, 2024"; "Tex. March 3" and
 * "JOHANNESBURG March 13" lack the comma before it. Into d->date; returns
 * the number of parts left; *datelike for a month with no day ("CHICAGO,
 * April -"). */
static int date_at_end(const char *t, span *parts, int np, dateline_info *d, int *datelike)
{
    int year = 0;
    if (np >= 3 && year_part(t, parts[np - 1], &year) && month_day(t, parts[np - 2], &d->date)) {
        d->date.year = year;
        d->date.text.end = parts[np - 1].end;
        d->has_date = 1;
        return np - 2;
    }
    if (np >= 2 && month_day(t, parts[np - 1], &d->date)) {
        d->has_date = 1;
        return np - 1;
    }
    if (np >= 2 && month_only(t, parts[np - 1])) {
        *datelike = 1; /* "BOSTON, March 187 -": no day to read */
        return np - 1;
    }
    if (np < MAX_PARTS) {
        span last = parts[np - 1];
        uint32_t cut = last.end, words = 0;
        while (cut > last.start && words < 2) {
            while (cut > last.start && utf8_space_before(t, cut))
                cut--;
            while (cut > last.start && !utf8_space_before(t, cut))
                cut--;
            words++;
        }
        span head = text_trim(t, (span){last.start, cut});
        if (words == 2 && !span_empty(head) && month_day(t, text_trim(t, (span){cut, last.end}), &d->date)) {
            parts[np - 1] = head;
            d->has_date = 1;
        }
    }
    return np;
}

/* Two parts where a city and a desk stand ("New Delhi, News Nation
 * Bureau") or an agency and a city ("PTI, Washington"): 1 with *d filled,
 * else 0. */
static int agency_and_city(const enrich_engine *e, const char *t, const span *parts, dateline_info *d)
{
    uint64_t h0 = phrases_hash_name(t + parts[0].start, span_len(parts[0]));
    const phrase *p0 = h0 ? phrases_find(&e->phrases, h0) : NULL;
    int desk = 0;
    for (uint32_t k = parts[1].start; k < parts[1].end && !desk;) {
        while (k < parts[1].end && !is_ascii_alpha(t[k]))
            k++;
        uint32_t a = k;
        while (k < parts[1].end && is_ascii_alpha(t[k]))
            k++;
        desk = k > a && wordset_has(&e->byline_words, fold_lower_hash(t, (span){a, k}));
    }
    if (desk && p0 && (p0->lists & PH_CITY) && p0->country) {
        d->agency = parts[1];
        d->city = parts[0];
        d->country = p0->country;
        return 1;
    }
    /* a name no city has, then a city: the agency first */
    uint64_t h1 = phrases_hash_name(t + parts[1].start, span_len(parts[1]));
    const phrase *p1 = h1 ? phrases_find(&e->phrases, h1) : NULL;
    if (!(p0 && (p0->lists & (PH_CITY | PH_COUNTRY | PH_REGION))) && p1 && (p1->lists & PH_CITY) && p1->country &&
        !(p1->lists & PH_COUNTRY)) {
        d->agency = parts[0];
        d->city = parts[1];
        d->country = p1->country;
        return 1;
    }
    return 0;
}

/* The city, region and country of the parts: 1 when a known place says
 * where, 0 when none does, -1 when the parts are no place. */
static int place_of_parts(const enrich_engine *e, const char *t, const span *parts, int np, int inline_mode,
                          dateline_info *d)
{
    const gazetteer *g = &e->places;
    int resolved = 0;
    span last = parts[np - 1];
    const place *pl = find_place(g, t, last, PLACE_COUNTRY | PLACE_REGION);
    d->city = parts[0];
    if (np == 1 && pl && pl->kind == PLACE_COUNTRY) {
        /* "SINGAPORE, March 2", "KUWAIT": the place the story was filed
         * from is also its city */
        d->country = pl;
        d->country_text = parts[0];
        resolved = 1;
    } else if (np > 1 && pl && pl->kind == PLACE_COUNTRY) {
        d->country = pl;
        d->country_text = last;
        resolved = 1;
        if (np == 3) {
            d->region_text = parts[1];
            d->region = find_place(g, t, parts[1], PLACE_REGION);
        }
    } else if (np > 1 && pl) {
        /* "SANTA CRUZ, Calif."; "NEW YORK, Louisville, KY" names two */
        d->region_text = last;
        d->region = pl;
        d->country = pl->country;
        resolved = 1;
    } else if (np == 2 && inline_mode) {
        d->region_text = last; /* a region the gazetteer does not know */
    } else if (np > 1) {
        return -1;
    }
    /* A city standing alone, AP style ("LONDON", "TOKYO"), or with a region
     * the gazetteer lacks: its country is the most populous namesake's. */
    if (!d->country) {
        uint64_t h = phrases_hash_name(t + d->city.start, span_len(d->city));
        const phrase *ph = h ? phrases_find(&e->phrases, h) : NULL;
        if (ph && (ph->lists & PH_CITY) && ph->country) {
            d->country = ph->country;
            resolved = resolved || np == 1;
        }
    }
    return resolved;
}

static int parse_core(const enrich_engine *e, const char *t, span s, int inline_mode,
                      dateline_info *out)
{
    dateline_info d;
    memset(&d, 0, sizeof d);
    s = text_trim(t, s);
    while (s.start < s.end && t[s.start] == '*') /* wire feeds' "****LONDON" */
        s.start++;
    if (span_empty(s))
        return 0;
    d.text = s;
    int ag = agency_at_end(t, &s, &d, inline_mode);
    if (ag != 0) {
        if (ag < 0)
            return 0;
        d.found = 1;
        *out = d;
        return 1;
    }
    span parts[MAX_PARTS];
    int np = split_parts(t, s, parts, &d);
    int datelike = 0;
    if (np == 0)
        return 0;
    np = date_at_end(t, parts, np, &d, &datelike);
    if (np < 1 || np > 3)
        return 0;
    /* Without a date, a place part is short: "HEAVY SNOWS HIT GREECE,
     * ITALY" is a headline. */
    int all_caps = 1;
    for (int i = 0; i < np; i++) {
        int caps;
        if (span_empty(parts[i]) || !place_like(t, parts[i], d.has_date ? 5 : 3, d.has_date, &caps))
            return 0;
        if (i == 0)
            all_caps = caps;
    }

    if (np == 2 && span_empty(d.agency) && !d.has_date && agency_and_city(e, t, parts, &d)) {
        d.found = 1;
        *out = d;
        return 1;
    }
    int resolved = place_of_parts(e, t, parts, np, inline_mode, &d);
    if (resolved < 0)
        return 0;
    /* A date, an agency or a known place makes it a dateline; capitals
     * alone do not ("SOCCER - JAPAN WIN"). Closed by a colon, only a known
     * place in capitals is ("NEW DELHI:", not "Analysts:"). */
    if (inline_mode == INLINE_COLON && !(all_caps && resolved))
        return 0;
    int believable = resolved || d.has_date || datelike || !span_empty(d.agency);
    if (!believable)
        return 0;
    d.found = 1;
    *out = d;
    return 1;
}

/* Length of a closing dash at t[i], or 0. */
static size_t dash_at(const char *t, uint32_t end, uint32_t i)
{
    for (size_t k = 0; k < RULES_N(rules_dateline_dashes); k++) {
        size_t n = strlen(rules_dateline_dashes[k]);
        if (i + n <= end && memcmp(t + i, rules_dateline_dashes[k], n) == 0)
            return n;
    }
    return 0;
}

int dateline_parse_line(const enrich_engine *e, const char *t, span s, dateline_info *out)
{
    s = text_trim(t, s);
    if (span_empty(s) || span_len(s) > INLINE_MAX)
        return 0;
    /* A closing dash may stand at the end of the line. */
    for (size_t k = 0; k < RULES_N(rules_dateline_dashes); k++) {
        uint32_t n = (uint32_t)strlen(rules_dateline_dashes[k]);
        if (span_len(s) > n && memcmp(t + s.end - n, rules_dateline_dashes[k], n) == 0 &&
            (utf8_space_before(t, s.end - n) || is_ascii_digit((unsigned char)t[s.end - n - 1]))) {
            s.end -= n;
            break;
        }
    }
    return parse_core(e, t, s, LINE_ALONE, out);
}

int dateline_parse_inline(const enrich_engine *e, const char *t, span s,
                          dateline_info *out, uint32_t *rest)
{
    uint32_t limit = s.end < s.start + INLINE_MAX ? s.end : s.start + INLINE_MAX;
    for (uint32_t i = s.start + 1; i < limit; i++) {
        size_t n = dash_at(t, s.end, i);
        if (!n)
            continue;
        /* A dash with a space before and after it; wire copy also types
         * "Feb 26-" and "March 5 -President", or ends the line there. */
        int spaced = utf8_space_before(t, i) > 0;
        int before = spaced || is_ascii_digit((unsigned char)t[i - 1]) || t[i - 1] == ')';
        uint32_t after = i + (uint32_t)n;
        if (!before)
            continue;
        if (after < s.end && !utf8_space_at(t, s.end, after) && !spaced)
            continue;
        if (!parse_core(e, t, (span){s.start, i}, INLINE_DASH, out))
            return 0;
        while (after < s.end && utf8_space_at(t, s.end, after))
            after += (uint32_t)utf8_space_at(t, s.end, after);
        *rest = after;
        return 1;
    }
    /* "NEW DELHI: India said ...", as some wires close it */
    for (uint32_t i = s.start + 1; i + 1 < limit; i++) {
        if (t[i] != ':' || !utf8_space_at(t, s.end, i + 1))
            continue;
        if (!parse_core(e, t, (span){s.start, i}, INLINE_COLON, out))
            return 0;
        uint32_t after = i + 1;
        while (after < s.end && utf8_space_at(t, s.end, after))
            after += (uint32_t)utf8_space_at(t, s.end, after);
        *rest = after;
        return 1;
    }
    return 0;
}

/* ---- the stage ---------------------------------------------------------- */

/* Stage "dateline": the dateline at the start of the story's first
 * paragraphs, wherever the model put the lines around it: a line of its
 * own, the head of a line before a bar ("New Delhi, News Nation Bureau |
 * Updated : ..."), or the opening of the first paragraph. Marks every line
 * that comes after the story's text began (LF_AFTER_BODY). */
int dateline_run(enrich_doc *doc)
{
    const char *t = doc->text;
    const enrich_engine *e = doc->engine;
    line_info *L = doc->lines;
    uint32_t n = doc->nlines;
    int body_seen = 0;
    unsigned story_lines = 0;
    doc->dl_line = UINT32_MAX;
    for (uint32_t i = 0; i < n; i++) {
        int role = L[i].role;
        if (role == LR_DATELINE && story_lines < 3)
            body_seen = 0; /* the model's dateline paragraph may follow a summary */
        if (body_seen)
            L[i].flags |= LF_AFTER_BODY;
        if (role != LR_DATELINE && role != LR_BODY)
            continue;
        span s = L[i].s;
        dateline_info d;
        uint32_t after;
        int checked = L[i].flags & LF_DL_CHECKED;
        if (!body_seen && !doc->dateline.found && role == LR_DATELINE && span_len(s) <= 120 &&
            (L[i].flags & LF_ALONE_OK) && (!checked || (L[i].flags & LF_DL_LINE)) && dateline_parse_line(e, t, s, &d)) {
            doc->dateline = d;
            doc->dl_line = i;
            doc->dl_kind = DL_ALONE;
            continue;
        }
        if (!body_seen && !doc->dateline.found && role == LR_DATELINE) {
            long bar = text_ifind(t, s, " | ");
            span head = bar > 0 ? text_trim(t, (span){s.start, (uint32_t)bar}) : (span){0, 0};
            if (!span_empty(head) && dateline_parse_line(e, t, head, &d)) {
                doc->dateline = d;
                doc->dl_line = i;
                doc->dl_kind = DL_BAR;
                doc->dl_after = (uint32_t)bar + 3;
                continue;
            }
        }
        if (!body_seen && !doc->dateline.found && (!checked || (L[i].flags & LF_DL_INLINE)) &&
            (doc->first_dl.line == i ? (d = doc->first_dl_info, after = doc->first_dl.after, 1)
                                     : dateline_parse_inline(e, t, s, &d, &after))) {
            doc->dateline = d;
            doc->dl_line = i;
            doc->dl_kind = DL_INLINE;
            doc->dl_after = after;
            s.start = after;
            if (span_empty(text_trim(t, s)))
                continue;
        }
        body_seen = 1;
        story_lines++;
    }
    return 0;
}
