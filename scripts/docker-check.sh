#!/usr/bin/env bash
# What `make docker-check` runs: builds the container demo of docker/ and runs it, here, without
# Docker Hub, with podman. Takes minutes (the extension is compiled inside the image).
#   1. static checks: scripts/check-docker.sh (compose commands as a shell runs them, Dockerfile
#      COPY sources, PHP syntax)
#   2. a Debian bookworm base image made by debootstrap (localhost/rs-demo-base:bookworm)
#   3. builds docker/Dockerfile on it (BASE_IMAGE build arg) and stand-ins for the redis and nginx
#      images (docker/standins/, same base), tagged as compose expects them
#   4. runs the compose file's services with `podman run` (scripts/compose_podman.py: the
#      compose file's own commands, in dependency order; nginx on a free 127.0.0.1 port)
#   5. loads the page and runs the concurrent test and a failover through it
#      (scripts/demo_http_check.py), and takes a screenshot with headless Chromium if present
#   6. removes every container, network and image it created (DOCKER_CHECK_KEEP_IMAGES=1 keeps
#      the images for a quicker next run)
# Output under .tmp/docker-check/; the last line is the HTTP checks' "N passed, M failed"
# ("0 passed, 1 failed" when it stopped before them).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/.tmp/docker-check
rm -rf "$OUT"; mkdir -p "$OUT"
T0=$SECONDS
step() { printf '\n=== [%3ds] %s\n' $(( SECONDS - T0 )) "$*"; }

BASE=localhost/rs-demo-base:bookworm
PHP_IMG=localhost/redis_session-demo-php:latest
REDIS_IMG=localhost/rs-demo-redis:7
NGINX_IMG=localhost/rs-demo-nginx:1
PROJECT=rs-demo-check-$$
created_images=()

step "packages (podman, buildah, runc, debootstrap, python3-yaml, CNI dnsname)"
need=()
# dnsname: container names resolve on podman's CNI networks (redis-1, php, ...)
for p in podman buildah runc debootstrap python3-yaml golang-github-containernetworking-plugin-dnsname; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
scripts/apt-install.sh --no-recommends docker-check "${need[@]}"
# This VM: crun fails on setrlimit / hybrid cgroups; runc with explicit ulimits works.
cat >"$OUT/containers.conf" <<'EOF'
[containers]
default_ulimits = ["nofile=20000:20000","nproc=32768:32768"]
[engine]
runtime = "runc"
EOF
export CONTAINERS_CONF=$OUT/containers.conf

cleanup() {
  set +e
  step "cleanup"
  /usr/bin/python3 scripts/compose_podman.py down "$PROJECT"
  if [ "${DOCKER_CHECK_KEEP_IMAGES:-0}" != 1 ] && [ "${#created_images[@]}" -gt 0 ]; then
    podman rmi -f "${created_images[@]}" >/dev/null 2>&1
    podman image prune -f >/dev/null 2>&1   # the dangling build stages of our builds
  fi
  [ -d "$OUT/rootfs" ] && rm -rf "$OUT/rootfs"
  echo "left: $(podman ps -aq --filter "label=redis_session.demo-check=$PROJECT" | wc -l) containers of this run;" \
       "images: $(podman images -q | wc -l)"
  echo "docker-check: $(( SECONDS - T0 )) s in all"
  if [ -s "$OUT/http-check.log" ]; then tail -n1 "$OUT/http-check.log"; else echo "0 passed, 1 failed"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step "static checks"
scripts/check-docker.sh

step "base image $BASE (debootstrap, Debian's own mirror)"
if ! podman image exists "$BASE"; then
  mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n1)
  mirror=${mirror:-http://deb.debian.org/debian}
  debootstrap --variant=minbase bookworm "$OUT/rootfs" "$mirror" >"$OUT/debootstrap.log" 2>&1 \
    || { tail -n 20 "$OUT/debootstrap.log"; exit 1; }
  # the host's apt sources (security updates included: rustc-web comes from there)
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    cp /etc/apt/sources.list.d/debian.sources "$OUT/rootfs/etc/apt/sources.list.d/"
    rm -f "$OUT/rootfs/etc/apt/sources.list"
  fi
  tar -C "$OUT/rootfs" -c . | podman import --change 'CMD ["/bin/bash"]' - "$BASE" >/dev/null
  rm -rf "$OUT/rootfs"
  created_images+=("$BASE")
fi

# HTTPS from inside a build (cargo) needs the host's extra CA certificates, if it has any.
secret=()
if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
  cat /usr/local/share/ca-certificates/*.crt >"$OUT/extra_ca.pem"
  secret=(--secret "id=extra_ca,src=$OUT/extra_ca.pem")
fi

build() {   # IMAGE DOCKERFILE
  local t=$SECONDS
  podman image exists "$1" || created_images+=("$1")
  podman build -f "$2" --build-arg "BASE_IMAGE=$BASE" "${secret[@]}" -t "$1" . >"$OUT/build-${1##*/}.log" 2>&1 \
    || { tail -n 40 "$OUT/build-${1##*/}.log"; exit 1; }
  echo "built $1 from $2 in $(( SECONDS - t )) s"
}
step "build images"
build "$PHP_IMG" docker/Dockerfile
build "$REDIS_IMG" docker/standins/redis.Dockerfile
build "$NGINX_IMG" docker/standins/nginx.Dockerfile

step "run the compose file's services with podman (project $PROJECT)"
export REDIS_IMAGE=$REDIS_IMG NGINX_IMAGE=$NGINX_IMG BASE_IMAGE=$BASE
/usr/bin/python3 scripts/compose_podman.py up "$PROJECT" | tee "$OUT/up.log"
port=$(sed -n 's/^PORT //p' "$OUT/up.log")
url="http://127.0.0.1:$port/"
python3 - "${url}api.php?action=info" <<'PY' || echo "the page does not answer yet"
import sys, time, urllib.request
for _ in range(100):
    try:
        urllib.request.urlopen(sys.argv[1], timeout=2); sys.exit(0)
    except Exception:
        time.sleep(0.2)
sys.exit(1)
PY
podman logs "$PROJECT-cluster-init" 2>&1 | tail -n 3

step "the page and the concurrent test through nginx -> php-fpm -> cluster ($url)"
if command -v chromium >/dev/null; then
  timeout 60 chromium --headless=new --no-sandbox --disable-gpu --window-size=1280,1000 \
    --screenshot="$OUT/container-page.png" "$url" >/dev/null 2>&1 \
    && echo "screenshot: $OUT/container-page.png" || echo "screenshot failed (not a test)"
fi
rc=0
python3 scripts/demo_http_check.py "$url" --kill-cmd "podman kill $PROJECT-{host}" | tee "$OUT/http-check.log" || rc=1
exit $rc
