#!/usr/bin/env bash
# RSS of one php-fpm worker after large sessions, redis_session vs phpredis (issue #11, 5):
# a pool with ONE static worker per extension, a private redis-server on a unix socket, and
# requests through cgi-fcgi. Per extension: RSS when idle (after a few small requests), then
# after a 1 MB session was written and read back, then after a 10 MB one — each measured after
# a later small request (everything PHP held is released by then). About 20 s in all.
#   bench/rss.sh [SO] [OUT_DIR]   (default: target/release/libredis_session.so, bench/results)
# Writes OUT_DIR/rss.md and OUT_DIR/rss.json; prints the table.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SO=${1:-$ROOT/target/release/libredis_session.so}
OUT=${2:-$ROOT/bench/results}
for c in /usr/sbin/php-fpm8.2 cgi-fcgi redis-server redis-cli; do
  command -v "$c" >/dev/null || { echo "rss: $c missing (scripts/setup.sh installs it)" >&2; exit 1; }
done
W=$(mktemp -d "${TMPDIR:-/tmp}/rs-rss.XXXXXX")
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  redis-cli -s "$W/redis.sock" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$W" 2>/dev/null || { sleep 0.5; rm -rf "$W"; }
}
trap cleanup EXIT
redis-server --port 0 --unixsocket "$W/redis.sock" --unixsocketperm 777 --save '' --appendonly no \
  --daemonize yes --pidfile "$W/redis.pid" --logfile "$W/redis.log" --dir "$W" >/dev/null
for _ in $(seq 50); do redis-cli -s "$W/redis.sock" ping >/dev/null 2>&1 && break; sleep 0.1; done
SP="unix://$W/redis.sock"
PAGE=$ROOT/bench/php/rss_page.php

declare -A EXT=(
  [ours]="-d extension=$SO"
  [phpredis]="-d extension=igbinary -d extension=redis"
)

request() {  # sock sid size
  local q="sp=$(python3 -c 'import sys,urllib.parse;print(urllib.parse.quote(sys.argv[1],safe=""))' "$SP")&sid=$2&size=$3"
  SCRIPT_FILENAME=$PAGE REQUEST_METHOD=GET QUERY_STRING=$q timeout 30 cgi-fcgi -bind -connect "$1" | tail -n 1
}

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

json="{"
table="| worker RSS (MB) | idle | after 1 MB sessions | after 10 MB sessions |\n|---|---|---|---|\n"
for ext in ours phpredis; do
  d=$W/fpm-$ext; mkdir -p "$d"
  printf '[global]\npid = %s/fpm.pid\nerror_log = %s/fpm.log\ndaemonize = no\n[www]\nlisten = %s/fpm.sock\npm = static\npm.max_children = 1\npm.max_requests = 0\nclear_env = no\n' \
    "$d" "$d" "$d" >"$d/fpm.conf"
  # shellcheck disable=SC2086
  /usr/sbin/php-fpm8.2 -n -R -F -y "$d/fpm.conf" ${EXT[$ext]} -d session.cache_limiter= -d session.use_cookies=0 \
    -d session.use_strict_mode=0 -d memory_limit=512M -d display_errors=0 >"$d/out.log" 2>&1 &
  master=$!; pids+=("$master")
  for _ in $(seq 100); do [ -S "$d/fpm.sock" ] && break; sleep 0.1; done
  sock=$d/fpm.sock
  tag=$ext$RANDOM
  for i in 1 2 3 4 5; do request "$sock" "${tag}small$i" 0 >/dev/null; done
  worker=$(pgrep -P "$master" | head -n 1)
  idle=$(rss_kb "$worker")
  vals=()
  for mb in 1 10; do
    bytes=$((mb * 1024 * 1024))
    for i in 1 2 3; do
      r1=$(request "$sock" "${tag}big${mb}x$i" "$bytes")    # written
      r2=$(request "$sock" "${tag}big${mb}x$i" 0)           # read back
      [[ "$r1" == OK* && "$r2" == "OK $bytes" ]] || { echo "rss: $ext ${mb} MB: '$r1' / '$r2'" >&2; exit 1; }
    done
    request "$sock" "${tag}small1" 0 >/dev/null
    vals+=("$(rss_kb "$worker")")
  done
  kill "$master"; wait "$master" 2>/dev/null || true
  pids=("${pids[@]/$master}")
  mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
  table+="| $ext | $(mb "$idle") | $(mb "${vals[0]}") (+$(mb $((vals[0] - idle)))) | $(mb "${vals[1]}") (+$(mb $((vals[1] - idle)))) |\n"
  json+="\"$ext\": {\"idle_kb\": $idle, \"after_1mb_kb\": ${vals[0]}, \"after_10mb_kb\": ${vals[1]}},"
done
json="${json%,}}"
mkdir -p "$OUT"
echo "$json" >"$OUT/rss.json"
{
  echo "# RSS per php-fpm worker after large sessions"
  echo
  echo "One static worker per extension (PHP 8.2, opcache off), its own redis-server on a unix socket;"
  echo "three sessions of each size written and read back, then a small request; RSS from /proc. bench/rss.sh."
  echo
  printf "%b" "$table"
} >"$OUT/rss.md"
printf "%b" "$table"
