#!/usr/bin/env bash
# What `make valgrind` runs: a representative part of the phpt suite with the extension under
# valgrind memcheck (run-tests.php -m: USE_ZEND_ALLOC=0, ZEND_DONT_UNLOAD_MODULES=1, so PHP
# allocates with malloc and keeps our .so mapped for symbolized stacks), against servers from
# scripts/servers.sh. It fails when a valgrind report (invalid read/write, use of uninitialised
# memory, invalid free, a definite or indirect leak) has a frame in libredis_session.so, and
# when a test crashed; reports without our frames (PHP, libc) are listed but do not fail it.
# Test outputs that differ under valgrind (timing bounds written for a normal run) are listed,
# not counted: this target is about memory, `make test` about behaviour.
#
#   VALGRIND_KIND=redis7          server kind (redis7 | valkey9)
#   VALGRIND_TESTS="php-tests/x"  test files or directories (default: the list below)
#   VALGRIND_JOBS=2               run-tests -j
#   VALGRIND_TIMEOUT=540          bound on the whole run-tests invocation, seconds
# The last line is "N passed, M failed" (N = tests run clean of reports from our code).
# PCRE's JIT is off (-d pcre.jit=0): valgrind cannot follow JIT code and reports false errors.
# Children a test starts (php workers, servers, redis-cli) are not traced: only the test's own
# PHP process, which is where the extension runs through every callback.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PHP=${PHP:-/usr/bin/php}
RUN_TESTS=${RUN_TESTS:-/usr/lib/php/20220829/build/run-tests.php}
KIND=${VALGRIND_KIND:-redis7}
SO="$ROOT/target/release/libredis_session.so"
OUT="$ROOT/.tmp/valgrind"
# Every callback (open/read/write/close/destroy/gc/create_sid/validate_sid/update_timestamp),
# both handlers, locking, failures (dead/paused servers, garbage replies, OOM, READONLY, ACL),
# save_path parsing and redaction, INI handling.
DEFAULT_TESTS="php-tests/redis php-tests/rediscluster php-tests/save_path php-tests/ini php-tests/failure
  php-tests/security/001_warnings_name_keys_by_tag_not_id.phpt php-tests/security/002_session_calls_from_an_error_handler_during_our_warning.phpt
  php-tests/security/011_session_over_max_size_fails_start_untouched.phpt
  php-tests/lock/005_lock_timeout_fails_start_redis.phpt php-tests/lock/007_lock_ttl_default_is_bounded.phpt
  php-tests/lock/010_lock_held_during_request_released_by_write_close.phpt
  php-tests/lock/011_lock_released_by_session_abort.phpt php-tests/lock/012_lock_released_by_read_and_close.phpt
  php-tests/lock/013_lock_released_by_unchanged_lazy_write.phpt php-tests/lock/015_release_delifeq_unknown_warns_once_redis.phpt
  php-tests/lock/019_write_after_lost_lock_is_fenced.phpt php-tests/lock/020_regenerate_id_delete_old_moves_lock.phpt
  php-tests/lock/022_destroy_removes_data_and_lock.phpt php-tests/lock/023_strict_mode_new_id_is_locked.phpt
  php-tests/reliability/003_paused_server_times_out_then_serves_again.phpt
  php-tests/reliability/004_unreachable_server_fails_within_connect_timeout.phpt
  php-tests/reliability/005_server_killed_mid_request_then_restarted.phpt"
read -r -a TESTS <<<"$(echo ${VALGRIND_TESTS:-$DEFAULT_TESTS})"
rm -rf "$OUT"; mkdir -p "$OUT"

command -v valgrind >/dev/null || { echo "valgrind missing (apt-get install valgrind)"; echo "0 passed, 1 failed"; exit 1; }
servers=""
cleanup() { [ -n "$servers" ] && scripts/servers.sh stop "$servers" >/dev/null 2>&1; }
trap cleanup EXIT

cargo build --release 2>&1 | tail -n 2
[ -f "$SO" ] || { echo "no $SO"; echo "0 passed, 1 failed"; exit 1; }
servers=$(mktemp -d "${TMPDIR:-/tmp}/rs-vg.XXXXXX")
scripts/servers.sh start "$KIND" "$servers" || { servers=""; echo "0 passed, 1 failed"; exit 1; }

