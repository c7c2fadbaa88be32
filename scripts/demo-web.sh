#!/usr/bin/env bash
# The demo web page (demo/web/) under php-fpm + nginx on loopback, without Docker.
#
# Usage: demo-web.sh                  what `make demo-web` runs: setup, release build, start,
#                                     print the URL, wait; Ctrl-C stops everything it started
#        demo-web.sh start DIR [KIND] start in DIR (KIND: redis7 | valkey9; default redis7),
#                                     write DIR/env.sh (DEMO_URL, ...) and return
#        demo-web.sh stop DIR         stop what `start DIR` started (by PID), remove DIR
#
# What runs, all on 127.0.0.1, on ports checked to be free (DEMO_WEB_PORT picks nginx's port;
# default 8080 when free):
#   - a 3+3 cluster (scripts/servers.sh; its standalone servers idle)
#   - php-fpm8.2 "rs": redis_session (target/release), rediscluster handler, locking on
#   - php-fpm8.2 "phpredis": Debian's phpredis instead (no redis_session), same php.ini
#     settings, for the comparison side (skipped if php-redis is not installed)
#   - nginx routing / and /api.php to "rs", /phpredis/api.php to "phpredis"
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
MARKER=.redis_session_demo_web
FPM=${PHP_FPM:-php-fpm8.2}
NGINX=${NGINX:-nginx}
SO=$ROOT/target/release/libredis_session.so

die() { echo "demo-web.sh: $*" >&2; exit 1; }

# Prints N ports free on 127.0.0.1 (the first one PREFERRED when that one is free).
free_ports() {   # N PREFERRED
  python3 - "$1" "$2" <<'PY'
import random, socket, sys
n, pref = int(sys.argv[1]), int(sys.argv[2] or 0)
def free(p):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); return True
    except OSError:
        return False
    finally:
        s.close()
out = [pref] if pref and free(pref) else []
rng = random.SystemRandom()
while len(out) < n:
    p = rng.randrange(10000, 20990)
    if p not in out and free(p):
        out.append(p)
print(*out)
PY
}

# pid from FILE if that process is alive and its command line mentions DIR (ours)
our_pid() {   # PIDFILE DIR
  local pid
  pid=$(cat "$1" 2>/dev/null || true)
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$2" || return 1
  echo "$pid"
}

stop_pid() {   # PIDFILE DIR NAME
  local pid
  pid=$(our_pid "$1" "$2") || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.05; done
  echo "demo-web.sh: $3 ($pid) did not stop, kill -9" >&2
  kill -9 "$pid" 2>/dev/null || true
}

do_stop() {
  local dir=$1
  [ -d "$dir" ] || return 0
  [ -e "$dir/$MARKER" ] || die "$dir was not made by demo-web.sh start; not touching it"
  dir=$(cd "$dir" && pwd)
  stop_pid "$dir/nginx.pid" "$dir" nginx
  stop_pid "$dir/fpm-rs.pid" "$dir" php-fpm
  stop_pid "$dir/fpm-phpredis.pid" "$dir" php-fpm
  scripts/servers.sh stop "$dir/servers" >/dev/null 2>&1 || true
  rm -rf "$dir"
}

# php.ini of one PHP: the extension lines, then the session settings both PHPs share
write_ini() {   # FILE EXTENSION_LINES...
  local f=$1; shift
  {
    printf '%s\n' "$@"
    cat <<EOF
display_errors = Off
log_errors = On
error_log = $DIR/php-errors.log
max_execution_time = 30
session.save_handler = rediscluster
session.save_path = "$SAVE_PATH"
session.use_strict_mode = 1
session.cookie_httponly = 1
session.cookie_samesite = Lax
redis.session.locking_enabled = 1
redis.session.lock_retries = -1
EOF
  } >"$f"
}

write_fpm() {   # NAME PORT
  cat >"$DIR/fpm-$1.conf" <<EOF
[global]
pid = $DIR/fpm-$1.pid
error_log = $DIR/fpm-$1.log
daemonize = yes
[$1]
listen = 127.0.0.1:$2
pm = static
pm.max_children = 12
catch_workers_output = yes
env[DEMO_FAILOVER_HINT_NODE] = "Kill it: redis-cli -p {port} shutdown nosave (its replica takes over in about 10 s; that node stays down until the demo stops)."
EOF
}

start_fpm() {   # NAME
  local as_root=()
  [ "$(id -u)" = 0 ] && as_root=(-R)
  PHP_INI_SCAN_DIR='' "$FPM" -c "$DIR/php-$1.ini" -y "$DIR/fpm-$1.conf" "${as_root[@]}" \
    || { cat "$DIR/fpm-$1.log" >&2 2>/dev/null; return 1; }
}

wait_http() {   # URL: until it answers 200 (bounded: about 20 s)
  python3 - "$1" <<'PY'
import sys, time, urllib.request
for _ in range(100):
    try:
        with urllib.request.urlopen(sys.argv[1], timeout=2) as r:
            if r.status == 200:
                sys.exit(0)
    except Exception:
        pass
    time.sleep(0.2)
sys.exit(1)
PY
}

