/* resources.S - the data tables compiled into libenrich, byte for byte.
 * Paths are relative to the top of the source tree, where make runs. */
    .section .rodata
    .balign 16
    .globl enrichp_places_tsv
    .hidden enrichp_places_tsv
enrichp_places_tsv:
    .incbin "data/places.tsv"
    .globl enrichp_places_tsv_end
    .hidden enrichp_places_tsv_end
enrichp_places_tsv_end:
    .byte 0

    .globl enrichp_cities_tsv
    .hidden enrichp_cities_tsv
enrichp_cities_tsv:
    .incbin "data/cities.tsv"
    .globl enrichp_cities_tsv_end
    .hidden enrichp_cities_tsv_end
enrichp_cities_tsv_end:
    .byte 0

    .globl enrichp_city_aliases
    .hidden enrichp_city_aliases
enrichp_city_aliases:
    .incbin "data/curated/city_aliases.tsv"
    .globl enrichp_city_aliases_end
    .hidden enrichp_city_aliases_end
enrichp_city_aliases_end:
    .byte 0

    .globl enrichp_first_names
    .hidden enrichp_first_names
enrichp_first_names:
    .incbin "data/first_names.txt"
    .globl enrichp_first_names_end
    .hidden enrichp_first_names_end
enrichp_first_names_end:
    .globl enrichp_female_names
    .hidden enrichp_female_names
enrichp_female_names:
    .incbin "data/female_names.txt"
    .globl enrichp_female_names_end
    .hidden enrichp_female_names_end
enrichp_female_names_end:
    .globl enrichp_male_names
    .hidden enrichp_male_names
enrichp_male_names:
    .incbin "data/male_names.txt"
    .globl enrichp_male_names_end
    .hidden enrichp_male_names_end
enrichp_male_names_end:
    .byte 0

    .globl enrichp_demonyms
    .hidden enrichp_demonyms
enrichp_demonyms:
    .incbin "data/curated/demonyms.tsv"
    .globl enrichp_demonyms_end
    .hidden enrichp_demonyms_end
enrichp_demonyms_end:
    .byte 0

    .globl enrichp_locations
    .hidden enrichp_locations
enrichp_locations:
    .incbin "data/curated/locations.tsv"
    .globl enrichp_locations_end
    .hidden enrichp_locations_end
enrichp_locations_end:
    .byte 0

    .globl enrichp_org_words
    .hidden enrichp_org_words
enrichp_org_words:
    .incbin "data/curated/org_words.txt"
    .globl enrichp_org_words_end
    .hidden enrichp_org_words_end
enrichp_org_words_end:
    .byte 0

    .globl enrichp_organisations
    .hidden enrichp_organisations
enrichp_organisations:
    .incbin "data/curated/organisations.txt"
    .globl enrichp_organisations_end
    .hidden enrichp_organisations_end
enrichp_organisations_end:
    .byte 0

    .globl enrichp_titles
    .hidden enrichp_titles
enrichp_titles:
    .incbin "data/curated/titles.txt"
    .globl enrichp_titles_end
    .hidden enrichp_titles_end
enrichp_titles_end:
    .byte 0

    .balign 16
    .globl enrichp_ner_model
    .hidden enrichp_ner_model
enrichp_ner_model:
    .incbin "data/ner.model"
    .globl enrichp_ner_model_end
    .hidden enrichp_ner_model_end
enrichp_ner_model_end:
    .byte 0

    .globl enrichp_speech_verbs
    .hidden enrichp_speech_verbs
enrichp_speech_verbs:
    .incbin "data/curated/speech_verbs.txt"
    .globl enrichp_speech_verbs_end
    .hidden enrichp_speech_verbs_end
enrichp_speech_verbs_end:
    .byte 0


    .globl enrichp_layout_model
    .hidden enrichp_layout_model
enrichp_layout_model:
    .incbin "data/layout.model"
    .globl enrichp_layout_model_end
    .hidden enrichp_layout_model_end
enrichp_layout_model_end:
    .byte 0

    .globl enrichp_byline_words
    .hidden enrichp_byline_words
enrichp_byline_words:
    .incbin "data/curated/byline_words.txt"
    .globl enrichp_byline_words_end
    .hidden enrichp_byline_words_end
enrichp_byline_words_end:
    .byte 0

    .globl enrichp_furniture_words
    .hidden enrichp_furniture_words
enrichp_furniture_words:
    .incbin "data/curated/furniture_words.txt"
    .globl enrichp_furniture_words_end
    .hidden enrichp_furniture_words_end
enrichp_furniture_words_end:
    .byte 0

    .section .note.GNU-stack,"",@progbits
