#!/usr/bin/python3
"""Schema-driven property tests of enrichd, on Debian's python3-hypothesis
and python3-jsonschema.

usage: properties.py ENRICHD OPENAPI_YAML [EXAMPLES]

Starts ENRICHD on a free loopback port and, for every route, sends requests
generated from openapi.yaml: valid ones (drawn from the request schemas and
parameters) and invalid ones (wrong types, missing fields, bad parameter
values, bytes that are not UTF-8, broken JSON). For each answer it checks:

- the status is documented for the route, explicitly (not by `default`);
- no answer is a 5xx;
- the body validates against the documented schema for that status and
  Content-Type (JSON Schema 2020-12; a batch line by line);
- a valid request is answered 200;
- every span's `text` equals the input sliced at its `start` and `end`, in
  the offset unit asked (UTF-8 bytes, UTF-16 code units, code points).

EXAMPLES (default 300; PROPERTY_EXAMPLES in the environment) is the number
of examples per property; `make test` runs the default, `make
test-properties-long` many more. Hypothesis shrinks a failure to its
smallest form and prints it. Exits 1 on any failure.
"""
import http.client, json, os, re, subprocess, sys, traceback

import jsonschema, yaml

# hypothesis keeps a cache of Unicode tables; in build/, not in the tree
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", os.path.join("build", "hypothesis"))
from hypothesis import HealthCheck, given, settings, strategies as st

enrichd, spec_path = sys.argv[1], sys.argv[2]
EXAMPLES = int(sys.argv[3]) if len(sys.argv) > 3 else int(os.environ.get("PROPERTY_EXAMPLES", "300"))
spec = yaml.safe_load(open(spec_path, encoding="utf-8"))
resolver = jsonschema.RefResolver.from_schema(spec)
FORMATS = jsonschema.FormatChecker()


def resolve(node):
    while isinstance(node, dict) and "$ref" in node:
        node = resolver.resolve(node["$ref"])[1]
    return node


# ---- strategies from the schemas ---------------------------------------------

# Words of news copy: names, places, dates, quotes and the lines pages carry,
# so that the answers have spans to check; and any Unicode at all.
WORDS = ["Paris", "John Smith", "Angela Merkel", "said", "on", "Tuesday", "March 3, 2024", "last week",
         "\u201cWe are close,\u201d", "\"It works,\"", "By Jane Doe", "Reuters", "\u2014", "WASHINGTON", "(AP)",
         "Read more", "Share", "the", "council", "voted", "in", "2019", "Tokyo", "caf\u00e9", "\u65e5\u672c",
         "\U0001F600", "Z\u00fcrich", "\u00a0", ",", ".", "\n", "\n\n", "-", "Related stories", "\t"]
news = st.lists(st.sampled_from(WORDS), min_size=1, max_size=60).map(" ".join)
any_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1,
                   max_size=300)
article = st.one_of(news, any_text, st.tuples(news, any_text).map("\n\n".join))


def from_schema(node, field=None):
    """A strategy for values valid against the (sub)schema node."""
    node = resolve(node)
    if field == "text":
        return article
    if "const" in node:
        return st.just(node["const"])
    if "enum" in node:
        return st.sampled_from(node["enum"])
    if "oneOf" in node:
        return st.one_of([from_schema(n) for n in node["oneOf"]])
    types = node.get("type", "object")
    if isinstance(types, list):
        return st.one_of([from_schema({**node, "type": t}, field) for t in types])
    if types == "null":
        return st.none()
    if types == "boolean":
        return st.booleans()
    if types == "integer":
        return st.integers(node.get("minimum", -2**63), node.get("maximum", 2**63 - 1))
    if types == "string":
        if node.get("format") == "date":
            return st.dates().map(lambda d: d.isoformat())
        if "pattern" in node:
            return st.from_regex(node["pattern"], fullmatch=True)
        return st.text(min_size=node.get("minLength", 0), max_size=40)
    if types == "object":
        props = node.get("properties", {})
        required = set(node.get("required", []))
        return st.fixed_dictionaries({k: from_schema(v, k) for k, v in props.items() if k in required},
                                     optional={k: from_schema(v, k) for k, v in props.items() if k not in required})
    if types == "array":
        return st.lists(from_schema(node.get("items", {})), max_size=4)
    raise ValueError(f"no strategy for {node}")


