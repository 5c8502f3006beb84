/*
 * layout.c - the layout stage. Gives every line of the text a role with the
 * line model (lines.h), then reads each part from the lines of its role:
 * the headline and subheadline, bylines and photo credits, time stamps, the
 * dateline at the start of the first body paragraph (or on a line of its
 * own above it), related-story links, and the body paragraphs, which hold
 * body lines only. Consecutive body lines of one block (no blank line
 * between) are one paragraph: wire copy wraps its paragraphs that way.
 */
#include "layout.h"
#include "rules.h"
#include "lines.h"

#include <stdlib.h>
#include <string.h>

#include "credits.h"
#include "calendar.h"
#include "dateline.h"
#include "related.h"
#include "stamp.h"
#include "utf8.h"

/* Adds line s to article.blocks: onto the block before when it has the
 * same role and no blank line stands between (merge). */
static int push_block(enrich_doc *doc, uint8_t role, span s, int merge)
{
    doc_block *last = doc->blocks.n ? &doc->blocks.v[doc->blocks.n - 1] : NULL;
    if (last && last->role == role && merge) {
        last->s.end = s.end;
        return 0;
    }
    doc_block *b = DOC_PUSH(doc, doc->blocks);
    if (!b)
        return -1;
    b->role = role;
    b->s = s;
    return 0;
}

static int add_paragraph(enrich_doc *doc, span s)
{
    span *p = DOC_PUSH(doc, doc->paragraphs);
    if (!p)
        return -1;
    *p = s;
    if (doc->paragraphs.n == 1)
        doc->body.start = s.start;
    doc->body.end = s.end;
    return 0;
}

/* A line shaped like a headline: three to twenty-five words, not ending a
 * sentence or a clause. */
static int title_like(const char *t, const line_info *l)
{
    char c = t[l->s.end - 1];
    return l->words >= 3 && l->words <= 25 && c != '.' && c != ':' && c != ',' && c != ';';
}

/* A caption's credit: "... (Image: GETTY)", "Photo: ...", "(Photo by ...)",
 * or a credit closing the line ("...Credit...Jane Doe/Agency",
 * "... Photograph: Jane Doe/Agency"). */
static int image_credit(const char *t, span s)
{
    span tail = {s.end > s.start + 60 ? s.end - 60 : s.start, s.end};
    /* every mark holds a colon, an ellipsis's dot or " by ": most lines
     * hold none in their tail */
    const char *p = t + tail.start, *e = t + tail.end, *q;
    int mark = memchr(p, ':', (size_t)(e - p)) != NULL;
    for (q = p; !mark && (q = memchr(q, '.', (size_t)(e - q))) != NULL && q + 1 < e; q++)
        mark = q[1] == '.';
    for (q = p; !mark && q + 2 < e && (q = memchr(q + 1, 'y', (size_t)(e - q - 1))) != NULL && q + 1 < e;)
        mark = q - 2 >= p && q[-2] == ' ' && (q[-1] | 0x20) == 'b' && q[1] == ' ';
    if (!mark)
        return 0;
    for (size_t k = 0; k < RULES_N(rules_layout_caption_credit_tails); k++)
        if (text_ifind(t, tail, rules_layout_caption_credit_tails[k]) >= 0)
            return 1;
    if (text_istarts(t, s, "photo:") || text_istarts(t, s, "image:") || text_istarts(t, s, "credit:") ||
        text_istarts(t, s, "photograph:"))
        return 1;
    if (t[s.end - 1] != ')')
        return 0;
    for (size_t k = 0; k < RULES_N(rules_layout_caption_credit_marks); k++)
        if (text_ifind(t, s, rules_layout_caption_credit_marks[k]) >= 0)
            return 1;
    return 0;
}

/* A heading over readers' comments: "Comments", "34 Comments", "Leave a
 * Reply", "Join the discussion", "Deixe uma resposta". 2 for a phrase no
 * story line opens with (the heading holds even where the model said
 * body), 1 for a shorter heading, 0 for none. */
static int comments_heading(const char *t, const line_info *l)
{
    if (l->words == 0 || l->words > 8)
        return 0;
    for (size_t k = 0; k < RULES_N(rules_layout_comments_starts); k++)
        if (text_istarts(t, l->s, rules_layout_comments_starts[k]))
            return 2; /* a phrase no story line opens with */
    if (l->words > 4)
        return 0;
    /* a form's field ("Comment(required)", "Comment *") heads no comments */
    if (text_ifind(t, l->s, "required") >= 0 || t[l->s.end - 1] == '*')
        return 0;
    /* the last word: "Comments", "34 Comments", "Comments (12)" */
    span s = l->s;
    uint32_t e = s.end;
    while (e > s.start && !is_ascii_alpha(t[e - 1]))
        e--;
    uint32_t b = e;
    while (b > s.start && is_ascii_alpha(t[b - 1]))
        b--;
    uint32_t f = s.start;
    while (f < s.end && !is_ascii_alpha(t[f]))
        f++;
    uint32_t fe = f;
    while (fe < s.end && is_ascii_alpha(t[fe]))
        fe++;
    for (size_t k = 0; k < RULES_N(rules_layout_comments_words); k++)
        if (text_ieq(t, (span){b, e}, rules_layout_comments_words[k]) || text_ieq(t, (span){f, fe}, rules_layout_comments_words[k]))
            return l->words <= 2 || is_ascii_digit(t[s.start]);
    return 0;
}

