import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Server-only packages that must not be bundled (native/wasm/worker-thread code).
  serverExternalPackages: ["pino", "pg", "@prisma/adapter-pg", "ioredis"],
  poweredByHeader: false,
  // forbidden() renders app/(admin)/forbidden.tsx with HTTP 403 (lib/auth/pages.ts, /forbidden).
  experimental: { authInterrupts: true },
};

export default nextConfig;
