/*
 * test_layout.c - the layout stage on whole articles in the styles
 * newsrooms publish, written for these tests.
 */
#include "unit.h"

#include <stdio.h>

#include "credits.h"
#include "lines.h"

START_TEST(layout_web_copy_paste)
{
    const char *t =
        "Ministers agree on new fishing quotas\n\n"
        "The deal sets limits for the next three years and ends a long dispute.\n\n"
        "Oslo, Norway\n\n"
        "Fisheries ministers agreed on Tuesday to cut quotas for cod.\n\n"
        "\xE2\x80\x9CThis is a fair deal,\xE2\x80\x9D the minister said.\n\n"
        "RELATED STORIES\n\n"
        "Quotas explained: what changes for boatsOpens in new window\xC2\xA0]\n\n"
        "Cod stocks recover in the north Atlantic Opens in new window ]\n\n"
        "The agreement takes effect in January, officials said.\n\n"
        "Editing by Kari Nordmann.";
    enrich_doc *doc = annotate(t, "2024-03-05");
    ck_assert_span(doc, doc->headline, "Ministers agree on new fishing quotas");
    ck_assert_span(doc, doc->subheadline, "The deal sets limits for the next three years and ends a long dispute.");
    ck_assert(doc->dateline.found);
    ck_assert_span(doc, doc->dateline.text, "Oslo, Norway");
    ck_assert_str_eq(doc->dateline.country->code, "NO");
    ck_assert_uint_eq(doc->related.n, 2);
    ck_assert_span(doc, doc->related.v[0].title, "Quotas explained: what changes for boats");
    ck_assert_span(doc, doc->related.v[1].title, "Cod stocks recover in the north Atlantic");
    ck_assert_uint_eq(doc->credits.n, 1);
    ck_assert_span(doc, doc->credits.v[0].name, "Kari Nordmann");
    ck_assert_span(doc, doc->credits.v[0].clause, "Editing by Kari Nordmann.");
    ck_assert_uint_eq(doc->paragraphs.n, 3); /* related block and credits are not body */
    ck_assert_span(doc, doc->paragraphs.v[2], "The agreement takes effect in January, officials said.");
    ck_assert(doc->body.start < doc->related.v[0].title.start && doc->body.end > doc->related.v[1].title.end);
    enrich_doc_free(doc);
}
END_TEST

START_TEST(layout_wire_copy_with_indented_paragraphs)
{
    const char *t =
        "BAKER SEES NO NEED FOR TAX RISE\n\n"
        "WASHINGTON, March 4 - Treasury Secretary James Baker said\n"
        "there was no need for a tax increase this year.\n"
        "    He told reporters the budget deficit was falling.\n"
        "    Baker said talks would go on.\n"
        " Reuter\n";
    enrich_doc *doc = annotate(t, "1987-03-04");
    ck_assert_span(doc, doc->headline, "BAKER SEES NO NEED FOR TAX RISE");
    ck_assert(span_empty(doc->subheadline));
    ck_assert(doc->dateline.found);
    ck_assert_span(doc, doc->dateline.text, "WASHINGTON, March 4");
    ck_assert_span(doc, doc->dateline.city, "WASHINGTON");
    ck_assert_int_eq(doc->dateline.date.month, 3);
    /* every indented line opens a paragraph; the sign-off is not body */
    ck_assert_uint_eq(doc->paragraphs.n, 3);
    ck_assert_span(doc, doc->paragraphs.v[0],
                   "Treasury Secretary James Baker said\nthere was no need for a tax increase this year.");
    ck_assert_span(doc, doc->paragraphs.v[1], "He told reporters the budget deficit was falling.");
    ck_assert_span(doc, doc->paragraphs.v[2], "Baker said talks would go on.");
    enrich_doc_free(doc);
}
END_TEST

START_TEST(layout_byline_under_headline)
{
    const char *t =
        "Senate passes the farm bill\n\n"
        "By Jane Doe and John Roe\n\n"
        "WASHINGTON (AP) \xE2\x80\x94 The Senate passed the farm bill on Thursday.\n\n"
        "The House votes next week.\n";
    enrich_doc *doc = annotate(t, "2024-06-20");
    ck_assert_span(doc, doc->headline, "Senate passes the farm bill");
    ck_assert(span_empty(doc->subheadline));
    ck_assert_uint_eq(doc->credits.n, 2);
    ck_assert_int_eq(doc->credits.v[0].role, ROLE_AUTHOR);
    ck_assert_span(doc, doc->credits.v[1].name, "John Roe");
    ck_assert_span(doc, doc->dateline.agency, "AP");
    ck_assert_span(doc, doc->paragraphs.v[0], "The Senate passed the farm bill on Thursday.");
    enrich_doc_free(doc);
}
END_TEST

START_TEST(layout_uniform_indent_is_no_paragraph_break)
{
    const char *t = "    Title line\n\n    First line of the body\n    goes on here.\n";
    enrich_doc *doc = annotate(t, NULL);
    ck_assert_span(doc, doc->headline, "Title line");
    ck_assert_uint_eq(doc->paragraphs.n, 1);
    ck_assert_span(doc, doc->paragraphs.v[0], "First line of the body\n    goes on here.");
    enrich_doc_free(doc);
}
END_TEST

START_TEST(layout_subheadline_needs_an_anchor)
{
    /* Without a dateline or byline after it, a short second paragraph is body. */
    const char *t = "Rain expected\n\nForecasters warned of storms.\n\nThe weather service said roads may flood.\n";
    enrich_doc *doc = annotate(t, NULL);
    ck_assert_span(doc, doc->headline, "Rain expected");
    ck_assert(span_empty(doc->subheadline));
    ck_assert(!doc->dateline.found);
    ck_assert_uint_eq(doc->paragraphs.n, 2);
    enrich_doc_free(doc);
}
END_TEST

