/*
 * credits.c - the credits recognizer. Reads one line that layout offers
 * (a byline under the headline, credit lines at the end); adds credits,
 * each a role and a name, with the clause it came from.
 */
#include "credits.h"
#include "rules.h"

#include "calendar.h"

#include <string.h>

#include "utf8.h"


static const char *const role_names[] = {"author", "reporter", "editor", "translator",
                                         "photographer"};

/* The role a rule names ("reporter"); a name of no role is the author's. */
static credit_role role_named(const char *name)
{
    for (size_t r = 0; r < sizeof role_names / sizeof role_names[0]; r++)
        if (strcmp(role_names[r], name) == 0)
            return (credit_role)r;
    return ROLE_AUTHOR;
}

const char *credits_role_name(credit_role role)
{
    return role_names[role];
}

static int is_name_particle(const char *t, span w)
{
    for (size_t i = 0; i < RULES_N(rules_credits_person_particles); i++)
        if (span_len(w) == strlen(rules_credits_person_particles[i]) &&
            memcmp(t + w.start, rules_credits_person_particles[i], span_len(w)) == 0)
            return 1;
    return 0;
}

static int is_non_name(const char *t, span s)
{
    for (size_t i = 0; i < RULES_N(rules_credits_non_names); i++)
        if (span_len(s) == strlen(rules_credits_non_names[i]) && memcmp(t + s.start, rules_credits_non_names[i], span_len(s)) == 0)
            return 1;
    return 0;
}

/* A person's name: one to six words, each capitalized (or a particle),
 * letters, dots, hyphens and apostrophes only. */
static int name_like(const char *t, span s)
{
    unsigned words = 0;
    uint32_t i = s.start;
    span w;
    while (!span_empty(w = text_next_word(t, s.end, &i))) {
        int ok = utf8_name_start(t, w.end, w.start) || (words > 0 && is_name_particle(t, w));
        for (uint32_t k = w.start; ok && k < w.end; k++) {
            unsigned char c = (unsigned char)t[k];
            ok = is_ascii_alpha(c) || c == '.' || c == '-' || c == '\'' || c >= 0x80;
        }
        if (!ok)
            return 0;
        words++;
    }
    return words >= 1 && words <= 6;
}

/* Cuts a " in Seoul" or " at the U.N." place off the end of a name. */
static span drop_place(const char *t, span s)
{
    for (size_t k = 0; k < RULES_N(rules_credits_place_separators); k++) {
        long at = text_ifind(t, s, rules_credits_place_separators[k]);
        if (at >= 0 && memcmp(t + at, rules_credits_place_separators[k], strlen(rules_credits_place_separators[k])) == 0)
            s.end = (uint32_t)at;
    }
    return text_trim(t, s);
}

/* Adds the names of one piece list "A, B and C" to out. Returns how many,
 * or -1 when a piece is not a name. */
static int parse_names(const char *t, span s, credit_role role, span clause, credit *out, int max)
{
    int n = 0;
    uint32_t p = s.start;
    uint32_t i = s.start;
    while (i <= s.end) {
        size_t sep = 0;
        if (i == s.end)
            sep = 0;
        else if (t[i] == ',' || t[i] == '&' || t[i] == '|' || t[i] == '/')
            sep = 1;
        else if (i + 5 <= s.end && memcmp(t + i, " and ", 5) == 0)
            sep = 5;
        if (i < s.end && sep == 0) {
            i++;
            continue;
        }
        span piece = drop_place(t, text_trim(t, (span){p, i}));
        if (!span_empty(piece) && !is_non_name(t, piece)) {
            if (!name_like(t, piece))
                return -1;
            if (n == max)
                return -1;
            out[n].role = role;
            out[n].clause = clause;
            out[n].name = piece;
            n++;
        }
        if (i == s.end)
            break;
        i += (uint32_t)sep;
        p = i;
    }
    return n;
}

/* "Translated from Korean by Kim Lee": the names after " by ", the
 * language one or two words. */
static int translated_from(const char *t, span clause, span *names)
{
    if (!text_istarts(t, clause, "translated from "))
        return 0;
    span rest = {clause.start + 16, clause.end};
    long by = text_ifind(t, rest, " by ");
    if (by < 0 || text_word_count(t, (span){rest.start, (uint32_t)by}) > 2)
        return 0;
    *names = (span){(uint32_t)by + 4, clause.end};
    return 1;
}

/* "Jane Doe, Reuters", "Jane Doe and John Roe, AP": names then the agency
 * after the last comma. */
