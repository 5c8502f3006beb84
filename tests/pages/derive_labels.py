#!/usr/bin/env python3
"""Derive a role for every non-blank line of the development pages from their
gold (gold.jsonl: headline, dateline, bylines, related titles) and the
benchmark's reference article body (index.jsonl), by the rules below. The
output is tests/pages/labels.txt: one page a line, "ID<TAB>ROLES", ROLES one
letter per non-blank line of the page in order (legend in lib/lines.h):

  H headline   S subheadline   Y byline   T time stamp   D dateline paragraph
  C caption or credit   X boilerplate   B body   K related heading
  R related item   G sign-off   F footer

Hand corrections live in tests/pages/corrections.txt ("ID LINE ROLE", LINE
counted from 1 over non-blank lines) and are applied last.

Wire copy, so that the model knows hard-wrapped paragraphs too: every 40th
story of Reuters-21578 dev (REUTERS_JSONL), named "reuters:NEWID": the title
lines are the headline, the first body line the dateline paragraph when the
story has a dateline, a closing "Reuter" the sign-off, the rest body.

News as sentences a line, as the CoNLL-2003 scorer builds its articles: every
10th document of CoNLL-2003 train (CONLL_TRAIN), named "conll:N" (N counting
documents from 0): the first line is the headline, a line holding only a
place and a date ("BRUSSELS 1996-08-22") the dateline, a short line of
capitalized words between them the byline, every other line body (results
tables included: they are the story there).

usage: derive_labels.py PAGES_DIR [REUTERS_JSONL [CONLL_TRAIN]] > tests/pages/labels.txt
"""
import json, os, re, sys

WORD = re.compile(r"\w+", re.UNICODE)
MONTHS = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
DATEISH = re.compile(r"\b" + MONTHS + r"\s+\d{1,2}\b|\b\d{1,2}\s+" + MONTHS + r"|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b"
                     r"|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}:\d{2}\b|\b(updated|published|posted)\b|\bago\b", re.I)
CREDIT = re.compile(r"(photo|image|picture|video|getty|credit|illustration|\bap\b|afp|reuters|shutterstock|file)", re.I)
LABEL = re.compile(r"^[^:\n]{1,40}:\s+")
# what the library trims off a line (lib/utf8.c), and a carriage return
WS = " \t\r\u00a0" + "".join(chr(c) for c in range(0x2000, 0x200C)) + "\u202f\u205f\u3000\ufeff"


def split_lines(text):
    return [l.strip(WS) for l in text.split("\n") if l.strip(WS)]


def norm_title(s):
    s = re.sub(r"\s+", " ", s or "").strip()
    return re.sub(r"\s*(\.\.\.|…)$", "", s)


def title_match(p, g):
    p, g = norm_title(p), norm_title(g)
    if not p or not g:
        return False
    if p == g:
        return True
    for a, b in ((p, g), (g, p)):
        if a.endswith(b) and LABEL.fullmatch(a[: len(a) - len(b)]):
            return True
    return False


def grams(words, n=3):
    return [tuple(words[i:i + n]) for i in range(max(0, len(words) - n + 1))]


def label_page(text, gold, body):
    lines = split_lines(text)
    n = len(lines)
    roles = [None] * n
    bwords = [w.lower() for w in WORD.findall(body)]
    bset = set(grams(bwords))
    bnorm = re.sub(r"\s+", "", body).lower()
    inbody = [False] * n
    strong = [False] * n
    for i, l in enumerate(lines):
        ws = [w.lower() for w in WORD.findall(l)]
        g = grams(ws)
        if len(g) >= 2:
            hit = sum(1 for x in g if x in bset) / len(g)
            inbody[i] = hit >= 0.5 or (len(g) >= 6 and all(x in bset for x in g[:4]))
            strong[i] = inbody[i] and len(ws) >= 8
        elif ws:
            inbody[i] = re.sub(r"\s+", "", l).lower() in bnorm
    first = next((i for i in range(n) if strong[i]), None)
    last = next((i for i in range(n - 1, -1, -1) if strong[i]), None)
    if first is None:
        first = next((i for i in range(n) if inbody[i]), 0)
        last = next((i for i in range(n - 1, -1, -1) if inbody[i]), n - 1)
    while first > 0 and inbody[first - 1] and len(lines[first - 1].split()) >= 4:
        first -= 1
    # headline
    h = next((i for i, l in enumerate(lines) if l == gold["headline"].strip()), 0)
    roles[h] = "H"
    for i in range(h):
        roles[i] = "X"
    # body
    for i in range(first, last + 1):
        if inbody[i] and roles[i] is None:
            roles[i] = "B"
    # related items and their headings
    rel = list(gold.get("related", [])) + list(gold.get("related_optional", []))
    for i, l in enumerate(lines):
        bare = re.sub(r"^(?:[*•·▪►>\-–—]+|\d{1,2}[.)])\s*", "", l)
        if roles[i] in (None, "B") and any(title_match(l, t) or title_match(bare, t) or
                                           (len(t) > 20 and t in l and len(l) < len(t) + 40) for t in rel) and i != h:
            roles[i] = "R"
    # items within four lines of each other are one list; the short line
    # just above a list's first item is its heading; lines between items
    # (category tags, dates, thumbnails' credits) are boilerplate
    items = [i for i in range(n) if roles[i] == "R"]
    clusters = []
    for i in items:
        if clusters and i - clusters[-1][-1] <= 4:
            clusters[-1].append(i)
        else:
            clusters.append([i])
    for c in clusters:
        j = c[0] - 1
        if j >= 0 and roles[j] is None and len(lines[j].split()) <= 8 and not lines[j].endswith(".") \
                and re.search(r"[^\W\d_]{3,}", lines[j]) and not DATEISH.search(lines[j]):
            roles[j] = "K"
        for k in range(c[0], c[-1]):
            if roles[k] is None:
                roles[k] = "X"

    # bylines and photo credits
    names = [(b["role"], b["name"].lower()) for b in gold.get("bylines", []) + gold.get("bylines_optional", [])]
    for i, l in enumerate(lines):
        low = l.lower()
        for role, name in names:
            if name and name in low and roles[i] in (None, "B", "X"):
                if role == "photographer":
                    roles[i] = "C"
                elif roles[i] != "B" or re.match(r"(by|reporting|editing|additional|written|edited|compiled|translated)\b", low) \
                        or len(l.split()) <= 12:
                    roles[i] = "Y"
    for i in range(n - 1):
        if roles[i] in (None, "X") and re.fullmatch(r"by:?", lines[i], re.I) and roles[i + 1] == "Y":
            roles[i] = "Y"
    # dateline paragraph
    dl = gold.get("dateline")
    if dl:
        key = dl["text"].lower()
        for i in range(min(n, last + 1)):
            if lines[i].lower().lstrip("*• ").startswith(key) and roles[i] in (None, "B", "X", "Y"):
                roles[i] = "D"
                break
    # subheadline: a sentence-like line under the headline, before the body
    for i in range(h + 1, min(h + 3, first)):
        if roles[i] is None and not inbody[i] and len(lines[i].split()) >= 6 and not DATEISH.search(lines[i][:40]):
            roles[i] = "S"
            break
    # the rest by position and shape
    for i, l in enumerate(lines):
        if roles[i] is not None:
            continue
        words = len(l.split())
        if i < first and len(l) <= 90 and DATEISH.search(l):
            roles[i] = "T"
        elif i > last:
            roles[i] = "F"
        elif words >= 6 and (CREDIT.search(l) or i > first) and not l.endswith(":"):
            roles[i] = "C"
        else:
            roles[i] = "X"
    return roles


