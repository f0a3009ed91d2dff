// Usage: npx tsx bench/agent-bridge.ts [calls=50] [latencyRuns=20]
//
// The agent leg, measured end to end on loopback: a fresh PostgreSQL database
// (ringflow_bench_agents), Redis db 12 (flushed), our Pusher-protocol server, the built web app
// (`next start`), a fake Graph API and one real media-gateway process. Simulated WhatsApp callers
// (ICE-lite werift peers, signed webhooks) and script agents (next-auth session + their own werift
// peer, the same routes as the browser) live in this process and send tagged Opus-like packets.
// Prints:
//   1. accept → two-way audio latency over `latencyRuns` sequential calls;
//   2. per-packet latency the bridge adds (through the gateway minus a direct werift pair whose ends are
//      two processes, as a caller and an agent are; a one-process pair is shown too);
//   3. `calls` concurrent bridged calls: gateway CPU, inter-arrival at the receivers, loss.
// Needs an existing `.next` build (`npx next build`). Everything it starts is stopped at the end.
// Diagnostics: BENCH_GATEWAY_NODE_ARGS adds node flags to the gateway (e.g. "--cpu-prof
// --cpu-prof-dir=/tmp/gw-prof"); BENCH_DUMP=<file> writes raw arrivals of 5 calls.
// The stack, the call driver, the phases and the report live in bench/agent-bridge-*.ts.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../tests/helpers/free-port";
import { urlFor } from "../tests/helpers/pg";
import { DB_NAME, OVERALL_TIMEOUT_MS, REDIS_URL, root, writeConfig } from "./agent-bridge-config";
import { Bench } from "./harness";

const CALLS = Number(process.argv[2] ?? 50);
const RUNS = Number(process.argv[3] ?? 20);

if (!Number.isInteger(CALLS) || CALLS < 1 || !Number.isInteger(RUNS) || RUNS < 1) {
  process.stderr.write("Usage: npx tsx bench/agent-bridge.ts [calls=50] [latencyRuns=20]\n");
  process.exit(2);
}
if (!fs.existsSync(path.join(root, ".next/BUILD_ID"))) {
  process.stderr.write("bench/agent-bridge.ts needs a production build of the web app: run `npx next build` first.\n");
  process.exit(1);
}

// Configuration first: the app's modules below read it once, when first loaded.
const webPort = await freePort();
const pusherPort = await freePort();
const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "ringflow-bench-agents-"));
const configFile = path.join(tmpDir, "config.toml");
writeConfig(configFile, CALLS, pusherPort);
const dbUrl = urlFor(DB_NAME);
Object.assign(process.env, { CONFIG_FILE: configFile, DATABASE_URL: dbUrl, REDIS_URL, LOG_LEVEL: "warn" });

const bench = new Bench(OVERALL_TIMEOUT_MS);
bench.defer(() => fs.rmSync(tmpDir, { recursive: true, force: true }));

await bench.run(async () => {
  const { MediaClock } = await import("../media-gateway/media/clock");
  const { startStack } = await import("./agent-bridge-stack");
  const { CallDriver } = await import("./agent-bridge-call");
  const { concurrent, forwarding, sequentialAccepts } = await import("./agent-bridge-phases");
  const { printReport } = await import("./agent-bridge-report");

  const stack = await startStack(bench, { calls: CALLS, dbUrl, configFile, webPort, pusherPort });
  const clock = new MediaClock(20);
  const driver = new CallDriver(stack, clock);
  const stage = await sequentialAccepts(bench, stack, driver, RUNS);
  const fwd = await forwarding(bench, stack, driver, clock, RUNS);
  const many = await concurrent(bench, stack, driver, clock, CALLS);
  clock.stop();
  printReport({
    calls: CALLS,
    runs: RUNS,
    gatewayPid: stack.gateway.child!.pid!,
    gatewayOutput: stack.gateway.output,
    acceptRetries: driver.acceptRetries,
    stage,
    fwd,
    many,
  });
});
