#!/usr/bin/env bash
# Debian chroots for the PHP versions this machine's Debian (bookworm, PHP 8.2) lacks, for
# `make test-matrix` and the package tests of `make deb-test`. Run as root.
#
#   chroot.sh ensure SUITE           create the build chroot of SUITE when missing or incomplete
#   chroot.sh run SUITE CMD...       run CMD inside it (repo at /src, see below)
#   chroot.sh fresh SUITE DIR        unpack a pristine base system of SUITE into DIR (new, empty)
#   chroot.sh run-in DIR CMD...      run CMD inside the chroot DIR (as `run`, for `fresh` chroots)
#   chroot.sh dir SUITE              print the build chroot's directory
#   chroot.sh seed SUITE NAME        when SUITE/build/NAME does not exist yet, start it as a copy of
#                                    another build dir (another PHP version's, else the host's
#                                    target/): crates that do not depend on PHP are then reused,
#                                    only ext-php-rs and ours are compiled (minutes, not a quarter
#                                    of an hour on a busy 2-core machine)
#
# SUITE:  trixie  PHP 8.4, phpredis 6.2 (php8.4-redis), Redis 8.0, Valkey 8.1
#         sid     PHP 8.5 and 8.6 RC, and Redis 8.6, from experimental; Valkey from sid
#         bookworm  base system only (fresh chroots for the package test of PHP 8.2)
#
# Everything lives under $REDIS_SESSION_CHROOTS (default /var/cache/redis_session-chroots):
#   base-SUITE.tar    debootstrap --variant=minbase output plus apt sources (kept: `fresh` and a
#                     rebuilt chroot start from it without downloading the base again)
#   SUITE/            the build chroot; SUITE/.ready lists the packages installed (a chroot whose
#                     list differs from the one below is brought up to date by `ensure`)
#   SUITE/build/      cargo target directories (inside the chroot: /build)
#   SUITE.lock        flock held while a chroot is created or changed
#   bin/SUITE-NAME    host-runnable wrappers for the chroot's redis-server, redis-cli and
#                     valkey-server (e.g. bin/sid-redis-server is Redis 8.6 with DELEX): they run
#                     the chroot's binary through the chroot's own loader and libraries, without
#                     entering it, so a test on the host can start them on 127.0.0.1
#
# `run` works in a private mount namespace (unshare --mount): /proc, /dev, /sys, the repository
# (at /src) and the host's Rust toolchain ($CARGO_HOME and $RUSTUP_HOME, at the same paths) are
# mounted for CMD only, unmounted when it ends, and never visible outside, so a failed or killed
# run leaves no mount behind and two runs never see each other's mounts. Cargo runs offline
# (CARGO_NET_OFFLINE=true) from the host's registry cache: run `cargo fetch` on the host first.
# The toolchain must be a rustup one (its $RUSTUP_HOME and $CARGO_HOME are mounted); a Debian
# packaged cargo in /usr/bin is not visible inside.
# Package scripts cannot start services in a chroot (policy-rc.d exits 101).
set -euo pipefail

CACHE=${REDIS_SESSION_CHROOTS:-/var/cache/redis_session-chroots}
REPO=$(cd "$(dirname "$0")/.." && pwd)
CARGO_HOME=${CARGO_HOME:-$HOME/.cargo}
RUSTUP_HOME=${RUSTUP_HOME:-$HOME/.rustup}

die() { echo "chroot.sh: $*" >&2; exit 1; }

# Build chroot packages per suite (what the build and the phpt suite need).
packages() {
  local common=(gcc libc6-dev libclang-dev libfcgi-bin redis-tools redis-server python3 procps)
  case "$1" in
    trixie) echo "${common[*]} valkey-server php8.4-cli php8.4-dev php8.4-fpm php8.4-redis" ;;
    sid) echo "${common[*]} valkey-server php8.5-cli php8.5-dev php8.5-fpm php8.6-cli php8.6-dev php8.6-fpm" ;;
    bookworm) echo "" ;;
    *) die "unknown suite '$1' (trixie|sid|bookworm)" ;;
  esac
}

# The Debian mirror the host uses (debootstrap and the chroot's apt use the same one).
mirror() {
  local m
  m=$(grep -rhoE '^(URIs:|deb)[[:space:]]+(\[[^]]*\][[:space:]]+)?https?://[^[:space:]]+/debian/?([[:space:]]|$)' \
        /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null \
      | grep -oE 'https?://[^[:space:]]+' | grep -v security | head -n1 || true)
  echo "${m:-http://deb.debian.org/debian}"
}

