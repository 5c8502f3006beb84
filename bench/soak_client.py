#!/usr/bin/env python3
"""The soak's client: THREADS keep-alive connections walking through every
kind of request enrichd takes, each answer's status checked.

usage: soak_client.py PORT REQUESTS ARTICLE   (prints: answered wrong)
"""
import http.client
import json
import sys
import threading

port, total, article = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
THREADS = 4
text = open(article, encoding="utf-8").read()
batch = "\n".join(json.dumps({"id": i, "text": text[:600]}) for i in range(3)) + "\nnot json\n"
MIX = [
    ("POST", "/v1/enrich?reference_date=2024-07-11", "text/plain; charset=utf-8", text.encode(), 200),
    ("GET", "/healthz", None, None, 200),
    ("POST", "/v1/enrich", "application/json",
     json.dumps({"id": "x", "text": text[:1500], "options": {"offsets": "utf16"}}).encode(), 200),
    ("POST", "/v1/enrich/batch", "application/x-ndjson", batch.encode(), 200),
    ("GET", "/metrics", None, None, 200),
    ("POST", "/v1/enrich", "application/json", b'{"text": 5}', 422),
    ("GET", "/no/such/path", None, None, 404),
    ("POST", "/v1/enrich", "text/plain", b"bad byte \xff here", 400),
]
done, wrong, lock = [0], [0], threading.Lock()


def run(n, k):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for i in range(n):
        method, path, ctype, body, want = MIX[(i + k) % len(MIX)]
        try:
            conn.request(method, path, body=body, headers={"Content-Type": ctype} if ctype else {})
            resp = conn.getresponse()
            resp.read()
            ok = resp.status == want
        except Exception:
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            ok = False
        with lock:
            done[0] += 1
            wrong[0] += not ok


threads = [threading.Thread(target=run, args=(total // THREADS + (k < total % THREADS), k)) for k in range(THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(done[0], wrong[0])