static int agency_byline(const char *t, span clause, span *names)
{
    uint32_t comma = clause.end;
    while (comma > clause.start && t[comma - 1] != ',')
        comma--;
    if (comma == clause.start)
        return 0;
    span agency = text_trim(t, (span){comma, clause.end});
    if (span_empty(agency) || !is_non_name(t, agency) || is_ascii_lower((unsigned char)t[agency.start]))
        return 0;
    *names = text_trim(t, (span){clause.start, comma - 1});
    /* a person has two names or more: "Seoul, Reuters" is no byline */
    return !span_empty(*names) && text_word_count(t, *names) >= 2 && !utf8_space_at(t, names->end, names->start);
}

/* Does a credit of another role open s ("with reporting by", "editing
 * by")? Then the comma before it ends a clause, as a semicolon does:
 * "(Reporting by A, B, with reporting by C, editing by D.)". A bare "by"
 * does not: "By A, B" is one list. */
static int role_after_comma(const char *t, span s)
{
    /* every such phrase holds "by" or a colon within its first words */
    uint32_t lim = s.start + 40 < s.end ? s.start + 40 : s.end, k = s.start;
    while (k < lim && t[k] != ':' && !(t[k] == 'b' && k + 1 < lim && t[k + 1] == 'y'))
        k++;
    if (k == lim)
        return 0;
    s = text_trim(t, s);
    if (text_istarts(t, s, "with "))
        s = text_trim(t, (span){s.start + 5, s.end});
    else if (text_istarts(t, s, "and "))
        s = text_trim(t, (span){s.start + 4, s.end});
    for (size_t r = 0; r + 1 < RULES_N(rules_credits_roles); r++) /* the last is "by" */
        if (text_istarts(t, s, rules_credits_roles[r][0]) && strchr(rules_credits_roles[r][0], ' '))
            return 1;
    return 0;
}

int credits_parse_line(const char *t, span line, credit *out, int max)
{
    line = text_trim(t, line);
    if (span_empty(line) || span_len(line) > 300)
        return 0;
    /* "(Reporting by X; Editing by Y)" */
    if (t[line.start] == '(' && t[line.end - 1] == ')')
        line = text_trim(t, (span){line.start + 1, line.end - 1});
    int total = 0;
    uint32_t p = line.start;
    for (uint32_t i = line.start; i <= line.end; i++) {
        if (i < line.end && t[i] != ';' && !(t[i] == ',' && role_after_comma(t, (span){i + 1, line.end})))
            continue;
        span clause = text_trim(t, (span){p, i});
        p = i + 1;
        if (span_empty(clause))
            continue;
        /* "..., with reporting by Herb Lash": the role opens the clause */
        if (text_istarts(t, clause, "with ") || text_istarts(t, clause, "and "))
            clause = text_trim(t, (span){clause.start + (t[clause.start] == 'w' || t[clause.start] == 'W' ? 5 : 4),
                                         clause.end});
        size_t r = 0;
        size_t nroles = RULES_N(rules_credits_roles);
        while (r < nroles && !(text_istarts(t, clause, rules_credits_roles[r][0]) &&
                               clause.start + strlen(rules_credits_roles[r][0]) < clause.end &&
                               utf8_space_at(t, clause.end, clause.start + (uint32_t)strlen(rules_credits_roles[r][0]))))
            r++;
        credit_role role;
        span names;
        if (r < nroles) {
            role = role_named(rules_credits_roles[r][1]);
            names = (span){clause.start + (uint32_t)strlen(rules_credits_roles[r][0]), clause.end};
        } else if (!translated_from(t, clause, &names) && !agency_byline(t, clause, &names)) {
            return 0;
        } else {
            role = text_istarts(t, clause, "translated") ? ROLE_TRANSLATOR : ROLE_AUTHOR;
        }
        if (t[names.end - 1] == '.' && names.end - 1 > names.start) {
            /* "Edited by Mike Firn." - the period ends the line, unless it
             * closes an initial ("By John Q.") */
            uint32_t e = names.end - 1;
            int initial = e >= 2 && is_ascii_upper((unsigned char)t[e - 1]) &&
                          (t[e - 2] == ' ' || t[e - 2] == '.');
            if (!initial)
                names.end = e;
        }
        names = text_trim(t, names);
        int got = parse_names(t, names, role, clause, out + total, max - total);
        if (got <= 0)
            return 0;
        total += got;
    }
    return total;
}

/* ---- bylines and photo credits as real pages give them ------------------ */

