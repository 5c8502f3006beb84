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

    .balign 16
    .globl enrichp_ner_model
    .hidden enrichp_ner_model
enrichp_ner_model:
    .incbin "data/ner.model"
    .globl enrichp_ner_model_end
    .hidden enrichp_ner_model_end
enrichp_ner_model_end:
    .byte 0

    .section .note.GNU-stack,"",@progbits
