# syntax=docker/dockerfile:1
# One build, two targets: `api` and `worker`, both running compiled JavaScript with plain node as the
# non-root `node` user. Only workers run untrusted code (every attempt, a reviewer's fix included), so
# only the worker image carries Python 3, a JDK and bubblewrap; the API image has none of them.

# Build: every dependency, then TypeScript compiled to JavaScript (`pnpm build`), then a fresh
# production-only install from the same offline store. Not `pnpm prune --prod`: in this workspace it
# also removes every package's links to its workspace dependencies (services/api/node_modules ends up
# empty), and the API fails at start with "Cannot find package '@hardfix/core'".
FROM node:20-bookworm-slim AS build
ENV PNPM_HOME=/pnpm CI=true
RUN npm install -g pnpm@10.34.9
WORKDIR /app
# Dependencies first, from the lockfile alone, so source edits do not refetch them.
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch
COPY . .
RUN pnpm install --offline --frozen-lockfile \
  && pnpm build \
  && rm -rf node_modules packages/*/node_modules services/*/node_modules \
  && pnpm install --offline --frozen-lockfile --prod

FROM node:20-bookworm-slim AS api
WORKDIR /app
COPY --from=build --chown=node:node /app /app
USER node
EXPOSE 3000
# The same command as `pnpm start:api`: the hardfix-dist condition selects each package's dist/.
CMD ["node", "--conditions=hardfix-dist", "--enable-source-maps", "services/api/dist/main.js"]

FROM node:20-bookworm-slim AS worker
# Installed before the application is copied in, so a source change does not reinstall them.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 openjdk-17-jdk-headless bubblewrap util-linux \
  && rm -rf /var/lib/apt/lists/* \
  && mkdir -p /data/delivered && chown node:node /data/delivered
WORKDIR /app
COPY --from=build --chown=node:node /app /app
USER node
CMD ["node", "--conditions=hardfix-dist", "--enable-source-maps", "services/worker/dist/main.js"]
