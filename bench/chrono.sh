#!/bin/sh
# chrono-node (npm, pinned in bench/chrono), the date parser JavaScript
# newsrooms reach for, against enrich on the same stories: chrono's
# dates-only rate, enrich's whole pipeline on one thread (--jsonl --threads 1,
# engine start and JSON in and out included), best of 3 each, and the ratio.
#   bench/chrono.sh ENRICH STORIES.jsonl
set -eu
enrich=$1 stories=$2
if [ ! -f "$stories" ]; then
    echo "chrono: $stories is absent; skipping."
    exit 0
fi
command -v npm >/dev/null 2>&1 || .ci/setup nodejs npm
(cd bench/chrono && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
c=$(node bench/chrono/chrono.js "$stories")
best=""
for pass in 1 2 3; do
    t0=$(date +%s.%N)
    "$enrich" --jsonl --threads 1 < "$stories" > /dev/null
    s=$(echo "$(date +%s.%N) - $t0" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$s < $best" | bc -l)" -eq 1 ]; then best=$s; fi
done
/usr/bin/python3 - "$c" "$best" "$(wc -l < "$stories")" <<'PY'
import json, sys
c = json.loads(sys.argv[1]); ours = float(sys.argv[2]); n = int(sys.argv[3])
print(f"chrono-node 2.10.3, dates only: {c['stories_per_s']:.0f} stories/s ({c['mb_per_s']:.2f} MB/s of text, {c['dates']} dates)")
print(f"enrich --jsonl --threads 1, whole pipeline: {n / ours:.0f} stories/s; ratio to chrono {n / ours / c['stories_per_s']:.2f}")
PY
