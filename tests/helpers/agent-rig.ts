// A calling organisation wired end to end for agent-leg tests against the built web app: a fake
// Graph API, a real media-gateway process, a team of agents signed in through the real routes,
// and simulated WhatsApp callers whose webhooks go to the web app over HTTP.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createAccount, createFlow, createOrg, createTeam, createUser } from "../../lib/seed/factories";
import { ScriptAgent } from "../../tools/agent-sim/agent";
import { SimulatedCaller } from "../../tools/wa-sim/caller";
import { FakeGraphApi } from "../../tools/wa-sim/fake-graph";
import { GatewayProcess } from "./gateway-process";
import { WEB_URL } from "./http-session";
import { testDb as db } from "./test-db";

export const PASSWORD = "agents-are-people-too";
const root = path.resolve(import.meta.dirname, "../..");

/** test-config.toml with [calling] overrides (e.g. a short transfer_timeout_secs) for one gateway. */
export function gatewayConfig(calling: Record<string, number>): string {
  const base = fs.readFileSync(path.join(root, "tests/helpers/test-config.toml"), "utf8");
  const lines = Object.entries(calling)
    .map(([k, v]) => `${k} = ${v}`)
    .join("\n");
  const file = path.join(os.tmpdir(), `ringflow-gw-config-${process.pid}-${Date.now()}.toml`);
  fs.writeFileSync(file, base.replace("[calling]\n", `[calling]\n${lines}\n`));
  return file;
}

export type FlowNode = { id: string; type: string; label?: string; config: object };

export class AgentRig {
  readonly graph = new FakeGraphApi();
  gateway!: GatewayProcess;
  orgId = "";
  teamId = "";
  accountId = "";
  readonly agents: { id: string; email: string; name: string }[] = [];
  private readonly line = { phoneNumberId: String(7e14 + Math.floor(Math.random() * 1e13)), displayPhone: "15550007777" };
  private readonly secret = `rig-secret-${Date.now()}`;
  private readonly token = `EAAG-rig-${Date.now()}`;

  async start(opts: { agents: number; gatewayId: string; calling?: Record<string, number>; teamName?: string }) {
    const graphUrl = await this.graph.listen(0);
    this.graph.registerAccount(this.line.phoneNumberId, this.token);
    const org = await createOrg(db, { name: `Agents ${opts.gatewayId}`, callingEnabled: true });
    this.orgId = org.id;
    for (let i = 0; i < opts.agents; i++) {
      const u = await createUser(db, org.id, {
        name: `Agent ${i + 1}`,
        password: PASSWORD,
        email: `agent${i + 1}-${opts.gatewayId}-${Date.now()}@example.test`,
      });
      this.agents.push({ id: u.id, email: u.email, name: u.name });
    }
    this.teamId = (
      await createTeam(
        db,
        org.id,
        opts.teamName ?? "Sales",
        this.agents.map((a) => a.id),
      )
    ).id;
    this.accountId = (await createAccount(db, org.id, { ...this.line, appSecret: this.secret, accessToken: this.token })).id;
    this.gateway = new GatewayProcess(opts.gatewayId, {
      GRAPH_API_BASE: graphUrl,
      ...(opts.calling ? { CONFIG_FILE: gatewayConfig(opts.calling) } : {}),
    });
    await this.gateway.start();
  }

  /** Publishes `nodes` (first = entry) as the number's call-start flow. */
  async useFlow(nodes: FlowNode[], edges: [string, string, string][]) {
    await db.ivrFlow.updateMany({ where: { accountId: this.accountId }, data: { active: false, isCallStart: false } });
    await createFlow(db, this.orgId, {
      accountId: this.accountId,
      document: {
        version: 1,
        entryNodeId: nodes[0]!.id,
        nodes: nodes.map((n) => ({ label: n.id, ...n, position: { x: 0, y: 0 } })),
        edges: edges.map(([source, sourceHandle, target], i) => ({ id: `e${i}`, source, sourceHandle, target })),
      },
    });
  }

  signIn(i: number): Promise<ScriptAgent> {
    return ScriptAgent.signIn(WEB_URL, this.agents[i]!.email, PASSWORD);
  }

  caller(from = `55119${Math.floor(Math.random() * 1e8)}`): SimulatedCaller {
    return new SimulatedCaller({
      line: this.line,
      appSecret: this.secret,
      from,
      name: "Ana Souza",
      deliver: async (raw, signature) => {
        const res = await fetch(`${WEB_URL}/api/webhooks/whatsapp`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-hub-signature-256": signature },
          body: new Uint8Array(raw),
        });
        if (!res.ok) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
      },
      graphRequests: async (callId) => this.graph.requests.filter((r) => r.callId === callId),
    });
  }

  actions(waCallId: string): string[] {
    return this.graph.requests.filter((r) => r.callId === waCallId).map((r) => r.action ?? "");
  }

  callRow(waCallId: string) {
    return db.call.findUniqueOrThrow({
      where: { accountId_waCallId: { accountId: this.accountId, waCallId } },
      include: { steps: { orderBy: { seq: "asc" } }, transfers: true },
    });
  }

  async stop(logName: string) {
    await this.gateway?.kill();
    this.gateway?.saveLog(logName);
    await this.graph.close();
  }
}
