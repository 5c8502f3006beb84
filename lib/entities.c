/*
 * entities.c - the entities stage. Reads the tokens with their tagger
 * labels, the dateline and the gazetteers; adds mentions (spans with a
 * type) and entities (one per real-world thing in the story: canonical
 * name, type, ISO 3166 or GeoNames link, salience).
 *
 * Rules here do what the tagger cannot see: a country's every name is one
 * country ("DPRK" is North Korea), "North Korea-Russia" is two places, the
 * dateline's places are places, "Yoon" after "Yoon Suk Yeol" is him.
 */
#include "entities.h"
#include "rules.h"

#include <stdlib.h>
#include <string.h>

#include "ner.h"
#include "dictionary.h"
#include "fold.h"
#include "phrases.h"
#include "utf8.h"

static int is_place(int type)
{
    return type == ENT_GPE || type == ENT_LOC || type == ENT_FAC;
}

/* ---- collecting mentions ------------------------------------------------------ */

typedef struct collector {
    enrich_doc *doc;
    int failed;
} collector;

static int add_mention(enrich_doc *doc, span s, int type, int region, int from_rule)
{
    if (region == REGION_META)
        return 0; /* bylines name who wrote the story, not whom it is about */
    mention *m = DOC_PUSH(doc, doc->mentions);
    if (!m)
        return -1;
    m->s = s;
    m->type = (uint8_t)type;
    m->region = (uint8_t)region;
    m->from_rule = (uint8_t)from_rule;
    m->next = UINT32_MAX;
    return 0;
}

/* A quotation mark, bracket or comma standing alone as a token. */
static int is_quote(const char *t, span s)
{
    uint32_t n = span_len(s);
    unsigned char c = (unsigned char)t[s.start];
    if (n == 1)
        return c == '"' || c == '\'' || c == '(' || c == ')' || c == ',' || c == '`';
    /* “ ” ‘ ’ alone */
    return n == 3 && c == 0xE2 && (unsigned char)t[s.start + 1] == 0x80 &&
           (unsigned char)t[s.start + 2] >= 0x98 && (unsigned char)t[s.start + 2] <= 0x9D;
}

/* Is token b a ")" that closes a "(" among tokens a..b-1? */
static int closes_paren(const enrich_doc *doc, uint32_t a, uint32_t b)
{
    const token *tk = doc->tokens.v;
    if (span_len(tk[b].s) != 1 || doc->text[tk[b].s.start] != ')')
        return 0;
    int depth = 0;
    for (uint32_t k = a; k < b; k++)
        if (span_len(tk[k].s) == 1)
            depth += doc->text[tk[k].s.start] == '(' ? 1 : doc->text[tk[k].s.start] == ')' ? -1 : 0;
    return depth > 0;
}

static void on_span(void *ud, int cls, uint32_t a, uint32_t b)
{
    collector *c = ud;
    enrich_doc *doc = c->doc;
    const token *tk = doc->tokens.v;
    /* No quotes at the ends. A possessive 's the tagger leaves out of
     * names ("North Korea's"), and one it keeps belongs to the name, as
     * in "Lord's". */
    while (a <= b && is_quote(doc->text, tk[a].s))
        a++;
    while (b >= a && b > 0 && is_quote(doc->text, tk[b].s) && !closes_paren(doc, a, b))
        b--;
    if (a > b || tk[a].region == REGION_DATELINE)
        return;
    /* A name the tagger left open (its last label says more follows) and
     * the next word did not go on with: the words in lower case it ended
     * on are the joints of a longer name it lost ("Minor Counties and",
     * "Kia Motor Corp of"), not part of this one. */
    int pos = ner_label_pos(tk[b].label);
    while (b > a && (pos == NER_B || pos == NER_I) && is_ascii_lower((unsigned char)doc->text[tk[b].s.start]))
        b--;
    /* A name has a capital somewhere ("eBay"), or letters beyond ASCII
     * (scripts without case); the tagger's "122.53" or "reunites" is none
     * (CoNLL-2003 train marks 8 of 20,000 names without one). */
    int named = 0;
    for (uint32_t p = tk[a].s.start; p < tk[b].s.end && !named; p++)
        named = is_ascii_upper((unsigned char)doc->text[p]) || (unsigned char)doc->text[p] >= 0x80;
    if (!named)
        return;
    /* "Mladost ( L )": a bracket the name opens, it closes */
    if (b + 1 < doc->tokens.n && closes_paren(doc, a, b + 1) && tk[b + 1].s.start <= tk[b].s.end + 1)
        b++;
    static const int type_of_class[NER_CLASSES] = {ENT_PERSON, ENT_ORG, ENT_LOC, ENT_MISC};
    if (add_mention(doc, (span){tk[a].s.start, tk[b].s.end}, type_of_class[cls], tk[a].region, 0))
        c->failed = 1;
}

