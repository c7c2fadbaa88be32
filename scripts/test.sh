#!/usr/bin/env bash
# What `make test` runs:
#   1. scripts/setup.sh                      (installs missing packages; quick when all present)
#   2. cargo build --release                 (target/release/libredis_session.so)
#   3. cargo test --workspace                (sums every "test result: ... N passed; M failed");
#      integration tests (tests/*.rs) run again for every further server kind, and for the old
#      Redis versions of CARGO_OLD_KINDS (minimum-version tests), with
#      REDIS_SESSION_SERVER_KIND / REDIS_SESSION_SERVER_BIN set for each
#   4. for each server kind (redis7, valkey9): scripts/servers.sh start, then PHP's run-tests.php
#      over php-tests/ with the extension loaded (-n -d extension=...), then servers.sh stop.
#      A SKIP counts as a failure unless the SKIPIF reason starts with "optional:" (every
#      server is running here, so a skip would usually hide a failure).
#   4b. unless TORTURE_IN_TEST=0: a bounded `make torture` run (TORTURE_TEST_S seconds, default 60,
#      shared by the server kinds of TEST_KINDS, with a Sentinel set as a third target unless
#      TORTURE_SENTINEL=0); one passed when it ends with 0 violations, one
#      failed otherwise. Off by default until the lock holes it finds are fixed (docs/TORTURE.md).
#   5. the demo page in headless Chromium (scripts/test-browser.sh: demo-web stack on free loopback
#      ports, about 40 s; its checks count in the totals; skipped with a line saying so only when
#      no browser can be installed)
#   6. totals; the last line is exactly "N passed, M failed". Exit status is non-zero when
#      M > 0, when N == 0, or when a phase crashed (a crashed phase counts as one failure).
#
# Environment overrides for quicker local runs:
#   TEST_KINDS="redis7"          server kinds for the phpt phase (default "redis7 valkey9"; empty: none)
#   PHPT_FILTER="php-tests/lock" test files or directories for run-tests (default php-tests)
#   PHPT_JOBS=2                  run-tests parallel workers (-j); 1 = serial
#   PHPT_TIMEOUT=60              per-test timeout (run-tests --set-timeout), seconds
#   PHPT_RUN_TIMEOUT=480         bound on one whole run-tests invocation (per server kind), seconds
#   CARGO_TEST=0                 skip `cargo test --workspace`
#   CARGO_OLD_KINDS="redis60"    old servers the integration tests also run on (default
#                                "redis50 redis60 redis62"; empty: none; README "Server versions")
#   SKIP_SETUP=1                 skip scripts/setup.sh
#   PHP, RUN_TESTS, PHP_CONFIG   another PHP (scripts/test-matrix.sh runs this script in chroots)
#   CARGO_TARGET_DIR             build there (the .so under test follows it)
#   TEST_OUT=.tmp/test           where logs and failed tests' files go
#   TORTURE_IN_TEST=0            skip the torture phase (4b); TORTURE_TEST_S=60 its length; it replays
#                                TORTURE_TEST_SEED (default 122753719), or SEED=<n>
#   BROWSER_TEST=0               skip the browser test of the demo page
# Logs and the diffs/outputs of failed tests are kept under .tmp/test/.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

PHP=${PHP:-/usr/bin/php}
RUN_TESTS=${RUN_TESTS:-/usr/lib/php/20220829/build/run-tests.php}
KINDS=${TEST_KINDS-redis7 valkey9}
PHP_ID=$("$PHP" -n -r 'echo PHP_VERSION_ID;' 2>/dev/null || echo 0)
read -r -a FILTER <<<"${PHPT_FILTER:-php-tests}"
JOBS=${PHPT_JOBS:-2}
SO="${CARGO_TARGET_DIR:-$ROOT/target}/release/libredis_session.so"
OUT=${TEST_OUT:-$ROOT/.tmp/test}
rm -rf "$OUT"; mkdir -p "$OUT"