START_TEST(layout_plain_paragraph_has_no_headline)
{
    enrich_doc *doc = annotate("Just one paragraph of text, no headline at all.", NULL);
    ck_assert(span_empty(doc->headline));
    ck_assert_uint_eq(doc->paragraphs.n, 1);
    ck_assert_uint_eq(doc->body.start, 0);
    enrich_doc_free(doc);
    doc = annotate("", NULL);
    ck_assert_uint_eq(doc->paragraphs.n, 0);
    enrich_doc_free(doc);
    doc = annotate(" \n\n\t\n", NULL);
    ck_assert_uint_eq(doc->paragraphs.n, 0);
    ck_assert(span_empty(doc->headline));
    enrich_doc_free(doc);
}
END_TEST

START_TEST(layout_crlf_and_inline_related)
{
    const char *t =
        "Storm hits coast\r\n\r\n"
        "Winds reached 150 km/h overnight, officials said.\r\n\r\n"
        "READ MORE: How storms are named\r\n\r\n"
        "Power was restored by morning.\r\n";
    enrich_doc *doc = annotate(t, NULL);
    ck_assert_span(doc, doc->headline, "Storm hits coast");
    ck_assert_uint_eq(doc->related.n, 1);
    ck_assert_span(doc, doc->related.v[0].title, "How storms are named");
    ck_assert_uint_eq(doc->paragraphs.n, 2);
    ck_assert_span(doc, doc->paragraphs.v[1], "Power was restored by morning.");
    enrich_doc_free(doc);
}
END_TEST

START_TEST(layout_heading_and_links_in_one_block)
{
    const char *t = "Heat grips Europe\n\nTemperatures passed 40C.\n\nSee also:\n"
                    "- [How to stay cool](https://example.org/cool)\n"
                    "- Why heatwaves last longer https://example.org/longer\n\n"
                    "Cooling centres opened.\n";
    enrich_doc *doc = annotate(t, NULL);
    ck_assert_uint_eq(doc->related.n, 2);
    ck_assert_span(doc, doc->related.v[0].title, "How to stay cool");
    ck_assert_span(doc, doc->related.v[0].url, "https://example.org/cool");
    ck_assert_span(doc, doc->related.v[1].title, "Why heatwaves last longer");
    ck_assert_uint_eq(doc->paragraphs.n, 2);
    enrich_doc_free(doc);
}
END_TEST

START_TEST(layout_heading_without_links_is_body)
{
    const char *t = "Title here\n\nFirst paragraph ends here.\n\nRelated\n\nthe rest is lower case prose.\n";
    enrich_doc *doc = annotate(t, NULL);
    ck_assert_uint_eq(doc->related.n, 0);
    ck_assert_uint_eq(doc->paragraphs.n, 3);
    enrich_doc_free(doc);
}
END_TEST

START_TEST(layout_credit_block_at_the_end)
{
    const char *t =
        "Bank holds rates\n\n"
        "The central bank held rates on Wednesday.\n\n"
        "(Reporting by Ann Lee in Seoul; Editing by Di Vo)\n"
        "Photos by Bo Chan\n";
    enrich_doc *doc = annotate(t, NULL);
    ck_assert_uint_eq(doc->credits.n, 3);
    ck_assert_int_eq(doc->credits.v[0].role, ROLE_REPORTER);
    ck_assert_int_eq(doc->credits.v[1].role, ROLE_EDITOR);
    ck_assert_int_eq(doc->credits.v[2].role, ROLE_PHOTOGRAPHER);
    ck_assert_span(doc, doc->credits.v[2].name, "Bo Chan");
    ck_assert_uint_eq(doc->paragraphs.n, 1);
    enrich_doc_free(doc);
}
END_TEST

/* The related links of a story with links block between two body
 * paragraphs, as "title<url>|...", then "#" and the paragraph count. */
static const char *related_in(const char *links)
{
    static char out[1024];
    char t[1024];
    snprintf(t, sizeof t, "Talks stall\n\nSEOUL (Reuters) - Talks stalled on Monday.\n\n%s\n\n"
                          "The talks will resume on Friday.\n", links);
    enrich_doc *doc = annotate(t, "2024-07-11");
    out[0] = '\0';
    for (uint32_t i = 0; i < doc->related.n; i++) {
        size_t len = strlen(out);
        const related_item *r = &doc->related.v[i];
        snprintf(out + len, sizeof out - len, "%s%.*s<%.*s>", i ? "|" : "", (int)span_len(r->title),
                 doc->text + r->title.start, (int)span_len(r->url), doc->text + r->url.start);
    }
    size_t len = strlen(out);
    snprintf(out + len, sizeof out - len, "#%u", doc->paragraphs.n);
    enrich_doc_free(doc);
    return out;
}

START_TEST(layout_related_forms)
{
    ck_assert_str_eq(related_in("Related: Oil jumps as talks stall"), "Oil jumps as talks stall<>#2");
    ck_assert_str_eq(related_in("READ MORE: Oil jumps as talks stall"), "Oil jumps as talks stall<>#2");
    ck_assert_str_eq(related_in("See also: [Oil jumps](https://ex.com/oil)"), "Oil jumps<https://ex.com/oil>#2");
    ck_assert_str_eq(related_in("Read next: Oil jumps - https://ex.com/a"), "Oil jumps<https://ex.com/a>#2");
    ck_assert_str_eq(related_in("https://www.reuters.com/world/oil-jumps-2024-07-11/"),
                     "<https://www.reuters.com/world/oil-jumps-2024-07-11/>#2");
    ck_assert_str_eq(related_in("More on this story:\nOil jumps as talks stall\nWhy the summit matters"),
                     "Oil jumps as talks stall<>|Why the summit matters<>#2");
    ck_assert_str_eq(related_in("You may also like\n\nOil jumps as talks stall"), "Oil jumps as talks stall<>#2");
    ck_assert_str_eq(related_in("RELATED COVERAGE\n\n* Oil jumps as talks stall\n* Why the summit matters"),
                     "Oil jumps as talks stall<>|Why the summit matters<>#2");
    ck_assert_str_eq(related_in("Related Articles\n\nOil jumps as talks stall\nOpens in new window ]\n"
                                "Why the summit matters\nOpens in new window ]"),
                     "Oil jumps as talks stall<>|Why the summit matters<>#2");
    ck_assert_str_eq(related_in("Recommended: Oil jumps as talks stall"), "Oil jumps as talks stall<>#2");
    ck_assert_str_eq(related_in("Also read: Oil jumps as talks stallOpens in new window ]"),
                     "Oil jumps as talks stall<>#2");
    ck_assert_str_eq(related_in("- [Oil jumps](https://ex.com/oil)\n- [Summit ends](https://ex.com/summit)"),
                     "Oil jumps<https://ex.com/oil>|Summit ends<https://ex.com/summit>#2");
    /* a link's decorations are no part of its title; a year is */
    ck_assert_str_eq(related_in("More on this story:\nOil jumps as talks stall [VIDEO]|\nWhy the summit matters (3:05)\n"
                                "Joker (2019) tops the box office"),
                     "Oil jumps as talks stall<>|Why the summit matters<>|Joker (2019) tops the box office<>#2");
    ck_assert_str_eq(related_in("More on this story:\nLakers win at home [VIDEO]\nNets lose away [REACTION]"),
                     "Lakers win at home<>|Nets lose away<>#2");
    /* a site's name after a bar, a section's before it */
    ck_assert_str_eq(related_in("More on this story:\nOil jumps as talks stall | Reuters\n"
                                "News Cloud | Why the summit matters today"),
                     "Oil jumps as talks stall<>|Why the summit matters today<>#2");
    /* prose stays in the body */
    ck_assert_str_eq(related_in("Read more about the talks in the report, officials said."), "#3");
}
END_TEST

