// Audio jobs against a local S3-compatible server (s3rver) and the real Redis/BullMQ.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Queue, QueueEvents } from "bullmq";
import S3rver from "s3rver";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readOggOpus } from "../../lib/audio/ogg";
import { PermanentJobError } from "../../lib/jobs/job";
import { AUDIO_QUEUE, enqueue, redisConnection } from "../../lib/jobs/registry";
import { startWorker } from "../../lib/jobs/runner";
import { transcodeJob } from "../../lib/jobs/transcode";
import { ttsJob } from "../../lib/jobs/tts";
import { createOrg } from "../../lib/seed/factories";
import { S3Storage } from "../../lib/storage/s3";
import { testDb as db } from "../helpers/test-db";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "s3rver-"));
let server: S3rver;
let port = 0;
let s3: S3Storage;
let orgId: string;
const noProgress = async () => {};

async function startS3(p = 0) {
  server = new S3rver({ port: p, address: "127.0.0.1", directory: dir, silent: true, configureBuckets: [{ name: "ringflow", configs: [] }] });
  const addr = (await server.run()) as AddressInfo;
  return addr.port;
}

function sample(name: string, args: string[]): string {
  const file = path.join(dir, name);
  execFileSync("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", ...args, file]);
  return file;
}

function analyse(bytes: Buffer) {
  const file = path.join(dir, `check-${Date.now()}.ogg`);
  fs.writeFileSync(file, bytes);
  const probe = JSON.parse(
    execFileSync("ffprobe", ["-v", "error", "-show_entries", "stream=codec_name,sample_rate,channels:format=duration", "-of", "json", file], {
      encoding: "utf8",
    }),
  );
  const wav = `${file}.wav`;
  execFileSync("ffmpeg", ["-v", "error", "-y", "-i", file, wav]);
  // sox prints its statistics on stderr.
  const soxOut = execFileSync("bash", ["-c", `sox "${wav}" -n stat 2>&1`], { encoding: "utf8" });
  const rms = Number(/RMS\s+amplitude:\s+([\d.]+)/.exec(soxOut)?.[1]);
  return { stream: probe.streams[0], duration: Number(probe.format.duration), rms, packets: readOggOpus(bytes).packets };
}

beforeAll(async () => {
  port = await startS3();
  s3 = new S3Storage({
    bucket: "ringflow",
    region: "us-east-1",
    endpoint: `http://127.0.0.1:${port}`,
    forcePathStyle: true,
    accessKeyId: "S3RVER",
    secretAccessKey: "S3RVER",
  });
  orgId = (await createOrg(db, { name: "Audio Org" })).id;
});

afterAll(async () => {
  await server?.close().catch(() => {});
  await db.$disconnect();
});

async function upload(name: string, file: string) {
  const asset = await db.audioAsset.create({ data: { orgId, kind: "upload", name, status: "pending" } });
  const sourceKey = `orgs/${orgId}/uploads/${asset.id}`;
  await s3.put(sourceKey, fs.readFileSync(file), "application/octet-stream");
  return { asset, sourceKey };
}