passed=0; failed=0; crashed=(); summary=()
servers_dir=""
cleanup() {
  if [ -n "$servers_dir" ]; then scripts/servers.sh stop "$servers_dir" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
trap 'echo "interrupted"; exit 130' INT TERM

phase() { printf '\n=== %s ===\n' "$*"; }
crash() { echo "CRASHED: $*"; crashed+=("$*"); failed=$(( failed + 1 )); }

# --- 1. setup
if [ "${SKIP_SETUP:-0}" != 1 ]; then
  phase setup
  scripts/setup.sh || crash "setup (scripts/setup.sh)"
fi

# --- 2. build
phase "cargo build --release"
built=0
timeout 900 cargo build --release 2>&1 | tee "$OUT/build.log"
if [ "${PIPESTATUS[0]}" = 0 ] && [ -f "$SO" ]; then
  built=1
else
  crash "cargo build --release (log: .tmp/test/build.log)"
fi

# --- 3. cargo test: the whole workspace once; integration tests (which start their own servers
#     from REDIS_SESSION_SERVER_BIN) once more for every further server kind
cargo_test() {   # KIND ARGS...
  local kind=$1 log="$OUT/cargo-test-$1.log" bin rc cp cf; shift
  phase "cargo test $* (servers: $kind)"
  bin=$(scripts/servers.sh bin "$kind") || { crash "cargo test on $kind: no server binary"; return; }
  REDIS_SESSION_SERVER_KIND=$kind REDIS_SESSION_SERVER_BIN=$bin timeout 600 cargo test "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  read -r cp cf < <(sed -n 's/^test result: [A-Za-z]*\. \([0-9]*\) passed; \([0-9]*\) failed.*/\1 \2/p' "$log" \
                    | awk '{p += $1; f += $2} END {print p + 0, f + 0}')
  passed=$(( passed + cp )); failed=$(( failed + cf ))
  summary+=("cargo test $* on $kind: $cp passed, $cf failed")
  if [ "$rc" != 0 ] && [ "$cf" = 0 ]; then crash "cargo test $* on $kind (exit $rc; log: .tmp/test/cargo-test-$kind.log)"; fi
}
if [ "${CARGO_TEST:-1}" != 0 ]; then
  read -r -a cargo_kinds <<<"${KINDS:-redis7}"
  cargo_test "${cargo_kinds[0]}" --workspace --no-fail-fast
  if [ -n "$(find . -path ./target -prune -o -path '*/tests/*.rs' -print | head -n1)" ]; then
    read -r -a old_kinds <<<"${CARGO_OLD_KINDS-redis50 redis60 redis62}"
    for kind in "${cargo_kinds[@]:1}" "${old_kinds[@]}"; do
      cargo_test "$kind" --workspace --no-fail-fast --test '*'
    done
  fi
fi

# --- 4. phpt against each server kind
# Remove what run-tests leaves beside each .phpt (X.php, X.out, X.diff, ...), never inc/*.php.
clean_phpt_artifacts() {
  local t b
  while IFS= read -r t; do
    b=${t%.phpt}
    rm -f "$b.php" "$b.out" "$b.diff" "$b.exp" "$b.log" "$b.sh" "$b.mem" "$b.skip.php" "$b.clean.php"
  done < <(find php-tests -name '*.phpt')
}

run_kind() {
  local kind=$1 log="$OUT/phpt-$kind.log" res="$OUT/phpt-$kind.results" rc
  phase "phpt on $kind"
  servers_dir=$(mktemp -d "${TMPDIR:-/tmp}/rs-$kind.XXXXXX")
  if ! scripts/servers.sh start "$kind" "$servers_dir"; then
    servers_dir=""; crash "servers.sh start $kind"; return
  fi
  clean_phpt_artifacts
  local jobs=(); [ "$JOBS" -gt 1 ] && jobs=(-j"$JOBS")
  (
    # shellcheck disable=SC1091
    . "$servers_dir/env.sh"
    export REDIS_SESSION_SO="$SO" NO_INTERACTION=1
    timeout --kill-after=10 "${PHPT_RUN_TIMEOUT:-480}" "$PHP" "$RUN_TESTS" -q -p "$PHP" -n -d "extension=$SO" \
      --no-color --no-progress --set-timeout "${PHPT_TIMEOUT:-60}" "${jobs[@]}" -W "$res" "${FILTER[@]}"
  ) >"$log" 2>&1
  rc=$?
  scripts/servers.sh stop "$servers_dir" || echo "warning: servers.sh stop $servers_dir failed"
  servers_dir=""

  grep -E '^(PASS|FAIL|SKIP|BORK|LEAK|WARN|XFAIL|XLEAK)(&[A-Z]+)* ' "$log" | sed "s/^/[$kind] /"
  if [ "$rc" != 0 ] && [ "$rc" != 1 ] || [ ! -s "$res" ]; then
    tail -n 30 "$log"
    crash "run-tests.php on $kind (exit $rc; log: .tmp/test/phpt-$kind.log)"
  fi
  [ -f "$res" ] || return

  local p=0 f=0 so=0 status file rel reason
  mkdir -p "$OUT/$kind"
  while IFS=$'\t' read -r status file; do
    rel=${file#"$ROOT"/}
    case "$status" in
      PASSED) p=$(( p + 1 )) ;;
      SKIPPED)
        # the reason as run-tests printed it: "SKIP <title> [<file>] reason: <reason>"
        reason=$(grep -F "[$rel] reason: " "$log" | head -n1 | sed 's/.*\] reason: //')
        # --EXTENSIONS-- igbinary/redis (phpredis): Debian has no phpredis package for PHP 8.5+
        if [[ "$reason" =~ ^Required\ extensions?\ missing:\ (igbinary|redis)(,\ (igbinary|redis))*$ ]] \
           && [ "$PHP_ID" -ge 80500 ]; then
          reason="optional: no phpredis package for this PHP (8.5+): $reason"
        fi
        if [[ "$reason" == optional:* ]]; then
          so=$(( so + 1 )); echo "[$kind] skipped (optional, not counted): $rel: $reason"
        else
          f=$(( f + 1 )); echo "[$kind] SKIP counted as failure: $rel: ${reason:-no reason given}"
        fi ;;
      XFAILED|XLEAKED) echo "[$kind] $status (expected, not counted): $rel" ;;
      *)  # FAILED, BORKED, LEAKED, WARNED
        f=$(( f + 1 ))
        local b=${file%.phpt}
        echo; echo "----- [$kind] $status $rel"
        if [ -f "$b.diff" ]; then
          head -n 60 "$b.diff" | cut -c1-400
          [ "$(wc -l <"$b.diff")" -gt 60 ] && echo "... (diff truncated; full: .tmp/test/$kind/${rel%.phpt}.diff)"
        else
          grep -F "$rel" "$log" | head -n 5
        fi
        mkdir -p "$OUT/$kind/$(dirname "$rel")"
        cp -f "$b".{diff,out,exp,php} "$OUT/$kind/$(dirname "$rel")/" 2>/dev/null || true ;;
    esac
  done <"$res"
  passed=$(( passed + p )); failed=$(( failed + f ))
  summary+=("phpt $kind: $p passed, $f failed, $so optional skips")
}

