// Everything the recording tests run for real: s3rver as the S3 store (stoppable and restartable
// on the same port and directory), a media-gateway process and a workers process sharing a
// recordings directory, a calling organisation with recording on, simulated WhatsApp callers
// (webhooks handled in-process, media over loopback UDP) and a script agent whose accept / hold /
// resume / hangup go through lib/agents/call-control exactly as the route handlers call it.
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import S3rver from "s3rver";
import { setAgentStatus } from "../../lib/agents/availability";
import { createAccount, createFlow, createOrg, createTeam, createUser } from "../../lib/seed/factories";
import { S3Storage } from "../../lib/storage/s3";
import { receiveWebhook } from "../../lib/whatsapp/webhook/receive";
import { ScriptAgent } from "../../tools/agent-sim/agent";
import { SimulatedCaller } from "../../tools/wa-sim/caller";
import type { Line } from "../../tools/wa-sim/payloads";
import { fakeGraph } from "../helpers/fake-graph";
import { GatewayProcess } from "../helpers/gateway-process";
import { StandInWeb } from "../helpers/stand-in-web";
import { testDb as db } from "../helpers/test-db";

const root = path.resolve(import.meta.dirname, "../..");
const BUCKET = "ringflow-recordings";

export class RecordingRig {
  readonly work = fs.mkdtempSync(path.join(os.tmpdir(), "ringflow-rec-e2e-"));
  readonly recordingsDir = path.join(this.work, "recordings");
  private readonly s3Dir = path.join(this.work, "s3");
  private s3rver: S3rver | null = null;
  s3Port = 0;
  s3!: S3Storage;
  configFile = "";
  gateway!: GatewayProcess;
  private workers: ChildProcess | null = null;
  workersLog = "";
  private readonly web = new StandInWeb(() => ({ orgId: this.orgId, userId: this.agentUserId, role: "agent" as const }));
  webUrl = "";
  orgId = "";
  agentUserId = "";
  private line!: Line;
  private readonly secret = `rec-secret-${Date.now()}`;

  async start(gatewayId: string) {
    await this.startS3();
    this.s3 = new S3Storage({
      bucket: BUCKET,
      region: "us-east-1",
      endpoint: `http://127.0.0.1:${this.s3Port}`,
      forcePathStyle: true,
      accessKeyId: "S3RVER",
      secretAccessKey: "S3RVER",
    });
    this.configFile = this.writeConfig();
    await this.startWeb();
    await this.seed();
    this.gateway = new GatewayProcess(gatewayId, { CONFIG_FILE: this.configFile });
    await this.gateway.start();
  }

  /** test-config.toml plus recording on, this rig's directories and S3, and short retries. */
  private writeConfig(): string {
    const base = fs.readFileSync(path.join(root, "tests/helpers/test-config.toml"), "utf8");
    const calling = [`recording_enabled = true`, `recordings_dir = "${this.recordingsDir}"`, `transfer_timeout_secs = 60`].join("\n");
    const text = `${base.replace(/^recordings_dir = .*$/m, "").replace("[calling]\n", `[calling]\n${calling}\n`)}
[storage]
s3_bucket = "${BUCKET}"
s3_endpoint = "http://127.0.0.1:${this.s3Port}"
s3_key = "S3RVER"
s3_secret = "S3RVER"
s3_force_path_style = true

[workers]
concurrency = 1
recording_retry_secs = 1
recording_retry_max_secs = 3
recording_retry_hours = 1
`;
    const file = path.join(this.work, "config.toml");
    fs.writeFileSync(file, text);
    return file;
  }

  async startS3() {
    this.s3rver = new S3rver({
      port: this.s3Port,
      address: "127.0.0.1",
      directory: this.s3Dir,
      silent: true,
      configureBuckets: [{ name: BUCKET, configs: [] }],
    });
    this.s3Port = ((await this.s3rver.run()) as AddressInfo).port;
  }

  async stopS3() {
    await this.s3rver?.close().catch(() => {});
    this.s3rver = null;
  }

