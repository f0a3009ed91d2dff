// Starts the built web app (next start) against a fresh test database for HTTP/browser tests.
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { deployMigrations } from "../../lib/db/schema-engine";
import { FakeGraphApi } from "../../tools/wa-sim/fake-graph";
import { waitForHealth } from "./health";
import { WEB_DB, WEB_GRAPH_PORT, WEB_PORT } from "../../vitest.web.config";
import { recreateDatabase } from "./pg";
import { startPusherServer, testPusherApp } from "./realtime";

let server: ChildProcess | undefined;
let workers: ChildProcess | undefined;

export default async function setup() {
  const root = path.resolve(import.meta.dirname, "../..");
  if (!fs.existsSync(path.join(root, ".next/BUILD_ID"))) throw new Error("Run `npm run build` before the web tests");
  await deployMigrations(await recreateDatabase(new URL(WEB_DB).pathname.slice(1)));
  const url = `http://127.0.0.1:${WEB_PORT}`;
  // Realtime first: the app publishes to it and /api/pusher/auth signs for it (test config's [pusher]).
  const realtime = await startPusherServer(testPusherApp().port);
  // The Graph API the web tier calls (call permissions); tests register accounts through /_sim.
  const graph = new FakeGraphApi();
  await graph.listen(WEB_GRAPH_PORT);
  const logPath = path.join(root, "tmp-web-test-server.log");
  const logFile = fs.openSync(logPath, "w");
  server = spawn(path.join(root, "node_modules/.bin/next"), ["start", "-p", String(WEB_PORT), "-H", "127.0.0.1"], {
    cwd: root,
    env: {
      ...process.env,
      CONFIG_FILE: path.join(root, "tests/helpers/test-config.toml"),
      DATABASE_URL: WEB_DB,
      REDIS_URL: "redis://127.0.0.1:6379/6",
      GRAPH_API_BASE: `http://127.0.0.1:${WEB_GRAPH_PORT}`,
      NEXTAUTH_URL: url,
      APP_URL: url,
      NEXT_TELEMETRY_DISABLED: "1",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", logFile, logFile],
    detached: true,
  });
  // The workers process too, so audio uploads and TTS complete as they would in production.
  workers = spawn(process.execPath, ["--import", "tsx", "workers/main.ts"], {
    cwd: root,
    env: {
      ...process.env,
      CONFIG_FILE: path.join(root, "tests/helpers/test-config.toml"),
      DATABASE_URL: WEB_DB,
      REDIS_URL: "redis://127.0.0.1:6379/6",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", logFile, logFile],
  });
  const stop = async () => {
    if (server?.pid) process.kill(-server.pid, "SIGTERM");
    workers?.kill("SIGTERM");
    await realtime.close();
    await graph.close();
  };
  try {
    await waitForHealth(url, Date.now() + 60_000, server, () => `see ${logPath}`);
  } catch (err) {
    await stop();
    throw err;
  }
  return stop;
}