describe("audio jobs", () => {
  it("transcodes WAV and MP3 uploads to 48 kHz Opus with 20 ms packets and the source's duration", async () => {
    const wav = sample("tone.wav", ["-i", "sine=frequency=440:duration=3.2", "-ar", "44100"]);
    const mp3 = sample("tone.mp3", ["-i", "sine=frequency=660:duration=2.5"]);
    for (const [file, secs] of [
      [wav, 3.2],
      [mp3, 2.5],
    ] as const) {
      const { asset, sourceKey } = await upload(path.basename(file), file);
      await transcodeJob.handle({ assetId: asset.id, sourceKey }, { storage: s3, progress: noProgress });
      const row = await db.audioAsset.findUniqueOrThrow({ where: { id: asset.id } });
      expect(row.status).toBe("ready");
      const a = analyse(await s3.get(row.storageKey!));
      expect(a.stream).toMatchObject({ codec_name: "opus", sample_rate: "48000", channels: 1 });
      expect(a.packets.every((p) => p.length > 0)).toBe(true);
      expect(Math.abs(a.packets.length * 0.02 - secs)).toBeLessThanOrEqual(0.05);
      expect(Math.abs(row.durationMs! / 1000 - secs)).toBeLessThanOrEqual(0.05);
    }
  });

  it("marks a corrupt upload failed with a readable reason", async () => {
    const junk = path.join(dir, "junk.mp3");
    fs.writeFileSync(junk, Buffer.from("this is not audio at all".repeat(100)));
    const { asset, sourceKey } = await upload("junk.mp3", junk);
    await expect(transcodeJob.handle({ assetId: asset.id, sourceKey }, { storage: s3, progress: noProgress })).rejects.toThrow(PermanentJobError);
    expect(await db.audioAsset.findUniqueOrThrow({ where: { id: asset.id } })).toMatchObject({
      status: "failed",
      error: "This is not an audio file ffmpeg can read (corrupt or unsupported format)",
    });
  });

  it("keeps playing the previous file when its replacement cannot be converted, and says why", async () => {
    const wav = sample("first.wav", ["-i", "sine=frequency=440:duration=2"]);
    const { asset, sourceKey } = await upload("Kept tone", wav);
    await transcodeJob.handle({ assetId: asset.id, sourceKey }, { storage: s3, progress: noProgress });
    const before = await db.audioAsset.findUniqueOrThrow({ where: { id: asset.id } });
    const playing = await s3.get(before.storageKey!);
    // What finishUpload queues for a replacement: the asset as it was, to restore if this file fails.
    const junk = path.join(dir, "replacement.mp3");
    fs.writeFileSync(junk, Buffer.from("not audio either ".repeat(100)));
    await s3.put(sourceKey, fs.readFileSync(junk), "audio/mpeg");
    await db.audioAsset.update({ where: { id: asset.id }, data: { status: "pending" } });
    const previous = { kind: "upload" as const, sourceText: null, contentHash: null, voice: null };
    await expect(transcodeJob.handle({ assetId: asset.id, sourceKey, previous }, { storage: s3, progress: noProgress })).rejects.toThrow(PermanentJobError);
    const after = await db.audioAsset.findUniqueOrThrow({ where: { id: asset.id } });
    expect(after).toMatchObject({ status: "ready", storageKey: before.storageKey, durationMs: before.durationMs });
    expect(after.error).toBe(
      "The replacement file could not be used: This is not an audio file ffmpeg can read (corrupt or unsupported format). The previous audio is kept.",
    );
    expect((await s3.get(after.storageKey!)).equals(playing)).toBe(true);
  });

  it("marks an asset failed with the reason when its last attempt fails, and leaves it pending before that", async () => {
    const asset = await db.audioAsset.create({ data: { orgId, kind: "upload", name: "Vanished upload", status: "pending" } });
    const run = (attempt: number) =>
      transcodeJob.handle({ assetId: asset.id, sourceKey: `uploads/${orgId}/never-uploaded.wav` }, { storage: s3, progress: noProgress, attempt, attempts: 5 });
    await expect(run(4)).rejects.toThrow();
    expect((await db.audioAsset.findUniqueOrThrow({ where: { id: asset.id } })).status).toBe("pending");
    await expect(run(5)).rejects.toThrow();
    const failed = await db.audioAsset.findUniqueOrThrow({ where: { id: asset.id } });
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/^Gave up after 5 attempts: /);
  });

  it("speaks TTS text into an Opus asset that is not silent", async () => {
    const asset = await db.audioAsset.create({
      data: { orgId, kind: "tts", name: "Welcome", sourceText: "Welcome to Ringflow. Your call matters to us.", status: "pending" },
    });
    await ttsJob.handle({ assetId: asset.id }, { storage: s3, progress: noProgress });
    const row = await db.audioAsset.findUniqueOrThrow({ where: { id: asset.id } });
    const a = analyse(await s3.get(row.storageKey!));
    expect(a.stream.codec_name).toBe("opus");
    expect(a.duration).toBeGreaterThan(1);
    expect(a.rms).toBeGreaterThan(0.01);
  });

  it("retries while S3 is down and completes when it returns, through the real queue", async () => {
    const wav = sample("outage.wav", ["-i", "sine=frequency=300:duration=1"]);
    const { asset, sourceKey } = await upload("outage.wav", wav);
    await server.close();
    // A Redis database of its own, so no other test's worker picks this job up.
    const redisUrl = "redis://127.0.0.1:6379/11";
    const worker = startWorker({ concurrency: 1, log: pino({ level: "silent" }), storage: s3, redisUrl });
    const events = new QueueEvents(AUDIO_QUEUE, { connection: redisConnection(redisUrl) });
    const queue = new Queue(AUDIO_QUEUE, { connection: redisConnection(redisUrl) });
    try {
      const job = await enqueue(transcodeJob, { assetId: asset.id, sourceKey }, `transcode-${asset.id}`, queue);
      await expect.poll(async () => (await job.isFailed()) || (await job.getState()) === "delayed" || job.attemptsMade > 0, { timeout: 10_000 }).toBe(true);
      expect((await db.audioAsset.findUniqueOrThrow({ where: { id: asset.id } })).status).toBe("pending");
      await startS3(port);
      await job.waitUntilFinished(events, 30_000);
      expect((await db.audioAsset.findUniqueOrThrow({ where: { id: asset.id } })).status).toBe("ready");
    } finally {
      await worker.close();
      await events.close();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  }, 60_000);
});
