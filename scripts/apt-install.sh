#!/usr/bin/env bash
# scripts/apt-install.sh [--no-recommends] LABEL PACKAGE...: installs the given (missing) Debian packages as root,
# with a temporary policy-rc.d so that no package script starts a service (redis-server,
# php-fpm, nginx on port 80). Used by scripts/setup.sh and scripts/setup-web.sh.
set -euo pipefail
opts=()
if [ "${1:-}" = --no-recommends ]; then opts+=(--no-install-recommends); shift; fi
label=$1; shift
[ "$#" -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "$label: missing packages $*; run as root to install them" >&2; exit 1
fi
echo "$label: installing $*"
export DEBIAN_FRONTEND=noninteractive
# An existing policy-rc.d decides on its own; otherwise deny service starts while installing.
tmp_policy=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; tmp_policy=1
fi
trap 'if [ "$tmp_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi' EXIT
# Try the package lists we have first; refresh them only when that fails (a fresh machine).
apt-get install -y "${opts[@]}" "$@" \
  || { apt-get update && apt-get install -y "${opts[@]}" "$@"; }