/* Can the line stand alone as a dateline? One word only in capitals
 * ("WASHINGTON", not a "Save" button that names a town). */
static int alone_ok(const char *t, const line_info *l)
{
    if (l->words != 1)
        return 1;
    for (uint32_t k = l->s.start; k < l->s.end; k++)
        if (is_ascii_lower((unsigned char)t[k]))
            return 0;
    return 1;
}

/* ... or in ordinary capitals ("Pittsburgh") where its place says dateline:
 * under the head's credit, time stamp or subheadline, over a paragraph of
 * the story. */
static int alone_ok_at(const char *t, const line_info *L, uint32_t n, uint32_t i)
{
    if (alone_ok(t, &L[i]))
        return 1;
    if (i == 0 || i + 1 >= n || L[i + 1].words < 20 || (L[i + 1].role != LR_BODY && L[i + 1].role != LR_DATELINE))
        return 0;
    int p = L[i - 1].role;
    return p == LR_HEADLINE || p == LR_SUBHEADLINE || p == LR_BYLINE || p == LR_TIMESTAMP || p == LR_CAPTION;
}

/* "Subscribe to CNBC PRO" behind a bullet: a short line that opens with a
 * word of a page's furniture. */
static int furniture_led(const enrich_doc *doc, span s)
{
    uint32_t i = s.start;
    span w = text_next_word(doc->text, s.end, &i);
    return !span_empty(w) && text_word_count(doc->text, s) <= 5 &&
           wordset_has(&doc->engine->furniture_words, fold_lower_hash(doc->text, w));
}

/* A related story's byline and time ("Alessio Palumbo \xE2\x80\xA2 Nov 18",
 * "2019-11-20 12:57:32 Marcus De Guzman"): a few words, a time stamp and a
 * person's name of two words or more. */
static int byline_with_stamp(const enrich_doc *doc, span s, unsigned words)
{
    const char *t = doc->text;
    credit cr[CREDITS_MAX_PER_LINE];
    stamp_info st[STAMPS_MAX_PER_LINE];
    if (words > 7 || credits_parse_byline(doc->engine, t, s, cr, CREDITS_MAX_PER_LINE) <= 0)
        return 0;
    if (stamp_find_in_line(t, s, st, STAMPS_MAX_PER_LINE) <= 0) {
        /* "Nov 18": a month's name before a day; "2019-11-20", "17:27" */
        int dated = 0;
        uint32_t i = s.start;
        span w, prev = {0, 0};
        while (!dated && !span_empty(w = text_next_word(t, s.end, &i))) {
            dated = !span_empty(prev) && is_ascii_digit((unsigned char)t[w.start]) &&
                    calendar_month(t + prev.start, span_len(prev)) > 0;
            for (uint32_t k = w.start + 1; !dated && k + 1 < w.end; k++)
                dated = (t[k] == '-' || t[k] == ':') && is_ascii_digit((unsigned char)t[k - 1]) &&
                        is_ascii_digit((unsigned char)t[k + 1]);
            prev = w;
        }
        if (!dated)
            return 0;
    }
    return text_word_count(t, cr[0].name) >= 2;
}

/* A related story's card: a headline-shaped line of its own, not the
 * page's headline or a credit, over a line that is only a time stamp. */
static int card_title(const char *t, const line_info *L, uint32_t j)
{
    const line_info *l = &L[j], *d = &L[j + 1];
    stamp_info st[STAMPS_MAX_PER_LINE];
    if (!(l->role != LR_HEADLINE && l->role != LR_BYLINE && l->role != LR_DATELINE && title_like(t, l) &&
          l->words <= 16 && !(l->flags & (LF_CREDIT | LF_STAMP | LF_FURNITURE)) && d->words <= 6 &&
          t[l->s.end - 1] != '?' && t[l->s.end - 1] != '!'))
        return 0;
    /* a date line under a title of 50 to 100 bytes reads as its wrapped
     * continuation, with no flags: parse it here */
    if (d->flags & LF_STAMP)
        return 1;
    unsigned char c0 = (unsigned char)t[d->s.start];
    int digit = 0;
    for (uint32_t k = d->s.start; k < d->s.end && !digit; k++)
        digit = is_ascii_digit((unsigned char)t[k]);
    return digit && span_len(d->s) <= 40 && (is_ascii_upper(c0) || is_ascii_digit(c0)) &&
           stamp_parse_line(t, d->s, st, STAMPS_MAX_PER_LINE) > 0;
}

/* Under a related heading, is line j one of its items: a line the model
 * made one, a link, or a headline-shaped line wherever the model put it? */
