#!/usr/bin/env bash
# Builds LOCAL STAND-INS for the two base images docker-compose.yml and the Dockerfile name, for a machine
# that cannot pull from Docker Hub. They are NOT the official images: they only mimic what Hard Fix relies on.
#
#   docker.io/library/node:20-bookworm-slim  Debian bookworm (debootstrap, minbase) plus THIS HOST's Node 20
#     and npm, laid out as the official image does: node, npm, npx and corepack in /usr/local/bin, npm under
#     /usr/local/lib/node_modules, a `node` user (uid/gid 1000, home /home/node, shell /bin/bash), the
#     official docker-entrypoint.sh, CMD ["node"], and the official image's three apt sources. No yarn.
#     When this host trusts an extra CA (NODE_EXTRA_CA_CERTS: an egress that re-signs TLS), the stand-in
#     carries that bundle and variable too, or `npm install -g pnpm` in the build stage could not reach
#     the registry; the official image has neither.
#   docker.io/library/redis:7-alpine  Debian bookworm's redis-server and redis-cli (Redis 7.0, not Alpine),
#     WORKDIR /data, run as the `redis` user after /data is chowned (as the official entrypoint does), and
#     protected mode off (the official image compiles it off; Debian's binary would refuse the other
#     containers without it).
#
# Usage (root, Debian with podman and debootstrap): scripts/container-standins.sh [--force]
# An image already present is kept unless --force. Work files go to $STANDIN_DIR (default /var/tmp/hardfix-standins).
set -euo pipefail

NODE_IMAGE=docker.io/library/node:20-bookworm-slim
REDIS_IMAGE=docker.io/library/redis:7-alpine
DEBIAN_IMAGE=localhost/hardfix-standin/debian:bookworm-minbase
DIR=${STANDIN_DIR:-/var/tmp/hardfix-standins}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
FORCE=${1:-}

log() { printf '[standins] %s\n' "$*" >&2; }
have() { [ "$FORCE" != --force ] && podman image exists "$1"; }

if have "$NODE_IMAGE" && have "$REDIS_IMAGE"; then
  log "both base images are present; nothing to do"
  exit 0
fi

node_bin=$(command -v node)
node_bin=$(readlink -f "$node_bin")
node_major=$("$node_bin" -p 'process.versions.node.split(".")[0]')
[ "$node_major" = 20 ] || { log "this host's node is v$node_major; the stand-in must carry Node 20"; exit 1; }
npm_dir=$(readlink -f "$(dirname "$node_bin")/../lib/node_modules/npm")
[ -f "$npm_dir/bin/npm-cli.js" ] || { log "npm not found beside $node_bin (looked in $npm_dir)"; exit 1; }

mkdir -p "$DIR"
if ! podman image exists "$DEBIAN_IMAGE" || [ "$FORCE" = --force ]; then
  log "debootstrap bookworm (minbase) from $MIRROR"
  rm -rf "$DIR/rootfs"
  debootstrap --variant=minbase bookworm "$DIR/rootfs" "$MIRROR" >"$DIR/debootstrap.log" 2>&1 ||
    { tail -20 "$DIR/debootstrap.log" >&2; exit 1; }
  # As the debian:bookworm image configures apt: main, updates and security, deb822 format.
  rm -f "$DIR/rootfs/etc/apt/sources.list"
  cat >"$DIR/rootfs/etc/apt/sources.list.d/debian.sources" <<'EOF'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  rm -rf "$DIR/rootfs/var/lib/apt/lists/"* "$DIR/rootfs/var/cache/apt/archives/"*.deb
  tar -C "$DIR/rootfs" -c . | podman import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' - "$DEBIAN_IMAGE" >/dev/null
  rm -rf "$DIR/rootfs"
fi

if ! have "$NODE_IMAGE"; then
  log "node stand-in: Debian bookworm + $("$node_bin" --version) from $node_bin, npm from $npm_dir"
  ctx="$DIR/node-context"
  rm -rf "$ctx"
  mkdir -p "$ctx/lib"
  cp "$node_bin" "$ctx/node"
  cp -a "$npm_dir" "$ctx/lib/npm"
  corepack_dir=$(dirname "$npm_dir")/corepack
  [ -d "$corepack_dir" ] && cp -a "$corepack_dir" "$ctx/lib/corepack"
  # The official image's entrypoint, verbatim in behaviour: a first argument that is an option or not a
  # command runs under node.
  cat >"$ctx/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
set -e
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
  set -- node "$@"
fi
exec "$@"
EOF
  chmod 755 "$ctx/docker-entrypoint.sh"
  ca_env=''
  if [ -r "${NODE_EXTRA_CA_CERTS:-}" ]; then
    cp "$NODE_EXTRA_CA_CERTS" "$ctx/host-extra-ca.crt"
    ca_env='COPY host-extra-ca.crt /usr/local/share/hardfix-standin/host-extra-ca.crt
ENV NODE_EXTRA_CA_CERTS=/usr/local/share/hardfix-standin/host-extra-ca.crt'
    log "node stand-in: also trusting this host's NODE_EXTRA_CA_CERTS ($NODE_EXTRA_CA_CERTS)"
  fi
  cat >"$ctx/Containerfile" <<EOF
FROM $DEBIAN_IMAGE
$ca_env
RUN groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
ENV NODE_VERSION=$("$node_bin" -p process.versions.node)
COPY node /usr/local/bin/node
COPY lib/ /usr/local/lib/node_modules/
COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \\
  && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \\
  && if [ -d /usr/local/lib/node_modules/corepack ]; then ln -s ../lib/node_modules/corepack/dist/corepack.js /usr/local/bin/corepack; fi \\
  && ln -s /usr/local/bin/node /usr/local/bin/nodejs \\
  && node --version && npm --version
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["node"]
EOF
  podman build --network=host -q -t "$NODE_IMAGE" "$ctx" >/dev/null
  rm -rf "$ctx"
fi

if ! have "$REDIS_IMAGE"; then
  log "redis stand-in: Debian bookworm redis-server"
  ctx="$DIR/redis-context"
  rm -rf "$ctx"
  mkdir -p "$ctx"
  cat >"$ctx/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
set -e
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
  set -- redis-server "$@"
fi
if [ "$1" = redis-server ]; then
  # The official image builds Redis with protected mode off; Debian's binary has it on.
  shift
  set -- redis-server --protected-mode no "$@"
  if [ "$(id -u)" = 0 ]; then
    find . \! -user redis -exec chown redis '{}' +
    exec setpriv --reuid=redis --regid=redis --init-groups "$@"
  fi
fi
exec "$@"
EOF
  chmod 755 "$ctx/docker-entrypoint.sh"
  cat >"$ctx/Containerfile" <<EOF
FROM $DEBIAN_IMAGE
RUN apt-get update \\
  && apt-get install -y --no-install-recommends redis-server redis-tools \\
  && rm -rf /var/lib/apt/lists/* \\
  && mkdir /data && chown redis:redis /data
COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
VOLUME /data
WORKDIR /data
EXPOSE 6379
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["redis-server"]
EOF
  podman build --network=host -q -t "$REDIS_IMAGE" "$ctx" >/dev/null
  rm -rf "$ctx"
fi

podman images --format '{{.Repository}}:{{.Tag}} {{.ID}} {{.Size}}' | grep -E 'library/(node|redis)|hardfix-standin' >&2
log "stand-ins ready (local images, not the official ones)"
