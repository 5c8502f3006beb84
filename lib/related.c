/*
 * related.c - the related-links recognizer. Reads lines that layout offers
 * after a heading; adds link items (title, url) with the copy-paste
 * artifacts ("Opens in new window ]") cut off.
 */
#include "related.h"
#include "rules.h"

#include <string.h>

#include "utf8.h"

#define TITLE_MAX_BYTES 250
#define TITLE_MAX_WORDS 25

int related_heading(const char *t, span line, span *rest)
{
    line = text_trim(t, line);
    rest->start = rest->end = line.end;
    if (span_empty(line))
        return 0;
    /* "[Related: Title]": the brackets are the page's */
    if (t[line.start] == '[' && t[line.end - 1] == ']' && span_len(line) > 2) {
        line = text_trim(t, (span){line.start + 1, line.end - 1});
        rest->start = rest->end = line.end;
        if (span_empty(line))
            return 0;
    }
    char c0 = (char)ascii_lower((unsigned char)t[line.start]);
    for (size_t i = 0; i < RULES_N(rules_related_headings); i++) {
        if (rules_related_headings[i][0] != c0 || !text_istarts(t, line, rules_related_headings[i]))
            continue;
        size_t n = strlen(rules_related_headings[i]);
        span after = {line.start + (uint32_t)n, line.end};
        if (span_empty(after))
            return 1;
        /* "Related:" alone or with a title after it. */
        if (t[after.start] == ':') {
            *rest = text_trim(t, (span){after.start + 1, after.end});
            return 1;
        }
        /* "Read more »" */
        span tail = text_trim(t, after);
        if (text_ieq(t, tail, "\xC2\xBB") || text_ieq(t, tail, ">>"))
            return 1;
    }
    /* "More from Business": a short line, a name after the words */
    if (c0 != 'm')
        return 0;
    unsigned words = text_word_count(t, line);
    char last = t[line.end - 1];
    if (words <= 6 && last != '.' && last != '?' && last != '!' && last != ',')
        for (size_t i = 0; i < RULES_N(rules_related_heading_prefixes); i++)
            if (text_istarts(t, line, rules_related_heading_prefixes[i]) && words >= 3)
                return 1;
    return 0;
}

int related_popular_heading(const char *t, span line)
{
    line = text_trim(t, line);
    if (span_empty(line) || text_word_count(t, line) > 5)
        return 0;
    for (size_t i = 0; i < RULES_N(rules_related_popular_headings); i++) {
        size_t n = strlen(rules_related_popular_headings[i]);
        if (!text_istarts(t, line, rules_related_popular_headings[i]))
            continue;
        uint32_t e = line.start + (uint32_t)n;
        if (e == line.end || t[e] == ' ' || t[e] == ':')
            return 1;
    }
    return 0;
}

/* Where the first artifact in s starts, with its length, or -1. */
static long find_artifact(const char *t, span s, size_t *len)
{
    long best = -1;
    for (size_t i = 0; i < RULES_N(rules_related_artifacts); i++) {
        long at = text_ifind(t, s, rules_related_artifacts[i]);
        if (at >= 0 && (best < 0 || at < best)) {
            best = at;
            *len = strlen(rules_related_artifacts[i]);
        }
    }
    return best;
}

static int is_bracket(char c)
{
    return c == '[' || c == ']' || c == '(' || c == ')';
}

/* Trims white space and brackets off both ends. */
static span trim_brackets(const char *t, span s)
{
    for (;;) {
        span n = text_trim(t, s);
        while (!span_empty(n) && is_bracket(t[n.start]) && t[n.start] != '[')
            n.start++;
        while (!span_empty(n) && is_bracket(t[n.end - 1]) && t[n.end - 1] != ')')
            n.end--;
        if (n.start == s.start && n.end == s.end)
            return n;
        s = n;
    }
}

static span strip_bullet(const char *t, span s, int *had)
{
    *had = 0;
    for (size_t i = 0; i < RULES_N(rules_related_bullets); i++) {
        if (text_istarts(t, s, rules_related_bullets[i])) {
            *had = 1;
            return text_trim(t, (span){s.start + (uint32_t)strlen(rules_related_bullets[i]), s.end});
        }
    }
    return s;
}

