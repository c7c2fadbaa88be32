#!/usr/bin/env bash
# What `make demo` runs: setup, release build, a redis7 cluster (scripts/servers.sh), then
# demo/demo.php with the extension loaded and the servers' environment; servers stop on exit.
# DEMO_KIND=valkey9 runs it on Valkey instead.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo build --release
dir=$(mktemp -d "${TMPDIR:-/tmp}/rs-demo.XXXXXX")
trap 'scripts/servers.sh stop "$dir" >/dev/null 2>&1 || true' EXIT
scripts/servers.sh start "${DEMO_KIND:-redis7}" "$dir"
# shellcheck disable=SC1091
. "$dir/env.sh"
export REDIS_SESSION_SO="$PWD/target/release/libredis_session.so"
php -n -d "extension=$REDIS_SESSION_SO" demo/demo.php
