import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Server-only packages that must not be bundled (native/wasm/worker-thread code).
  serverExternalPackages: ["pino", "pg", "@prisma/adapter-pg", "ioredis"],
  poweredByHeader: false,
  // forbidden() renders app/(admin)/forbidden.tsx with HTTP 403 (lib/auth/pages.ts, /forbidden).
  experimental: { authInterrupts: true },
  // scripts/test.sh type-checks the whole tree with `tsc --noEmit` right after its build (the route
  // types this build writes to .next/types included), so that build skips Next's own pass over the
  // same files. Every other build type-checks as usual.
  typescript: { ignoreBuildErrors: process.env.RINGFLOW_BUILD_TYPECHECKED_BY_TSC === "1" },
};

export default nextConfig;
