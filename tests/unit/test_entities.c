/*
 * test_entities.c - tokens, the entity rules and resolution, custom
 * dictionaries, the model loader and the trainer.
 */
#include <stdlib.h>

#include "dictionary.h"
#include "enginep.h"
#include "entities.h"
#include "fold.h"
#include "ner.h"
#include "phrases.h"
#include "unit.h"

/* ---- tokens ------------------------------------------------------------------ */

static const char *tokens_of(const char *t)
{
    static char out[2048];
    enrich_doc *doc = annotate(t, NULL);
    out[0] = '\0';
    for (uint32_t s = 0; s < doc->sentences.n; s++) {
        for (uint32_t k = 0; k < doc->sentences.v[s].count; k++) {
            const token *tk = &doc->tokens.v[doc->sentences.v[s].first + k];
            size_t len = strlen(out);
            snprintf(out + len, sizeof out - len, "%s%.*s", k ? " " : (s ? " | " : ""), (int)span_len(tk->s),
                     doc->text + tk->s.start);
        }
    }
    enrich_doc_free(doc);
    return out;
}

START_TEST(tokens_split_like_conll)
{
    ck_assert_str_eq(tokens_of("Korea\xE2\x80\x99s arms don't sell, he said."),
                     "Korea \xE2\x80\x99s arms do n't sell , he said .");
    ck_assert_str_eq(tokens_of("The U.S. and Acme Inc. rose 2.5% to 1,750."),
                     "The U.S. and Acme Inc. rose 2.5% to 1,750 .");
    ck_assert_str_eq(tokens_of("\xE2\x80\x9CWe strongly condemn,\xE2\x80\x9D the leaders said."),
                     "\xE2\x80\x9C We strongly condemn , \xE2\x80\x9D the leaders said .");
    ck_assert_str_eq(tokens_of("U.S.-led talks (in Geneva) ended. Next week"),
                     "U.S.-led talks ( in Geneva ) ended . | Next week");
    ck_assert_str_eq(tokens_of("1. Chris Boardman"), "1. Chris Boardman");
    ck_assert_str_eq(tokens_of("UouronA\xF0\x9F\x98\x80 Agri"), "UouronA\xF0\x9F\x98\x80 Agri");
    /* a name glued to its repetition by a hover card splits, and the
     * repetition starts anew; brand names in camel case do not split */
    ck_assert_str_eq(tokens_of("Gov. Maria LopezMaria Ann LopezTexas news MORE said"),
                     "Gov. Maria Lopez | Maria Ann Lopez | Texas news MORE said");
    ck_assert_str_eq(tokens_of("Rock fans use BlackRock and WhatsApp daily"),
                     "Rock fans use BlackRock and WhatsApp daily");
}
END_TEST

/* ner_spans over labels written as "O B-ORG L-PER ...": "cls:first-last ..." */
static void span_out(void *ud, int cls, uint32_t a, uint32_t b)
{
    char *out = ud;
    size_t len = strlen(out);
    snprintf(out + len, 256 - len, "%s%d:%u-%u", len ? " " : "", cls, a, b);
}

static const char *spans_of(const char *labels)
{
    static char out[256];
    static const char *const cls[] = {"PER", "ORG", "LOC", "MISC"}, pos[] = "BILU";
    token tk[32];
    uint32_t n = 0;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", labels);
    for (char *save = NULL, *w = strtok_r(buf, " ", &save); w && n < 32; w = strtok_r(NULL, " ", &save)) {
        memset(&tk[n], 0, sizeof tk[n]);
        for (int c = 0; c < 4 && w[0] != 'O'; c++)
            if (strcmp(w + 2, cls[c]) == 0)
                tk[n].label = (uint8_t)(1 + 4 * c + (int)(strchr(pos, w[0]) - pos));
        n++;
    }
    out[0] = '\0';
    ner_spans(tk, 0, n, span_out, out);
    return out;
}

START_TEST(tagger_labels_repaired_into_spans)
{
    ck_assert_str_eq(spans_of("O B-PER L-PER O U-LOC"), "0:1-2 2:4-4");
    /* a name goes on with another class: one name, the later class */
    ck_assert_str_eq(spans_of("B-ORG L-PER O"), "0:0-1");
    ck_assert_str_eq(spans_of("B-LOC I-ORG L-ORG"), "1:0-2");
    /* B or U of another class, or O, ends it; so does the sentence */
    ck_assert_str_eq(spans_of("B-ORG B-PER L-PER"), "1:0-0 0:1-2");
    ck_assert_str_eq(spans_of("B-ORG I-ORG O U-ORG"), "1:0-1 1:3-3");
    ck_assert_str_eq(spans_of("O I-LOC"), "2:1-1");
}
END_TEST

