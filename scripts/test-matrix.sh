#!/usr/bin/env bash
# What `make test-matrix` runs: the whole phpt suite on every PHP version we can get here, each
# against that system's own servers, one build of the extension per PHP version.
#
#   php8.2      this machine (Debian bookworm): Redis 7.0 (redis7) and Valkey 9.1 (valkey9, PyPI)
#   php8.4      trixie chroot: Debian's Redis 8.0 and Valkey 8.1; phpredis 6.2 for the compat tests
#   php8.5/8.6  sid chroot with PHP 8.5 and 8.6 RC, and Redis 8.6, from experimental; sid's
#               Valkey 9.1; no phpredis exists for them (those tests skip, "optional:")
#
# Chroots live under /var/cache/redis_session-chroots (scripts/chroot.sh creates them when
# missing: a few minutes and ~1.3 GB each; later runs reuse them). Each version builds into its
# own cargo target dir inside its chroot (SUITE/build/phpX.Y), so an unchanged tree is not
# rebuilt. Cargo runs offline there, from crates this script fetches on the host first.
#
# Output: scripts/test.sh's output per version (logs under .tmp/matrix/phpX.Y/), then one line
# per version, exactly "phpX.Y: N passed, M failed", then the total "N passed, M failed". Exit
# status non-zero on any failure, or when nothing passed.
#
# Environment:
#   MATRIX_VERSIONS="8.2 8.4 8.5 8.6"   which PHP versions
#   PHPT_FILTER, PHPT_JOBS, PHPT_TIMEOUT, PHPT_RUN_TIMEOUT   passed on to scripts/test.sh
#   SKIP_SETUP=1                          skip scripts/setup.sh for the host's PHP 8.2
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VERSIONS=${MATRIX_VERSIONS:-8.2 8.4 8.5 8.6}
OUT=$ROOT/.tmp/matrix
rm -rf "$OUT"; mkdir -p "$OUT"

suite_of() {
  case "$1" in
    8.2) echo host ;;
    8.4) echo trixie ;;
    8.5|8.6) echo sid ;;
    *) echo "test-matrix: no system for PHP $1 (8.2 8.4 8.5 8.6)" >&2; return 1 ;;
  esac
}

pass_env=()
for v in PHPT_FILTER PHPT_JOBS PHPT_TIMEOUT PHPT_RUN_TIMEOUT; do
  [ -n "${!v:-}" ] && pass_env+=("$v=${!v}")
done

lines=(); total_p=0; total_f=0
record() {   # VERSION LOG
  local v=$1 log=$2 last p f
  last=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n1)
  if [ -z "$last" ]; then p=0; f=1; else p=${last%% passed*}; f=${last#*, }; f=${f%% failed}; fi
  lines+=("php$v: $p passed, $f failed")
  total_p=$(( total_p + p )); total_f=$(( total_f + f ))
}

if [ "$VERSIONS" != 8.2 ]; then
  echo "=== cargo fetch (the chroots build offline from the host's crate cache)"
  cargo fetch --locked || { echo "cargo fetch failed"; }
fi

for v in $VERSIONS; do
  suite=$(suite_of "$v") || { lines+=("php$v: 0 passed, 1 failed"); total_f=$(( total_f + 1 )); continue; }
  log=$OUT/php$v.log
  start=$SECONDS
  echo; echo "######## PHP $v ($suite)"
  if [ "$suite" = host ]; then
    env "${pass_env[@]}" CARGO_TEST=0 TORTURE_IN_TEST=0 BROWSER_TEST=0 TEST_OUT="$OUT/php$v" scripts/test.sh 2>&1 | tee "$log"
  else
    if ! scripts/chroot.sh ensure "$suite" 2>&1 | tee "$log"; then
      echo "test-matrix: chroot $suite could not be made" | tee -a "$log"
    else
      scripts/chroot.sh seed "$suite" "php$v" 2>&1 | tee -a "$log"
      # Inside the chroot: the repo is /src, the build goes to /build/phpX.Y (kept in the chroot).
      scripts/chroot.sh run "$suite" env "${pass_env[@]}" \
        PHP="/usr/bin/php$v" PHP_CONFIG="/usr/bin/php-config$v" \
        CARGO_TARGET_DIR="/build/php$v" TEST_OUT="/src/.tmp/matrix/php$v" \
        TEST_KINDS="redis valkey" CARGO_TEST=0 SKIP_SETUP=1 TORTURE_IN_TEST=0 BROWSER_TEST=0 \
        bash -c 'RUN_TESTS=/usr/lib/php/$($PHP_CONFIG --phpapi)/build/run-tests.php exec /src/scripts/test.sh' \
        2>&1 | tee -a "$log"
    fi
  fi
  record "$v" "$log"
  echo "php$v took $(( SECONDS - start )) s" | tee -a "$log"
done

echo; echo "=== test matrix"
for l in "${lines[@]}"; do echo "$l"; done
echo "$total_p passed, $total_f failed"
[ "$total_f" -eq 0 ] && [ "$total_p" -gt 0 ]