/* The gazetteer entry of t[s] taken as a name, or NULL. */
static const phrase *lookup(const enrich_doc *doc, span s)
{
    uint64_t h = phrases_hash_name(doc->text + s.start, span_len(s));
    return h ? phrases_find(&doc->engine->phrases, h) : NULL;
}

static int overlaps(const mention *m, uint32_t n, span s)
{
    for (uint32_t i = 0; i < n; i++)
        if (!span_empty(m[i].s) && m[i].s.start < s.end && s.start < m[i].s.end)
            return 1;
    return 0;
}

/* Countries, regions and well-known places named in capitals that the
 * tagger missed, longest first. A country name of two words or more wins
 * over the tagger's mention it overlaps ("The Democratic People's Republic
 * of Korea" is the country without "The"). */
static int gazetteer_mentions(enrich_doc *doc)
{
    const token *tk = doc->tokens.v;
    const char *t = doc->text;
    uint32_t tagged = doc->mentions.n;
    for (uint32_t s = 0; s < doc->sentences.n; s++) {
        const sentence *se = &doc->sentences.v[s];
        uint32_t end = se->first + se->count;
        for (uint32_t i = se->first; i < end; i++) {
            if (!utf8_name_start(t, tk[i].s.end, tk[i].s.start) || tk[i].region == REGION_DATELINE)
                continue;
            uint32_t best = 0;
            const phrase *best_ph = NULL;
            if (!phrases_may_start(&doc->engine->phrases, phrase_extend(0, fold_lower_hash(t, tk[i].s))))
                continue;
            for (uint32_t n = 1; n <= PHRASE_MAX_TOKENS && i + n <= end; n++) {
                span sp = {tk[i].s.start, tk[i + n - 1].s.end};
                const phrase *ph = lookup(doc, sp);
                if (!ph)
                    break;
                if (ph->lists & (PH_COUNTRY | PH_REGION | PH_LOC | PH_FAC)) {
                    best = n;
                    best_ph = ph;
                }
                if (!ph->continues)
                    break;
            }
            if (!best)
                continue;
            span sp = {tk[i].s.start, tk[i + best - 1].s.end};
            /* A one-word name all in capitals inside a capitals line is
             * too often something else (a section name); leave it. */
            int type = best_ph->lists & (PH_COUNTRY | PH_REGION) ? ENT_GPE
                       : best_ph->lists & PH_FAC                 ? ENT_FAC
                                                                 : ENT_LOC;
            /* A name of two words or more replaces the tagger's fragments of
             * it ("Camp" and "David" in "Camp David"), and a mention that
             * only adds a leading "The" to a country's name; the tagger's
             * own reading of the same or a longer span stands. */
            for (uint32_t k = 0; best >= 2 && k < tagged; k++) {
                mention *m = &doc->mentions.v[k];
                if (m->from_rule || span_empty(m->s) || m->s.end <= sp.start || sp.end <= m->s.start)
                    continue;
                int fragment = m->s.start >= sp.start && m->s.end <= sp.end && span_len(m->s) < span_len(sp);
                span lead = text_trim(t, (span){m->s.start, sp.start});
                int the = m->s.end == sp.end && m->s.start < sp.start && text_ieq(t, lead, "the") &&
                          (best_ph->lists & PH_COUNTRY);
                if (fragment || the)
                    m->s.end = m->s.start; /* dropped when sorted */
            }
            if (!overlaps(doc->mentions.v, doc->mentions.n, sp) &&
                add_mention(doc, sp, type, tk[i].region, 1))
                return -1;
            i += best - 1;
        }
    }
    return 0;
}

/* Custom dictionary names, longest first; they replace every mention they
 * overlap. */