START_TEST(tokens_sentences_and_lines)
{
    /* Short lines end sentences; wrapped prose does not. */
    ck_assert_str_eq(tokens_of("Peter Blackburn\nBRUSSELS 1996-08-22\nThe European Commission said on Thursday it "
                               "disagreed with\nGerman advice to shun British lamb ."),
                     "Peter Blackburn | BRUSSELS 1996-08-22 | The European Commission said on Thursday it "
                     "disagreed with German advice to shun British lamb .");
    enrich_doc *doc = annotate("HEADLINE HERE\n\nBody text here.", NULL);
    ck_assert(doc->tokens.v[0].flags & TOK_CAPS_LINE);
    ck_assert_int_eq(doc->tokens.v[0].region, REGION_HEADLINE);
    ck_assert(doc->tokens.v[0].flags & TOK_SENT_START);
    enrich_doc_free(doc);
}
END_TEST

Suite *tokens_suite(void)
{
    Suite *s = suite_create("tokens");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, tokens_split_like_conll);
    tcase_add_test(tc, tokens_sentences_and_lines);
    tcase_add_test(tc, tagger_labels_repaired_into_spans);
    suite_add_tcase(s, tc);
    return s;
}

/* ---- entities ------------------------------------------------------------------ */

/* The entity named name (NULL if none), from a response object. */
static json_t *entity_named(json_t *resp, const char *name)
{
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(resp, "entities"), i, e)
        if (strcmp(json_string_value(json_object_get(e, "name")), name) == 0)
            return e;
    return NULL;
}

static int has_mention(json_t *e, const char *text)
{
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(e, "mentions"), i, m)
        if (strcmp(json_string_value(json_object_get(m, "text")), text) == 0)
            return 1;
    return 0;
}

static json_t *respond_engine(const enrich_engine *e, const char *t)
{
    enrich_error err;
    enrich_doc *doc = enrich_annotate(e, t, strlen(t), NULL, &err);
    ck_assert_ptr_nonnull(doc);
    json_t *j = enrich_doc_json(doc);
    enrich_doc_free(doc);
    return j;
}

static json_t *respond(const char *t)
{
    return respond_engine(test_engine, t);
}

START_TEST(entities_country_aliases_are_one_country)
{
    json_t *j = respond("Talks stall\n\nThe Democratic People\xE2\x80\x99s Republic of Korea, or DPRK, is North Korea\xE2\x80\x99s "
                        "official name. The DPRK fired a missile, Seoul said.\n");
    json_t *nk = entity_named(j, "North Korea");
    ck_assert_ptr_nonnull(nk);
    ck_assert_str_eq(json_string_value(json_object_get(nk, "type")), "GPE");
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(nk, "links"), "iso3166")), "KP");
    ck_assert(has_mention(nk, "Democratic People\xE2\x80\x99s Republic of Korea"));
    ck_assert(has_mention(nk, "DPRK"));
    ck_assert(has_mention(nk, "North Korea")); /* without the possessive */
    ck_assert_ptr_null(entity_named(j, "The Democratic People\xE2\x80\x99s Republic of Korea"));
    json_decref(j);
}
END_TEST

START_TEST(entities_compass_word_is_the_country_named)
{
    /* "the North" is North Korea when the story names it; the nationality
     * links to the country's code and stays NORP */
    json_t *j = respond("Arms deal\n\nNATO condemned North Korea's arms exports. Officials said the North "
                        "shipped shells, and a North Korean envoy denied it.\n");
    json_t *nk = entity_named(j, "North Korea");
    ck_assert_ptr_nonnull(nk);
    ck_assert(has_mention(nk, "North"));
    ck_assert_ptr_null(entity_named(j, "North"));
    json_t *norp = entity_named(j, "North Korean");
    ck_assert_ptr_nonnull(norp);
    ck_assert_str_eq(json_string_value(json_object_get(norp, "type")), "NORP");
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(norp, "links"), "iso3166")), "KP");
    json_decref(j);
    /* no northern country named, or a place going on after it: no join */
    j = respond("Storm\n\nSnow fell across the North on Monday, and ships crossed the North Atlantic.\n");
    ck_assert_ptr_null(entity_named(j, "North Korea"));
    json_decref(j);
    /* two northern countries: "the North" is neither */
    j = respond("Talks\n\nNorth Korea and North Macedonia met. Officials said the North agreed.\n");
    nk = entity_named(j, "North Korea");
    ck_assert_ptr_nonnull(nk);
    ck_assert(!has_mention(nk, "North"));
    json_decref(j);
}
END_TEST