/* A headline-shaped line, a bar in it only between a title and a site's
 * or section's name. */
static int title_line(const char *t, const line_info *l)
{
    if (!title_like(t, l) || l->words < 4 || (l->flags & (LF_FURNITURE | LF_CREDIT | LF_STAMP)) ||
        l->role == LR_BODY || l->role == LR_HEADLINE || l->role == LR_BYLINE)
        return 0;
    if (!memchr(t + l->s.start, '|', span_len(l->s)))
        return 1;
    span title = related_section_or_site_off(t, l->s);
    return title.start != l->s.start || title.end != l->s.end;
}

static int related_item_like(const char *t, const line_info *L, uint32_t j, related_item *ri)
{
    return L[j].role == LR_RELATED_ITEM || related_artifact_line(t, L[j].s) || title_line(t, &L[j]) ||
           related_link_line(t, L[j].s) ||
           ((L[j].role == LR_CAPTION || L[j].role == LR_BOILERPLATE ||
             (L[j].role == LR_BODY && t[L[j].s.end - 1] != '.')) &&
            related_parse_line(t, L[j].s, ri, RELATED_MAX_PER_LINE) > 0);
}

/* A line between related items that belongs to one: its credit or time
 * stamp, or a count ("10" comments). */
static int item_meta(const enrich_doc *doc, const line_info *l)
{
    const char *t = doc->text;
    int count = 1;
    for (uint32_t k = l->s.start; k < l->s.end && count; k++)
        count = is_ascii_digit((unsigned char)t[k]);
    return count || (l->flags & (LF_CREDIT | LF_STAMP)) || byline_with_stamp(doc, l->s, l->words);
}

/* Each line by its own shape and its neighbours': the rules the model
 * leaves to them. */
static void settle_roles_line_by_line(const enrich_doc *doc, line_info *L, uint32_t n)
{
    const char *t = doc->text;
    credit cr[CREDITS_MAX_PER_LINE];
    related_item ri[RELATED_MAX_PER_LINE];
    for (uint32_t i = 0; i < n; i++) {
        span s = L[i].s, rest;
        int r = L[i].role;
        if (r == LR_HEADLINE)
            continue;
        unsigned words = L[i].words;
        /* what a text browser writes for an embed, an ad slot or a button */
        char c0 = t[s.start];
        if (((c0 | 0x20) == 'i' && text_istarts(t, s, "iframe:")) || (c0 == '[' && text_istarts(t, s, "[ins:")) ||
            (c0 == '(' && text_istarts(t, s, "(button)"))) {
            L[i].role = LR_BOILERPLATE;
            continue;
        }
        /* a page's furniture that opens with no dateline is none, and a
         * short line of it, no sentence, is no story ("* FACEBOOK | *
         * TWITTER") */
        if ((L[i].flags & LF_FURNITURE) &&
            ((r == LR_DATELINE && (L[i].flags & LF_DL_CHECKED) && !(L[i].flags & (LF_DL_LINE | LF_DL_INLINE))) ||
             (r == LR_BODY && words <= 8 && t[s.end - 1] != '.' && t[s.end - 1] != '?' && t[s.end - 1] != '!'))) {
            L[i].role = LR_BOILERPLATE;
            continue;
        }
        if (r != LR_BYLINE && (L[i].flags & LF_CREDIT)) {
            int k = credits_parse_line(t, s, cr, CREDITS_MAX_PER_LINE), photo = 0;
            for (int j = 0; j < k; j++)
                photo |= cr[j].role == ROLE_PHOTOGRAPHER;
            if (k > 0 && (r != LR_BODY || words <= 20)) {
                L[i].role = photo ? LR_CAPTION : LR_BYLINE;
                continue;
            }
        }
        if (r != LR_BYLINE && (r != LR_BODY || words <= 20) && (L[i].flags & LF_STAMP)) {
            L[i].role = LR_TIMESTAMP;
            continue;
        }
        if (L[i].flags & LF_LINK) { /* a bare URL or a Markdown link alone */
            L[i].role = LR_RELATED_ITEM;
            continue;
        }
        if (!(L[i].flags & LF_RELHEAD) || !related_heading(t, s, &rest))
            continue;
        if (!span_empty(rest)) { /* "READ MORE: Title" */
            if (words <= 30)
                L[i].role = LR_RELATED_ITEM;
            continue;
        }
        uint32_t j = i + 1, items = 0, lead = 0;
        for (;;) {
            if (j < n && related_item_like(t, L, j, ri)) {
                j++;
                items++;
            } else if (items && j + 1 < n && item_meta(doc, &L[j]) && related_item_like(t, L, j + 1, ri)) {
                j++; /* an item's byline, time or count between items */
            } else if (!items && lead < 2 && j + 1 < n && L[j].words <= 5 && !(L[j].flags & LF_RELHEAD) &&
                       L[j].role != LR_BODY && L[j].role != LR_HEADLINE &&
                       (L[j + 1].words >= 4 || !related_item_like(t, L, j + 1, ri))) {
                j++; /* a rule, a section's name or tags between the heading and its items */
                lead++;
            } else {
                break;
            }
        }
        if (items) {
            L[i].role = LR_RELATED_HEADING;
            for (uint32_t q = i + 1; q < j; q++)
                L[q].role = related_item_like(t, L, q, ri) ? LR_RELATED_ITEM : LR_BOILERPLATE;
            i = j - 1;
        } else if (i > 0 && i + 1 < n && L[i - 1].role == LR_BODY && L[i + 1].role == LR_BODY) {
            L[i].role = LR_BODY; /* a heading with no links, the story going on: the story's */
        }
    }
}