/* The role of the block that starts with the given text, or "". */
static const char *role_at(const enrich_doc *doc, const char *start)
{
    for (uint32_t i = 0; i < doc->blocks.n; i++) {
        const doc_block *b = &doc->blocks.v[i];
        if (span_len(b->s) >= strlen(start) && memcmp(doc->text + b->s.start, start, strlen(start)) == 0)
            return lines_role_name(b->role);
    }
    return "";
}

/* A page as a browser copies it, written for this test: every line gets a
 * role, and each part is read from the lines of its role. */
START_TEST(layout_line_roles_on_a_page)
{
    const char *t =
        "City council approves new bike lanes after long debate\n"
        "\n"
        "The plan adds 40 kilometres of protected lanes over the next three years and closes two streets to cars.\n"
        "\n"
        "By Maria Lopez and Tom Becker\n"
        "Published 9:12 AM EST Nov 19, 2019\n"
        "\n"
        "Share on Facebook\n"
        "Share on Twitter\n"
        "\n"
        "A cyclist rides along Main Street on Monday. (Photo by Jane Smith/Getty Images)\n"
        "\n"
        "The city council voted 9-4 on Tuesday night to approve a network of protected bike lanes, ending a debate that had run for more than two years and filled the council chamber for three evenings.\n"
        "\n"
        "Supporters said the lanes would make streets safer for children and older riders, while shop owners on Main Street warned that losing parking spaces would drive customers away from their stores.\n"
        "\n"
        "ADVERTISEMENT\n"
        "\n"
        "\"We have waited a long time for this, and the numbers on crashes leave no doubt about what needs to be done,\" said council member Ana Ruiz, who led the effort.\n"
        "\n"
        "Construction on the first section is expected to begin in the spring, with the full network finished by the end of 2022, according to the city's transport department.\n"
        "\n"
        "The department said it would publish a map of the planned routes next month and hold public meetings in each district before work starts.\n"
        "\n"
        "Related\n"
        "\n"
        "Downtown parking rates to rise in January\n"
        "\n"
        "Bus service expands to the airport\n"
        "\n"
        "Sign up for our newsletter\n"
        "\n"
        "Comments\n";
    enrich_doc *doc = annotate(t, "2019-11-19");
    ck_assert_str_eq(role_at(doc, "City council approves"), "headline");
    ck_assert_str_eq(role_at(doc, "The plan adds"), "subheadline");
    ck_assert_str_eq(role_at(doc, "By Maria Lopez"), "byline");
    ck_assert_str_eq(role_at(doc, "Published 9:12 AM"), "timestamp");
    ck_assert_str_eq(role_at(doc, "Share on Facebook"), "boilerplate");
    ck_assert_str_eq(role_at(doc, "A cyclist rides"), "caption");
    ck_assert_str_eq(role_at(doc, "The city council voted"), "body");
    ck_assert_str_eq(role_at(doc, "Related"), "related_heading");
    ck_assert_str_eq(role_at(doc, "Downtown parking rates"), "related_item");
    ck_assert_str_eq(role_at(doc, "Comments"), "footer");
    ck_assert_span(doc, doc->headline, "City council approves new bike lanes after long debate");
    /* bylines split from "A and B"; the photo credit from the caption */
    ck_assert_uint_eq(doc->credits.n, 3);
    ck_assert_span(doc, doc->credits.v[0].name, "Maria Lopez");
    ck_assert_span(doc, doc->credits.v[1].name, "Tom Becker");
    ck_assert_int_eq(doc->credits.v[2].role, ROLE_PHOTOGRAPHER);
    ck_assert_span(doc, doc->credits.v[2].name, "Jane Smith");
    /* the caption, the share buttons and the related block are not body */
    for (uint32_t i = 0; i < doc->paragraphs.n; i++) {
        ck_assert(!strstr(span_str(doc, doc->paragraphs.v[i]), "Share on"));
        ck_assert(!strstr(span_str(doc, doc->paragraphs.v[i]), "A cyclist rides"));
        ck_assert(!strstr(span_str(doc, doc->paragraphs.v[i]), "Downtown parking"));
    }
    ck_assert_uint_ge(doc->paragraphs.n, 5);
    ck_assert_uint_ge(doc->related.n, 1);
    ck_assert_span(doc, doc->related.v[0].title, "Downtown parking rates to rise in January");
    enrich_doc_free(doc);
}
END_TEST

/* A comment form above the story (a field "Comment(required)") heads no
 * readers' comments: the story under it stays the story. */
