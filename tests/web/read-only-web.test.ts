// The web tier as a stateless host runs it (Vercel, or a locked-down VM): a copy of the build in its
// own directory, started there as a user who can write nothing in it, with S3 (s3rver) for storage
// and no gateway beside it. The gateway and workers run elsewhere (the repository, their own config
// file) and meet the web tier only through PostgreSQL, Redis and S3. An upload is transcoded and
// played back, and a simulated WhatsApp call goes webhook → gateway → IVR (that upload) → hangup.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readOggOpus } from "../../lib/audio/ogg";
import { createPrisma } from "../../lib/db";
import { deployMigrations } from "../../lib/db/schema-engine";
import { createAccount, createFlow, createOrg, createUser } from "../../lib/seed/factories";
import { signIn } from "../../tools/agent-sim/sign-in";
import { SimulatedCaller } from "../../tools/wa-sim/caller";
import { FakeGraphApi } from "../../tools/wa-sim/fake-graph";
import type { Line } from "../../tools/wa-sim/payloads";
import { freePort } from "../helpers/free-port";
import { GatewayProcess } from "../helpers/gateway-process";
import { waitForHealth } from "../helpers/health";
import { recreateDatabase } from "../helpers/pg";

const root = path.resolve(import.meta.dirname, "../..");
const DB_URL = "postgresql://postgres@127.0.0.1:5432/ringflow_readonly_web_test";
const REDIS_URL = "redis://127.0.0.1:6379/14";
const BUCKET = "ringflow-ro";
const NOBODY = 65534;
const SECRET = "ro-app-secret";
const TOKEN = "EAAG-ro-token";
const PASSWORD = "ro-admin-pass-123";
const line: Line = { phoneNumberId: `7710${Math.floor(Math.random() * 1e10)}`, displayPhone: "15550001010" };

const work = fs.mkdtempSync(path.join(os.tmpdir(), "ringflow-ro-web-"));
/** Where the web tier's copy lives: read-only for the user it runs as. */
const webDir = path.join(work, "web");
const graph = new FakeGraphApi();
const db = createPrisma(DB_URL);
let s3: S3rver;
let web: ChildProcess;
let webLog = "";
let webUrl = "";
let gateway: GatewayProcess;
let workers: ChildProcess;
let cookie = "";
let orgId = "";
let accountId = "";
let assetId = "";

function config(s3Port: number): string {
  const base = fs.readFileSync(path.join(root, "tests/helpers/test-config.toml"), "utf8");
  return `${base}
[storage]
s3_bucket = "${BUCKET}"
s3_endpoint = "http://127.0.0.1:${s3Port}"
s3_key = "S3RVER"
s3_secret = "S3RVER"
s3_force_path_style = true
`;
}

/** Everything `next start` reads, copied out of the repository; node_modules is the only link back. */
function copyBuild(configText: string) {
  fs.chmodSync(work, 0o755); // mkdtemp's 0700 would hide the copy from the web tier's user
  fs.mkdirSync(webDir);
  execFileSync("tar", ["--exclude=.next/cache", "-cf", path.join(work, "build.tar"), ".next", "public", "package.json", "next.config.ts"], { cwd: root });
  execFileSync("tar", ["-xf", path.join(work, "build.tar"), "-C", webDir]);
  fs.rmSync(path.join(work, "build.tar"));
  fs.symlinkSync(path.join(root, "node_modules"), path.join(webDir, "node_modules"));
  fs.writeFileSync(path.join(webDir, "config.toml"), configText);
  execFileSync("chown", ["-R", "root:root", webDir]);
  execFileSync("chmod", ["-R", "a-w", webDir]);
}

