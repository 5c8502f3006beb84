#!/bin/sh
# Golden tests of the enrich CLI: each folder holds input.txt, args (the
# options) and expected.json (the pretty response). Then the CLI's own
# behaviour: exit codes, --help, --jsonl order, ids and per-line errors.
#
# usage: tests/golden/run.sh ENRICH_BINARY [--update]
set -u
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "PASS $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for dir in "$here"/*/; do
    name=$(basename "$dir")
    # shellcheck disable=SC2046
    "$bin" --pretty $(cat "$dir/args") "$dir/input.txt" > "$tmp/out.json" 2> "$tmp/err"
    rc=$?
    if [ "${2:-}" = "--update" ]; then
        cp "$tmp/out.json" "$dir/expected.json"
    fi
    if [ $rc -eq 0 ] && cmp -s "$tmp/out.json" "$dir/expected.json"; then
        ok "golden $name"
    else
        bad "golden $name (exit $rc)"; diff "$dir/expected.json" "$tmp/out.json" | head -20; cat "$tmp/err"
    fi
done

expect_exit() { # name, expected code, command...
    name=$1 want=$2; shift 2
    "$@" > "$tmp/o" 2> "$tmp/e"; got=$?
    if [ "$got" -eq "$want" ]; then ok "$name"; else bad "$name: exit $got, wanted $want"; cat "$tmp/e"; fi
}
expect_exit "help exits 0" 0 "$bin" --help
grep -q -- '--reference-date' "$tmp/o" && grep -q 'Exit status' "$tmp/o" && ok "help names options and exit codes" || bad "help text"
expect_exit "version exits 0" 0 "$bin" --version
expect_exit "unknown option is a usage error" 2 "$bin" --frobnicate
expect_exit "bad date is a usage error" 2 "$bin" --reference-date 2024-02-30 "$here/plain_text/input.txt"
expect_exit "bad offsets is a usage error" 2 "$bin" --offsets bytes "$here/plain_text/input.txt"
expect_exit "bad include is a usage error" 2 "$bin" --include people "$here/plain_text/input.txt"
expect_exit "two files is a usage error" 2 "$bin" a b
expect_exit "missing file is an I/O error" 3 "$bin" "$tmp/does-not-exist"
printf 'not a model\n' > "$tmp/bad.model"
expect_exit "a malformed layout model is rejected" 1 "$bin" --layout-model "$tmp/bad.model" "$here/plain_text/input.txt"
grep -q "layout model: line 1" "$tmp/e" && ok "the layout model error names its line" || bad "layout model error text"
expect_exit "a missing layout model is an I/O error" 3 "$bin" --layout-model "$tmp/absent.model" "$here/plain_text/input.txt"
expect_exit "train-layout needs an output or folds" 2 "$bin" train-layout
printf '{"id":"a","text":"Head\\n\\nBody line.","roles":"H"}\n' > "$tmp/bad.jsonl"
expect_exit "train-layout refuses labels that miss lines" 1 "$bin" train-layout --output "$tmp/m" "$tmp/bad.jsonl"
printf '{"id":"a","text":"Head\\n\\nBody line.","roles":"HB"}\n{"id":"b","text":"Title\\n\\nMore body.","roles":"HB"}\n' > "$tmp/ok.jsonl"
expect_exit "train-layout writes a model" 0 "$bin" train-layout --epochs 2 --min-pages 1 --output "$tmp/m" "$tmp/ok.jsonl"
expect_exit "enrich runs with the model it wrote" 0 "$bin" --layout-model "$tmp/m" "$here/plain_text/input.txt"
printf 'caf\303' > "$tmp/bad.txt"
expect_exit "invalid UTF-8 is rejected" 1 "$bin" "$tmp/bad.txt"
grep -q 'byte offset 3' "$tmp/e" && ok "invalid UTF-8 names its byte offset" || bad "invalid UTF-8 message: $(cat "$tmp/e")"
printf 'Headline\n\nBody.' | "$bin" - > "$tmp/o" 2>&1 && grep -q '"headline":{"text":"Headline"' "$tmp/o" \
    && ok "reads standard input" || bad "reads standard input"

cat > "$tmp/in.jsonl" <<'JSONL'
{"id": "a", "text": "First story\n\nLONDON, March 2 - Body one.", "reference_date": "1987-03-02"}
{"id": 2, "text": "bad json"
{"id": "c", "text": 42}
{"id": "d", "text": "Third story\n\nBody three.", "reference_date": "1987-13-01"}

{"id": "e", "text": "Fourth story\n\nBody four."}
JSONL
"$bin" --jsonl --reference-date 2000-01-01 < "$tmp/in.jsonl" > "$tmp/out.jsonl" 2> "$tmp/e"
rc=$?
[ $rc -eq 0 ] && ok "jsonl exits 0 with bad lines" || bad "jsonl exit $rc"
[ "$(wc -l < "$tmp/out.jsonl")" -eq 5 ] && ok "jsonl answers every record, skips blank lines" || bad "jsonl line count $(wc -l < "$tmp/out.jsonl")"
/usr/bin/python3 - "$tmp/out.jsonl" <<'PY' && ok "jsonl order, ids, errors and per-line dates" || bad "jsonl content"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [r.get("id") for r in rows] == ["a", None, "c", "d", "e"], rows
assert list(rows[0])[0] == "id"
assert rows[0]["article"]["dateline"]["date"]["value"] == "1987-03-02"
assert rows[1]["error"]["code"] == "invalid_json" and "line 2" in rows[1]["error"]["message"]
assert rows[2]["error"]["code"] == "invalid_request"
assert rows[3]["error"]["code"] == "invalid_date"
assert rows[4]["reference_date"] == "2000-01-01"
PY

# --threads: the same bytes as one thread, bad lines included, across
# batches (1,800 lines: more than one batch of 1,024)
for i in $(seq 300); do cat "$tmp/in.jsonl"; done > "$tmp/many.jsonl"
"$bin" --jsonl --threads 1 < "$tmp/many.jsonl" > "$tmp/t1.jsonl" 2>/dev/null
"$bin" --jsonl --threads 3 < "$tmp/many.jsonl" > "$tmp/t3.jsonl" 2>/dev/null
ENRICH_THREADS=2 "$bin" --jsonl < "$tmp/many.jsonl" > "$tmp/t2.jsonl" 2>/dev/null
[ "$(wc -l < "$tmp/t1.jsonl")" -eq 1500 ] && cmp -s "$tmp/t1.jsonl" "$tmp/t3.jsonl" && cmp -s "$tmp/t1.jsonl" "$tmp/t2.jsonl" \
    && ok "jsonl --threads 3 and ENRICH_THREADS=2 give --threads 1's bytes" || bad "jsonl threads differ"
expect_exit "--threads of a wrong value is a usage error" 2 "$bin" --jsonl --threads many
ENRICH_THREADS=x "$bin" --jsonl < /dev/null > /dev/null 2>&1
[ $? -eq 2 ] && ok "ENRICH_THREADS of a wrong value is a usage error" || bad "ENRICH_THREADS=x accepted"

echo "golden: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
