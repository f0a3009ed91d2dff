import os from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";
import { TEST_PROCESS_ENV } from "./tests/helpers/test-env.ts";

export const FAKE_GRAPH_PORT = 4591;

const alias = { "@": path.resolve(import.meta.dirname) };
const env = {
  ...TEST_PROCESS_ENV,
  DATABASE_URL: process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/ringflow_test",
  REDIS_URL: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/5",
  GRAPH_API_BASE: `http://127.0.0.1:${FAKE_GRAPH_PORT}`,
};
// expect.poll waits 10 s, not its default 1 s: a poll fails only on a slow machine's tail, never sooner.
const shared = {
  testTimeout: 30_000,
  hookTimeout: 60_000,
  pool: "forks" as const,
  env,
  expect: { poll: { timeout: 10_000 } },
};

// Files whose assertions read the wall clock or race real timers (loop delay, DTLS retransmits,
// deadlines, retry waits, real UDP media): they run one at a time after the others, with the
// machine to themselves, as they did when the whole suite ran one file at a time.
const timed = [
  "tests/unit/loop-delay.test.ts",
  "tests/unit/media.test.ts",
  "tests/unit/run-tool.test.ts",
  "tests/unit/wait-for-health.test.ts",
  "tests/unit/werift-dtls-retransmit.test.ts",
  "tests/unit/werift-dtls-start.test.ts",
  "tests/unit/werift-native-ecdhe.test.ts",
  "tests/integration/call-session-setup.test.ts",
  "tests/integration/gateway-contract.test.ts",
  "tests/integration/gateway-peers.test.ts",
  "tests/integration/http-callback-ssrf.test.ts",
  "tests/integration/ivr-sim-cli.test.ts",
  "tests/integration/prompt-audio.test.ts",
  "tests/integration/reaper.test.ts",
  "tests/integration/webhook-overload.test.ts",
  "tests/integration/webhook.test.ts",
  "tests/integration/werift-plumbing-patch.test.ts",
];

// Tests run against real PostgreSQL and Redis on loopback; see tests/helpers/global-setup.ts (run
// once, by this root config, for both projects).
export default defineConfig({
  resolve: { alias },
  test: {
    globalSetup: ["tests/helpers/global-setup.ts"],
    coverage: {
      provider: "v8",
      include: ["lib/ivr/**"],
      reporter: ["text-summary", "json-summary"],
      reportsDirectory: "artifacts/coverage",
      thresholds: { lines: 90 },
    },
    projects: [
      {
        resolve: { alias },
        test: {
          ...shared,
          name: "core",
          include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"],
          exclude: timed,
          // Most of these wait on PostgreSQL, Redis, ffmpeg or a child process: two files at a time
          // even on a 2-core machine (vitest's default there is one).
          maxWorkers: Math.max(2, os.availableParallelism() - 1),
        },
      },
      {
        resolve: { alias },
        test: { ...shared, name: "core-timed", include: timed, fileParallelism: false },
      },
    ],
  },
});
