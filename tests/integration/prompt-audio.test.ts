// Prompts are ready before calls: publishing renders every TTS prompt through the workers' TTS job
// and publishes only when all are ready; the gateway reads only rendered files and falls back to a
// pre-rendered message when audio is missing.
import fs from "node:fs";
import path from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { readOggOpus } from "../../lib/audio/ogg";
import { BUILT_IN_PROMPTS } from "../../lib/audio/prompt-audio";
import { createFlow, publishFlow, saveDraft } from "../../lib/flows/editor-service";
import { withReadyPromptAudio } from "../../lib/flows/prompt-audio";
import { parseExecutable } from "../../lib/ivr";
import { closeQueues } from "../../lib/jobs/registry";
import { startWorker } from "../../lib/jobs/runner";
import { createAccount, createOrg } from "../../lib/seed/factories";
import { storage } from "../../lib/storage";
import { ASSET_RECHECK_MS, resetPromptCache, resolvePrompt } from "../../media-gateway/call/prompts";
import { testDb as db } from "../helpers/test-db";

let orgId: string;
let accountId: string;
const run = Date.now();
const silent = pino({ level: "silent" });

const doc = (greeting: string, goodbye: string) => ({
  version: 1,
  entryNodeId: "hello",
  nodes: [
    { id: "hello", type: "greeting", label: "Hello", position: { x: 0, y: 0 }, config: { prompt: { text: greeting } } },
    { id: "bye", type: "hangup", label: "Bye", position: { x: 0, y: 100 }, config: { prompt: { text: goodbye } } },
  ],
  edges: [{ id: "e1", source: "hello", sourceHandle: "default", target: "bye" }],
});

const shipped = (name: string) => readOggOpus(fs.readFileSync(path.resolve("public/audio/prompts", `${name}.ogg`))).packets;

beforeAll(async () => {
  orgId = (await createOrg(db, { name: "Prompt Audio Org" })).id;
  accountId = (await createAccount(db, orgId)).id;
});

afterAll(async () => {
  await closeQueues();
  await db.$disconnect();
});

