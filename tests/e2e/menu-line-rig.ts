// A WhatsApp number whose flow waits a minute for a digit (so every call stays up for the whole test),
// simulated callers delivering their webhooks in-process, and the call log row of each call: what the
// gateway admission tests (capacity, stall) ring against.
import fs from "node:fs";
import path from "node:path";
import { createAccount, createFlow, createOrg } from "../../lib/seed/factories";
import { signBody } from "../../lib/whatsapp/signature";
import { receiveWebhook } from "../../lib/whatsapp/webhook/receive";
import { SimulatedCaller } from "../../tools/wa-sim/caller";
import { connectPayload, type Line, newCallId, sampleOffer } from "../../tools/wa-sim/payloads";
import { fakeGraph } from "../helpers/fake-graph";
import { testDb as db } from "../helpers/test-db";

/** The test config with its own UDP range (and a short drain), written under tmp/ for one gateway process. */
export function gatewayConfigWithPorts(name: string, min: number, max: number): string {
  const base = fs.readFileSync(path.resolve(import.meta.dirname, "../helpers/test-config.toml"), "utf8");
  const file = path.resolve(import.meta.dirname, `../../tmp/${name}.toml`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const text = base.replace("[calling]\n", `[calling]\nudp_port_min = ${min}\nudp_port_max = ${max}\n`);
  fs.writeFileSync(file, `${text}\n[gateway]\nshutdown_grace_secs = 1\n`);
  return file;
}

export class MenuLineRig {
  readonly line: Line;
  private readonly secret: string;
  private readonly token: string;
  private accountId = "";
  private readonly callers: SimulatedCaller[] = [];

  constructor(
    private readonly name: string,
    phoneNumberBase: number,
  ) {
    this.line = { phoneNumberId: String(phoneNumberBase + Math.floor(Math.random() * 1e13)), displayPhone: "15550007777" };
    this.secret = `${name}-app-secret`;
    this.token = `EAAG-${name}-token`;
  }

  async setup() {
    const org = await createOrg(db, { name: `${this.name} Org`, callingEnabled: true });
    const account = await createAccount(db, org.id, { ...this.line, appSecret: this.secret, accessToken: this.token });
    this.accountId = account.id;
    await fakeGraph.registerAccount(this.line.phoneNumberId, this.token);
    await createFlow(db, org.id, {
      accountId: account.id,
      document: {
        version: 1,
        entryNodeId: "menu",
        nodes: [
          {
            id: "menu",
            type: "menu",
            label: "Menu",
            position: { x: 0, y: 0 },
            config: { prompt: { text: "Press one." }, options: [{ digit: "1" }], timeoutSecs: 60, maxRetries: 0 },
          },
          { id: "bye", type: "hangup", label: "Goodbye", position: { x: 0, y: 0 }, config: {} },
        ],
        edges: [
          { id: "e1", source: "menu", sourceHandle: "digit:1", target: "bye" },
          { id: "e2", source: "menu", sourceHandle: "max_retries", target: "bye" },
        ],
      },
    });
  }

  readonly deliver = async (raw: Buffer, sig: string) => {
    const r = await receiveWebhook(raw, sig);
    await r.process();
    return r;
  };

  /** A simulated caller with its own media peer (closed by close()). */
  caller(from: string): SimulatedCaller {
    const c = new SimulatedCaller({ line: this.line, appSecret: this.secret, from, deliver: this.deliver, graphRequests: (id) => fakeGraph.requests(id) });
    this.callers.push(c);
    return c;
  }

  /** Rings without a media peer of our own: only the business's reply matters. */
  async ring(from: string): Promise<{ waCallId: string; deliveredInMs: number }> {
    const waCallId = newCallId();
    const raw = Buffer.from(JSON.stringify(connectPayload(this.line, { callId: waCallId, from, sdp: sampleOffer() })));
    const started = performance.now();
    await this.deliver(raw, signBody(raw, this.secret));
    return { waCallId, deliveredInMs: performance.now() - started };
  }

  callRow(waCallId: string) {
    return db.call.findUniqueOrThrow({ where: { accountId_waCallId: { accountId: this.accountId, waCallId } } });
  }

  /** The Graph API call actions the business sent for this call, in order. */
  async actions(waCallId: string) {
    return (await fakeGraph.requests(waCallId)).map((r) => r.action);
  }

  get dialled(): readonly SimulatedCaller[] {
    return this.callers;
  }

  async close() {
    await Promise.all(this.callers.map((c) => c.close()));
  }
}