/* lists: a popular list is no related block; a related item's run of
 * title-like lines goes on as items; "Previous post" links are
 * navigation; "(Image: X)" and "Photo: X" lines are captions */
static void settle_related_lists(const enrich_doc *doc, line_info *L, uint32_t n)
{
    const char *t = doc->text;
    for (uint32_t j = 0; j < n; j++) {
        span s = L[j].s;
        if (L[j].role == LR_HEADLINE)
            continue;
        if (L[j].role != LR_CAPTION && L[j].words <= 60 && image_credit(t, s)) {
            L[j].role = LR_CAPTION;
            continue;
        }
        if (L[j].words <= 5 && related_popular_heading(t, s)) {
            L[j].role = LR_FOOTER;
            for (uint32_t q = j + 1; q < n && (L[q].role == LR_RELATED_ITEM || L[q].role == LR_RELATED_HEADING); q++)
                L[q].role = LR_FOOTER;
            continue;
        }
        if (L[j].role == LR_RELATED_ITEM && (text_istarts(t, s, "previous") || text_istarts(t, s, "prev") ||
                                            text_istarts(t, s, "next post") || text_istarts(t, s, "\xC2\xAB") ||
                                            text_istarts(t, s, "next:") || text_istarts(t, s, "next article"))) {
            L[j].role = LR_BOILERPLATE;
            continue;
        }
        if (L[j].role == LR_RELATED_ITEM) {
            for (uint32_t q = j + 1; q < n && title_like(t, &L[q]) && !(L[q].flags & LF_FURNITURE) &&
                                     (L[q].role == LR_FOOTER || L[q].role == LR_BOILERPLATE);
                 q++)
                L[q].role = LR_RELATED_ITEM;
            continue;
        }
    }
}

/* inside the story, a list is the story's unless a heading stands over
 * it ("Related", "SEE MORE: title"); related lists without one come
 * after the story's last paragraph */
static void settle_story_lists(const enrich_doc *doc, line_info *L, uint32_t n)
{
    const char *t = doc->text;
    uint32_t last_long = 0;
    for (uint32_t j = 0; j < n; j++)
        if ((L[j].role == LR_BODY || L[j].role == LR_DATELINE) && L[j].words >= 25)
            last_long = j;
    for (uint32_t j = 0; j < last_long; j++) {
        if (L[j].role != LR_RELATED_ITEM)
            continue;
        uint32_t q = j;
        while (q < last_long && (L[q].role == LR_RELATED_ITEM || L[q].role == LR_BOILERPLATE))
            q++;
        span rest;
        int headed = j > 0 && (L[j - 1].role == LR_RELATED_HEADING ||
                               ((L[j - 1].flags & LF_RELHEAD) && related_heading(t, L[j - 1].s, &rest)));
        for (uint32_t k = j; k < q; k++) {
            int inline_heading = (L[k].flags & LF_RELHEAD) && related_heading(t, L[k].s, &rest) && !span_empty(rest);
            if (L[k].role == LR_RELATED_ITEM && !headed && !inline_heading && !(L[k].flags & LF_LINK))
                L[k].role = (L[k].flags & LF_FURNITURE) ? LR_BOILERPLATE : LR_BODY;
        }
        j = q;
    }
}

/* above the story: a line that opens with "By" is a byline; below it
 * too when short. A line not of the story holding a photo credit is a
 * caption. */
