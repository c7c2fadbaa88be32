#!/usr/bin/env bash
# Debian packages of the extension, one per PHP version: `make deb` (build) and `make deb-test`.
#
#   deb.sh build [VERSIONS]   target/deb/phpX.Y-redis-session_<version>_amd64.deb for each
#   deb.sh test  [VERSIONS]   install each in a fresh chroot of its Debian release (with phpredis
#                             where Debian has it), check the module is enabled for cli and fpm and
#                             loads after phpredis, run the demo against a cluster there, purge,
#                             and check that nothing is left behind
# VERSIONS: default "8.2 8.4 8.5 8.6" (8.2: this machine's build; 8.4: trixie chroot; 8.5 and
# 8.6: sid chroot, from experimental; the chroots are scripts/chroot.sh's).
#
# A package holds:
#   /usr/lib/php/<API>/redis_session.so              (PHP's extension dir for that version)
#   /etc/php/X.Y/mods-available/redis_session.ini    (conffile; "; priority=25": after phpredis's
#                                                     redis.ini at the default 20, which the
#                                                     coexistence with phpredis relies on)
#   /usr/share/doc/phpX.Y-redis-session/copyright
# and maintainer scripts like Debian's own PHP extension packages (dh_php): postinst enables
# the module for every installed SAPI (cli, fpm, ...), remove disables it, purge removes what
# enabling left (conf.d links, phpenmod state).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CACHE=${REDIS_SESSION_CHROOTS:-/var/cache/redis_session-chroots}
OUTDIR=$ROOT/target/deb
PKG_VERSION="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)-1"

die() { echo "deb.sh: $*" >&2; exit 1; }
suite_of() {
  case "$1" in
    8.2) echo bookworm ;; 8.4) echo trixie ;; 8.5|8.6) echo sid ;;
    *) die "no Debian release with PHP $1 here (8.2 8.4 8.5 8.6)" ;;
  esac
}

# build_so V: prints the path of the extension built for PHP V (building it when needed).
build_so() {
  local v=$1 suite
  suite=$(suite_of "$v")
  if [ "$suite" = bookworm ]; then
    cargo build --release --locked >&2   # the host PHP (bookworm: 8.2), as make build
    echo "$ROOT/target/release/libredis_session.so"
  else
    cargo fetch --locked >&2
    scripts/chroot.sh ensure "$suite" >&2
    scripts/chroot.sh seed "$suite" "php$v" >&2
    scripts/chroot.sh run "$suite" env PHP="/usr/bin/php$v" PHP_CONFIG="/usr/bin/php-config$v" \
      CARGO_TARGET_DIR="/build/php$v" sh -c 'cd /src && cargo build --release --locked' >&2
    echo "$CACHE/$suite/build/php$v/release/libredis_session.so"
  fi
}

# api_of V: the module API number of PHP V (from its headers, host or chroot).
api_of() {
  local v=$1 suite
  suite=$(suite_of "$v")
  if [ "$suite" = bookworm ]; then php-config8.2 --phpapi; else
    scripts/chroot.sh run "$suite" "/usr/bin/php-config$v" --phpapi; fi
}

# Highest GLIBC_x.y symbol version the .so needs (for Depends: libc6 (>= x.y)).
glibc_min() {
  objdump -T "$1" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -t. -k1,1n -k2,2n | tail -n1
}

