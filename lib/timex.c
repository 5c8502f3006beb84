/*
 * timex.c - the dates stage. Reads the tokens (headline, dateline, body;
 * never related-story titles or credits) and the reference date; adds
 * TIMEX3 expressions with their values.
 *
 * Words are looked up in tables (months, weekdays, numbers, units, seasons,
 * parts of the day, reference words, modifiers, tense cues); a small set of
 * matchers, tried leftmost-longest at each token, combines them. Extents
 * follow the TimeML guidelines as TempEval-3 annotates them: determiners and
 * modifiers in, the preposition before and a possessive 's out.
 */
#include "timex.h"
#include "hashtab.h"
#include "rules.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "fold.h"

/* ---- tables --------------------------------------------------------------- */

/* A word and its number: rules_word_value (build/gen/rules.h). */
typedef rules_word_value word_value;

/* A unit's row of data/rules/timex.txt [units]: its word, ISO 8601
 * letter, whether it goes after a T (time units) and its multiple. */
typedef const char *const *unit_row;

static char unit_letter(unit_row u)
{
    return u[1][0];
}

static int unit_time(unit_row u)
{
    return u[2][0] == '1';
}

static int unit_mult(unit_row u)
{
    return atoi(u[3]);
}

static const char *const season_codes[] = {"", "SP", "SU", "FA", "WI"};

static const char *const day_part_codes[] = {"", "MO", "AF", "EV", "NI", "NI"};

/* The matchers, as bits of a trigger's mask (the order of matchers[]). */
enum {
    M_VAGUE_SHIFT = 1u << 0, M_COUNT = 1u << 1, M_SHIFT = 1u << 2, M_MONTH = 1u << 3,
    M_WEEKDAY = 1u << 4,     M_CLOCK = 1u << 5, M_YEAR = 1u << 6,  M_SET = 1u << 7,
    M_DEICTIC = 1u << 8,     M_REF = 1u << 9,   M_VAGUE = 1u << 10, M_HOLIDAY = 1u << 11,
};
#define M_ALL ((1u << 12) - 1)

/* Tense cue classes, kept in the same word table above the matcher bits. */
enum { T_FUTURE = 1u << 13, T_PAST = 1u << 14, T_PASSIVE = 1u << 15 };


/* What a number opens: "30 September", "10:35", "1990", "two weeks". */
#define M_NUMBER (M_MONTH | M_CLOCK | M_YEAR | M_COUNT)

/* FNV-1a of a lower-case word as the token view holds it. */
static uint64_t word_hash(const char *w, size_t n)
{
    uint64_t h = fold_fnv1a(w, n);
    return h ? h : 1;
}

/* The matchers' names, as data/rules/timex.txt [openers] writes them. */
static const struct {
    const char *name;
    unsigned bit;
} matcher_names[] = {
    {"vague_shift", M_VAGUE_SHIFT}, {"count", M_COUNT}, {"shift", M_SHIFT},     {"month", M_MONTH},
    {"weekday", M_WEEKDAY},         {"clock", M_CLOCK}, {"year", M_YEAR},       {"set", M_SET},
    {"deictic", M_DEICTIC},         {"ref", M_REF},     {"vague", M_VAGUE},     {"holiday", M_HOLIDAY},
};

/* The bits of the matchers named in s ("shift count"); 0 when a name is
 * none of them (a typo in the list: the engine is then not built). */
static unsigned matcher_bits(const char *s)
{
    unsigned bits = 0;
    while (*s) {
        size_t n = strcspn(s, " ");
        unsigned bit = 0;
        for (size_t k = 0; k < sizeof matcher_names / sizeof matcher_names[0]; k++)
            if (strlen(matcher_names[k].name) == n && memcmp(matcher_names[k].name, s, n) == 0)
                bit = matcher_names[k].bit;
        if (!bit)
            return 0;
        bits |= bit;
        s += n + (s[n] == ' ');
    }
    return bits;
}

/* A trigger slot holds the word's hash in the high 48 bits and its
 * matcher mask in the low 16 (0 = empty slot). */
#define TRIGGER_KEY(h) ((h) & ~(uint64_t)0xFFFF)

static void trigger_add(uint64_t *slots, uint32_t n, const char *w, unsigned matchers)
{
    uint64_t key = TRIGGER_KEY(word_hash(w, strlen(w)));
    uint32_t i = hashtab_first(key >> 16, n);
    while (slots[i] && TRIGGER_KEY(slots[i]) != key)
        i = hashtab_next(i, n);
    slots[i] = key | (slots[i] & 0xFFFF) | matchers;
}

int timex_triggers_build(uint64_t **out, uint32_t *n_out)
{
    uint32_t n = 1024;
    uint64_t *slots = calloc(n, sizeof *slots);
    if (!slots)
        return -1;
    char buf[40];
    for (size_t i = 0; calendar_month_spelling(i); i++) {
        trigger_add(slots, n, calendar_month_spelling(i), M_MONTH);
        snprintf(buf, sizeof buf, "%s.", calendar_month_spelling(i));
        trigger_add(slots, n, buf, M_MONTH);
    }
    for (size_t i = 0; calendar_month_foreign_spelling(i); i++)
        trigger_add(slots, n, calendar_month_foreign_spelling(i), M_MONTH);
    for (size_t i = 0; i < RULES_N(rules_timex_weekdays); i++)
        trigger_add(slots, n, rules_timex_weekdays[i].word, M_WEEKDAY | M_MONTH);
    for (size_t i = 0; i < RULES_N(rules_timex_numbers); i++)
        trigger_add(slots, n, rules_timex_numbers[i].word, M_COUNT);
    /* years in words: "nineteen ninety-six", "two thousand" */
    trigger_add(slots, n, "eighteen", M_YEAR);
    trigger_add(slots, n, "nineteen", M_YEAR);
    trigger_add(slots, n, "two", M_YEAR);
    for (size_t i = 0; i < RULES_N(rules_timex_ordinals); i++)
        trigger_add(slots, n, rules_timex_ordinals[i].word, M_COUNT);
    for (size_t i = 0; i < RULES_N(rules_timex_units); i++) {
        snprintf(buf, sizeof buf, "%ss", rules_timex_units[i][0]);
        trigger_add(slots, n, buf, M_VAGUE);
    }
    for (size_t i = 0; i < RULES_N(rules_timex_ref_words); i++)
        trigger_add(slots, n, rules_timex_ref_words[i][0], M_REF);
    for (size_t i = 0; i < RULES_N(rules_timex_set_words); i++)
        trigger_add(slots, n, rules_timex_set_words[i][0], M_SET);
    for (size_t i = 0; i < RULES_N(rules_timex_openers); i++) {
        unsigned bits = matcher_bits(rules_timex_openers[i][1]);
        if (!bits) {
            free(slots);
            return -1;
        }
        trigger_add(slots, n, rules_timex_openers[i][0], bits);
    }
    for (size_t i = 0; i < RULES_N(rules_timex_seasons); i++)
        trigger_add(slots, n, rules_timex_seasons[i].word, M_YEAR); /* "summer 2020" */
    for (size_t i = 0; i < RULES_N(rules_timex_holidays); i++) {
        char first[32]; /* the holiday's first word */
        snprintf(first, sizeof first, "%.*s", (int)strcspn(rules_timex_holidays[i][0], " "), rules_timex_holidays[i][0]);
        trigger_add(slots, n, first, M_HOLIDAY);
    }
    for (size_t i = 0; i < RULES_N(rules_timex_future_cues); i++)
        trigger_add(slots, n, rules_timex_future_cues[i], T_FUTURE);
    for (size_t i = 0; i < RULES_N(rules_timex_past_cues); i++)
        trigger_add(slots, n, rules_timex_past_cues[i], T_PAST);
    for (size_t i = 0; i < RULES_N(rules_timex_passive_cues); i++)
        trigger_add(slots, n, rules_timex_passive_cues[i], T_PASSIVE);
    *out = slots;
    *n_out = n;
    return 0;
}

/* The bits the word table holds for w (lower case): matchers, tense cues. */
static unsigned word_bits(const enrich_doc *doc, const char *w, size_t wn)
{
    const uint64_t *slots = doc->engine->timex_triggers;
    uint64_t key = TRIGGER_KEY(word_hash(w, wn));
    uint32_t i = hashtab_first(key >> 16, doc->engine->timex_trigger_slots);
    while (slots[i]) {
        if (TRIGGER_KEY(slots[i]) == key)
            return (unsigned)(slots[i] & 0xFFFF);
        i = hashtab_next(i, doc->engine->timex_trigger_slots);
    }
    return 0;
}

/* The matchers that can start at this token (w its lower-case view); 0
 * when no expression can. */
static unsigned trigger_matchers(const enrich_doc *doc, span s, const char *w, size_t wn)
{
    /* Numbers that can start a date: up to four digits ("30", "1990"), with
     * an ordinal ending ("30th"), a clock ("10:35"), an ISO date, a decade
     * ("1990s") or a hyphen compound ("16-hour"); not "155,221" or "6.13". */
    const char *t = doc->text;
    if (t[s.start] >= '0' && t[s.start] <= '9') {
        uint32_t k = s.start;
        while (k < s.end && t[k] >= '0' && t[k] <= '9')
            k++;
        if (k - s.start > 4)
            return 0;
        int shaped = k == s.end || t[k] == '-' || t[k] == ':' || t[k] == 's' || t[k] == 't' || t[k] == 'n' ||
                     t[k] == 'r';
        if (!shaped && (t[k] == '/' || t[k] == '.') && k + 1 < s.end && t[k + 1] >= '0' && t[k + 1] <= '9') {
            /* "27/09/2018", "18.11.2019": a numeric date has a second
             * separator of the same kind ("1.5" and "3/4" have none) */
            for (uint32_t j = k + 2; j < s.end; j++)
                if (t[j] == t[k])
                    return M_MONTH;
            return 0;
        }
        return shaped ? M_NUMBER : 0;
    }
    /* "'58", "the '80s": a year or a decade with its century left out */
    if (wn >= 3 && wn <= 4 && w[0] == '\'' && (s.start == 0 || !strchr("'`\"", t[s.start - 1])) &&
        is_ascii_digit((unsigned char)w[1]) &&
        is_ascii_digit((unsigned char)w[2]) && (wn == 3 || w[3] == 's'))
        return M_YEAR;
    for (uint32_t k = s.start; k < s.end; k++)
        if (t[k] == '-') /* "five-year", "third-quarter", "mid-November", "mid-1950s" */
            return M_COUNT | M_MONTH | (k + 1 < s.end && t[k + 1] >= '0' && t[k + 1] <= '9' ? M_YEAR : 0) |
                   (word_bits(doc, w, wn) & M_ALL); /* "year-end" */
    return word_bits(doc, w, wn) & M_ALL;
}

/* ---- token view ------------------------------------------------------------ */

typedef struct tok {
    char w[32];    /* lower case, curly quotes folded, trailing "." kept */
    size_t n;
    span s;
} tok;

#define TENSE_UNREAD 2

typedef struct ctx {
    enrich_doc *doc;
    const tok *t;
    uint32_t n;    /* tokens of the sentence */
    int8_t *tense; /* per token: tense_of, or TENSE_UNREAD */
} ctx;