do_start() {
  local kind=${2:-redis7}
  DIR=$1
  command -v "$FPM" >/dev/null || die "$FPM missing (scripts/setup.sh installs php8.2-fpm)"
  command -v "$NGINX" >/dev/null || [ -x /usr/sbin/nginx ] || die "nginx missing (scripts/setup-web.sh installs it)"
  command -v "$NGINX" >/dev/null || NGINX=/usr/sbin/nginx
  [ -f "$SO" ] || die "$SO missing (cargo build --release)"
  if [ -e "$DIR" ] && [ -n "$(ls -A "$DIR" 2>/dev/null)" ]; then
    [ -e "$DIR/$MARKER" ] || die "$DIR exists, is not empty and was not made by demo-web.sh"
    do_stop "$DIR"
  fi
  mkdir -p "$DIR"; DIR=$(cd "$DIR" && pwd); touch "$DIR/$MARKER"
  trap 'echo "demo-web.sh: start failed, stopping what was started" >&2; do_stop "'"$DIR"'"' ERR
  set -E

  scripts/servers.sh start "$kind" "$DIR/servers" >/dev/null
  # shellcheck disable=SC1091
  . "$DIR/servers/env.sh"
  local seeds=() p
  for p in $REDIS_SESSION_CLUSTER_SEEDS; do seeds+=("seed[]=$p"); done
  SAVE_PATH="$(IFS='&'; echo "${seeds[*]}")&timeout=1&read_timeout=1"

  local ports web rs pr
  ports=$(free_ports 3 "${DEMO_WEB_PORT:-8080}")
  read -r web rs pr <<<"$ports"

  write_ini "$DIR/php-rs.ini" "extension=$SO"
  write_fpm rs "$rs"
  start_fpm rs
  local phpredis=0
  if [ -f "$(php-config8.2 --extension-dir 2>/dev/null)/redis.so" ]; then
    write_ini "$DIR/php-phpredis.ini" "extension=igbinary" "extension=redis"
    write_fpm phpredis "$pr"
    start_fpm phpredis
    phpredis=1
  fi

  mkdir -p "$DIR/nginx-tmp"
  cat >"$DIR/nginx.conf" <<EOF
worker_processes 1;
pid $DIR/nginx.pid;
error_log $DIR/nginx-error.log;
$([ "$(id -u)" = 0 ] && echo "user nobody nogroup;")
events { worker_connections 512; }
http {
    access_log $DIR/nginx-access.log;
    client_body_temp_path $DIR/nginx-tmp/body;
    fastcgi_temp_path $DIR/nginx-tmp/fastcgi;
    proxy_temp_path $DIR/nginx-tmp/proxy;
    uwsgi_temp_path $DIR/nginx-tmp/uwsgi;
    scgi_temp_path $DIR/nginx-tmp/scgi;
    upstream php_rs { server 127.0.0.1:$rs; }
    upstream php_phpredis { server 127.0.0.1:$pr; }
    server {
        listen 127.0.0.1:$web;
        root $ROOT/demo/web;
        include $ROOT/demo/web/nginx-locations.conf;
    }
}
EOF
  "$NGINX" -p "$DIR" -e "$DIR/nginx-error.log" -c "$DIR/nginx.conf" \
    || { cat "$DIR/nginx-error.log" >&2 2>/dev/null; false; }
  wait_http "http://127.0.0.1:$web/api.php?action=info" \
    || { echo "demo-web.sh: the page does not answer" >&2; tail -n 20 "$DIR"/*.log >&2; false; }

  {
    echo "# written by scripts/demo-web.sh start; stop with: scripts/demo-web.sh stop $DIR"
    echo "export DEMO_URL='http://127.0.0.1:$web/'"
    echo "export DEMO_DIR='$DIR'"
    echo "export DEMO_PHPREDIS=$phpredis"
    echo "export DEMO_CLUSTER_PORTS='$REDIS_SESSION_CLUSTER_PORTS'"
    echo "export DEMO_SERVERS_DIR='$DIR/servers'"
  } >"$DIR/env.sh"
  trap - ERR
}

interactive() {
  scripts/setup.sh
  scripts/setup-web.sh
  cargo build --release
  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/rs-demo-web.XXXXXX")
  sleeper=""
  trap 'echo; echo "stopping..."; [ -z "$sleeper" ] || kill "$sleeper" 2>/dev/null; do_stop "'"$dir"'"; echo "stopped."' EXIT
  trap 'exit 0' INT TERM
  echo "starting a 3+3 cluster, php-fpm and nginx on 127.0.0.1..."
  do_start "$dir" "${DEMO_KIND:-redis7}"
  # shellcheck disable=SC1091
  . "$dir/env.sh"
  cat <<EOF

  The demo page: $DEMO_URL
  (cluster ports: $DEMO_CLUSTER_PORTS; logs in $dir)

  To watch a failover: open the page, "Start sending", and kill the master it names
  (redis-cli -p PORT shutdown nosave).

  Press Ctrl-C to stop everything.
EOF
  while :; do sleep 3600 & sleeper=$!; wait "$sleeper"; done
}

case "${1:-}" in
  "")    interactive ;;
  start) [ $# -ge 2 ] || die "usage: $0 start DIR [redis7|valkey9]"; do_start "$2" "${3:-redis7}" ;;
  stop)  [ $# -eq 2 ] || die "usage: $0 stop DIR"; do_stop "$2" ;;
  *) echo "usage: $0 | start DIR [KIND] | stop DIR" >&2; exit 2 ;;
esac
