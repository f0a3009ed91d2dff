// A flow plays only audio from its own organisation's library: publishing a prompt whose audio file
// is another organisation's, or gone, is refused with the node named, and so is rolling back to a
// version whose audio was deleted since.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteAsset } from "../../lib/audio/manage";
import { AppError } from "../../lib/errors";
import { publishFlow, saveDraft } from "../../lib/flows/editor-service";
import { rollbackTo } from "../../lib/flows/versions";
import { createFlow, createOrg } from "../../lib/seed/factories";
import { testDb as db } from "../helpers/test-db";

let orgId: string;
let flowId: string;

const greetingWith = (assetId: string) => ({
  entryNodeId: "hello",
  nodes: [
    { id: "hello", type: "greeting", label: "Hello", config: { prompt: { assetId } } },
    { id: "bye", type: "hangup", label: "Bye", config: {} },
  ],
  edges: [{ id: "e1", source: "hello", sourceHandle: "default", target: "bye" }],
});

const readyAsset = (inOrg: string, name: string) =>
  db.audioAsset.create({
    data: { orgId: inOrg, kind: "upload", name, status: "ready", storageKey: `audio/${inOrg}/${name}.ogg`, durationMs: 1000 },
    select: { id: true },
  });

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

beforeAll(async () => {
  orgId = (await createOrg(db, { name: "Audio references" })).id;
  flowId = (await createFlow(db, orgId, { name: "Main", isCallStart: false })).id;
});

afterAll(() => db.$disconnect());

describe("prompt audio belongs to the organisation", () => {
  it("refuses to publish another organisation's audio file, or one that does not exist, naming the node", async () => {
    const theirs = await readyAsset((await createOrg(db, { name: "Someone else" })).id, "their-greeting");
    for (const assetId of [theirs.id, "does-not-exist"]) {
      const saved = await saveDraft(orgId, flowId, greetingWith(assetId));
      expect(saved.issues).toEqual([
        expect.objectContaining({
          code: "missing_audio",
          nodeId: "hello",
          message: expect.stringContaining("“Hello”: its audio file is no longer in the audio library"),
        }),
      ]);
      const err = await refusal(publishFlow(orgId, flowId));
      expect(err.code).toBe("validation_failed");
    }
    const ours = await readyAsset(orgId, "our-greeting");
    await saveDraft(orgId, flowId, greetingWith(ours.id));
    expect((await publishFlow(orgId, flowId)).version).toBeGreaterThan(1);
  });

  it("refuses to publish a prompt whose audio file failed to convert, saying why", async () => {
    const broken = await db.audioAsset.create({
      data: { orgId, kind: "upload", name: "Broken tone", status: "failed", error: "The file has no audio track" },
      select: { id: true },
    });
    const saved = await saveDraft(orgId, flowId, greetingWith(broken.id));
    expect(saved.issues).toEqual([
      expect.objectContaining({
        code: "missing_audio",
        nodeId: "hello",
        message: "“Hello”: its audio file “Broken tone” could not be converted (The file has no audio track); choose another or type TTS text",
      }),
    ]);
    expect((await refusal(publishFlow(orgId, flowId))).code).toBe("validation_failed");
  });

  it("refuses to delete the speech file a flow's prompt text plays, naming the flow", async () => {
    const text = `Thanks for waiting ${Date.now()}.`;
    const flow = await createFlow(db, orgId, { name: "Speaks it", isCallStart: false });
    await saveDraft(orgId, flow.id, {
      entryNodeId: "hello",
      nodes: [
        { id: "hello", type: "greeting", label: "Hello", config: { prompt: { text } } },
        { id: "bye", type: "hangup", label: "Bye", config: {} },
      ],
      edges: [{ id: "e1", source: "hello", sourceHandle: "default", target: "bye" }],
    });
    // Saving the draft rendered the text: the gateway plays that render, found by the text.
    const render = await db.audioAsset.findFirstOrThrow({ where: { orgId, kind: "tts", sourceText: text } });
    const err = await refusal(deleteAsset(orgId, render.id));
    expect(err.code).toBe("conflict");
    expect(err.message).toContain("is used by “Speaks it”");
    expect(await db.audioAsset.count({ where: { id: render.id } })).toBe(1);
  });

  it("refuses to roll back to a version whose audio was deleted since, and says why", async () => {
    const old = await readyAsset(orgId, "old-greeting");
    await saveDraft(orgId, flowId, greetingWith(old.id));
    const withOld = (await publishFlow(orgId, flowId)).version;
    const current = await readyAsset(orgId, "new-greeting");
    await saveDraft(orgId, flowId, greetingWith(current.id));
    await publishFlow(orgId, flowId);
    // No flow plays it now, so it may be deleted.
    await deleteAsset(orgId, old.id);
    const err = await refusal(rollbackTo(orgId, flowId, withOld, "someone"));
    expect(err.code).toBe("validation_failed");
    expect(err.message).toMatch(new RegExp(`^Version ${withOld} cannot be published again: “Hello”: its audio file is no longer in the audio library`));
    const flow = await db.ivrFlow.findUniqueOrThrow({ where: { id: flowId }, select: { publishedDocument: true } });
    expect(JSON.stringify(flow.publishedDocument)).toContain(current.id);
  });
});