/* A word of the line: t[w], with its punctuation ends cut off into core. */
typedef struct bword {
    span w, core;
} bword;

#define BWORDS_MAX 64

static int bwords(const char *t, span s, bword *out)
{
    int n = 0;
    uint32_t i = s.start;
    span w;
    while (n < BWORDS_MAX && !span_empty(w = text_next_word(t, s.end, &i))) {
        /* words glued by the page: "GarberFOXBusiness", "JamesStaff"; a
         * capital after three lower-case letters starts a word ("McCoy",
         * "DeArdo" and "MacDonald" stay whole) */
        unsigned lower = 0;
        for (uint32_t k = w.start; k < w.end; k++) {
            unsigned char c = (unsigned char)t[k];
            if (is_ascii_lower(c)) {
                lower++;
            } else if ((is_ascii_upper(c) && lower >= 3) || (c == '@' && k > w.start)) {
                w.end = k; /* "Pokorny@handle": the handle is a word of its own */
                break;
            } else {
                lower = 0;
            }
        }
        span c = w;
        while (c.start < c.end && ((unsigned char)t[c.start] < 0x80 && !is_ascii_alpha(t[c.start]) &&
                                   !is_ascii_digit(t[c.start])))
            c.start++;
        while (c.end > c.start && ((unsigned char)t[c.end - 1] < 0x80 && !is_ascii_alpha(t[c.end - 1]) &&
                                   !is_ascii_digit(t[c.end - 1]) && t[c.end - 1] != '.'))
            c.end--;
        out[n++] = (bword){w, c};
        i = w.end;
    }
    return n;
}

static int is_cap_word(const char *t, span c)
{
    if (span_empty(c))
        return 0;
    unsigned char c0 = (unsigned char)t[c.start];
    if (c0 >= 0x80)
        return 1; /* other scripts: no case to go by */
    if (!is_ascii_upper(c0))
        return 0;
    for (uint32_t k = c.start; k < c.end; k++) {
        unsigned char c1 = (unsigned char)t[k];
        if (!(is_ascii_alpha(c1) || c1 == '.' || c1 == '-' || c1 == '\'' || c1 >= 0x80))
            return 0;
    }
    return 1;
}

static int is_word(const char *t, span c, const char *w)
{
    return text_ieq(t, c, w);
}

/* Does the piece t[c0 .. c1] (words a..b-1) name a person? Two to five
 * capitalized words (a particle may stand inside), none of them a byline
 * word or possessive; in capitals only when the first is a known first
 * name. One word only when it came after an explicit "by". */
static int person_run(const enrich_engine *e, const char *t, const bword *w, int a, int b, int after_by)
{
    int n = b - a;
    if (n < 1 || n > 5 || (n == 1 && !after_by))
        return 0;
    int all_caps = 1;
    for (int k = a; k < b; k++) {
        uint64_t h = fold_lower_hash(t, w[k].core);
        if (wordset_has(&e->byline_words, h) || wordset_has(&e->furniture_words, h))
            return 0;
        /* "Editor-at-large": the part before a hyphen too */
        for (uint32_t z = w[k].core.start + 1; z < w[k].core.end; z++)
            if (t[z] == '-') {
                if (wordset_has(&e->byline_words, fold_lower_hash(t, (span){w[k].core.start, z})))
                    return 0;
                break;
            }
        for (uint32_t j = w[k].core.start; j < w[k].core.end; j++)
            if (is_ascii_lower((unsigned char)t[j]))
                all_caps = 0;
        /* "Mike Wall's book": a possessive names no byline */
        span c = w[k].core;
        if (span_len(c) > 2 && (t[c.end - 1] == 's' || t[c.end - 1] == 'S') &&
            (t[c.end - 2] == '\'' || (span_len(c) > 4 && (unsigned char)t[c.end - 2] == 0x99 &&
                                      (unsigned char)t[c.end - 3] == 0x80 && (unsigned char)t[c.end - 4] == 0xE2)))
            return 0;
    }
    if (n == 1 && span_len(w[a].core) < 3)
        return 0;
    if (all_caps && !wordset_has(&e->first_names, fold_lower_hash(t, w[a].core)))
        return 0;
    return 1;
}

/* A month or weekday name: where a byline's date begins ("by Regan
 * September 15, 2014"). */
static int date_word(const char *t, span c)
{
    if (span_len(c) >= 3 && calendar_month(t + c.start, span_len(c)) > 0)
        return 1;
    for (size_t k = 0; k < RULES_N(rules_calendar_weekdays); k++)
        if (text_ieq(t, c, rules_calendar_weekdays[k]))
            return 1;
    return 0;
}

