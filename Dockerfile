# syntax=docker/dockerfile:1
# One build, two targets: `api` and `worker`, both running compiled JavaScript with plain node as the
# non-root `node` user. Only workers run untrusted code (every attempt, a reviewer's fix included), so
# only the worker image carries Python 3, a JDK, Go, the TypeScript compiler and bubblewrap; the API
# image has none of them.

# Build: every dependency, then TypeScript compiled to JavaScript (`pnpm build`), then one `pnpm deploy
# --prod` per service: /out/<service> holds the service's package.json and dist/ plus a node_modules of
# its own production dependencies only, the workspace packages it imports copied in (each package's
# `files` is ["dist"]; `main`'s src/index.ts rides along, as npm pack always includes it). So neither
# image carries testkit, testcontainers, vitest, the sources or the tests. pnpm 10 deploys only
# injected workspace packages; the flag is given here, not in pnpm-workspace.yaml, so the lockfile and
# every host and CI install stay as they are (deploy derives its own lockfile from the shared one,
# offline from the fetched store). The worker keeps typescript and @types/node: they are dependencies of
# @hardfix/languages, the compiler and the declarations the sandbox's TypeScript type-check runs with
# (bound read-only into it). The API removes typescript: it never verifies anything (the languages
# package then reports tsc missing there, which only a worker would act on).
FROM node:20-bookworm-slim AS build
ENV PNPM_HOME=/pnpm CI=true
RUN npm install -g pnpm@10.34.9
WORKDIR /app
# Dependencies first, from the lockfile alone, so source edits do not refetch them.
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch
COPY . .
RUN pnpm install --offline --frozen-lockfile && pnpm build
RUN for service in api worker; do \
      pnpm --filter "@hardfix/$service" deploy --prod --offline --config.inject-workspace-packages=true \
        "/out/$service" || exit 1; \
    done \
  && rm -rf /out/api/node_modules/.pnpm/typescript@* \
  && ls /out/worker/node_modules/.pnpm/typescript@*/node_modules/typescript/bin/tsc \
  && find /out -xtype l -delete \
  && test -f /out/api/node_modules/@hardfix/core/dist/lua/create-project.lua \
  && test -f /out/api/node_modules/@hardfix/core/dist/lua/release-review-lock.lua \
  && test -f /out/api/dist/ui/index.html && test -f /out/api/dist/ui/views/project.js \
  && test -f /out/worker/node_modules/@hardfix/core/dist/lua/includes/library.lua

FROM node:20-bookworm-slim AS api
WORKDIR /app
COPY --from=build --chown=node:node /out/api /app
USER node
EXPOSE 3000
# `pnpm start:api`'s command from the deployed service's directory: the hardfix-dist condition selects
# each package's dist/.
CMD ["node", "--conditions=hardfix-dist", "--enable-source-maps", "dist/main.js"]

FROM node:20-bookworm-slim AS worker
# Installed before the application is copied in, so a source change does not reinstall them. pip and
# npm (the node image's own) install the projects' declared packages outside the sandbox (wheels only,
# no install scripts) into /data/dependencies, a volume in docker-compose.yml.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 python3-pip openjdk-17-jdk-headless golang-go bubblewrap util-linux \
  && rm -rf /var/lib/apt/lists/* \
  && mkdir -p /data/delivered /data/dependencies && chown node:node /data/delivered /data/dependencies
# The Go adapter's warm standard-library cache, bound read-only into every sandbox (warm-go-cache.sh).
COPY scripts/warm-go-cache.sh /tmp/warm-go-cache.sh
RUN sh /tmp/warm-go-cache.sh && rm /tmp/warm-go-cache.sh
WORKDIR /app
COPY --from=build --chown=node:node /out/worker /app
USER node
CMD ["node", "--conditions=hardfix-dist", "--enable-source-maps", "dist/main.js"]
