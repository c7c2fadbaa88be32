#!/usr/bin/env bash
# What `make fuzz` runs: every cargo-fuzz target in fuzz/ (see fuzz/fuzz_targets/) for
# FUZZ_SECONDS each, starting from fuzz/seeds/TARGET/ when there is one.
#   FUZZ_SECONDS=30          time per target (libFuzzer -max_total_time)
#   FUZZ_TARGETS="decode lzf" only these targets (default: all)
# cargo-fuzz needs nightly-only rustc flags (-Zsanitizer); this machine has only the stable
# toolchain, which accepts them with RUSTC_BOOTSTRAP=1. A crash leaves its input under
# fuzz/artifacts/TARGET/ and makes this script fail. Without cargo-fuzz (or if it cannot
# build), the bounded randomized test in `cargo test` runs longer instead.
set -uo pipefail
cd "$(dirname "$0")/.."
SECS=${FUZZ_SECONDS:-30}

fallback() {
  echo "cargo-fuzz unavailable ($1): running the randomized decode and redaction tests longer instead"
  REDIS_SESSION_FUZZ_ITERS=200000 cargo test --release -p redis_session_core --lib \
    codec::tests::randomized_decode_never_panics_or_returns_wrong_data || exit $?
  REDIS_SESSION_REDACT_ITERS=200000 cargo test --release -p redis_session_core --lib \
    redact::tests::no_generated_secret_ever_shows
  exit $?
}

if ! command -v cargo-fuzz >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked || fallback "cargo install cargo-fuzz failed"
fi
export RUSTC_BOOTSTRAP=1
# The sanitizer build of every dependency takes many minutes: keep it outside the work tree, so
# later runs on this machine (a fresh clone in CI included) reuse it. FUZZ_TARGET_DIR moves it.
export CARGO_TARGET_DIR=${FUZZ_TARGET_DIR:-/var/cache/redis_session/fuzz-target}
mkdir -p "$CARGO_TARGET_DIR"
cd fuzz
read -r -a targets <<<"${FUZZ_TARGETS:-$(cargo fuzz list | tr '\n' ' ')}"
if [ -n "${FUZZ_TARGETS:-}" ]; then   # only the targets asked for (a bounded CI run)
  for t in "${targets[@]}"; do cargo fuzz build -O "$t" || fallback "cargo fuzz build $t failed"; done
else
  cargo fuzz build -O || fallback "cargo fuzz build failed"
fi
failed=0; passed=0
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t" "seeds/$t"
  echo "=== fuzz $t for ${SECS}s"
  if cargo fuzz run -O "$t" "corpus/$t" "seeds/$t" -- -max_total_time="$SECS" -rss_limit_mb=2048 \
       -max_len=65536 -print_final_stats=1 2>&1 | grep -aE '^(stat::number_of_executed_units|Done|==[0-9]+==|SUMMARY|thread)'; then :; fi
  if [ "${PIPESTATUS[0]}" = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $t (see fuzz/artifacts/$t/)"; fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
