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

/* The role's name in the response ("editor"). */
const char *credits_role_name(credit_role role);

#endif
