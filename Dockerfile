# Trove: multi-stage build; the runtime image holds the compiled server and production
# dependencies only, runs as a non-root user and keeps its data in a volume.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY scripts/copy-assets.mjs scripts/copy-assets.mjs
COPY src src
COPY bin bin
RUN npm ci --no-audit --no-fund && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    TROVE_HOST=0.0.0.0 \
    TROVE_PORT=9000 \
    TROVE_DATA_DIR=/data
RUN groupadd --system trove && useradd --system --gid trove --home-dir /app trove \
    && mkdir -p /data && chown trove:trove /data
WORKDIR /app
COPY --from=build --chown=trove:trove /app/package.json ./
COPY --from=build --chown=trove:trove /app/node_modules node_modules
COPY --from=build --chown=trove:trove /app/dist dist
COPY --from=build --chown=trove:trove /app/bin bin
USER trove
VOLUME ["/data"]
EXPOSE 9000
HEALTHCHECK CMD node -e "fetch('http://127.0.0.1:9000/api/v1/healthcheck').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "bin/trove.js"]
CMD ["serve"]