START_TEST(layout_comment_form_is_no_comments)
{
    const char *t = "Hostages freed in exchange for three prisoners\n\nBy Lia Stone and Yaron Field\n\n"
                    "* View author archive | * Get author RSS feed\n\nMost Popular Today\n\n"
                    "1 Old photo sparks conspiracy theories about a climate activist online 2 Aides allegedly left "
                    "notes for the next team 3 A bakery closes after forty years in the same street 4 The mayor "
                    "answers questions on the budget and the buses\n\n"
                    "Name(required) ____________________ | Email(required) ____________________\n\n"
                    "Comment(required)\n\n(BUTTON) Submit\n\n"
                    "Two hostages, an American and an Australian, who had been held for more than three years were "
                    "freed on Tuesday in exchange for three prisoners, officials said.\n\n"
                    "The men were flown out of the region on military helicopters, according to a local police "
                    "source, and were taken to a base for medical checks before flying home.\n\nShare this:\n";
    enrich_doc *doc = annotate(t, "2019-11-19");
    ck_assert_str_ne(role_at(doc, "Comment(required)"), "body");
    ck_assert_str_eq(role_at(doc, "Two hostages"), "body");
    ck_assert_str_eq(role_at(doc, "The men were flown"), "body");
    enrich_doc_free(doc);
    /* blog software's comment heading in another language heads the
     * readers' comments; a text browser's embed line is no story */
    const char *u = "Hospital opens a new wing\n\nBy Ana Souza\n\n"
                    "The city hospital opened a new wing on Friday with forty beds for children and a new emergency "
                    "room that doctors said would cut waiting times by half over the next year.\n\n"
                    "IFRAME: https://www.youtube.com/embed/73dQFCaL3RM\n\n"
                    "The wing cost twelve million and took two years to build, the hospital said.\n\n"
                    "Deixe uma resposta Cancelar resposta\n\n"
                    "Maria disse: que maravilha, finalmente uma boa noticia para a nossa cidade e para as criancas que "
                    "precisam de cuidados.\n";
    doc = annotate(u, "2019-11-19");
    ck_assert_str_eq(role_at(doc, "IFRAME:"), "boilerplate");
    ck_assert_str_eq(role_at(doc, "Maria disse"), "footer");
    ck_assert_str_eq(role_at(doc, "The wing cost"), "body");
    enrich_doc_free(doc);
}
END_TEST

/* The heads and first paragraphs of two stories the related-block tests
 * go on from. */
#define BERLIN_STORY                                                                                           \
    "Son of former president stabbed to death in Berlin\n\nBy POST STAFF\nNOVEMBER 20, 2019 10:43\n\n"          \
    "The son of a former German president was stabbed to death while giving a lecture at a Berlin "              \
    "hospital on Tuesday evening, police said, and a suspect was arrested at the scene.\n\n"                      \
    "The motive was not yet clear, police said.\n\n"
#define STADIA_STORY                                                                                           \
    "Stadia launches tomorrow with a short list of games\n\nBy Alessio Palumbo\nNov 18, 2019\n\n"              \
    "Google's game streaming service opens to buyers of its founder's edition on Tuesday, with twelve "          \
    "games ready at launch and more promised before the end of the year, the company said.\n\n"

/* Under each related title, its credit and time stamp behind bullets are
 * no titles. */
START_TEST(layout_related_titles_without_their_credits)
{
    const char *t = BERLIN_STORY "Related Content\n\n"
                    "Russia: strikes on Syria a wrong move\n* By REUTERS\n* 11/20/2019 10:08 AM\n"
                    "Eleven dead in strike on Syria\n* By POST STAFF\n* 11/20/2019 09:39 AM\n";
    enrich_doc *doc = annotate(t, "2019-11-20");
    ck_assert_uint_eq(doc->related.n, 2);
    ck_assert_span(doc, doc->related.v[0].title, "Russia: strikes on Syria a wrong move");
    ck_assert_span(doc, doc->related.v[1].title, "Eleven dead in strike on Syria");
    enrich_doc_free(doc);
    /* a related story's byline with its date or time, and the tags line */
    const char *u = BERLIN_STORY "Related\n\n"
                    "Russia: strikes on Syria a wrong move\nAlessio Palumbo \xE2\x80\xA2 Nov 18\n\n"
                    "Eleven dead in strike on Syria\n2019-11-20 17:27:46 Marcus De Guzman\nTags:berlin stabbing\n\n"
                    "Read More\n\n* Subscribe to POST PRO\n";
    doc = annotate(u, "2019-11-20");
    ck_assert_uint_eq(doc->related.n, 2);
    ck_assert_span(doc, doc->related.v[0].title, "Russia: strikes on Syria a wrong move");
    ck_assert_span(doc, doc->related.v[1].title, "Eleven dead in strike on Syria");
    enrich_doc_free(doc);
    /* items with a byline, a date and a count between them */
    const char *w = STADIA_STORY
                    "The service streams games from data centres to phones, computers and televisions.\n\nRelated\n\n"
                    "GRID's Stadia Exclusive Mode is All About Endurance Racing\nAlessio Palumbo  \xE2\x80\xA2  Nov 18\n10\n\n"
                    "Stadia Launches Tomorrow as Google Officially Enters the Video Game Market\n"
                    "Alessio Palumbo  \xE2\x80\xA2  Nov 18\n11\n\n"
                    "Borderlands 3 Producer Was Shocked at How Smooth The Game Plays on Stadia\n"
                    "Rohail Saleem  \xE2\x80\xA2  Nov 18\n";
    doc = annotate(w, "2019-11-19");
    ck_assert_uint_eq(doc->related.n, 3);
    ck_assert_span(doc, doc->related.v[2].title, "Borderlands 3 Producer Was Shocked at How Smooth The Game Plays on Stadia");
    enrich_doc_free(doc);
    /* a rule and a section's name between the heading and its items; a
     * list of tags under a heading is none */
    const char *x = STADIA_STORY
                    "Related articles\n______________________________\nTech News\n"
                    "Alibaba eyes a second listing in Hong Kong this month\n"
                    "Chip makers warn of slower sales as the trade war drags on\n\n"
                    "Topics\n* google\n* Google Stadia\n* Stadia Pro\n";
    doc = annotate(x, "2019-11-19");
    ck_assert_uint_eq(doc->related.n, 2);
    ck_assert_span(doc, doc->related.v[0].title, "Alibaba eyes a second listing in Hong Kong this month");
    enrich_doc_free(doc);
    /* a shop's widget under a related heading, with its prices, is none */
    const char *y = "The 10 best early Black Friday deals on Apple devices\n\nBy Maren Estrada\n\n"
                    "Black Friday is more than a week away, but the first deals on phones, watches and earbuds are "
                    "already live at the big stores, and some of them are the lowest prices of the year.\n\n"
                    "Don't Miss:\nApple AirPods with Charging Case (Latest Model)\n$139.00\n"
                    "Available from Amazon | BGR may receive a commission\nBuy Now\n"
                    "Apple AirPods with Wireless Charging Case (Latest Model)\n$164.99\n"
                    "Available from Amazon | BGR may receive a commission\nBuy Now\n";
    doc = annotate(y, "2019-11-19");
    ck_assert_uint_eq(doc->related.n, 0);
    enrich_doc_free(doc);
}
END_TEST

