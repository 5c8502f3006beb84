/*
 * dateline.h - parses a dateline: "Taipei, Taiwan", "SEOUL, July 11
 * (Reuters) -", "SANTA CRUZ, Calif., Feb 26 -", "WASHINGTON (AP) —".
 */
#ifndef ENRICH_DATELINE_H
#define ENRICH_DATELINE_H

#include "doc.h"

/* Parses s, a whole line standing on its own. Returns 1 and fills *out when
 * it is a dateline, else 0. */
int dateline_parse_line(const enrich_engine *e, const char *t, span s, dateline_info *out);

/* Looks for a dateline opening the paragraph s and closed by a dash. Returns
 * 1 and fills *out, with *rest set to where the paragraph's text goes on
 * after the dash; else 0. */
int dateline_parse_inline(const enrich_engine *e, const char *t, span s,
                          dateline_info *out, uint32_t *rest);

/* Stage "dateline": the dateline where it opens the story, after layout;
 * marks the lines after the story's text began (LF_AFTER_BODY). 0, or -1. */
int dateline_run(enrich_doc *doc);

#endif