def label_wire(story):
    raw = story["text"].split("\n")
    roles, in_title, first_para = [], True, None
    for l in raw:
        if not l.strip(WS):
            in_title = in_title and not roles
            if first_para:
                first_para = False
            continue
        if in_title:
            roles.append("H")
            continue
        indented = l[:1] in (" ", "\t")
        if first_para is None:
            first_para = True
        elif first_para and indented:
            first_para = False
        roles.append("D" if first_para and story.get("dateline_gold") else "B")
    lines = [l.strip(WS) for l in raw if l.strip(WS)]
    if roles and roles[-1] in "BD" and re.fullmatch(r"reuters?", lines[-1], re.I):
        roles[-1] = "G"
    return roles


def conll_docs(path):
    """The documents of a CoNLL file as the CoNLL scorer joins them."""
    docs, cur, sent = [], [], []
    for l in open(path, encoding="utf-8"):
        l = l.rstrip("\n")
        if l.startswith("-DOCSTART-"):
            if sent:
                cur.append(" ".join(sent)); sent = []
            if cur:
                docs.append("\n".join(cur))
            cur = []
            continue
        if not l.strip():
            if sent:
                cur.append(" ".join(sent)); sent = []
            continue
        sent.append(l.split()[0])
    if sent:
        cur.append(" ".join(sent))
    if cur:
        docs.append("\n".join(cur))
    return docs


DATELINE_DATE = re.compile(r"^[A-Z][A-Za-z .,'-]*\d{4}-\d{2}-\d{2}$")


def label_conll(text):
    lines = split_lines(text)
    roles = ["B"] * len(lines)
    if not lines:
        return roles
    roles[0] = "H"
    for i, l in enumerate(lines[1:4], 1):
        if DATELINE_DATE.match(l):
            roles[i] = "D"
            for j in range(1, i):
                if len(lines[j].split()) <= 4 and all(w[:1].isupper() for w in lines[j].split()):
                    roles[j] = "Y"
            break
    return roles


def main():
    d = sys.argv[1]
    gold = {json.loads(l)["id"]: json.loads(l) for l in open(os.path.join(d, "gold.jsonl"), encoding="utf-8") if l.strip()}
    ref = {json.loads(l)["id"]: json.loads(l) for l in open(os.path.join(d, "index.jsonl"), encoding="utf-8") if l.strip()}
    corr = {}
    cpath = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corrections.txt")
    if os.path.exists(cpath):
        for l in open(cpath, encoding="utf-8"):
            l = l.split("#")[0].split()
            if len(l) == 3:
                corr.setdefault(l[0], []).append((int(l[1]), l[2]))
    for pid in sorted(gold):
        text = open(os.path.join(d, pid + ".txt"), encoding="utf-8").read()
        roles = label_page(text, gold[pid], ref[pid]["article_body"])
        for line, role in corr.get(pid, []):
            if 1 <= line <= len(roles):
                roles[line - 1] = role
        print(pid + "\t" + "".join(roles))
    if len(sys.argv) > 2:
        for k, l in enumerate(open(sys.argv[2], encoding="utf-8")):
            if k % 40 == 0:
                story = json.loads(l)
                print("reuters:%s\t%s" % (story["id"], "".join(label_wire(story))))
    if len(sys.argv) > 3:
        for k, text in enumerate(conll_docs(sys.argv[3])):
            if k % 10 == 0:
                print("conll:%d\t%s" % (k, "".join(label_conll(text))))


if __name__ == "__main__":
    main()