/* Finds an http(s) URL in s; returns 1 and its span. */
static int find_url(const char *t, span s, span *url)
{
    long at = text_ifind(t, s, "http://");
    long at2 = text_ifind(t, s, "https://");
    if (at < 0 || (at2 >= 0 && at2 < at))
        at = at2;
    if (at < 0)
        return 0;
    url->start = (uint32_t)at;
    url->end = url->start;
    while (url->end < s.end && !utf8_space_at(t, s.end, url->end) && t[url->end] != ')' &&
           t[url->end] != ']' && t[url->end] != '>')
        url->end++;
    return 1;
}

/* A link's decorations after its title: a bar, a tag in capitals in
 * brackets ("[VIDEO]", "[INSIGHT]|") and a running time ("(3:05)"). */
static span strip_decorations(const char *t, span s)
{
    for (;;) {
        span n = text_trim(t, s);
        while (!span_empty(n) && t[n.end - 1] == '|')
            n = text_trim(t, (span){n.start, n.end - 1});
        /* "[VIDEO" whose "]" the bracket trim took */
        if (span_len(n) > 2 && t[n.end - 1] != ']' && t[n.end - 1] != ')') {
            uint32_t k = n.end;
            while (k > n.start && (is_ascii_upper((unsigned char)t[k - 1]) || t[k - 1] == ' '))
                k--;
            if (k > n.start + 1 && t[k - 1] == '[' && n.end - k >= 2 && n.end - k <= 16)
                n = text_trim(t, (span){n.start, k - 1});
        }
        if (span_len(n) > 2 && (t[n.end - 1] == ']' || t[n.end - 1] == ')')) {
            char open = t[n.end - 1] == ']' ? '[' : '(';
            uint32_t k = n.end - 1, caps = 0, digits = 0, colons = 0, other = 0;
            while (k > n.start && t[k - 1] != open) {
                unsigned char c = (unsigned char)t[--k];
                caps += is_ascii_upper(c);
                digits += is_ascii_digit(c);
                colons += c == ':';
                other += !is_ascii_upper(c) && !is_ascii_digit(c) && c != ':' && c != ' ';
            }
            /* "(2019)" of "Joker (2019)" is the title's */
            int tag = open == '[' ? caps > 0 && !other && !digits && !colons : digits > 0 && colons && !caps && !other;
            if (k > n.start + 1 && tag && n.end - k <= 16) /* never the whole title */
                n = text_trim(t, (span){n.start, k - 1});
        }
        if (n.start == s.start && n.end == s.end)
            return n;
        s = n;
    }
}

/* "News Cloud | Title of the story" and "Title of the story | Site": the
 * title is the side of four words or more, the other of three or fewer. */
span related_section_or_site_off(const char *t, span s)
{
    long bar = text_ifind(t, s, " | ");
    if (bar < 0 || text_ifind(t, (span){(uint32_t)bar + 3, s.end}, " | ") >= 0)
        return s;
    span left = text_trim(t, (span){s.start, (uint32_t)bar}), right = text_trim(t, (span){(uint32_t)bar + 3, s.end});
    unsigned wl = text_word_count(t, left), wr = text_word_count(t, right);
    if (wl >= 1 && wl <= 3 && wr >= 4)
        return right;
    if (wr >= 1 && wr <= 3 && wl >= 4)
        return left;
    return s;
}

/* One title candidate: a Markdown link, a title with a URL, or a title.
 * strong says the line carried a sign that it is a link (bullet, artifact). */
static int make_item(const char *t, span s, int strong, related_item *item)
{
    memset(item, 0, sizeof *item);
    s = trim_brackets(t, s);
    if (span_empty(s))
        return 0;
    span url;
    if (t[s.start] == '[') {
        /* [Title](url) */
        long close = text_ifind(t, s, "](");
        if (close < 0 || t[s.end - 1] != ')')
            return 0;
        item->title = text_trim(t, (span){s.start + 1, (uint32_t)close});
        item->url = text_trim(t, (span){(uint32_t)close + 2, s.end - 1});
        return !span_empty(item->title) || !span_empty(item->url);
    }
    if (find_url(t, s, &url)) {
        item->url = url;
        span before = text_trim(t, (span){s.start, url.start});
        /* drop a separator between title and URL */
        while (!span_empty(before) && strchr("-:|<(", t[before.end - 1]))
            before = text_trim(t, (span){before.start, before.end - 1});
        item->title = before;
        span after = text_trim(t, (span){url.end, s.end});
        while (!span_empty(after) && strchr(">)]", t[after.start]))
            after.start++;
        return span_empty(text_trim(t, after));
    }
    s = strip_decorations(t, s);
    if (span_empty(s))
        return 0;
    s = related_section_or_site_off(t, s);
    item->title = s;
    if (span_len(s) > TITLE_MAX_BYTES || text_word_count(t, s) > TITLE_MAX_WORDS)
        return 0;
    unsigned char c0 = (unsigned char)t[s.start];
    if (is_ascii_lower(c0))
        return 0;
    char last = t[s.end - 1];
    if (!strong && (last == '.' || last == ',' || last == ';' || last == ':'))
        return 0;
    return 1;
}

