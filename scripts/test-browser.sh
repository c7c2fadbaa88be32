#!/usr/bin/env bash
# The demo page tested in a real browser (run by scripts/test.sh; about 30 s):
#   scripts/setup-web.sh --browser (nginx, chromium, chromium-driver), then scripts/demo-web.sh
#   start (3+3 cluster, two php-fpm, nginx, all on free 127.0.0.1 ports), then
#   scripts/browser_test.py (headless Chromium via chromedriver), then everything is stopped.
# Usage: test-browser.sh OUTDIR     (screenshots and logs go there)
# Last line: "N passed, M failed". When no browser can be installed it prints
# "browser test: SKIPPED (...)" and exits 0 without a count.
set -uo pipefail
cd "$(dirname "$0")/.."
out=${1:-.tmp/test/browser}
mkdir -p "$out"; out=$(cd "$out" && pwd)
if ! scripts/setup-web.sh --browser >"$out/setup.log" 2>&1 \
   || ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  tail -n 5 "$out/setup.log"
  echo "browser test: SKIPPED (chromium/chromedriver could not be installed; see $out/setup.log)"
  exit 0
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/rs-browser.XXXXXX")
trap 'scripts/demo-web.sh stop "$dir" >/dev/null 2>&1 || true' EXIT
trap 'exit 130' INT TERM
if ! DEMO_WEB_PORT=0 scripts/demo-web.sh start "$dir" >"$out/start.log" 2>&1; then
  cat "$out/start.log"
  echo "0 passed, 1 failed"
  exit 1
fi
# shellcheck disable=SC1091
. "$dir/env.sh"
timeout --kill-after=10 240 python3 scripts/browser_test.py "$out"
rc=$?
cp "$dir"/*.log "$out/" 2>/dev/null || true
[ "$rc" = 124 ] && { echo "browser test: timed out"; echo "0 passed, 1 failed"; }
exit "$rc"
