/*
 * resources.h - the data tables compiled into the library (resources.S).
 */
#ifndef ENRICH_RESOURCES_H
#define ENRICH_RESOURCES_H

extern const char enrichp_places_tsv[];
extern const char enrichp_places_tsv_end[];
extern const char enrichp_ner_model[];
extern const char enrichp_ner_model_end[];

#endif