describe("publishing renders prompts first", () => {
  it("refuses to publish while audio is still being prepared, then publishes with every prompt on a ready asset", async () => {
    const flow = await createFlow(orgId, { name: "Prompts", description: undefined, accountId, active: true, isCallStart: false });
    const greeting = `Welcome, caller number ${run}.`;
    await saveDraft(orgId, flow.id, doc(greeting, "Thanks for calling. Goodbye."));
    // Saving queued the renders already (in the background of the save).
    const queued = await db.audioAsset.findMany({ where: { orgId, kind: "tts" }, select: { sourceText: true } });
    expect(queued.map((a) => a.sourceText).sort()).toEqual([greeting, "Thanks for calling. Goodbye."].sort());
    // Texts that have just been queued are not ready: past the wait, publishing is refused, not half-done.
    const fresh = parseExecutable(doc(`Still rendering ${run}.`, `Also rendering ${run}.`));
    await expect(withReadyPromptAudio(orgId, fresh, 0)).rejects.toMatchObject({
      status: 409,
      message: "Still preparing audio for 2 prompt(s); publish again in a moment.",
    });
    expect((await db.ivrFlow.findUniqueOrThrow({ where: { id: flow.id } })).publishedDocument).toBeNull();
    const worker = startWorker({ concurrency: 2, log: silent, storage: storage() });
    try {
      expect(await publishFlow(orgId, flow.id)).toMatchObject({ version: 1 });
    } finally {
      await worker.close();
    }
    const row = await db.ivrFlow.findUniqueOrThrow({ where: { id: flow.id } });
    const nodes = (row.publishedDocument as { nodes: { id: string; config: { prompt: { assetId?: string; text: string } } }[] }).nodes;
    const assets = await db.audioAsset.findMany({ where: { orgId, kind: "tts" }, select: { id: true, sourceText: true, status: true } });
    for (const n of nodes) {
      // The text stays (path, editor); the asset is what the gateway plays.
      expect(assets.find((a) => a.id === n.config.prompt.assetId)).toMatchObject({ sourceText: n.config.prompt.text, status: "ready" });
    }
    // The built-in goodbyes ship pre-rendered: never rendered per organisation.
    expect(assets.map((a) => a.sourceText)).not.toContain(BUILT_IN_PROMPTS["error-goodbye"]);

    // Publishing again reuses the rendered audio (content hash): no new assets, no waiting.
    const before = await db.audioAsset.count({ where: { orgId, kind: "tts" } });
    const started = Date.now();
    expect(await publishFlow(orgId, flow.id)).toMatchObject({ version: 2 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await db.audioAsset.count({ where: { orgId, kind: "tts" } })).toBe(before);

    // A rendered file that storage lost (a wiped disk) is spoken again before the next publish goes
    // out, instead of callers hearing the fallback: same asset, its file back.
    const lost = await db.audioAsset.findFirstOrThrow({ where: { orgId, sourceText: greeting }, select: { id: true, storageKey: true } });
    await storage().delete(lost.storageKey!);
    // No worker is running: it is being prepared again, not published as it was.
    await expect(withReadyPromptAudio(orgId, parseExecutable(doc(greeting, "Thanks for calling. Goodbye.")), 0)).rejects.toMatchObject({ status: 409 });
    expect(await db.audioAsset.findUniqueOrThrow({ where: { id: lost.id }, select: { status: true } })).toEqual({ status: "pending" });
    const again = startWorker({ concurrency: 2, log: silent, storage: storage() });
    try {
      expect(await publishFlow(orgId, flow.id)).toMatchObject({ version: 3 });
    } finally {
      await again.close();
    }
    const back = await db.audioAsset.findUniqueOrThrow({ where: { id: lost.id }, select: { status: true, storageKey: true } });
    expect(back.status).toBe("ready");
    expect(await storage().exists(back.storageKey!)).toBe(true);
    expect(await db.audioAsset.count({ where: { orgId, kind: "tts" } })).toBe(before);
  }, 90_000);

  it("names the prompt whose audio could not be made", async () => {
    const text = `This render fails ${run}.`;
    const pending = withReadyPromptAudio(orgId, parseExecutable(doc(text, "Thanks for calling. Goodbye.")), 10_000);
    await expect.poll(() => db.audioAsset.count({ where: { orgId, sourceText: text } })).toBe(1);
    await db.audioAsset.updateMany({ where: { orgId, sourceText: text }, data: { status: "failed", error: "espeak-ng exited with code 1" } });
    await expect(pending).rejects.toMatchObject({
      status: 422,
      message: `The audio for “${text}” could not be made (espeak-ng exited with code 1). Change the text or try again.`,
    });
  });
});

describe("the gateway's prompts", () => {
  it("plays rendered TTS by its text, the built-in goodbyes from their shipped files, and a spoken fallback for missing audio", async () => {
    const rendered = await db.audioAsset.findFirstOrThrow({ where: { orgId, sourceText: "Thanks for calling. Goodbye.", status: "ready" } });
    const expected = readOggOpus(await storage().get(rendered.storageKey!)).packets;
    expect(await resolvePrompt(orgId, { text: "Thanks for calling. Goodbye." }, silent)).toEqual(expected);
    expect(await resolvePrompt(orgId, { text: BUILT_IN_PROMPTS["no-agents"] }, silent)).toEqual(shipped("no-agents"));

    const errors: unknown[] = [];
    const log = pino({ level: "error" }, { write: (line: string) => errors.push(JSON.parse(line)) });
    // Text nobody rendered, and an asset of another organisation: logged, and the caller hears the fallback.
    expect(await resolvePrompt(orgId, { text: `Never rendered ${run}` }, log)).toEqual(shipped("unavailable"));
    const other = (await createOrg(db, { name: "Other Org" })).id;
    expect(await resolvePrompt(other, { assetId: rendered.id }, log)).toEqual(shipped("unavailable"));
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatchObject({
      msg: "prompt audio is missing; playing the built-in fallback",
      err: { message: expect.stringContaining("has not been rendered") },
    });
  });
});

describe("a replaced audio file", () => {
  it("plays on a running gateway within ASSET_RECHECK_MS, and the old file plays while the new one is not ready", async () => {
    const file = (name: string) => fs.readFileSync(path.resolve("public/audio/prompts", `${name}.ogg`));
    const first = `orgs/${orgId}/audio/replace-test-${run}-1.ogg`;
    await storage().put(first, file("no-agents"), "audio/ogg");
    const asset = await db.audioAsset.create({ data: { orgId, kind: "upload", name: "Greeting", status: "ready", storageKey: first } });
    expect(await resolvePrompt(orgId, { assetId: asset.id }, silent)).toEqual(shipped("no-agents"));
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    try {
      // "Replace file": the asset waits for its new upload, then the worker stores it and marks it ready.
      await db.audioAsset.update({ where: { id: asset.id }, data: { status: "pending" } });
      vi.setSystemTime(Date.now() + ASSET_RECHECK_MS + 1_000);
      expect(await resolvePrompt(orgId, { assetId: asset.id }, silent)).toEqual(shipped("no-agents"));
      // A gateway that starts now, with nothing cached, plays the stored file too (not the fallback).
      resetPromptCache(64 * 1024 * 1024);
      expect(await resolvePrompt(orgId, { assetId: asset.id }, silent)).toEqual(shipped("no-agents"));
      const second = `orgs/${orgId}/audio/replace-test-${run}-2.ogg`;
      await storage().put(second, file("error-goodbye"), "audio/ogg");
      await db.audioAsset.update({ where: { id: asset.id }, data: { status: "ready", storageKey: second } });
      // Checked a moment ago: the cached audio plays until the next check.
      expect(await resolvePrompt(orgId, { assetId: asset.id }, silent)).toEqual(shipped("no-agents"));
      vi.setSystemTime(Date.now() + ASSET_RECHECK_MS + 1_000);
      expect(await resolvePrompt(orgId, { assetId: asset.id }, silent)).toEqual(shipped("error-goodbye"));
    } finally {
      vi.useRealTimers();
    }
  });
});
