import path from "node:path";
import { defineConfig } from "vitest/config";
import { TEST_PROCESS_ENV } from "./tests/helpers/test-env.ts";

// End-to-end calls: a real media-gateway process, the simulated WhatsApp caller over loopback UDP,
// PostgreSQL and Redis. Own database, Redis db and fake Graph API port, so it never mixes with the
// other suites' stand-in gateways.
export const E2E_GRAPH_PORT = 4592;
export const E2E_DB = "postgresql://postgres@127.0.0.1:5432/ringflow_e2e_test";
export const E2E_REDIS = "redis://127.0.0.1:6379/9";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["tests/e2e/**/*.test.ts"],
    globalSetup: ["tests/helpers/e2e-setup.ts"],
    testTimeout: 90_000,
    hookTimeout: 60_000,
    // expect.poll's own default (1 s) is shorter than a slow machine's tail; a poll that holds returns at once.
    expect: { poll: { timeout: 10_000 } },
    pool: "forks",
    fileParallelism: false,
    env: {
      ...TEST_PROCESS_ENV,
      DATABASE_URL: E2E_DB,
      REDIS_URL: E2E_REDIS,
      GRAPH_API_BASE: `http://127.0.0.1:${E2E_GRAPH_PORT}`,
      LOG_LEVEL: "warn",
    },
  },
});
