# Stand-in for Docker Hub's redis:7-bookworm where Docker Hub cannot be reached
# (scripts/docker-check.sh): Debian's redis-server 7.0 on the same Debian base.
ARG BASE_IMAGE=debian:bookworm
FROM ${BASE_IMAGE}
RUN apt-get update && apt-get install -y --no-install-recommends redis-server redis-tools \
 && rm -rf /var/lib/apt/lists/*
CMD ["redis-server", "--protected-mode", "no"]
