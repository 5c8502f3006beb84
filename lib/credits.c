/*
 * credits.c - the credits recognizer. Reads one line that layout offers
 * (a byline under the headline, credit lines at the end); adds credits,
 * each a role and a name, with the clause it came from.
 */
#include "credits.h"

#include <string.h>

#include "utf8.h"

/* Role phrases, longest first so "written in English by" beats "written by". */
static const struct {
    const char *phrase;
    credit_role role;
} roles[] = {
    {"additional reporting by", ROLE_REPORTER},
    {"written in english by", ROLE_TRANSLATOR},
    {"photographs by", ROLE_PHOTOGRAPHER},
    {"photography by", ROLE_PHOTOGRAPHER},
    {"translation by", ROLE_TRANSLATOR},
    {"translated by", ROLE_TRANSLATOR},
    {"reporting by", ROLE_REPORTER},
    {"reported by", ROLE_REPORTER},
    {"compiled by", ROLE_AUTHOR},
    {"editing by", ROLE_EDITOR},
    {"edited by", ROLE_EDITOR},
    {"writing by", ROLE_AUTHOR},
    {"written by", ROLE_AUTHOR},
    {"photos by", ROLE_PHOTOGRAPHER},
    {"photo by", ROLE_PHOTOGRAPHER},
    {"photographs:", ROLE_PHOTOGRAPHER},
    {"photos:", ROLE_PHOTOGRAPHER},
    {"photo:", ROLE_PHOTOGRAPHER},
    {"story by", ROLE_AUTHOR},
    {"words by", ROLE_AUTHOR},
    {"by", ROLE_AUTHOR},
};

static const char *const role_names[] = {"author", "reporter", "editor", "translator",
                                         "photographer"};

/* Words that may stand inside a name in lower case. */
static const char *const name_particles[] = {"de", "da", "di", "do", "dos", "du", "del",
                                             "della", "van", "von", "der", "den", "ter",
                                             "bin", "binti", "al", "el", "la", "le", "y"};

/* Credit pieces that are no person: the agency or a desk. */
static const char *const non_names[] = {"Reuters", "AP", "The Associated Press",
                                        "Associated Press", "AFP", "Agence France-Presse",
                                        "Bloomberg", "UPI", "Yonhap", "Kyodo", "Xinhua",
                                        "dpa", "staff", "Staff", "Staff Writer",
                                        "staff writer", "Staff Reporter"};

const char *credits_role_name(credit_role role)
{
    return role_names[role];
}

static int is_name_particle(const char *t, span w)
{
    for (size_t i = 0; i < sizeof name_particles / sizeof name_particles[0]; i++)
        if (span_len(w) == strlen(name_particles[i]) &&
            memcmp(t + w.start, name_particles[i], span_len(w)) == 0)
            return 1;
    return 0;
}

static int is_non_name(const char *t, span s)
{
    for (size_t i = 0; i < sizeof non_names / sizeof non_names[0]; i++)
        if (span_len(s) == strlen(non_names[i]) && memcmp(t + s.start, non_names[i], span_len(s)) == 0)
            return 1;
    return 0;
}

/* A person's name: one to six words, each capitalized (or a particle),
 * letters, dots, hyphens and apostrophes only. */
static int name_like(const char *t, span s)
{
    unsigned words = 0;
    uint32_t i = s.start;
    while (i < s.end) {
        size_t sp = utf8_space_at(t, s.end, i);
        if (sp) {
            i += (uint32_t)sp;
            continue;
        }
        span w = {i, i};
        while (w.end < s.end && !utf8_space_at(t, s.end, w.end))
            w.end++;
        unsigned char c0 = (unsigned char)t[w.start];
        int ok = is_ascii_upper(c0) || c0 >= 0x80 || (words > 0 && is_name_particle(t, w));
        for (uint32_t k = w.start; ok && k < w.end; k++) {
            unsigned char c = (unsigned char)t[k];
            ok = is_ascii_alpha(c) || c == '.' || c == '-' || c == '\'' || c >= 0x80;
        }
        if (!ok)
            return 0;
        words++;
        i = w.end;
    }
    return words >= 1 && words <= 6;
}

/* Cuts a " in Seoul" or " at the U.N." place off the end of a name. */
static span drop_place(const char *t, span s)
{
    static const char *const seps[] = {" in ", " at ", " from "};
    for (size_t k = 0; k < sizeof seps / sizeof seps[0]; k++) {
        long at = text_ifind(t, s, seps[k]);
        if (at >= 0 && memcmp(t + at, seps[k], strlen(seps[k])) == 0)
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
        if (i < line.end && t[i] != ';')
            continue;
        span clause = text_trim(t, (span){p, i});
        p = i + 1;
        if (span_empty(clause))
            continue;
        size_t r = 0;
        size_t nroles = sizeof roles / sizeof roles[0];
        while (r < nroles && !(text_istarts(t, clause, roles[r].phrase) &&
                               clause.start + strlen(roles[r].phrase) < clause.end &&
                               utf8_space_at(t, clause.end, clause.start + (uint32_t)strlen(roles[r].phrase))))
            r++;
        credit_role role;
        span names;
        if (r < nroles) {
            role = roles[r].role;
            names = (span){clause.start + (uint32_t)strlen(roles[r].phrase), clause.end};
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