static int dictionary_mentions(enrich_doc *doc)
{
    const dictionary *d = &doc->engine->dict;
    if (!d->n_entries)
        return 0;
    const token *tk = doc->tokens.v;
    const char *t = doc->text;
    uint32_t before = doc->mentions.n;
    for (uint32_t s = 0; s < doc->sentences.n; s++) {
        const sentence *se = &doc->sentences.v[s];
        uint32_t end = se->first + se->count;
        for (uint32_t i = se->first; i < end; i++) {
            uint32_t best = 0;
            const dict_slot *best_slot = NULL;
            uint64_t h = 0;
            for (uint32_t n = 1; n <= PHRASE_MAX_TOKENS && i + n <= end; n++) {
                h = phrase_extend(h, fold_lower_hash(t, tk[i + n - 1].s));
                const dict_slot *ds = dictionary_find(d, h);
                if (!ds)
                    break;
                if (ds->entry >= 0) {
                    best = n;
                    best_slot = ds;
                }
                if (!ds->continues)
                    break;
            }
            if (!best)
                continue;
            const dict_entry *de = &d->entries[best_slot->entry];
            /* "apple" is no Apple: a capitalized entry needs a capital. */
            unsigned char c0 = (unsigned char)t[tk[i].s.start], n0 = (unsigned char)de->name[0];
            if ((is_ascii_upper(n0) || n0 >= 0x80) && is_ascii_lower(c0))
                continue;
            span sp = {tk[i].s.start, tk[i + best - 1].s.end};
            for (uint32_t k = 0; k < before; k++) {
                mention *m = &doc->mentions.v[k];
                if (!span_empty(m->s) && m->s.start < sp.end && sp.start < m->s.end)
                    m->s.end = m->s.start; /* dropped when sorted */
            }
            if (add_mention(doc, sp, de->type, tk[i].region, 1))
                return -1;
            doc->mentions.v[doc->mentions.n - 1].dict = de;
            i += best - 1;
        }
    }
    return 0;
}

/* The dateline's city and country are places. */
static int dateline_mentions(enrich_doc *doc)
{
    const dateline_info *d = &doc->dateline;
    if (!d->found)
        return 0;
    if (!span_empty(d->city) && add_mention(doc, d->city, ENT_GPE, REGION_DATELINE, 1))
        return -1;
    if (!span_empty(d->region_text) && d->region && add_mention(doc, d->region_text, ENT_GPE, REGION_DATELINE, 1))
        return -1;
    if (!span_empty(d->country_text) && d->country_text.start != d->city.start && /* "KUWAIT" is both */
        add_mention(doc, d->country_text, ENT_GPE, REGION_DATELINE, 1))
        return -1;
    return 0;
}

/* Mentions by position; they do not overlap, so start then end is total. */
static int cmp_mention(const void *a, const void *b)
{
    const mention *x = a, *y = b;
    if (x->s.start != y->s.start)
        return x->s.start < y->s.start ? -1 : 1;
    return (x->s.end > y->s.end) - (x->s.end < y->s.end);
}

static void sort_mentions(enrich_doc *doc)
{
    mention *m = doc->mentions.v;
    uint32_t n = 0;
    for (uint32_t i = 0; i < doc->mentions.n; i++) /* drop the emptied */
        if (!span_empty(m[i].s))
            m[n++] = m[i];
    doc->mentions.n = n;
    if (n > 1)
        qsort(m, n, sizeof *m, cmp_mention); /* rule mentions come after the tagger's */
}

/* "North Korea-Russia" and "North Korea, Russia": places joined by a
 * hyphen or a comma are two mentions when each part is a known place. */
static int split_joined_places(enrich_doc *doc)
{
    const char *t = doc->text;
    uint32_t n = doc->mentions.n;
    for (uint32_t i = 0; i < n; i++) {
        /* the mention, or the mention and the one a space after it (the
         * tagger may cut "North | Korea-Russia"), looked for only then */
        uint32_t next = UINT32_MAX;
        for (int joined = 0; joined < 2; joined++) {
            if (joined) {
                uint32_t end = doc->mentions.v[i].s.end;
                for (uint32_t j = 0; j < n && end < doc->len && t[end] == ' '; j++)
                    if (doc->mentions.v[j].s.start == end + 1)
                        next = j;
                if (next == UINT32_MAX)
                    break;
            }
            span s = {doc->mentions.v[i].s.start, joined ? doc->mentions.v[next].s.end : doc->mentions.v[i].s.end};
            uint32_t p = s.start + 1;
            for (; p + 1 < s.end; p++) {
                if (t[p] != '-' && t[p] != ',')
                    continue;
                span left = text_trim(t, (span){s.start, p});
                span right = text_trim(t, (span){p + 1, s.end});
                const phrase *l = lookup(doc, left), *r = lookup(doc, right);
                uint32_t places = PH_COUNTRY | PH_REGION | PH_CITY;
                if (!l || !r || !(l->lists & places) || !(r->lists & places))
                    continue;
                mention *m = &doc->mentions.v[i];
                m->s = left;
                m->type = ENT_GPE;
                if (joined) {
                    doc->mentions.v[next].s = right;
                    doc->mentions.v[next].type = ENT_GPE;
                } else if (add_mention(doc, right, ENT_GPE, m->region, m->from_rule)) {
                    return -1;
                }
                break;
            }
            if (p + 1 < s.end)
                break; /* split */
        }
    }
    return 0;
}

