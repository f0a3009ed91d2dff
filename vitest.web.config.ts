import path from "node:path";
import { defineConfig } from "vitest/config";

// HTTP and browser tests against a production build (`next build` first) started by global setup.
export const WEB_PORT = 3107;
/** The fake Graph API the web app talks to (permission checks and requests run in the web tier). */
export const WEB_GRAPH_PORT = 4593;
export const WEB_DB = process.env.TEST_WEB_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/ringflow_web_test";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["tests/web/**/*.test.ts", "tests/browser/**/*.test.ts"],
    globalSetup: ["tests/helpers/web-server.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    fileParallelism: false,
    env: {
      CONFIG_FILE: path.resolve(import.meta.dirname, "tests/helpers/test-config.toml"),
      // Gateways and workers the tests start open no metrics port unless a test asks for one,
      // so processes running side by side never collide.
      GATEWAY_METRICS_PORT: "0",
      // A starved CI machine must not turn calls away; tests/unit/loop-delay.test.ts, gateway-contract and
      // tests/e2e/gateway-stall.test.ts cover both.
      GATEWAY_OVERLOAD_LOOP_DELAY_MS: "0",
      GATEWAY_SETUP_DEADLINE_MS: "0",
      // Test gateways share the machine with the test runner's own callers: no priority over them.
      GATEWAY_NICE: "0",
      WORKERS_METRICS_PORT: "0",
      DATABASE_URL: WEB_DB,
      REDIS_URL: "redis://127.0.0.1:6379/6",
      WEB_URL: `http://127.0.0.1:${WEB_PORT}`,
      GRAPH_API_BASE: `http://127.0.0.1:${WEB_GRAPH_PORT}`,
    },
  },
});
