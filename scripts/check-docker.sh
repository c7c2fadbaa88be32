#!/usr/bin/env bash
# What can be checked of docker/ without a Docker engine: the compose file validates, the
# Dockerfile references files that exist, the demo pages parse.
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v docker-compose >/dev/null; then
  docker-compose -f docker/docker-compose.yml config -q && echo "compose file: valid"
else
  echo "docker-compose not installed (apt-get install docker-compose): compose file not checked"
fi
for f in $(sed -n 's/^COPY \([^-][^ ]*\) .*/\1/p' docker/Dockerfile); do
  [ -e "$f" ] || { echo "Dockerfile copies missing $f"; exit 1; }
done
echo "Dockerfile: every COPY source exists"
for f in docker/app/*.php; do php -n -l "$f" >/dev/null; done && echo "demo pages: syntax ok"
