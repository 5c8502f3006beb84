#!/bin/sh
# make soak: 200,000 requests of every kind (articles as text and JSON,
# batches, errors, probes, metrics) on keep-alive connections against one
# enrichd, its resident memory read after a warm-up and at the end; fails
# when it grew by 5% or more (a leak or an unbounded cache), or when a
# request got a wrong status or was dropped.
#
# usage: bench/soak.sh BUILD_DIR SEED_ARTICLE [REQUESTS]
set -eu
build=$1
article=$2
total=${3:-200000}
[ -f "$article" ] || { echo "soak: $article is absent"; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$build/enrichd" --bind 127.0.0.1 --port "$port" --threads 2 --access-log off 2>"$tmp/err" &
pid=$!
for i in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

rss() { awk '/VmRSS/ { print $2 }' "/proc/$pid/status"; }
echo "soak: warming up (20,000 requests)"
python3 "$here/soak_client.py" "$port" 20000 "$article" > "$tmp/warm.out"
before=$(rss)
echo "soak: resident memory after the warm-up: $before kB; now $total requests"
start=$(date +%s)
set -- $(python3 "$here/soak_client.py" "$port" "$total" "$article")
done_n=$1 errors=$2
end=$(date +%s)
after=$(rss)
alive=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz")
growth=$(awk -v a="$before" -v b="$after" 'BEGIN { printf "%.2f", (b - a) * 100 / a }')
echo "soak: $done_n requests in $((end - start)) s, $errors with a wrong status or a broken connection," \
     "resident memory $before -> $after kB ($growth%), /healthz $alive"
ok=$(awk -v g="$growth" 'BEGIN { print (g < 5) ? 1 : 0 }')
if [ "$ok" = 1 ] && [ "$errors" = 0 ] && [ "$alive" = 200 ] && [ "$done_n" -ge "$total" ]; then
    echo "soak: 1 passed, 0 failed"
else
    echo "soak: 0 passed, 1 failed"
    exit 1
fi