static void settle_credits_above_story(const enrich_doc *doc, line_info *L, uint32_t n)
{
    const char *t = doc->text;
    credit pc[CREDITS_MAX_PER_LINE];
    int seen_body = 0;
    for (uint32_t j = 0; j < n; j++) {
        int r = L[j].role;
        span s = L[j].s;
        if (r == LR_BODY || r == LR_DATELINE) {
            seen_body = 1;
            /* "... in Hialeah, Fla. (AP Photo/Alan Diaz, File)", "(Reed
             * Saxon / Associated Press)": a paragraph that closes on a
             * photo credit in brackets is the photo's caption */
            if (r == LR_BODY && L[j].words <= 60 && t[s.end - 1] == ')') {
                uint32_t o = s.end - 1;
                while (o > s.start && t[o - 1] != '(')
                    o--;
                span g = {o, s.end - 1};
                if (o > s.start && span_len(g) <= 80 && (memchr(t + o, '/', span_len(g)) || text_istarts(t, g, "photo")) &&
                    credits_parse_photo(doc->engine, t, (span){o - 1, s.end}, pc, CREDITS_MAX_PER_LINE) > 0) {
                    L[j].role = LR_CAPTION;
                    continue;
                }
            }
            if (L[j].words > 12)
                continue;
        }
        if (r == LR_HEADLINE || r == LR_BYLINE || r == LR_RELATED_ITEM)
            continue;
        /* "Keith Bradsher contributed reporting.", "... contributed to this
         * report.": a sentence's end, or the last line of its paragraph */
        int block_end = j + 1 == n || L[j + 1].block != L[j].block || t[s.end - 1] == '.' ||
                        (L[j + 1].role != LR_BODY && L[j + 1].role != LR_DATELINE);
        long cb = L[j].words <= 25 && block_end ? text_ifind(t, s, "contributed ") : -1;
        if (cb > (long)s.start && t[cb - 1] == ' ' &&
            (text_istarts(t, (span){(uint32_t)cb + 12, s.end}, "reporting") ||
             text_istarts(t, (span){(uint32_t)cb + 12, s.end}, "to this report")) &&
            credits_parse_byline(doc->engine, t, s, pc, CREDITS_MAX_PER_LINE) > 0) {
            L[j].role = LR_BYLINE;
            continue;
        }
        /* "Edited by: X", "Written by X, MS, RD on ...", "Posted by X": a
         * credit's words open the line */
        int opener = 0;
        for (size_t k = 0; k < RULES_N(rules_layout_credit_openers) && !opener; k++)
            opener = text_istarts(t, s, rules_layout_credit_openers[k]);
        if (opener && L[j].words <= 25 && r != LR_HEADLINE &&
            credits_parse_byline(doc->engine, t, s, pc, CREDITS_MAX_PER_LINE) > 0) {
            L[j].role = LR_BYLINE;
            continue;
        }
        if (span_len(s) > 3 && text_istarts(t, s, "by") && (t[s.start + 2] == ' ' || t[s.start + 2] == ':') &&
            L[j].words <= (seen_body ? 8u : 25u) && credits_parse_byline(doc->engine, t, s, pc, CREDITS_MAX_PER_LINE) > 0) {
            L[j].role = LR_BYLINE;
            continue;
        }
        if (r != LR_BODY && r != LR_DATELINE && r != LR_CAPTION && L[j].words <= 60 &&
            credits_parse_photo(doc->engine, t, s, pc, CREDITS_MAX_PER_LINE) > 0)
            L[j].role = LR_CAPTION;
    }
}

/* a paragraph that opens with a dateline is the story's first, whatever
 * its length */
static void settle_dateline_paragraph(const enrich_doc *doc, line_info *L, uint32_t n)
{
    (void)doc;
    for (uint32_t j = 1; j < n && j <= 6; j++) {
        if (L[j].role == LR_BODY || L[j].role == LR_DATELINE)
            break;
        if ((L[j].role == LR_SUBHEADLINE || L[j].role == LR_BOILERPLATE || L[j].role == LR_CAPTION) &&
            (L[j].flags & LF_DL_INLINE)) {
            L[j].role = LR_DATELINE;
            break;
        }
    }
}

/* "New Delhi, News Nation Bureau | Updated : 19 November 2019": a
 * dateline before a bar and a time stamp after it, among the first
 * lines, before the story's first long paragraph */
static void settle_dateline_bar(const enrich_doc *doc, line_info *L, uint32_t n)
{
    const char *t = doc->text;
    for (uint32_t j = 1; j < n && j <= 6; j++) {
        if ((L[j].role == LR_BODY || L[j].role == LR_DATELINE) && L[j].words >= 25)
            break;
        if (L[j].role == LR_DATELINE || L[j].role == LR_HEADLINE || L[j].words > 20 ||
            !memchr(t + L[j].s.start, '|', span_len(L[j].s)))
            continue;
        long bar = text_ifind(t, L[j].s, " | ");
        if (bar <= 0)
            continue;
        span head = text_trim(t, (span){L[j].s.start, (uint32_t)bar});
        stamp_info st[STAMPS_MAX_PER_LINE];
        dateline_info d;
        if (!span_empty(head) && stamp_find_in_line(t, (span){(uint32_t)bar + 3, L[j].s.end}, st, STAMPS_MAX_PER_LINE) > 0 &&
            dateline_parse_line(doc->engine, t, head, &d)) {
            L[j].role = LR_DATELINE;
            break;
        }
    }
}

/* text with no blank line at all (a sentence a line, pasted from a
 * document): below its first body line nothing sets the page's furniture
 * apart, so every line there is the story's */