static int push_credit(credit *out, int *n, int max, credit_role role, span clause, span name)
{
    if (*n >= max)
        return 0;
    out[*n] = (credit){.role = role, .clause = clause, .name = name};
    (*n)++;
    return 1;
}

/* Collects the person names among words [from, to) of a byline: runs of
 * capitalized words, cut at "and", commas, separators and anything else. */
static int collect_names(const enrich_engine *e, const char *t, span line, const bword *w, int from, int to,
                         int after_by, credit_role role, credit *out, int max)
{
    int n = 0;
    int a = from;
    while (a < to) {
        if (!is_cap_word(t, w[a].core) || is_word(t, w[a].core, "and")) {
            a++;
            continue;
        }
        int b = a;
        while (b < to && !date_word(t, w[b].core) && (is_cap_word(t, w[b].core) ||
                          (b > a && b + 1 < to && is_name_particle(t, w[b].core) && is_cap_word(t, w[b + 1].core)))) {
            b++;
            /* a comma, a bar or a slash after a word ends the run */
            char last = t[w[b - 1].w.end - 1];
            if (last == ',' || last == '|' || last == '/' || last == ';' || last == ':' ||
                (last == ')' && b - 1 > a) || last == '\'' ||
                (span_len(w[b - 1].w) >= 3 && (unsigned char)last == 0x99 &&
                 (unsigned char)t[w[b - 1].w.end - 2] == 0x80))
                break;
        }
        if (b == a) { /* a month or weekday: no name here */
            a++;
            continue;
        }
        /* "Fox News' Jessica Napoli": a name ending in a possessive owns
         * what follows; it is not the person */
        span lw = w[b - 1].w;
        if ((t[lw.end - 1] == '\'' || (span_len(lw) >= 3 && (unsigned char)t[lw.end - 1] == 0x99 &&
                                                 (unsigned char)t[lw.end - 2] == 0x80))) {
            a = b;
            continue;
        }
        /* "Kevin McCoy USA TODAY": capitals after a name in mixed case are
         * the outlet */
        int end = b;
        for (int k = a + 1; k < b; k++) {
            int caps = 1, prev_mixed = 0, letters = 0;
            for (uint32_t j = w[k].core.start; j < w[k].core.end; j++) {
                if (is_ascii_lower((unsigned char)t[j]))
                    caps = 0;
                letters += is_ascii_alpha((unsigned char)t[j]);
            }
            caps = caps && letters >= 2; /* "E." is an initial */
            for (uint32_t j = w[k - 1].core.start; j < w[k - 1].core.end; j++)
                if (is_ascii_lower((unsigned char)t[j]))
                    prev_mixed = 1;
            if (caps && prev_mixed) {
                end = k;
                break;
            }
        }
        /* "Über Moritz Bachmann", "Marcus De Guzman View More Articles": a
         * label word before the name and the page's words after it are no
         * part of it */
        while (a < end && wordset_has(&e->byline_words, fold_lower_hash(t, w[a].core)))
            a++;
        for (int k = a + 1; k < end; k++)
            if (wordset_has(&e->byline_words, fold_lower_hash(t, w[k].core)) ||
                wordset_has(&e->furniture_words, fold_lower_hash(t, w[k].core))) {
                end = k;
                break;
            }
        if (end <= a) {
            a = b > a ? b : a + 1;
            continue;
        }
        /* a bare line: a known first name, or the line's first two or three
         * words standing alone or before ", Outlet" or "| Outlet" */
        char after = t[w[end - 1].w.end - 1];
        int bare_ok = after_by || wordset_has(&e->first_names, fold_lower_hash(t, w[a].core)) ||
                      (a == from && end - a >= 2 && end - a <= 3 &&
                       (end == to || after == ',' || after == '|' || (end < to && t[w[end].w.start] == '|')));
        if (bare_ok && person_run(e, t, w, a, end, after_by)) {
            span name = {w[a].core.start, w[end - 1].core.end};
            while (name.end > name.start && t[name.end - 1] == '.' &&
                   !(name.end - 2 > name.start && is_ascii_upper((unsigned char)t[name.end - 2]) &&
                     (t[name.end - 3] == ' ' || t[name.end - 3] == '.')))
                name.end--;
            push_credit(out, &n, max, role, line, name);
        }
        a = b > a ? b : a + 1;
        if (!after_by && n && !(a < to && is_word(t, w[a].core, "and")))
            break; /* a bare line names one run unless "and" joins more */
    }
    return n;
}

