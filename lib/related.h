/*
 * related.h - related-story links that copy-paste leaves in an article:
 * a heading ("RELATED STORIES", "Read more") and link titles, or an inline
 * "Related: Title" line.
 */
#ifndef ENRICH_RELATED_H
#define ENRICH_RELATED_H

#include "doc.h"

#define RELATED_MAX_PER_LINE 16

/* Is the line a related-stories heading? When the heading carries a title
 * on the same line ("READ MORE: Title"), *rest is set to it, else emptied. */
int related_heading(const char *t, span line, span *rest);

/* Is the line the heading of a site's popular list ("Most Read", "Trending
 * now")? Such lists are no related stories. */
int related_popular_heading(const char *t, span line);

/* "News Cloud | Title of the story" and "Title of the story | Site": the
 * side of four words or more when the other has three or fewer; else s. */
span related_section_or_site_off(const char *t, span s);

/* Parses one line as related-story link titles. Returns how many items were
 * written to out (at most max), or 0 when the line does not look like one. */
int related_parse_line(const char *t, span line, related_item *out, int max);

/* Is the line only a copy-paste artifact ("Opens in new window ]"), left
 * on a line of its own under the title it belongs to? */
int related_artifact_line(const char *t, span line);

/* Is the line a link and nothing else: a bare URL, or a Markdown link
 * ("[Title](https://...)"), maybe after a bullet? */
int related_link_line(const char *t, span line);

/* Stage "related": the titles of related-item lines. 0, or -1. */
int related_run(enrich_doc *doc);

#endif
