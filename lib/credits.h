/*
 * credits.h - bylines and credit lines: "By Jane Doe and John Roe",
 * "Reporting by Hyonhee Shin in Seoul; Editing by Ed Davies", "Edited by
 * Mike Firn."
 */
#ifndef ENRICH_CREDITS_H
#define ENRICH_CREDITS_H

#include "doc.h"

#define CREDITS_MAX_PER_LINE 16

/* Parses one line. Returns the number of credits written to out (at most
 * max), or 0 when the line is not wholly a credit line. */
int credits_parse_line(const char *t, span line, credit *out, int max);

/* Reads a line the layout model calls a byline, in the shapes real pages
 * give it: what credits_parse_line reads, else the names in "A, B and C",
 * "A and B OUTLET", "A | Outlet", "by A - date", "A, Outlet", "Text: A",
 * a bare name line. Pieces that are no person (job titles, desks,
 * publication words, byline_words.txt) are left out. Returns how many
 * credits it wrote (role author unless the line names another). */
int credits_parse_byline(const enrich_engine *e, const char *t, span line, credit *out, int max);

/* Photo credits in a caption or credit line: "Photo: A/Agency", "Photo by
 * A", "Credit...A/Outlet", "(A / Agency)", "(c) A", "A, Agency". Returns how
 * many photographer credits it wrote. */
int credits_parse_photo(const enrich_engine *e, const char *t, span line, credit *out, int max);

/* The role's name in the response ("editor"). */
const char *credits_role_name(credit_role role);

/* Stage "credits": bylines, photo credits and sign-offs from the lines of
 * their roles, by position. 0, or -1 (out of memory). */
int credits_run(enrich_doc *doc);

#endif