START_TEST(entities_us_forms_are_one_country)
{
    json_t *j = respond("Trade row\n\nThe United States and China traded barbs. U.S. officials said the US would "
                        "respond.\n");
    json_t *us = entity_named(j, "United States");
    ck_assert_ptr_nonnull(us);
    ck_assert(has_mention(us, "U.S."));
    ck_assert(has_mention(us, "United States"));
    json_decref(j);
}
END_TEST

START_TEST(entities_joined_places_split)
{
    json_t *j = respond("Deal\n\nThe North Korea-Russia arms deal worried Japan. Officials from Japan, Russia met.\n");
    json_t *nk = entity_named(j, "North Korea"), *ru = entity_named(j, "Russia");
    ck_assert_ptr_nonnull(nk);
    ck_assert_ptr_nonnull(ru);
    ck_assert(has_mention(nk, "North Korea"));
    ck_assert(has_mention(ru, "Russia"));
    ck_assert_ptr_null(entity_named(j, "North Korea-Russia"));
    json_decref(j);
}
END_TEST

START_TEST(entities_keep_the_bracket_they_open)
{
    /* a club's town in brackets is part of its name, the bracket closed */
    json_t *j = respond("Results\n\nMladost (L) beat Partizan 2-1 in Belgrade on Sunday.\n");
    json_t *e = entity_named(j, "Mladost (L)");
    ck_assert_ptr_nonnull(e);
    ck_assert_ptr_null(entity_named(j, "Mladost (L"));
    json_decref(j);
}
END_TEST

START_TEST(entities_story_context_types_a_name)
{
    /* an unknown name that "said it" is a thing (with no cue, none) */
    json_t *j = respond("Comelf said it almost doubled output. Comelf exported 59 percent of its output.\n");
    json_t *e = entity_named(j, "Comelf");
    ck_assert_ptr_nonnull(e);
    ck_assert_str_eq(json_string_value(json_object_get(e, "type")), "ORG");
    json_decref(j);
    /* a job title after it, in lower case: its staff's title */
    j = respond("Kelvara chief executive Anna Moss resigned on Monday. Kelvara shares fell 5 percent.\n");
    e = entity_named(j, "Kelvara");
    ck_assert_ptr_nonnull(e);
    ck_assert_str_eq(json_string_value(json_object_get(e, "type")), "ORG");
    json_decref(j);
}
END_TEST

START_TEST(entities_known_organisations)
{
    /* the list of well-known organisations is a tagger feature */
    const phrase_table *pt = &test_engine->phrases;
    static const char *const known[] = {"Instagram", "Goldman Sachs", "World Health Organization", "NATO"};
    for (size_t k = 0; k < sizeof known / sizeof known[0]; k++) {
        const phrase *ph = phrases_find(pt, phrases_hash_name(known[k], strlen(known[k])));
        ck_assert_msg(ph && (ph->lists & PH_ORG), "%s is not on the list", known[k]);
    }
    /* a word as common in lower case as capitalised stays off it */
    const phrase *who = phrases_find(pt, phrases_hash_name("WHO", 3));
    ck_assert(!who || !(who->lists & PH_ORG));
    /* a platform the 1996 training text never names */
    json_t *j = respond("Instagram removed the posts on Tuesday, a spokeswoman said.\n");
    json_t *e = entity_named(j, "Instagram");
    ck_assert_ptr_nonnull(e);
    ck_assert_str_eq(json_string_value(json_object_get(e, "type")), "ORG");
    json_decref(j);
}
END_TEST

START_TEST(entities_open_names_drop_their_joints)
{
    /* the tagger goes on past "of" and stops: the name ends before it */
    json_t *j = respond("Kia Motor Corp of South Korea said on Monday it would cut output.\n");
    ck_assert_ptr_nonnull(entity_named(j, "Kia Motor Corp"));
    ck_assert_ptr_null(entity_named(j, "Kia Motor Corp of"));
    json_decref(j);
}
END_TEST

