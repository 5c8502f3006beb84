#!/usr/bin/env python3
"""Joins the line labels (tests/pages/labels.txt) with the texts they name
into the JSON Lines 'enrich train-layout' reads: {"id", "text", "roles"}.
Page ids ("014") name EVAL_DIR/pages/014.txt; "reuters:NEWID" names a story
of EVAL_DIR/reuters21578/stories-dev.jsonl; "conll:N" the N-th document of
EVAL_DIR/conll2003/train.txt as the CoNLL scorer joins it.

usage: layout_samples.py EVAL_DIR [LABELS] > samples.jsonl
"""
import json, os, sys


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    ev = sys.argv[1]
    labels = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "labels.txt")
    wire = {}
    rows = [l.rstrip("\n").split("\t") for l in open(labels, encoding="utf-8") if l.strip() and not l.startswith("#")]
    if any(r[0].startswith("reuters:") for r in rows):
        for l in open(os.path.join(ev, "reuters21578", "stories-dev.jsonl"), encoding="utf-8"):
            o = json.loads(l)
            wire["reuters:%s" % o["id"]] = o["text"]
    conll = []
    if any(r[0].startswith("conll:") for r in rows):
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from derive_labels import conll_docs
        conll = conll_docs(os.path.join(ev, "conll2003", "train.txt"))
    for pid, roles in rows:
        if pid in wire:
            text = wire[pid]
        elif pid.startswith("conll:"):
            text = conll[int(pid[6:])]
        else:
            text = open(os.path.join(ev, "pages", pid + ".txt"), encoding="utf-8").read()
        print(json.dumps({"id": pid, "text": text, "roles": roles}, ensure_ascii=False))


if __name__ == "__main__":
    main()