/* "Patrick Carlineo Jr." and "James Kennedy, Jr.": a generational suffix
 * after a person's name is part of it (as CoNLL-2003 marks it), whether
 * the tagger left it out or took it for a name of its own. Mentions are
 * sorted; a suffix mention absorbed is emptied and dropped. */
static void join_name_suffixes(enrich_doc *doc)
{
    const char *t = doc->text;
    mention *m = doc->mentions.v;
    int dropped = 0;
    for (uint32_t i = 0; i < doc->mentions.n; i++) {
        if (m[i].type != ENT_PERSON || span_empty(m[i].s))
            continue;
        uint32_t p = m[i].s.end;
        if (p < doc->len && t[p] == ',')
            p++;
        if (p >= doc->len || t[p] != ' ')
            continue;
        p++;
        for (size_t k = 0; k < RULES_N(rules_entities_name_suffixes); k++) {
            size_t n = strlen(rules_entities_name_suffixes[k]);
            if (p + n > doc->len || memcmp(t + p, rules_entities_name_suffixes[k], n) != 0 ||
                (p + n < doc->len && (is_ascii_alpha((unsigned char)t[p + n]) || is_ascii_digit((unsigned char)t[p + n]))))
                continue;
            uint32_t end = (uint32_t)(p + n), j = i + 1;
            if (j < doc->mentions.n && m[j].s.start < end) {
                if (m[j].s.end > end + 1)
                    break; /* a longer name goes on from the suffix */
                m[j].s.end = m[j].s.start; /* the suffix taken for a name */
                dropped = 1;
            }
            m[i].s.end = end;
            break;
        }
    }
    if (dropped)
        sort_mentions(doc);
}

/* ---- typing ------------------------------------------------------------------ */

/* "Mark O'Meara", "Li Song-ho": two person names the tagger ended and
 * began again with nothing but a space between are one name. Two people
 * side by side always have something between them (CoNLL-2003 train and
 * dev mark no two person names back to back). Mentions are sorted; the
 * second is emptied and dropped. */
static void join_adjacent_persons(enrich_doc *doc)
{
    const char *t = doc->text;
    mention *m = doc->mentions.v;
    int dropped = 0;
    for (uint32_t i = 0; i + 1 < doc->mentions.n; i++) {
        mention *x = &m[i], *y = &m[i + 1];
        if (x->type != ENT_PERSON || y->type != ENT_PERSON || x->from_rule || y->from_rule ||
            span_empty(x->s) || x->region != y->region || y->s.start <= x->s.end)
            continue;
        uint32_t p = x->s.end;
        while (p < y->s.start && t[p] == ' ')
            p++;
        if (p != y->s.start)
            continue;
        y->s.start = x->s.start; /* the later keeps the whole name */
        x->s.end = x->s.start;
        dropped = 1;
    }
    if (dropped)
        sort_mentions(doc);
}

static void type_mention(enrich_doc *doc, mention *m)
{
    if (m->dict)
        return; /* the newsroom said what it is */
    m->ph = lookup(doc, m->s);
    const phrase *ph = m->ph;
    if (!ph)
        return;
    if (ph->lists & (PH_COUNTRY | PH_REGION)) {
        if (m->type != ENT_PERSON && m->type != ENT_ORG)
            m->type = ENT_GPE;
        else if (m->type == ENT_ORG && m->region != REGION_BODY)
            m->type = ENT_GPE;
    } else if ((ph->lists & PH_CITY) && (m->type == ENT_LOC || m->from_rule)) {
        m->type = ENT_GPE;
    } else if ((ph->lists & PH_FAC) && (m->type == ENT_LOC || m->from_rule)) {
        /* "the Kremlin said": the tagger's ORG stands; a place stays a place */
        m->type = ENT_FAC;
    } else if ((ph->lists & PH_LOC) && (m->type == ENT_LOC || m->type == ENT_MISC || m->from_rule)) {
        m->type = ENT_LOC;
    } else if ((ph->lists & PH_DEMONYM) && m->type == ENT_MISC) {
        m->type = ENT_NORP;
    }
}

