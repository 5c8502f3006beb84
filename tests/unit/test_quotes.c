/*
 * test_quotes.c - quotes and their speakers, in stories written for these
 * tests.
 */
#include "unit.h"

/* "quote text~speaker_text~speaker entity's name|..." */
static const char *quotes_of(const char *t)
{
    static char out[2048];
    enrich_doc *doc = annotate(t, "2024-07-11");
    out[0] = '\0';
    for (uint32_t i = 0; i < doc->quotes.n; i++) {
        const quote *q = &doc->quotes.v[i];
        size_t len = strlen(out);
        const char *name = "";
        char buf[128] = "";
        if (q->entity != UINT32_MAX) {
            const entity *e = &doc->entities.v[q->entity];
            if (e->name_str)
                name = e->name_str;
            else
                snprintf(buf, sizeof buf, "%.*s", (int)span_len(e->name), doc->text + e->name.start), name = buf;
        }
        snprintf(out + len, sizeof out - len, "%s%.*s~%.*s~%s", i ? "|" : "", (int)span_len(q->s),
                 doc->text + q->s.start, (int)span_len(q->speaker_text), doc->text + q->speaker_text.start, name);
    }
    enrich_doc_free(doc);
    return out;
}

START_TEST(quotes_attribution_forms)
{
    /* X said, after the quote */
    ck_assert_str_eq(quotes_of("Talks went on.\n\n\xE2\x80\x9CWe are close,\xE2\x80\x9D Angela Merkel said.\n"),
                     "\xE2\x80\x9CWe are close,\xE2\x80\x9D~Angela Merkel~Angela Merkel");
    /* said X */
    ck_assert_str_eq(quotes_of("Talks went on.\n\n\"We are close,\" said Angela Merkel, the chancellor.\n"),
                     "\"We are close,\"~Angela Merkel~Angela Merkel");
    /* said X, X a name that is also a word ("Will") */
    ck_assert_str_eq(quotes_of("Talks went on.\n\n\"We are close,\" said Will Tjernlund, a consultant.\n"),
                     "\"We are close,\"~Will Tjernlund~Will Tjernlund");
    /* words between the quote and "said X"; a verb after an appositive */
    ck_assert_str_eq(quotes_of("Talks went on.\n\n\"Bigger than the little deal\" announced in May, said Derek Scissors, "
                               "a scholar.\n"),
                     "\"Bigger than the little deal\"~Derek Scissors~Derek Scissors");
    ck_assert_str_eq(quotes_of("Talks went on.\n\n\"The importer pays,\" Howard Gleckman, a senior fellow at the Tax "
                               "Policy Center, has written.\n"),
                     "\"The importer pays,\"~Howard Gleckman~Howard Gleckman");
    ck_assert_str_eq(quotes_of("Talks went on.\n\n\"We miss him,\" Marc Benioff weighed in.\n"),
                     "\"We miss him,\"~Marc Benioff~Marc Benioff");
    /* the sentence before, in the paragraph, names who says it */
    ck_assert_str_eq(quotes_of("Talks went on.\n\nThe cell, Anna Herbert said, senses the gut. "
                               "\"It makes a response when something is wrong.\"\n"),
                     "\"It makes a response when something is wrong.\"~Anna Herbert~Anna Herbert");
    /* a quote paragraph after a paragraph of what the speaker said */
    ck_assert_str_eq(quotes_of("Talks went on.\n\nSaeb Erekat said it was only the latest move by the US.\n\n"
                               "\"They wanted us on our knees.\"\n"),
                     "\"They wanted us on our knees.\"~Saeb Erekat~Saeb Erekat");
    /* a quote paragraph signed on the line below */
    ck_assert_str_eq(quotes_of("Reviews came in.\n\n\xE2\x80\x9CThe show was really great.\xE2\x80\x9D\n\n"
                               "\xE2\x80\x93 Man**\n\nMore reviews follow.\n"),
                     "\xE2\x80\x9CThe show was really great.\xE2\x80\x9D~Man**~");
    /* a verb in another language: the list decides, not ASCII case */
    ck_assert_str_eq(quotes_of("Talks went on.\n\n\xC2\xAB" "Estamos cerca\xC2\xBB, dijo Pedro S\xC3\xA1" "nchez.\n"),
                     "\xC2\xAB" "Estamos cerca\xC2\xBB~Pedro S\xC3\xA1" "nchez~Pedro S\xC3\xA1" "nchez");
    /* X said: before the quote */
    ck_assert_str_eq(quotes_of("Talks went on.\n\nAngela Merkel said: \"We are close.\"\n"),
                     "\"We are close.\"~Angela Merkel~Angela Merkel");
    /* an adverb between speaker and verb; a title before the name */
    ck_assert_str_eq(quotes_of("Talks went on.\n\n\"We are close,\" Chancellor Angela Merkel also said.\n"),
                     "\"We are close,\"~Chancellor Angela Merkel~Angela Merkel");
    /* a group as written */
    ck_assert_str_eq(quotes_of("Talks went on.\n\n``We are close,'' the negotiators told reporters.\n"),
                     "``We are close,''~the negotiators~");
    /* according to */
    ck_assert_str_eq(quotes_of("Talks went on.\n\nThe plan is \"dead on arrival,\" according to John Smith.\n"),
                     "\"dead on arrival,\"~John Smith~John Smith");
    /* a partial quote inside the sentence */
    ck_assert_str_eq(quotes_of("Talks went on.\n\nJohn Smith said the plan was \xE2\x80\x9C" "dead on arrival\xE2\x80\x9D in the Senate.\n"),
                     "\xE2\x80\x9C" "dead on arrival\xE2\x80\x9D~John Smith~John Smith");
    /* guillemets */
    ck_assert_str_eq(quotes_of("Talks went on.\n\n\xC2\xABWe will win,\xC2\xBB Angela Merkel said.\n"),
                     "\xC2\xABWe will win,\xC2\xBB~Angela Merkel~Angela Merkel");
    /* the paragraph before introduces the quote paragraph */
    ck_assert_str_eq(quotes_of("Talks went on.\n\nAngela Merkel told reporters on Friday:\n\n"
                               "\xE2\x80\x9CWe are close to a deal now.\xE2\x80\x9D\n"),
                     "\xE2\x80\x9CWe are close to a deal now.\xE2\x80\x9D~Angela Merkel~Angela Merkel");
    /* a dash closes the quote with its speaker */
    ck_assert_str_eq(quotes_of("Talks went on.\n\n\xE2\x80\x9CWe are close to a deal now.\xE2\x80\x9D \xE2\x80\x94 Angela Merkel\n"),
                     "\xE2\x80\x9CWe are close to a deal now.\xE2\x80\x9D~Angela Merkel~Angela Merkel");
    /* a name, its appositive, the verb before the quote */
    ck_assert_str_eq(quotes_of("Talks went on.\n\nJohn Smith, the envoy, said: \xE2\x80\x9CWe are close to a deal.\xE2\x80\x9D\n"),
                     "\xE2\x80\x9CWe are close to a deal.\xE2\x80\x9D~John Smith~John Smith");
    /* added */
    ck_assert_str_eq(quotes_of("Talks went on.\n\n\"It is done,\" John Smith added.\n"),
                     "\"It is done,\"~John Smith~John Smith");
    /* an organization */
    ck_assert_str_eq(quotes_of("Talks went on.\n\n\"We stand united,\" NATO said in a statement.\n"),
                     "\"We stand united,\"~NATO~NATO");
    /* the quote's "!" or "?" ends the sentence; the attribution is the next one */
    ck_assert_str_eq(quotes_of("Talks went on.\n\n\"We will win this!\" John Smith tweeted on Monday.\n"),
                     "\"We will win this!\"~John Smith~John Smith");
    ck_assert_str_eq(quotes_of("Talks went on.\n\n\"Can I go now?\" John Smith tearfully asked.\n"),
                     "\"Can I go now?\"~John Smith~John Smith");
    /* ... but not across a line */
    ck_assert_str_eq(quotes_of("Talks went on.\n\n\"Can I go now?\"\nJohn Smith asked the court for time.\n"),
                     "\"Can I go now?\"~~");
    /* a noun in -ly is no adverb */
    ck_assert_str_eq(quotes_of("Talks went on.\n\n\"We are heartbroken,\" the family said.\n"),
                     "\"We are heartbroken,\"~the family~");
    /* an auxiliary between speaker and verb; "as X put it" */
    ck_assert_str_eq(quotes_of("Talks went on.\n\nInvestor John Smith had said, \"Bubbles grow out of reality.\"\n"),
                     "\"Bubbles grow out of reality.\"~Investor John Smith~John Smith");
    ck_assert_str_eq(quotes_of("Talks went on.\n\nAs John Smith put it, \"The book was the summit.\"\n"),
                     "\"The book was the summit.\"~John Smith~John Smith");
    /* "?" inside a nested quote's closing mark */
    ck_assert_str_eq(quotes_of("Talks went on.\n\nJohn Smith spoke.\n\n\"I said, 'Can we trust it?'\" Smith recalled.\n"),
                     "\"I said, 'Can we trust it?'\"~Smith~John Smith");
    /* a surname the tagger did not take for a name finds its person */
    ck_assert_str_eq(quotes_of("Talks went on.\n\nUbisoft's Chris Early spoke.\n\n\"Streaming is binary,\" says Early.\n"),
                     "\"Streaming is binary,\"~Early~Chris Early");
    /* according to a description, then the name */
    ck_assert_str_eq(quotes_of("Talks went on.\n\nAccording to his aunt, Jane Starner, \"He was brilliant from the start.\"\n"),
                     "\"He was brilliant from the start.\"~Jane Starner~Jane Starner");
}
END_TEST