static void settle_unbroken_text(const enrich_doc *doc, line_info *L, uint32_t n)
{
    (void)doc;
    if (n > 2 && L[n - 1].block == L[0].block) {
        uint32_t fb = 0;
        while (fb < n && L[fb].role != LR_BODY && L[fb].role != LR_DATELINE)
            fb++;
        for (uint32_t j = fb + 1; j < n; j++)
            if (L[j].role == LR_FOOTER || L[j].role == LR_BOILERPLATE || L[j].role == LR_CAPTION ||
                L[j].role == LR_RELATED_HEADING || L[j].role == LR_RELATED_ITEM || L[j].role == LR_SUBHEADLINE ||
                L[j].role == LR_TIMESTAMP)
                L[j].role = LR_BODY;
    }
}

/* readers' comments under the story are no part of it */
static void settle_comments_below(const enrich_doc *doc, line_info *L, uint32_t n)
{
    const char *t = doc->text;
    uint32_t long_seen = 0;
    for (uint32_t j = 0; j < n; j++) {
        if ((L[j].role == LR_BODY || L[j].role == LR_DATELINE) && L[j].words >= 25)
            long_seen++;
        int heading = long_seen >= 1 ? comments_heading(t, &L[j]) : 0;
        if (heading == 2 || (heading && L[j].role != LR_BODY)) {
            L[j].role = LR_FOOTER;
            for (uint32_t q = j + 1; q < n; q++)
                if (L[q].role == LR_BODY || L[q].role == LR_BYLINE || L[q].role == LR_TIMESTAMP)
                    L[q].role = LR_FOOTER;
            break;
        }
    }
}

/* a subheadline is a sentence or two: a paragraph of fifty words is
 * the story's */
static void settle_long_subheadline(const enrich_doc *doc, line_info *L, uint32_t n)
{
    (void)doc;
    for (uint32_t j = 0; j < n; j++)
        if (L[j].role == LR_SUBHEADLINE && L[j].words > 50)
            L[j].role = LR_BODY;
}

/* a subheadline stands above the story: with no story after it, it is
 * the story */
static void settle_lone_subheadline(const enrich_doc *doc, line_info *L, uint32_t n)
{
    (void)doc;
    int story_after = 0;
    for (uint32_t j = n; j > 0; j--) {
        if (L[j - 1].role == LR_BODY || L[j - 1].role == LR_DATELINE)
            story_after = 1;
        else if (L[j - 1].role == LR_SUBHEADLINE && !story_after)
            L[j - 1].role = LR_BODY;
    }
}

/* the story's first paragraph opening with a dateline is the dateline
 * paragraph. Above it may stand a line or two of the body's shape that
 * are not the story (a photo's caption: a few words, no sentence's end)
 * or one short paragraph that sums the story up; the dateline opens the
 * paragraph after them */
static void settle_first_paragraph_dateline(const enrich_doc *doc, line_info *L, uint32_t n)
{
    const char *t = doc->text;
    uint32_t shorts[2], n_short = 0, para_words = 0, paras = 0;
    for (uint32_t j = 0; j < n; j++) {
        if (L[j].role != LR_BODY && L[j].role != LR_DATELINE)
            continue;
        if (L[j].role == LR_DATELINE)
            break;
        if (j > 0 && L[j - 1].block == L[j].block && L[j - 1].role == LR_BODY) {
            para_words += L[j].words; /* the paragraph goes on */
            continue;
        }
        int dl = (L[j].flags & LF_DL_INLINE) != 0;
        if (!dl && paras == 1 && para_words <= 60 && !(L[j].flags & LF_DL_CHECKED)) {
            dateline_info d;
            uint32_t after;
            dl = dateline_parse_inline(doc->engine, t, L[j].s, &d, &after);
        }
        if (dl) {
            for (uint32_t q = j; q < n && (q == j || (L[q].block == L[j].block && L[q].role == LR_BODY)); q++)
                L[q].role = LR_DATELINE;
            for (uint32_t q = 0; q < n_short; q++)
                L[shorts[q]].role = LR_CAPTION;
            break;
        }
        unsigned char lc = (unsigned char)t[L[j].s.end - 1];
        if (paras == 0 && n_short < 2 && L[j].words <= 12 && lc != '.' && lc != '?' && lc != '!' && lc != '"' &&
            (j + 1 >= n || L[j + 1].block != L[j].block || L[j + 1].role != LR_BODY)) {
            shorts[n_short++] = j;
            continue;
        }
        if (paras++ > 0)
            break;
        n_short = 0;
        para_words = L[j].words;
    }
}

/* a shop's widget under a related heading ("Don't Miss:" / "Apple
 * AirPods" / "$139.00" / "Buy Now"): two prices or more among its
 * lines, and its lines are no related stories */
static void settle_shop_widget(const enrich_doc *doc, line_info *L, uint32_t n)
{
    const char *t = doc->text;
    for (uint32_t j = 0; j < n; j++) {
        if (L[j].role != LR_RELATED_HEADING)
            continue;
        uint32_t e = j + 1, prices = 0;
        while (e < n && (L[e].role == LR_RELATED_ITEM || L[e].role == LR_BOILERPLATE)) {
            span x = L[e].s;
            if (L[e].words <= 2 && span_len(x) >= 2 && (t[x.start] == '$' || (unsigned char)t[x.start] == 0xC2 ||
                                                         (unsigned char)t[x.start] == 0xE2))
                for (uint32_t k = x.start + 1; k < x.end && k <= x.start + 3; k++)
                    if (is_ascii_digit((unsigned char)t[k])) {
                        prices++;
                        break;
                    }
            e++;
        }
        if (prices >= 2)
            for (uint32_t q = j; q < e; q++)
                L[q].role = LR_BOILERPLATE;
        j = e > j ? e - 1 : j;
    }
}

