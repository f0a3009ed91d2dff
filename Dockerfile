# The web app. Media gateway and workers will get their own targets when they land.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN PRISMA_SCHEMA_ENGINE_BINARY=/bin/false npx prisma generate && npx next build
EXPOSE 3000
CMD ["sh", "-c", "npm run db:deploy && npm run db:seed && npx next start -p 3000"]
