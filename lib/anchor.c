/*
 * anchor.c - the stage "anchor": the reference date relative dates resolve
 * against, the request's or, without one, the story's own.
 */
#include "anchor.h"

#include <string.h>

/* Without a reference date from the request, the date the story states
 * about itself anchors its relative dates: a time stamp line ("Published
 * July 11, 2024" before "Updated ...", else the first), else a dateline
 * that gives its year. */
static void story_anchor(enrich_doc *doc)
{
    const doc_date *d = NULL;
    for (uint32_t i = 0; i < doc->stamps.n && !d; i++)
        if (doc->stamps.v[i].label && strcmp(doc->stamps.v[i].label, "published") == 0)
            d = &doc->stamps.v[i].date;
    if (!d && doc->stamps.n) {
        d = &doc->stamps.v[0].date;
        doc->ref_source = "timestamp";
    } else if (d) {
        doc->ref_source = "timestamp";
    } else if (doc->dateline.found && doc->dateline.has_date && doc->dateline.date.year) {
        d = &doc->dateline.date;
        doc->ref_source = "dateline";
    }
    if (!d)
        return;
    doc->has_ref = 1;
    doc->ref_year = d->year;
    doc->ref_month = d->month;
    doc->ref_day = d->day;
}

/* Stage "anchor": the reference date relative dates resolve against. */
int anchor_run(enrich_doc *doc)
{
    if (doc->has_ref) {
        doc->ref_source = "request";
        return 0;
    }
    story_anchor(doc);
    if (doc->has_ref)
        return 0;
    return doc_warn(doc, "no_reference_date",
                    "no reference date was given: relative dates keep their unresolved "
                    "TIMEX3 form (XXXX for an unknown year)");
}
