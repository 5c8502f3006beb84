#!/bin/sh
# The CLI's scaling over the Reuters dev stories: 'enrich --jsonl --threads N'
# at 1, 2 and one thread per core, best of 3 passes each (wall clock, engine
# start included), the speed-up against one thread, and whether the bytes
# are one thread's.
#   bench/threads.sh ENRICH STORIES.jsonl
set -eu
enrich=$1 stories=$2
if [ ! -f "$stories" ]; then
    echo "threads: $stories is absent; skipping the scaling benchmark."
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bytes=$(wc -c < "$stories")
cores=$(nproc)
best_of() { # threads -> best wall seconds of 3
    best=""
    for pass in 1 2 3; do
        t0=$(date +%s.%N)
        "$enrich" --jsonl --threads "$1" < "$stories" > "$tmp/out$1.jsonl"
        t1=$(date +%s.%N)
        s=$(echo "$t1 - $t0" | bc -l)
        if [ -z "$best" ] || [ "$(echo "$s < $best" | bc -l)" -eq 1 ]; then best=$s; fi
    done
    echo "$best"
}
echo "CLI, enrich --jsonl --threads N over $(wc -l < "$stories") stories ($(echo "$bytes / 1000000" | bc -l | cut -c1-4) MB), best of 3, $cores cores:"
one=$(best_of 1)
for n in 1 2 $cores; do
    [ "$n" -eq 2 ] && [ "$cores" -lt 2 ] && continue
    if [ "$n" -eq 1 ]; then s=$one; else s=$(best_of "$n"); fi
    same=$(cmp -s "$tmp/out1.jsonl" "$tmp/out$n.jsonl" && echo "identical" || echo "DIFFERENT")
    printf '  %3s threads: %6.2f s  %6.2f MB/s  x%.2f  bytes %s\n' "$n" "$s" "$(echo "$bytes / 1000000 / $s" | bc -l)" \
        "$(echo "$one / $s" | bc -l)" "$same"
    [ "$n" -eq "$cores" ] && break
done
