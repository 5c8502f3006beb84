/* openapi.S - openapi.yaml compiled into enrichd, served at /openapi.yaml.
 * The path is relative to the top of the source tree, where make runs. */
    .section .rodata
    .globl enrichd_openapi_yaml
enrichd_openapi_yaml:
    .incbin "openapi.yaml"
    .globl enrichd_openapi_yaml_end
enrichd_openapi_yaml_end:
    .byte 0

    .section .note.GNU-stack,"",@progbits
