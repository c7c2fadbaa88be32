#!/usr/bin/env bash
# Round trips per request for redis_session and phpredis, side by side, through a counting
# proxy (bench/tools/rttproxy.py): a standalone server and a 3+3 cluster on loopback ports
# 22000-22499, stopped on exit. Writes bench/results/rtt-<label>.{txt,json}.
#   bench/rtt.sh            both extensions
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
T=bench/tools
W=$(mktemp -d "${TMPDIR:-/tmp}/rs-rtt.XXXXXX")
OUTD=bench/results; mkdir -p "$OUTD"
SRV=${SERVER_BIN:-redis-server}
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  $T/standalone.sh stop "$W/s" 22300 >/dev/null 2>&1 || true
  $T/cluster.sh stop "$W/c" 22000 3 1 >/dev/null 2>&1 || true
  rm -rf "$W"
}
trap cleanup EXIT
cargo build --release -q
SO=$ROOT/target/release/libredis_session.so

$T/standalone.sh start "$W/s" 22300 "$SRV" >/dev/null
python3 $T/rttproxy.py --map 22400:22300 --control 22499 >"$W/p1.log" 2>&1 & pids+=($!)
ANNOUNCE_OFFSET=100 $T/cluster.sh start "$W/c" 22000 3 1 "$SRV" >/dev/null
python3 $T/rttproxy.py --control 22199 \
  --map 22100:22000,22101:22001,22102:22002,22103:22003,22104:22004,22105:22005 >"$W/p2.log" 2>&1 & pids+=($!)
sleep 0.5

run() {  # LABEL EXT_ARGS...
  local label=$1; shift
  local out="$OUTD/rtt-$label"
  rm -f "$out.json"
  RTT_CTL=127.0.0.1:22499 OUT="$out.json" php bench/rtt.php run "$label.redis" "$@" \
    -d session.save_handler=redis -d session.save_path=tcp://127.0.0.1:22400 | tee "$out.txt"
  RTT_CTL=127.0.0.1:22199 OUT="$out.json" php bench/rtt.php run "$label.rediscluster" "$@" \
    -d session.save_handler=rediscluster \
    -d 'session.save_path="seed[]=127.0.0.1:22100&seed[]=127.0.0.1:22101&seed[]=127.0.0.1:22102"' | tee -a "$out.txt"
}
run redis_session -n -d "extension=$SO"
# Debian's phpredis (needs igbinary under -n).
run phpredis -n -d extension=igbinary -d extension=redis