/* Keeps the credits whose names are persons: "By Eric Song, IGN Staff" has
 * a piece with a byline word, "Photo by A/Getty Images" a piece after the
 * slash that is the agency; "Jonathan GarberFOXBusiness" loses its glued
 * outlet; "Mike Wall's" is an owner. Returns how many are kept. */
static int keep_persons(const enrich_engine *e, const char *t, credit *out, int n)
{
    int kept = 0;
    for (int k = 0; k < n; k++) {
        unsigned lower = 0, spaces = 0;
        for (uint32_t z = out[k].name.start; z < out[k].name.end; z++) {
            unsigned char c = (unsigned char)t[z];
            if (is_ascii_lower(c)) {
                lower++;
            } else if (is_ascii_upper(c) && lower >= 3) {
                if (spaces) /* "LinkNaija" is one word, not "Link" */
                    out[k].name.end = z;
                break;
            } else {
                spaces += c == ' ';
                lower = 0;
            }
        }
        bword pw[BWORDS_MAX];
        int np = bwords(t, out[k].name, pw), person = 1;
        /* "Elliot Brownstein Florida": a state or country after a name of
         * two words is where the writer is, not a name */
        if (np >= 3) {
            uint64_t h = phrases_hash_name(t + pw[np - 1].core.start, span_len(pw[np - 1].core));
            const phrase *ph = h ? phrases_find(&e->phrases, h) : NULL;
            if (ph && (ph->lists & (PH_REGION | PH_COUNTRY))) {
                out[k].name.end = pw[np - 2].core.end;
                np--;
            }
        }
        for (int j = 0; j < np && person; j++) {
            uint64_t h = fold_lower_hash(t, pw[j].core);
            person = !wordset_has(&e->byline_words, h) && !wordset_has(&e->furniture_words, h);
        }
        /* one word alone is a name only when it is a first name ("By
         * Regan") or in another script: "European", "CNN" and "for" are none */
        if (np == 1) {
            int ascii = 1;
            for (uint32_t z = pw[0].core.start; z < pw[0].core.end; z++)
                ascii &= (unsigned char)t[z] < 0x80;
            if (ascii && !wordset_has(&e->first_names, fold_lower_hash(t, pw[0].core)))
                person = 0;
        }
        span nm = out[k].name;
        if (span_len(nm) > 2 && t[nm.end - 1] == 's' &&
            (t[nm.end - 2] == '\'' || ((unsigned char)t[nm.end - 2] == 0x99 && span_len(nm) > 4)))
            person = 0;
        if (person)
            out[kept++] = out[k];
    }
    return kept;
}

