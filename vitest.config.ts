import path from "node:path";
import { defineConfig } from "vitest/config";

export const FAKE_GRAPH_PORT = 4591;

// Tests run against real PostgreSQL and Redis on loopback; see tests/helpers/global-setup.ts.
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"],
    globalSetup: ["tests/helpers/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    coverage: {
      provider: "v8",
      include: ["lib/ivr/**"],
      reporter: ["text-summary", "json-summary"],
      reportsDirectory: "artifacts/coverage",
      thresholds: { lines: 90 },
    },
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
      DATABASE_URL: process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/ringflow_test",
      REDIS_URL: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/5",
      GRAPH_API_BASE: `http://127.0.0.1:${FAKE_GRAPH_PORT}`,
    },
  },
});