/* The first byte decides most comparisons without a call. */
static inline int eq(const tok *t, const char *w)
{
    return t->w[0] == w[0] && strcmp(t->w, w) == 0;
}

static int lookup(const word_value *tab, size_t n, const tok *t)
{
    for (size_t i = 0; i < n; i++)
        if (tab[i].word[0] == t->w[0] && strcmp(tab[i].word, t->w) == 0)
            return tab[i].value;
    return 0;
}
#define LOOKUP(tab, t) lookup(tab, sizeof tab / sizeof tab[0], t)

/* A number in digits ("16", "1,750" is no count) or in words; 0 if none,
 * -1 for a vague one ("several"). */
static int number_of(const tok *t)
{
    if (t->n > 0 && t->n <= 4) {
        int v = 0;
        size_t i = 0;
        for (; i < t->n && t->w[i] >= '0' && t->w[i] <= '9'; i++)
            v = v * 10 + (t->w[i] - '0');
        if (i == t->n)
            return v;
    }
    return LOOKUP(rules_timex_numbers, t);
}

/* A unit word, singular or plural ("years", "year's" is not). */
static unit_row unit_of(const char *w, size_t n, int *plural)
{
    *plural = 0;
    for (size_t i = 0; i < RULES_N(rules_timex_units); i++) {
        const char *word = rules_timex_units[i][0];
        size_t k = strlen(word);
        if (n == k && memcmp(w, word, k) == 0)
            return rules_timex_units[i];
        if (n == k + 1 && memcmp(w, word, k) == 0 && w[k] == 's') {
            *plural = 1;
            return rules_timex_units[i];
        }
    }
    return NULL;
}

static int month_of(const enrich_doc *doc, const tok *t)
{
    int m = calendar_month(t->w, t->n);
    if (!m)
        return 0;
    /* "may" and "march" in lower case are verbs; "sat" and "sun" words */
    unsigned char c0 = (unsigned char)doc->text[t->s.start];
    if (!(c0 >= 'A' && c0 <= 'Z'))
        return 0;
    return m;
}

/* A month named in another language ("outubro"): only a word the trigger
 * table knows as a month is looked up. */
static int foreign_month(const ctx *c, const tok *t)
{
    return (word_bits(c->doc, t->w, t->n) & M_MONTH) ? calendar_month_foreign(t->w, t->n) : 0;
}

static int year_of(const tok *t)
{
    if (t->n != 4)
        return 0;
    int v = 0;
    for (int i = 0; i < 4; i++) {
        if (t->w[i] < '0' || t->w[i] > '9')
            return 0;
        v = v * 10 + (t->w[i] - '0');
    }
    return v >= 1800 && v <= 2100 ? v : 0;
}

/* "ninety", "ninety-six": 20 to 99 in words; 0 if not. */
static int tens_of(const tok *t)
{
    const char *dash = strchr(t->w, '-');
    tok head = *t;
    if (dash) {
        head.n = (size_t)(dash - t->w);
        head.w[head.n] = 0;
    }
    int v = LOOKUP(rules_timex_numbers, &head);
    if (v < 20 || v > 90 || v % 10)
        return 0;
    if (!dash)
        return v;
    tok tail = {.n = t->n - head.n - 1};
    memcpy(tail.w, dash + 1, tail.n + 1);
    int u = LOOKUP(rules_timex_numbers, &tail);
    return u >= 1 && u <= 9 ? v + u : 0;
}

/* A year at token k, in digits or in words as broadcast transcripts write
 * it ("nineteen ninety-six", "two thousand and one"); *next is the token
 * after it. 0 if none. */
static int year_at(const ctx *c, uint32_t k, uint32_t *next)
{
    int y = year_of(&c->t[k]);
    if (y) {
        *next = k + 1;
        return y;
    }
    if (k + 1 >= c->n)
        return 0;
    int hi = LOOKUP(rules_timex_numbers, &c->t[k]);
    if ((hi == 18 || hi == 19) && (y = tens_of(&c->t[k + 1]))) {
        *next = k + 2;
        return hi * 100 + y;
    }
    if (hi == 2 && eq(&c->t[k + 1], "thousand")) {
        uint32_t u = k + 2;
        if (u + 1 < c->n && eq(&c->t[u], "and"))
            u++;
        int low = u < c->n ? LOOKUP(rules_timex_numbers, &c->t[u]) : 0;
        if (low >= 1 && low <= 19 && !eq(&c->t[u], "a") && !eq(&c->t[u], "an")) {
            *next = u + 1;
            return 2000 + low;
        }
        *next = k + 2;
        return 2000;
    }
    return 0;
}

/* The day a range's second day opens at ("5-7", "5\u20137"), or 0. */
static size_t range_tail(const tok *t, size_t i, int first)
{
    size_t j = i;
    if (j < t->n && t->w[j] == '-')
        j++;
    else if (j + 2 < t->n && (unsigned char)t->w[j] == 0xE2 && (unsigned char)t->w[j + 1] == 0x80 &&
             ((unsigned char)t->w[j + 2] == 0x93 || (unsigned char)t->w[j + 2] == 0x94))
        j += 3; /* en or em dash */
    else
        return 0;
    int v = 0;
    size_t k = j;
    for (; k < t->n && k < j + 3 && t->w[k] >= '0' && t->w[k] <= '9'; k++)
        v = v * 10 + (t->w[k] - '0');
    return k == t->n && k > j && k - j <= 2 && v > first && v <= 31 ? j : 0;
}

/* A day ("30", "30th"), or the first day of a range ("5-7"); *rest gets
 * the bytes the range adds after the first day, when rest is given. */
static int day_range_of(const tok *t, size_t *rest)
{
    int v = 0;
    size_t i = 0;
    if (rest)
        *rest = 0;
    for (; i < t->n && i < 3 && t->w[i] >= '0' && t->w[i] <= '9'; i++) /* a day has two digits at most */
        v = v * 10 + (t->w[i] - '0');
    if (i == 0 || i > 2)
        return 0;
    if (rest && i < t->n && v >= 1 && range_tail(t, i, v)) {
        *rest = t->n - i;
        return v;
    }
    /* 30, 30th, 1st */
    if (i < t->n && strcmp(t->w + i, "th") && strcmp(t->w + i, "st") && strcmp(t->w + i, "nd") &&
        strcmp(t->w + i, "rd"))
        return 0;
    return v >= 1 && v <= 31 ? v : 0;
}

static int day_of(const tok *t)
{
    return day_range_of(t, NULL);
}

/* ---- resolution -------------------------------------------------------------- */

static unsigned cue_bits(const ctx *c, uint32_t k)
{
    return word_bits(c->doc, c->t[k].w, c->t[k].n);
}

/* The tense of token k of the sentence alone: 1 future, -1 past, 0
 * neither. */
static int tense_of_token(const ctx *c, uint32_t k)
{
    const tok *t = &c->t[k];
    unsigned bits = cue_bits(c, k);
    if (bits & T_FUTURE)
        return 1;
    /* "set to resume", "is to meet" */
    if ((eq(t, "set") || eq(t, "is") || eq(t, "are")) && k + 1 < c->n && eq(&c->t[k + 1], "to"))
        return 1;
    /* a past form, or a word in -ed: "announced", "rallied" */
    int past = (bits & T_PAST) || (t->n >= 5 && t->w[t->n - 1] == 'd' && t->w[t->n - 2] == 'e');
    if (!past)
        return 0;
    if (k > 0 && (cue_bits(c, k - 1) & T_PASSIVE))
        return 0;
    /* "were planning", "was scheduled", "had been expected": looking
     * forward from the past */
    for (uint32_t j = k + 1; j < c->n && j <= k + 2; j++) {
        if ((cue_bits(c, j) & T_FUTURE) || eq(&c->t[j], "planning"))
            return 1;
        if (!eq(&c->t[j], "been") && !eq(&c->t[j], "still") && !eq(&c->t[j], "not"))
            break;
    }
    return -1;
}

/* tense_of_token, read once per token of the sentence. */
static int tense_of(const ctx *c, uint32_t k)
{
    if (c->tense[k] == TENSE_UNREAD)
        c->tense[k] = (int8_t)tense_of_token(c, k);
    return c->tense[k];
}

/* Does the expression from token a to b look back (-1) or forward (1)
 * from the reference date, or can the sentence not say (0)? The nearest
 * cue wins, read outward from the expression: the verb that governs a date
 * is most often the closest one. A cue to the left counts one token nearer
 * than the same distance to the right. */
static int tense_at(const ctx *c, uint32_t a, uint32_t b)
{
    for (uint32_t d = 1; d <= c->n + 1; d++) {
        if (d <= a) {
            int t = tense_of(c, a - d);
            if (t)
                return t;
        }
        if (d > 1 && b + d - 2 < c->n) {
            int t = tense_of(c, b + d - 2);
            if (t)
                return t;
        }
    }
    return 0;
}

static int future_at(const ctx *c, uint32_t i)
{
    return tense_at(c, i, i + 1) > 0;
}

/* ---- matching ------------------------------------------------------------------ */

typedef struct match {
    uint32_t a, b; /* tokens [a, b) */
    uint32_t cut;  /* bytes off the last token's end: a day range's tail */
    timex_type type;
    char value[28];
    const char *grain;
} match;

static int has_ref(const ctx *c)
{
    return c->doc->has_ref;
}

#define REF_Y (c->doc->ref_year)
#define REF_M (c->doc->ref_month)
#define REF_D (c->doc->ref_day)