# run-tests writes its files (X.php, X.out, X.mem ...) beside each .phpt: run a copy of the
# suite, so a `make test` running at the same time in this tree cannot collide with this run.
cp -r php-tests "$OUT/php-tests"
find "$OUT/php-tests" -name '*.phpt' | while read -r t; do
  b=${t%.phpt}; rm -f "$b.php" "$b.out" "$b.diff" "$b.exp" "$b.log" "$b.sh" "$b.mem" "$b.skip.php" "$b.clean.php"
done
TESTS=("${TESTS[@]/#/$OUT/}")
# Options run-tests does not set: full leak stacks, definite + indirect leaks as errors, deep
# stacks, no tracing of the children tests start (php workers, servers, redis-cli), and the
# suppressions of scripts/valgrind.supp (a dependency's once-per-process allocations only).
export VALGRIND_OPTS="--leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --num-callers=40 --trace-children-skip=* --suppressions=$ROOT/scripts/valgrind.supp"
started=$SECONDS
(
  . "$servers/env.sh"
  export REDIS_SESSION_SO="$SO" NO_INTERACTION=1
  timeout --kill-after=10 "${VALGRIND_TIMEOUT:-540}" "$PHP" "$RUN_TESTS" -q -p "$PHP" -n -d "extension=$SO" -d pcre.jit=0 -m \
    --no-color --no-progress -j"${VALGRIND_JOBS:-2}" -W "$OUT/results" "${TESTS[@]}"
) >"$OUT/run-tests.log" 2>&1
rc=$?
echo "run-tests under valgrind: exit $rc after $(( SECONDS - started )) s (log: .tmp/valgrind/run-tests.log)"

passed=0; failed=0; foreign=0
[ -s "$OUT/results" ] || { tail -n 30 "$OUT/run-tests.log"; echo "0 passed, 1 failed"; exit 1; }
while IFS=$'\t' read -r status file; do
  rel=${file#"$OUT"/}; mem=${file%.phpt}.mem; ours=0
  if [ -s "$mem" ]; then
    cp "$mem" "$OUT/$(echo "$rel" | tr / _).mem"   # the copies the overview below reads
    # One report = the lines from "==PID== <headline>" to the next blank "==PID==" line.
    ours=$(awk '/^==[0-9]+== *$/ { if (blk ~ /libredis_session/) n++; blk=""; next } { blk = blk "\n" $0 }
                END { if (blk ~ /libredis_session/) n++; print n + 0 }' "$mem")
  fi
  crashed=0
  [ -s "$mem" ] && grep -q 'Process terminating with default action of signal' "$mem" && crashed=1
  case "$status" in
    SKIPPED) echo "skipped: $rel" ; continue ;;
  esac
  if [ "$ours" -gt 0 ] || [ "$crashed" = 1 ]; then
    failed=$(( failed + 1 ))
    echo "----- $rel: $ours valgrind report(s) with our frames$([ "$crashed" = 1 ] && echo ', crashed')"
    head -n 60 "$mem"
  else
    passed=$(( passed + 1 ))
    [ -s "$mem" ] && { foreign=$(( foreign + 1 )); echo "reports without our frames (not counted): $rel"; }
    case "$status" in *FAIL*|BORKED) echo "output differs under valgrind (not counted): $rel" ;; esac
  fi
done <"$OUT/results"
# Overview: each kind of report with our frames, by the first redis_session function on its stack.
if ls "$OUT"/*.mem >/dev/null 2>&1; then
  echo "reports with our frames, by kind and our first frame (count over all tests):"
  awk '/^==[0-9]+== *$/ { if (blk ~ /libredis_session/) print head " @ " (fn != "" ? fn : any); blk=""; head=""; fn=""; any=""; next }
       { line=$0; sub(/^==[0-9]+== /, "", line)
         if (blk == "") { head=line; gsub(/[0-9,]+ (\([^)]*\) )?bytes in [0-9,]+ blocks/, "N bytes", head); sub(/ in loss record.*/, "", head) }
         if (any == "" && line ~ /libredis_session/) { any=line; sub(/^ *(at|by) 0x[0-9A-F]+: /, "", any); sub(/ \(in .*/, "", any) }
         if (fn == "" && line ~ /libredis_session/ && line ~ /: redis_session(_core)?::/) { fn=line; sub(/^ *(at|by) 0x[0-9A-F]+: /, "", fn); sub(/ \(in .*/, "", fn) }
         blk = blk "\n" line }' "$OUT"/*.mem | sort | uniq -c | sort -rn | head -n 20
fi
[ "$rc" = 0 ] || [ "$rc" = 1 ] || { echo "run-tests exit $rc (timeout or crash)"; failed=$(( failed + 1 )); }
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