beforeAll(async () => {
  await deployMigrations(await recreateDatabase(new URL(DB_URL).pathname.slice(1)));
  const redis = new Redis(REDIS_URL);
  await redis.flushdb();
  redis.disconnect();
  s3 = new S3rver({ port: 0, address: "127.0.0.1", directory: path.join(work, "s3"), silent: true, configureBuckets: [{ name: BUCKET, configs: [] }] });
  const s3Port = ((await s3.run()) as AddressInfo).port;
  await graph.listen(0);
  graph.registerAccount(line.phoneNumberId, TOKEN);

  const configText = config(s3Port);
  // The gateway and workers: the repository as working directory, their own copy of the config.
  const backendConfig = path.join(work, "backend-config.toml");
  fs.writeFileSync(backendConfig, configText);
  const backendEnv = { CONFIG_FILE: backendConfig, DATABASE_URL: DB_URL, REDIS_URL, GRAPH_API_BASE: graph.url, LOG_LEVEL: "warn" };
  workers = spawn(process.execPath, ["--import", "tsx", "workers/main.ts"], { cwd: root, env: { ...process.env, ...backendEnv }, stdio: "ignore" });
  gateway = new GatewayProcess("ro-web-gw", backendEnv);
  await gateway.start();

  copyBuild(configText);
  const port = await freePort();
  webUrl = `http://127.0.0.1:${port}`;
  // As `nobody`: the build directory (root's, read-only) and the rest of the disk are not writable.
  web = spawn(
    "setpriv",
    [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", path.join(webDir, "node_modules/.bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"],
    {
      cwd: webDir,
      env: {
        PATH: process.env.PATH,
        HOME: "/nonexistent",
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        CONFIG_FILE: path.join(webDir, "config.toml"),
        DATABASE_URL: DB_URL,
        REDIS_URL,
        APP_URL: webUrl,
        NEXTAUTH_URL: webUrl,
        GRAPH_API_BASE: graph.url,
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    },
  );
  web.stdout?.on("data", (d) => (webLog += d));
  web.stderr?.on("data", (d) => (webLog += d));
  await waitForHealth(webUrl, Date.now() + 60_000, web, () => webLog);

  const org = await createOrg(db, { name: "Read-only Org", callingEnabled: true });
  orgId = org.id;
  const admin = await createUser(db, orgId, { role: "admin", password: PASSWORD });
  accountId = (await createAccount(db, orgId, { ...line, appSecret: SECRET, accessToken: TOKEN })).id;
  cookie = await signIn(webUrl, admin.email, PASSWORD);
}, 120_000);

afterAll(async () => {
  fs.mkdirSync(path.join(root, "artifacts"), { recursive: true });
  fs.writeFileSync(path.join(root, "artifacts/read-only-web.log"), webLog);
  if (web?.pid && web.exitCode === null) process.kill(-web.pid, "SIGTERM");
  workers?.kill("SIGTERM");
  await gateway?.kill("SIGTERM");
  await graph.close();
  await s3?.close().catch(() => {});
  await db.$disconnect();
  fs.rmSync(work, { recursive: true, force: true });
});

const api = (p: string, init: RequestInit & { json?: unknown } = {}) =>
  fetch(`${webUrl}${p}`, {
    ...init,
    redirect: "manual",
    headers: { cookie, ...(init.json !== undefined ? { "content-type": "application/json" } : {}) },
    body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
  });

describe("the web tier on a read-only host", () => {
  it("runs as a user who cannot write its own directory", () => {
    expect(() =>
      execFileSync("setpriv", [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", "touch", path.join(webDir, "probe")], { stdio: "pipe" }),
    ).toThrow(/Permission denied/);
    expect(fs.readFileSync(`/proc/${web.pid}/status`, "utf8")).toMatch(/^Uid:\s+65534/m);
  });

  it("uploads straight to S3, has the workers transcode it, and plays it back from S3", async () => {
    const wav = path.join(work, "greeting.wav");
    execFileSync("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=600:duration=1", wav]);
    const started = await (
      await api("/api/audio/uploads", { method: "POST", json: { name: "Greeting", contentType: "audio/wav", size: fs.statSync(wav).size } })
    ).json();
    // A presigned S3 PUT, not a route of the web tier.
    expect(new URL(started.upload.url).origin).not.toBe(webUrl);
    expect(started.upload.url).toContain(`/${BUCKET}/`);
    expect((await fetch(started.upload.url, { method: "PUT", headers: started.upload.headers, body: fs.readFileSync(wav) })).status).toBe(200);
    expect((await api(`/api/audio/${started.asset.id}/uploaded`, { method: "POST" })).status).toBe(200);
    assetId = started.asset.id;

    let asset: { status: string; playbackUrl: string | null } | undefined;
    await expect
      .poll(
        async () => {
          asset = ((await (await api("/api/audio")).json()) as { id: string; status: string; playbackUrl: string | null }[]).find((a) => a.id === assetId);
          return asset?.status;
        },
        { timeout: 45_000, interval: 300 },
      )
      .toBe("ready");
    expect(asset!.playbackUrl).toContain(`/${BUCKET}/`);
    const audio = Buffer.from(await (await fetch(asset!.playbackUrl!)).arrayBuffer());
    expect(readOggOpus(audio).packets.length).toBeGreaterThan(40);
  });

  it("takes a WhatsApp call: webhook → gateway → IVR plays the upload → hangup", async () => {
    expect(assetId).not.toBe("");
    const stored = await db.audioAsset.findUniqueOrThrow({ where: { id: assetId } });
    await createFlow(db, orgId, {
      accountId,
      document: {
        version: 1,
        entryNodeId: "hello",
        nodes: [
          { id: "hello", type: "greeting", label: "Hello", position: { x: 0, y: 0 }, config: { prompt: { assetId } } },
          { id: "bye", type: "hangup", label: "Bye", position: { x: 0, y: 0 }, config: {} },
        ],
        edges: [{ id: "e1", source: "hello", sourceHandle: "default", target: "bye" }],
      },
    });
    const caller = new SimulatedCaller({
      line,
      appSecret: SECRET,
      from: `55119${Math.floor(Math.random() * 1e8)}`,
      name: "Read Only",
      deliver: async (raw, signature) => {
        const res = await fetch(`${webUrl}/api/webhooks/whatsapp`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-hub-signature-256": signature },
          body: new Uint8Array(raw),
        });
        if (!res.ok) throw new Error(`webhook refused: ${res.status} ${await res.text()}`);
        return res;
      },
      graphRequests: async (id) => graph.requests.filter((r) => r.callId === id),
    });
    try {
      await caller.dial();
      await expect.poll(() => graph.requests.some((r) => r.callId === caller.callId && r.action === "terminate"), { timeout: 20_000 }).toBe(true);
      expect(graph.requests.filter((r) => r.callId === caller.callId).map((r) => r.action)).toEqual(["pre_accept", "accept", "terminate"]);
      // The greeting the caller heard is the transcoded upload, fetched by the gateway from S3.
      expect(caller.audio().length).toBeGreaterThan(40);
      expect(stored.storageKey).toBeTruthy();
      const call = await db.call.findFirstOrThrow({ where: { accountId, waCallId: caller.callId }, include: { steps: { orderBy: { seq: "asc" } } } });
      expect(call).toMatchObject({ status: "completed", disconnectedBy: "system", gatewayId: "ro-web-gw" });
      expect(call.steps.map((s) => `${s.nodeId}:${s.handle ?? "end"}`)).toEqual(["hello:default", "bye:end"]);
    } finally {
      await caller.close();
    }
    // Nothing in the web tier's directory changed.
    expect(execFileSync("find", [webDir, "-newer", path.join(webDir, "config.toml"), "-not", "-path", "*/node_modules*"], { encoding: "utf8" }).trim()).toBe(
      "",
    );
  });
});