START_TEST(entities_have_a_capital)
{
    /* whatever the tagger says, a name has a capital or letters beyond
     * ASCII: no number, no word in lower case */
    static const char *const texts[] = {
        "In after hours trading the September future on LIFFE was trading at 122.53 , up 0.26 from "
        "Thursday 's settlement price on the Tokyo Stock Exchange .\n",
        "Quigley ( USA ) 3:42.852\nNatalia Karimova ( Russia ) 3:40.036 beat Yvonne McGregor\n",
    };
    for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
        json_t *j = respond(texts[k]);
        size_t i, n;
        json_t *e, *m;
        json_array_foreach(json_object_get(j, "entities"), i, e) json_array_foreach(json_object_get(e, "mentions"), n, m)
        {
            const char *t = json_string_value(json_object_get(m, "text"));
            int cap = 0;
            for (const char *p = t; *p; p++)
                cap |= (*p >= 'A' && *p <= 'Z') || (unsigned char)*p >= 0x80;
            ck_assert_msg(cap, "mention without a capital: %s", t);
        }
        json_decref(j);
    }
}
END_TEST

START_TEST(entities_persons_back_to_back_are_one)
{
    /* "Li" and "Song-ho" tagged apart, nothing but a space between */
    json_t *j = respond("North Korean Red Cross president Li Song-ho said in a telephone message to his "
                        "southern counterpart, Kang Young-hoon.\n");
    json_t *e = entity_named(j, "Li Song-ho");
    ck_assert_ptr_nonnull(e);
    ck_assert_str_eq(json_string_value(json_object_get(e, "type")), "PERSON");
    ck_assert_ptr_null(entity_named(j, "Song-ho"));
    ck_assert_ptr_null(entity_named(j, "Li"));
    json_decref(j);
    /* a comma between two people keeps them two */
    j = respond("Mark Brooks, Tom Lehman and Mark O'Meara took the week off.\n");
    ck_assert_ptr_nonnull(entity_named(j, "Mark Brooks"));
    ck_assert_ptr_nonnull(entity_named(j, "Tom Lehman"));
    json_decref(j);
}
END_TEST

START_TEST(entities_short_names_join_the_full_name)
{
    json_t *j = respond("Leaders meet\n\nSouth Korean President Yoon Suk Yeol met Japanese Prime Minister Fumio "
                        "Kishida on Wednesday. Yoon said the talks went well, and Kishida agreed.\n");
    json_t *y = entity_named(j, "Yoon Suk Yeol"), *k = entity_named(j, "Fumio Kishida");
    ck_assert_ptr_nonnull(y);
    ck_assert_ptr_nonnull(k);
    ck_assert(has_mention(y, "Yoon"));
    ck_assert(has_mention(k, "Kishida"));
    ck_assert_ptr_null(entity_named(j, "Yoon"));
    ck_assert_str_eq(json_string_value(json_object_get(y, "type")), "PERSON");
    json_decref(j);
    /* a surname joins its two-word name whatever type the tagger gave both
     * (today: organization, for the "-s" ending) */
    j = respond("Voters weigh in\n\nEyamba Sowers did not know Patrick was coming to the gathering. "
                "\"He has me thinking now,\" Sowers said.\n");
    y = entity_named(j, "Eyamba Sowers");
    ck_assert_ptr_nonnull(y);
    ck_assert(has_mention(y, "Sowers"));
    ck_assert_ptr_null(entity_named(j, "Sowers"));
    json_decref(j);
    /* a short form of the first name is the same person; a different first
     * name is not */
    j = respond("Air study out\n\nJoshua Apte, a professor of engineering, led the study. Josh Apte said the "
                "air was worse in winter. Maria Apte, his sister, said nothing.\n");
    y = entity_named(j, "Joshua Apte");
    ck_assert_ptr_nonnull(y);
    ck_assert(has_mention(y, "Josh Apte"));
    ck_assert_ptr_null(entity_named(j, "Josh Apte"));
    ck_assert_ptr_nonnull(entity_named(j, "Maria Apte"));
    json_decref(j);
    /* a given name alone keeps a title that names the person with it; a
     * generational suffix is part of the name */
    j = respond("Royal visit ends\n\nPrince Andrew left Woking on Monday. Andrew said little. David Miller Jr., "
                "55, watched, and John Smith, Jr. waved.\n");
    ck_assert_ptr_nonnull(entity_named(j, "Prince Andrew"));
    ck_assert_ptr_null(entity_named(j, "Andrew"));
    y = entity_named(j, "David Miller Jr.");
    ck_assert_ptr_nonnull(y);
    ck_assert_ptr_null(entity_named(j, "Jr."));
    ck_assert(has_mention(entity_named(j, "John Smith, Jr."), "John Smith, Jr."));
    json_decref(j);
}
END_TEST