static void set_value(match *mt, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void set_value(match *mt, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(mt->value, sizeof mt->value, fmt, ap);
    va_end(ap);
}

/* The year of the ord-th quarter: this year's up to the current quarter,
 * last year's after it. */
static int quarter_year(const ctx *c, int ord)
{
    return REF_Y - ((REF_M - 1) / 3 + 1 < ord ? 1 : 0);
}

/* In a sentence about a quarter's results, "a year ago" is that quarter a
 * year before: the quarter named in the sentence, or the last one reported.
 * With story set, a quarter named earlier in the story counts too ("A year
 * earlier" opening the next sentence). Returns the quarter index
 * (year * 4 + q - 1), or -1 when there is none. */
static int earnings_quarter(const ctx *c, int story)
{
    int found = 0, ord = 0;
    for (uint32_t k = 0; k < c->n; k++) {
        /* "for the nine months", "the first half": a longer period */
        if (!found && (eq(&c->t[k], "months") || eq(&c->t[k], "half")))
            return -1;
        if (!strstr(c->t[k].w, "quarter"))
            continue;
        found = 1;
        const char *dash = strchr(c->t[k].w, '-');
        tok left = c->t[k];
        if (dash) {
            left.n = (size_t)(dash - c->t[k].w);
            left.w[left.n] = 0;
        } else if (k > 0) {
            left = c->t[k - 1];
        }
        int o = LOOKUP(rules_timex_ordinals, &left);
        if (o >= 1 && o <= 4)
            ord = o;
    }
    if (!found && story) {
        /* a quarter named earlier in the story ("... in the third quarter.
         * A year earlier, ...") */
        const enrich_doc *doc = c->doc;
        for (uint32_t d = doc->dates.n; d > 0; d--) {
            const timex *x = &doc->dates.v[d - 1];
            int y, q;
            /* the caller steps a year back: a quarter already a year
             * back ("the year-ago quarter") is no anchor */
            int reported = REF_Y * 4 + (REF_M - 1) / 3 - 1;
            if (strcmp(x->grain, "quarter") == 0 && sscanf(x->value, "%4d-Q%1d", &y, &q) == 2 &&
                y * 4 + q - 1 > reported - 4)
                return y * 4 + q - 1;
        }
        return -1;
    }
    if (!found)
        return -1;
    if (ord)
        return quarter_year(c, ord) * 4 + ord - 1;
    return REF_Y * 4 + (REF_M - 1) / 3 - 1; /* the last quarter reported */
}

/* "Sept. 30", "Sept. 30, 1989", "30 September 1989", "August 2023",
 * "April", "Monday, Oct. 26", with "early", "mid-", "late" before. */
/* The year of a month (and day; 0 if none) the text gives none for: before
 * the reference date in a past-tense sentence (tense < 0), after it in a
 * future one (tense > 0), else the nearest. A date up to two months on the
 * other side of the reference keeps its year whatever the tense: "will be
 * paid Dec. 14" in October. */
static int year_for(const enrich_doc *doc, int month, int day, int tense)
{
    int year = doc->ref_year;
    int ref_key = doc->ref_month * 32 + doc->ref_day, key = month * 32 + (day ? day : 15);
    int margin = tense ? 2 * 32 : 6 * 32;
    if (key - ref_key > margin && tense <= 0)
        year--;
    else if (ref_key - key > margin && tense >= 0)
        year++;
    return year;
}

/* Does the line t[s] open with a date: a digit or a month's name? */
static int opens_with_date(const char *t, span s)
{
    if (is_ascii_digit((unsigned char)t[s.start]))
        return 1;
    uint32_t e = s.start;
    while (e < s.end && (is_ascii_alpha((unsigned char)t[e]) || t[e] == '.'))
        e++;
    return e > s.start && calendar_month(t + s.start, e - s.start) > 0;
}

/* The year of a list's heading: a date that opens a line of a list
 * ("June 10 -- Tampa, FL") under a heading that names a year and ends with
 * a colon ("Tour 2020 dates:"), the lines between all opening with dates,
 * takes that year. 0: none. */
static int heading_year(const enrich_doc *doc, uint32_t pos)
{
    const char *t = doc->text;
    uint32_t e = pos;
    while (e > 0 && t[e - 1] != '\n') {
        if (t[e - 1] != ' ' && t[e - 1] != '\t')
            return 0; /* not the line's first word */
        e--;
    }
    for (int lines = 0; lines < 100 && e > 0; lines++) {
        uint32_t s = e - 1;
        while (s > 0 && t[s - 1] != '\n')
            s--;
        span line = text_trim(t, (span){s, e - 1});
        e = s;
        if (span_empty(line))
            continue;
        if (t[line.end - 1] == ':') {
            for (uint32_t k = line.start; k + 4 <= line.end; k++) {
                if ((k > line.start && is_ascii_digit((unsigned char)t[k - 1])) ||
                    (k + 4 < line.end && is_ascii_digit((unsigned char)t[k + 4])))
                    continue;
                int y = 0, ok = 1;
                for (int d = 0; d < 4 && ok; d++) {
                    ok = is_ascii_digit((unsigned char)t[k + (uint32_t)d]);
                    y = y * 10 + (t[k + (uint32_t)d] - '0');
                }
                if (ok && y >= 1900 && y <= 2099)
                    return y;
            }
            return 0;
        }
        if (!opens_with_date(t, line))
            return 0;
    }
    return 0;
}

/* A date written in numbers as one token: "2019-11-19", "2018.04.05",
 * "27/09/2018", "18.11.2019", "11/19/2019". The year has four digits; the
 * order of day and month, when both can be either, is the one nearer the
 * reference date, else day first for dots and month first for slashes. */
static int numeric_date(const ctx *c, const tok *t, int *y, int *m, int *d)
{
    int v[3] = {0, 0, 0}, len[3] = {0, 0, 0}, g = 0;
    char sep = 0;
    for (size_t i = 0; i < t->n; i++) {
        char ch = t->w[i];
        if (ch >= '0' && ch <= '9') {
            if (++len[g] > 4)
                return 0;
            v[g] = v[g] * 10 + (ch - '0');
        } else if ((ch == '-' || ch == '/' || ch == '.') && g < 2 && len[g] && (!sep || ch == sep)) {
            sep = ch;
            g++;
        } else if (ch == 't' && sep == '-' && g == 2 && len[0] == 4 && len[2] == 2 && i + 3 < t->n &&
                   t->w[i + 1] >= '0' && t->w[i + 1] <= '9' && t->w[i + 2] >= '0' && t->w[i + 2] <= '9' &&
                   t->w[i + 3] == ':') {
            break; /* "2019-11-19T12:48:14Z": the date of an ISO time stamp */
        } else {
            return 0;
        }
    }
    if (g != 2 || !len[2])
        return 0;
    if (len[0] == 4 && len[1] <= 2 && len[2] <= 2) {
        *y = v[0], *m = v[1], *d = v[2];
    } else if (len[0] <= 2 && len[1] <= 2 && len[2] == 4 && sep != '-') {
        *y = v[2];
        int dm = v[1] >= 1 && v[1] <= 12 && v[0] >= 1, md = v[0] >= 1 && v[0] <= 12 && v[1] >= 1;
        if (dm && md && v[0] != v[1]) {
            int day_first = sep == '.';
            if (has_ref(c) && REF_Y == v[2]) {
                /* nearer the reference date by month, then day */
                int ref = REF_M * 31 + REF_D;
                int a = abs(v[1] * 31 + v[0] - ref), b = abs(v[0] * 31 + v[1] - ref);
                day_first = a != b ? a < b : day_first;
            }
            dm = day_first, md = !day_first;
        }
        if (dm)
            *d = v[0], *m = v[1];
        else if (md)
            *m = v[0], *d = v[1];
        else
            return 0;
    } else {
        return 0;
    }
    return *y >= 1800 && *y <= 2199 && *m >= 1 && *m <= 12 && *d >= 1 && *d <= calendar_days_in_month(*y, *m);
}

static int match_month(const ctx *c, uint32_t i, match *mt)
{
    int ny, nm, nd;
    if (numeric_date(c, &c->t[i], &ny, &nm, &nd)) {
        mt->a = i;
        mt->b = i + 1;
        mt->type = TIMEX_DATE;
        set_value(mt, "%04d-%02d-%02d", ny, nm, nd);
        mt->grain = "day";
        return 1;
    }
    uint32_t k = i;
    int weekday_first = 0;
    if (LOOKUP(rules_timex_weekdays, &c->t[k]) && k + 2 < c->n && eq(&c->t[k + 1], ",")) {
        weekday_first = 1;
        k += 2;
    }
    int day = 0, month = 0, year = 0, shift = 2; /* 2: none */
    int foreign = 0; /* a month named in another language (2: a word besides) */
    size_t cut = 0;
    uint32_t end;
    if (k + 1 < c->n && (eq(&c->t[k], "last") || eq(&c->t[k], "next") || eq(&c->t[k], "this")) &&
        month_of(c->doc, &c->t[k + 1])) {
        shift = eq(&c->t[k], "last") ? -1 : eq(&c->t[k], "next") ? 1 : 0;
        k++;
    }
    if (k + 1 < c->n && (day = day_of(&c->t[k])) && (month = month_of(c->doc, &c->t[k + 1]))) {
        end = k + 2; /* 30 September */
    } else if (k + 2 < c->n && (day = day_of(&c->t[k])) && eq(&c->t[k + 1], "of") &&
               (month = month_of(c->doc, &c->t[k + 2]))) {
        end = k + 3; /* the 3rd of May */
    } else if ((c->t[k].w[0] == 'm' || c->t[k].w[0] == 'l' || c->t[k].w[0] == 'e') &&
               ((strncmp(c->t[k].w, "mid-", 4) == 0 && (month = calendar_month(c->t[k].w + 4, c->t[k].n - 4))) ||
               (strncmp(c->t[k].w, "late-", 5) == 0 && (month = calendar_month(c->t[k].w + 5, c->t[k].n - 5))) ||
                (strncmp(c->t[k].w, "early-", 6) == 0 && (month = calendar_month(c->t[k].w + 6, c->t[k].n - 6))))) {
        end = k + 1; /* "mid-November", "late-September" */
    } else if ((month = month_of(c->doc, &c->t[k]))) {
        end = k + 1;
        if (end < c->n && (day = day_range_of(&c->t[end], &cut)))
            end++; /* "Oct. 5", "Oct. 5-7": the range's first day */
    } else if (k + 1 < c->n && (month = foreign_month(c, &c->t[k + 1])) && (day = day_of(&c->t[k]))) {
        end = k + 2; /* "24 сентября 2018" */
        foreign = 1;
    } else if (k + 2 < c->n && eq(&c->t[k + 1], "de") && (month = foreign_month(c, &c->t[k + 2])) &&
               (day = day_of(&c->t[k]))) {
        end = k + 3; /* "22 de outubro" */
        foreign = 1;

    } else if ((month = foreign_month(c, &c->t[k]))) {
        end = k + 1; /* "Maret 30, 2015", "Mai 2017" */
        if (end < c->n && (day = day_of(&c->t[end])))
            end++;
        foreign = eq(&c->t[k], "mars") || eq(&c->t[k], "mei") ? 2 : 1;
    } else {
        return 0;
    }
    if (weekday_first && !day)
        return 0;
    /* a year: ", 1989" after a day, "1989" right after, or "last year";
     * "de 2010" after a month of Portuguese or Spanish */
    uint32_t after;
    if (end < c->n && (year = year_at(c, end, &after))) {
        end = after;
    } else if (foreign && end + 1 < c->n && eq(&c->t[end], "de") && (year = year_of(&c->t[end + 1]))) {
        end += 2;
    } else if (!day && end + 1 < c->n && eq(&c->t[end], "of") && (year = year_at(c, end + 1, &after))) {
        end = after; /* "October of 2006" */
    } else if (day && end + 1 < c->n && eq(&c->t[end], ",") && (year = year_of(&c->t[end + 1]))) {
        end += 2;
    } else if (end + 1 < c->n && eq(&c->t[end + 1], "year") && has_ref(c) &&
               (eq(&c->t[end], "last") || eq(&c->t[end], "next") || eq(&c->t[end], "this"))) {
        year = REF_Y + (eq(&c->t[end], "last") ? -1 : eq(&c->t[end], "next") ? 1 : 0);
        end += 2;
    }
    /* a month of another language is a date only with its day or year,
     * and "Mars 2020" is a mission, "Mei 2019" maybe a name */
    if (foreign && (shift != 2 || (!day && (!year || foreign == 2))))
        return 0;
    if (!year && shift != 2 && has_ref(c)) {
        /* "last May": the latest May before the reference month, "next
         * May" the first after it; the reference's own month is a year
         * away either way ("last November" in November) */
        int ref_key = REF_M * 32 + REF_D;
        year = REF_Y;
        if (shift < 0 && month * 32 + (day ? day : 31) >= ref_key)
            year--;
        else if (shift > 0 && month * 32 + day <= ref_key)
            year++;
    }
    /* A lone capitalised month name needs to look like one: "May" opening
     * a sentence is too often the verb. */
    if (!day && !year && month == 5 && (c->t[k].s.start == c->t[0].s.start))
        return 0;
    /* A lone abbreviation without its period is a date only with a day
     * or a year: "Jan Kavan" is a man. */
    const tok *mw = &c->t[end - 1];
    if (!day && !year && shift == 2 && !foreign && mw->n <= 4 && !strchr(mw->w, '.') && !eq(mw, "may") &&
        !eq(mw, "june") && !eq(mw, "july"))
        return 0;
    mt->a = i;
    mt->b = end;
    /* the span ends at the first day when the range ends the expression */
    mt->cut = cut && day && !year ? (uint32_t)cut : 0;
    mt->type = TIMEX_DATE;
    if (!year && day)
        year = heading_year(c->doc, c->t[i].s.start);
    if (!year && has_ref(c)) {
        /* the year nearest the reference date */
        year = year_for(c->doc, month, day, tense_at(c, i, end));
    }
    if (day && year) {
        set_value(mt, "%04d-%02d-%02d", year, month, day);
        mt->grain = "day";
    } else if (day) {
        set_value(mt, "XXXX-%02d-%02d", month, day);
        mt->grain = "day";
    } else if (year) {
        set_value(mt, "%04d-%02d", year, month);
        mt->grain = "month";
    } else {
        set_value(mt, "XXXX-%02d", month);
        mt->grain = "month";
    }
    return 1;
}

/* "Wednesday", "Wednesday morning", "Friday night". */
static int match_weekday(const ctx *c, uint32_t i, match *mt)
{
    uint32_t start = i;
    int shift = 2; /* 2: none; "last Friday" -1, "next Friday" 1, "this Friday" 0 */
    if (i + 1 < c->n && (eq(&c->t[i], "last") || eq(&c->t[i], "next") || eq(&c->t[i], "this"))) {
        shift = eq(&c->t[i], "last") ? -1 : eq(&c->t[i], "next") ? 1 : 0;
        i++;
    }
    int wd = LOOKUP(rules_timex_weekdays, &c->t[i]);
    if (!wd)
        return 0;
    unsigned char c0 = (unsigned char)c->doc->text[c->t[i].s.start];
    if (!(c0 >= 'A' && c0 <= 'Z'))
        return 0;
    mt->a = start;
    mt->b = i + 1;
    int part = i + 1 < c->n ? LOOKUP(rules_timex_day_parts, &c->t[i + 1]) : 0;
    if (!part && i + 1 < c->n && c->t[i + 1].n > 1 && c->t[i + 1].w[c->t[i + 1].n - 1] == 's') {
        tok one = c->t[i + 1]; /* "Tuesday nights" */
        one.w[--one.n] = 0;
        part = LOOKUP(rules_timex_day_parts, &one);
    }
    if (part)
        mt->b++;
    mt->type = part ? TIMEX_TIME : TIMEX_DATE;
    mt->grain = "day";
    if (!has_ref(c)) {
        set_value(mt, "XXXX-WXX-%d%s%s", wd, part ? "T" : "", part ? day_part_codes[part] : "");
        return 1;
    }
    int y = REF_Y, m = REF_M, d = REF_D;
    int rw = calendar_weekday(y, m, d);
    long delta;
    if (shift == -1)
        delta = -((rw - wd + 6) % 7 + 1); /* strictly before */
    else if (shift == 1)
        delta = (wd - rw + 6) % 7 + 1; /* strictly after */
    else if (shift == 0)
        delta = wd - rw; /* this week's */
    else
    {
        /* "Friday's close" is behind; else the sentence's tense decides,
         * and with no tense the nearer of the two wins, ties going back */
        int tense = mt->b < c->n && eq(&c->t[mt->b], "'s") ? -1 : tense_at(c, start, mt->b);
        long ahead = (wd - rw + 7) % 7, back = (rw - wd + 7) % 7;
        delta = tense > 0 || (tense == 0 && ahead < back) ? ahead : -back;
    }
    calendar_add_days(&y, &m, &d, delta);
    set_value(mt, "%04d-%02d-%02d%s%s", y, m, d, part ? "T" : "", part ? day_part_codes[part] : "");
    return 1;
}

/* "1990", "fiscal 1989", "the 1990s", "the late 1970s", "mid-1990". */
/* A date matched over tokens [a, b) at the given grain; its value set. */
static int date_match(match *mt, uint32_t a, uint32_t b, const char *grain)
{
    mt->a = a;
    mt->b = b;
    mt->type = TIMEX_DATE;
    mt->grain = grain;
    return 1;
}

/* A duration over [a, b); the caller sets its value. */
static int duration_match(match *mt, uint32_t a, uint32_t b)
{
    mt->a = a;
    mt->b = b;
    mt->type = TIMEX_DURATION;
    mt->grain = "duration";
    return 1;
}

/* A match of [a, b) whose value is a reference word's: PAST_REF,
 * PRESENT_REF, FUTURE_REF. */
static int ref_match(match *mt, uint32_t a, uint32_t b, const char *value)
{
    set_value(mt, "%s", value);
    return date_match(mt, a, b, "ref");
}

/* "summer 2020", "the fall of 2020", "the winter of nineteen ninety-four";
 * a season without a year is match_shift's ("last fall") or none ("prices
 * fall"). */
static int match_season(const ctx *c, uint32_t i, match *mt)
{
    uint32_t k = i;
    if (eq(&c->t[k], "the") && k + 1 < c->n)
        k++;
    int season = LOOKUP(rules_timex_seasons, &c->t[k]);
    if (!season)
        return 0;
    uint32_t at = k + 1 < c->n && eq(&c->t[k + 1], "of") ? k + 2 : k + 1, end;
    int y = at < c->n ? year_at(c, at, &end) : 0;
    if (!y)
        return 0;
    set_value(mt, "%04d-%s", y, season_codes[season]);
    return date_match(mt, i, end, "season");
}

/* "the first half of 2020", "the last half of 1989": H1, H2. */
static int match_half(const ctx *c, uint32_t i, match *mt)
{
    if (!(eq(&c->t[i], "the") && i + 4 < c->n && eq(&c->t[i + 2], "half") && eq(&c->t[i + 3], "of")))
        return 0;
    int h = eq(&c->t[i + 1], "first") ? 1 : eq(&c->t[i + 1], "second") || eq(&c->t[i + 1], "last") ? 2 : 0;
    uint32_t end;
    int y = h ? year_at(c, i + 4, &end) : 0;
    if (!y)
        return 0;
    set_value(mt, "%04d-H%d", y, h);
    return date_match(mt, i, end, "half");
}

static int match_year(const ctx *c, uint32_t i, match *mt)
{
    uint32_t k = i, next = 0;
    if (match_season(c, i, mt) || match_half(c, i, mt))
        return 1;
    if (eq(&c->t[k], "fiscal") && k + 1 < c->n)
        k += k + 2 < c->n && eq(&c->t[k + 1], "year") && year_of(&c->t[k + 2]) ? 2 : 1; /* "fiscal year 1990" */
    else if (eq(&c->t[k], "the") && k + 2 < c->n && eq(&c->t[k + 1], "year") &&
             LOOKUP(rules_timex_numbers, &c->t[k + 2]) > 0)
        k += 2; /* "the year two thousand" */
    int y = year_at(c, k, &next);
    /* "two thousand" alone is a count unless nothing follows it: "in two
     * thousand." but not "two thousand people" */
    if (y >= 2000 && k == i && !year_of(&c->t[k]) && next < c->n && c->t[next].w[0] >= 'a' &&
        c->t[next].w[0] <= 'z')
        y = 0;
    if (y) {
        /* "1990 Chevrolet"? a capitalised word right after a year, or a unit, is no date */
        if (next < c->n) {
            int plural;
            if (unit_of(c->t[next].w, c->t[next].n, &plural) &&
                !(eq(&c->t[next], "second") && next + 1 < c->n &&
                  (eq(&c->t[next + 1], "quarter") || eq(&c->t[next + 1], "half"))))
                return 0;
        }
        set_value(mt, "%04d", y);
        return date_match(mt, i, next, "year");
    }
    /* decades: "1990s", "the 1990s", "the mid-1950s" */
    if (eq(&c->t[k], "the") && k + 1 < c->n)
        k++;
    const tok *t = &c->t[k];
    tok rest;
    if (t->n > 4 && strncmp(t->w, "mid-", 4) == 0 && t->w[4] >= '0' && t->w[4] <= '9') {
        rest = *t;
        memmove(rest.w, rest.w + 4, rest.n - 3);
        rest.n -= 4;
        if (rest.n == 4 && year_of(&rest)) { /* "mid-1990" */
            set_value(mt, "%.4s", rest.w);
            return date_match(mt, i, k + 1, "year");
        }
        t = &rest;
    }
    /* "the nineties": the decade of that name nearest before the reference
     * (or in its own decade) */
    static const char *const decades[] = {"twenties", "thirties", "forties", "fifties",
                                          "sixties",  "seventies", "eighties", "nineties"};
    for (int d = 0; d < 8 && k > i; d++) {
        if (!eq(t, decades[d]))
            continue;
        int tens = (d + 2) * 10, y0 = has_ref(c) ? REF_Y / 100 * 100 + tens : 1900 + tens;
        if (has_ref(c) && y0 > REF_Y)
            y0 -= 100;
        set_value(mt, "%03d", y0 / 10);
        return date_match(mt, i, k + 1, "decade");
    }
    /* centuries: "the 14th century", "a 14th-century church", "the 1300s"
     * (a round hundred before 2000; "the 2000s" is a decade) */
    size_t dn = 0;
    while (dn < t->n && t->w[dn] >= '0' && t->w[dn] <= '9')
        dn++;
    int ord = dn >= 1 && dn <= 2 ? atoi(t->w) : 0;
    int ord_end = dn + 2 <= t->n && ((t->w[dn] == 't' && t->w[dn + 1] == 'h') || (t->w[dn] == 's' && t->w[dn + 1] == 't') ||
                                     (t->w[dn] == 'n' && t->w[dn + 1] == 'd') || (t->w[dn] == 'r' && t->w[dn + 1] == 'd'));
    if (ord >= 1 && ord <= 21 && ord_end &&
        ((dn + 2 == t->n && k + 1 < c->n && eq(&c->t[k + 1], "century")) ||
         (dn + 10 == t->n && strcmp(t->w + dn + 2, "-century") == 0))) {
        set_value(mt, "%02d", ord - 1);
        return date_match(mt, i, dn + 2 == t->n ? k + 2 : k + 1, "century");
    }
    if (t->w[0] == '\'' && (t->n == 3 || (t->n == 4 && t->w[3] == 's' && t->w[2] == '0')) &&
        is_ascii_digit((unsigned char)t->w[1]) && is_ascii_digit((unsigned char)t->w[2])) {
        /* "'58": the year of that number nearest before the reference
         * (or at most five years after it); 19xx without one */
        int yy = (t->w[1] - '0') * 10 + (t->w[2] - '0'), plural;
        if (k + 1 < c->n && unit_of(c->t[k + 1].w, c->t[k + 1].n, &plural))
            return 0; /* "'60 Minutes" */
        int y2 = has_ref(c) ? REF_Y / 100 * 100 + yy : 1900 + yy;
        if (has_ref(c) && y2 > REF_Y + 5)
            y2 -= 100;
        if (t->n == 4) {
            set_value(mt, "%03d", y2 / 10);
            return date_match(mt, i, k + 1, "decade");
        }
        set_value(mt, "%04d", y2);
        return date_match(mt, i, k + 1, "year");
    }
    if (dn == 4 && t->n == 5 && t->w[4] == 's' && t->w[2] == '0' && t->w[3] == '0' && t->w[0] == '1') {
        set_value(mt, "%.2s", t->w);
        return date_match(mt, i, k + 1, "century");
    }
    if (t->n == 5 && t->w[4] == 's' && t->w[3] == '0') {
        char buf[5];
        memcpy(buf, t->w, 4);
        buf[4] = 0;
        tok four = *t;
        memcpy(four.w, buf, 5);
        four.n = 4;
        if (year_of(&four)) {
            set_value(mt, "%.3s", t->w);
            return date_match(mt, i, k + 1, "decade");
        }
    }
    return 0;
}

/* today, yesterday, now, recently, the future, the past */
static int match_ref(const ctx *c, uint32_t i, match *mt)
{
    const tok *t = &c->t[i];
    for (size_t r = 0; r < RULES_N(rules_timex_ref_words); r++) {
        if (!eq(t, rules_timex_ref_words[r][0]))
            continue;
        int days = atoi(rules_timex_ref_words[r][1]);
        mt->a = i;
        mt->b = i + 1;
        mt->type = TIMEX_DATE;
        mt->grain = "day";
        const char *v = rules_timex_ref_words[r][2];
        if (v && strcmp(v, "NI") == 0) {
            mt->type = TIMEX_TIME;
            if (has_ref(c))
                set_value(mt, "%04d-%02d-%02dTNI", REF_Y, REF_M, REF_D);
            else
                set_value(mt, "XXXX-XX-XXTNI");
        } else if (v) {
            set_value(mt, "%s", v);
            mt->grain = "ref";
        } else {
            /* "yesterday evening", "tomorrow morning": a part of the day */
            int part = i + 1 < c->n && days ? LOOKUP(rules_timex_day_parts, &c->t[i + 1]) : 0;
            if (part && part != 5) {
                mt->b++;
                mt->type = TIMEX_TIME;
            }
            const char *pc = part && part != 5 ? day_part_codes[part] : "";
            if (has_ref(c)) {
                int y = REF_Y, m = REF_M, d = REF_D;
                calendar_add_days(&y, &m, &d, days);
                set_value(mt, "%04d-%02d-%02d%s%s", y, m, d, *pc ? "T" : "", pc);
            } else {
                set_value(mt, "XXXX-XX-XX%s%s", *pc ? "T" : "", pc);
            }
        }
        return 1;
    }
    if (eq(t, "at") && i + 2 < c->n && (eq(&c->t[i + 1], "the") || eq(&c->t[i + 1], "that")) &&
        eq(&c->t[i + 2], "time") && (i + 3 == c->n || !eq(&c->t[i + 3], "of"))) {
        /* "at the time", "at that time": then, in the past ("at the time of
         * the attack" is the attack's) */
        return ref_match(mt, i, i + 3, "PAST_REF");
    }
    /* "that year", "that quarter": the year or quarter of the latest date
     * before it in the story */
    if (eq(t, "that") && i + 1 < c->n && (eq(&c->t[i + 1], "year") || eq(&c->t[i + 1], "quarter"))) {
        int quarter = eq(&c->t[i + 1], "quarter");
        const enrich_doc *doc = c->doc;
        for (uint32_t k = doc->dates.n; k-- > 0;) {
            const char *v = doc->dates.v[k].value;
            if (!is_ascii_digit((unsigned char)v[0]) || !is_ascii_digit((unsigned char)v[3]) ||
                (quarter && strncmp(v + 4, "-Q", 2) != 0))
                continue;
            mt->a = i;
            mt->b = i + 2;
            mt->type = TIMEX_DATE;
            set_value(mt, "%.*s", quarter ? 7 : 4, v);
            mt->grain = quarter ? "quarter" : "year";
            return 1;
        }
        return 0;
    }
    /* "the near future", "the short term": ahead of the reference */
    if (eq(t, "the") && i + 2 < c->n &&
        ((eq(&c->t[i + 1], "near") && eq(&c->t[i + 2], "future")) ||
         ((eq(&c->t[i + 1], "near") || eq(&c->t[i + 1], "short") || eq(&c->t[i + 1], "long")) &&
          eq(&c->t[i + 2], "term")))) {
        return ref_match(mt, i, i + 3, "FUTURE_REF");
    }
    if (eq(t, "these") && i + 1 < c->n && eq(&c->t[i + 1], "days")) {
        return ref_match(mt, i, i + 2, "PRESENT_REF");
    }
    /* "year-end", "year end", "year's end": the end of the reference's year */
    if ((eq(t, "year-end") || (eq(t, "year") && i + 1 < c->n && eq(&c->t[i + 1], "end")) ||
         (eq(t, "year") && i + 2 < c->n && eq(&c->t[i + 1], "'s") && eq(&c->t[i + 2], "end")))) {
        mt->a = i;
        mt->b = eq(t, "year-end") ? i + 1 : eq(&c->t[i + 1], "end") ? i + 2 : i + 3;
        mt->type = TIMEX_DATE;
        if (has_ref(c)) {
            set_value(mt, "%04d", REF_Y);
            mt->grain = "year";
        } else {
            set_value(mt, "XXXX");
            mt->grain = "year";
        }
        return 1;
    }
    if (eq(t, "the") && i + 1 < c->n && (eq(&c->t[i + 1], "future") || eq(&c->t[i + 1], "past"))) {
        /* "the past" alone; "the past two years" is a duration, matched before */
        return ref_match(mt, i, i + 2, eq(&c->t[i + 1], "future") ? "FUTURE_REF" : "PAST_REF");
    }
    return 0;
}

/* The value of a date "shift" units away from the reference in unit u. */
static void shifted(const ctx *c, char letter, int mult, int shift, match *mt)
{
    int y = REF_Y, m = REF_M, d = REF_D;
    switch (letter) {
    case 'Y':
        if (mult == 10) {
            set_value(mt, "%03d", (y + shift * 10) / 10);
            mt->grain = "decade";
        } else if (mult == 100) {
            set_value(mt, "%02d", (y + shift * 100) / 100);
            mt->grain = "century";
        } else {
            set_value(mt, "%04d", y + shift);
            mt->grain = "year";
        }
        break;
    case 'M': {
        int mm = y * 12 + (m - 1) + shift;
        set_value(mt, "%04d-%02d", mm / 12, mm % 12 + 1);
        mt->grain = "month";
        break;
    }
    case 'W':
    case 'E': {
        int wy, wk;
        calendar_add_days(&y, &m, &d, 7L * shift * mult);
        calendar_iso_week(y, m, d, &wy, &wk);
        set_value(mt, "%04d-W%02d%s", wy, wk, letter == 'E' ? "-WE" : "");
        mt->grain = "week";
        break;
    }
    case 'D':
        calendar_add_days(&y, &m, &d, shift);
        set_value(mt, "%04d-%02d-%02d", y, m, d);
        mt->grain = "day";
        break;
    case 'Q': {
        int q = y * 4 + (m - 1) / 3 + shift;
        set_value(mt, "%04d-Q%d", q / 4, q % 4 + 1);
        mt->grain = "quarter";
        break;
    }
    default:
        set_value(mt, "PRESENT_REF");
        mt->grain = "ref";
    }
}

/* "last year", "this month", "next week", "the past year", "the coming
 * weeks" (a duration), "this morning". */
static int match_shift(const ctx *c, uint32_t i, match *mt)
{
    uint32_t k = i;
    int the = eq(&c->t[k], "the");
    if (the)
        k++;
    if (k + 1 >= c->n)
        return 0;
    int shift;
    const tok *w = &c->t[k];
    if (eq(w, "last") || eq(w, "past") || eq(w, "previous"))
        shift = -1;
    else if (eq(w, "this") || eq(w, "current"))
        shift = 0;
    else if (eq(w, "next") || eq(w, "coming") || eq(w, "following"))
        shift = 1;
    else
        return 0;
    /* "this fiscal year": counted as the calendar year */
    uint32_t fiscal = k + 2 < c->n && eq(&c->t[k + 1], "fiscal") && eq(&c->t[k + 2], "year");
    const tok *u = &c->t[k + 1 + fiscal];
    int plural;
    unit_row ui = unit_of(u->w, u->n, &plural);
    int part = LOOKUP(rules_timex_day_parts, u), season = LOOKUP(rules_timex_seasons, u);
    mt->a = i;
    mt->b = k + 2 + fiscal;
    mt->type = TIMEX_DATE;
    if (season) {
        int y = REF_Y + (shift < 0 && season >= (REF_M + 9) / 3 % 4 + 1 ? -1 : shift > 0 ? 1 : 0);
        if (has_ref(c))
            set_value(mt, "%04d-%s", y, season_codes[season]);
        else
            set_value(mt, "XXXX-%s", season_codes[season]);
        mt->grain = "season";
        return 1;
    }
    if (part && shift < 0 && (part == 3 || part == 4) && has_ref(c) && k == i) {
        /* "last night", "last evening": yesterday's */
        int y = REF_Y, m = REF_M, d = REF_D;
        calendar_add_days(&y, &m, &d, -1);
        mt->type = TIMEX_TIME;
        set_value(mt, "%04d-%02d-%02dT%s", y, m, d, day_part_codes[part]);
        mt->grain = "day";
        return 1;
    }
    if (part && shift == 0) {
        mt->type = TIMEX_TIME;
        if (has_ref(c))
            set_value(mt, "%04d-%02d-%02dT%s", REF_Y, REF_M, REF_D, day_part_codes[part]);
        else
            set_value(mt, "XXXX-XX-XXT%s", day_part_codes[part]);
        mt->grain = "day";
        return 1;
    }
    if (!ui || unit_time(ui))
        return 0;
    if (plural) {
        /* "the past weeks", "the coming months": a vague duration */
        mt->type = TIMEX_DURATION;
        set_value(mt, "PX%c", unit_letter(ui) == 'Q' ? 'M' : unit_letter(ui));
        mt->grain = "duration";
        return 1;
    }
    if (!the && shift < 0 && eq(w, "past"))
        return 0; /* "past year" without "the": leave to the duration matcher */
    int q;
    if (has_ref(c) && unit_letter(ui) == 'Y' && unit_mult(ui) == 1 && shift < 0 && (q = earnings_quarter(c, 0)) >= 0) {
        q -= 4; /* "profit rose from last year": the same quarter of last year */
        set_value(mt, "%04d-Q%d", q / 4, q % 4 + 1);
        mt->grain = "quarter";
    } else if (has_ref(c)) {
        shifted(c, unit_letter(ui), unit_mult(ui), shift, mt);
    } else {
        set_value(mt, "%s", shift < 0 ? "PAST_REF" : shift > 0 ? "FUTURE_REF" : "PRESENT_REF");
        mt->grain = "ref";
    }
    return 1;
}

/* The ord-th quarter over tokens [a, end), with "of 1990" after it taken
 * in; its year otherwise from the reference date. */
static int quarter_match(const ctx *c, uint32_t a, uint32_t end, int ord, match *mt)
{
    mt->a = a;
    mt->b = end;
    mt->type = TIMEX_DATE;
    mt->grain = "quarter";
    int y = has_ref(c) ? quarter_year(c, ord) : 0;
    if (end + 1 < c->n && eq(&c->t[end], "of") && year_of(&c->t[end + 1])) {
        y = year_of(&c->t[end + 1]);
        mt->b = end + 2;
    }
    if (y)
        set_value(mt, "%04d-Q%d", y, ord);
    else
        set_value(mt, "XXXX-Q%d", ord);
    return 1;
}

/* Is "a" at k the article of a rate: a count shortly before it ("four
 * flights a week", "700 seats a week", "$500 million a year") and no
 * "ago", "earlier" or "later" after the unit? */
static int is_rate(const ctx *c, uint32_t k)
{
    if (k + 2 < c->n && (eq(&c->t[k + 2], "ago") || eq(&c->t[k + 2], "earlier") || eq(&c->t[k + 2], "later")))
        return 0;
    for (uint32_t j = k > 3 ? k - 3 : 0; j < k; j++) {
        const tok *p = &c->t[j];
        if (is_ascii_digit((unsigned char)p->w[0]) || eq(p, "million") || eq(p, "billion") ||
            (number_of(p) > 1 && !eq(p, "a") && !eq(p, "an")))
            return 1;
    }
    return 0;
}

/* A count of units: "two weeks", "16-hour", "the past five years",
 * "the first nine months", "two months ago", "a year earlier". */
static int match_count(const ctx *c, uint32_t i, match *mt)
{
    uint32_t k = i;
    int the = 0, past = 0;
    if (eq(&c->t[k], "the")) {
        the = 1;
        k++;
    }
    if (k < c->n && (eq(&c->t[k], "past") || eq(&c->t[k], "last") || eq(&c->t[k], "next") ||
                     eq(&c->t[k], "first") || eq(&c->t[k], "coming") || eq(&c->t[k], "previous"))) {
        past = 1;
        k++;
    }
    if (k + 1 < c->n && eq(&c->t[k], "a") && (eq(&c->t[k + 1], "few") || eq(&c->t[k + 1], "couple")))
        k++; /* "a few days", "a couple of years" (the "of" is passed below) */
    if (k >= c->n)
        return 0;
    if (the && k + 1 < c->n && eq(&c->t[k], "fiscal"))
        k++; /* "the fiscal first quarter" */
    const tok *nt = &c->t[k];
    int num = 0, half = 0;
    unit_row ui = NULL;
    int plural = 0;
    uint32_t end;
    if ((eq(nt, "year-earlier") || eq(nt, "year-ago")) && !the && !past) {
        /* "year-earlier results": the same period a year back */
        int q = has_ref(c) ? earnings_quarter(c, 1) : -1;
        mt->a = i;
        mt->b = k + 1;
        mt->type = TIMEX_DATE;
        if (q >= 0) {
            q -= 4;
            set_value(mt, "%04d-Q%d", q / 4, q % 4 + 1);
            mt->grain = "quarter";
        } else if (has_ref(c)) {
            set_value(mt, "%04d", REF_Y - 1);
            mt->grain = "year";
        } else {
            set_value(mt, "PAST_REF");
            mt->grain = "ref";
        }
        return 1;
    }
    /* "16-hour", "five-year", "third-quarter" */
    const char *dash = strchr(nt->w, '-');
    if (dash) {
        tok left = *nt;
        left.n = (size_t)(dash - nt->w);
        left.w[left.n] = 0;
        ui = unit_of(dash + 1, strlen(dash + 1), &plural);
        num = number_of(&left);
        int ord = LOOKUP(rules_timex_ordinals, &left);
        if (ui && unit_letter(ui) == 'Q' && ord >= 1 && ord <= 4) {
            /* "the [third-quarter] results": the article is the noun's */
            return quarter_match(c, the && !past ? i + 1 : i, k + 1, ord, mt);
        }
        if (!ui || num <= 0)
            return 0;
        end = k + 1;
        if (the && !past)
            i++; /* "the [two-week] strike": the article is the noun's */
    } else {
        /* "the third quarter (of 1990)" */
        int ord = LOOKUP(rules_timex_ordinals, nt);
        if (ord && k + 1 < c->n && (ui = unit_of(c->t[k + 1].w, c->t[k + 1].n, &plural)) && unit_letter(ui) == 'Q' &&
            !plural && ord <= 4) {
            return quarter_match(c, i, k + 2, ord, mt);
        }
        num = number_of(nt);
        if (!num)
            return 0;
        if ((eq(nt, "a") || eq(nt, "an")) && k > 0 && !the && !past &&
            (strpbrk(c->t[k - 1].w, "0123456789") || eq(&c->t[k - 1], "%") || eq(&c->t[k - 1], "percent") ||
             eq(&c->t[k - 1], "cents") || eq(&c->t[k - 1], "dollars") || eq(&c->t[k - 1], "share")))
            return 0; /* "$5 a year", "10 percent a year": a rate */
        if ((eq(nt, "a") || eq(nt, "an")) && !the && !past && is_rate(c, k))
            return 0; /* "four flights a week", "$500 million a year in costs" */
        uint32_t u = k + 1;
        /* "twenty four hours" */
        if (u < c->n && num >= 20 && num % 10 == 0 && number_of(&c->t[u]) > 0 && number_of(&c->t[u]) < 10) {
            num += number_of(&c->t[u]);
            u++;
        }
        /* "2 1/2 years"; "two more weeks", "eight trading days" */
        if (u < c->n && num > 0 && (eq(&c->t[u], "1/2") || eq(&c->t[u], "\xC2\xBD"))) {
            half = 1;
            u++;
        }
        if (u + 1 < c->n && (eq(&c->t[u], "more") || eq(&c->t[u], "trading") || eq(&c->t[u], "business") ||
                             eq(&c->t[u], "working") || (eq(&c->t[u], "of") && eq(nt, "couple"))))
            u++;
        if (u >= c->n)
            return 0;
        ui = unit_of(c->t[u].w, c->t[u].n, &plural);
        if (!ui)
            return 0;
        end = u + 1;
        if (end < c->n && eq(&c->t[end], "old") && unit_letter(ui) == 'Y' && !unit_time(ui))
            return 0; /* "52 years old": an age */
        if (eq(&c->t[u], "second") && end < c->n && (eq(&c->t[end], "quarter") || eq(&c->t[end], "half")))
            return 0; /* "the 1988 second quarter": an ordinal */
        /* "a second group": an ordinal, no time */
        if (num == 1 && !plural && unit_time(ui) && unit_letter(ui) == 'S' && eq(&c->t[u], "second") &&
            end < c->n && is_ascii_alpha((unsigned char)c->t[end].w[0]) && !eq(&c->t[end], "later") &&
            !eq(&c->t[end], "earlier") && !eq(&c->t[end], "ago") && !eq(&c->t[end], "or") &&
            !eq(&c->t[end], "and") && !eq(&c->t[end], "longer") && !eq(&c->t[end], "before") &&
            !eq(&c->t[end], "after"))
            return 0;
    }
    /* "three-quarters of its food", "a quarter of the market": a fraction
     * ("several quarters of losses" is a time) */
    if (ui && unit_letter(ui) == 'Q' && end < c->n && eq(&c->t[end], "of") && (num == 1 || dash))
        return 0;
    mt->a = i;
    mt->b = end;
    /* "two months ago", "a year earlier" */
    if (end < c->n && num < 0 && eq(&c->t[end], "ago") && !past) {
        mt->b = end + 1;
        mt->type = TIMEX_DATE;
        set_value(mt, "PAST_REF");
        mt->grain = "ref";
        return 1;
    }
    if (end < c->n && (eq(&c->t[end], "ago") || eq(&c->t[end], "earlier") || eq(&c->t[end], "later")) &&
        !past && num > 0) {
        int dir = eq(&c->t[end], "later") ? 1 : -1;
        mt->b = end + 1;
        mt->type = TIMEX_DATE;
        int q;
        if (has_ref(c) && unit_letter(ui) == 'Y' && unit_mult(ui) == 1 && num == 1 && dir < 0 &&
            (q = earnings_quarter(c, 1)) >= 0) {
            q -= 4;
            set_value(mt, "%04d-Q%d", q / 4, q % 4 + 1);
            mt->grain = "quarter";
        } else if (has_ref(c) && !unit_time(ui)) {
            shifted(c, unit_letter(ui), 1, dir * num * unit_mult(ui), mt);
        } else {
            set_value(mt, "%s", dir < 0 ? "PAST_REF" : "FUTURE_REF");
            mt->grain = "ref";
        }
        return 1;
    }
    mt->type = TIMEX_DURATION;
    mt->grain = "duration";
    if (num < 0) {
        set_value(mt, "P%sX%c", unit_time(ui) ? "T" : "", unit_letter(ui) == 'Q' ? 'M' : unit_letter(ui));
        return 1;
    }
    /* half a unit more, in the next unit down: "2 1/2 years" is P2Y6M */
    const char *half_of = !half ? "" : unit_mult(ui) != 1 ? "" : unit_letter(ui) == 'Y' ? "6M"
                          : unit_letter(ui) == 'M' ? (unit_time(ui) ? "30S" : "15D")
                          : unit_letter(ui) == 'D' ? "T12H" : unit_letter(ui) == 'H' ? "30M" : "";
    if (unit_letter(ui) == 'Q')
        set_value(mt, "P%dM", num * 3);
    else if (unit_letter(ui) == 'E')
        set_value(mt, "P%dWE", num);
    else
        set_value(mt, "P%s%d%c%s", unit_time(ui) ? "T" : "", num * unit_mult(ui), unit_letter(ui), half_of);
    return 1;
}

/* Bare plural units ("years", "decades") and "a decade": durations. */
static int match_vague(const ctx *c, uint32_t i, match *mt)
{
    int plural;
    const tok *t = &c->t[i];
    unit_row ui = unit_of(t->w, t->n, &plural);
    if (!ui || !plural || unit_letter(ui) == 'Q' || unit_letter(ui) == 'E' || unit_time(ui))
        return 0;
    /* "months ago": some time back */
    if (i + 1 < c->n && eq(&c->t[i + 1], "ago")) {
        return ref_match(mt, i, i + 2, "PAST_REF");
    }
    /* "for years", "in recent weeks", "within days": only after these words */
    if (i == 0 || !(eq(&c->t[i - 1], "for") || eq(&c->t[i - 1], "recent") || eq(&c->t[i - 1], "in") ||
                    eq(&c->t[i - 1], "within")))
        return 0;
    set_value(mt, "PX%c", unit_letter(ui));
    return duration_match(mt, i, i + 1);
}

/* "daily", "every Monday", "each week". */
static int match_set(const ctx *c, uint32_t i, match *mt)
{
    const tok *t = &c->t[i];
    for (size_t s = 0; s < RULES_N(rules_timex_set_words); s++) {
        if (eq(t, rules_timex_set_words[s][0])) {
            mt->a = i;
            mt->b = i + 1;
            mt->type = TIMEX_SET;
            set_value(mt, "%s", rules_timex_set_words[s][1]);
            mt->grain = "set";
            return 1;
        }
    }
    if ((eq(t, "every") || eq(t, "each")) && i + 1 < c->n) {
        /* "every morning", "each summer" */
        int part = LOOKUP(rules_timex_day_parts, &c->t[i + 1]);
        int season = LOOKUP(rules_timex_seasons, &c->t[i + 1]);
        if ((part && part != 5) || season) {
            mt->a = i;
            mt->b = i + 2;
            mt->type = TIMEX_SET;
            mt->grain = "set";
            if (season)
                set_value(mt, "XXXX-%s", season_codes[season]);
            else
                set_value(mt, "XXXX-XX-XXT%s", day_part_codes[part]);
            return 1;
        }
        int wd = LOOKUP(rules_timex_weekdays, &c->t[i + 1]), plural;
        unit_row ui = unit_of(c->t[i + 1].w, c->t[i + 1].n, &plural);
        if (!wd && !ui)
            return 0;
        mt->a = i;
        mt->b = i + 2;
        mt->type = TIMEX_SET;
        if (wd)
            set_value(mt, "XXXX-WXX-%d", wd);
        else
            set_value(mt, "P%s1%c", unit_time(ui) ? "T" : "", unit_letter(ui));
        mt->grain = "set";
        return 1;
    }
    return 0;
}

/* "3:07:35", a race's or a film's length: hours, minutes and seconds
 * with no half of the day after them are a duration. */
static int clock_duration(const ctx *c, uint32_t i, match *mt)
{
    const tok *t = &c->t[i];
    int part[3] = {0, 0, 0}, np = 0;
    size_t k = 0;
    while (np < 3) {
        size_t d0 = k;
        for (; k < t->n && is_ascii_digit((unsigned char)t->w[k]); k++)
            if (k - d0 < 2) /* more digits fail below; none overflow */
                part[np] = part[np] * 10 + (t->w[k] - '0');
        if (k == d0 || k - d0 > 2 || (np > 0 && k - d0 != 2))
            return 0;
        np++;
        if (k == t->n || t->w[k] != ':')
            break;
        k++;
    }
    /* "14:35:08" after "2019-11-20" is a time stamp: a duration has an
     * hour of one digit and no date before it */
    if (np != 3 || k != t->n || part[0] > 9 || part[1] > 59 || part[2] > 59)
        return 0;
    if (i > 0 && is_ascii_digit((unsigned char)c->t[i - 1].w[0]) &&
        (strchr(c->t[i - 1].w, '-') || strchr(c->t[i - 1].w, '/') || strchr(c->t[i - 1].w, '.')))
        return 0;
    if (i + 1 < c->n && (eq(&c->t[i + 1], "a.m.") || eq(&c->t[i + 1], "p.m.") || eq(&c->t[i + 1], "am") ||
                         eq(&c->t[i + 1], "pm")))
        return 0;
    set_value(mt, "PT%dH%dM%dS", part[0], part[1], part[2]);
    return duration_match(mt, i, i + 1);
}

/* "3 p.m.", "10:30 a.m.", "noon", "midnight", "14:00". */
static int match_clock(const ctx *c, uint32_t i, match *mt)
{
    const tok *t = &c->t[i];
    int h = -1, mi = 0;
    uint32_t end = i + 1;
    if (eq(t, "noon") || eq(t, "midday")) {
        h = 12;
    } else if (eq(t, "midnight")) {
        h = 0;
    } else if (clock_duration(c, i, mt)) {
        return 1;
    } else {
        const char *colon = strchr(t->w, ':');
        int v = 0;
        size_t k = 0;
        for (; k < t->n && k < 3 && t->w[k] >= '0' && t->w[k] <= '9'; k++) /* an hour has two digits at most */
            v = v * 10 + (t->w[k] - '0');
        if (k == 0 || k > 2 || v > 23)
            return 0;
        /* "4:20am", "8:22AM", "4pm": the half of the day written on */
        int glued = -1;
        size_t len = t->n;
        if (len >= k + 2 && (t->w[len - 1] == 'm' || t->w[len - 1] == 'M') &&
            (t->w[len - 2] == 'a' || t->w[len - 2] == 'A' || t->w[len - 2] == 'p' || t->w[len - 2] == 'P')) {
            glued = t->w[len - 2] == 'p' || t->w[len - 2] == 'P';
            len -= 2;
        }
        if (colon && (size_t)(colon - t->w) == k && len == k + 3 && t->w[k + 1] >= '0' && t->w[k + 1] <= '9' &&
            t->w[k + 2] >= '0' && t->w[k + 2] <= '9') {
            mi = (t->w[k + 1] - '0') * 10 + (t->w[k + 2] - '0');
            if (mi > 59)
                return 0;
        } else if (k != len) {
            return 0;
        }
        int pm = glued;
        if (glued >= 0) {
            /* the half is in the token */
        } else if (end < c->n && (eq(&c->t[end], "p.m.") || eq(&c->t[end], "pm"))) {
            pm = 1;
            end++;
        } else if (end < c->n && (eq(&c->t[end], "a.m.") || eq(&c->t[end], "am"))) {
            pm = 0;
            end++;
        } else if (end + 2 < c->n && eq(&c->t[end], "in") && eq(&c->t[end + 1], "the") &&
                   LOOKUP(rules_timex_day_parts, &c->t[end + 2]) >= 1 &&
                   LOOKUP(rules_timex_day_parts, &c->t[end + 2]) <= 3) {
            /* "4 in the morning", "7 in the evening" */
            pm = LOOKUP(rules_timex_day_parts, &c->t[end + 2]) > 1;
            end += 3;
        } else if (!colon) {
            return 0;
        }
        if (pm >= 0 && (v < 1 || v > 12))
            return 0;
        h = pm == 1 ? (v % 12) + 12 : pm == 0 ? v % 12 : v;
        /* a zone: GMT, EST, ... */
        if (end < c->n && (eq(&c->t[end], "gmt") || eq(&c->t[end], "est") || eq(&c->t[end], "edt") ||
                           eq(&c->t[end], "utc") || eq(&c->t[end], "et")))
            end++;
    }
    mt->a = i;
    mt->type = TIMEX_TIME;
    mt->grain = "minute";
    /* "10 p.m. Wednesday": the weekday's date */
    match day;
    memset(&day, 0, sizeof day);
    if (end < c->n && match_weekday(c, end, &day) && day.type == TIMEX_DATE && strlen(day.value) == 10) {
        mt->b = day.b;
        set_value(mt, "%.10sT%02d:%02d", day.value, h, mi);
        return 1;
    }

    mt->b = end;
    if (has_ref(c))
        set_value(mt, "%04d-%02d-%02dT%02d:%02d", REF_Y, REF_M, REF_D, h, mi);
    else
        set_value(mt, "XXXX-XX-XXT%02d:%02d", h, mi);
    return 1;
}

/* "earlier this year", "later this month", "early next year". */
static int match_vague_shift(const ctx *c, uint32_t i, match *mt)
{
    const tok *t = &c->t[i];
    if (!(eq(t, "earlier") || eq(t, "later") || eq(t, "early") || eq(t, "late")) || i + 2 >= c->n)
        return 0;
    match inner;
    memset(&inner, 0, sizeof inner);
    if (!match_shift(c, i + 1, &inner) || inner.type != TIMEX_DATE)
        return 0;
    *mt = inner;
    mt->a = i;
    return 1;
}

/* Deictic noun phrases of business news: "the quarter" (the last one
 * reported), "the year", "the week", "the weekend", "the latest period",
 * "the year-earlier quarter", and "recent years" as a vague duration. */
static int match_deictic(const ctx *c, uint32_t i, match *mt)
{
    uint32_t k = i;
    int plural;
    if (eq(&c->t[k], "recent") && k + 1 < c->n) {
        unit_row ui = unit_of(c->t[k + 1].w, c->t[k + 1].n, &plural);
        if (!ui || !plural || unit_letter(ui) == 'Q' || unit_letter(ui) == 'E')
            return 0;
        set_value(mt, "P%sX%c", unit_time(ui) ? "T" : "", unit_letter(ui));
        return duration_match(mt, i, k + 2);
    }
    if (!eq(&c->t[k], "the"))
        return 0;
    k++;
    int back = 0; /* years back: "year-earlier" */
    while (k < c->n && (eq(&c->t[k], "latest") || eq(&c->t[k], "fiscal") || eq(&c->t[k], "full") ||
                        eq(&c->t[k], "current") ||
                        eq(&c->t[k], "year-earlier") || eq(&c->t[k], "year-ago") || eq(&c->t[k], "same"))) {
        if (eq(&c->t[k], "year-earlier") || eq(&c->t[k], "year-ago"))
            back = 1;
        k++;
    }
    if (k >= c->n)
        return 0;
    const tok *u = &c->t[k];
    unit_row ui = unit_of(u->w, u->n, &plural);
    int period = eq(u, "period");
    if ((!ui && !period) || plural || (ui && (unit_time(ui) || unit_mult(ui) != 1 || unit_letter(ui) == 'D')))
        return 0; /* "the day" is too often no date (gold: 2 of 8 in TempEval-3 train) */
    /* "the year ended March 31": a fiscal period, a year long */
    if (k + 1 < c->n && (eq(&c->t[k + 1], "ended") || eq(&c->t[k + 1], "ending")) && ui && k == i + 1 &&
        (unit_letter(ui) == 'Y' || unit_letter(ui) == 'Q')) {
        set_value(mt, "P1%c", unit_letter(ui));
        return duration_match(mt, i, k + 1);
    }
    /* "the year 2000", "the week ending": the words after decide, leave
     * them; "the year before" is a year earlier than a date not known */
    if (k + 1 < c->n && (year_of(&c->t[k + 1]) || eq(&c->t[k + 1], "ended") || eq(&c->t[k + 1], "ending") ||
                         eq(&c->t[k + 1], "before")))
        return 0;
    mt->a = i;
    mt->b = k + 1;
    mt->type = TIMEX_DATE;
    if (!has_ref(c)) {
        set_value(mt, "PRESENT_REF");
        mt->grain = "ref";
        return 1;
    }
    int q = REF_Y * 4 + (REF_M - 1) / 3 - 1 - 4 * back; /* the last quarter reported */
    if (period || unit_letter(ui) == 'Q') {
        set_value(mt, "%04d-Q%d", q / 4, q % 4 + 1);
        mt->grain = "quarter";
        return 1;
    }
    int shift = -back;
    /* "the weekend" in a story from Monday to Friday is the one just past,
     * unless the sentence looks forward */
    if (unit_letter(ui) == 'E' && calendar_weekday(REF_Y, REF_M, REF_D) <= 5 && !future_at(c, i))
        shift = -1;
    shifted(c, unit_letter(ui), unit_mult(ui), shift, mt);
    return 1;
}

/* How many tokens from i the holiday's words (separated by spaces) are,
 * all of them; 0 when they are not. */
static uint32_t holiday_words(const ctx *c, uint32_t i, const char *words)
{
    uint32_t k = 0;
    for (const char *p = words; *p;) {
        size_t n = strcspn(p, " ");
        char w[32];
        if (n >= sizeof w || i + k >= c->n)
            return 0;
        memcpy(w, p, n);
        w[n] = '\0';
        if (!eq(&c->t[i + k], w))
            return 0;
        k++;
        p += n + (p[n] == ' ');
    }
    return k;
}

/* "Thanksgiving Day", "Christmas": the holiday nearest the reference. */
static int match_holiday(const ctx *c, uint32_t i, match *mt)
{
    for (size_t h = 0; h < RULES_N(rules_timex_holidays); h++) {
        const char *const *hol = rules_timex_holidays[h];
        uint32_t k = holiday_words(c, i, hol[0]);
        if (k == 0)
            continue;
        unsigned char c0 = (unsigned char)c->doc->text[c->t[i].s.start];
        if (!(c0 >= 'A' && c0 <= 'Z'))
            return 0;
        mt->a = i;
        mt->b = i + k;
        mt->type = TIMEX_DATE;
        mt->grain = "day";
        int m = atoi(hol[1]), day = atoi(hol[2]);
        if (!has_ref(c)) {
            if (day)
                set_value(mt, "XXXX-%02d-%02d", m, day);
            else
                set_value(mt, "XXXX-%02d", m);
            return 1;
        }
        int y = REF_Y;
        if ((m - REF_M) * 31 > 6 * 31 && !future_at(c, i))
            y--;
        int d = day;
        if (!d) {
            int n = atoi(hol[4]), wd = atoi(hol[3]);
            if (n > 0) {
                int first = calendar_weekday(y, m, 1);
                d = 1 + (wd - first + 7) % 7 + 7 * (n - 1);
            } else {
                int days = calendar_days_in_month(y, m), last = calendar_weekday(y, m, days);
                d = days - (last - wd + 7) % 7;
            }
        }
        set_value(mt, "%04d-%02d-%02d", y, m, d);
        return 1;
    }
    return 0;
}

typedef int (*matcher)(const ctx *, uint32_t, match *);

/* In the order of the M_ bits. */
static const matcher matchers[] = {match_vague_shift, match_count, match_shift, match_month,
                                   match_weekday,     match_clock, match_year,  match_set,
                                   match_deictic,     match_ref,   match_vague, match_holiday};
_Static_assert(sizeof matchers / sizeof matchers[0] == 12 && M_HOLIDAY == 1u << 11,
               "each matcher has its bit in a trigger's mask");

/* Modifiers before an expression join its extent ("the end of", "more
 * than", "early"); "the" before "late" or "early" too ("the late 1970s"). */
static uint32_t take_modifier(const ctx *c, uint32_t a)
{
    for (size_t m = 0; m < RULES_N(rules_timex_modifiers); m++) {
        /* the modifier's words, ending just before a */
        int nw = 0;
        while ((size_t)nw < RULES_W(rules_timex_modifiers) && rules_timex_modifiers[m][nw])
            nw++;
        if ((uint32_t)nw > a)
            continue;
        int ok = 1;
        for (int k = 0; k < nw && ok; k++)
            ok = eq(&c->t[a - (uint32_t)nw + (uint32_t)k], rules_timex_modifiers[m][k]);
        if (!ok)
            continue;
        uint32_t na = a - (uint32_t)nw;
        if ((eq(&c->t[a - 1], "late") || eq(&c->t[a - 1], "early")) && na > 0 && eq(&c->t[na - 1], "the"))
            na--;
        return na;
    }
    return a;
}

/* What business and wire copy write after a date, joined to it: "the
 * 1988 third quarter", "the 1989 period", "this year's second quarter",
 * "the next year or so". A year's value narrows to the quarter named. */
static void extend_match(const ctx *c, match *mt)
{
    uint32_t b = mt->b;
    int year_value = mt->type == TIMEX_DATE && strlen(mt->value) >= 4 && is_ascii_digit((unsigned char)mt->value[0]) &&
                     is_ascii_digit((unsigned char)mt->value[3]);
    if (year_value && b < c->n) {
        uint32_t k = b + (eq(&c->t[b], "'s") ? 1 : 0);
        int ord = k < c->n ? LOOKUP(rules_timex_ordinals, &c->t[k]) : 0;
        uint32_t u = k + (ord ? 1 : 0);
        if (u < c->n && ord >= 1 && ord <= 4 && eq(&c->t[u], "quarter")) {
            char y[5];
            memcpy(y, mt->value, 4);
            y[4] = 0;
            set_value(mt, "%s-Q%d", y, ord);
            mt->grain = "quarter";
            mt->b = u + 1;
        } else if (k == b && u < c->n && (eq(&c->t[u], "period") || eq(&c->t[u], "quarter"))) {
            mt->b = u + 1; /* "the 1988 period", "the year-ago quarter": the same value */
        }
        if (mt->b != b && mt->a > 0 && eq(&c->t[mt->a - 1], "the"))
            mt->a--;
    }
    if (mt->b + 1 < c->n && eq(&c->t[mt->b], "or") && eq(&c->t[mt->b + 1], "so"))
        mt->b += 2; /* "the next year or so" */
    /* "this past spring", "this coming Sunday": the "this" belongs */
    if (mt->a > 0 && (eq(&c->t[mt->a], "past") || eq(&c->t[mt->a], "coming")) && eq(&c->t[mt->a - 1], "this"))
        mt->a--;
    /* ranges: "two to three weeks", "12 to 18 months" (the value is the
     * upper end's), "a year or two", "weeks or months" */
    if (mt->type == TIMEX_DURATION) {
        int plural;
        if (mt->a >= 2 && (eq(&c->t[mt->a - 1], "to") || eq(&c->t[mt->a - 1], "or")) &&
            number_of(&c->t[mt->a - 2]) > 0 && number_of(&c->t[mt->a]) > 0)
            mt->a -= 2;
        if (mt->b + 1 < c->n && (eq(&c->t[mt->b], "or") || eq(&c->t[mt->b], "and")) &&
            ((number_of(&c->t[mt->b + 1]) > 0 && !eq(&c->t[mt->b + 1], "a") && !eq(&c->t[mt->b + 1], "an")) ||
             (unit_of(c->t[mt->b + 1].w, c->t[mt->b + 1].n, &plural) && plural)))
            mt->b += 2;
    }
}

const char *timex_type_name(timex_type t)
{
    static const char *const names[] = {"DATE", "TIME", "DURATION", "SET"};
    return (unsigned)t < 4 ? names[t] : "DATE";
}

static int sentence_dates(enrich_doc *doc, const sentence *se, tok *buf, int8_t *tense)
{
    const char *text = doc->text;
    uint32_t n = se->count;
    for (uint32_t k = 0; k < n; k++) {
        tok *t = &buf[k];
        t->s = doc->tokens.v[se->first + k].s;
        size_t len = span_len(t->s);
        size_t o = 0;
        for (size_t b = 0; b < len && o + 1 < sizeof t->w; b++) {
            unsigned char ch = (unsigned char)text[t->s.start + b];
            if (ch == 0xE2 && b + 2 < len && (unsigned char)text[t->s.start + b + 1] == 0x80 &&
                ((unsigned char)text[t->s.start + b + 2] == 0x99 || (unsigned char)text[t->s.start + b + 2] == 0x98)) {
                t->w[o++] = '\'';
                b += 2;
                continue;
            }
            t->w[o++] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
        }
        t->w[o] = 0;
        t->n = o;
    }
    memset(tense, TENSE_UNREAD, n ? n : 1);
    ctx c = {doc, buf, n, tense};
    uint32_t i = 0;
    while (i < n) {
        unsigned which = trigger_matchers(doc, buf[i].s, buf[i].w, buf[i].n);
        if (!which) {
            i++;
            continue;
        }
        match best;
        memset(&best, 0, sizeof best);
        int found = 0;
        for (size_t m = 0; m < sizeof matchers / sizeof matchers[0]; m++) {
            if (!(which & (1u << m)))
                continue;
            match mt;
            memset(&mt, 0, sizeof mt);
            if (matchers[m](&c, i, &mt) && mt.b > mt.a && (!found || mt.b > best.b)) {
                best = mt;
                found = 1;
            }
        }
        if (!found) {
            i++;
            continue;
        }
        /* "X-year-old" is an age; "the" of a larger noun phrase stays out */
        if (best.b < n && strstr(buf[best.b - 1].w, "-old")) {
            i = best.b;
            continue;
        }
        extend_match(&c, &best);
        uint32_t a = take_modifier(&c, best.a);
        timex *tx = DOC_PUSH(doc, doc->dates);
        if (!tx)
            return -1;
        tx->s = (span){buf[a].s.start, buf[best.b - 1].s.end - best.cut};
        tx->type = (uint8_t)best.type;
        memcpy(tx->value, best.value, sizeof tx->value);
        tx->grain = best.grain ? best.grain : "day";
        i = best.b;
    }
    return 0;
}

/* The time stamps' dates that no expression covers ("11/19/19",
 * "18.11.2019": forms only a stamp line gives), put among the dates in text
 * order. */
static int stamp_dates(enrich_doc *doc)
{
    for (uint32_t i = 0; i < doc->stamps.n; i++) {
        const doc_date *d = &doc->stamps.v[i].date;
        if (span_empty(d->text))
            continue;
        uint32_t k = 0;
        while (k < doc->dates.n && doc->dates.v[k].s.end <= d->text.start)
            k++;
        if (k < doc->dates.n && doc->dates.v[k].s.start < d->text.end)
            continue; /* an expression there already */
        if (!DOC_PUSH(doc, doc->dates))
            return -1;
        memmove(&doc->dates.v[k + 1], &doc->dates.v[k], (doc->dates.n - 1 - k) * sizeof *doc->dates.v);
        timex *x = &doc->dates.v[k];
        memset(x, 0, sizeof *x);
        x->s = d->text;
        x->type = TIMEX_DATE;
        snprintf(x->value, sizeof x->value, "%04d-%02d-%02d", d->year, d->month, d->day);
        x->grain = "day";
    }
    return 0;
}

int timex_run(enrich_doc *doc)
{
    /* The dateline's date: the day the story was filed, on or before the
     * reference date (a day or two after it for time zones) */
    doc_date *dd = &doc->dateline.date;
    if (doc->dateline.found && doc->dateline.has_date)
        dd->resolved_year = dd->year ? dd->year : doc->has_ref ? year_for(doc, dd->month, dd->day, -1) : 0;
    for (uint32_t i = 0; i < doc->stamps.n; i++)
        doc->stamps.v[i].date.resolved_year = doc->stamps.v[i].date.year;
    if (!(doc->include & ENRICH_PART_DATES))
        return 0; /* the expressions in the text were not asked for */
    uint32_t longest = 0;
    for (uint32_t s = 0; s < doc->sentences.n; s++)
        if (doc->sentences.v[s].count > longest)
            longest = doc->sentences.v[s].count;
    tok *buf = arena_array(&doc->arena, longest ? longest : 1, sizeof *buf);
    int8_t *tense = arena_array(&doc->arena, longest ? longest : 1, 1);
    if (!buf || !tense)
        return -1;
    for (uint32_t s = 0; s < doc->sentences.n; s++)
        if (sentence_dates(doc, &doc->sentences.v[s], buf, tense))
            return -1;
    return stamp_dates(doc);
}
