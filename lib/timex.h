/*
 * timex.h - the dates stage: TIMEX3 expressions (DATE, TIME, DURATION, SET)
 * found on the tokens and normalized against the reference date.
 */
#ifndef ENRICH_TIMEX_H
#define ENRICH_TIMEX_H

#include "doc.h"

int timex_run(enrich_doc *doc);

/* "DATE", "TIME", "DURATION", "SET". */
const char *timex_type_name(timex_type t);

#endif