START_TEST(entities_places_and_links)
{
    json_t *j = respond("Summit ends\n\nTaipei, Taiwan\n\nLeaders met at Camp David and in Washington to talk "
                        "about East Asia.\n");
    json_t *taipei = entity_named(j, "Taipei"), *cd = entity_named(j, "Camp David");
    ck_assert_ptr_nonnull(taipei);
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(taipei, "links"), "geonames")), 1668341);
    ck_assert_ptr_nonnull(entity_named(j, "Taiwan"));
    ck_assert_ptr_nonnull(cd);
    ck_assert_str_eq(json_string_value(json_object_get(cd, "type")), "FAC");
    json_t *dc = entity_named(j, "Washington");
    ck_assert_ptr_nonnull(dc); /* the city, not the state */
    ck_assert(json_is_null(json_object_get(json_object_get(dc, "links"), "iso3166")));
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(dc, "links"), "geonames")), 4140963);
    json_t *ea = entity_named(j, "East Asia");
    ck_assert_ptr_nonnull(ea);
    ck_assert_str_eq(json_string_value(json_object_get(ea, "type")), "LOC");
    json_decref(j);
}
END_TEST

START_TEST(entities_none_in_related_or_credits)
{
    json_t *j = respond("Markets rise\n\nStocks rose in Tokyo on Monday.\n\nRELATED STORIES\n\n"
                        "Nikkei hits record as Toyota gainsOpens in new window\xC2\xA0]\n\nEdited by Mike Firn.\n");
    ck_assert_ptr_null(entity_named(j, "Toyota"));
    ck_assert_ptr_null(entity_named(j, "Mike Firn"));
    ck_assert_ptr_nonnull(entity_named(j, "Tokyo"));
    json_decref(j);
}
END_TEST

START_TEST(entities_salience_sums_to_one)
{
    json_t *j = respond("NATO meets in Brussels\n\nNATO leaders met in Brussels. Britain and France spoke.\n");
    double sum = 0, nato = 0, other = 1;
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(j, "entities"), i, e) {
        double s = json_real_value(json_object_get(e, "salience"));
        ck_assert(s >= 0 && s <= 1);
        sum += s;
        if (strcmp(json_string_value(json_object_get(e, "name")), "NATO") == 0)
            nato = s;
        else if (strcmp(json_string_value(json_object_get(e, "name")), "France") == 0)
            other = s;
    }
    ck_assert(sum > 0.99 && sum < 1.01);
    ck_assert(nato > other); /* in the headline and twice */
    json_decref(j);
}
END_TEST

Suite *entities_suite(void)
{
    Suite *s = suite_create("entities");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, entities_country_aliases_are_one_country);
    tcase_add_test(tc, entities_compass_word_is_the_country_named);
    tcase_add_test(tc, entities_keep_the_bracket_they_open);
    tcase_add_test(tc, entities_us_forms_are_one_country);
    tcase_add_test(tc, entities_joined_places_split);
    tcase_add_test(tc, entities_short_names_join_the_full_name);
    tcase_add_test(tc, entities_story_context_types_a_name);
    tcase_add_test(tc, entities_known_organisations);
    tcase_add_test(tc, entities_open_names_drop_their_joints);
    tcase_add_test(tc, entities_persons_back_to_back_are_one);
    tcase_add_test(tc, entities_have_a_capital);
    tcase_add_test(tc, entities_places_and_links);
    tcase_add_test(tc, entities_none_in_related_or_credits);
    tcase_add_test(tc, entities_salience_sums_to_one);
    suite_add_tcase(s, tc);
    return s;
}

/* ---- dictionaries --------------------------------------------------------------- */

