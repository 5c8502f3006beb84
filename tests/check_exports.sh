#!/bin/sh
# Fails when libenrich.so or libenrich.a offers a symbol without the enrich_
# prefix (the static library is one prelinked object whose internals are
# local; see the Makefile).
#   check_exports.sh [LIB...]   default: build/libenrich.so build/libenrich.a
set -eu
[ $# -gt 0 ] || set -- build/libenrich.so build/libenrich.a
passed=0 failed=0
for lib in "$@"; do
    case $lib in
    *.so*) syms=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBRVW]$/ {print $3}') ;;
    *) syms=$(nm --defined-only "$lib" | awk '$2 ~ /^[TDBRVWCGS]$/ {print $3}') ;;
    esac
    bad=$(printf '%s\n' "$syms" | grep -v '^enrich_' | grep -v '^$' || true)
    count=$(printf '%s\n' "$syms" | grep -c '^enrich_' || true)
    if [ -n "$bad" ]; then
        echo "exports: FAIL $lib offers symbols without the enrich_ prefix:"
        echo "$bad" | head -20
        failed=$((failed + 1))
    elif [ "$count" -lt 10 ]; then
        echo "exports: FAIL $lib offers only $count enrich_ symbols"
        failed=$((failed + 1))
    else
        echo "exports: $lib: $count symbols, all enrich_"
        passed=$((passed + 1))
    fi
done
echo "exports: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
