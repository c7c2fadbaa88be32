# Targets name what they do; the longer work lives in scripts/.
PHP_CONFIG ?= php-config8.2
SO         := target/release/libredis_session.so

.PHONY: build install demo demo-web docker-check test test-matrix deb deb-test lint bench clean valgrind fuzz reliability bench-compression torture redis8 bench-sentinel

build:
	cargo build --release

install: build
	install -m 0755 $(SO) "$$($(PHP_CONFIG) --extension-dir)/redis_session.so"
	install -m 0644 redis_session.ini /etc/php/8.2/mods-available/redis_session.ini
	phpenmod -v 8.2 redis_session

demo:
	@scripts/demo.sh

demo-web:
	@scripts/demo-web.sh

docker-check:
	@scripts/docker-check.sh

test:
	@scripts/test.sh

# The phpt suite on PHP 8.2 (here), 8.4 (trixie chroot), 8.5 and 8.6 RC (sid chroot).
test-matrix:
	@scripts/test-matrix.sh

# One .deb per PHP version into target/deb/; deb-test installs each in a fresh chroot and purges it.
deb:
	@scripts/deb.sh build

deb-test: deb
	@scripts/deb.sh test

# Optional: Redis 8.6 (DELEX) from Debian experimental in a sid chroot, for lock/026 (~1 min, ~400 MB).
redis8:
	@scripts/redis8-chroot.sh setup

valgrind:
	@scripts/valgrind.sh

fuzz:
	@scripts/fuzz.sh

reliability:
	@scripts/reliability.sh

# Randomized concurrency + fault checker of the session lock (docs/TORTURE.md).
# SEED=<n> replays a run, TORTURE_S=<seconds> sets its length (default 600), TORTURE_KINDS=redis7|valkey9.
torture: build
	@python3 scripts/torture/torture.py

# A php-fpm site through a Sentinel master kill: redissentinel vs phpredis's redis handler (~40 s).
bench-sentinel: build
	@python3 bench/sentinel/failover.py

bench-compression:
	@bench/compression/run.sh

bench:
	@bench/run.sh

lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings

clean:
	cargo clean
	rm -rf .tmp
