import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createFlow,
  deleteFlow,
  duplicateFlow,
  hasUnpublishedChanges,
  importDraft,
  importFlow,
  publishFlow,
  saveDraft,
  updateFlowSettings,
} from "../../lib/flows/editor-service";
import { AppError } from "../../lib/errors";
import { closeQueues } from "../../lib/jobs/registry";
import { startWorker } from "../../lib/jobs/runner";
import { storage } from "../../lib/storage";
import { createAccount, createOrg, createTeam } from "../../lib/seed/factories";
import { sampleFlowDocument } from "../../lib/seed/sample-flow";
import { testDb as db } from "../helpers/test-db";

let orgId: string;
let accountId: string;
let teamId: string;

beforeAll(async () => {
  orgId = (await createOrg(db, { name: "Flows Org" })).id;
  accountId = (await createAccount(db, orgId)).id;
  teamId = (await createTeam(db, orgId, "Support")).id;
});
// Publishing waits for the flow's TTS prompts, which the workers render.
const worker = startWorker({ concurrency: 2, log: pino({ level: "silent" }), storage: storage() });
afterAll(async () => {
  await worker.close();
  await closeQueues();
  await db.$disconnect();
});

const settings = (name: string, isCallStart = false) => ({ name, description: undefined, accountId, active: true, isCallStart });

/**
 * Publishes as an author does: again after "Still preparing audio…; publish again in a moment" (409),
 * which a loaded machine gives when the prompts' renders queue behind other test files' renders.
 */
async function publishWhenReady(flowId: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await publishFlow(orgId, flowId);
    } catch (err) {
      if (attempt < 3 && err instanceof AppError && err.code === "conflict") continue;
      throw err;
    }
  }
}

describe("flow list and editor service", () => {
  it("keeps one call-start flow per number and says which one it turned off", async () => {
    const a = await createFlow(orgId, settings("A", true));
    const b = await createFlow(orgId, settings("B", true));
    expect(a.turnedOff).toEqual([]);
    expect(b.turnedOff).toEqual(["A"]);
    const again = await updateFlowSettings(orgId, a.id, settings("A", true));
    expect(again.turnedOff).toEqual(["B"]);
    expect(await db.ivrFlow.count({ where: { accountId, isCallStart: true } })).toBe(1);
  });

  it("saves an invalid draft with its problems but refuses to publish it", async () => {
    const flow = await createFlow(orgId, settings("Draft"));
    const saved = await saveDraft(orgId, flow.id, { entryNodeId: "t", nodes: [{ id: "t", type: "transfer", config: {} }] });
    expect(saved.issues.map((i) => i.message)).toContain("Transfer to team node: Choose the team to transfer to");
    await expect(publishFlow(orgId, flow.id)).rejects.toThrow("Fix 1 error before publishing");
    expect((await db.ivrFlow.findUniqueOrThrow({ where: { id: flow.id } })).publishedDocument).toBeNull();
    await saveDraft(orgId, flow.id, sampleFlowDocument(teamId));
    expect(await publishWhenReady(flow.id)).toMatchObject({ version: 1 });
    expect(await publishWhenReady(flow.id)).toMatchObject({ version: 2 });

    // Whether the saved draft has changes callers do not hear yet.
    const unpublished = async () => hasUnpublishedChanges(await db.ivrFlow.findUniqueOrThrow({ where: { id: flow.id } }));
    expect(await unpublished()).toBe(false);
    // The same document again, its keys in another order: nothing changed.
    const same = JSON.parse(
      JSON.stringify(sampleFlowDocument(teamId), (_k, v) =>
        v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
      ),
    );
    expect((await saveDraft(orgId, flow.id, same)).unpublished).toBe(false);
    expect(await unpublished()).toBe(false);
    const moved = sampleFlowDocument(teamId);
    moved.nodes[0]!.label = "Welcome, changed";
    expect((await saveDraft(orgId, flow.id, moved)).unpublished).toBe(true);
    expect(await unpublished()).toBe(true);
    // Changed back to what is live: nothing left to publish.
    expect((await saveDraft(orgId, flow.id, same)).unpublished).toBe(false);
    expect(await unpublished()).toBe(false);
    expect((await saveDraft(orgId, flow.id, moved)).unpublished).toBe(true);
    await publishWhenReady(flow.id);
    expect(await unpublished()).toBe(false);
  }, 90_000);

  it("refuses to delete a flow another flow goes to, naming it", async () => {
    const target = await createFlow(orgId, settings("Target"));
    const jumper = await createFlow(orgId, settings("Jumper"));
    await saveDraft(orgId, jumper.id, { entryNodeId: "j", nodes: [{ id: "j", type: "goto_flow", config: { flowId: target.id } }] });
    await expect(deleteFlow(orgId, target.id)).rejects.toThrow("This flow cannot be deleted: “Jumper” goes to it.");
    await deleteFlow(orgId, jumper.id);
    await deleteFlow(orgId, target.id);
    expect(await db.ivrFlow.count({ where: { id: { in: [target.id, jumper.id] } } })).toBe(0);
  });

  it("keeps flow names unique in any case; a copy or an import gets the next free name", async () => {
    const main = await createFlow(orgId, settings("Main IVR"));
    await expect(createFlow(orgId, settings("main ivr"))).rejects.toThrow("A flow named “Main IVR” already exists; choose another name");
    const other = await createFlow(orgId, settings("Night line"));
    await expect(updateFlowSettings(orgId, other.id, settings("MAIN IVR"))).rejects.toThrow("A flow named “Main IVR” already exists");
    // Renaming a flow to itself, in another case, is no clash.
    expect((await updateFlowSettings(orgId, main.id, settings("Main ivr"))).name).toBe("Main ivr");
    expect((await duplicateFlow(orgId, main.id)).name).toBe("Main ivr (copy)");
    expect((await duplicateFlow(orgId, main.id)).name).toBe("Main ivr (copy 2)");
    const document = sampleFlowDocument(teamId);
    expect((await importDraft(orgId, { name: "Main IVR", accountId, document })).name).toBe("Main IVR (2)");
    expect((await importDraft(orgId, { name: "Fresh", accountId, document })).name).toBe("Fresh");
    // The admin CLI publishes what it imports: a clash is refused (its --name picks another).
    await expect(importFlow(orgId, { accountId, name: "fresh", document, callStart: false })).rejects.toThrow("A flow named “Fresh” already exists");
    // A long name keeps its suffix within the 80 characters.
    const long = await createFlow(orgId, settings("L".repeat(80)));
    const copy = await duplicateFlow(orgId, long.id);
    expect(copy.name).toBe(`${"L".repeat(73)} (copy)`);
    // Other organisations' names are theirs.
    const elsewhere = await createOrg(db, { name: "Elsewhere" });
    const theirAccount = await createAccount(db, elsewhere.id);
    expect((await createFlow(elsewhere.id, { ...settings("Main IVR"), accountId: theirAccount.id })).name).toBe("Main IVR");
  });

  it("never touches another organisation's flows", async () => {
    const other = await createOrg(db, { name: "Other" });
    const flow = await createFlow(orgId, settings("Mine"));
    await expect(saveDraft(other.id, flow.id, {})).rejects.toThrow("Flow was not found");
    await expect(deleteFlow(other.id, flow.id)).rejects.toThrow("Flow was not found");
  });
});
