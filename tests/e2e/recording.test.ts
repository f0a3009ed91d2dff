// Call recording end to end: a bridged call on a real media gateway (caller: simulated WhatsApp,
// agent: a script agent, both real werift peers over loopback UDP), the finalise job in a real
// workers process, s3rver as S3. What a person would check: one stereo file, caller on the left
// and agent on the right, as long as the bridge, at normal speed, hold as silence; and that
// nothing is lost when S3 is down or the gateway dies before the upload.
import fs from "node:fs";
import path from "node:path";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keys } from "../../lib/gateway/messages";
import { RECORDINGS_QUEUE } from "../../lib/jobs/registry";
import { tonePackets } from "../../tools/wa-sim/tone";
import { E2E_REDIS } from "../../vitest.e2e.config";
import { decodeChannel, dominantFrequency, probe, rms } from "../helpers/recording-audio";
import { testDb as db } from "../helpers/test-db";
import { RecordingRig } from "./recording-rig";

const rig = new RecordingRig();
const queue = new Queue(RECORDINGS_QUEUE, { connection: { url: E2E_REDIS, maxRetriesPerRequest: null } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CALLER_HZ = 440;
const AGENT_HZ = 1000;

async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

const readyRecording = (callId: string, timeoutMs = 30_000) =>
  waitFor(
    "the recording to be ready",
    async () => {
      const r = await rig.recordingOf(callId);
      if (r?.status === "failed") throw new Error(`recording failed: ${r.error}`);
      return r?.status === "ready" ? r : null;
    },
    timeoutMs,
  );

/** The worker marks a recording ready, then removes its local files: they go a moment after "ready". */
const localFilesGone = (recordingId: string) =>
  waitFor(`recording ${recordingId}'s local files to be removed`, async () => rig.localFiles(recordingId).length === 0, 5_000);

async function download(key: string): Promise<string> {
  const file = path.join(rig.work, path.basename(key));
  fs.writeFileSync(file, await rig.s3.get(key));
  return file;
}

beforeAll(async () => {
  await rig.start("e2e-rec-gw");
  rig.startWorkers();
}, 60_000);

afterAll(async () => {
  await rig.stop();
  await queue.close();
  await db.$disconnect();
});

describe("call recording", () => {
  it("records a bridged call with a hold in the middle as one stereo file: caller left, agent right, bridge-long, normal speed", async () => {
    const { caller, agent, callId, bridgedAt } = await rig.bridgedCall();
    caller.talk(tonePackets(CALLER_HZ, 1));
    agent.talk(tonePackets(AGENT_HZ, 1));
    await sleep(3_000);
    expect((await agent.control("hold")).status).toBe(200);
    const heldAt = performance.now() - bridgedAt;
    await sleep(2_000);
    expect((await agent.control("resume")).status).toBe(200);
    const resumedAt = performance.now() - bridgedAt;
    await sleep(3_000);
    expect((await agent.control("hangup")).status).toBe(200);
    const testBridgedMs = performance.now() - bridgedAt;
    await agent.close();
    await caller.close();

    const rec = await readyRecording(callId);
    expect(rec.storageKey).toBe(`recordings/${rig.orgId}/${callId}/${rec.id}.ogg`);
    // The gateway measured the bridge; the test's own clock agrees to within its view of it.
    expect(Math.abs(rec.bridgedMs! - testBridgedMs)).toBeLessThan(600);
    const file = await download(rec.storageKey!);
    expect(fs.statSync(file).size).toBe(rec.sizeBytes);
    const info = probe(file);
    expect(info).toMatchObject({ codec: "opus", channels: 2 });
    // Same length as the bridge (a file with both directions in one stream would be twice as long).
    expect(Math.abs(info.durationMs - rec.bridgedMs!)).toBeLessThanOrEqual(100);
    expect(Math.abs(rec.durationMs! - rec.bridgedMs!)).toBeLessThanOrEqual(100);

    const left = decodeChannel(file, 0);
    const right = decodeChannel(file, 1);
    const talking = [0.6, heldAt / 1000 - 0.4] as const;
    const afterHold = [resumedAt / 1000 + 0.5, testBridgedMs / 1000 - 0.4] as const;
    for (const [from, to] of [talking, afterHold]) {
      // Right pitch in each ear = right speed (a slowed file would put 440 Hz at 220 Hz).
      expect(Math.abs(dominantFrequency(left, from, to) - CALLER_HZ)).toBeLessThanOrEqual(10);
      expect(Math.abs(dominantFrequency(right, from, to) - AGENT_HZ)).toBeLessThanOrEqual(10);
      expect(rms(left, from, to)).toBeGreaterThan(0.05);
      expect(rms(right, from, to)).toBeGreaterThan(0.05);
    }
    // On hold nothing is forwarded either way, and the recording holds silence for it.
    const holdMid = [heldAt / 1000 + 0.4, resumedAt / 1000 - 0.4] as const;
    expect(rms(left, ...holdMid)).toBeLessThan(0.01);
    expect(rms(right, ...holdMid)).toBeLessThan(0.01);
    // Uploaded, verified, and only then the local files went.
    await localFilesGone(rec.id);
  }, 90_000);

  it("survives a 30 s S3 outage during the upload: retried until it arrives, local files kept until then", async () => {
    const { caller, agent, callId } = await rig.bridgedCall();
    caller.talk(tonePackets(CALLER_HZ, 1));
    agent.talk(tonePackets(AGENT_HZ, 1));
    await sleep(2_500);
    await rig.stopS3();
    const downAt = Date.now();
    expect((await agent.control("hangup")).status).toBe(200);
    await agent.close();
    await caller.close();

    const rec = await waitFor("the recording row", () => rig.recordingOf(callId), 10_000);
    while (Date.now() - downAt < 30_000) {
      const now = await rig.recordingOf(callId);
      expect(now?.status).toBe("processing");
      expect(rig.localFiles(rec.id).length).toBeGreaterThanOrEqual(2);
      await sleep(1_000);
    }
    const job = await queue.getJob(rec.id);
    expect(job?.attemptsMade).toBeGreaterThanOrEqual(3);
    expect((await rig.recordingOf(callId))?.error).toMatch(/Upload failed.*retrying/);
    await rig.startS3();

    const ready = await readyRecording(callId, 20_000);
    expect(await rig.s3.size(ready.storageKey!)).toBe(ready.sizeBytes);
    expect(Math.abs(ready.durationMs! - ready.bridgedMs!)).toBeLessThanOrEqual(100);
    expect(ready.error).toBeNull();
    await localFilesGone(rec.id);
  }, 90_000);

  it("loses nothing when the gateway dies mid-call or the finalise job never got queued: the restarted gateway's sweep hands both on", async () => {
    await rig.stopWorkers();
    // A call that ends normally, whose finalise job is then lost (Redis flushed, enqueue failed…).
    const first = await rig.bridgedCall();
    first.caller.talk(tonePackets(CALLER_HZ, 1));
    first.agent.talk(tonePackets(AGENT_HZ, 1));
    await sleep(2_000);
    await first.agent.control("hangup");
    await first.agent.close();
    await first.caller.close();
    const lost = await waitFor(
      "the first recording to be processing",
      async () => {
        const r = await rig.recordingOf(first.callId);
        return r?.status === "processing" ? r : null;
      },
      10_000,
    );
    await waitFor("its job", () => queue.getJob(lost.id), 5_000);
    await queue.remove(lost.id);

    // A call cut off by the gateway dying mid-bridge.
    const second = await rig.bridgedCall();
    second.caller.talk(tonePackets(CALLER_HZ, 1));
    second.agent.talk(tonePackets(AGENT_HZ, 1));
    await sleep(3_000);
    await rig.gateway.kill("SIGKILL");
    const aliveMs = performance.now() - second.bridgedAt;
    await second.agent.close();
    await second.caller.close();
    const cut = (await rig.recordingOf(second.callId))!;
    expect(cut.status).toBe("recording");
    expect(rig.localFiles(cut.id).length).toBe(2);
    expect(rig.localFiles(lost.id).length).toBe(2);

    // The same gateway id comes back once its old registration has expired.
    const redis = new Redis(E2E_REDIS);
    await waitFor("the dead gateway's registration to expire", async () => (await redis.exists(keys.gateway(rig.gateway.id))) === 0, 10_000);
    redis.disconnect();
    await rig.gateway.start();
    await waitFor("the sweep to queue both", async () => (await queue.getJob(lost.id)) && (await queue.getJob(cut.id)), 15_000);
    rig.startWorkers();

    const a = await readyRecording(first.callId);
    const b = await readyRecording(second.callId);
    await localFilesGone(a.id);
    await localFilesGone(b.id);
    expect(a.error).toBeNull();
    expect(Math.abs(a.durationMs! - a.bridgedMs!)).toBeLessThanOrEqual(100);
    // Closed out at its files' length (flushed up to about a second before the kill), and says so.
    expect(b.error).toMatch(/gateway stopped during the call/);
    expect(b.durationMs!).toBeGreaterThan(aliveMs - 1_800);
    expect(b.durationMs!).toBeLessThanOrEqual(aliveMs + 100);
    const file = await download(b.storageKey!);
    expect(Math.abs(dominantFrequency(decodeChannel(file, 0), 0.6, 1.8) - CALLER_HZ)).toBeLessThanOrEqual(10);
    expect(Math.abs(dominantFrequency(decodeChannel(file, 1), 0.6, 1.8) - AGENT_HZ)).toBeLessThanOrEqual(10);
  }, 110_000);
});