int credits_parse_byline(const enrich_engine *e, const char *t, span line, credit *out, int max)
{
    line = text_trim(t, line);
    if (span_empty(line) || span_len(line) > 300)
        return 0;
    int n = credits_parse_line(t, line, out, max);
    if (n > 0) {
        return keep_persons(e, t, out, n);
    }
    bword w[BWORDS_MAX];
    int nw = bwords(t, line, w);
    /* "Keith Bradsher contributed reporting.", "Fox News' Jessica Napoli
     * contributed to this report.": the name nearest the verb */
    for (int k = 1; k < nw; k++) {
        if (is_word(t, w[k].core, "contributed")) {
            /* "writer Ben Ortiz in Washington contributed": the place is
             * no name */
            int end = k;
            for (int j = 1; j < k; j++)
                if (is_word(t, w[j].w, "in") || is_word(t, w[j].w, "from") || is_word(t, w[j].w, "at")) {
                    end = j;
                    break;
                }
            credit tmp[CREDITS_MAX_PER_LINE];
            int got = collect_names(e, t, line, w, 0, end, 1, ROLE_REPORTER, tmp, CREDITS_MAX_PER_LINE);
            if (got > 0 && max > 0) {
                out[0] = tmp[got - 1];
                return 1;
            }
            return 0;
        }
    }
    /* names start after "by" or a short label ending in a colon; a (c)
     * mark opens a photo credit */
    int from = 0, after_by = 0;
    credit_role role = ROLE_AUTHOR;
    if (nw > 1 && ((span_len(w[0].w) == 2 && (unsigned char)t[w[0].w.start] == 0xC2 &&
                    (unsigned char)t[w[0].w.start + 1] == 0xA9) ||
                   is_word(t, w[0].w, "(c)"))) {
        return collect_names(e, t, line, w, 1, nw, 1, ROLE_PHOTOGRAPHER, out, max);
    }
    for (int k = 0; k < nw && k < 12; k++) {
        if (is_word(t, w[k].core, "by") || is_word(t, w[k].core, "por") || is_word(t, w[k].core, "von")) {
            from = k + 1;
            after_by = 1;
            if (k > 0 && (is_word(t, w[k - 1].core, "edited") || is_word(t, w[k - 1].core, "editing")))
                role = ROLE_EDITOR;
            else if (k > 0 && (is_word(t, w[k - 1].core, "reporting") || is_word(t, w[k - 1].core, "reported")))
                role = ROLE_REPORTER;
            else if (k > 0 && (is_word(t, w[k - 1].core, "photo") || is_word(t, w[k - 1].core, "photos") ||
                               is_word(t, w[k - 1].core, "photograph")))
                role = ROLE_PHOTOGRAPHER;
            break;
        }
        if (k < 2 && t[w[k].w.end - 1] == ':' && span_len(w[k].w) >= 3 && span_len(w[k].w) <= 16) { /* not "A:" */
            from = k + 1;
            after_by = 1;
            break;
        }
    }
    /* a line of a dozen words or more with no "by" is a sentence, no
     * byline ("New York Islanders' Brock Nelson (29) puts the ...") */
    if (!after_by && nw > 12)
        return 0;
    /* a bare line may open with a bullet or a date ("21/06/2014 Tony
     * Carter", "November 20, 2019 Emiliano Bellini"): the names start after */
    if (!after_by) {
        while (from < nw && (span_empty(w[from].core) || is_ascii_digit((unsigned char)t[w[from].core.start]) ||
                             date_word(t, w[from].core) || is_word(t, w[from].core, "-")))
            from++;
    }
    /* the names end at a separator, a digit or an address */
    int to = from;
    while (to < nw) {
        span c = w[to].w;
        unsigned char c0 = (unsigned char)t[c.start];
        if (span_len(c) == 1 && (c0 == '-' || c0 == '|' || c0 == '/' || c0 == '*'))
            break;
        if (c0 == 0xE2 && span_len(c) <= 3) /* a dash or a bullet alone */
            break;
        if (is_ascii_digit(c0) || c0 == '@' || c0 == '(')
            break;
        if (is_word(t, w[to].core, "on") || is_word(t, w[to].core, "updated") ||
            is_word(t, w[to].core, "published") || is_word(t, w[to].core, "is"))
            break;
        to++;
        char last = t[c.end - 1];
        if (last == '|')
            break;
    }
    int got = collect_names(e, t, line, w, from, to, after_by, role, out, max);
    return got > 0 ? keep_persons(e, t, out, got) : got;
}

/* Is the word "Photo/Name" (or "Photos/", "Photograph/")? */
static int slash_after_photo(const char *t, span w)
{
    uint32_t z = w.start;
    while (z < w.end && t[z] != '/')
        z++;
    if (z >= w.end || z + 1 >= w.end || !is_ascii_upper((unsigned char)t[z + 1]))
        return 0;
    span head = {w.start, z};
    return text_ieq(t, head, "photo") || text_ieq(t, head, "photos") || text_ieq(t, head, "photograph");
}

