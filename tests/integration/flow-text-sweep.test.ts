// Audio rendered from a flow's prompt text is deleted once nothing plays it: every draft save renders
// the texts, so rewording a greeting left "Prompt: …" files piling up in the audio library. What a
// draft, the published document or an earlier version plays stays, as do the hold music, a person's
// own speech files, renders used within the hour and a render a save reused just now.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FLOW_TEXT_AUDIO_GRACE_MS } from "../../lib/audio/flow-text-sweep";
import { ttsContentHash } from "../../lib/audio/prompt-audio";
import { createTtsAsset } from "../../lib/audio/service";
import { closeQueues, queueFor } from "../../lib/jobs/registry";
import { flowTextAudioSweepJob } from "../../lib/jobs/flow-text-audio-sweep";
import { createOrg } from "../../lib/seed/factories";
import { storage } from "../../lib/storage";
import { testDb as db } from "../helpers/test-db";

let orgId: string;
const run = Date.now();
const longAgo = () => new Date(Date.now() - FLOW_TEXT_AUDIO_GRACE_MS - 60_000);

const doc = (prompt: { text?: string; assetId?: string }) => ({
  version: 1,
  entryNodeId: "hello",
  nodes: [
    { id: "hello", type: "greeting", label: "Hello", position: { x: 0, y: 0 }, config: { prompt } },
    { id: "bye", type: "hangup", label: "Bye", position: { x: 0, y: 100 }, config: {} },
  ],
  edges: [{ id: "e1", source: "hello", sourceHandle: "default", target: "bye" }],
});

/** A finished render of `text`, last used over an hour ago, with its file in storage. */
async function render(text: string, opts: { fromFlowText?: boolean; recent?: boolean } = {}) {
  const id = `sweep-${run}-${Math.random().toString(36).slice(2, 8)}`;
  const storageKey = `orgs/${orgId}/audio/${id}.ogg`;
  await storage().put(storageKey, Buffer.from("OggS"), "audio/ogg");
  return db.audioAsset.create({
    data: {
      id,
      orgId,
      kind: "tts",
      name: `Prompt: ${text}`,
      sourceText: text,
      voice: "default",
      contentHash: ttsContentHash(text),
      status: "ready",
      storageKey,
      fromFlowText: opts.fromFlowText ?? true,
      updatedAt: opts.recent ? new Date() : longAgo(),
    },
  });
}

beforeAll(async () => {
  orgId = (await createOrg(db, { name: "Prompt Sweep Org" })).id;
});

afterAll(async () => {
  await closeQueues();
  await db.$disconnect();
});

describe("sweeping audio rendered from prompt text", () => {
  it("deletes the renders nothing plays, with their files, and keeps everything still played or chosen", async () => {
    const inDraft = await render(`Current words ${run}`);
    const published = await render(`Published words ${run}`);
    const inVersion = await render(`Words of version 1 ${run}`);
    const reworded = await render(`First wording ${run}`);
    const reworded2 = await render(`Second wording ${run}`);
    const recent = await render(`Rendered a minute ago ${run}`, { recent: true });
    const holdMusic = await render(`Hold music words ${run}`);
    const persons = await render(`A person's own speech ${run}`, { fromFlowText: false });
    const claimed = await render(`Asked for in the library ${run}`);
    const reused = await render(`Saved again just now ${run}`);

    const flow = await db.ivrFlow.create({
      data: {
        orgId,
        name: `Sweep ${run}`,
        isCallStart: false,
        draftDocument: doc({ text: `  Current words ${run} ` }),
        publishedDocument: doc({ text: `Published words ${run}`, assetId: published.id }),
        version: 2,
      },
    });
    await db.flowVersion.create({ data: { flowId: flow.id, number: 1, document: doc({ text: `Words of version 1 ${run}`, assetId: inVersion.id }) } });
    await db.organization.update({ where: { id: orgId }, data: { holdMusicAssetId: holdMusic.id } });
    // A person asks the library for a text a flow once rendered: theirs now, for good.
    const mine = await createTtsAsset(orgId, { name: "Mine", text: `Asked for in the library ${run}` });
    expect(mine).toMatchObject({ id: claimed.id, reused: true });
    // A draft save renders a text whose render was about to go: it is used again.
    const again = await createTtsAsset(orgId, { name: "Prompt: again", text: `Saved again just now ${run}` }, true);
    expect(again).toMatchObject({ id: reused.id, reused: true });

    await flowTextAudioSweepJob.handle({}, { storage: undefined as never, progress: async () => {} });

    const left = await db.audioAsset.findMany({ where: { orgId }, select: { id: true } });
    const kept = new Set(left.map((a) => a.id));
    expect(kept.has(reworded.id)).toBe(false);
    expect(kept.has(reworded2.id)).toBe(false);
    expect(await storage().exists(reworded.storageKey!)).toBe(false);
    expect(await storage().exists(reworded2.storageKey!)).toBe(false);
    for (const a of [inDraft, published, inVersion, recent, holdMusic, persons, claimed, reused]) {
      expect(kept.has(a.id), a.name).toBe(true);
      expect(await storage().exists(a.storageKey!), a.name).toBe(true);
    }
    expect(left).toHaveLength(8);
  });

  it("marks what the flow editor renders, and only that, as sweepable", async () => {
    const fromLibrary = await createTtsAsset(orgId, { name: "Library speech", text: `Typed in the library ${run}` });
    const fromFlow = await createTtsAsset(orgId, { name: "Prompt: flow", text: `Typed in a prompt ${run}` }, true);
    const rows = await db.audioAsset.findMany({ where: { id: { in: [fromLibrary.id, fromFlow.id] } }, select: { id: true, fromFlowText: true } });
    expect(Object.fromEntries(rows.map((r) => [r.id, r.fromFlowText]))).toEqual({ [fromLibrary.id]: false, [fromFlow.id]: true });
    // Nobody listens to these: their renders leave the shared queue to the other files' publishes.
    for (const id of [fromLibrary.id, fromFlow.id]) await queueFor("audio").remove(`tts-${id}`);
  });
});