/* ---- a country by its compass word ------------------------------------------- */

/* "the North" in a story that names North Korea, and no other country
 * whose name opens with "North", is North Korea; "the South" likewise.
 * The country must be named in the story; the word must be capitalised
 * after "the" with no capitalised word after it ("the North Atlantic" is
 * another place). Returns -1 when out of memory. */
static int compass_countries(enrich_doc *doc)
{
    static const char *const compass[] = {"North", "South", "East", "West"};
    const phrase *country[4] = {NULL, NULL, NULL, NULL};
    int many[4] = {0, 0, 0, 0};
    const char *t = doc->text;
    for (uint32_t i = 0; i < doc->mentions.n; i++) {
        const mention *m = &doc->mentions.v[i];
        if (!m->ph || m->type != ENT_GPE || !(m->ph->lists & PH_COUNTRY) || !m->ph->country)
            continue;
        const char *name = m->ph->country->name;
        for (int c = 0; c < 4; c++) {
            size_t n = strlen(compass[c]);
            if (strncmp(name, compass[c], n) != 0 || name[n] != ' ')
                continue;
            if (country[c] && country[c]->country != m->ph->country)
                many[c] = 1;
            country[c] = m->ph;
        }
    }
    int any = 0;
    for (int c = 0; c < 4; c++)
        any |= country[c] && !many[c];
    if (!any)
        return 0;
    uint32_t before = doc->mentions.n;
    for (uint32_t k = 1; k < doc->tokens.n; k++) {
        const token *tk = &doc->tokens.v[k], *prev = &doc->tokens.v[k - 1];
        int c = 0;
        while (c < 4 && !(span_len(tk->s) == strlen(compass[c]) &&
                          memcmp(t + tk->s.start, compass[c], span_len(tk->s)) == 0))
            c++;
        if (c == 4 || !country[c] || many[c] || (tk->flags & TOK_SENT_START) || span_len(prev->s) != 3 ||
            (memcmp(t + prev->s.start, "the", 3) != 0 && memcmp(t + prev->s.start, "The", 3) != 0))
            continue;
        if (k + 1 < doc->tokens.n && !(doc->tokens.v[k + 1].flags & TOK_SENT_START) &&
            is_ascii_upper((unsigned char)t[doc->tokens.v[k + 1].s.start]))
            continue;
        /* the tagger's mention of the word, or a new one */
        mention *found = NULL;
        int overlaps = 0;
        for (uint32_t i = 0; i < before; i++) {
            mention *m = &doc->mentions.v[i];
            if (m->s.start == tk->s.start && m->s.end == tk->s.end)
                found = m;
            else if (m->s.start < tk->s.end && tk->s.start < m->s.end)
                overlaps = 1;
        }
        if (overlaps || (found && found->dict))
            continue;
        if (!found) {
            if (add_mention(doc, tk->s, ENT_GPE, tk->region, 1))
                return -1;
            if (doc->mentions.n == before)
                continue; /* a byline's word */
            found = &doc->mentions.v[doc->mentions.n - 1];
        }
        found->type = ENT_GPE;
        found->ph = country[c];
    }
    if (doc->mentions.n != before)
        sort_mentions(doc);
    return 0;
}

/* ---- clustering --------------------------------------------------------------- */

/* A key for "the same name": lower case, ’ as ', single spaces. */
static uint64_t name_key(const char *t, span s)
{
    char buf[256];
    int n = text_name_key(t + s.start, span_len(s), buf, sizeof buf);
    return fold_fnv1a(buf, n > 0 ? (size_t)n : 0);
}

static int type_group(int type)
{
    return is_place(type) ? ENT_GPE : type;
}

static uint32_t find_root(uint32_t *parent, uint32_t i)
{
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    return i;
}

/* Words of t[s] (on spaces), at most max; returns how many. */
static int words_of(const char *t, span s, span *w, int max)
{
    int n = 0;
    uint32_t i = s.start;
    span x;
    while (n < max && !span_empty(x = text_next_word(t, s.end, &i)))
        w[n++] = x;
    return n;
}

