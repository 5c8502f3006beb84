#!/usr/bin/env python3
"""Checks enrichd through a reverse proxy (make image-test: nginx with
docker/nginx.conf in front of the containerised enrichd).

usage: proxy_check.py BASE_URL [ACCESS_LOG]

ACCESS_LOG, when given, is enrichd's standard output: the check that the
client address came through X-Forwarded-For reads it.
"""
import http.client
import json
import sys
import time
import urllib.parse

base = urllib.parse.urlsplit(sys.argv[1])
access_log = sys.argv[2] if len(sys.argv) > 2 else None
passed = failed = 0


def result(ok, name, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"PASS {name}")
    else:
        failed += 1
        print(f"FAIL {name}: {detail}")


conn = http.client.HTTPConnection(base.hostname, base.port, timeout=60)


def call(method, path, body=None, ctype=None, headers=None):
    h = dict(headers or {})
    if ctype:
        h["Content-Type"] = ctype
    conn.request(method, path, body=body, headers=h)
    r = conn.getresponse()
    return r.status, r.headers, r.read()


ARTICLE = ("NATO leaders meet in Washington\n\n"
           "WASHINGTON (AP) \u2014 NATO leaders met on Wednesday. \u201cWe are united,\u201d "
           "Jens Stoltenberg said.\n\nEdited by Jane Doe.\n")

s, h, b = call("GET", "/healthz")
result(s == 200 and json.loads(b) == {"status": "ok"}, "GET /healthz", f"{s} {b[:80]}")
s, h, b = call("GET", "/readyz")
result(s == 200, "GET /readyz", s)

s, h, b = call("POST", "/v1/enrich?reference_date=2024-07-11", ARTICLE.encode(), "text/plain; charset=utf-8")
doc = json.loads(b) if s == 200 else {}
ok = (s == 200 and doc.get("article", {}).get("dateline", {}).get("city") == "WASHINGTON"
      and any(d.get("value") == "2024-07-10" for d in doc.get("dates", []))
      and doc.get("quotes") and doc.get("article", {}).get("bylines"))
result(ok, "POST /v1/enrich through the proxy: dateline, dates, quotes, bylines", f"{s} {b[:200]}")
rid = h.get("X-Request-Id") or ""
result(len(rid) == 32, "nginx's $request_id reaches enrichd and comes back", rid)

s, h, b = call("POST", "/v1/enrich", json.dumps({"id": "p-1", "text": ARTICLE}).encode(), "application/json",
               {"X-Request-Id": "proxy-check-1"})
result(s == 200 and b.startswith(b'{"id":"p-1",'), "JSON body with an id", f"{s} {b[:80]}")

lines = "\n".join(json.dumps({"id": i, "text": ARTICLE}) for i in range(5)) + "\nnot json\n"
s, h, b = call("POST", "/v1/enrich/batch", lines.encode(), "application/x-ndjson")
out = [json.loads(l) for l in b.decode().splitlines() if l]
ok = (s == 200 and [o.get("id") for o in out] == [0, 1, 2, 3, 4, None] and "error" in out[5])
result(ok, "batch streams through the proxy, one line a record, in order", f"{s} {len(out)} lines")

s, h, b = call("POST", "/v1/enrich", b"caf\xc3", "text/plain")
p = json.loads(b) if b else {}
result(s == 400 and h.get("Content-Type") == "application/problem+json" and p.get("position") == 3,
       "invalid UTF-8 is enrichd's problem, not the proxy's", f"{s} {b[:120]}")
s, h, b = call("POST", "/v1/enrich", b"<a/>", "application/xml")
result(s == 415 and b"unsupported-media-type" in b, "415 passes through", s)
big = b"a" * (11 * 1024 * 1024)
s, h, b = call("POST", "/v1/enrich", big, "text/plain")
result(s == 413 and b"body-too-large" in b, "a body over enrichd's limit: 413 problem", s)
s, h, b = call("GET", "/no/such/path")
result(s == 404 and b"not-found" in b, "404 problem", s)

s, h, b = call("GET", "/metrics")
result(s == 200 and b"enrich_http_requests_total" in b, "GET /metrics", s)

# the client address behind the proxy
s, h, b = call("POST", "/v1/enrich?include=dates", b"On Monday.", "text/plain",
               {"X-Forwarded-For": "198.51.100.23", "X-Request-Id": "proxy-xff"})
if access_log:
    time.sleep(0.3)
    line = next((json.loads(l) for l in open(access_log) if '"proxy-xff"' in l), None)
    result(line is not None and line.get("client") == "198.51.100.23" and line.get("status") == 200,
           "X-Forwarded-For through a trusted proxy names the client in the access log", line)

# keep-alive across many requests
t0 = time.time()
for i in range(200):
    s, h, b = call("GET", "/healthz")
    if s != 200:
        break
result(s == 200, f"200 keep-alive requests through the proxy ({(time.time() - t0) * 1000:.0f} ms)", s)

print(f"proxy: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