START_TEST(dictionary_loads_and_wins)
{
    const char *dict = "# newsroom entries\n"
                       "Acme Rockets\tORG\tAcme|ARC\tQ42\r\n"
                       "\n"
                       "Jo Bloggs\tPERSON\t\t\n"
                       /* a name with marks is cut as the text is ("Zeta" "," "Inc.") */
                       "Zeta, Inc.\tORG\t\tQ7\n";
    enrich_engine_config cfg;
    enrich_engine_config_init(&cfg);
    cfg.dictionary = dict;
    cfg.dictionary_len = strlen(dict);
    enrich_error err;
    enrich_engine *e = enrich_engine_new_with(&cfg, &err);
    ck_assert_msg(e != NULL, "%s", err.message);
    json_t *j = respond_engine(e, "Acme Rockets hires\n\nARC said Jo Bloggs joins Acme; an acme of skill.\n");
    json_t *acme = entity_named(j, "Acme Rockets");
    ck_assert_ptr_nonnull(acme);
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(acme, "links"), "id")), "Q42");
    ck_assert(has_mention(acme, "ARC"));
    ck_assert(has_mention(acme, "Acme"));
    ck_assert(!has_mention(acme, "acme")); /* a lower-case word is no name */
    json_decref(j);
    j = respond_engine(e, "Deal done\n\nZeta, Inc. said it would buy the firm.\n");
    json_t *zeta = entity_named(j, "Zeta, Inc.");
    ck_assert_ptr_nonnull(zeta);
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(zeta, "links"), "id")), "Q7");
    json_decref(j);
    j = respond_engine(e, "Acme Rockets hires\n\nARC said Jo Bloggs joins Acme; an acme of skill.\n");
    json_t *jo = entity_named(j, "Jo Bloggs");
    ck_assert_ptr_nonnull(jo);
    ck_assert_str_eq(json_string_value(json_object_get(jo, "type")), "PERSON");
    ck_assert(json_is_null(json_object_get(json_object_get(jo, "links"), "id")));
    json_decref(j);
    enrich_engine_free(e);
}
END_TEST

START_TEST(dictionary_bad_lines_name_their_number)
{
    static const struct {
        const char *text;
        const char *message;
    } cases[] = {
        {"Acme\tORG\n\nBeta\n", "dictionary line 3: expected"},
        {"Acme\tCOMPANY\n", "dictionary line 1: type 'COMPANY'"},
        {"Acme\tORG\nBeta\tORG\ta|b\tid\textra\n", "dictionary line 2: expected"},
        {"\tORG\n", "dictionary line 1: the name is empty"},
        {"ok\tORG\nbad \xFF\tORG\n", "dictionary line 2: not valid UTF-8"},
        {"One Two Three Four Five Six Seven\tORG\n", "dictionary line 1: the name has more than"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        dictionary d;
        enrich_error err;
        memset(&err, 0, sizeof err);
        ck_assert_int_eq(dictionary_load(&d, cases[i].text, strlen(cases[i].text), &err), ENRICH_ERR_DATA);
        ck_assert_msg(strncmp(err.message, cases[i].message, strlen(cases[i].message)) == 0, "got '%s'",
                      err.message);
    }
    enrich_engine_config cfg;
    enrich_engine_config_init(&cfg);
    cfg.dictionary = "x\ty\n";
    cfg.dictionary_len = 4;
    enrich_error err;
    ck_assert_ptr_null(enrich_engine_new_with(&cfg, &err));
    ck_assert_int_eq(err.code, ENRICH_ERR_DATA);
}
END_TEST

Suite *dictionary_suite(void)
{
    Suite *s = suite_create("dictionary");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, dictionary_loads_and_wins);
    tcase_add_test(tc, dictionary_bad_lines_name_their_number);
    suite_add_tcase(s, tc);
    return s;
}

/* ---- the model and the trainer ----------------------------------------------------- */

/* A small CoNLL file written for these tests (IOB1 as CoNLL-2003 has it). */
static const char train_file[] =
    "-DOCSTART- -X- O O\n\n"
    "Anna NNP I-NP I-PER\nSmith NNP I-NP I-PER\nvisited VBD I-VP O\nParis NNP I-NP I-LOC\n. . O O\n\n"
    "Acme NNP I-NP I-ORG\nCorp NNP I-NP I-ORG\nhired VBD I-VP O\nAnna NNP I-NP I-PER\n. . O O\n\n"
    "-DOCSTART- -X- O O\n\n"
    "Paris NNP I-NP I-LOC\nwelcomed VBD I-VP O\nGerman JJ I-NP I-MISC\nvisitors NNS I-NP O\n. . O O\n";