static int same_text(const char *t, span a, span b)
{
    return span_len(a) == span_len(b) && memcmp(t + a.start, t + b.start, span_len(a)) == 0;
}

/* A name's words, counted once per distinct name: up to twelve, which
 * every test below reads (the first eight of them, but for acronyms). */
typedef struct name_words {
    span w[12];
    int n;
} name_words;

static int min_words(const name_words *x, int max)
{
    return x->n < max ? x->n : max;
}

/* Is short one word of long ("Yoon" of "Yoon Suk Yeol")? */
static int word_of(const char *t, span shortname, const name_words *L)
{
    int n = min_words(L, 8);
    for (int i = 0; i < n; i++)
        if (same_text(t, L->w[i], shortname))
            return 1;
    return 0;
}

/* Is short the last word of long ("Omar" of "Ilhan Omar")? */
static int last_word_of(const char *t, span shortname, const name_words *L)
{
    int nb = min_words(L, 8);
    return nb >= 2 && same_text(t, shortname, L->w[nb - 1]);
}

/* Are the words of short the last words of long, fewer of them ("Van Der
 * Beek" of "James Van Der Beek")? */
static int tail_of(const char *t, const name_words *S, const name_words *L)
{
    int na = min_words(S, 8), nb = min_words(L, 8);
    if (na < 2 || na >= nb)
        return 0;
    for (int i = 0; i < na; i++)
        if (!same_text(t, S->w[na - 1 - i], L->w[nb - 1 - i]))
            return 0;
    return 1;
}

/* Is short the same person as long by a short form of the first name
 * ("Josh Apte" of "Joshua Apte")? Two words each, the same surname, the
 * short first name (three letters or more) opening the long one. */
static int short_form_of(const char *t, const name_words *S, const name_words *L)
{
    if (S->n != 2 || L->n != 2 || !same_text(t, S->w[1], L->w[1]))
        return 0;
    uint32_t la = span_len(S->w[0]);
    return la >= 3 && la < span_len(L->w[0]) && memcmp(t + S->w[0].start, t + L->w[0].start, la) == 0;
}

/* Is short the initials of long ("UN" of "United Nations")? */
static int acronym_of(const char *t, span shortname, const name_words *L)
{
    int n = L->n;
    uint32_t k = shortname.start;
    for (int i = 0; i < n; i++) {
        unsigned char c = (unsigned char)t[L->w[i].start];
        if (!is_ascii_upper(c))
            continue; /* of, the, and */
        if (k >= shortname.end || t[k] != (char)c)
            return 0;
        k++;
        while (k < shortname.end && t[k] == '.')
            k++;
    }
    return k == shortname.end && n >= 2;
}