int related_parse_line(const char *t, span line, related_item *out, int max)
{
    line = text_trim(t, line);
    if (span_empty(line))
        return 0;
    int bullet;
    line = strip_bullet(t, line, &bullet);
    int n = 0;
    span rest = line;
    size_t alen = 0;
    long at;
    /* "Title AOpens in new window ]Title BOpens in new window ]" */
    while ((at = find_artifact(t, rest, &alen)) >= 0) {
        span seg = {rest.start, (uint32_t)at};
        if (n == max || !make_item(t, seg, 1, &out[n]))
            return 0;
        n++;
        rest.start = (uint32_t)at + (uint32_t)alen;
        rest = trim_brackets(t, rest);
    }
    if (!span_empty(text_trim(t, rest))) {
        if (n == max || !make_item(t, rest, bullet || n > 0, &out[n]))
            return 0;
        n++;
    }
    return n;
}

int related_artifact_line(const char *t, span line)
{
    size_t alen = 0;
    span s = trim_brackets(t, text_trim(t, line));
    return !span_empty(s) && find_artifact(t, s, &alen) == (long)s.start &&
           span_empty(trim_brackets(t, (span){s.start + (uint32_t)alen, s.end}));
}

int related_link_line(const char *t, span line)
{
    int bullet;
    span s = strip_bullet(t, text_trim(t, line), &bullet);
    span url;
    if (span_empty(s))
        return 0;
    /* most lines are prose: a link line opens with "[", "(" or "http" */
    char c0 = t[s.start];
    if (c0 != '[' && c0 != '(' && c0 != '<' && c0 != 'h' && c0 != 'H')
        return 0;
    if (t[s.start] == '[') { /* [Title](url) */
        related_item item;
        long close = text_ifind(t, s, "](");
        return close > (long)s.start && t[s.end - 1] == ')' && make_item(t, s, 1, &item) && !span_empty(item.url) &&
               text_istarts(t, item.url, "http");
    }
    s = trim_brackets(t, s);
    return !span_empty(s) && find_url(t, s, &url) && url.start == s.start && url.end == s.end;
}

/* ---- the stage ---------------------------------------------------------- */

/* A related item from a line of that role: its link titles as the related
 * parser reads them, else the whole line less a label and a bullet. */
static int add_related(enrich_doc *doc, span line)
{
    const char *t = doc->text;
    related_item tmp[RELATED_MAX_PER_LINE];
    span rest;
    if (related_artifact_line(t, line))
        return 0;
    if (related_heading(t, line, &rest)) {
        if (span_empty(rest))
            return 0;
        line = rest;
    }
    /* "1. Title", "2) Title": the list's numbers are no part of it */
    uint32_t d = line.start;
    while (d < line.end && d - line.start < 3 && is_ascii_digit(t[d]))
        d++;
    if (d > line.start && d + 1 < line.end && (t[d] == '.' || t[d] == ')') && t[d + 1] == ' ')
        line.start = d + 2;
    int n = related_parse_line(t, line, tmp, RELATED_MAX_PER_LINE);
    if (n <= 0) {
        while (line.start < line.end && (t[line.start] == '*' || t[line.start] == '-' || t[line.start] == '#' ||
                                         t[line.start] == '>' || utf8_space_at(t, line.end, line.start)))
            line.start++;
        line = text_trim(t, line);
        if (span_empty(line))
            return 0;
        tmp[0] = (related_item){.title = line};
        n = 1;
    }
    for (int j = 0; j < n; j++) {
        related_item *slot = DOC_PUSH(doc, doc->related);
        if (!slot)
            return -1;
        *slot = tmp[j];
    }
    return 0;
}

/* Stage "related": the titles of related-item lines. */
int related_run(enrich_doc *doc)
{
    for (uint32_t i = 0; i < doc->nlines; i++)
        if (doc->lines[i].role == LR_RELATED_ITEM && add_related(doc, doc->lines[i].s))
            return -1;
    return 0;
}