START_TEST(trainer_is_deterministic_and_model_loads)
{
    const char *files[] = {train_file};
    size_t lens[] = {sizeof train_file - 1};
    enrich_train_options o;
    enrich_train_options_init(&o);
    o.epochs = 5;
    void *m1 = NULL, *m2 = NULL;
    size_t l1 = 0, l2 = 0;
    enrich_error err;
    ck_assert_int_eq(enrich_train(test_engine, files, lens, 1, &o, &m1, &l1, &err), ENRICH_OK);
    ck_assert_int_eq(enrich_train(test_engine, files, lens, 1, &o, &m2, &l2, &err), ENRICH_OK);
    ck_assert_uint_eq(l1, l2);
    ck_assert(memcmp(m1, m2, l1) == 0); /* the same data, the same bytes */
    /* The model tags what it learned. */
    enrich_engine_config cfg;
    enrich_engine_config_init(&cfg);
    cfg.model = m1;
    cfg.model_len = l1;
    enrich_engine *e = enrich_engine_new_with(&cfg, &err);
    ck_assert_msg(e != NULL, "%s", err.message);
    /* a text of the training documents' shape: a sentence a line, the
     * first standing as the headline, as layout reads them */
    json_t *j = respond_engine(e, "Anna Smith visited Paris .\nAcme Corp hired Anna .");
    json_t *anna = entity_named(j, "Anna Smith");
    ck_assert_ptr_nonnull(anna);
    ck_assert_str_eq(json_string_value(json_object_get(anna, "type")), "PERSON");
    json_decref(j);
    enrich_engine_free(e);
    free(m1);
    free(m2);
}
END_TEST

START_TEST(word_classes_learned_and_kept_by_the_model)
{
    /* A tiny corpus where "paris" and "london" share their neighbours. */
    static const char *const texts[] = {
        "She flew to Paris on Monday. He flew to London on Monday.",
        "They live in Paris now. They live in London now.",
        "She flew to Rome on Friday. He lives in Rome now.",
    };
    size_t lens[3];
    for (int i = 0; i < 3; i++)
        lens[i] = strlen(texts[i]);
    enrich_cluster_options co = {{4, 8}, 2, 5};
    char *t1 = NULL, *t2 = NULL;
    size_t n1 = 0, n2 = 0;
    enrich_error err;
    ck_assert_int_eq(enrich_cluster_train(test_engine, texts, lens, 3, &co, &t1, &n1, &err), ENRICH_OK);
    ck_assert_int_eq(enrich_cluster_train(test_engine, texts, lens, 3, &co, &t2, &n2, &err), ENRICH_OK);
    ck_assert_uint_eq(n1, n2);
    ck_assert(memcmp(t1, t2, n1) == 0); /* the same texts, the same table */
    ck_assert(t1[0] == '#');
    /* every word line: word, a class below 4, a class below 8; lower case */
    int words = 0;
    for (char *line = strchr(t1, '\n') + 1; *line; line = strchr(line, '\n') + 1) {
        char w[64];
        unsigned a = 99, b = 99;
        ck_assert_int_eq(sscanf(line, "%63[^\t]\t%u\t%u", w, &a, &b), 3);
        ck_assert_uint_lt(a, 4);
        ck_assert_uint_lt(b, 8);
        ck_assert_msg(strcmp(w, "Paris") != 0, "words are folded to lower case");
        words++;
    }
    ck_assert_int_gt(words, 5);
    ck_assert_ptr_nonnull(strstr(t1, "\nparis\t"));
    ck_assert_ptr_null(strstr(t1, "\nfriday\t")); /* seen once: below min_count */
    free(t2);
    t2 = NULL;
    co.classes[1] = 0;
    ck_assert_int_eq(enrich_cluster_train(test_engine, texts, lens, 3, &co, &t2, &n2, &err), ENRICH_ERR_ARG);
    /* A model trained with the classes keeps them (version 3), loads and
     * tags; without them it is version 2. Damaged, it is refused. */
    const char *files[] = {train_file};
    size_t flens[] = {sizeof train_file - 1};
    enrich_train_options o;
    enrich_train_options_init(&o);
    o.epochs = 3;
    o.runs = 2;
    o.clusters = t1;
    o.clusters_len = n1;
    void *m = NULL;
    size_t l = 0;
    ck_assert_int_eq(enrich_train(test_engine, files, flens, 1, &o, &m, &l, &err), ENRICH_OK);
    ck_assert_int_eq(((unsigned char *)m)[8], 3);
    ner_model nm;
    ck_assert_int_eq(ner_model_load(&nm, m, l, 0, &err), ENRICH_OK);
    ck_assert_ptr_nonnull(ner_clusters_of(&nm, fold_hash_bytes((const unsigned char *)"paris", 5)));
    ck_assert_ptr_null(ner_clusters_of(&nm, fold_hash_bytes((const unsigned char *)"friday", 6)));
    ner_model_free(&nm);
    ck_assert_int_eq(ner_model_load(&nm, m, l - 5, 0, &err), ENRICH_ERR_DATA);
    enrich_engine_config cfg;
    enrich_engine_config_init(&cfg);
    cfg.model = m;
    cfg.model_len = l;
    enrich_engine *e = enrich_engine_new_with(&cfg, &err);
    ck_assert_msg(e != NULL, "%s", err.message);
    json_t *j = respond_engine(e, "Anna Smith visited Paris .\nAcme Corp hired Anna .");
    ck_assert_ptr_nonnull(entity_named(j, "Anna Smith"));
    json_decref(j);
    enrich_engine_free(e);
    /* more runs, another model; the same runs, the same bytes */
    void *m2 = NULL;
    size_t l2 = 0;
    o.runs = 1;
    ck_assert_int_eq(enrich_train(test_engine, files, flens, 1, &o, &m2, &l2, &err), ENRICH_OK);
    ck_assert(l2 != l || memcmp(m, m2, l) != 0);
    free(m2);
    o.clusters = NULL;
    ck_assert_int_eq(enrich_train(test_engine, files, flens, 1, &o, &m2, &l2, &err), ENRICH_OK);
    ck_assert_int_eq(((unsigned char *)m2)[8], 2);
    /* a floor on the weights leaves features out: a smaller model that loads */
    void *m3 = NULL;
    size_t l3 = 0;
    o.min_weight = 16000;
    ck_assert_int_eq(enrich_train(test_engine, files, flens, 1, &o, &m3, &l3, &err), ENRICH_OK);
    ck_assert_uint_lt(l3, l2);
    ck_assert_int_eq(ner_model_load(&nm, m3, l3, 0, &err), ENRICH_OK);
    ner_model_free(&nm);
    free(m3);
    free(m2);
    free(m);
    free(t1);
}
END_TEST

