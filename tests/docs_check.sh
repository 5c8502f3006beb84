#!/bin/sh
# Keeps the manuals and README.md true to the binaries: every long option
# that 'enrich --help' and 'enrichd --help' list must appear in man/enrich.1,
# man/enrichd.8 and README.md, and every route enrichd serves in the manual.
#
# usage: tests/docs_check.sh ENRICH ENRICHD
set -u
enrich=$1
enrichd=$2
passed=0 failed=0
check_options() { # binary manual
    for opt in $("$1" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
        escaped=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
        if grep -q -- "$escaped" "$2" && grep -q -- "$opt" README.md; then
            passed=$((passed + 1))
        else
            failed=$((failed + 1)); echo "FAIL $opt of $(basename "$1") is missing from $2 or README.md"
        fi
    done
}
check_options "$enrich" man/enrich.1
check_options "$enrichd" man/enrichd.8
for route in /v1/enrich /v1/enrich/batch /metrics /healthz /readyz /openapi.yaml; do
    if grep -q -- "$route" man/enrichd.8 && grep -q -- "$route" openapi.yaml; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1)); echo "FAIL route $route is missing from man/enrichd.8 or openapi.yaml"
    fi
done
echo "docs: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
