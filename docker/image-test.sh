#!/bin/sh
# make image-test: builds the image from docker/Dockerfile with buildah (no
# Docker engine here), runs enrichd from it, puts Debian's nginx with
# docker/nginx.conf in front, runs the proxy checks through nginx, then
# stops the container with SIGTERM and checks it drained and exited 0.
#
# The base image the Dockerfile's FROM names is made here from
# 'debootstrap --variant=minbase bookworm' (the mirror read from the host's
# apt sources, never written into the repository) and cached as a tarball
# in ENRICH_IMAGE_CACHE (default ~/.cache/enrich).
set -eu
cd "$(dirname "$0")/.."
.ci/setup buildah debootstrap nginx-light
B="buildah --storage-driver vfs"
BASE=docker.io/library/debian:bookworm-slim
IMAGE=localhost/enrich:test
cache=${ENRICH_IMAGE_CACHE:-${HOME:-/root}/.cache/enrich}
tmp=$(mktemp -d)
ctr=""
run_pid=""
nginx_pid=""
cleanup() {
    [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
    [ -n "$run_pid" ] && kill "$run_pid" 2>/dev/null || true
    [ -n "$ctr" ] && $B rm "$ctr" >/dev/null 2>&1 || true
    $B rmi --prune >/dev/null 2>&1 || true # earlier builds' untagged images
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
step() { printf '\n== image-test: %s\n' "$1"; }

# ---- the base image -----------------------------------------------------------
if ! $B inspect --type image "$BASE" >/dev/null 2>&1; then
    mkdir -p "$cache"
    if [ ! -s "$cache/bookworm-minbase.tar" ]; then
        step "debootstrap --variant=minbase bookworm (once; cached in $cache)"
        mirror=$(sed -n 's/^URIs: *//p; s/^deb \(http[^ ]*\) bookworm .*/\1/p' /etc/apt/sources.list.d/*.sources \
                 /etc/apt/sources.list 2>/dev/null | grep -v security | head -n 1)
        mirror=${mirror:-http://deb.debian.org/debian}
        debootstrap --variant=minbase bookworm "$tmp/rootfs" "$mirror" > "$tmp/debootstrap.log" 2>&1 ||
            { tail -n 20 "$tmp/debootstrap.log"; exit 1; }
        # the host's sources and its snapshot settings, so apt-get works inside
        rm -f "$tmp/rootfs/etc/apt/sources.list"
        cp /etc/apt/sources.list.d/*.sources "$tmp/rootfs/etc/apt/sources.list.d/" 2>/dev/null || true
        [ -f /etc/apt/sources.list ] && cp /etc/apt/sources.list "$tmp/rootfs/etc/apt/sources.list"
        apt-config dump | grep -i 'Check-Valid-Until\|Check-Date' > "$tmp/rootfs/etc/apt/apt.conf.d/99snapshot" || true
        printf '#!/bin/sh\nexit 101\n' > "$tmp/rootfs/usr/sbin/policy-rc.d"
        chmod 755 "$tmp/rootfs/usr/sbin/policy-rc.d"
        tar -C "$tmp/rootfs" -cf "$cache/bookworm-minbase.tar.part" .
        mv "$cache/bookworm-minbase.tar.part" "$cache/bookworm-minbase.tar"
        rm -rf "$tmp/rootfs"
    fi
    step "import the base as $BASE"
    c=$($B from scratch)
    $B add "$c" "$cache/bookworm-minbase.tar" / >/dev/null
    $B commit "$c" "$BASE" >/dev/null
    $B rm "$c" >/dev/null
fi

# ---- build ----------------------------------------------------------------------
step "buildah bud -f docker/Dockerfile"
$B bud --isolation chroot --pull=never --layers=false --format docker -t "$IMAGE" -f docker/Dockerfile . \
    > "$tmp/build.log" 2>&1 ||
    { tail -n 40 "$tmp/build.log"; exit 1; }
tail -n 2 "$tmp/build.log"
user=$($B inspect --type image --format '{{.OCIv1.Config.User}}' "$IMAGE")
health=$($B inspect --type image --format '{{.Docker.Config.Healthcheck.Test}}' "$IMAGE" 2>/dev/null || true)
stopsig=$($B inspect --type image --format '{{.OCIv1.Config.StopSignal}}' "$IMAGE")
echo "image: user $user, stop signal $stopsig, healthcheck $health"
[ "$user" = "10001:10001" ] || { echo "image-test: the image must run as the non-root user 10001"; exit 1; }
[ "$stopsig" = "SIGTERM" ] || { echo "image-test: STOPSIGNAL must be SIGTERM"; exit 1; }
case "$health" in *enrichd*--healthcheck*) ;; *) echo "image-test: no HEALTHCHECK through enrichd --healthcheck"; exit 1 ;; esac

# ---- run ------------------------------------------------------------------------
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
nport=$(free_port)
step "enrichd from the image on 127.0.0.1:$port"
ctr=$($B from "$IMAGE")
$B run --isolation chroot --user 10001:10001 "$ctr" -- \
    enrichd --bind 127.0.0.1 --port "$port" --threads 2 --grace 10 --trusted-proxies 127.0.0.1 \
    > "$tmp/access.log" 2> "$tmp/enrichd.err" &
run_pid=$!
for i in $(seq 100); do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.1
done
curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$tmp/enrichd.err"; exit 1; }
# the image's own HEALTHCHECK command
$B run --isolation chroot --user 10001:10001 "$ctr" -- enrichd --healthcheck --port "$port"
echo "enrichd --healthcheck inside the image: ok"

step "nginx with docker/nginx.conf in front, on 127.0.0.1:$nport"
mkdir -p "$tmp/nginx"
chmod 755 "$tmp"
chmod 777 "$tmp/nginx" # nginx's workers run as nobody
sed -e "s/ENRICHD_ADDR/127.0.0.1:$port/" -e "s/LISTEN_ADDR/127.0.0.1:$nport/" docker/nginx.conf > "$tmp/site.conf"
cat > "$tmp/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $tmp/nginx.pid;
error_log $tmp/nginx/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $tmp/nginx; proxy_temp_path $tmp/nginx; fastcgi_temp_path $tmp/nginx;
    uwsgi_temp_path $tmp/nginx; scgi_temp_path $tmp/nginx;
    include $tmp/site.conf;
}
EOF
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
"$NGINX" -c "$tmp/nginx.conf" -e "$tmp/nginx/error.log" &
nginx_pid=$!
for i in $(seq 50); do curl -sf "http://127.0.0.1:$nport/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

step "the proxy checks, through nginx"
python3 tests/proxy_check.py "http://127.0.0.1:$nport" "$tmp/access.log"

step "SIGTERM: drain and exit"
pid=$(pgrep -f "^[^ ]*enrichd --bind 127.0.0.1 --port $port" | head -n 1)
[ -n "$pid" ] || { echo "image-test: enrichd is not running"; exit 1; }
kill -TERM "$pid"
rc=0
wait "$run_pid" || rc=$?
run_pid=""
cat "$tmp/enrichd.err" | tail -n 2
[ "$rc" -eq 0 ] || { echo "image-test: the container exited with $rc after SIGTERM"; exit 1; }
echo "image-test: passed"
