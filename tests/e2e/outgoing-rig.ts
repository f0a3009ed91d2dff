// Outgoing calls wired for real: a media-gateway process (short ring timeout), a script agent
// whose routes are the lib functions the handlers call, and simulated WhatsApp users (callees)
// answering the fake Graph API's `connect` with real werift peers over loopback UDP.
import { createAccount, createFlow, createOrg, createTeam, createUser } from "../../lib/seed/factories";
import { receiveWebhook } from "../../lib/whatsapp/webhook/receive";
import { ScriptAgent } from "../../tools/agent-sim/agent";
import { SimulatedCallee } from "../../tools/wa-sim/callee";
import { SimulatedCaller } from "../../tools/wa-sim/caller";
import type { Line } from "../../tools/wa-sim/payloads";
import { gatewayConfig } from "../helpers/agent-rig";
import { fakeGraph } from "../helpers/fake-graph";
import { GatewayProcess } from "../helpers/gateway-process";
import { StandInWeb } from "../helpers/stand-in-web";
import { testDb as db } from "../helpers/test-db";

export const RING_TIMEOUT_SECS = 3;

export class OutgoingRig {
  gateway!: GatewayProcess;
  orgId = "";
  agentUserId = "";
  accountId = "";
  private readonly web = new StandInWeb(() => ({ orgId: this.orgId, userId: this.agentUserId, role: "agent" as const }));
  private line!: Line;
  private readonly secret = `out-secret-${Date.now()}`;

  async start(gatewayId: string) {
    const org = await createOrg(db, { name: "Outgoing Org", callingEnabled: true });
    this.orgId = org.id;
    this.agentUserId = (await createUser(db, org.id, { name: "Olga Agent" })).id;
    this.line = { phoneNumberId: String(5e14 + Math.floor(Math.random() * 1e13)), displayPhone: "15550005555" };
    const token = `EAAG-out-${Date.now()}`;
    this.accountId = (await createAccount(db, org.id, { ...this.line, appSecret: this.secret, accessToken: token })).id;
    await fakeGraph.registerAccount(this.line.phoneNumberId, token);
    await this.web.start();
    this.gateway = new GatewayProcess(gatewayId, { CONFIG_FILE: gatewayConfig({ outgoing_ring_timeout_secs: RING_TIMEOUT_SECS }) });
    await this.gateway.start();
  }

  /** Webhooks handled in-process, as the route would. */
  private readonly deliver = async (raw: Buffer, sig: string) => {
    const r = await receiveWebhook(raw, sig);
    await r.process();
    return r;
  };

  /** A contact in the organisation and the simulated WhatsApp user behind it. */
  async contact(name = "Bruno Lima"): Promise<{ contactId: string; callee: SimulatedCallee }> {
    const waId = `55219${Math.floor(Math.random() * 1e8)}`;
    const contact = await db.contact.create({ data: { orgId: this.orgId, waId, name }, select: { id: true } });
    return { contactId: contact.id, callee: this.callee(waId) };
  }

  callee(waId: string): SimulatedCallee {
    return new SimulatedCallee({
      line: this.line,
      appSecret: this.secret,
      waId,
      deliver: this.deliver,
      connects: (to) => fakeGraph.find({ action: "connect", to }),
      setPermission: (to, status) => fakeGraph.setPermission(to, status),
    });
  }

  /** The number's call-start flow: straight to a team of nobody available (skip when none). */
  async useEmptyTeamFlow() {
    const team = await createTeam(db, this.orgId, "Nobody Home", []);
    const document = {
      version: 1,
      entryNodeId: "agents",
      nodes: [{ id: "agents", type: "transfer", label: "Agents", position: { x: 0, y: 0 }, config: { teamId: team.id, skipWhenNoAgents: true } }],
      edges: [],
    };
    await createFlow(db, this.orgId, { accountId: this.accountId, document });
  }

  caller(from: string): SimulatedCaller {
    return new SimulatedCaller({
      line: this.line,
      appSecret: this.secret,
      from,
      name: "Mina Missed",
      deliver: this.deliver,
      graphRequests: (id) => fakeGraph.requests(id),
    });
  }

  agent(): ScriptAgent {
    return new ScriptAgent(this.web.url, "session=script");
  }

  call(callId: string) {
    return db.call.findUniqueOrThrow({ where: { id: callId } });
  }

  async stop() {
    await this.gateway?.kill();
    this.gateway?.saveLog("e2e-outgoing-gateway");
    this.web.close();
  }
}
