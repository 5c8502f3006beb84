#!/bin/sh
# The full JSON answers of 1,000 stories from ../shared/eval, kept outside the
# repository, to show that a refactoring changes no byte.
#
#   bench/snapshot.sh save    EVAL_DIR ENRICH OUT   writes OUT (JSON Lines)
#   bench/snapshot.sh compare EVAL_DIR ENRICH OUT   diffs today's answers with OUT
#
# The stories: the seed article, the 150 pages (reference date 2019-11-19,
# their own where index.jsonl gives one) and the first 849 Reuters dev stories,
# each as {"id", "text", "reference_date"} through 'enrich --jsonl'; TempEval
# and CoNLL are plain text runs of the same code and add nothing here.
set -eu
mode=$1 eval_dir=$2 enrich=$3 out=$4
if [ ! -d "$eval_dir" ]; then
    echo "snapshot: $eval_dir is absent; nothing to $mode"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 - "$eval_dir" > "$tmp/in.jsonl" <<'PY'
import json, os, sys
d = sys.argv[1]
print(json.dumps({"id": "seed", "text": open(os.path.join(d, "seed/article.txt"), encoding="utf-8").read(),
                  "reference_date": "2024-07-11"}))
pages = os.path.join(d, "pages")
for name in sorted(os.listdir(pages)):
    if name.endswith(".txt") and name[:-4].isdigit():
        print(json.dumps({"id": "page-" + name[:-4], "text": open(os.path.join(pages, name), encoding="utf-8").read(),
                          "reference_date": "2019-11-19"}))
with open(os.path.join(d, "reuters21578/stories-dev.jsonl"), encoding="utf-8") as f:
    for i, line in enumerate(f):
        if i >= 849:
            break
        r = json.loads(line)
        print(json.dumps({"id": "reuters-" + r["id"], "text": r["text"], "reference_date": r["date"][:10]}))
PY
"$enrich" --jsonl < "$tmp/in.jsonl" > "$tmp/out.jsonl"
n=$(wc -l < "$tmp/out.jsonl")
case $mode in
save)
    mkdir -p "$(dirname "$out")"
    cp "$tmp/out.jsonl" "$out"
    echo "snapshot: $n answers saved in $out"
    ;;
compare)
    if [ ! -f "$out" ]; then
        echo "snapshot: no $out to compare with; run 'make snapshot' first" >&2
        exit 1
    fi
    if cmp -s "$tmp/out.jsonl" "$out"; then
        echo "snapshot: $n answers, byte-identical to $out"
    else
        echo "snapshot: answers differ from $out:" >&2
        /usr/bin/python3 - "$out" "$tmp/out.jsonl" <<'PY' >&2
import json, sys
a = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8", errors="replace")]
b = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8", errors="replace")]
diff = [x.get("id") for x, y in zip(a, b) if x != y]
print(f"  {len(diff)} of {len(a)} stories differ ({len(a)} saved, {len(b)} now); first: {diff[:10]}")
PY
        exit 1
    fi
    ;;
*)
    echo "usage: bench/snapshot.sh save|compare EVAL_DIR ENRICH OUT" >&2
    exit 2
    ;;
esac