/* cards of other stories: a title over its date, twice or more within
 * a few lines ("AUTO NEWS" / "Boosted 2017 Nissan Sentra SR Turbo
 * launched" / "September 12, 2016"): the titles are related items, the
 * dates no time stamp of this story */
static void settle_story_cards(const enrich_doc *doc, line_info *L, uint32_t n)
{
    const char *t = doc->text;
    for (uint32_t j = 1; j + 1 < n; j++) {
        if (!card_title(t, L, j))
            continue;
        uint32_t k = j + 2;
        while (k + 1 < n && k <= j + 4 && !card_title(t, L, k))
            k++;
        if (k + 1 >= n || k > j + 4)
            continue;
        for (uint32_t q = j; q + 1 < n && q <= k + 4; q++) {
            if (!card_title(t, L, q))
                continue;
            L[q].role = LR_RELATED_ITEM;
            L[q + 1].role = LR_BOILERPLATE;
            k = q;
        }
        j = k + 1;
    }
}

/* "Al Goldis, Associated Press" under a photo's caption credits the
 * photograph, not the story */
static void settle_caption_credit(const enrich_doc *doc, line_info *L, uint32_t n)
{
    const char *t = doc->text;
    credit pc2[CREDITS_MAX_PER_LINE];
    for (uint32_t j = 1; j < n; j++)
        if (L[j].role == LR_BYLINE && L[j - 1].role == LR_CAPTION && L[j].words <= 8 &&
            !text_istarts(t, L[j].s, "by ") &&
            credits_parse_photo(doc->engine, t, L[j].s, pc2, CREDITS_MAX_PER_LINE) > 0)
            L[j].role = LR_CAPTION;
}

/* what is no story's title, whatever its place: credits and time
 * stamps, a page's furniture and form fields, a word or two alone */
static void settle_no_story_titles(const enrich_doc *doc, line_info *L, uint32_t n)
{
    const char *t = doc->text;
    for (uint32_t j = 0; j < n; j++) {
        if (L[j].role != LR_RELATED_ITEM || (L[j].flags & LF_LINK))
            continue;
        span rest;
        int inline_heading = (L[j].flags & LF_RELHEAD) && related_heading(t, L[j].s, &rest) && !span_empty(rest);
        /* behind a bullet: "* By REUTERS", "* 11/20/2019 10:08 AM" */
        span b = L[j].s;
        if (span_len(b) > 2 && (t[b.start] == '*' || t[b.start] == '-') && t[b.start + 1] == ' ')
            b = text_trim(t, (span){b.start + 2, b.end});
        stamp_info st[STAMPS_MAX_PER_LINE];
        if ((L[j].flags & (LF_CREDIT | LF_STAMP | LF_FURNITURE)) ||
            (L[j].words <= 2 && span_len(L[j].s) < 25 && !inline_heading) ||
            text_ifind(t, L[j].s, "___") >= 0 || text_istarts(t, b, "by ") || text_istarts(t, b, "tags:") ||
            text_istarts(t, b, "tag:") || (b.start != L[j].s.start && furniture_led(doc, b)) ||
            text_ifind(t, L[j].s, "written by") >= 0 || text_ifind(t, L[j].s, "reviewed by") >= 0 ||
            (b.start != L[j].s.start && is_ascii_digit((unsigned char)t[b.start]) &&
             stamp_parse_line(t, b, st, STAMPS_MAX_PER_LINE) > 0) ||
            byline_with_stamp(doc, b, L[j].words))
            L[j].role = LR_BOILERPLATE;
    }
}

/* one line alone is the story, not its headline */
static void settle_one_line_story(const enrich_doc *doc, line_info *L, uint32_t n)
{
    (void)doc;
    if (n == 1 && L[0].role == LR_HEADLINE)
        L[0].role = LR_BODY;
}

/* a dateline line among the first lines, before the body goes on: with
 * a sentence between it and the headline, that is the subheadline */
