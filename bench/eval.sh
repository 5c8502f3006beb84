#!/bin/sh
# make eval: accuracy figures on the annotated news in EVAL_DIR (../shared/eval),
# computed by its own scorers through 'enrich --jsonl'. Skips with a message
# when the folder is absent; never fails for low figures (it measures).
#
# usage: bench/eval.sh EVAL_DIR ENRICH_BINARY
set -u
eval_dir=$1
bin=$2
py=${PYTHON:-python3}
if [ ! -d "$eval_dir" ]; then
    echo "eval: $eval_dir is absent; skipping the accuracy figures (see README.md, Measuring)."
    exit 0
fi
score="$eval_dir/score"
status=0

section() { printf '\n== %s\n' "$1"; }

section "seed article ($eval_dir/seed, reference date 2024-07-11)"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
if "$bin" --reference-date 2024-07-11 "$eval_dir/seed/article.txt" > "$tmp"; then
    "$py" "$eval_dir/seed/check.py" "$tmp" | grep -v '^PASS' 
    # issue 15: "the North" of the seed, and what each nationality links to
    "$py" - "$tmp" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
north = [e["name"] for e in d.get("entities", []) if any(m.get("text") == "North" for m in e.get("mentions", []))]
print("'the North' is a mention of:", ", ".join(north) or "nothing")
print("nationalities linked:", ", ".join(f"{e['name']} -> {e['links'].get('iso3166')}" for e in d.get("entities", [])
                                      if e.get("type") == "NORP"))
PY
else
    echo "enrich failed on the seed article"; status=1
fi

section "entities: CoNLL-2003 dev ($eval_dir/conll2003/dev.txt)"
"$py" "$score/score_ner.py" "$eval_dir/conll2003/dev.txt" "$bin" | tail -n 8 || status=1

for part in TimeBank AQUAINT; do
    section "dates: TempEval-3 train, $part"
    "$py" "$score/score_timex.py" "$eval_dir/tempeval3/train/$part" "$bin" | tail -n 4 || status=1
done
section "dates: TempEval-3 train, TimeBank and AQUAINT together"
both=$(mktemp -d)
ln -s "$(cd "$eval_dir/tempeval3/train" && pwd)"/TimeBank/*.tml "$(cd "$eval_dir/tempeval3/train" && pwd)"/AQUAINT/*.tml "$both"/
"$py" "$score/score_timex.py" "$both" "$bin" | tail -n 4 || status=1
rm -rf "$both"

section "article anatomy: the labelled pages ($eval_dir/pages/gold.jsonl), shipped model"
echo "(the shipped layout model was trained on these pages; the held-out figures follow)"
"$py" "$score/score_anatomy.py" "$eval_dir/pages" "$bin" | tail -n 7 || status=1
section "article anatomy and body, held out: every page by a model trained without it (5 folds)"
"$py" "$(dirname "$0")/../tests/pages/crossval.py" "$eval_dir" "$bin" 5 || status=1
own="$(dirname "$0")/../tests/pages/own"
if [ -f "$own/gold.jsonl" ]; then
    section "article anatomy: the project's own labelled pages (tests/pages/own)"
    "$py" "$score/score_anatomy.py" "$own" "$bin" | tail -n 7 || status=1
else
    section "article anatomy: the project's own labelled pages"
    echo "none yet (tests/pages/own/gold.jsonl is absent)"
fi

section "body kept: the 150 pages against the benchmark's article bodies, shipped model"
"$py" "$score/score_body.py" "$eval_dir/pages" "$bin" | tail -n 1 || status=1

section "datelines: Reuters-21578 dev stories"
"$py" "$score/score_dateline.py" "$eval_dir/reuters21578/stories-dev.jsonl" "$bin" | tail -n 6 || status=1
exit $status
