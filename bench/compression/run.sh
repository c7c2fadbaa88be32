#!/usr/bin/env bash
# What `make bench-compression` runs:
#   1. core/examples/codec_bench.rs: ratio and compress/decompress MB/s of every codec on
#      PHP-serialized cart / profile / flash payloads of 1 KB - 1 MB (pure CPU, one core);
#   2. bench/compression/e2e.php: median and p95 latency of session_start() + change +
#      session_write_close() per codec and session size, against a redis-server this script
#      starts on a free loopback port and stops on exit.
# Results: bench/results/compression-codecs.md, bench/results/compression-e2e.md.
#   BENCH_MS=300     time per codec measurement (codec_bench)
#   E2E_ITERS=1000   requests per codec and size (1 MB: a tenth of it)
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=bench/results; mkdir -p "$OUT"
W=$(mktemp -d "${TMPDIR:-/tmp}/rs-bench-cz.XXXXXX")
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cleanup() {
  bench/tools/standalone.sh stop "$W" "$PORT" >/dev/null 2>&1 || true
  rm -rf "$W"
}
trap cleanup EXIT

cargo build --release -q
{
  echo "# codec_bench on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(date -u +%Y-%m-%d)"
  echo
  cargo run --release -q -p redis_session_core --example codec_bench
} | tee "$OUT/compression-codecs.md"

bench/tools/standalone.sh start "$W" "$PORT" "${SERVER_BIN:-redis-server}" >/dev/null
{
  echo "# e2e: redis handler, no locking, $(redis-server --version | cut -d' ' -f3) on 127.0.0.1:$PORT, $(date -u +%Y-%m-%d)"
  echo
  php -n -d "extension=$PWD/target/release/libredis_session.so" bench/compression/e2e.php "127.0.0.1:$PORT" "${E2E_ITERS:-1000}"
} | tee "$OUT/compression-e2e.md"
