/*
 * entities.h - the resolve stage for entities: mentions from the tagger and
 * the gazetteers, typed, split, clustered into entities, linked, weighed.
 */
#ifndef ENRICH_ENTITIES_H
#define ENRICH_ENTITIES_H

#include "doc.h"

int entities_run(enrich_doc *doc);

#endif