/* Paragraphs a newline apart, each longer than any wrap width, stay
 * paragraphs of their own, and their quotes are found. */
START_TEST(layout_long_lines_are_paragraphs)
{
    const char *t = "Doctor's letter draws new questions\n\n"
                    "In December 2015, shortly before voting began in the primary, the candidate released a letter "
                    "from his longtime physician, who had treated him for decades.\n"
                    "\"His physical strength and stamina are extraordinary,\" the physician wrote of his patient in "
                    "the letter, which ran to four paragraphs.\n"
                    "If it seemed like the candidate had written the letter himself, it is because he had, the "
                    "physician told reporters in an interview last year.\n";
    enrich_doc *doc = annotate(t, "2019-11-19");
    ck_assert_uint_eq(doc->paragraphs.n, 3);
    ck_assert_uint_eq(doc->quotes.n, 1);
    enrich_doc_free(doc);
}
END_TEST

/* Cards of other stories, a title over its date, are related items; their
 * dates are no time stamp of this story. */
START_TEST(layout_story_cards)
{
    const char *t = "All-new 2020 Sentra is what we really want\n\nMarcus De Guzman\n\n"
                    "AUTO NEWS\nLos Angeles 2015: Nissan Sentra debuts with refreshed design\nNovember 20, 2015\n"
                    "AUTO NEWS\nBoosted 2017 Nissan Sentra SR Turbo launched\nSeptember 12, 2016\n\n"
                    "Crossovers may have become the vehicle of choice for most car buyers, but that does not mean "
                    "the sedan is dead, and the maker has taken the covers off the next one in Los Angeles.\n\n"
                    "The new sedan goes on sale in the United States in late January.\n";
    enrich_doc *doc = annotate(t, NULL);
    ck_assert_uint_eq(doc->related.n, 2);
    ck_assert_span(doc, doc->related.v[1].title, "Boosted 2017 Nissan Sentra SR Turbo launched");
    for (uint32_t i = 0; i < doc->stamps.n; i++)
        ck_assert_int_ne(doc->stamps.v[i].date.year, 2015);
    enrich_doc_free(doc);
}
END_TEST

/* A paragraph that closes on a photo credit in brackets is a caption. */
START_TEST(layout_caption_closing_on_a_credit)
{
    const char *t = "Home improvement stores report strong sales\n\nBy Ann Lee\n\n"
                    "Sales rose for the third quarter in a row at the largest home improvement chains, which said "
                    "that builders and homeowners were spending more on repairs than a year ago.\n\n"
                    "Vicente Aguiar loads garage door trims into his pickup truck outside a store in Hialeah, Fla., "
                    "on Monday morning before heading to a job site. (AP Photo/Alan Diaz, File)\n\n"
                    "(Reed Saxon / Associated Press)\n\n"
                    "The chains expect the trend to continue into next year as mortgage rates stay low.\n";
    enrich_doc *doc = annotate(t, "2019-11-19");
    ck_assert_str_eq(role_at(doc, "Vicente Aguiar"), "caption");
    ck_assert_str_eq(role_at(doc, "(Reed Saxon"), "caption");
    int found = 0;
    for (uint32_t i = 0; i < doc->credits.n; i++)
        found |= doc->credits.v[i].role == ROLE_PHOTOGRAPHER &&
                 strcmp(span_str(doc, doc->credits.v[i].name), "Alan Diaz") == 0;
    ck_assert(found);
    enrich_doc_free(doc);
}
END_TEST

/* Wire copy: the dateline paragraph and the sign-off have their roles. */
START_TEST(layout_line_roles_on_wire_copy)
{
    const char *t = "BAKER SEES NO NEED FOR TAX RISE\n\n"
                    "WASHINGTON, March 4 - Treasury Secretary James Baker said\n"
                    "there was no need for a tax increase this year.\n"
                    "    He told reporters the budget deficit was falling.\n"
                    " Reuter\n";
    enrich_doc *doc = annotate(t, "1987-03-04");
    ck_assert_str_eq(role_at(doc, "BAKER SEES"), "headline");
    ck_assert_str_eq(role_at(doc, "WASHINGTON, March 4"), "dateline");
    ck_assert_str_eq(role_at(doc, "He told reporters"), "body");
    ck_assert_str_eq(role_at(doc, "Reuter"), "signoff");
    enrich_doc_free(doc);
}
END_TEST