# Writes apt sources, pins and settings for SUITE into the chroot DIR.
configure_apt() {
  local suite=$1 d=$2 m
  m=$(mirror)
  rm -f "$d/etc/apt/sources.list"
  mkdir -p "$d/etc/apt/sources.list.d" "$d/etc/apt/preferences.d" "$d/etc/apt/apt.conf.d"
  case "$suite" in
    bookworm|trixie)
      cat >"$d/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $m
Suites: $suite $suite-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${m%/debian*}/debian-security
Suites: $suite-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
      ;;
    sid)
      cat >"$d/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $m
Suites: sid experimental
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
      # PHP 8.5/8.6 and Redis 8.6 only exist in experimental; the rest (and php-common, which
      # experimental may carry for another default version) stays from sid.
      cat >"$d/etc/apt/preferences.d/redis-session" <<'EOF'
Package: php8.5* php8.6* redis redis-server redis-tools redis-sentinel
Pin: release a=experimental
Pin-Priority: 600

Package: php-common
Pin: release a=unstable
Pin-Priority: 600
EOF
      ;;
  esac
  # sid/experimental Release files may be older than their Valid-Until on this mirror.
  echo 'Acquire::Check-Valid-Until "false";' >"$d/etc/apt/apt.conf.d/99redis-session"
  echo 'APT::Install-Recommends "false";' >>"$d/etc/apt/apt.conf.d/99redis-session"
  printf '#!/bin/sh\nexit 101\n' >"$d/usr/sbin/policy-rc.d"
  chmod +x "$d/usr/sbin/policy-rc.d"
}

# base-SUITE.tar: debootstrap once per machine.
ensure_base() {
  local suite=$1 tar="$CACHE/base-$1.tar" tmp
  [ -s "$tar" ] && return 0
  command -v debootstrap >/dev/null || {
    echo "chroot.sh: installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y debootstrap >/dev/null
  }
  tmp=$(mktemp -d "$CACHE/.base-$suite.XXXXXX"); chmod 755 "$tmp"
  echo "chroot.sh: debootstrap $suite from $(mirror) (about a minute)"
  if ! debootstrap --variant=minbase "$suite" "$tmp" "$(mirror)" >"$tmp.log" 2>&1; then
    tail -n 20 "$tmp.log" >&2; rm -rf "$tmp"; die "debootstrap $suite failed (log: $tmp.log)"
  fi
  configure_apt "$suite" "$tmp"
  tar -C "$tmp" -cf "$tar.part" . && mv "$tar.part" "$tar"
  rm -rf "$tmp" "$tmp.log"
}

