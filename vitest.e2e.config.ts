import path from "node:path";
import { defineConfig } from "vitest/config";

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
      DATABASE_URL: E2E_DB,
      REDIS_URL: E2E_REDIS,
      GRAPH_API_BASE: `http://127.0.0.1:${E2E_GRAPH_PORT}`,
      LOG_LEVEL: "warn",
    },
  },
});
