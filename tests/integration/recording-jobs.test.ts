// The recording jobs against real PostgreSQL, Redis/BullMQ and s3rver: finalise refuses a capture
// that does not match its bridged time (keeping the files), is idempotent, and retention deletes
// expired recordings from storage while keeping the rest.
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Queue, QueueEvents } from "bullmq";
import pino from "pino";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OggOpusWriter } from "../../lib/audio/ogg-writer";
import { config } from "../../lib/config";
import { recordingRetentionJob } from "../../lib/jobs/recording-retention";
import { enqueue, RECORDINGS_QUEUE, redisConnection } from "../../lib/jobs/registry";
import { startWorker } from "../../lib/jobs/runner";
import { recordingFiles } from "../../lib/recordings/files";
import { finaliseRecording } from "../../lib/recordings/finalise";
import { createAccount, createOrg } from "../../lib/seed/factories";
import { S3Storage } from "../../lib/storage/s3";
import { tonePackets } from "../../tools/wa-sim/tone";
import { testDb as db } from "../helpers/test-db";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "recording-jobs-"));
const dir = path.join(work, "recordings");
let server: S3rver;
let s3: S3Storage;
const log = pino({ level: "silent" });
const DAY = 86_400_000;

async function callIn(orgId: string) {
  const account = await createAccount(db, orgId);
  return db.call.create({
    data: { orgId, accountId: account.id, waCallId: `wacid.${Math.random()}`, direction: "incoming", callerPhone: "5511999999999", status: "completed" },
  });
}

/** A one-direction file of `seconds` of tone, as the gateway would have written it. */
function capture(file: string, seconds: number) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const pages: Buffer[] = [];
  const w = new OggOpusWriter((p) => pages.push(p));
  const tone = tonePackets(440, 1);
  for (let i = 0; i < seconds * 50; i++) w.write(tone[i % tone.length]!);
  w.end();
  fs.writeFileSync(file, Buffer.concat(pages));
}

beforeAll(async () => {
  server = new S3rver({ port: 0, address: "127.0.0.1", directory: path.join(work, "s3"), silent: true, configureBuckets: [{ name: "rec", configs: [] }] });
  const port = ((await server.run()) as AddressInfo).port;
  s3 = new S3Storage({
    bucket: "rec",
    region: "us-east-1",
    endpoint: `http://127.0.0.1:${port}`,
    forcePathStyle: true,
    accessKeyId: "S3RVER",
    secretAccessKey: "S3RVER",
  });
});

afterAll(async () => {
  await server?.close().catch(() => {});
  await db.$disconnect();
});

describe("recording finalise", () => {
  it("fails clearly and keeps the files when a capture is longer than the bridge (the half-speed symptom)", async () => {
    const org = await createOrg(db);
    const call = await callIn(org.id);
    const rec = await db.recording.create({ data: { callId: call.id, status: "processing", bridgedMs: 2_000 } });
    const files = recordingFiles(dir, rec.id);
    capture(files.caller, 4);
    capture(files.agent, 2);
    await expect(finaliseRecording(rec.id, { storage: s3, dir, log })).rejects.toThrow(/caller's file holds 4000 ms .* bridged for 2000 ms/);
    const after = await db.recording.findUniqueOrThrow({ where: { id: rec.id } });
    expect(after.status).toBe("failed");
    expect(after.error).toMatch(/files kept/);
    expect(fs.existsSync(files.caller) && fs.existsSync(files.agent)).toBe(true);
  });

  it("uploads a matching capture once; running it again only tidies up", async () => {
    const org = await createOrg(db);
    const call = await callIn(org.id);
    const rec = await db.recording.create({ data: { callId: call.id, status: "processing", bridgedMs: 3_000 } });
    const files = recordingFiles(dir, rec.id);
    capture(files.caller, 3);
    capture(files.agent, 3);
    await finaliseRecording(rec.id, { storage: s3, dir, log });
    const ready = await db.recording.findUniqueOrThrow({ where: { id: rec.id } });
    expect(ready).toMatchObject({ status: "ready", storageKey: `recordings/${org.id}/${call.id}/${rec.id}.ogg`, error: null });
    expect(Math.abs(ready.durationMs! - 3_000)).toBeLessThanOrEqual(100);
    expect(await s3.size(ready.storageKey!)).toBe(ready.sizeBytes);
    expect(fs.existsSync(files.caller) || fs.existsSync(files.agent) || fs.existsSync(files.merged)).toBe(false);
    await finaliseRecording(rec.id, { storage: s3, dir, log });
    expect(await db.recording.findUniqueOrThrow({ where: { id: rec.id } })).toEqual(ready);
  });
});

describe("recording retention (scheduled job on the recordings queue)", () => {
  it("deletes recordings past the organisation's retention from storage and marks them expired; keeps the rest", async () => {
    const keeping = await createOrg(db);
    const expiring = await createOrg(db);
    await db.organization.update({ where: { id: expiring.id }, data: { recordingRetentionDays: 30 } });
    const stored = async (orgId: string, ageDays: number) => {
      const call = await callIn(orgId);
      const key = `recordings/${orgId}/${call.id}/r-${ageDays}.ogg`;
      await s3.put(key, Buffer.from("OggS-test"), "audio/ogg");
      return db.recording.create({
        data: { callId: call.id, status: "ready", storageKey: key, sizeBytes: 9, createdAt: new Date(Date.now() - ageDays * DAY) },
      });
    };
    const old = await stored(expiring.id, 40);
    const recent = await stored(expiring.id, 10);
    const forever = await stored(keeping.id, 400);

    const worker = startWorker({ concurrency: 1, log, storage: s3, queue: "recordings" });
    const queue = new Queue(RECORDINGS_QUEUE, { connection: redisConnection(config().redis.url) });
    const events = new QueueEvents(RECORDINGS_QUEUE, { connection: redisConnection(config().redis.url) });
    try {
      await events.waitUntilReady();
      const job = await enqueue(recordingRetentionJob, {}, `retention-${Date.now()}`, queue);
      await job.waitUntilFinished(events, 20_000);
    } finally {
      await worker.close();
      await events.close();
      await queue.close();
    }

    const after = await db.recording.findUniqueOrThrow({ where: { id: old.id } });
    expect(after.status).toBe("expired");
    expect(after.expiredAt).not.toBeNull();
    expect(after.storageKey).toBeNull();
    expect(await s3.exists(old.storageKey!)).toBe(false);
    for (const kept of [recent, forever]) {
      expect((await db.recording.findUniqueOrThrow({ where: { id: kept.id } })).status).toBe("ready");
      expect(await s3.exists(kept.storageKey!)).toBe(true);
    }
  });
});
