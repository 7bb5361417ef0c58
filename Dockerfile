# syntax=docker/dockerfile:1
# One image definition, two targets: `api` (HTTP only) and `worker` (runs generated code, so it carries
# Python 3, a JDK and bubblewrap). Both run TypeScript through tsx and as the non-root `node` user.
FROM node:20-bookworm-slim AS base
ENV PNPM_HOME=/pnpm CI=true
RUN npm install -g pnpm@10.34.9
WORKDIR /app
# Dependencies first, from the lockfile alone, so source edits do not refetch them.
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch
COPY . .
RUN pnpm install --offline --frozen-lockfile && chown -R node:node /app

FROM base AS api
USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "services/api/src/main.ts"]

FROM base AS worker
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 openjdk-17-jdk-headless bubblewrap util-linux \
  && rm -rf /var/lib/apt/lists/* \
  && mkdir -p /data/delivered && chown node:node /data/delivered
USER node
CMD ["node", "--import", "tsx", "services/worker/src/main.ts"]