  startWorkers() {
    this.workers = spawn(process.execPath, ["--import", "tsx", "workers/main.ts"], {
      cwd: root,
      env: { ...process.env, CONFIG_FILE: this.configFile, LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.workers.stdout?.on("data", (d) => (this.workersLog += d));
    this.workers.stderr?.on("data", (d) => (this.workersLog += d));
  }

  async stopWorkers() {
    const w = this.workers;
    this.workers = null;
    if (!w || w.exitCode !== null) return;
    await new Promise((r) => {
      w.once("exit", r);
      w.kill("SIGTERM");
    });
  }

  /** The agent-leg routes, standing in for the web tier (same lib functions the handlers call). */
  private async startWeb() {
    this.webUrl = await this.web.start();
  }

  private async seed() {
    const org = await createOrg(db, { name: "Recording Org", callingEnabled: true });
    this.orgId = org.id;
    await db.organization.update({ where: { id: org.id }, data: { recordingEnabled: true } });
    this.agentUserId = (await createUser(db, org.id, { name: "Rita Agent" })).id;
    const team = await createTeam(db, org.id, "Support", [this.agentUserId]);
    this.line = { phoneNumberId: String(6e14 + Math.floor(Math.random() * 1e13)), displayPhone: "15550006666" };
    const token = `EAAG-rec-${Date.now()}`;
    await createAccount(db, org.id, { ...this.line, appSecret: this.secret, accessToken: token });
    await fakeGraph.registerAccount(this.line.phoneNumberId, token);
    const document = {
      version: 1,
      entryNodeId: "agents",
      nodes: [{ id: "agents", type: "transfer", label: "Agents", position: { x: 0, y: 0 }, config: { teamId: team.id, skipWhenNoAgents: false } }],
      edges: [],
    };
    const account = await db.whatsAppAccount.findFirstOrThrow({ where: { orgId: org.id }, select: { id: true } });
    await createFlow(db, org.id, { accountId: account.id, document });
  }

  caller(): SimulatedCaller {
    return new SimulatedCaller({
      line: this.line,
      appSecret: this.secret,
      from: `55119${Math.floor(Math.random() * 1e8)}`,
      name: "Ana Souza",
      deliver: async (raw, sig) => {
        const r = await receiveWebhook(raw, sig);
        await r.process();
        return r;
      },
      graphRequests: (id) => fakeGraph.requests(id),
    });
  }

  /** Dials, waits for the transfer to ring, and has the agent take it: the call is bridged. */
  async bridgedCall(): Promise<{ caller: SimulatedCaller; agent: ScriptAgent; callId: string; bridgedAt: number }> {
    await setAgentStatus(this.orgId, this.agentUserId, "available");
    const caller = this.caller();
    await caller.dial();
    const call = await db.call.findFirstOrThrow({ where: { waCallId: caller.callId }, select: { id: true } });
    const deadline = Date.now() + 15_000;
    let transfer = null;
    while (!transfer && Date.now() < deadline) {
      transfer = await db.callTransfer.findFirst({ where: { callId: call.id, status: "waiting" }, select: { id: true } });
      if (!transfer) await new Promise((r) => setTimeout(r, 100));
    }
    if (!transfer) throw new Error("the transfer never rang");
    const agent = new ScriptAgent(this.webUrl, "session=script");
    const res = await agent.accept(transfer.id);
    if (!res.ok) throw new Error(`accept failed: ${res.status} ${await res.text()}`);
    return { caller, agent, callId: call.id, bridgedAt: performance.now() };
  }

  recordingOf(callId: string) {
    return db.recording.findFirst({ where: { callId }, orderBy: { createdAt: "desc" } });
  }

  localFiles(recordingId: string): string[] {
    return fs.existsSync(this.recordingsDir) ? fs.readdirSync(this.recordingsDir).filter((f) => f.startsWith(recordingId)) : [];
  }

  async stop() {
    await this.gateway?.kill();
    this.gateway?.saveLog("e2e-recording-gateway");
    await this.stopWorkers();
    fs.mkdirSync(path.join(root, "artifacts"), { recursive: true });
    fs.writeFileSync(path.join(root, "artifacts", "e2e-recording-workers.log"), this.workersLog);
    await this.stopS3();
    this.web.close();
  }
}