# run_in DIR CMD...: CMD in the chroot DIR inside a private mount namespace.
run_in() {
  local d=$1; shift
  [ -x "$d/bin/sh" ] || die "$d is not a chroot"
  cp -fL /etc/resolv.conf "$d/etc/resolv.conf" 2>/dev/null || true
  local binds=("$REPO:/src")
  [ -d "$CARGO_HOME" ] && binds+=("$CARGO_HOME:$CARGO_HOME")
  [ -d "$RUSTUP_HOME" ] && binds+=("$RUSTUP_HOME:$RUSTUP_HOME")
  local path="$CARGO_HOME/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  # The inner script mounts, runs CMD, and unmounts in reverse order on every way out; the
  # namespace drops whatever is left when its last process ends.
  unshare --mount --propagation private -- bash -c '
    set -euo pipefail
    d=$1 path=$2 nb=$3; shift 3
    binds=("${@:1:$nb}"); shift "$nb"
    mounted=()
    cleanup() { local i; for (( i=${#mounted[@]}-1; i>=0; i-- )); do umount -R "${mounted[$i]}" 2>/dev/null || umount -l "${mounted[$i]}" 2>/dev/null || true; done; }
    trap cleanup EXIT
    mkdir -p "$d/proc" "$d/dev" "$d/sys" "$d/tmp"
    mount -t proc proc "$d/proc"; mounted+=("$d/proc")
    mount --rbind /dev "$d/dev"; mounted+=("$d/dev")
    mount -t sysfs sysfs "$d/sys"; mounted+=("$d/sys")
    for b in "${binds[@]}"; do
      src=${b%%:*} dst=$d${b#*:}
      mkdir -p "$dst"; mount --bind "$src" "$dst"; mounted+=("$dst")
    done
    chmod 1777 "$d/tmp"
    rc=0
    chroot "$d" /usr/bin/env -i PATH="$path" HOME=/root LANG=C.UTF-8 TERM=dumb \
      CARGO_HOME="'"$CARGO_HOME"'" RUSTUP_HOME="'"$RUSTUP_HOME"'" CARGO_NET_OFFLINE=true \
      DEBIAN_FRONTEND=noninteractive "$@" || rc=$?
    exit $rc
  ' chroot-run "$d" "$path" "${#binds[@]}" "${binds[@]}" "$@"
}

wrappers() {
  local suite=$1 d="$CACHE/$1" b w
  mkdir -p "$CACHE/bin"
  for b in redis-server redis-cli valkey-server; do
    [ -x "$d/usr/bin/$b" ] || continue
    w="$CACHE/bin/$suite-$b"
    cat >"$w.part" <<EOF
#!/bin/sh
# $b of the $suite chroot, run on the host with that chroot's loader and libraries.
D='$d'
exec "\$D/lib64/ld-linux-x86-64.so.2" --library-path "\$D/lib/x86_64-linux-gnu:\$D/usr/lib/x86_64-linux-gnu" "\$D/usr/bin/$b" "\$@"
EOF
    chmod 0755 "$w.part"; mv "$w.part" "$w"
  done
}

ensure() {
  local suite=$1 d="$CACHE/$1" want have
  want=$(packages "$suite")
  mkdir -p "$CACHE"
  exec 9>"$CACHE/$suite.lock"
  flock 9
  have=$(cat "$d/.ready" 2>/dev/null || true)
  if [ -n "$have" ] && [ "$have" = "$want" ]; then
    [ -x "$CACHE/bin/$suite-redis-server" ] || [ "$suite" = bookworm ] || wrappers "$suite"
    return 0
  fi
  ensure_base "$suite"
  if [ ! -x "$d/bin/sh" ]; then
    echo "chroot.sh: creating $d"
    rm -rf "$d"; mkdir -p "$d"
    tar -C "$d" -xf "$CACHE/base-$suite.tar"
  fi
  configure_apt "$suite" "$d"
  if [ -n "$want" ]; then
    echo "chroot.sh: installing into $suite: $want"
    # shellcheck disable=SC2086
    run_in "$d" sh -c "apt-get update -qq && apt-get install -y -qq $want" >"$CACHE/$suite-apt.log" 2>&1 \
      || { tail -n 30 "$CACHE/$suite-apt.log" >&2; die "apt-get install in $suite failed (log: $CACHE/$suite-apt.log)"; }
    run_in "$d" apt-get clean
  fi
  mkdir -p "$d/build"
  wrappers "$suite"
  echo "$want" >"$d/.ready"
}

seed() {
  local dst="$CACHE/$1/build/$2" src
  [ -e "$dst" ] && return 0
  src=$(ls -dt "$CACHE"/*/build/php*/release 2>/dev/null | head -n1 || true)
  src=${src%/release}
  [ -n "$src" ] || { [ -d "$REPO/target/release" ] && src="$REPO/target"; }
  [ -n "$src" ] || return 0
  echo "chroot.sh: seeding $dst from $src"
  mkdir -p "$dst.part"
  cp -a "$src/release" "$dst.part/" && mv "$dst.part" "$dst"
}

case "${1:-}" in
  seed)   [ $# -eq 3 ] || die "usage: $0 seed SUITE NAME"; packages "$2" >/dev/null; seed "$2" "$3" ;;
  ensure) [ $# -eq 2 ] || die "usage: $0 ensure SUITE"; ensure "$2" ;;
  run)    [ $# -ge 3 ] || die "usage: $0 run SUITE CMD..."; s=$2; shift 2
          [ -f "$CACHE/$s/.ready" ] || die "no chroot $s yet: run $0 ensure $s"
          run_in "$CACHE/$s" "$@" ;;
  run-in) [ $# -ge 3 ] || die "usage: $0 run-in DIR CMD..."; d=$2; shift 2; run_in "$d" "$@" ;;
  fresh)  [ $# -eq 3 ] || die "usage: $0 fresh SUITE DIR"; packages "$2" >/dev/null
          mkdir -p "$CACHE"; ensure_base "$2"
          [ ! -e "$3" ] || [ -z "$(ls -A "$3")" ] || die "$3 is not empty"
          mkdir -p "$3"; tar -C "$3" -xf "$CACHE/base-$2.tar" ;;
  dir)    [ $# -eq 2 ] || die "usage: $0 dir SUITE"; packages "$2" >/dev/null; echo "$CACHE/$2" ;;
  *) sed -n '2,30p' "$0" >&2; exit 2 ;;
esac
