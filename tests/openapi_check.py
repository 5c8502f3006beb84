#!/usr/bin/env python3
"""Validate enrichd's real responses against openapi.yaml.

usage: openapi_check.py ENRICHD OPENAPI_YAML

Starts ENRICHD on a free loopback port, sends one request for each route and
each documented error, and checks that every response's status is documented
for its path and method, that its Content-Type is one the document lists for
that status, and that its body validates against that schema (JSON Schema
2020-12, as OpenAPI 3.1 uses). Prints 'N passed, N failed' last.
Needs Debian's python3-yaml and python3-jsonschema.
"""
import http.client, json, re, signal, subprocess, sys, urllib.request, urllib.error

import jsonschema, yaml

enrichd, spec_path = sys.argv[1], sys.argv[2]
spec = yaml.safe_load(open(spec_path, encoding="utf-8"))
resolver = jsonschema.RefResolver.from_schema(spec)
passed = failed = 0


def result(ok, name, why=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"PASS {name}")
    else:
        failed += 1
        print(f"FAIL {name}: {why}")


proc = subprocess.Popen([enrichd, "--bind", "127.0.0.1", "--port", "0", "--threads", "2", "--access-log", "off"],
                        stderr=subprocess.PIPE, text=True)
port = None
for line in proc.stderr:
    m = re.search(r"listening on \S+ port (\d+)", line)
    if m:
        port = int(m.group(1))
        break
if not port:
    print("enrichd did not start"); sys.exit(1)
base = f"http://127.0.0.1:{port}"

ARTICLE = ("Ministers agree on new fishing quotas\n\n"
           "The deal sets limits for the next three years.\n\n"
           "Oslo, Norway\n\n"
           "Fisheries ministers agreed on Tuesday to cut quotas.\n\n"
           "Read more\n\n"
           "Quotas explained: what changes for boats\u00a0Opens in new window ]\n\n"
           "Editing by Kari Nordmann.\n")

cases = [
    ("GET", "/healthz", None, None),
    ("GET", "/readyz", None, None),
    ("GET", "/openapi.yaml", None, None),
    ("POST", "/v1/enrich?reference_date=2024-03-05", "text/plain; charset=utf-8", ARTICLE.encode()),
    ("POST", "/v1/enrich?offsets=utf16&pretty=1", "text/plain", ARTICLE.encode()),
    ("POST", "/v1/enrich?include=article,related", "text/plain", ARTICLE.encode()),
    ("POST", "/v1/enrich", "application/json",
     json.dumps({"id": "story-1", "text": ARTICLE, "reference_date": "2024-03-05",
                 "options": {"offsets": "codepoint"}}).encode()),
    ("POST", "/v1/enrich", "application/json", json.dumps({"id": 7, "text": ""}).encode()),
    ("POST", "/v1/enrich", "text/plain", b"bad \xff byte"),
    ("POST", "/v1/enrich", "text/plain", b"nul \x00 byte"),
    ("POST", "/v1/enrich", "text/plain", b""),
    ("POST", "/v1/enrich?reference_date=2024-02-30", "text/plain", b"text"),
    ("POST", "/v1/enrich?offsets=bytes", "text/plain", b"text"),
    ("POST", "/v1/enrich?include=everything", "text/plain", b"text"),
    ("POST", "/v1/enrich", "application/json", b"{\"text\": "),
    ("POST", "/v1/enrich", "application/json", b"[1, 2]"),
    ("POST", "/v1/enrich", "application/json", b"{\"text\": 5}"),
    ("POST", "/v1/enrich", "application/json", b"{\"text\": \"a\", \"reference_date\": \"July 4\"}"),
    ("POST", "/v1/enrich", "application/json", b"{\"text\": \"a\", \"text\": \"b\"}"),
    ("POST", "/v1/enrich", "application/xml", b"<a/>"),
    ("POST", "/v1/enrich", "text/plain; charset=latin1", b"text"),
    ("POST", "/v1/enrich", "text/plain", "HEADERS-ONLY 10485761"),
    ("GET", "/v1/enrich", None, None),
    ("DELETE", "/healthz", None, None),
    ("GET", "/no/such/path", None, None),
    ("GET", "/metrics", None, None),
    ("GET", "/", None, None),
    ("POST", "/v1/enrich/batch?reference_date=2024-03-05", "application/x-ndjson",
     (json.dumps({"id": "a", "text": ARTICLE}) + "\nnot json\n\n" +
      json.dumps({"id": 2, "text": 5}) + "\n" + json.dumps({"id": "c", "text": "x", "offsets": "utf16"})).encode()),
    ("POST", "/v1/enrich/batch", "text/plain", b"{}"),
    ("POST", "/v1/enrich/batch", "application/x-ndjson", b""),
]

for method, path, ctype, body in cases:
    name = f"{method} {path} {ctype or ''}".strip()
    req = urllib.request.Request(base + path, data=body, method=method)
    if ctype:
        req.add_header("Content-Type", ctype)
    try:
        if isinstance(body, str):  # announce a body too large, send only the headers
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.putrequest(method, path)
            conn.putheader("Content-Type", ctype)
            conn.putheader("Content-Length", body.split()[1])
            conn.putheader("Expect", "100-continue")
            conn.endheaders()
            resp = conn.getresponse()
            status, headers, data = resp.status, resp.headers, resp.read()
            conn.close()
        else:
            resp = urllib.request.urlopen(req, timeout=30)
            status, headers, data = resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as e:
        status, headers, data = e.code, e.headers, e.read()
    except Exception as e:  # a reset connection is a failure too
        result(False, name, repr(e)); continue
    op = spec["paths"].get(path.split("?")[0], {}).get(method.lower())
    if op is None:  # undocumented path or method: must be the default problem
        op = {"responses": {"default": spec["components"]["responses"]["Problem"]}}
    doc = op["responses"].get(str(status)) or op["responses"].get("default")
    if doc is None:
        result(False, name, f"status {status} is not documented"); continue
    if "$ref" in doc:
        doc = spec["components"]["responses"][doc["$ref"].split("/")[-1]]
    ct = (headers.get("Content-Type") or "").split(";")[0].strip()
    content = doc.get("content", {})
    if ct not in content:
        result(False, name, f"status {status} with Content-Type {ct!r}, documented {list(content)}"); continue
    schema = content[ct]["schema"]
    try:
        validator = jsonschema.Draft202012Validator(schema, resolver=resolver,
                                                    format_checker=jsonschema.FormatChecker())
        if ct == "application/x-ndjson":  # each line an answer or an error
            line_schema = {"oneOf": [{"$ref": "#/components/schemas/EnrichResponse"},
                                     {"$ref": "#/components/schemas/BatchError"}]}
            lines = [l for l in data.decode("utf-8").split("\n") if l]
            if not lines:
                raise ValueError("no lines")
            for l in lines:
                jsonschema.Draft202012Validator(line_schema, resolver=resolver,
                                                format_checker=jsonschema.FormatChecker()).validate(json.loads(l))
        else:
            value = data.decode("utf-8") if ct in ("application/yaml", "text/plain", "text/html") else json.loads(data)
            validator.validate(value)
        result(True, f"{name} -> {status} {ct}")
    except Exception as e:
        result(False, name, f"{status}: {str(e)[:300]}")

proc.send_signal(signal.SIGTERM)
rc = proc.wait(timeout=30)
result(rc == 0, "enrichd exits 0 on SIGTERM", f"exit {rc}")
print(f"openapi: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
