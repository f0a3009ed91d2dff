import path from "node:path";
import { defineConfig } from "vitest/config";
import { TEST_PROCESS_ENV } from "./tests/helpers/test-env.ts";

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
    // expect.poll's own default (1 s) is shorter than a page's save or a server round trip takes
    // when this machine is slow (CI failed once on "Draft saved." arriving after 1 s).
    expect: { poll: { timeout: 10_000 } },
    pool: "forks",
    fileParallelism: false,
    // One fork for every file (they already run one at a time against one server): the modules each
    // file imports (Playwright, Prisma, the app's lib) load once, not once per file (import 37 s → 5 s,
    // web stage 609 s → 480 s). Files share no state but the database, which each scopes to its own orgs.
    isolate: false,
    env: {
      ...TEST_PROCESS_ENV,
      DATABASE_URL: WEB_DB,
      REDIS_URL: "redis://127.0.0.1:6379/6",
      WEB_URL: `http://127.0.0.1:${WEB_PORT}`,
      GRAPH_API_BASE: `http://127.0.0.1:${WEB_GRAPH_PORT}`,
    },
  },
});
