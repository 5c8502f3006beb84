#!/usr/bin/env python3
"""Held-out figures for the line-role model. The labelled articles are split
into K folds (article i in fold i % K, as 'enrich train-layout --folds'
splits them); a model is trained for each fold on the other folds. Every
page is then annotated by the model that did not see it, and the pages' own
scorers (score_anatomy.py, score_body.py) score all of them at once.

usage: crossval.py EVAL_DIR ENRICH_BINARY [K [TRAIN-LAYOUT OPTIONS...]]
CV_DUMP=FILE writes the anatomy scorer's misses there, CV_BODY_DUMP=FILE the
body scorer's pages, worst first.
"""
import json, os, shutil, subprocess, sys, tempfile

# The binary the scorers run: JSON Lines in, each line annotated by its
# fold's model, answers in input order.
DISPATCH = r'''#!/usr/bin/env python3
import json, subprocess, sys
binary, models, fold_of = %r, %r, %r
lines = sys.stdin.buffer.read().decode("utf-8").splitlines()
groups = {}
for i, l in enumerate(lines):
    if l.strip():
        groups.setdefault(fold_of.get(str(json.loads(l).get("id")), 0), []).append(i)
out = [None] * len(lines)
for f, idx in groups.items():
    r = subprocess.run([binary, "--layout-model", models[f]] + sys.argv[1:],
                       input="\n".join(lines[i] for i in idx).encode("utf-8") + b"\n", capture_output=True)
    if r.returncode:
        sys.stderr.buffer.write(r.stderr)
        sys.exit(r.returncode)
    for i, o in zip(idx, r.stdout.decode("utf-8").splitlines()):
        out[i] = o
sys.stdout.write("".join(o + "\n" for o in out if o is not None))
'''


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    ev, binary = sys.argv[1], os.path.abspath(sys.argv[2])
    k = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    train_opts = sys.argv[4:]
    here = os.path.dirname(os.path.abspath(__file__))
    samples = subprocess.run([sys.executable, os.path.join(here, "layout_samples.py"), ev],
                             capture_output=True, check=True).stdout.decode("utf-8").splitlines()
    ids = [json.loads(l)["id"] for l in samples]
    tmp = tempfile.mkdtemp(prefix="enrich-cv-")
    try:
        models = []
        for f in range(k):
            model = os.path.join(tmp, "fold%d.model" % f)
            subprocess.run([binary, "train-layout"] + train_opts + ["--output", model, "-"],
                           input="\n".join(l for i, l in enumerate(samples) if i % k != f).encode("utf-8"),
                           check=True, capture_output=True)
            models.append(model)
        fold_of = {pid: i % k for i, pid in enumerate(ids)}
        wrapper = os.path.join(tmp, "enrich-cv")
        with open(wrapper, "w") as fh:
            fh.write(DISPATCH % (binary, models, fold_of))
        os.chmod(wrapper, 0o755)
        score = os.path.join(ev, "score")
        pages = os.path.join(ev, "pages")
        print("== anatomy, every page by the model that did not see it (%d folds)" % k)
        dump = ["--dump", os.environ["CV_DUMP"]] if os.environ.get("CV_DUMP") else []
        out = subprocess.run([sys.executable, os.path.join(score, "score_anatomy.py"), pages, wrapper] + dump,
                             capture_output=True)
        print("\n".join(out.stdout.decode("utf-8").strip().splitlines()[-7:]))
        print("== body, the same way")
        bdump = ["--dump", os.environ["CV_BODY_DUMP"]] if os.environ.get("CV_BODY_DUMP") else []
        out = subprocess.run([sys.executable, os.path.join(score, "score_body.py"), pages, wrapper] + bdump,
                             capture_output=True)
        print(out.stdout.decode("utf-8").strip().splitlines()[-1])
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