START_TEST(quotes_pronouns_and_continuations)
{
    /* he: the person quoted last */
    ck_assert_str_eq(quotes_of("Leaders met.\n\n\"We are close,\" John Smith said after talks with Angela Merkel.\n\n"
                               "\"We will sign soon,\" he said.\n"),
                     "\"We are close,\"~John Smith~John Smith|\"We will sign soon,\"~John Smith~John Smith");
    /* he: a person the story turned to after the last quote's paragraph */
    ck_assert_str_eq(quotes_of("Leaders met.\n\n\"We are close,\" John Smith said.\n\n"
                               "Senator Robert Aderholt pressed for a date.\n\n\"When will you sign?\" he said.\n"),
                     "\"We are close,\"~John Smith~John Smith|\"When will you sign?\"~Robert Aderholt~Robert Aderholt");
    /* she: in the paragraph before, the subject before a person named later */
    ck_assert_str_eq(quotes_of("Leaders met.\n\nSonya Zoghlin, his attorney, said her client meant no harm to Ilhan Omar.\n\n"
                               "\"He is sorry,\" she said.\n"),
                     "\"He is sorry,\"~Sonya Zoghlin~Sonya Zoghlin");
    /* I: in a story told in the first person, its author; "He instead told" */
    ck_assert_str_eq(quotes_of("How I started my business\n\nBy Pamela Wilson\n\nI spent a lot on the course. "
                               "I said to myself: \"This dream matters.\"\n"),
                     "\"This dream matters.\"~Pamela Wilson~");
    ck_assert_str_eq(quotes_of("Leaders met.\n\nJohn Smith left early. He instead told reporters: \"We are close.\"\n"),
                     "\"We are close.\"~John Smith~John Smith");
    /* she: not a person whose first name says he */
    ck_assert_str_eq(quotes_of("Leaders met.\n\nMary Steen met her son Charlie Dowell. \"We are close,\" she said.\n"),
                     "\"We are close,\"~Mary Steen~Mary Steen");
    /* she: the person named last in the paragraph, not an owner */
    ck_assert_str_eq(quotes_of("Leaders met.\n\nLacking the rights to John Smith's books, Jane Doe wrote to the publisher. "
                               "\"I have no words,\" she said.\n"),
                     "\"I have no words,\"~Jane Doe~Jane Doe");
    /* she: with no quote before, the nearest person named */
    ck_assert_str_eq(quotes_of("Leaders met.\n\nAngela Merkel arrived late.\n\n\"We are close,\" she said.\n"),
                     "\"We are close,\"~Angela Merkel~Angela Merkel");
    /* they: the group quoted last */
    ck_assert_str_eq(quotes_of("Leaders met.\n\n\"We are close,\" the leaders said.\n\n\"A deal is near,\" they said.\n"),
                     "\"We are close,\"~the leaders~|\"A deal is near,\"~the leaders~");
    /* it: the organization named last */
    ck_assert_str_eq(quotes_of("Leaders met.\n\nNATO issued a statement.\n\n\"We stand united,\" it said.\n"),
                     "\"We stand united,\"~NATO~NATO");
    /* a quote over two paragraphs, each opened again */
    ck_assert_str_eq(quotes_of("Leaders met.\n\n\xE2\x80\x9CWe are close.\n\n\xE2\x80\x9CWe will sign soon,\xE2\x80\x9D John Smith said.\n"),
                     "\xE2\x80\x9CWe are close.\n\n\xE2\x80\x9CWe will sign soon,\xE2\x80\x9D~John Smith~John Smith");
    /* a quote paragraph with no verb right after the speaker's last goes on with it */
    ck_assert_str_eq(quotes_of("Leaders met.\n\n\"We are close,\" John Smith said.\n\n\"Nothing is signed yet.\"\n"),
                     "\"We are close,\"~John Smith~John Smith|\"Nothing is signed yet.\"~John Smith~John Smith");
    /* but a partial quote does not */
    ck_assert_str_eq(quotes_of("Leaders met.\n\n\"We are close,\" John Smith said.\n\nThe talks were \"tense\" at times.\n"),
                     "\"We are close,\"~John Smith~John Smith|\"tense\"~~");
}
END_TEST

