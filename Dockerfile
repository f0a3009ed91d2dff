# One Dockerfile, one image per process (docs/deploy.md):
#   docker build --target web      -t ringflow-web .       Next.js (admin UI, API, webhooks); stateless
#   docker build --target gateway  -t ringflow-gateway .   media gateway (UDP; one process per core)
#   docker build --target workers  -t ringflow-workers .   BullMQ jobs: TTS, transcoding, recordings
#   docker build --target tools    -t ringflow-tools .     migrations, admin CLI, our Pusher-protocol server
# None of them seeds demo data or holds a secret: AUTH_SECRET, ENCRYPTION_KEY, … come from the
# environment (docker-compose.yml reads them from .env) and the processes refuse to start without them.

FROM node:20-bookworm-slim AS source
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --no-audit --no-fund
COPY . .
RUN PRISMA_SCHEMA_ENGINE_BINARY=/bin/false npx prisma generate

# Audio tools for the processes that synthesise, transcode or record (never the web tier).
FROM source AS media
RUN apt-get update -qq \
  && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ffmpeg opus-tools espeak-ng \
  && rm -rf /var/lib/apt/lists/* \
  && mkdir -p /app/data/recordings /app/data/audio && chown -R node:node /app/data
ENV NODE_ENV=production

FROM source AS web
RUN npx next build
ENV NODE_ENV=production
EXPOSE 3000
USER node
# Migrations are a separate one-off step (the `migrate` service, or `npm run db:deploy`).
CMD ["node_modules/.bin/next", "start", "-p", "3000"]

FROM media AS gateway
# UDP media range (calling.udp_port_min..max) and the metrics endpoint ([gateway] metrics_port).
EXPOSE 10000-10100/udp 9464
USER node
CMD ["node", "--import", "tsx", "media-gateway/cluster.ts"]

FROM media AS workers
EXPOSE 9475
USER node
CMD ["node", "--import", "tsx", "workers/main.ts"]

FROM source AS tools
ENV NODE_ENV=production
USER node
CMD ["npx", "tsx", "scripts/db-deploy.ts"]
