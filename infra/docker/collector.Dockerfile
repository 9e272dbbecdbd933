# syntax=docker/dockerfile:1
# Bulwark collector image: the collector, which runs in tenant clusters: its own code and @kubernetes/client-node, nothing of the backend.
# Build from the repository root: docker build -f infra/docker/collector.Dockerfile -t bulwark/collector .
#
# The base is Node 26, the Active LTS line since 2026-10-28, pinned by the digest of the multi-arch index that
# docker.io/library/node:26-alpine pointed to when it was pinned (the same digest pinned by several public
# projects). A rebuild of this commit uses exactly that image. To move it: docker buildx imagetools inspect
# node:26-alpine, then change the digest in all three Dockerfiles (tests check they agree; Renovate or
# Dependabot's docker ecosystem can do it).
ARG NODE_IMAGE=docker.io/library/node:26-alpine@sha256:ef24c5053d50fdc3e4e56eb4e7ddb7861874ab0fdc797046ba897581deb8e868

# 1. build: the whole workspace with its dev dependencies, compiled to JavaScript (npm run build)
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
COPY apps/api/package.json apps/api/
COPY apps/worker/package.json apps/worker/
COPY apps/collector/package.json apps/collector/
COPY packages/schema/package.json packages/schema/
COPY packages/runtime/package.json packages/runtime/
# no install scripts: esbuild's binary is an optional dependency and needs none; the embedded Postgres of
# the demo is never started here
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.base.json tsconfig.json ./
COPY scripts ./scripts
COPY packages ./packages
COPY apps ./apps
COPY migrations ./migrations
RUN npm run build -- collector

# 2. deps: only what the collector bundle imports, at the root lock's versions (dist/collector/package-lock.json)
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY --from=build /src/dist/collector/package.json /src/dist/collector/package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# 3. the image: the bundle, its dependencies, plain node
FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /src/dist/collector ./
# the files belong to root and are read-only to the process, which runs as the unprivileged node user
USER node
ENTRYPOINT ["node", "--enable-source-maps", "main.js"]