int credits_parse_photo(const enrich_engine *e, const char *t, span line, credit *out, int max)
{
    line = text_trim(t, line);
    if (span_empty(line) || span_len(line) > 600)
        return 0;
    credit tmp[CREDITS_MAX_PER_LINE];
    int n = 0;
    int k = keep_persons(e, t, tmp, credits_parse_line(t, line, tmp, CREDITS_MAX_PER_LINE));
    for (int j = 0; j < k; j++)
        if (tmp[j].role == ROLE_PHOTOGRAPHER)
            push_credit(out, &n, max, ROLE_PHOTOGRAPHER, line, tmp[j].name);
    if (n)
        return n;
    bword w[BWORDS_MAX];
    int nw = bwords(t, line, w);
    /* a short credit line under an image: "Alex Wong | Getty Images",
     * "Al Goldis, Associated Press" */
    if (nw >= 3 && nw <= 8) {
        int b = 0;
        while (b < nw && b < 4 && is_cap_word(t, w[b].core) && t[w[b].w.end - 1] != ',' && t[w[b].w.end - 1] != '|')
            b++;
        if (b < nw && b < 4 && is_cap_word(t, w[b].core) && (t[w[b].w.end - 1] == ',' || t[w[b].w.end - 1] == '|'))
            b++;
        else if (b < nw && !(span_len(w[b].w) == 1 && t[w[b].w.start] == '|'))
            b = 0;
        if (b >= 2 && b < nw && wordset_has(&e->first_names, fold_lower_hash(t, w[0].core)) &&
            person_run(e, t, w, 0, b, 0)) {
            push_credit(out, &n, max, ROLE_PHOTOGRAPHER, line, (span){w[0].core.start, w[b - 1].core.end});
            return n;
        }
    }
    for (int i = 0; i < nw && n < max; i++) {
        span c = w[i].w;
        /* "(c) A", "© A", "Photo: A", "Photo by A", "Credit: A", "Image Source: A" */
        int start = -1;
        if ((span_len(c) == 2 && (unsigned char)t[c.start] == 0xC2 && (unsigned char)t[c.start + 1] == 0xA9) ||
            is_word(t, c, "(c)"))
            start = i + 1;
        else if ((text_istarts(t, c, "photo") || text_istarts(t, c, "image") || text_istarts(t, c, "credit") ||
                  text_istarts(t, c, "source")) &&
                 t[c.end - 1] == ':')
            start = i + 1;
        else if ((text_istarts(t, c, "photo") || text_istarts(t, c, "photograph")) && i + 1 < nw &&
                 is_word(t, w[i + 1].core, "by"))
            start = i + 2;
        if (start >= 0 && start < nw) {
            int end = start;
            while (end < nw && end - start < 5 && is_cap_word(t, w[end].core)) {
                end++;
                char last = t[w[end - 1].w.end - 1];
                if (last == ',' || last == '/' || last == ')' || last == '|')
                    break;
                if (end < nw && (t[w[end].w.start] == '/' || t[w[end].w.start] == '|'))
                    break;
            }
            /* "© John Brecher Needle poking skin ...": a capitalised word
             * before the caption's lower case opens the caption */
            if (end - start >= 3 && end < nw && is_ascii_lower((unsigned char)t[w[end].core.start]) &&
                t[w[end - 1].w.end - 1] != ',')
                end--;
            /* "A/Agency" inside one word: cut at the slash */
            if (end > start) {
                span name = {w[start].core.start, w[end - 1].core.end};
                for (uint32_t z = name.start; z < name.end; z++)
                    if (t[z] == '/') {
                        name.end = z;
                        break;
                    }
                name = text_trim(t, name);
                bword nwv[BWORDS_MAX];
                int nn = bwords(t, name, nwv);
                if (nn >= 2 && person_run(e, t, nwv, 0, nn, 0))
                    push_credit(out, &n, max, ROLE_PHOTOGRAPHER, line, name);
            }
            continue;
        }
        /* "(Agency Photo/Jane Doe)": the name after the slash */
        if (slash_after_photo(t, c)) {
            uint32_t z = c.start;
            while (z < c.end && t[z] != '/')
                z++;
            span first = {z + 1, c.end};
            int end = i + 1;
            while (end < nw && end - i < 4 && is_cap_word(t, w[end].core)) {
                end++;
                char last = t[w[end - 1].w.end - 1];
                if (last == ')' || last == ',' || last == ';')
                    break;
            }
            span name = {first.start, end > i + 1 ? w[end - 1].core.end : c.end};
            while (name.end > name.start && (t[name.end - 1] == ')' || t[name.end - 1] == ',' || t[name.end - 1] == '.'))
                name.end--;
            bword nwv[BWORDS_MAX];
            int nn = bwords(t, name, nwv);
            if (nn >= 2 && person_run(e, t, nwv, 0, nn, 0)) {
                push_credit(out, &n, max, ROLE_PHOTOGRAPHER, line, name);
                continue;
            }
        }
        /* "A/Agency", "A / Agency", "...Credit...A/Outlet": the capitalized
         * words before the slash */
        uint32_t slash = c.end;
        for (uint32_t z = c.start; z < c.end; z++)
            if (t[z] == '/') {
                slash = z;
                break;
            }
        int slash_next = slash == c.end && i + 1 < nw && span_len(w[i + 1].w) == 1 && t[w[i + 1].w.start] == '/';
        if (slash == c.end && !slash_next)
            continue;
        span lastw = slash_next ? w[i].core : (span){c.start, slash};
        /* cut what is glued in front: "it.Credit...Doug" -> "Doug" */
        for (uint32_t z = lastw.end; z > lastw.start; z--)
            if (t[z - 1] == '.' || t[z - 1] == '(' || t[z - 1] == ')') {
                lastw.start = z;
                break;
            }
        while (lastw.start < lastw.end && !is_ascii_alpha(t[lastw.start]) && (unsigned char)t[lastw.start] < 0x80)
            lastw.start++;
        if (span_empty(lastw) || !is_cap_word(t, lastw))
            continue;
        int a = i;
        span first = lastw;
        while (a > 0 && i - a < 4) {
            /* the word before, or its part after a glued sentence's end
             * ("it.Credit...Doug") */
            span prev = w[a - 1].core;
            int glued = 0;
            for (uint32_t z = prev.end - 1; z > prev.start; z--) /* a closing dot is an initial's */
                if (t[z - 1] == '.' || t[z - 1] == '(') {
                    glued = 1;
                    prev.start = z;
                    break;
                }
            char last = t[w[a - 1].w.end - 1];
            int initial = span_len(prev) == 2 && last == '.';
            if (!is_cap_word(t, prev) || (last == '.' && !initial) || last == ',' || last == ')' || last == ':')
                break;
            a--;
            first = prev;
            if (glued)
                break;
        }
        span name = {first.start, lastw.end};
        bword nwv[BWORDS_MAX];
        int nn = bwords(t, name, nwv);
        if (nn >= 2 && person_run(e, t, nwv, 0, nn, 0))
            push_credit(out, &n, max, ROLE_PHOTOGRAPHER, line, name);
    }
    return n;
}

