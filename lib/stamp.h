/*
 * stamp.h - time stamp lines near the top of a story ("Updated July 11,
 * 2024 at 3:02 p.m. EDT", "Published: 11 July 2024"): the date a story
 * states about itself.
 */
#ifndef ENRICH_STAMP_H
#define ENRICH_STAMP_H

#include "doc.h"

#define STAMPS_MAX_PER_LINE 4

/* Parses one line: one time stamp or more ("Published July 11, 2024 |
 * Updated July 12, 2024"), each a label, a date with its year, a clock and
 * a zone. Returns how many it wrote to out (at most max), 0 when the line
 * is not wholly stamps. */
int stamp_parse_line(const char *t, span line, stamp_info *out, int max);

/* Like stamp_parse_line, also finding the stamps that end a byline line
 * ("By Tess Bonn - 11/19/19 06:56 AM EST"): the line from a word on. */
int stamp_find_in_line(const char *t, span line, stamp_info *out, int max);

/* Stage "stamp": the time stamps of byline and time stamp lines, and of a
 * dateline's bar (after the dateline stage). 0, or -1. */
int stamp_run(enrich_doc *doc);

#endif
