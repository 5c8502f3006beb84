#!/usr/bin/env python3
"""The unlabelled news text the word classes are learned from (make clusters):
CoNLL-2003 train (its words only, tags dropped; documents as score_ner.py
joins them: tokens by spaces, sentences by newlines), the Reuters-21578 dev
stories and the development pages. Writes JSON Lines {"text"} to stdout.

usage: cluster_corpus.py EVAL_DIR
"""
import glob, json, os, sys

def conll_docs(path):
    doc, sent = [], []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("-DOCSTART-"):
            if sent: doc.append(" ".join(sent)); sent = []
            if doc: yield "\n".join(doc); doc = []
            continue
        if not line.strip():
            if sent: doc.append(" ".join(sent)); sent = []
            continue
        sent.append(line.split()[0])
    if sent: doc.append(" ".join(sent))
    if doc: yield "\n".join(doc)

def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    d = sys.argv[1]
    out = sys.stdout
    for text in conll_docs(os.path.join(d, "conll2003", "train.txt")):
        out.write(json.dumps({"text": text}) + "\n")
    for line in open(os.path.join(d, "reuters21578", "stories-dev.jsonl"), encoding="utf-8"):
        if line.strip():
            out.write(json.dumps({"text": json.loads(line)["text"]}) + "\n")
    for path in sorted(glob.glob(os.path.join(d, "pages", "*.txt"))):
        out.write(json.dumps({"text": open(path, encoding="utf-8").read()}) + "\n")

if __name__ == "__main__":
    main()
