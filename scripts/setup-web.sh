#!/usr/bin/env bash
# Installs what the web demo needs on Debian bookworm (run as root): nginx (nginx-light) for
# `make demo-web`; with --browser also chromium and chromium-driver for the browser test.
# php8.2-fpm, php-redis and the servers come from scripts/setup.sh. Idempotent, starts no service.
set -euo pipefail
pkgs=(nginx-light)
[ "${1:-}" = --browser ] && pkgs+=(chromium chromium-driver)
missing=()
for p in "${pkgs[@]}"; do
  # nginx-light or any other nginx flavour will do
  if [ "$p" = nginx-light ] && [ -x /usr/sbin/nginx ]; then continue; fi
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ "${#missing[@]}" -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "setup-web.sh: missing packages ${missing[*]}; run as root to install them" >&2; exit 1
fi
echo "setup-web.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Package scripts must not start nginx on port 80: a temporary policy-rc.d denies service starts.
tmp_policy=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; tmp_policy=1
fi
trap 'if [ "$tmp_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi' EXIT
apt-get install -y --no-install-recommends "${missing[@]}" \
  || { apt-get update && apt-get install -y --no-install-recommends "${missing[@]}"; }