build_one() {
  local v=$1 so api pkg dir
  so=$(build_so "$v")
  [ -f "$so" ] || die "no extension built for PHP $v ($so)"
  api=$(api_of "$v" | tr -d '\r')
  [[ "$api" =~ ^[0-9]{8}$ ]] || die "PHP $v: bad API number '$api'"
  pkg="php$v-redis-session"
  dir=$(mktemp -d "${TMPDIR:-/tmp}/rs-deb.XXXXXX"); chmod 0755 "$dir"
  install -d "$dir/DEBIAN" "$dir/usr/lib/php/$api" "$dir/etc/php/$v/mods-available" "$dir/usr/share/doc/$pkg"
  install -m 0644 "$so" "$dir/usr/lib/php/$api/redis_session.so"
  strip --strip-unneeded "$dir/usr/lib/php/$api/redis_session.so"
  install -m 0644 redis_session.ini "$dir/etc/php/$v/mods-available/redis_session.ini"
  printf 'redis_session (Redis / Valkey session handlers for PHP)\nLicense: MIT\n' \
    >"$dir/usr/share/doc/$pkg/copyright"
  echo "/etc/php/$v/mods-available/redis_session.ini" >"$dir/DEBIAN/conffiles"
  local libs="libc6 (>= $(glibc_min "$dir/usr/lib/php/$api/redis_session.so"))"
  if objdump -p "$so" | grep 'NEEDED.*libgcc_s' >/dev/null; then libs="$libs, libgcc-s1"; fi
  cat >"$dir/DEBIAN/control" <<EOF
Package: $pkg
Version: $PKG_VERSION
Architecture: amd64
Maintainer: redis_session maintainers <redis-session@localhost>
Section: php
Priority: optional
Depends: php$v-common, phpapi-$api, $libs
Pre-Depends: php-common
Suggests: php$v-redis
Installed-Size: $(du -sk "$dir/usr" | cut -f1)
Description: Redis / Valkey session handlers for PHP $v (drop-in for phpredis's)
 The redis and rediscluster session save handlers with slot-aware locking,
 written in Rust: same php.ini settings and keys as phpredis, locking on
 Redis Cluster, compression. Loads after phpredis (priority 25) when both
 are installed and takes over its session handlers.
EOF
  # Maintainer scripts, as dh_php writes them for Debian's PHP extensions.
  cat >"$dir/DEBIAN/postinst" <<EOF
#!/bin/sh
set -e
if [ "\$1" = "configure" ]; then
    if [ -e /usr/lib/php/php-maintscript-helper ]; then
        . /usr/lib/php/php-maintscript-helper
        php_invoke enmod "$v" ALL redis_session || exit 1
    else
        phpenmod -v "$v" redis_session
    fi
fi
EOF
  cat >"$dir/DEBIAN/prerm" <<EOF
#!/bin/sh
set -e
if [ "\$1" = "upgrade" ] && [ -e /usr/lib/php/php-maintscript-helper ]; then
    . /usr/lib/php/php-maintscript-helper
    php_invoke dismod "$v" ALL redis_session || exit 1
fi
EOF
  cat >"$dir/DEBIAN/postrm" <<EOF
#!/bin/sh
set -e
if [ "\$1" = "remove" ] && [ -e /usr/lib/php/php-maintscript-helper ]; then
    . /usr/lib/php/php-maintscript-helper
    php_invoke dismod "$v" ALL redis_session || exit 1
fi
if [ "\$1" = "purge" ]; then
    # conf.d links to our ini (now gone), and phpenmod's state for the module
    find "/etc/php/$v" -xtype l 2>/dev/null | while read -r link; do
        if [ "\$(basename "\$(readlink -m "\$link")")" = "redis_session.ini" ]; then rm -f "\$link"; fi
    done
    find "/var/lib/php/modules/$v" -name redis_session -type f -delete 2>/dev/null || true
fi
EOF
  chmod 0755 "$dir/DEBIAN/postinst" "$dir/DEBIAN/prerm" "$dir/DEBIAN/postrm"
  mkdir -p "$OUTDIR"
  dpkg-deb --root-owner-group -Zxz --build "$dir" "$OUTDIR/${pkg}_${PKG_VERSION}_amd64.deb" >/dev/null
  rm -rf "$dir"
  echo "deb.sh: $OUTDIR/${pkg}_${PKG_VERSION}_amd64.deb"
}

# test_one V: fresh chroot of V's release; install PHP V (cli, fpm), phpredis where Debian has it,
# a Redis; then our package; check; demo on a cluster; purge; check nothing is left.
test_one() {
  local v=$1 suite deb dir rc=0
  suite=$(suite_of "$v")
  deb="$OUTDIR/php$v-redis-session_${PKG_VERSION}_amd64.deb"
  [ -f "$deb" ] || die "$deb missing: run deb.sh build $v first"
  mkdir -p "$CACHE"
  dir=$(mktemp -d "$CACHE/fresh-$suite.XXXXXX")
  echo "deb.sh: PHP $v: fresh $suite chroot in $dir"
  rmdir "$dir"
  scripts/chroot.sh fresh "$suite" "$dir"
  cp "$deb" "$dir/tmp/"
  local phpredis=""
  case "$v" in 8.2|8.4) phpredis="php$v-redis" ;; esac
  scripts/chroot.sh run-in "$dir" env V="$v" DEB="/tmp/${deb##*/}" PHPREDIS="$phpredis" bash -c '
    set -euo pipefail
    step() { echo "--- $*"; }
    step "apt: php$V-cli php$V-fpm ${PHPREDIS:-(no phpredis for this PHP)} redis"
    apt-get update -qq
    apt-get install -y -qq "php$V-cli" "php$V-fpm" $PHPREDIS redis-server redis-tools python3 procps >/tmp/apt.log 2>&1 \
      || { tail -n 20 /tmp/apt.log; exit 1; }
    snapshot() { find /etc /usr /var/lib/php /var/lib/dpkg/info -xdev \( -type f -o -type l \) 2>/dev/null | sort; }
    snapshot >/tmp/before
    step "install $DEB"
    apt-get install -y -qq "$DEB" >/tmp/apt-ours.log 2>&1 || { cat /tmp/apt-ours.log; exit 1; }
    api=$(php-config$V --phpapi 2>/dev/null || php$V -i | sed -n "s/^PHP API => //p")
    test -f "/usr/lib/php/$api/redis_session.so"
    for sapi in cli fpm; do
      link=$(ls /etc/php/$V/$sapi/conf.d/ | grep redis_session)
      echo "$sapi: conf.d/$link"
      [ "$link" = 25-redis_session.ini ]
    done
    # (grep without -q reads all of its input: with pipefail, -q can make php die of SIGPIPE)
    php$V -m | grep -x redis_session >/dev/null
    php-fpm$V -m | grep -x redis_session >/dev/null
    echo "cli and fpm load redis_session"
    if [ -n "$PHPREDIS" ]; then
      php$V -m | grep -x redis >/dev/null
      php$V --ri redis_session | grep -E "^Save handler redis "
      php$V --ri redis_session | grep "Save handler redis => registered (took over phpredis" >/dev/null \
        || { echo "redis_session did not load after phpredis"; exit 1; }
    fi
    step "demo on a Redis Cluster"
    d=$(mktemp -d /tmp/rs-demo.XXXXXX)
    trap "/src/scripts/servers.sh stop $d >/dev/null 2>&1 || true" EXIT
    /src/scripts/servers.sh start redis "$d"
    . "$d/env.sh"
    export REDIS_SESSION_SO="/usr/lib/php/$api/redis_session.so"
    php$V /src/demo/demo.php | tee /tmp/demo.out
    grep -E "^on \(redis_session\) +400 +400 +0 " /tmp/demo.out >/dev/null
    /src/scripts/servers.sh stop "$d"; trap - EXIT
    step "purge"
    apt-get purge -y -qq "php${V}-redis-session" >/tmp/apt-purge.log 2>&1 || { cat /tmp/apt-purge.log; exit 1; }
    snapshot >/tmp/after
    if ! diff /tmp/before /tmp/after; then echo "left behind or removed by the purge (diff above)"; exit 1; fi
    if find / -xdev -name "*redis_session*" -not -path "/src/*" -not -path "/tmp/*" 2>/dev/null | grep .; then
      echo "files named redis_session left behind"; exit 1
    fi
    echo "purged: nothing left behind"
  ' || rc=$?
  rm -rf "$dir"
  if [ "$rc" = 0 ]; then echo "deb-test php$v: ok"; else echo "deb-test php$v: FAILED"; fi
  return "$rc"
}

cmd=${1:-}; shift || true
versions=${*:-8.2 8.4 8.5 8.6}
case "$cmd" in
  build) for v in $versions; do build_one "$v"; done ;;
  test)
    failed=0
    for v in $versions; do test_one "$v" || failed=$(( failed + 1 )); done
    [ "$failed" = 0 ] ;;
  *) sed -n '2,20p' "$0" >&2; exit 2 ;;
esac
