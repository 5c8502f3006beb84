/* openapi.S - files compiled into enrichd: openapi.yaml, served at
 * /openapi.yaml, and the annotation page, served at /. Paths are relative
 * to the top of the source tree, where make runs. */
    .section .rodata
    .globl enrichd_openapi_yaml
enrichd_openapi_yaml:
    .incbin "openapi.yaml"
    .globl enrichd_openapi_yaml_end
enrichd_openapi_yaml_end:
    .byte 0

    .globl enrichd_page_html
enrichd_page_html:
    .incbin "server/page.html"
    .globl enrichd_page_html_end
enrichd_page_html_end:
    .byte 0

    .section .note.GNU-stack,"",@progbits