START_TEST(trainer_rejects_bad_files)
{
    static const char *const bad[] = {
        "Anna I-PER\nSmith\n",          /* no tag */
        "Anna B-PERSON\n",              /* unknown class */
        "Anna X-PER\n",                 /* unknown prefix */
    };
    for (size_t i = 0; i < 3; i++) {
        const char *files[] = {bad[i]};
        size_t lens[] = {strlen(bad[i])};
        void *m = NULL;
        size_t l = 0;
        enrich_error err;
        ck_assert_int_eq(enrich_train(test_engine, files, lens, 1, NULL, &m, &l, &err), ENRICH_ERR_DATA);
        ck_assert_ptr_nonnull(strstr(err.message, "training file 1, line"));
        ck_assert_ptr_null(m);
    }
    const char *empty[] = {"-DOCSTART- -X- O O\n\n"};
    size_t el[] = {strlen(empty[0])};
    void *m = NULL;
    size_t l = 0;
    enrich_error err;
    ck_assert_int_eq(enrich_train(test_engine, empty, el, 1, NULL, &m, &l, &err), ENRICH_ERR_DATA);
    ck_assert_int_eq(enrich_train(NULL, empty, el, 1, NULL, &m, &l, &err), ENRICH_ERR_ARG);
}
END_TEST

START_TEST(model_loader_rejects_damage)
{
    const char *files[] = {train_file};
    size_t lens[] = {sizeof train_file - 1};
    void *m = NULL;
    size_t l = 0;
    enrich_train_options o;
    enrich_train_options_init(&o);
    o.epochs = 2;
    ck_assert_int_eq(enrich_train(test_engine, files, lens, 1, &o, &m, &l, NULL), ENRICH_OK);
    ner_model nm;
    enrich_error err;
    ck_assert_int_eq(ner_model_load(&nm, m, l - 1, 0, &err), ENRICH_ERR_DATA); /* truncated */
    ck_assert_ptr_nonnull(strstr(err.message, "truncated"));
    ck_assert_int_eq(ner_model_load(&nm, "garbage bytes that are no model at all", 38, 0, &err), ENRICH_ERR_DATA);
    ((unsigned char *)m)[8] = 9; /* version */
    ck_assert_int_eq(ner_model_load(&nm, m, l, 0, &err), ENRICH_ERR_DATA);
    free(m);
}
END_TEST

Suite *trainer_suite(void)
{
    Suite *s = suite_create("trainer");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, trainer_is_deterministic_and_model_loads);
    tcase_add_test(tc, word_classes_learned_and_kept_by_the_model);
    tcase_add_test(tc, trainer_rejects_bad_files);
    tcase_add_test(tc, model_loader_rejects_damage);
    suite_add_tcase(s, tc);
    return s;
}
