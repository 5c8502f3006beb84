#!/bin/sh
# Fails when the shared library exports a symbol without the enrich_ prefix.
set -eu
lib=${1:-build/libenrich.so}
bad=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBRVW]$/ {print $3}' | grep -v '^enrich_' || true)
count=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBRVW]$/' | grep -c ' enrich_' || true)
if [ -n "$bad" ]; then
    echo "exports: FAIL symbols without the enrich_ prefix:"; echo "$bad"
    echo "exports: 0 passed, 1 failed"
    exit 1
fi
if [ "$count" -lt 10 ]; then
    echo "exports: FAIL only $count enrich_ symbols exported"
    echo "exports: 0 passed, 1 failed"
    exit 1
fi
echo "exports: $count symbols, all enrich_"
echo "exports: 1 passed, 0 failed"
