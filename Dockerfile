# syntax=docker/dockerfile:1
# One runtime image, two targets: `api` and `worker`. Both verify untrusted code (the worker for every
# attempt, the API for a reviewer's manual fix), so both carry Python 3, a JDK and bubblewrap. They
# run TypeScript through tsx, as the non-root `node` user.
FROM node:20-bookworm-slim AS runtime
ENV PNPM_HOME=/pnpm CI=true
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 openjdk-17-jdk-headless bubblewrap util-linux \
  && rm -rf /var/lib/apt/lists/* \
  && npm install -g pnpm@10.34.9 \
  && mkdir -p /data/delivered && chown node:node /data/delivered
WORKDIR /app
# Dependencies first, from the lockfile alone, so source edits do not refetch them.
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch
COPY . .
RUN pnpm install --offline --frozen-lockfile && chown -R node:node /app
USER node

FROM runtime AS api
EXPOSE 3000
CMD ["node", "--import", "tsx", "services/api/src/main.ts"]

FROM runtime AS worker
CMD ["node", "--import", "tsx", "services/worker/src/main.ts"]
