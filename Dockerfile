# The sample app as a container. Secrets are not baked in: docker-compose.yml passes them from .env
# (see README, "Deploying"). Node 22.22.3 or later: the floor of the dependencies (package.json engines).
FROM node:22-bookworm-slim AS build
WORKDIR /app
# The workspace manifests first, so that `npm ci` is cached until a dependency changes.
COPY package.json package-lock.json ./
COPY packages/nestjs-layered-cache/package.json packages/nestjs-layered-cache/
COPY packages/dev-services/package.json packages/dev-services/
RUN npm ci --no-audit --no-fund
COPY . .
# Builds the workspaces (the library, dev-services), then the app; then drops what only builds need.
RUN npm run build \
  && npm prune --omit=dev \
  && rm -rf packages/*/src packages/*/test packages/*/bench packages/*/docs packages/*/tsconfig*.json

FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data DOCUMENTS_DIR=/data/documents
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
# node_modules links the workspaces (nestjs-layered-cache, @internal/dev-services) to packages/.
COPY --from=build /app/packages ./packages
COPY --from=build /app/dist ./dist
# /app stays root's and read-only to the app; uploads go to /data (a volume), the one writable path.
RUN mkdir -p /data/documents && chown -R node:node /data
VOLUME /data
USER node
EXPOSE 3000
CMD ["node", "dist/src/main.js"]
