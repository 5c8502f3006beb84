/*
 * quotes.c - the quotes stage. Finds quoted speech in the body (curly,
 * straight, ``TeX'' and «guillemet» marks; a quote that runs over
 * paragraphs opens each of them again) and who said it: "X said", "said
 * X", "X added", "according to X"; a pronoun is the nearest person before
 * the quote ("he said"), "they" the group quoted before; a group stays as
 * written ("the leaders"). The speaker is an entity where one stands in the
 * attribution.
 */
#include "quotes.h"
#include "rules.h"

#include <string.h>

#include "utf8.h"

typedef enum mark { MARK_NONE, MARK_OPEN, MARK_CLOSE, MARK_STRAIGHT } mark;

/* The quotation mark at t[i], its length in *len. */
static mark mark_at(const char *t, uint32_t end, uint32_t i, uint32_t *len)
{
    unsigned char c = (unsigned char)t[i];
    *len = 1;
    if (c == '"')
        return MARK_STRAIGHT;
    if ((c == '`' || c == '\'') && i + 1 < end && t[i + 1] == c) {
        *len = 2;
        return c == '`' ? MARK_OPEN : MARK_CLOSE;
    }
    if (c == 0xE2 && i + 2 < end && (unsigned char)t[i + 1] == 0x80) {
        *len = 3;
        if ((unsigned char)t[i + 2] == 0x9C) /* “ */
            return MARK_OPEN;
        if ((unsigned char)t[i + 2] == 0x9D) /* ” */
            return MARK_CLOSE;
    }
    if (c == 0xC2 && i + 1 < end) {
        *len = 2;
        if ((unsigned char)t[i + 1] == 0xAB) /* « */
            return MARK_OPEN;
        if ((unsigned char)t[i + 1] == 0xBB) /* » */
            return MARK_CLOSE;
    }
    *len = 1;
    return MARK_NONE;
}

/* A straight quote opens after the start, a space or an opening bracket,
 * and closes otherwise. */
static int straight_opens(const char *t, uint32_t start, uint32_t i)
{
    if (i == start)
        return 1;
    unsigned char p = (unsigned char)t[i - 1];
    return p == '(' || p == '[' || p == '{' || utf8_space_before(t, i) > 0 || p == '-' || p == '/';
}

/* Does paragraph p open with a quotation mark? */
static int opens_with_mark(const char *t, span p)
{
    uint32_t len;
    if (span_empty(p))
        return 0;
    mark m = mark_at(t, p.end, p.start, &len);
    return m == MARK_OPEN || m == MARK_STRAIGHT;
}

static int add_quote(enrich_doc *doc, uint32_t start, uint32_t end)
{
    quote *q = DOC_PUSH(doc, doc->quotes);
    if (!q)
        return -1;
    q->s = (span){start, end};
    q->entity = UINT32_MAX;
    return 0;
}

/* Quote spans, paragraph by paragraph, marks included. */
static int find_quotes(enrich_doc *doc)
{
    const char *t = doc->text;
    int open = 0;
    uint32_t start = 0;
    for (uint32_t pi = 0; pi < doc->paragraphs.n; pi++) {
        span p = doc->paragraphs.v[pi];
        uint32_t i = p.start;
        if (open) {
            /* a quote that goes on: this paragraph opens with a mark again */
            uint32_t len;
            (void)mark_at(t, p.end, i, &len);
            i += len;
        }
        while (i < p.end) {
            unsigned char c = (unsigned char)t[i];
            if (c != '"' && c != '`' && c != '\'' && c != 0xE2 && c != 0xC2) {
                i++; /* most bytes are no mark */
                continue;
            }
            uint32_t len;
            mark m = mark_at(t, p.end, i, &len);
            if (m == MARK_STRAIGHT)
                m = open ? MARK_CLOSE : straight_opens(t, p.start, i) ? MARK_OPEN : MARK_NONE;
            if (m == MARK_OPEN) {
                open = 1; /* an unclosed quote before is dropped */
                start = i;
            } else if (m == MARK_CLOSE && open) {
                open = 0;
                if (add_quote(doc, start, i + len))
                    return -1;
            }
            i += len;
        }
        if (open && !(pi + 1 < doc->paragraphs.n && opens_with_mark(t, doc->paragraphs.v[pi + 1])))
            open = 0; /* never closed: not a quote we can trust */
    }
    return 0;
}

/* ---- attribution ------------------------------------------------------------ */

/* The first of n records (stride bytes each, each opening with its span,
 * the spans in text order and not overlapping, so their ends rise too)
 * whose span ends after byte i; n when none does. */
