#!/bin/sh
# make bench, the server half: two ratios measured in one run on loopback
# with wrk (Debian's), printed, never asserted.
#
#  1. The HTTP layer alone: GET /healthz on enrichd --threads 1 against
#     Debian's nginx (one worker) returning a body of the same size.
#  2. Enrichment under HTTP: enrichd --threads 1 answering POST /v1/enrich
#     with the seed article at 1, 16 and 256 connections, against the CLI's
#     single-thread rate on the same article ('enrich --jsonl').
#
# usage: bench/http.sh BUILD_DIR SEED_ARTICLE [SECONDS]
set -eu
build=$1
article=$2
secs=${3:-5}
for tool in wrk nginx; do
    command -v $tool >/dev/null 2>&1 || [ -x /usr/sbin/$tool ] || {
        echo "bench: $tool is missing (.ci/setup wrk nginx-light installs it); skipping the HTTP figures"; exit 0; }
done
[ -f "$article" ] || { echo "bench: $article is absent; skipping the HTTP figures"; exit 0; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
tmp=$(mktemp -d)
pids=""
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null || true; done
    [ -f "$tmp/nginx.pid" ] && kill "$(cat "$tmp/nginx.pid")" 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# enrichd, one polling thread, no access log (the log is I/O wrk would measure)
eport=$(free_port)
"$build/enrichd" --bind 127.0.0.1 --port "$eport" --threads 1 --access-log off 2>"$tmp/enrichd.err" &
pids="$pids $!"
# nginx, one worker, the same body /healthz gives
nport=$(free_port)
mkdir -p "$tmp/nginx"
cat > "$tmp/nginx.conf" <<EOF
worker_processes 1;
pid $tmp/nginx.pid;
error_log $tmp/nginx/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $tmp/nginx; proxy_temp_path $tmp/nginx; fastcgi_temp_path $tmp/nginx;
    uwsgi_temp_path $tmp/nginx; scgi_temp_path $tmp/nginx;
    server {
        listen 127.0.0.1:$nport;
        location = /healthz { default_type application/json; add_header Cache-Control no-store; return 200 '{"status":"ok"}\n'; }
    }
}
EOF
"$NGINX" -c "$tmp/nginx.conf" -e "$tmp/nginx/error.log"
for i in $(seq 50); do
    curl -sf "http://127.0.0.1:$eport/healthz" >/dev/null 2>&1 && curl -sf "http://127.0.0.1:$nport/healthz" >/dev/null 2>&1 && break
    sleep 0.1
done

# wrk's summary: requests/s p50 p99 non2xx errors. A request counts as dropped
# when it gets no answer within 30 s (wrk's default gives up after 2 s, which
# at 256 connections on one thread counts slow answers as lost).
run_wrk() { # url connections [lua]
    url=$1 conns=$2 lua=${3:-}
    threads=$([ "$conns" -ge 2 ] && echo 2 || echo 1)
    if [ -n "$lua" ]; then
        wrk -t"$threads" -c"$conns" -d"${secs}s" --timeout 30s --latency -s "$lua" "$url" > "$tmp/wrk.out" 2>&1 || true
    else
        wrk -t"$threads" -c"$conns" -d"${secs}s" --timeout 30s --latency "$url" > "$tmp/wrk.out" 2>&1 || true
    fi
    awk '
        function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
        /Requests\/sec:/ { rps = $2 }
        /^ +50%/ { p50 = ms($2) }
        /^ +99%/ { p99 = ms($2) }
        /Non-2xx or 3xx responses:/ { non2xx = $5 }
        /Socket errors:/ { gsub(",", ""); errs = $4 + $6 + $8 + $10 }
        END { printf "%.0f %.2f %.2f %d %d\n", rps, p50, p99, non2xx, errs }' "$tmp/wrk.out"
}

echo "HTTP layer: GET /healthz, one server thread each, wrk ${secs}s, 16 connections"
set -- $(run_wrk "http://127.0.0.1:$nport/healthz" 16)
n_rps=$1
printf "  nginx    %8s req/s  p50 %6s ms  p99 %6s ms\n" "$1" "$2" "$3"
set -- $(run_wrk "http://127.0.0.1:$eport/healthz" 16)
e_rps=$1
printf "  enrichd  %8s req/s  p50 %6s ms  p99 %6s ms  (non-2xx %s, socket errors %s)\n" "$1" "$2" "$3" "$4" "$5"
awk -v e="$e_rps" -v n="$n_rps" 'BEGIN { printf "  ratio enrichd / nginx: %.2f (target >= 0.5)\n", (n > 0 ? e / n : 0) }'

# the CLI's single-thread rate on the same article
python3 - "$article" "$tmp/seed.jsonl" <<'EOF'
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
with open(sys.argv[2], "w") as f:
    for i in range(2000):
        f.write(json.dumps({"id": i, "text": text, "reference_date": "2024-07-11"}) + "\n")
EOF
t0=$(date +%s.%N)
"$build/enrich" --jsonl < "$tmp/seed.jsonl" > /dev/null
t1=$(date +%s.%N)
cli_rate=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", 2000 / (b - a) }')
echo "CLI, one thread: $cli_rate seed articles/s (enrich --jsonl, 2000 copies, engine start included)"

# POST the seed article
python3 - "$article" "$tmp/post.lua" <<'EOF'
import sys
text = open(sys.argv[1], encoding="utf-8").read()
body = text.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')
open(sys.argv[2], "w").write(
    'wrk.method = "POST"\n'
    'wrk.headers["Content-Type"] = "text/plain; charset=utf-8"\n'
    f'wrk.body = "{body}"\n')
EOF
echo "Enrichment under HTTP: POST /v1/enrich?reference_date=2024-07-11 with the seed article, enrichd --threads 1, wrk ${secs}s"
for c in 1 16 256; do
    set -- $(run_wrk "http://127.0.0.1:$eport/v1/enrich?reference_date=2024-07-11" "$c" "$tmp/post.lua")
    ratio=$(awk -v r="$1" -v c="$cli_rate" 'BEGIN { printf "%.2f", (c > 0 ? r / c : 0) }')
    printf "  %3d connections: %6s req/s  p50 %7s ms  p99 %7s ms  non-2xx %s  socket errors %s  ratio to the CLI %s\n" \
        "$c" "$1" "$2" "$3" "$4" "$5" "$ratio"
done
echo "  (targets: ratio at 16 connections >= 0.8; no request dropped at 256: non-2xx 0, socket errors 0)"
