// Everything bench/agent-bridge.ts runs against: a fresh database and Redis db, the Pusher-protocol
// server, a fake Graph API, one org whose number transfers to a team of `calls` agents, the built web
// app (`next start`), one media-gateway process and the agents signed in. Import it after the bench
// has written its config and set its environment.
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { loadConfig } from "../lib/config";
import { hashPassword } from "../lib/crypto/password";
import { createAccount, createFlow, createOrg, createTeam } from "../lib/seed/factories";
import type { GatewayProcess } from "../tests/helpers/gateway-process";
import { waitForHealth } from "../tests/helpers/health";
import { ScriptAgent } from "../tools/agent-sim/agent";
import { PusherServer } from "../tools/pusher-server/server";
import { FakeGraphApi } from "../tools/wa-sim/fake-graph";
import { gatewayLogFile, PASSWORD, REDIS_URL, root, webLogFile } from "./agent-bridge-config";
import { type Bench, pool, sleep } from "./harness";
import { freshStores } from "./tone-line";

export interface Stack {
  webUrl: string;
  web: ChildProcess;
  graph: FakeGraphApi;
  gateway: GatewayProcess;
  line: { phoneNumberId: string; displayPhone: string };
  appSecret: string;
  agents: ScriptAgent[];
}

export async function startStack(
  bench: Bench,
  opts: { calls: number; dbUrl: string; configFile: string; webPort: number; pusherPort: number },
): Promise<Stack> {
  const webUrl = `http://127.0.0.1:${opts.webPort}`;
  bench.mark("fresh database, Redis db 12, Pusher server, fake Graph API");
  const { db } = await freshStores(opts.dbUrl, REDIS_URL, bench.cleanups);
  const cfg = loadConfig();
  const pusher = new PusherServer({ appId: cfg.pusher.app_id!, key: cfg.pusher.key!, secret: cfg.pusher.secret! });
  await pusher.listen(opts.pusherPort);
  bench.defer(() => pusher.close());
  const graph = new FakeGraphApi();
  const graphUrl = await graph.listen(0);
  bench.defer(() => graph.close());

  // One org, `calls` agents in one team, a number whose flow transfers at once.
  const line = { phoneNumberId: String(7e14 + Math.floor(Math.random() * 1e13)), displayPhone: "15550007777" };
  const appSecret = `bench-secret-${Date.now()}`;
  const token = `EAAG-bench-${Date.now()}`;
  graph.registerAccount(line.phoneNumberId, token);
  const org = await createOrg(db, { name: "Bench agents", callingEnabled: true });
  const passwordHash = await hashPassword(PASSWORD); // one scrypt for all agents
  const agentRows: { id: string; email: string }[] = [];
  for (let i = 0; i < opts.calls; i++) {
    const u = await db.user.create({ data: { email: `bench-agent${i + 1}@example.test`, name: `Agent ${i + 1}`, passwordHash } });
    await db.membership.create({ data: { orgId: org.id, userId: u.id, role: "agent" } });
    agentRows.push({ id: u.id, email: u.email });
  }
  const team = await createTeam(
    db,
    org.id,
    "Sales",
    agentRows.map((a) => a.id),
  );
  const account = await createAccount(db, org.id, { ...line, appSecret, accessToken: token });
  await createFlow(db, org.id, {
    accountId: account.id,
    document: {
      version: 1,
      entryNodeId: "sales",
      nodes: [{ id: "sales", type: "transfer", label: "Sales", position: { x: 0, y: 0 }, config: { teamId: team.id } }],
      edges: [],
    },
  });

  bench.mark(`next start on ${webUrl}`);
  const web = startWebApp(bench, webUrl, opts);
  const [, gateway] = await Promise.all([
    waitForHealth(webUrl, Date.now() + 60_000, web, () => {
      const firstError =
        fs
          .readFileSync(webLogFile, "utf8")
          .split("\n")
          .find((l) => /error/i.test(l)) ?? "";
      return `${firstError.trim() || "no error logged"}; see ${webLogFile}`;
    }),
    bench.startGateway(`bench-gw-${process.pid}`, { GRAPH_API_BASE: graphUrl, CONFIG_FILE: opts.configFile }, gatewayLogFile),
  ]);
  bench.mark(`web app healthy, gateway pid ${gateway.child!.pid} ready; signing in ${opts.calls} agents`);

  const agents: ScriptAgent[] = new Array(opts.calls);
  await pool(opts.calls, 4, async (i) => {
    agents[i] = await ScriptAgent.signIn(webUrl, agentRows[i]!.email, PASSWORD);
  });
  return { webUrl, web, graph, gateway, line, appSecret, agents };
}

/** `next start` in a process group of its own (next forks a server process), logging to webLogFile. */
function startWebApp(bench: Bench, webUrl: string, opts: { dbUrl: string; configFile: string; webPort: number }): ChildProcess {
  const webLog = fs.openSync(webLogFile, "w");
  const web = spawn(path.join(root, "node_modules/.bin/next"), ["start", "-p", String(opts.webPort), "-H", "127.0.0.1"], {
    cwd: root,
    env: {
      ...process.env,
      CONFIG_FILE: opts.configFile,
      DATABASE_URL: opts.dbUrl,
      REDIS_URL,
      NEXTAUTH_URL: webUrl,
      APP_URL: webUrl,
      NEXT_TELEMETRY_DISABLED: "1",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", webLog, webLog],
    detached: true,
  });
  bench.defer(async () => {
    if (web.pid && web.exitCode === null) {
      const exited = new Promise((r) => web.once("exit", r));
      process.kill(-web.pid, "SIGTERM");
      await Promise.race([exited, sleep(5_000)]);
    }
    fs.closeSync(webLog);
  });
  return web;
}