/* ---- the stage ---------------------------------------------------------- */

/* Are t[a] and t[b] the same text but for ASCII case? */
static int same_letters(const char *t, span a, span b)
{
    if (span_len(a) != span_len(b))
        return 0;
    for (uint32_t i = 0; i < span_len(a); i++)
        if (ascii_lower((unsigned char)t[a.start + i]) != ascii_lower((unsigned char)t[b.start + i]))
            return 0;
    return 1;
}

static int add_credits(enrich_doc *doc, const credit *c, int n)
{
    for (int k = 0; k < n; k++) {
        /* a name repeated on the lines of one byline block ("By" / "Jane
         * Doe" / "Jane Doe"): the last few credits are enough to look at,
         * and keep the cost linear */
        int dup = 0;
        for (uint32_t j = doc->credits.n > 32 ? doc->credits.n - 32 : 0; j < doc->credits.n && !dup; j++) {
            const credit *o = &doc->credits.v[j];
            dup = o->role == c[k].role && span_len(o->name) == span_len(c[k].name) &&
                  same_letters(doc->text, o->name, c[k].name);
        }
        if (dup)
            continue;
        credit *slot = DOC_PUSH(doc, doc->credits);
        if (!slot)
            return -1;
        *slot = c[k];
    }
    return 0;
}

/* Credits by position: the clause, then the name within it ("By A and B"). */
static int cmp_credit(const void *a, const void *b)
{
    const credit *x = a, *y = b;
    if (x->clause.start != y->clause.start)
        return x->clause.start < y->clause.start ? -1 : 1;
    return (x->name.start > y->name.start) - (x->name.start < y->name.start);
}

/* Stage "credits": bylines, photo credits and sign-offs, by position. */
int credits_run(enrich_doc *doc)
{
    const char *t = doc->text;
    const enrich_engine *e = doc->engine;
    credit cr[CREDITS_MAX_PER_LINE];
    for (uint32_t i = 0; i < doc->nlines; i++) {
        const line_info *l = &doc->lines[i];
        span s = l->s;
        int k = 0;
        if (l->role == LR_BYLINE) {
            k = credits_parse_byline(e, t, s, cr, CREDITS_MAX_PER_LINE);
        } else if (l->role == LR_CAPTION) {
            k = credits_parse_photo(e, t, s, cr, CREDITS_MAX_PER_LINE);
            /* a caption line that is a name and nothing else credits the
             * photograph ("Clay Patrick McBride" under the image) */
            if (k == 0 && l->words >= 2 && l->words <= 4 &&
                credits_parse_byline(e, t, s, cr, CREDITS_MAX_PER_LINE) == 1 && cr[0].name.start == s.start &&
                cr[0].name.end == s.end) {
                cr[0].role = ROLE_PHOTOGRAPHER;
                k = 1;
            }
        } else if (l->role == LR_SIGNOFF) {
            k = credits_parse_line(t, s, cr, CREDITS_MAX_PER_LINE);
        }
        if (k > 0 && add_credits(doc, cr, k))
            return -1;
    }
    if (doc->credits.n > 1)
        qsort(doc->credits.v, doc->credits.n, sizeof *doc->credits.v, cmp_credit);
    return 0;
}
