#!/usr/bin/env bash
# Optional: a Redis >= 8.4 server (DELEX) for the release-command test, taken from Debian
# experimental inside a small sid chroot (Redis 8.6 needs sid's glibc; bookworm has none).
#   scripts/redis8-chroot.sh setup   # ~2 min, ~400 MB under $REDIS8_CHROOT
#   scripts/redis8-chroot.sh bin     # prints the wrapper that runs that redis-server
# The test (php-tests/lock/026_release_delex_on_redis8.phpt) skips with an "optional:" reason
# when the chroot is absent.
set -euo pipefail
ROOT="${REDIS8_CHROOT:-/var/cache/redis_session/sid-redis8}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
WRAPPER="$ROOT/redis-server.sh"

setup() {
    if [ -x "$WRAPPER" ] && "$WRAPPER" --version >/dev/null 2>&1; then
        echo "redis8-chroot: ready: $("$WRAPPER" --version | head -1)"
        return 0
    fi
    command -v debootstrap >/dev/null || apt-get install -y -q debootstrap >/dev/null
    mkdir -p "$ROOT"
    if [ ! -x "$ROOT/usr/bin/apt-get" ]; then
        debootstrap --variant=minbase sid "$ROOT" "$MIRROR" >/dev/null
    fi
    cat > "$ROOT/etc/apt/sources.list" <<SRC
deb $MIRROR sid main
deb $MIRROR experimental main
SRC
    printf '#!/bin/sh\nexit 101\n' > "$ROOT/usr/sbin/policy-rc.d"
    chmod +x "$ROOT/usr/sbin/policy-rc.d"
    cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
    chroot "$ROOT" apt-get -o Acquire::Check-Valid-Until=false update -q >/dev/null
    # Install only what the binary needs; the package's service scripts never run (policy-rc.d).
    chroot "$ROOT" env DEBIAN_FRONTEND=noninteractive apt-get -o Acquire::Check-Valid-Until=false \
        install -y -q --no-install-recommends -t experimental redis-server redis-tools >/dev/null
    # Run the chroot's binary with the chroot's own loader and libraries (no chroot(2) needed,
    # so paths given to it are the host's).
    local loader
    loader=$(ls "$ROOT"/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$ROOT"/lib64/ld-linux-x86-64.so.2 2>/dev/null | head -1)
    cat > "$WRAPPER" <<WR
#!/bin/sh
exec "$loader" --library-path "$ROOT/usr/lib/x86_64-linux-gnu:$ROOT/lib/x86_64-linux-gnu" "$ROOT/usr/bin/redis-server" "\$@"
WR
    chmod +x "$WRAPPER"
    echo "redis8-chroot: ready: $("$WRAPPER" --version | head -1)"
}

case "${1:-}" in
    setup) setup ;;
    bin) [ -x "$WRAPPER" ] && echo "$WRAPPER" ;;
    *) echo "usage: $0 setup|bin" >&2; exit 2 ;;
esac
