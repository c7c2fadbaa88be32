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
exec "$(dirname "$0")/apt-install.sh" --no-recommends setup-web.sh "${missing[@]}"