/* Bylines in the shapes real pages give them. */
START_TEST(layout_byline_shapes)
{
    static const struct {
        const char *line, *names;
    } cases[] = {
        {"By LISA MASCARO, MARY CLARE JALONICK and ERIC TUCKER", "LISA MASCARO|MARY CLARE JALONICK|ERIC TUCKER"},
        {"Kevin Johnson and Kevin McCoy USA TODAY", "Kevin Johnson|Kevin McCoy"},
        {"by Jeff Foust \xE2\x80\x94 November 18, 2019", "Jeff Foust"},
        {"By Tess Bonn - 11/19/19 06:56 AM EST", "Tess Bonn"},
        {"By Amy Kuperinsky | NJ Advance Media for NJ.com", "Amy Kuperinsky"},
        {"Tanza Loudenback, Business Insider", "Tanza Loudenback"},
        {"By Eric Song, IGN Staff", "Eric Song"},
        {"Posted by Michael David Smith on November 19, 2019, 6:21 AM EST", "Michael David Smith"},
        {"Staff Writer", ""},
        {"\xC3\x9C" "ber Moritz Bachmann", "Moritz Bachmann"},
        {"Marcus De GuzmanView More Articles", "Marcus De Guzman"},
        {"By Chris Pokorny@DawgsByNature Nov 18, 2019, 11:47am EST", "Chris Pokorny"},
        {"21/06/2014 Tony Carter All, Books, Kit Reviews", "Tony Carter"},
        {"November 20, 2019 Emiliano Bellini", "Emiliano Bellini"},
        {"* Tanza Loudenback, Business Insider", "Tanza Loudenback"},
        {"Sarah E. Needleman", "Sarah E. Needleman"},
        {"Keith Bradsher contributed reporting from Hong Kong.", "Keith Bradsher"},
        {"By Staff Reports -", ""},
        {"Mike Wall's book about the search for alien life", ""},
        {"By Mike Wall\xE2\x80\x99s team", ""},
        /* roles after commas, as after semicolons */
        {"(Reporting by Greg Roumeliotis, Joshua Franklin, with reporting by Herb Lash and Megan Davies, editing by "
         "Martin Howell.)",
         "Greg Roumeliotis|Joshua Franklin|Herb Lash|Megan Davies|Martin Howell"},
        /* a state after the name is where the writer is */
        {"Elliot Brownstein Florida Today", "Elliot Brownstein"},
        /* beyond ASCII, case is Unicode's (utf8proc): Cyrillic capitals
         * open a name, its lower case does not; Korean has no case */
        {"By \xD0\x98\xD0\xB2\xD0\xB0\xD0\xBD \xD0\x9F\xD0\xB5\xD1\x82\xD1\x80\xD0\xBE\xD0\xB2",
         "\xD0\x98\xD0\xB2\xD0\xB0\xD0\xBD \xD0\x9F\xD0\xB5\xD1\x82\xD1\x80\xD0\xBE\xD0\xB2"}, /* Иван Петров */
        {"By \xD0\xB8\xD0\xB2\xD0\xB0\xD0\xBD \xD0\xBF\xD0\xB5\xD1\x82\xD1\x80\xD0\xBE\xD0\xB2", ""}, /* иван петров */
        /* a sentence of a dozen words with a name in it, an answer's "A:" */
        {"New York Islanders' Brock Nelson (29) puts the winning goal behind the goalie in overtime on Tuesday", ""},
        {"A: Lebron James", ""},
        /* one word is a name only as a first name */
        {"By Regan", "Regan"},
        {"By CNN", ""},
        {"By Israeli", ""},
    };
    const enrich_engine *e = test_engine;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        credit out[CREDITS_MAX_PER_LINE];
        span line = {0, (uint32_t)strlen(cases[i].line)};
        int n = credits_parse_byline(e, cases[i].line, line, out, CREDITS_MAX_PER_LINE);
        char got[256] = "";
        for (int k = 0; k < n; k++) {
            size_t len = strlen(got);
            snprintf(got + len, sizeof got - len, "%s%.*s", k ? "|" : "", (int)span_len(out[k].name),
                     cases[i].line + out[k].name.start);
        }
        ck_assert_msg(strcmp(got, cases[i].names) == 0, "%s: got '%s', want '%s'", cases[i].line, got,
                      cases[i].names);
    }
}
END_TEST

/* Datelines as pages give them: on a line with a time stamp after a bar,
 * opening a paragraph after a summary paragraph; a lone word in lower case
 * above the byline is no dateline. */
START_TEST(layout_page_datelines)
{
    const char *t = "Air purifiers sell out as smog returns\n\n"
                    "New Delhi, News Nation Bureau | Updated : 19 November 2019, 09:01 AM\n\n"
                    "Shops across the capital ran out of air purifiers on Tuesday as a thick smog settled over the city "
                    "for the third day running and schools stayed shut.\n\n"
                    "Doctors told people with breathing problems to stay indoors until the air clears.\n";
    enrich_doc *doc = annotate(t, "2019-11-19");
    ck_assert(doc->dateline.found);
    ck_assert_span(doc, doc->dateline.city, "New Delhi");
    ck_assert_str_eq(doc->dateline.country->code, "IN");
    ck_assert_uint_ge(doc->stamps.n, 1);
    ck_assert_int_eq(doc->stamps.v[0].date.day, 19);
    enrich_doc_free(doc);
    const char *u = "Tennis finals open to mixed reviews\n\nSave\n\n19 November 2019 \xE2\x80\xA2 1:16pm\n\n"
                    "The finals began on Monday with the opening day of the new format at the arena, where crowds were "
                    "thin for the early matches and loud for the late ones.\n";
    doc = annotate(u, "2019-11-19");
    ck_assert(!doc->dateline.found);
    enrich_doc_free(doc);
    /* a photo's caption and its credit between the time stamp and the
     * dateline paragraph: the caption is no story */
    const char *v = "Rivers rout Lakers to clinch a playoff place\n\nStaff and wire reports\n"
                    "Published 10:02 PM EST Nov 19, 2019\nRivers guard Tom Hale drives past a defender\n"
                    "Ann Cole, Associated Press\n\n"
                    "Columbus, Ohio \xE2\x80\x94 Tom Hale scored 31 points and the Rivers beat the Lakers 101-88 on "
                    "Tuesday night to clinch a playoff place with two games left.\n\n"
                    "The Rivers led from the first minute and never trailed.\n";
    doc = annotate(v, "2019-11-19");
    ck_assert(doc->dateline.found);
    ck_assert_span(doc, doc->dateline.city, "Columbus");
    ck_assert_str_ne(role_at(doc, "Rivers guard Tom Hale"), "body");
    enrich_doc_free(doc);
    /* a summary paragraph before the dateline paragraph */
    const char *w = "Study finds short videos hold readers longest\n\n"
                    "Short videos beat long ones on every measure of attention, a study of two million page views "
                    "found.\n\n"
                    "Boston, MA \xE2\x80\x93 Readers watched clips under a minute to the end three times as often as "
                    "longer ones, according to the study published on Monday by a media research group.\n\n"
                    "The group looked at forty news sites over six months.\n";
    doc = annotate(w, "2019-11-19");
    ck_assert(doc->dateline.found);
    ck_assert_span(doc, doc->dateline.city, "Boston");
    ck_assert_str_eq(role_at(doc, "Short videos beat"), "body");
    enrich_doc_free(doc);
    /* a city alone in ordinary capitals under the time stamp, over the
     * story; a section's name there is none */
    const char *x = "Isles rally to win in overtime\n\nAssociated Press\n"
                    "Published 11:26 pm EST, Tuesday, November 19, 2019\n\nPittsburgh\n\n"
                    "Brock Nelson scored 2:55 into overtime to lift the New York Islanders over the Pittsburgh Penguins "
                    "5-4 on Tuesday night and extend their run without a loss to 15 games.\n";
    doc = annotate(x, "2019-11-19");
    ck_assert(doc->dateline.found);
    ck_assert_span(doc, doc->dateline.city, "Pittsburgh");
    enrich_doc_free(doc);
    const char *y = "Isles rally to win in overtime\n\nAssociated Press\n"
                    "Published 11:26 pm EST, Tuesday, November 19, 2019\n\nHockey\n\n"
                    "Brock Nelson scored 2:55 into overtime to lift the New York Islanders over the Pittsburgh Penguins "
                    "5-4 on Tuesday night and extend their run without a loss to 15 games.\n";
    doc = annotate(y, "2019-11-19");
    ck_assert(!doc->dateline.found);
    enrich_doc_free(doc);
    /* share buttons where a dateline could stand are no dateline paragraph */
    const char *z = "Band sets a reunion tour for next summer\n\nBy Lars Brandle\n\n"
                    "* FACEBOOK | * TWITTER | * EMAIL ME\n\nClay Patrick McBride\n\nDoobie Brothers\n\n"
                    "A half century on, the band is still touring, and it will play thirty cities next summer in its "
                    "longest run of shows in a quarter of a century.\n";
    doc = annotate(z, "2019-11-19");
    ck_assert_str_eq(role_at(doc, "* FACEBOOK"), "boilerplate");
    enrich_doc_free(doc);
}
END_TEST