static int cluster(enrich_doc *doc)
{
    const char *t = doc->text;
    uint32_t n = doc->mentions.n;
    mention *m = doc->mentions.v;
    uint32_t *parent = arena_array(&doc->arena, n ? n : 1, sizeof *parent);
    uint64_t *key = arena_array(&doc->arena, n ? n : 1, sizeof *key);
    if (!parent || !key)
        return -1;
    for (uint32_t i = 0; i < n; i++) {
        parent[i] = i;
        /* Countries and states by code; everything else by name and group. */
        const phrase *ph = m[i].ph;
        const place *pl = NULL;
        if (ph && m[i].type == ENT_GPE && !((ph->lists & PH_CITY) && ph->population >= 500000 && !(ph->lists & PH_COUNTRY)))
            pl = ph->region ? ph->region : (ph->lists & PH_COUNTRY) ? ph->country : NULL;
        key[i] = m[i].dict ? (uint64_t)(uintptr_t)m[i].dict * 37
                 : pl      ? (uint64_t)(uintptr_t)pl * 31
                           : name_key(t, m[i].s) ^ (uint64_t)type_group(m[i].type);
    }
    /* The same key: one entity. Quadratic only in the distinct names seen. */
    uint32_t *first_of = arena_array(&doc->arena, n ? n : 1, sizeof *first_of);
    uint32_t nfirst = 0;
    if (!first_of)
        return -1;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t k = 0;
        while (k < nfirst && key[first_of[k]] != key[i])
            k++;
        if (k < nfirst)
            parent[i] = first_of[k];
        else
            first_of[nfirst++] = i;
    }
    /* Short names of people and acronyms of organizations join the longer
     * name nearest before them (or after, when none is before). Each
     * name's words are counted once. */
    uint8_t *words = arena_array(&doc->arena, nfirst ? nfirst : 1, 1);
    name_words *nw_of = arena_array(&doc->arena, nfirst ? nfirst : 1, sizeof *nw_of);
    if (!words || !nw_of)
        return -1;
    for (uint32_t a = 0; a < nfirst; a++) {
        nw_of[a].n = words_of(t, m[first_of[a]].s, nw_of[a].w, 12);
        words[a] = (uint8_t)min_words(&nw_of[a], 4);
    }
    for (uint32_t a = 0; a < nfirst; a++) {
        mention *ma = &m[first_of[a]];
        int nw = words[a];
        int short_person = (nw == 1 && (ma->type == ENT_PERSON || (!ma->ph && ma->type != ENT_MISC))) ||
                           (nw >= 2 && nw <= 3 && ma->type == ENT_PERSON);
        /* a surname the tagger typed otherwise ("Omar", "Noem") joins the
         * person it ends the name of, or the two-word name the tagger typed
         * an organization too ("Sowers" of "Eyamba Sowers") */
        int surname = nw == 1 && !short_person && ma->type != ENT_GPE && ma->type != ENT_NORP &&
                      is_ascii_upper((unsigned char)t[ma->s.start]);
        int org_tail = nw == 1 && ma->type == ENT_ORG && is_ascii_upper((unsigned char)t[ma->s.start]);
        int acronym = nw == 1 && span_len(ma->s) >= 2 && span_len(ma->s) <= 8 && is_ascii_upper((unsigned char)t[ma->s.start]);
        if (!short_person && !acronym && !surname && !org_tail)
            continue;
        uint32_t best = UINT32_MAX;
        for (uint32_t b = 0; b < nfirst; b++) {
            const mention *mb = &m[first_of[b]];
            if (a == b || words[b] < 2 || (nw >= 2 && words[b] < nw))
                continue;
            int join = (short_person && mb->type == ENT_PERSON &&
                        (nw == 1 ? word_of(t, ma->s, &nw_of[b])
                                 : words[b] > nw ? tail_of(t, &nw_of[a], &nw_of[b]) : short_form_of(t, &nw_of[a], &nw_of[b]))) ||
                       (surname && mb->type == ENT_PERSON && last_word_of(t, ma->s, &nw_of[b])) ||
                       (org_tail && mb->type == ENT_ORG && words[b] == 2 && last_word_of(t, ma->s, &nw_of[b])) ||
                       (acronym && (mb->type == ENT_ORG || mb->type == ENT_GPE) && acronym_of(t, ma->s, &nw_of[b]));
            if (!join)
                continue;
            if (best == UINT32_MAX || (mb->s.start < ma->s.start && (m[best].s.start > ma->s.start || mb->s.start > m[best].s.start)))
                best = first_of[b];
        }
        if (best != UINT32_MAX)
            parent[find_root(parent, first_of[a])] = find_root(parent, best);
    }
    /* Entities in order of first mention. */
    uint32_t *entity_of_root = arena_array(&doc->arena, n ? n : 1, sizeof *entity_of_root);
    if (!entity_of_root)
        return -1;
    for (uint32_t i = 0; i < n; i++)
        entity_of_root[i] = UINT32_MAX;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t r = find_root(parent, i);
        if (entity_of_root[r] == UINT32_MAX) {
            entity *e = DOC_PUSH(doc, doc->entities);
            if (!e)
                return -1;
            entity_of_root[r] = doc->entities.n - 1;
            e->first = i;
            e->name = m[i].s;
        } else {
            m[doc->entities.v[entity_of_root[r]].last].next = i;
        }
        entity *e = &doc->entities.v[entity_of_root[r]];
        e->last = i;
        e->count++;
        m[i].entity = entity_of_root[r];
    }
    return 0;
}

/* The word just before byte i on the same line, or an empty span. */
static span title_before(const char *t, uint32_t i)
{
    if (i < 2 || t[i - 1] != ' ')
        return (span){0, 0};
    uint32_t a = i - 1;
    while (a > 0 && is_ascii_alpha((unsigned char)t[a - 1]))
        a--;
    return (span){a, i - 1};
}

