/*
 * timex.h - the dates stage: TIMEX3 expressions (DATE, TIME, DURATION, SET)
 * found on the tokens and normalized against the reference date.
 */
#ifndef ENRICH_TIMEX_H
#define ENRICH_TIMEX_H

#include "doc.h"

int timex_run(enrich_doc *doc);

/* The words an expression can start with (lower-case hashes, from the
 * tables of timex.c), built once into the engine: the stage runs its
 * matchers only where one stands, or a date-shaped number or a hyphen.
 * Returns 0, or -1 when memory ran out. */
int timex_triggers_build(uint64_t **slots, uint32_t *n_slots);

/* "DATE", "TIME", "DURATION", "SET". */
const char *timex_type_name(timex_type t);

#endif
