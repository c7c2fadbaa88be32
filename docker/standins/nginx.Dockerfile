# Stand-in for Docker Hub's nginx:1-bookworm where Docker Hub cannot be reached
# (scripts/docker-check.sh): Debian's nginx, reading /etc/nginx/conf.d/*.conf like the official image.
ARG BASE_IMAGE=debian:bookworm
FROM ${BASE_IMAGE}
RUN apt-get update && apt-get install -y --no-install-recommends nginx-light \
 && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled/default \
 && ln -sf /dev/stdout /var/log/nginx/access.log && ln -sf /dev/stderr /var/log/nginx/error.log
CMD ["nginx", "-g", "daemon off;"]
