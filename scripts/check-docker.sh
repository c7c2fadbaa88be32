#!/usr/bin/env bash
# What can be checked of docker/ without running a container (quick; scripts/docker-check.sh
# builds and runs it): every service's command is what a shell will run (compose_podman.py
# check), the Dockerfiles copy files that exist, the demo pages parse, and docker-compose (if
# installed) validates the file.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
$PY -c 'import yaml' 2>/dev/null || PY=python3
$PY scripts/compose_podman.py check
if command -v docker-compose >/dev/null; then
  docker-compose -f docker/docker-compose.yml config -q && echo "docker-compose config: valid"
fi
for df in docker/Dockerfile docker/standins/*.Dockerfile; do
  for f in $(sed -n 's/^COPY \([^-][^ ]*\) .*/\1/p' "$df"); do
    [ -e "$f" ] || { echo "$df copies missing $f"; exit 1; }
  done
done
echo "Dockerfiles: every COPY source exists"
for f in demo/web/*.php; do php -n -l "$f" >/dev/null; done && echo "demo pages: syntax ok"