static uint32_t first_ending_after(const void *v, uint32_t n, size_t stride, uint32_t i)
{
    const char *base = v;
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (((const span *)(const void *)(base + (size_t)mid * stride))->end <= i)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The index of the token holding byte i (the first token at or after it). */
static uint32_t token_at(const enrich_doc *doc, uint32_t i)
{
    return first_ending_after(doc->tokens.v, doc->tokens.n, sizeof *doc->tokens.v, i);
}

/* The sentence holding token k. */
static const sentence *sentence_of(const enrich_doc *doc, uint32_t k)
{
    uint32_t lo = 0, hi = doc->sentences.n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const sentence *s = &doc->sentences.v[mid];
        if (s->first + s->count <= k)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < doc->sentences.n ? &doc->sentences.v[lo] : NULL;
}

static int tok_is(const enrich_doc *doc, uint32_t k, const char *w)
{
    return text_ieq(doc->text, doc->tokens.v[k].s, w);
}

static int is_speech_verb(const enrich_doc *doc, uint32_t k)
{
    const token *tk = &doc->tokens.v[k];
    unsigned char c0 = (unsigned char)doc->text[tk->s.start];
    if (!is_ascii_lower(c0) && c0 < 0x80) /* "сказала", "déclaré": the list decides */
        return 0;
    /* "as Gaiman put it", "Benioff weighed in", "X has written" */
    if ((tok_is(doc, k, "put") && k + 1 < doc->tokens.n && tok_is(doc, k + 1, "it")) ||
        (tok_is(doc, k, "weighed") && k + 1 < doc->tokens.n && tok_is(doc, k + 1, "in")) ||
        (tok_is(doc, k, "written") && k > 0 &&
         (tok_is(doc, k - 1, "has") || tok_is(doc, k - 1, "have") || tok_is(doc, k - 1, "had"))))
        return 1;
    return wordset_has(&doc->engine->speech_verbs, fold_lower_hash(doc->text, tk->s));
}

/* The first mention that ends after byte i (mentions are in text order
 * and do not overlap, so their ends are sorted too). */
static uint32_t mention_after(const enrich_doc *doc, uint32_t i)
{
    return first_ending_after(doc->mentions.v, doc->mentions.n, sizeof *doc->mentions.v, i);
}

/* Punctuation, a quotation mark, or a word that ends a speaker's name. */
static int breaks_phrase(const enrich_doc *doc, uint32_t k)
{
    const char *t = doc->text;
    span s = doc->tokens.v[k].s;
    unsigned char c = (unsigned char)t[s.start];
    if (span_len(s) == 1 && !is_ascii_alpha(c) && !is_ascii_digit(c))
        return 1;
    uint32_t len;
    if (mark_at(t, s.end, s.start, &len) != MARK_NONE)
        return 1;
    for (size_t i = 0; i < RULES_N(rules_quotes_phrase_stops); i++)
        if (text_ieq(t, s, rules_quotes_phrase_stops[i]))
            /* "said Will Tjernlund": a name before a name */
            return !(c == 'W' && !strcmp(rules_quotes_phrase_stops[i], "will") && k + 1 < doc->tokens.n &&
                     is_ascii_upper((unsigned char)t[doc->tokens.v[k + 1].s.start]));
    return 0;
}

/* Adverbs and auxiliaries that stand between a speaker and the verb:
 * "Yoon also said", "Soros had said", "Brooke tearfully asked". */
static int adverb(const enrich_doc *doc, uint32_t k)
{
    span w = doc->tokens.v[k].s;
    if (!is_ascii_lower((unsigned char)doc->text[w.start]))
        return 0; /* "Theresa May said", "Will said" */
    /* "Brooke tearfully asked"; "the family said" has a noun */
    if (span_len(w) > 4 && doc->text[w.end - 2] == 'l' && doc->text[w.end - 1] == 'y')
        return k > 0 && is_ascii_upper((unsigned char)doc->text[doc->tokens.v[k - 1].s.start]);
    for (size_t i = 0; i < RULES_N(rules_quotes_between_words); i++)
        if (tok_is(doc, k, rules_quotes_between_words[i]))
            return 1;
    return 0;
}

typedef struct attribution {
    uint32_t a, b; /* the speaker's tokens [a, b); a == b: none */
} attribution;

/* The speaker before verb v: the words back to a break, at most eight. */
static attribution subject_before(const enrich_doc *doc, uint32_t first, uint32_t v)
{
    uint32_t b = v;
    while (b > first && adverb(doc, b - 1))
        b--;
    uint32_t a = b;
    while (a > first && b - a < 8 && !breaks_phrase(doc, a - 1))
        a--;
    /* "Paganini and his team wrote": the one named, not the team */
    if (a > first + 1 && tok_is(doc, a - 1, "and") &&
        (tok_is(doc, a, "his") || tok_is(doc, a, "her") || tok_is(doc, a, "their"))) {
        uint32_t nb = a - 1, na = nb;
        while (na > first && nb - na < 4 && is_ascii_upper((unsigned char)doc->text[doc->tokens.v[na - 1].s.start]) &&
               !breaks_phrase(doc, na - 1))
            na--;
        if (na < nb)
            return (attribution){na, nb};
    }
    return (attribution){a, b};
}

/* The speaker after verb v ("said Yoon Suk Yeol"): the words up to a break. */
static attribution subject_after(const enrich_doc *doc, uint32_t v, uint32_t end)
{
    uint32_t a = v + 1, b = a;
    while (b < end && b - a < 8 && !breaks_phrase(doc, b))
        b++;
    return (attribution){a, b};
}

/* The first person named in tokens [from, to) right before a comma and
 * a description opening with an article ("Lucas Paganini, a planetary
 * scientist ...,"); none when no such person. */
static attribution described_person(const enrich_doc *doc, uint32_t from, uint32_t to)
{
    for (uint32_t mi = mention_after(doc, doc->tokens.v[from].s.start); mi < doc->mentions.n; mi++) {
        const mention *mm = &doc->mentions.v[mi];
        uint32_t ma = token_at(doc, mm->s.start), mb = token_at(doc, mm->s.end - 1) + 1;
        if (mb >= to)
            break;
        if (doc->entities.v[mm->entity].type == ENT_PERSON && tok_is(doc, mb, ",") && mb + 1 < to &&
            (tok_is(doc, mb + 1, "a") || tok_is(doc, mb + 1, "an") || tok_is(doc, mb + 1, "the")))
            return (attribution){ma, mb};
    }
    return (attribution){0, 0};
}

/* Who said the quote q: read the sentence after its closing mark, then the
 * one before its opening mark. */
static attribution attribute(const enrich_doc *doc, const quote *q)
{
    attribution none = {0, 0};
    if (doc->tokens.n == 0)
        return none;
    /* after: "..." X said / said X / X told reporters */
    uint32_t close = token_at(doc, q->s.end - 1);
    const sentence *s = close < doc->tokens.n ? sentence_of(doc, close) : NULL;
    if (s) {
        uint32_t end = s->first + s->count;
        uint32_t k = close + 1;
        while (k < end && (tok_is(doc, k, ",") || tok_is(doc, k, ".")))
            k++;
        /* "...!" Trump tweeted. / "...?" Schiff asked: the quote's own "!"
         * or "?" ended the sentence, the attribution is the next one's,
         * when it stays on the line */
        uint32_t last = close, open = token_at(doc, q->s.start);
        while (last > open + 1 &&
               (tok_is(doc, last - 1, "\xE2\x80\x99") || tok_is(doc, last - 1, "'") ||
                mark_at(doc->text, doc->len, doc->tokens.v[last - 1].s.start, &(uint32_t){0}) != MARK_NONE))
            last--; /* "...you know?'" */
        if (k == end && end < doc->tokens.n && last > 0 &&
            (tok_is(doc, last - 1, "!") || tok_is(doc, last - 1, "?")) &&
            !memchr(doc->text + q->s.end, '\n', doc->tokens.v[end].s.start - q->s.end)) {
            s = sentence_of(doc, end);
            end = s->first + s->count;
        }
        for (uint32_t v = k; v < end && v < k + 9; v++) {
            uint32_t len;
            if (mark_at(doc->text, doc->len, doc->tokens.v[v].s.start, &len) != MARK_NONE)
                break;
            if (!is_speech_verb(doc, v))
                continue;
            /* "..." X said / said X; "..." announced in May, said X */
            int after = v == k || tok_is(doc, v - 1, ",");
            attribution at = after ? subject_after(doc, v, end) : subject_before(doc, k, v);
            if (at.b > at.a)
                return at;
        }
        /* "..." — Neil Gaiman: a dash, then the name closing the sentence */
        if (k < end && span_len(doc->tokens.v[k].s) == 3 && (unsigned char)doc->text[doc->tokens.v[k].s.start] == 0xE2 &&
            (unsigned char)doc->text[doc->tokens.v[k].s.start + 2] == 0x94) {
            uint32_t a = k + 1, b = a;
            while (b < end && b - a < 4 && is_ascii_upper((unsigned char)doc->text[doc->tokens.v[b].s.start]) &&
                   !breaks_phrase(doc, b))
                b++;
            if (b > a && (b == end || tok_is(doc, b, ",") || tok_is(doc, b, ".")))
                return (attribution){a, b};
        }
        /* "...," Mayer, Disney's chairman of ..., said Tuesday: a name, an
         * appositive between commas, the verb */
        uint32_t nb = k;
        while (nb < end && nb - k < 4 && is_ascii_upper((unsigned char)doc->text[doc->tokens.v[nb].s.start]) &&
               !breaks_phrase(doc, nb))
            nb++;
        if (nb > k && nb < end && tok_is(doc, nb, ",")) {
            for (uint32_t v = nb + 1; v < end && v < nb + 40; v++) {
                uint32_t len;
                if (mark_at(doc->text, doc->len, doc->tokens.v[v].s.start, &len) != MARK_NONE)
                    break;
                if (is_speech_verb(doc, v)) {
                    uint32_t c = v;
                    while (c > nb && adverb(doc, c - 1))
                        c--;
                    /* "..., Kurinji Selvaraj, a research analyst at ...
                     * told CBS News": a description with an article needs
                     * no closing comma */
                    int described = nb + 1 < end && (tok_is(doc, nb + 1, "a") || tok_is(doc, nb + 1, "an") ||
                                                     tok_is(doc, nb + 1, "the"));
                    if (c > nb + 1 && (tok_is(doc, c - 1, ",") || (described && v < nb + 25)))
                        return (attribution){k, nb};
                    break;
                }
            }
        }
        /* "...," study lead author Lucas Paganini, a planetary scientist at
         * ... in Washington, D.C., said: the person the appositive
         * describes, not the place that ends it; "...," Sweden's deputy
         * director of public prosecutions, Eva-Marie Persson, said: a
         * description, then the name between commas */
        for (uint32_t v = k + 3; v < end && v < k + 40; v++) {
            uint32_t len;
            if (mark_at(doc->text, doc->len, doc->tokens.v[v].s.start, &len) != MARK_NONE)
                break;
            if (!is_speech_verb(doc, v))
                continue;
            uint32_t c = v;
            while (c > k && adverb(doc, c - 1))
                c--;
            if (!tok_is(doc, c - 1, ","))
                break;
            attribution pa = described_person(doc, k, c - 1);
            if (pa.b > pa.a && pa.a < k + 6)
                return pa;
            if (v >= k + 30 || c < k + 3)
                break;
            uint32_t b = c - 1, a = b;
            while (a > k && b - a < 4 && is_ascii_upper((unsigned char)doc->text[doc->tokens.v[a - 1].s.start]) &&
                   !breaks_phrase(doc, a - 1))
                a--;
            if (a < b && a > k && tok_is(doc, a - 1, ","))
                return (attribution){a, b};
            break;
        }
    }
    /* before: X said: "..." / X said that ... "..." / according to X */
    uint32_t open = token_at(doc, q->s.start);
    s = open < doc->tokens.n ? sentence_of(doc, open) : NULL;
    if (!s)
        return none;
    uint32_t end = s->first + s->count;
    int inside = 0; /* in another quote's words, read backwards */
    for (uint32_t v = open; v > s->first; v--) {
        uint32_t k = v - 1;
        uint32_t len;
        mark m = mark_at(doc->text, doc->len, doc->tokens.v[k].s.start, &len);
        if (m == MARK_STRAIGHT)
            m = inside ? MARK_OPEN : MARK_CLOSE;
        if (m != MARK_NONE) {
            inside = m == MARK_CLOSE;
            continue;
        }
        if (!inside && is_speech_verb(doc, k)) {
            /* "Robertson, the U.S. commander, said: '...'": the name
             * before the appositive */
            uint32_t c = k;
            while (c > s->first && adverb(doc, c - 1))
                c--;
            if (c > s->first + 2 && tok_is(doc, c - 1, ",")) {
                uint32_t nb = s->first;
                while (nb < c && nb - s->first < 4 &&
                       is_ascii_upper((unsigned char)doc->text[doc->tokens.v[nb].s.start]) && !breaks_phrase(doc, nb))
                    nb++;
                if (nb > s->first && nb < c - 1 && tok_is(doc, nb, ","))
                    return (attribution){s->first, nb};
                /* "In a letter in May, Zippy Duvall, the president of the
                 * American Farm Bureau, said": the person described */
                attribution pa = described_person(doc, s->first, c - 1);
                if (pa.b > pa.a)
                    return pa;
            }
            attribution at = subject_before(doc, s->first, k);
            if (at.b > at.a)
                return at;
            at = subject_after(doc, k, open);
            if (at.b > at.a)
                return at;
        }
    }
    for (uint32_t k = s->first; k + 2 < end; k++)
        if (tok_is(doc, k, "according") && tok_is(doc, k + 1, "to") &&
            (doc->tokens.v[k].s.end <= q->s.start || doc->tokens.v[k].s.start >= q->s.end)) {
            attribution at = subject_after(doc, k + 1, end);
            /* "according to his aunt, Jane Starner,": the name after a
             * description with none */
            int named = 0;
            for (uint32_t c = at.a; c < at.b; c++)
                named |= is_ascii_upper((unsigned char)doc->text[doc->tokens.v[c].s.start]);
            if (!named && at.b + 1 < end && tok_is(doc, at.b, ",")) {
                uint32_t a = at.b + 1, b = a;
                while (b < end && b - a < 4 && is_ascii_upper((unsigned char)doc->text[doc->tokens.v[b].s.start]) &&
                       !breaks_phrase(doc, b))
                    b++;
                if (b > a && b < end && tok_is(doc, b, ","))
                    return (attribution){a, b};
            }
            return at;
        }
    return none;
}

/* The named speaker of a sentence outside quotes: "Howitt says", "The
 * cell, Herbert said, is ...", "Erekat said it was ..."; a capitalised
 * name of at most four words, or he/she when pronoun_ok, else none. */
static attribution sentence_speaker(const enrich_doc *doc, const sentence *ps, int pronoun_ok)
{
    attribution none = {0, 0};
    const char *t = doc->text;
    int inside = 0;
    for (uint32_t v = ps->first; v < ps->first + ps->count; v++) {
        uint32_t len;
        if (mark_at(t, doc->len, doc->tokens.v[v].s.start, &len) != MARK_NONE)
            inside = !inside;
        if (inside || v == ps->first || !is_speech_verb(doc, v))
            continue;
        int comma = tok_is(doc, v - 1, ",");
        attribution a2 = comma ? subject_after(doc, v, ps->first + ps->count) : subject_before(doc, ps->first, v);
        if (a2.b <= a2.a && comma)
            a2 = subject_before(doc, ps->first, v);
        if (a2.b <= a2.a || a2.b - a2.a > 4)
            continue; /* "(... have been announced), Early says" */
        span w = doc->tokens.v[a2.b - 1].s;
        if (is_ascii_upper((unsigned char)t[w.start]) || (pronoun_ok && (text_ieq(t, w, "he") || text_ieq(t, w, "she"))))
            return a2;
        if (!tok_is(doc, a2.b - 1, "been"))
            return none;
    }
    return none;
}

/* The entity of a mention inside s, a person first; another name counts
 * only as the phrase's last words ("NATO said", not "Norway's fisheries
 * minister" or "a NATO spokesman"). */
static uint32_t entity_in(const enrich_doc *doc, span s, span *named)
{
    uint32_t best = UINT32_MAX;
    int best_rank = 0;
    /* "a WeWork spokesperson": the organization speaks */
    int spokes = text_ifind(doc->text, s, "spokes") >= 0 || text_ifind(doc->text, s, "representative") >= 0;
    for (uint32_t i = mention_after(doc, s.start); i < doc->mentions.n; i++) {
        const mention *m = &doc->mentions.v[i];
        if (m->s.end <= s.start)
            continue;
        if (m->s.start >= s.end)
            break;
        const entity *e = &doc->entities.v[m->entity];
        if (e->type != ENT_PERSON && m->s.end != s.end && !(e->type == ENT_ORG && spokes))
            continue;
        int rank = e->type == ENT_PERSON ? 3 : e->type == ENT_ORG ? 2 : 1;
        if (rank >= best_rank) { /* the last person: the phrase's head */
            best_rank = rank;
            best = m->entity;
            *named = m->s;
        }
    }
    return best;
}

/* The nearest entity of this type mentioned before byte i. */
static uint32_t entity_before(const enrich_doc *doc, uint32_t i, entity_type type, span *named)
{
    for (uint32_t k = mention_after(doc, i); k > 0; k--) {
        const mention *m = &doc->mentions.v[k - 1];
        if (m->s.end > i)
            continue;
        if (doc->entities.v[m->entity].type == type) {
            *named = m->s;
            return m->entity;
        }
    }
    return UINT32_MAX;
}

/* "the actor said", "the president said", "the doctors said": the role
 * word w (the phrase's last). The nearest person named before byte i with
 * w among the five words before the name ("actor James Van Der Beek",
 * "President Donald Trump"); else the nearest organization named before i
 * whose name holds w ("Doctors for Camp Closure"); else, for a group word,
 * the organization named last. */
static uint32_t entity_of_role(const enrich_doc *doc, uint32_t i, span w, span *named)
{
    const char *t = doc->text;
    int group = 0;
    for (size_t g = 0; g < RULES_N(rules_quotes_group_words); g++)
        group |= text_ieq(t, w, rules_quotes_group_words[g]);
    uint32_t wl = span_len(w);
    if (wl > 1 && t[w.end - 1] == 's')
        wl--; /* "doctors" finds "Doctor" */
    for (uint32_t k = mention_after(doc, i); k > 0; k--) {
        const mention *m = &doc->mentions.v[k - 1];
        if (m->s.end > i)
            continue;
        const entity *e = &doc->entities.v[m->entity];
        if (e->type == ENT_PERSON) {
            uint32_t tk = token_at(doc, m->s.start);
            for (uint32_t b = tk; b > 0 && tk - b < 5; b--) {
                span x = doc->tokens.v[b - 1].s;
                if (span_len(x) >= wl && span_len(x) <= wl + 1 && text_ieq(t, (span){x.start, x.start + wl},
                                                                           "") == 0) {
                    int same = 1;
                    for (uint32_t c = 0; c < wl && same; c++)
                        same = ascii_lower((unsigned char)t[x.start + c]) == ascii_lower((unsigned char)t[w.start + c]);
                    if (same && (span_len(x) == wl || span_len(x) == span_len(w))) {
                        *named = m->s;
                        return m->entity;
                    }
                }
            }
        }
        /* an organization's name the tagger took for a person's too
         * ("Dick Clark Productions") */
        if (e->type == ENT_ORG || (e->type == ENT_PERSON && !group)) {
            for (uint32_t c = m->s.start; c + wl <= m->s.end; c++) {
                int same = c == m->s.start || t[c - 1] == ' ';
                for (uint32_t z = 0; z < wl && same; z++)
                    same = ascii_lower((unsigned char)t[c + z]) == ascii_lower((unsigned char)t[w.start + z]);
                if (same) {
                    *named = m->s;
                    return m->entity;
                }
            }
        }
    }
    if (group)
        return entity_before(doc, i, ENT_ORG, named);
    return UINT32_MAX;
}

/* The person whose mentions end with the word w ("Early" of "Chris
 * Early"), named nearest before byte i, else first after it: for a
 * speaker the tagger did not take for a name. */
static uint32_t entity_by_surname(const enrich_doc *doc, span w, uint32_t i, span *named)
{
    const char *t = doc->text;
    uint32_t best = UINT32_MAX, wl = span_len(w);
    for (uint32_t k = 0; k < doc->mentions.n; k++) {
        const mention *m = &doc->mentions.v[k];
        if (doc->entities.v[m->entity].type != ENT_PERSON || span_len(m->s) <= wl + 1 ||
            t[m->s.end - wl - 1] != ' ' || memcmp(t + m->s.end - wl, t + w.start, wl) != 0)
            continue;
        if (best != UINT32_MAX && m->s.start > i)
            break;
        best = m->entity;
        *named = m->s;
    }
    return best;
}

/* Does a possessive follow byte i ("Ford's work", "Ford’s")? */
static int possessive(const char *t, uint32_t end, uint32_t i)
{
    return (i + 1 < end && t[i] == '\'' && t[i + 1] == 's') ||
           (i + 3 < end && (unsigned char)t[i] == 0xE2 && (unsigned char)t[i + 1] == 0x80 &&
            (unsigned char)t[i + 2] == 0x99 && t[i + 3] == 's');
}

/* Does "he" (she = 0) or "she" clash with the person e by the first names
 * of one gender only ("Mary Steenburgen" is no "he")? A name of neither
 * list, or of both ("Jo"), clashes with nothing. */
static int pronoun_clash(const enrich_doc *doc, uint32_t e, int she)
{
    const entity *en = &doc->entities.v[e];
    uint32_t i = en->name.start;
    span w = text_next_word(doc->text, en->name.end, &i);
    if (span_empty(w) || span_len(w) >= en->name.end - en->name.start)
        return 0; /* one word: a surname as often as a first name */
    uint64_t h = fold_lower_hash(doc->text, w);
    if (wordset_has(&doc->engine->female_names, h))
        return !she;
    if (wordset_has(&doc->engine->male_names, h))
        return she;
    return 0;
}

/* Is byte i inside one of the quotes found? */
static int inside_quote(const enrich_doc *doc, uint32_t i)
{
    uint32_t k = first_ending_after(doc->quotes.v, doc->quotes.n, sizeof *doc->quotes.v, i);
    return k < doc->quotes.n && doc->quotes.v[k].s.start <= i;
}

/* The person "he" or "she" (she = 1) means among those named from byte
 * from to byte to: the last named, not inside a quote, not as an owner
 * ("Ford's work"), not of the other gender by first name; with subjects,
 * the last that opens a sentence before any named later in one. The
 * entity, its mention in *named; UINT32_MAX for none. */
static uint32_t person_before(const enrich_doc *doc, uint32_t from, uint32_t to, int she, int subjects, span *named)
{
    uint32_t e = UINT32_MAX;
    int subject = 0;
    for (uint32_t k = mention_after(doc, from); k < doc->mentions.n; k++) {
        const mention *mm = &doc->mentions.v[k];
        if (mm->s.start >= to)
            break;
        if (doc->entities.v[mm->entity].type != ENT_PERSON || inside_quote(doc, mm->s.start) ||
            possessive(doc->text, doc->len, mm->s.end) || pronoun_clash(doc, mm->entity, she))
            continue;
        int opens = 0;
        if (subjects) {
            uint32_t tk = token_at(doc, mm->s.start);
            const sentence *ms = tk < doc->tokens.n ? sentence_of(doc, tk) : NULL;
            opens = ms && ms->first == tk;
        }
        if (opens || !subject) {
            e = mm->entity;
            *named = mm->s;
            subject |= opens;
        }
    }
    return e;
}

/* The paragraph holding byte i, or doc->paragraphs.n. */
static uint32_t paragraph_of(const enrich_doc *doc, uint32_t i)
{
    uint32_t k = first_ending_after(doc->paragraphs.v, doc->paragraphs.n, sizeof *doc->paragraphs.v, i);
    return k < doc->paragraphs.n && doc->paragraphs.v[k].start <= i ? k : doc->paragraphs.n;
}

enum { OPEN = 0, RESOLVED = 1 };

/* A quote no attribution follows or precedes: its speaker from the quote
 * before, a signature below, or the sentence or paragraph before. RESOLVED
 * when the quote is settled, else OPEN with *at the words to read (none:
 * no speaker). */
static int unattributed(enrich_doc *doc, uint32_t i, attribution *at_out)
{
    const char *t = doc->text;
    quote *q = &doc->quotes.v[i];
    const quote *prev = i > 0 ? &doc->quotes.v[i - 1] : NULL;
    attribution at = *at_out;
        uint32_t p = paragraph_of(doc, q->s.start);
        /* '"...," Mayer said. "Not everyone will succeed."': a quote
         * after the speaker's last one in the same paragraph is theirs */
        if (prev && !span_empty(prev->speaker_text) && p < doc->paragraphs.n &&
            paragraph_of(doc, prev->s.end - 1) == p) {
            q->speaker_text = prev->speaker_text;
            q->entity = prev->entity;
            return RESOLVED;
        }
        /* a paragraph that is a quote, right after a paragraph that
         * ended with the speaker's last one, goes on with it */
        if (prev && !span_empty(prev->speaker_text) && p > 0 && p < doc->paragraphs.n &&
            q->s.start == doc->paragraphs.v[p].start && paragraph_of(doc, prev->s.end - 1) == p - 1) {
            q->speaker_text = prev->speaker_text;
            q->entity = prev->entity;
            return RESOLVED;
        }
        /* a quote paragraph signed below: "– Man**", "— Jane Doe" */
        if (p + 1 < doc->paragraphs.n && paragraph_of(doc, q->s.end - 1) == p) {
            span np2 = doc->paragraphs.v[p + 1];
            uint32_t a = np2.start, dl = 0;
            if (span_len(np2) > 1 && t[a] == '-')
                dl = 1;
            else if (span_len(np2) > 3 && (unsigned char)t[a] == 0xE2 && (unsigned char)t[a + 1] == 0x80 &&
                     ((unsigned char)t[a + 2] == 0x93 || (unsigned char)t[a + 2] == 0x94))
                dl = 3;
            span who = dl ? text_trim(t, (span){a + dl, np2.end}) : (span){0, 0};
            unsigned char last = span_empty(who) ? 0 : (unsigned char)t[who.end - 1];
            if (!span_empty(who) && span_len(who) <= 40 && text_word_count(t, who) <= 4 && last != '.' &&
                last != '!' && last != '?' && utf8_name_start(t, who.end, who.start)) {
                span named;
                q->speaker_text = who;
                q->entity = entity_in(doc, who, &named);
                return RESOLVED;
            }
        }
        /* the sentence before, in the same paragraph, names who says
         * it: "... first, Howitt says. '...'", "The cell, Herbert said,
         * is ... '...'" */
        uint32_t open = token_at(doc, q->s.start);
        const sentence *qs = open < doc->tokens.n ? sentence_of(doc, open) : NULL;
        if (qs && qs->first > 0 && p < doc->paragraphs.n &&
            doc->tokens.v[qs->first - 1].s.start >= doc->paragraphs.v[p].start)
            at = sentence_speaker(doc, sentence_of(doc, qs->first - 1), 1);
        /* a quote paragraph after one that ends introducing it ("Smith
         * told reporters:"): the speaker of that sentence */
        if (at.b <= at.a && p > 0 && p < doc->paragraphs.n && q->s.start == doc->paragraphs.v[p].start) {
            span pp = doc->paragraphs.v[p - 1];
            uint32_t e = pp.end;
            while (e > pp.start && utf8_space_before(t, e))
                e--;
            if (e > pp.start && t[e - 1] == ':') {
                uint32_t last = token_at(doc, e - 1);
                const sentence *ls = last < doc->tokens.n ? sentence_of(doc, last) : NULL;
                for (uint32_t v = last; ls && v > ls->first; v--)
                    if (is_speech_verb(doc, v - 1)) {
                        attribution a2 = subject_before(doc, ls->first, v - 1);
                        if (a2.b <= a2.a)
                            a2 = subject_after(doc, v - 1, last);
                        if (a2.b > a2.a)
                            at = a2;
                        break;
                    }
            } else if (e > pp.start) {
                /* "Erekat said it was only the latest move." / "'...'" */
                uint32_t last = token_at(doc, e - 1);
                if (last < doc->tokens.n)
                    at = sentence_speaker(doc, sentence_of(doc, last), 0);
            }
        }
        if (at.b <= at.a)
            return RESOLVED;
    *at_out = at;
    return OPEN;
}

/* "he said", "she said": the person the pronoun means (see quotes.h). */
static void pronoun_speaker(enrich_doc *doc, uint32_t i, span np)
{
    const char *t = doc->text;
    quote *q = &doc->quotes.v[i];
    span named;
        /* the person named last before the quote in its paragraph, not
         * as an owner ("Buser, however, is counting on it. '...,' he
         * says"; "Lacking the rights to Ford's work, Elise ..."); never
         * one whose first name says the other pronoun */
        int she = text_ieq(t, np, "she");
        uint32_t para = paragraph_of(doc, q->s.start);
        if (para < doc->paragraphs.n) {
            uint32_t e = person_before(doc, doc->paragraphs.v[para].start, q->s.start, she, 0, &named);
            if (e != UINT32_MAX) {
                q->entity = e;
                q->speaker_text = named;
                return;
            }
            /* a surname the tagger missed that says something earlier
             * in the paragraph ("Early says there is ... '...,' he
             * says") */
            uint32_t open = token_at(doc, q->s.start);
            const sentence *qs = open < doc->tokens.n ? sentence_of(doc, open) : NULL;
            while (qs && qs->first > 0 && doc->tokens.v[qs->first - 1].s.start >= doc->paragraphs.v[para].start) {
                qs = sentence_of(doc, qs->first - 1);
                attribution sa = sentence_speaker(doc, qs, 0);
                if (sa.b != sa.a + 1)
                    continue;
                span w = doc->tokens.v[sa.a].s;
                e = entity_by_surname(doc, w, q->s.start, &named);
                if (e != UINT32_MAX && !pronoun_clash(doc, e, she)) {
                    q->entity = e;
                    q->speaker_text = w;
                }
                break;
            }
            if (q->entity != UINT32_MAX)
                return;
        }
        /* the person quoted last, if near; else the nearest named */
        const quote *last = NULL;
        for (uint32_t k = i; k > 0 && !last; k--) {
            const quote *pq = &doc->quotes.v[k - 1];
            if (q->s.start - pq->s.end > 1500)
                break;
            if (pq->entity != UINT32_MAX && doc->entities.v[pq->entity].type == ENT_PERSON &&
                !pronoun_clash(doc, pq->entity, she))
                last = pq;
        }
        /* a person named after that quote's paragraph, in the
         * paragraph before, is the one the story turned to ("Rep. Robert Aderholt pushed
         * for more rockets." / "'...,' he said") */
        uint32_t since = 0;
        if (last) { /* not in the words that named the last quote's speaker */
            uint32_t lp = paragraph_of(doc, last->s.end - 1);
            since = lp < doc->paragraphs.n ? doc->paragraphs.v[lp].end : last->s.end;
        }
        if (para > 0 && para < doc->paragraphs.n && doc->paragraphs.v[para - 1].start > since)
            since = doc->paragraphs.v[para - 1].start;
        /* one that opens a sentence, its subject, before one named
         * later in it ("Sonya Zoghlin, his attorney, said her client
         * did not intend to harm Omar." / "'...,' she said") */
        q->entity = person_before(doc, since, q->s.start, she, 1, &named);
        if (q->entity != UINT32_MAX) {
            q->speaker_text = named;
            return;
        }
        if (last) {
            q->entity = last->entity;
            q->speaker_text = last->speaker_text;
        } else {
            /* the nearest person named before, of the pronoun's gender
             * when the first name says */
            q->entity = UINT32_MAX;
            q->speaker_text = np;
            for (uint32_t k = mention_after(doc, q->s.start); k > 0; k--) {
                const mention *mm = &doc->mentions.v[k - 1];
                if (mm->s.end > q->s.start || doc->entities.v[mm->entity].type != ENT_PERSON ||
                    pronoun_clash(doc, mm->entity, she))
                    continue;
                q->entity = mm->entity;
                q->speaker_text = mm->s;
                break;
            }
        }
}

/* "they said", "we said", "it said": the speaker quoted last, if near;
 * "it" else the organization named last. */
static void group_speaker(enrich_doc *doc, uint32_t i, span np)
{
    const char *t = doc->text;
    quote *q = &doc->quotes.v[i];
    span named;
        /* the speaker quoted last, if near */
        q->speaker_text = np;
        for (uint32_t k = i; k > 0; k--) {
            const quote *pq = &doc->quotes.v[k - 1];
            if (q->s.start - pq->s.end > 1500)
                break;
            if (!span_empty(pq->speaker_text)) {
                q->speaker_text = pq->speaker_text;
                q->entity = pq->entity;
                break;
            }
        }
        /* "it said": else the organization named last */
        if (q->speaker_text.start == np.start && text_ieq(t, np, "it") &&
            (q->entity = entity_before(doc, q->s.start, ENT_ORG, &named)) != UINT32_MAX)
            q->speaker_text = named;
}

/* A speaker named in words: the entity in them, a role word's person or
 * organization, a surname the tagger missed. */
static void named_speaker(enrich_doc *doc, uint32_t i, attribution at, span np)
{
    const char *t = doc->text;
    quote *q = &doc->quotes.v[i];
    const quote *prev = i > 0 ? &doc->quotes.v[i - 1] : NULL;
    span named;
        q->speaker_text = np;
        q->entity = entity_in(doc, np, &named);
        /* "the Associated Press", "the British Foreign Office": a name
         * in capitals after the article is the speaker, named whole;
         * an entity of only some of its words is not it */
        int proper = at.b - at.a >= 2 && tok_is(doc, at.a, "the");
        for (uint32_t c = at.a + 1; c < at.b && proper; c++)
            proper = is_ascii_upper((unsigned char)t[doc->tokens.v[c].s.start]);
        if (proper) {
            q->speaker_text = (span){doc->tokens.v[at.a + 1].s.start, np.end};
            if (q->entity != UINT32_MAX && named.start > q->speaker_text.start)
                q->entity = UINT32_MAX;
        }
        /* "the actor", "a company spokesperson", "the doctors"; "the
         * production company" by its modifier first ("Dick Clark
         * Productions"); "the French foreign ministry" is no
         * organization named before, but itself */
        if (q->entity == UINT32_MAX && !proper && at.b - at.a >= 2 && at.b - at.a <= 4 &&
            (tok_is(doc, at.a, "the") || tok_is(doc, at.a, "a") || tok_is(doc, at.a, "an"))) {
            uint32_t e = UINT32_MAX;
            int national = 0;
            for (uint32_t c = at.a + 1; c + 1 < at.b; c++) {
                span x = doc->tokens.v[c].s;
                uint32_t k = mention_after(doc, x.start);
                if (k < doc->mentions.n && doc->mentions.v[k].s.start <= x.start) {
                    entity_type ty = doc->entities.v[doc->mentions.v[k].entity].type;
                    national |= ty == ENT_NORP || ty == ENT_GPE;
                }
            }
            if (national)
                q->speaker_text = (span){doc->tokens.v[at.a + 1].s.start, np.end};
            for (uint32_t c = at.a + 1; c + 1 < at.b && e == UINT32_MAX && !national; c++)
                if (is_ascii_lower((unsigned char)t[doc->tokens.v[c].s.start]) && span_len(doc->tokens.v[c].s) >= 5)
                    e = entity_of_role(doc, q->s.start, doc->tokens.v[c].s, &named);
            if (e == UINT32_MAX && !national)
                e = entity_of_role(doc, q->s.start, doc->tokens.v[at.b - 1].s, &named);
            /* "'...,' Van Der Beek said. / '...,' said the actor": one
             * person's role word, no name with it anywhere: the person
             * quoted in this paragraph or the one before */
            uint32_t p = paragraph_of(doc, q->s.start);
            span rw = doc->tokens.v[at.b - 1].s;
            if (e == UINT32_MAX && !national && at.b - at.a == 2 && tok_is(doc, at.a, "the") && prev &&
                prev->entity != UINT32_MAX && doc->entities.v[prev->entity].type == ENT_PERSON &&
                t[rw.end - 1] != 's' && p < doc->paragraphs.n &&
                prev->s.end > (p > 0 ? doc->paragraphs.v[p - 1].start : 0))
                e = prev->entity;
            if (e != UINT32_MAX)
                q->entity = e;
        }
        /* "says Early": a surname the tagger missed */
        if (q->entity == UINT32_MAX && at.b - at.a == 1 && is_ascii_upper((unsigned char)t[np.start]) &&
            span_len(np) >= 2)
            q->entity = entity_by_surname(doc, np, q->s.start, &named);
}

int quotes_run(enrich_doc *doc)
{
    if (find_quotes(doc))
        return -1;
    const char *t = doc->text;
    for (uint32_t i = 0; i < doc->quotes.n; i++) {
        quote *q = &doc->quotes.v[i];
        attribution at = attribute(doc, q);
        if (at.b <= at.a && unattributed(doc, i, &at) == RESOLVED)
            continue;
        /* "He instead told", "She then said": the pronoun is the subject */
        if (at.b - at.a > 1 && (tok_is(doc, at.a, "he") || tok_is(doc, at.a, "she"))) {
            int lower = 1;
            for (uint32_t c = at.a + 1; c < at.b && lower; c++)
                lower = is_ascii_lower((unsigned char)t[doc->tokens.v[c].s.start]);
            if (lower && at.b - at.a <= 3)
                at.b = at.a + 1;
        }
        span np = {doc->tokens.v[at.a].s.start, doc->tokens.v[at.b - 1].s.end};
        span named;
        /* "I always tell my clients:": in a story told in the first person,
         * the one who wrote it */
        if (at.b - at.a == 1 && text_ieq(t, np, "i")) {
            q->speaker_text = np;
            for (uint32_t c = 0; c < doc->credits.n; c++)
                if (doc->credits.v[c].role == ROLE_AUTHOR) {
                    q->speaker_text = doc->credits.v[c].name;
                    q->entity = entity_in(doc, doc->credits.v[c].name, &named);
                    break;
                }
            continue;
        }
        if (at.b - at.a == 1 && (text_ieq(t, np, "he") || text_ieq(t, np, "she")))
            pronoun_speaker(doc, i, np);
        else if (at.b - at.a == 1 && (text_ieq(t, np, "they") || text_ieq(t, np, "we") || text_ieq(t, np, "it")))
            group_speaker(doc, i, np);
        else
            named_speaker(doc, i, at, np);
    }
    return 0;
}
