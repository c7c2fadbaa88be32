#!/usr/bin/env bash
# What `make reliability` runs: the fault tests (php-tests/reliability/, php-tests/fpm/,
# php-tests/failure/) RUNS times on each server kind, collecting the numbers the load tests
# report (requests, failures, lost updates, failover window and recovery time), then prints
# them as the table rows of docs/RELIABILITY.md. `make test` runs the same tests once; this
# target repeats them to show the spread.
#
#   RELIABILITY_KINDS="redis7 valkey9"   server kinds
#   RELIABILITY_RUNS=3                   repetitions per kind
# Every server is started and stopped here or by the tests themselves (private clusters and
# servers on loopback, bounded lifetimes). The last line is "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PHP=${PHP:-/usr/bin/php}
RUN_TESTS=${RUN_TESTS:-/usr/lib/php/20220829/build/run-tests.php}
SO="$ROOT/target/release/libredis_session.so"
OUT="$ROOT/.tmp/reliability"
REPORT="$OUT/report.jsonl"
rm -rf "$OUT"; mkdir -p "$OUT"
servers=""
cleanup() { [ -n "$servers" ] && scripts/servers.sh stop "$servers" >/dev/null 2>&1; }
trap cleanup EXIT

cargo build --release 2>&1 | tail -n 2
# run-tests writes its files beside each .phpt: run a copy, so a `make test` running at the
# same time in this tree cannot collide with this run.
cp -r php-tests "$OUT/php-tests"
passed=0; failed=0
for kind in ${RELIABILITY_KINDS:-redis7 valkey9}; do
  servers=$(mktemp -d "${TMPDIR:-/tmp}/rs-rel.XXXXXX")
  scripts/servers.sh start "$kind" "$servers" || { servers=""; failed=$(( failed + 1 )); continue; }
  for run in $(seq 1 "${RELIABILITY_RUNS:-3}"); do
    log="$OUT/$kind-$run.log"
    (
      . "$servers/env.sh"
      export REDIS_SESSION_SO="$SO" NO_INTERACTION=1 RS_RELIABILITY_REPORT="$REPORT"
      timeout --kill-after=10 600 "$PHP" "$RUN_TESTS" -q -p "$PHP" -n -d "extension=$SO" --no-color --no-progress \
        --set-timeout 120 -j1 -W "$OUT/$kind-$run.results" "$OUT"/php-tests/{reliability,fpm,failure}
    ) >"$log" 2>&1
    p=$(grep -c '^PASSED' "$OUT/$kind-$run.results" 2>/dev/null); f=$(grep -vc '^PASSED' "$OUT/$kind-$run.results" 2>/dev/null)
    passed=$(( passed + ${p:-0} )); failed=$(( failed + ${f:-0} ))
    echo "$kind run $run: ${p:-0} passed, ${f:-0} failed"
    grep -v '^PASSED' "$OUT/$kind-$run.results" 2>/dev/null | sed "s#$OUT/##; s/^/  /"
  done
  scripts/servers.sh stop "$servers" >/dev/null 2>&1; servers=""
done

echo
echo "| fault | server | requests | failed | lost updates | recovery / window | test |"
echo "|---|---|---|---|---|---|---|"
"$PHP" -n -r '
foreach (file($argv[1], FILE_IGNORE_NEW_LINES) ?: [] as $l) {
    $r = json_decode($l, true);
    if ($r["test"] === "failover") {
        printf("| %s | %s | %d | %d (%d on other masters) | %d | promoted %.1f s, last failure %.1f s after the kill, longest request %d ms | reliability/001 |\n",
            $r["fault"], $r["server"], $r["requests"], $r["failures"], $r["failures_other_masters"], $r["lost_updates"],
            $r["promotion_s"], $r["window_s"], $r["max_request_ms"]);
    } elseif ($r["test"] === "reshard") {
        printf("| %s | %s | %d | %d | %d | no window; MOVED %d, ASK %d, TRYAGAIN %d; longest request %d ms | reliability/002 |\n",
            $r["fault"], $r["server"], $r["requests"], $r["failures"], $r["lost_updates"], $r["moved"], $r["ask"],
            $r["tryagain"], $r["max_request_ms"]);
    }
}' "$REPORT"
echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