def query_strategy(op):
    """Valid query strings from an operation's parameters."""
    params = [resolve(p) for p in op.get("parameters", [])]
    return st.fixed_dictionaries({}, optional={p["name"]: from_schema(p["schema"]) for p in params})


def body_schema(op, ctype):
    return op["requestBody"]["content"][ctype]["schema"]


# Values of the wrong type for any field, and bad parameter values.
wrong = st.one_of(st.integers(), st.floats(allow_nan=False), st.booleans(), st.lists(st.integers(), max_size=2),
                  st.dictionaries(st.text(max_size=3), st.integers(), max_size=2), st.text(max_size=12))
bad_param = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7e), min_size=1, max_size=12)

# ---- the server --------------------------------------------------------------

proc = subprocess.Popen([enrichd, "--bind", "127.0.0.1", "--port", "0", "--threads", "2", "--access-log", "off",
                         "--max-in-flight", "1000"], stderr=subprocess.PIPE, text=True)
port = None
for line in proc.stderr:
    m = re.search(r"listening on \S+ port (\d+)", line)
    if m:
        port = int(m.group(1))
        break
if not port:
    print("properties: enrichd did not start")
    sys.exit(1)


def quote(v):
    from urllib.parse import quote as q
    return q(str(v), safe="")


def send(method, path, query=None, ctype=None, body=None):
    if query:
        path += "?" + "&".join(f"{k}={quote(v)}" for k, v in query.items())
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": ctype} if ctype else {}
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, (r.headers.get("Content-Type") or "").split(";")[0].strip(), data


# ---- the checks ----------------------------------------------------------------

def documented(route, method, status, ctype, data):
    """Asserts the status is listed for the operation, not a 5xx, and the
    body validates; returns the parsed body (or lines)."""
    op = spec["paths"][route][method.lower()]
    assert status < 500, f"{method} {route}: answered {status}: {data[:300]!r}"
    resp = op["responses"].get(str(status))
    assert resp is not None, f"{method} {route}: status {status} is not documented: {data[:300]!r}"
    resp = resolve(resp)
    content = resp.get("content", {})
    assert ctype in content, f"{method} {route}: {status} as {ctype!r}, documented {list(content)}"
    schema = resolve(content[ctype]["schema"])
    if ctype == "application/x-ndjson":
        lines = [json.loads(l) for l in data.decode("utf-8").split("\n") if l]
        v = jsonschema.Draft202012Validator(schema["contentSchema"], resolver=resolver, format_checker=FORMATS)
        for l in lines:
            v.validate(l)
        return lines
    value = json.loads(data) if ctype.endswith("json") else data.decode("utf-8")
    jsonschema.Draft202012Validator(schema, resolver=resolver, format_checker=FORMATS).validate(value)
    return value


def slice_in(text, start, end, unit):
    if unit == "utf16":
        return text.encode("utf-16-le")[2 * start:2 * end].decode("utf-16-le")
    if unit == "codepoint":
        return text[start:end]
    return text.encode("utf-8")[start:end].decode("utf-8")


def spans_match(value, text, unit, where="$"):
    """Every object with text, start and end names the input's slice."""
    if isinstance(value, dict):
        if isinstance(value.get("start"), int) and isinstance(value.get("end"), int) and isinstance(value.get("text"), str):
            got = slice_in(text, value["start"], value["end"], unit)
            assert got == value["text"], f"span {where} [{value['start']}, {value['end']}) in {unit}: {value['text']!r} but the input has {got!r}"
        for k, v in value.items():
            spans_match(v, text, unit, f"{where}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            spans_match(v, text, unit, f"{where}[{i}]")


ENRICH = spec["paths"]["/v1/enrich"]["post"]
BATCH = spec["paths"]["/v1/enrich/batch"]["post"]
# make test draws the same examples every run (CI stays reproducible); the
# long run (PROPERTY_RANDOM=1) new ones each time
props = settings(max_examples=EXAMPLES, deadline=None, database=None,
                 derandomize=os.environ.get("PROPERTY_RANDOM") != "1",
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])


@props
@given(query_strategy(ENRICH), article)
def enrich_text_valid(query, text):
    status, ctype, data = send("POST", "/v1/enrich", query, "text/plain; charset=utf-8", text.encode("utf-8"))
    value = documented("/v1/enrich", "POST", status, ctype, data)
    assert status == 200, f"a valid request answered {status}: {value}"
    spans_match(value, text, value["offsets"])