/* Photo credits as captions close them. */
START_TEST(layout_photo_credit_shapes)
{
    static const struct {
        const char *line, *names;
    } cases[] = {
        {"He did not get it.Credit...Doug Mills/The New York Times", "Doug Mills"},
        {"A farmer at his table in Limon, Colo. (AP Photo/Jenny Olsen)", "Jenny Olsen"},
        {"(Reed Saxon / Associated Press)", "Reed Saxon"},
        {"Photo by Jason Kempin/Getty Images", "Jason Kempin"},
        {"Amy K. Dragoo/AIMMEDIA", "Amy K. Dragoo"},
        {"\xC2\xA9 Aaron Schwartz", "Aaron Schwartz"},
        {"\xC2\xA9 John Brecher Needle poking skin during a flu shot", "John Brecher"},
        {"The road to retiring early isn't easy.Kathrin Ziegler/Getty", "Kathrin Ziegler"},
        {"A man rides a bike through the park on Sunday.", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        credit out[CREDITS_MAX_PER_LINE];
        span line = {0, (uint32_t)strlen(cases[i].line)};
        int n = credits_parse_photo(test_engine, cases[i].line, line, out, CREDITS_MAX_PER_LINE);
        char got[256] = "";
        for (int k = 0; k < n; k++) {
            size_t len = strlen(got);
            snprintf(got + len, sizeof got - len, "%s%.*s", k ? "|" : "", (int)span_len(out[k].name),
                     cases[i].line + out[k].name.start);
        }
        ck_assert_msg(strcmp(got, cases[i].names) == 0, "%s: got '%s', want '%s'", cases[i].line, got,
                      cases[i].names);
    }
}
END_TEST

/* ---- the line-role model: loading, training, tagging -------------------- */

START_TEST(layout_model_loader_rejects_damage)
{
    lines_model m;
    enrich_error err;
    ck_assert_int_eq(lines_model_load(&m, "", 0, &err), ENRICH_OK); /* empty: every line body */
    ck_assert_uint_eq(m.n_features, 0);
    lines_model_free(&m);
    const char *good = "# comment\n00000000000000ff 1 0 0 0 0 0 0 0 0 0 0 -2.5\n";
    ck_assert_int_eq(lines_model_load(&m, good, strlen(good), &err), ENRICH_OK);
    ck_assert_uint_eq(m.n_features, 1);
    lines_model_free(&m);
    static const char *const bad[] = {
        "zz 1 2 3\n",                                          /* no hash */
        "00000000000000ff 1 0 0\n",                            /* a short row */
        "00000000000000ff 1 0 0 0 0 0 0 0 0 0 0 nan\n",        /* not finite */
        "0000000000000000 1 0 0 0 0 0 0 0 0 0 0 0\n",          /* the empty key */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_int_eq(lines_model_load(&m, bad[i], strlen(bad[i]), &err), ENRICH_ERR_DATA);
        ck_assert_ptr_nonnull(strstr(err.message, "line 1"));
    }
    /* the engine refuses a broken model at creation */
    enrich_engine_config cfg;
    enrich_engine_config_init(&cfg);
    cfg.layout_model = bad[1];
    cfg.layout_model_len = strlen(bad[1]);
    ck_assert_ptr_null(enrich_engine_new_with(&cfg, &err));
    ck_assert_int_eq(err.code, ENRICH_ERR_DATA);
}
END_TEST

/* Pages written for this test: a headline, a byline, body, a related list. */
static const char *const train_pages[] = {
    "Council backs new bridge plan\n\nBy Ann Lee\n\nThe council voted on Tuesday to build a new bridge over the river, "
    "ending years of debate about traffic in the old town and the cost of repairs to the present one.\n\n"
    "Work starts in spring and should end within three years, officials said at a meeting with residents.\n\n"
    "Related\n\nRiver traffic rises again this summer\n\nTown hall opens new library wing\n",
    "Storm closes schools across the region\n\nBy Tom Park\n\nHeavy snow closed schools in four counties on Monday, "
    "and officials asked drivers to stay off the roads until the ploughs could clear the main routes.\n\n"
    "More snow is expected overnight, the weather service said in its latest forecast for the area.\n\n"
    "Related\n\nPloughs work through the night in the hills\n\nBus routes cut as ice covers roads\n",
};
static const char *const train_roles[] = {"HYBBKRR", "HYBBKRR"};

START_TEST(layout_trainer_is_deterministic_and_tags)
{
    enrich_layout_sample s[2];
    for (int i = 0; i < 2; i++)
        s[i] = (enrich_layout_sample){train_pages[i], strlen(train_pages[i]), train_roles[i]};
    char *m1 = NULL, *m2 = NULL;
    size_t l1 = 0, l2 = 0;
    enrich_error err;
    ck_assert_int_eq(enrich_layout_train(test_engine, s, 2, 0, 0, 5, 1, 1, 1, &m1, &l1, &err), ENRICH_OK);
    ck_assert_int_eq(enrich_layout_train(test_engine, s, 2, 0, 0, 5, 1, 1, 1, &m2, &l2, &err), ENRICH_OK);
    ck_assert_uint_eq(l1, l2);
    ck_assert(memcmp(m1, m2, l1) == 0); /* the same data, the same bytes */
    /* the model gives a page of the same shape its roles */
    const char *page = "Port strike ends after two weeks\n\nBy Eva Moss\n\nDock workers returned to work on Friday after "
                       "a two-week strike that had left ships waiting off the coast and shops short of goods.\n\n"
                       "The union said its members would vote on the new contract next month, officials said.\n\n"
                       "Related\n\nShips wait off the coast for a berth\n\nShops run short of fresh fruit\n";
    char *roles = NULL;
    ck_assert_int_eq(enrich_layout_roles(test_engine, m1, l1, page, strlen(page), &roles, &err), ENRICH_OK);
    ck_assert_str_eq(roles, "HYBBKRR");
    free(roles);
    /* held out: a fold trains on the other samples only */
    char *m3 = NULL;
    size_t l3 = 0;
    ck_assert_int_eq(enrich_layout_train(test_engine, s, 2, 2, 0, 5, 1, 1, 1, &m3, &l3, &err), ENRICH_OK);
    ck_assert(l3 != l1 || memcmp(m1, m3, l1) != 0);
    free(m1);
    free(m2);
    free(m3);
    /* labels that do not match the lines are refused, naming the sample */
    s[1].roles = "HYB";
    ck_assert_int_eq(enrich_layout_train(test_engine, s, 2, 0, 0, 5, 1, 1, 1, &m1, &l1, &err), ENRICH_ERR_ARG);
    ck_assert_ptr_nonnull(strstr(err.message, "sample 1"));
    s[1].roles = "HYBBKRQ";
    ck_assert_int_eq(enrich_layout_train(test_engine, s, 2, 0, 0, 5, 1, 1, 1, &m1, &l1, &err), ENRICH_ERR_ARG);
    ck_assert_ptr_nonnull(strstr(err.message, "role letter"));
    /* a model given by the caller is checked */
    ck_assert_int_eq(enrich_layout_roles(test_engine, "zz\n", 3, page, strlen(page), &roles, &err), ENRICH_ERR_DATA);
}
END_TEST

/* Lines: blank lines and deeper indentation open blocks; a line of white
 * space is blank; carriage returns are no part of a line. */
START_TEST(layout_lines_and_blocks)
{
    const char *t = "Head\r\n\r\nOne\ntwo\n    three\n \xC2\xA0\nfour\n";
    line_info *L = NULL;
    long n = lines_split(t, (uint32_t)strlen(t), &L);
    ck_assert_int_eq(n, 5);
    ck_assert_uint_eq(span_len(L[0].s), 4);
    ck_assert_uint_eq(L[1].block, L[2].block);  /* One, two */
    ck_assert_uint_ne(L[2].block, L[3].block);  /* three is indented */
    ck_assert_uint_ne(L[3].block, L[4].block);  /* a line of spaces is blank */
    ck_assert(L[0].blank_after && L[3].blank_after && !L[1].blank_after);
    free(L);
    ck_assert_int_eq(lines_split("", 0, &L), 0);
    free(L);
}
END_TEST

Suite *layout_suite(void)
{
    Suite *s = suite_create("layout");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, layout_web_copy_paste);
    tcase_add_test(tc, layout_wire_copy_with_indented_paragraphs);
    tcase_add_test(tc, layout_byline_under_headline);
    tcase_add_test(tc, layout_uniform_indent_is_no_paragraph_break);
    tcase_add_test(tc, layout_subheadline_needs_an_anchor);
    tcase_add_test(tc, layout_plain_paragraph_has_no_headline);
    tcase_add_test(tc, layout_crlf_and_inline_related);
    tcase_add_test(tc, layout_heading_and_links_in_one_block);
    tcase_add_test(tc, layout_heading_without_links_is_body);
    tcase_add_test(tc, layout_credit_block_at_the_end);
    tcase_add_test(tc, layout_related_forms);
    tcase_add_test(tc, layout_line_roles_on_a_page);
    tcase_add_test(tc, layout_line_roles_on_wire_copy);
    tcase_add_test(tc, layout_byline_shapes);
    tcase_add_test(tc, layout_page_datelines);
    tcase_add_test(tc, layout_comment_form_is_no_comments);
    tcase_add_test(tc, layout_related_titles_without_their_credits);
    tcase_add_test(tc, layout_caption_closing_on_a_credit);
    tcase_add_test(tc, layout_story_cards);
    tcase_add_test(tc, layout_long_lines_are_paragraphs);
    tcase_add_test(tc, layout_photo_credit_shapes);
    tcase_add_test(tc, layout_model_loader_rejects_damage);
    tcase_add_test(tc, layout_trainer_is_deterministic_and_tags);
    tcase_add_test(tc, layout_lines_and_blocks);
    suite_add_tcase(s, tc);
    return s;
}