static void settle_dateline_line(const enrich_doc *doc, line_info *L, uint32_t n)
{
    const char *t = doc->text;
    for (uint32_t j = 1; j < n && j <= 4; j++) {
        int r = L[j].role;
        if (r == LR_BODY && L[j].words > 25)
            break;
        /* a byline without a credit's words ("Taipei, Taiwan" looks like
         * "Jane Doe, Outlet") is the dateline when it parses as one */
        if (r == LR_HEADLINE || r == LR_RELATED_ITEM || !(L[j].flags & LF_DL_LINE) ||
            (r == LR_TIMESTAMP && (L[j].flags & LF_STAMP)) ||
            (r == LR_BYLINE && ((L[j].flags & LF_CREDIT) || text_istarts(t, L[j].s, "by "))))
            continue;
        if (j + 1 >= n)
            break;
        /* one word stands alone as a dateline in capitals ("WASHINGTON"),
         * and the story follows it */
        if (!alone_ok_at(t, L, n, j) ||
            (L[j + 1].role != LR_BODY && L[j + 1].role != LR_DATELINE && L[j + 1].role != LR_BYLINE &&
             L[j + 1].role != LR_TIMESTAMP))
            continue;
        L[j].role = LR_DATELINE;
        if (j == 2 && L[0].role == LR_HEADLINE && L[1].role != LR_BYLINE && L[1].role != LR_TIMESTAMP &&
            L[1].words >= 5)
            L[1].role = LR_SUBHEADLINE;
        break;
    }
}

/* The rules that settle the roles the model gave, in the order they run:
 * each reads what the ones before it left. */
static void (*const settle_passes[])(const enrich_doc *doc, line_info *L, uint32_t n) = {
    settle_roles_line_by_line,
    settle_related_lists,
    settle_story_lists,
    settle_credits_above_story,
    settle_dateline_paragraph,
    settle_dateline_bar,
    settle_unbroken_text,
    settle_comments_below,
    settle_long_subheadline,
    settle_lone_subheadline,
    settle_first_paragraph_dateline,
    settle_shop_widget,
    settle_story_cards,
    settle_caption_credit,
    settle_no_story_titles,
    settle_one_line_story,
    settle_dateline_line,
};

/* What the rule parsers know for certain, over the model's roles: a line
 * that is wholly credits ("Edited by Mike Firn.") is a byline wherever it
 * stands; a related heading is followed by the link lines under it; a line
 * that is a dateline by itself just above the first body line is the
 * dateline. */
static void settle_roles(const enrich_doc *doc, line_info *L, uint32_t n)
{
    for (size_t k = 0; k < sizeof settle_passes / sizeof settle_passes[0]; k++)
        settle_passes[k](doc, L, n);
}

/* Stage "layout": every line and its role (lines_classify's model, then
 * settle_roles' rules), and article.blocks. The lines stay in the doc for
 * the stages that read them. */
int layout_run(enrich_doc *doc)
{
    const enrich_engine *e = doc->engine;
    line_info *L = NULL;
    long nl = lines_split(doc->text, doc->len, &L);
    if (nl < 0)
        return -1;
    doc->lines = L; /* freed with the doc */
    doc->nlines = (uint32_t)nl;
    uint32_t n = doc->nlines;
    doc->first_dl = (lines_dateline){UINT32_MAX, 0, &doc->first_dl_info};
    if (lines_classify(e, &e->layout, doc->text, L, n, &doc->first_dl))
        return -1;
    settle_roles(doc, L, n);
    for (uint32_t i = 0; i < n; i++) {
        if (alone_ok_at(doc->text, L, n, i))
            L[i].flags |= LF_ALONE_OK;
        if (push_block(doc, L[i].role, L[i].s, i > 0 && L[i - 1].block == L[i].block))
            return -1;
    }
    return 0;
}

/* Stage "article": the headline and subheadline before the story's text,
 * and the body's paragraphs (less the dateline that opens one). */
int article_run(enrich_doc *doc)
{
    const char *t = doc->text;
    const line_info *L = doc->lines;
    uint32_t para_block = UINT32_MAX;
    for (uint32_t i = 0; i < doc->nlines; i++) {
        span s = L[i].s;
        int role = L[i].role;
        if (role == LR_HEADLINE && span_empty(doc->headline) && !(L[i].flags & LF_AFTER_BODY))
            doc->headline = s;
        if (role == LR_SUBHEADLINE && span_empty(doc->subheadline) && !(L[i].flags & LF_AFTER_BODY))
            doc->subheadline = s;
        if (role != LR_DATELINE && role != LR_BODY)
            continue;
        if (i == doc->dl_line && (doc->dl_kind == DL_ALONE || doc->dl_kind == DL_BAR))
            continue;
        if (i == doc->dl_line) {
            s.start = doc->dl_after;
            s = text_trim(t, s);
            if (span_empty(s))
                continue;
        }
        /* lines of one block are one paragraph when wrapped at a width; a
         * line longer than any wrap width ends its own */
        if (doc->paragraphs.n && para_block == L[i].block && i > 0 && span_len(L[i - 1].s) <= 100 &&
            (L[i - 1].role == LR_BODY || L[i - 1].role == LR_DATELINE) &&
            doc->paragraphs.v[doc->paragraphs.n - 1].end <= s.start) {
            doc->paragraphs.v[doc->paragraphs.n - 1].end = s.end;
            doc->body.end = s.end;
        } else if (add_paragraph(doc, s)) {
            return -1;
        }
        para_block = L[i].block;
    }
    return 0;
}