@props
@given(query_strategy(ENRICH), from_schema(body_schema(ENRICH, "application/json")))
def enrich_json_valid(query, body):
    status, ctype, data = send("POST", "/v1/enrich", query, "application/json", json.dumps(body).encode("utf-8"))
    value = documented("/v1/enrich", "POST", status, ctype, data)
    assert status == 200, f"a valid request answered {status}: {value}"
    if "id" in body:
        assert value["id"] == body["id"], f"id {body['id']!r} came back as {value['id']!r}"
    spans_match(value, body["text"], value["offsets"])


@props
@given(from_schema(body_schema(ENRICH, "application/json")),
       st.sampled_from(["text", "id", "reference_date", "offsets", "include", "options", "drop-text"]), wrong)
def enrich_json_invalid(body, field, value):
    if field == "drop-text":
        body.pop("text")
    else:
        body[field] = value
    status, ctype, data = send("POST", "/v1/enrich", None, "application/json", json.dumps(body).encode("utf-8"))
    value = documented("/v1/enrich", "POST", status, ctype, data)
    # the schema decides: what it allows is answered, what it refuses is not
    valid = jsonschema.Draft202012Validator(resolve(body_schema(ENRICH, "application/json")), resolver=resolver,
                                            format_checker=FORMATS).is_valid(body)
    if valid:
        assert status == 200, f"the schema allows {body!r}, answered {status}: {value}"
    else:
        assert status in (400, 422), f"the schema refuses {body!r}, answered {status}"


@props
@given(st.sampled_from(["reference_date", "offsets", "include", "pretty"]), bad_param, article)
def enrich_bad_query(name, value, text):
    status, ctype, data = send("POST", "/v1/enrich", {name: value}, "text/plain", text.encode("utf-8"))
    documented("/v1/enrich", "POST", status, ctype, data)
    param = next(resolve(p) for p in ENRICH["parameters"] if resolve(p)["name"] == name)
    if jsonschema.Draft202012Validator(resolve(param["schema"]), resolver=resolver, format_checker=FORMATS).is_valid(value):
        assert status == 200, f"{name}={value!r} is a valid parameter, answered {status}"
    else:
        assert status == 400, f"{name}={value!r} is not a valid parameter, answered {status}"


@props
@given(st.binary(max_size=200), st.sampled_from(["text/plain", "application/json", "text/plain; charset=latin1",
                                                  "image/png", "application/x-www-form-urlencoded"]))
def enrich_any_bytes(body, ctype):
    status, ctype_out, data = send("POST", "/v1/enrich", None, ctype, body)
    documented("/v1/enrich", "POST", status, ctype_out, data)


@props
@given(query_strategy(BATCH),
       st.lists(st.one_of(from_schema(resolve(body_schema(BATCH, "application/x-ndjson"))["contentSchema"])
                          .map(json.dumps), st.just("not json"), st.just("{\"text\": 5}")), min_size=1, max_size=5))
def batch(query, lines):
    status, ctype, data = send("POST", "/v1/enrich/batch", query, "application/x-ndjson",
                               "\n".join(lines).encode("utf-8"))
    answers = documented("/v1/enrich/batch", "POST", status, ctype, data)
    assert status == 200 and len(answers) == len(lines), f"{status}: {len(answers)} answers to {len(lines)} lines"
    for line, answer in zip(lines, answers):
        if "error" in answer:
            continue
        record = json.loads(line)
        spans_match(answer, record["text"], answer["offsets"])


@props
@given(st.sampled_from(["/healthz", "/readyz", "/metrics", "/openapi.yaml", "/"]),
       st.dictionaries(st.sampled_from(["a", "pretty", "x"]), bad_param, max_size=2))
def gets(route, query):
    status, ctype, data = send("GET", route, query)
    documented(route, "GET", status, ctype, data)
    assert status == 200, f"GET {route}: {status}"


failed = 0
tests = [enrich_text_valid, enrich_json_valid, enrich_json_invalid, enrich_bad_query, enrich_any_bytes, batch, gets]
for t in tests:
    try:
        t()
        print(f"PASS {t.__name__} ({EXAMPLES} examples)")
    except Exception:
        failed += 1
        print(f"FAIL {t.__name__}")
        traceback.print_exc(limit=1)
proc.terminate()
rc = proc.wait(timeout=60)
if rc != 0:
    failed += 1
    print(f"FAIL enrichd exited {rc}")
print(f"properties: {len(tests) - min(failed, len(tests))} passed, {failed} failed")
sys.exit(1 if failed else 0)
