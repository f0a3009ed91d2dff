// The environment every test phase's processes share (vitest.config.ts, vitest.e2e.config.ts and
// vitest.web.config.ts add their own database, Redis db and ports).
import path from "node:path";

export const TEST_PROCESS_ENV = {
  CONFIG_FILE: path.resolve(import.meta.dirname, "test-config.toml"),
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
};