START_TEST(quotes_speakers_in_running_text)
{
    /* "X and his team wrote": the one named */
    ck_assert_str_eq(quotes_of("Leaders met.\n\n\"Ice is thin there,\" Maria Lopez and her team wrote in the paper.\n"),
                     "\"Ice is thin there,\"~Maria Lopez~Maria Lopez");
    /* an appositive that ends on a place, after the quote and before it */
    ck_assert_str_eq(quotes_of("Leaders met.\n\n\"Water is rare,\" lead author Maria Lopez, a scientist at a "
                               "university in Washington, D.C., said in a statement.\n"),
                     "\"Water is rare,\"~Maria Lopez~Maria Lopez");
    ck_assert_str_eq(quotes_of("Leaders met.\n\nIn a letter in May, John Smith, the head of the farm group, said "
                               "farmers faced \"unprecedented hardship\" this year.\n"),
                     "\"unprecedented hardship\"~John Smith~John Smith");
    /* he: a surname the tagger missed, saying something earlier in the
     * paragraph past a passive "been announced" */
    ck_assert_str_eq(quotes_of("Leaders met.\n\nChris Early runs the studio.\n\n\"Streaming is binary,\" said Jack Buser.\n\n"
                               "While few titles have been announced, Early says more may come. "
                               "\"Our aim is the best game,\" he says.\n"),
                     "\"Streaming is binary,\"~Jack Buser~Jack Buser|\"Our aim is the best game,\"~Early~Chris Early");
    /* "the" before a name in capitals is not part of it; an entity of some
     * of its words is not the speaker */
    ck_assert_str_eq(quotes_of("Leaders met.\n\n\"The settlements are illegal,\" the British Foreign Office said.\n"),
                     "\"The settlements are illegal,\"~British Foreign Office~");
    /* a nationality before a group word: the group itself, not the
     * organization named last */
    ck_assert_str_eq(quotes_of("Leaders met at NATO.\n\nThe French foreign ministry said it \"regrets any such decision\".\n"),
                     "\"regrets any such decision\"~French foreign ministry~");
    /* "said the actor": one person's role word with no name by it, right
     * after that person's quote */
    ck_assert_str_eq(quotes_of("Leaders met.\n\n\"We lost the baby,\" James Van Der Beek said.\n\n"
                               "\"It makes you more human,\" said the actor.\n"),
                     "\"We lost the baby,\"~James Van Der Beek~James Van Der Beek|"
                     "\"It makes you more human,\"~the actor~James Van Der Beek");
}
END_TEST

START_TEST(quotes_not_quotes)
{
    /* never closed */
    ck_assert_str_eq(quotes_of("Leaders met.\n\n\"We are close, John Smith said.\n\nThe talks went on.\n"), "");
    /* inches and apostrophes */
    ck_assert_str_eq(quotes_of("Leaders met.\n\nThe player is 6'2\" tall and the team's best.\n"), "");
    /* no quotes in the headline or related-story titles */
    ck_assert_str_eq(quotes_of("\"Close\" deal near\n\nLeaders met.\n\nRead more\n\n"
                               "Why \"close\" may not mean closeOpens in new window ]\n"),
                     "");
}
END_TEST

Suite *quotes_suite(void)
{
    Suite *s = suite_create("quotes");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, quotes_attribution_forms);
    tcase_add_test(tc, quotes_pronouns_and_continuations);
    tcase_add_test(tc, quotes_speakers_in_running_text);
    tcase_add_test(tc, quotes_not_quotes);
    suite_add_tcase(s, tc);
    return s;
}