if [ "$built" = 1 ]; then
  for kind in $KINDS; do run_kind "$kind"; done
  clean_phpt_artifacts
elif [ -n "$KINDS" ]; then
  crash "phpt phase not run: the extension did not build"
fi

# --- 4b. torture: a bounded run of the randomized lock checker (scripts/torture/, docs/TORTURE.md)
if [ "${TORTURE_IN_TEST:-1}" = 1 ] && [ "$built" = 1 ] && [ -n "$KINDS" ]; then
  tsecs=${TORTURE_TEST_S:-60}
  phase "torture ($tsecs s on $KINDS)"
  # A fixed seed (a known program and fault schedule, replayed: a regression check that does not
  # fail a build on a new random find); `make torture` explores with fresh seeds.
  SEED=${SEED:-${TORTURE_TEST_SEED:-122753719}} TORTURE_S=$tsecs TORTURE_KINDS="$KINDS" TORTURE_OUT="$OUT/torture" \
    timeout --kill-after=30 $(( tsecs + 400 )) python3 scripts/torture/torture.py 2>&1 | tee "$OUT/torture.log"
  tline=$(tail -n 1 "$OUT/torture.log")
  if [[ "$tline" =~ ^torture:\ ([0-9]+)\ operations,\ ([0-9]+)\ violations,\ seed\ ([0-9]+)$ ]]; then
    if [ "${BASH_REMATCH[1]}" -gt 0 ] && [ "${BASH_REMATCH[2]}" = 0 ]; then
      passed=$(( passed + 1 ))
    else
      failed=$(( failed + 1 ))
    fi
    summary+=("torture: ${BASH_REMATCH[1]} operations, ${BASH_REMATCH[2]} violations (replay: SEED=${BASH_REMATCH[3]} make torture; log: .tmp/test/torture.log)")
  else
    crash "torture (no final line; log: .tmp/test/torture.log)"
  fi
fi

# --- 5. the demo page in a real browser
if [ "${BROWSER_TEST:-1}" != 0 ] && [ "$built" = 1 ]; then
  phase "demo page in headless Chromium"
  timeout --kill-after=10 420 scripts/test-browser.sh "$OUT/browser" 2>&1 | tee "$OUT/browser.log"
  rc=${PIPESTATUS[0]}
  if grep -q '^browser test: SKIPPED' "$OUT/browser.log"; then
    summary+=("browser: $(grep '^browser test: SKIPPED' "$OUT/browser.log")")
  else
    read -r bp bf < <(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$OUT/browser.log" | tail -n1)
    passed=$(( passed + ${bp:-0} )); failed=$(( failed + ${bf:-0} ))
    summary+=("browser (demo page): ${bp:-0} passed, ${bf:-0} failed (screenshots: .tmp/test/browser/)")
    if [ "$rc" != 0 ] && [ "${bf:-0}" = 0 ]; then crash "browser test (exit $rc; log: .tmp/test/browser.log)"; fi
  fi
fi

# --- 6. totals
phase totals
for s in "${summary[@]}"; do echo "$s"; done
for c in "${crashed[@]}"; do echo "crashed: $c"; done
[ "$passed" -gt 0 ] || echo "nothing passed: treating the run as failed"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ] && [ "${#crashed[@]}" -eq 0 ]
