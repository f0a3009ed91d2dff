# The web app. Media gateway and workers will get their own targets when they land.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN PRISMA_SCHEMA_ENGINE_BINARY=/bin/false npx prisma generate && npx next build
ENV NODE_ENV=production
EXPOSE 3000
# Never the demo seed here (it has known passwords): create the first admin with `npm run ringflow -- org:create` / `user:add`.
# AUTH_SECRET and ENCRYPTION_KEY must be set; the server refuses to start without them.
CMD ["sh", "-c", "npm run db:deploy && npx next start -p 3000"]
