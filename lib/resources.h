/*
 * resources.h - the data tables compiled into the library (resources.S).
 */
#ifndef ENRICH_RESOURCES_H
#define ENRICH_RESOURCES_H

extern const char enrichp_places_tsv[];
extern const char enrichp_places_tsv_end[];
extern const char enrichp_cities_tsv[];
extern const char enrichp_cities_tsv_end[];
extern const char enrichp_city_aliases[];
extern const char enrichp_city_aliases_end[];
extern const char enrichp_first_names[];
extern const char enrichp_first_names_end[];
extern const char enrichp_female_names[];
extern const char enrichp_female_names_end[];
extern const char enrichp_male_names[];
extern const char enrichp_male_names_end[];
extern const char enrichp_demonyms[];
extern const char enrichp_demonyms_end[];
extern const char enrichp_locations[];
extern const char enrichp_locations_end[];
extern const char enrichp_org_words[];
extern const char enrichp_org_words_end[];
extern const char enrichp_organisations[];
extern const char enrichp_organisations_end[];
extern const char enrichp_titles[];
extern const char enrichp_speech_verbs[];
extern const char enrichp_speech_verbs_end[];
extern const char enrichp_titles_end[];
extern const char enrichp_ner_model[];
extern const char enrichp_ner_model_end[];

extern const char enrichp_layout_model[];
extern const char enrichp_layout_model_end[];

extern const char enrichp_byline_words[];
extern const char enrichp_byline_words_end[];

extern const char enrichp_furniture_words[];
extern const char enrichp_furniture_words_end[];

#endif
