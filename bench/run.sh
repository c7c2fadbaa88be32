#!/usr/bin/env bash
# `make bench`: redis_session against Debian's phpredis 5.3.7 on the same work, in one run.
#   1. builds the extension in release mode and measures a copy of the .so (a rebuild during the
#      run does not change what is measured)
#   2. bench/rtt.sh: round trips per request, cold and warm (skipped with QUICK=1; the last
#      bench/results/rtt-*.json are then reused)
#   3. bench/rss.sh: RSS of one php-fpm worker idle and after 1 MB / 10 MB sessions, ours vs
#      phpredis (about 20 s; PHASES without "rss" skips it): rss.md, rss.json
#   4. bench/bench.py: starts a standalone server, a 3+3 and a 6+6 cluster and counting proxies on
#      loopback (ports 32500-32767, bus ports included), runs every phase, stops all it started
#   5. bench/report.py + bench/plot.py: report.md and PNG plots next to bench.json
# Env: QUICK=1 (smoke run, about 3 minutes; results go to .tmp/bench-quick/), PHASES=a,b (see
# bench/bench.py), SERVER=redis7|valkey9, BENCH_OUT=dir.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
QUICK=${QUICK:-0}
if [ "$QUICK" != 0 ]; then OUT=${BENCH_OUT:-$ROOT/.tmp/bench-quick}; else OUT=${BENCH_OUT:-$ROOT/bench/results}; fi
start=$SECONDS

die() { echo "bench: $*" >&2; exit 1; }
for c in php /usr/sbin/php-fpm8.2 redis-server redis-cli valgrind callgrind_annotate python3 cargo; do
  command -v "$c" >/dev/null || die "$c missing (scripts/setup.sh installs PHP, php-fpm and redis; valgrind: apt-get install valgrind)"
done
php -n -d extension=igbinary -d extension=redis -r 'exit(extension_loaded("redis") ? 0 : 1);' 2>/dev/null \
  || die "Debian's phpredis is missing (apt-get install php-redis)"
if ! python3 -c 'import matplotlib' 2>/dev/null; then
  echo "bench: installing matplotlib (pip) for the plots"
  python3 -m pip install -q matplotlib 2>/dev/null || python3 -m pip install -q --break-system-packages matplotlib
fi

cargo build --release
W=$(mktemp -d "${TMPDIR:-/tmp}/rs-bench-so.XXXXXX")
trap 'rm -rf "$W"' EXIT
cp target/release/libredis_session.so "$W/redis_session.so"
mkdir -p "$OUT"

case "${SERVER:-redis7}" in
  redis7) SERVER_BIN=/usr/bin/redis-server ;;
  valkey9) SERVER_BIN=$(scripts/servers.sh bin valkey9) ;;
  *) die "SERVER must be redis7 or valkey9" ;;
esac
PH=${PHASES:-}
if [ "$QUICK" = 0 ] && { [ -z "$PH" ] || [[ ",$PH," == *,rtt,* ]]; }; then
  echo "== rtt: bench/rtt.sh (round trips, cold and warm)"
  SERVER_BIN=$SERVER_BIN timeout 900 bench/rtt.sh >"$W/rtt.log" 2>&1 || { tail -n 30 "$W/rtt.log"; die "bench/rtt.sh failed"; }
  tail -n 3 "$W/rtt.log"
fi
if [ -z "$PH" ] || [[ ",$PH," == *,rss,* ]]; then
  echo "== rss: bench/rss.sh (php-fpm worker RSS after large sessions)"
  bench/rss.sh "$W/redis_session.so" "$OUT" || die "bench/rss.sh failed"
fi
PH=${PH//rtt/}
PH=${PH//rss/}
[ -n "$PH" ] && [ -z "${PH//,/}" ] && PH=none     # only rtt / rss was asked for
PHASES=$PH timeout --signal=TERM 2400 python3 bench/bench.py --so "$W/redis_session.so" --out "$OUT"
if [ -f "$OUT/bench.json" ]; then
  python3 bench/report.py "$OUT"
  [ -f "$OUT/rss.md" ] && { echo; sed 's/^# /## /' "$OUT/rss.md"; } >>"$OUT/report.md"
  python3 bench/plot.py "$OUT"
fi
echo "make bench: done in $((SECONDS - start)) s; see $OUT/report.md"