/* Type, name, links and weight of each entity from its mentions. */
static void describe(enrich_doc *doc)
{
    const char *t = doc->text;
    const mention *m = doc->mentions.v;
    uint32_t first_para_end = doc->paragraphs.n ? doc->paragraphs.v[0].end : 0;
    double total = 0;
    for (uint32_t e = 0; e < doc->entities.n; e++) {
        entity *en = &doc->entities.v[e];
        unsigned votes[ENT_TYPES] = {0};
        int gazetteer_type = -1;
        const dict_entry *de = NULL;
        const place *nation = NULL; /* the country a demonym names */
        unsigned best_words = 0;
        for (uint32_t i = en->first; i != UINT32_MAX; i = m[i].next) {
            const mention *mi = &m[i];
            votes[mi->type] += mi->from_rule ? 2 : 1;
            if (mi->dict)
                de = mi->dict;
            int big_city = mi->ph && (mi->ph->lists & PH_CITY) && mi->ph->population >= 500000 &&
                           !(mi->ph->lists & PH_COUNTRY);
            if (mi->ph && mi->type == ENT_GPE && (mi->ph->lists & (PH_COUNTRY | PH_REGION)) && !big_city) {
                const place *pl = mi->ph->region ? mi->ph->region : mi->ph->country;
                if (pl) {
                    en->name_str = pl->name;
                    en->iso3166 = pl->code;
                    gazetteer_type = ENT_GPE;
                }
            } else if (mi->ph && mi->type == ENT_GPE && (mi->ph->lists & PH_CITY) && !en->geonames) {
                en->geonames = mi->ph->geonames;
            } else if (mi->ph && mi->type == ENT_NORP && (mi->ph->lists & PH_DEMONYM) && mi->ph->country) {
                nation = mi->ph->country;
            }
            unsigned words = text_word_count(t, mi->s);
            /* the fullest name: most words, then the longest ("Joshua Apte"
             * over "Josh Apte") */
            if (words > best_words || (words == best_words && span_len(mi->s) > span_len(en->name))) {
                best_words = words;
                en->name = mi->s;
            }
            /* "Prince Andrew": a given name alone keeps the title that
             * names the person with it */
            if (words == 1 && best_words == 1 && span_len(en->name) == span_len(mi->s) &&
                mi->type == ENT_PERSON) {
                span title = title_before(t, mi->s.start);
                const phrase *ph = span_empty(title) ? NULL : lookup(doc, title);
                if (ph && (ph->lists & PH_NAME_TITLE) && is_ascii_upper((unsigned char)t[title.start])) {
                    best_words = 2;
                    en->name = (span){title.start, mi->s.end};
                }
            }
            double w = 1.0;
            if (mi->region == REGION_HEADLINE)
                w += 2.0;
            else if (mi->region == REGION_SUBHEADLINE)
                w += 1.0;
            else if (mi->region == REGION_BODY && mi->s.end <= first_para_end)
                w += 1.0;
            en->weight += w;
        }
        int type = 0;
        for (int k = 1; k < ENT_TYPES; k++)
            if (votes[k] > votes[type])
                type = k;
        en->type = (uint8_t)(gazetteer_type >= 0 ? gazetteer_type : type);
        if (de) {
            en->type = de->type;
            en->name_str = de->name;
            en->id = de->id;
        }
        if (en->type != ENT_GPE)
            en->geonames = 0;
        /* "North Korean" links to North Korea's code: a nationality is no
         * place, so it stays its own NORP entity, linked */
        if (en->type == ENT_NORP && nation && !en->iso3166 && !de)
            en->iso3166 = nation->code;
        total += en->weight;
    }
    for (uint32_t e = 0; e < doc->entities.n; e++)
        doc->entities.v[e].weight = total > 0 ? doc->entities.v[e].weight / total : 0;
}

int entities_run(enrich_doc *doc)
{
    collector c = {doc, 0};
    for (uint32_t s = 0; s < doc->sentences.n; s++)
        ner_spans(doc->tokens.v, doc->sentences.v[s].first, doc->sentences.v[s].count, on_span, &c);
    if (c.failed || gazetteer_mentions(doc) || dateline_mentions(doc) || dictionary_mentions(doc))
        return -1;
    if (split_joined_places(doc))
        return -1;
    sort_mentions(doc);
    join_name_suffixes(doc);
    join_adjacent_persons(doc);
    for (uint32_t i = 0; i < doc->mentions.n; i++)
        type_mention(doc, &doc->mentions.v[i]);
    if (compass_countries(doc) || cluster(doc))
        return -1;
    describe(doc);
    return 0;
}
